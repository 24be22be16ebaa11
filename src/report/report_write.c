/*
 * report_write.c - laying out a SITREP as text or Markdown.
 *
 * Plain text keeps to short lines that survive radio-chat and e-mail;
 * Markdown uses headings and lists.  Numbers are integers; times are
 * DTGs (English month letters under every locale) with Kyiv local time
 * beside the period.
 */
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

#include "cimic/codes.h"
#include "cimic/i18n.h"
#include "cimic/timefmt.h"
#include "report_private.h"

static void
report_heading(const struct report_data *d, struct buf *out, int number, const char *title)
{
	if (d->markdown)
		buf_printf(out, "\n## %d. %s\n\n", number, title);
	else
		buf_printf(out, "\n%d. %s\n", number, title);
}

static void
report_item(const struct report_data *d, struct buf *out, const char *text)
{
	buf_printf(out, d->markdown ? "- %s\n" : "   - %s\n", text);
}

/* A count: the sum of those reported, and how many incidents did not say (never printed as 0). */
static void
report_value(const struct report_data *d, struct buf *out, const char *label, long long n, long unknown)
{
	long total = d->created + d->updated;
	char value[160];

	if (unknown >= total && total > 0)
		snprintf(value, sizeof value, "%s", _("unknown (not reported)"));
	else if (unknown > 0)
		snprintf(value, sizeof value, P_("%lld (not reported for %ld incident)",
						 "%lld (not reported for %ld incidents)", unknown), n, unknown);
	else
		snprintf(value, sizeof value, "%lld", n);
	if (d->markdown)
		buf_printf(out, "- **%s:** %s\n", label, value);
	else
		buf_printf(out, "   %s: %s\n", label, value);
}

static void
report_none(const struct report_data *d, struct buf *out)
{
	report_item(d, out, _("none"));
}

static void
report_header(const struct report_data *d, struct buf *out)
{
	char now_dtg[24], since_dtg[24], now_local[40], since_local[40];

	timefmt_dtg(d->now, now_dtg, sizeof now_dtg);
	timefmt_dtg(d->since, since_dtg, sizeof since_dtg);
	timefmt_local(d->now, now_local, sizeof now_local);
	timefmt_local(d->since, since_local, sizeof since_local);
	if (d->markdown) {
		buf_printf(out, "# %s %s\n\n", _("SITREP"), now_dtg);
		buf_printf(out, "- **%s:** %s\n", _("Unit"), d->unit);
		buf_printf(out, "- **%s:** %s – %s (%s – %s)\n", _("Period"), since_dtg, now_dtg,
			   since_local, now_local);
	} else {
		buf_printf(out, "%s %s\n", _("SITREP"), now_dtg);
		buf_printf(out, "%s: %s\n", _("Unit"), d->unit);
		buf_printf(out, "%s: %s – %s (%s – %s)\n", _("Period"), since_dtg, now_dtg, since_local,
			   now_local);
	}
}

static void
report_by_type(const struct report_data *d, struct buf *out)
{
	const struct code_list *types = &codes_incident_type;
	char *line;

	for (size_t i = 0; i < types->count && i < 32; i++) {
		if (d->by_type[i] == 0)
			continue;
		line = util_aprintf("%s: %ld", codes_label(types, types->items[i].code), d->by_type[i]);
		if (line)
			report_item(d, out, line);
		free(line);
	}
}

static int
report_place_cmp(const void *a, const void *b)
{
	const struct report_place *x = a, *y = b;
	int c = strcmp(x->oblast ? x->oblast : "\x7f", y->oblast ? y->oblast : "\x7f");

	if (c != 0)
		return c;
	if (x->count != y->count)
		return x->count < y->count ? 1 : -1;
	return strcmp(x->settlement ? x->settlement : "", y->settlement ? y->settlement : "");
}

static void
report_by_place(const struct report_data *d, struct buf *out)
{
	struct report_place *sorted = malloc(d->nplaces * sizeof *sorted + 1);
	char *line;

	if (sorted == NULL)
		return;
	memcpy(sorted, d->places, d->nplaces * sizeof *sorted);
	qsort(sorted, d->nplaces, sizeof *sorted, report_place_cmp);
	for (size_t i = 0; i < d->nplaces; i++) {
		const struct report_place *p = &sorted[i];
		line = util_aprintf("%s / %s: %ld", p->oblast ? p->oblast : _("oblast unknown"),
				    p->settlement ? p->settlement : _("no settlement given"), p->count);
		if (line)
			report_item(d, out, line);
		free(line);
	}
	free(sorted);
}

static void
report_incidents(const struct report_data *d, struct buf *out)
{
	report_heading(d, out, 1, _("New and updated incidents"));
	if (d->created + d->updated == 0) {
		report_item(d, out, _("NO CHANGE"));
		return;
	}
	buf_adds(out, d->markdown ? "" : "   ");
	buf_printf(out, P_("%ld new incident", "%ld new incidents", d->created), d->created);
	buf_adds(out, ", ");
	buf_printf(out, P_("%ld updated", "%ld updated", d->updated), d->updated);
	buf_adds(out, d->markdown ? "\n\n" : "\n");
	buf_printf(out, d->markdown ? "**%s**\n\n" : "   %s\n", _("By type:"));
	report_by_type(d, out);
	buf_printf(out, d->markdown ? "\n**%s**\n\n" : "   %s\n", _("By oblast / settlement:"));
	report_by_place(d, out);
}

static void
report_casualties(const struct report_data *d, struct buf *out)
{
	report_heading(d, out, 2, _("Casualties and displacement"));
	report_value(d, out, _("Killed"), d->killed, d->killed_unknown);
	report_value(d, out, _("Injured"), d->injured, d->injured_unknown);
	report_value(d, out, _("Displaced"), d->displaced, d->displaced_unknown);
	report_value(d, out, _("Affected"), d->affected, d->affected_unknown);
}

static void
report_list(const struct report_data *d, struct buf *out, const struct report_list *l)
{
	char *more;

	if (l->n == 0)
		report_none(d, out);
	for (size_t i = 0; i < l->n; i++)
		report_item(d, out, l->lines[i]);
	if (l->more == 0)
		return;
	more = util_aprintf(P_("and %ld more", "and %ld more", l->more), l->more);
	if (more)
		report_item(d, out, more);
	free(more);
}

void
report_write(const struct report_data *d, struct buf *out)
{
	report_header(d, out);
	report_incidents(d, out);
	report_casualties(d, out);
	report_heading(d, out, 3, _("Open high-severity incidents"));
	report_list(d, out, &d->high);
	report_heading(d, out, 4, _("Contacts engaged"));
	report_list(d, out, &d->contacts);
	report_heading(d, out, 5, _("Follow-ups due"));
	report_list(d, out, &d->followups);
	report_heading(d, out, 6, _("Conflicts pending"));
	if (d->conflicts == 0) {
		report_none(d, out);
	} else {
		char *line = util_aprintf(P_("%ld field in conflict: run 'cimic conflicts'",
					     "%ld fields in conflict: run 'cimic conflicts'",
					     d->conflicts), d->conflicts);
		if (line)
			report_item(d, out, line);
		free(line);
	}
}
