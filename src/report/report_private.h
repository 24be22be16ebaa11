/* report_private.h - what report.c gathers and report_write.c lays out. */
#ifndef CIMIC_REPORT_PRIVATE_H
#define CIMIC_REPORT_PRIVATE_H

#include <stdbool.h>
#include <stdint.h>

#include "cimic/util.h"

struct store;

struct report_list {
	char **lines;       /* owned */
	size_t n;
	long more;          /* lines left out past REPORT_MAX_LISTED */
};

struct report_place {
	char *oblast;       /* owned; NULL when the gazetteer does not know */
	char *settlement;   /* owned; NULL when the incident names none */
	long count;
};

struct report_data {
	struct store *st;
	int64_t since, now;
	const char *unit;
	bool markdown;
	long created, updated;
	long by_type[32];                 /* indexed like codes_incident_type */
	long long killed, injured, displaced, affected;
	/* incidents of the period that left each count unreported: unknown, never 0 */
	long killed_unknown, injured_unknown, displaced_unknown, affected_unknown;
	struct report_place *places;      /* owned */
	size_t nplaces;
	unsigned char (*engaged)[CIMIC_ID_BYTES];   /* owned: contact ids */
	size_t nengaged;
	struct report_list high, followups, contacts;
	long conflicts;
};

void report_write(const struct report_data *d, struct buf *out);
void report_data_finish(struct report_data *d);

#endif
