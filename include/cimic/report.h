/*
 * report.h - the SITREP: what happened in a period, for the evening
 * report to HQ.
 *
 * Sections: DTG header and unit; new and updated incidents by type and
 * by oblast and settlement; casualty and displacement totals; open
 * high-severity incidents; contacts engaged; follow-ups due; conflicts
 * pending.  "NO CHANGE" is said rather than silence.  Every label goes
 * through gettext, counts through ngettext, so the report is in the
 * user's language; codes and DTGs stay as officers write them.
 */
#ifndef CIMIC_REPORT_H
#define CIMIC_REPORT_H

#include <stdint.h>

#include "cimic/error.h"
#include "cimic/util.h"

struct store;

enum report_format { REPORT_TEXT, REPORT_MARKDOWN };

struct report_opts {
	int64_t since_ms;            /* start of the period; 0 = 24 hours before now */
	int64_t now_ms;              /* end of the period (and "now" for follow-ups) */
	enum report_format format;
};

#define REPORT_HIGH_SEVERITY 4       /* severity from which an open incident is listed */
#define REPORT_FOLLOWUP_AHEAD_MS (24LL * 3600 * 1000)   /* follow-ups due within a day */
#define REPORT_MAX_LISTED 50         /* lines per list before "and N more" */

/* Appends the SITREP to out. */
int report_sitrep(struct store *st, const struct report_opts *o, struct buf *out,
		  struct cimic_error *err);

#endif
