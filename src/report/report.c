/*
 * report.c - the SITREP.
 *
 * One pass over the incidents changed in the period gathers counts by
 * type and place and the casualty totals; a pass over all open
 * incidents finds the high-severity ones and the follow-ups due; the
 * contacts engaged are those changed in the period or linked to an
 * incident that was.  report_write.c lays the result out as plain text
 * (radio and chat friendly) or Markdown.
 */
#include <stdlib.h>
#include <string.h>

#include "cimic/codes.h"
#include "cimic/gazetteer.h"
#include "cimic/i18n.h"
#include "cimic/model.h"
#include "cimic/oplog.h"
#include "cimic/report.h"
#include "cimic/store.h"
#include "cimic/timefmt.h"
#include "report_private.h"

static int
report_list_add(struct report_list *l, char *line)
{
	char **grown;

	if (line == NULL)
		return -1;
	if (l->n >= REPORT_MAX_LISTED) {
		l->more++;
		free(line);
		return 0;
	}
	grown = realloc(l->lines, (l->n + 1) * sizeof *grown);
	if (grown == NULL) {
		free(line);
		return -1;
	}
	l->lines = grown;
	l->lines[l->n++] = line;
	return 0;
}

static void
report_list_finish(struct report_list *l)
{
	for (size_t i = 0; i < l->n; i++)
		free(l->lines[i]);
	free(l->lines);
	memset(l, 0, sizeof *l);
}

void
report_data_finish(struct report_data *d)
{
	report_list_finish(&d->high);
	report_list_finish(&d->followups);
	report_list_finish(&d->contacts);
	for (size_t i = 0; i < d->nplaces; i++) {
		free(d->places[i].oblast);
		free(d->places[i].settlement);
	}
	free(d->places);
	free(d->engaged);
}

static const char *
report_text(const struct model_record *rec, const char *name)
{
	const struct model_value *v = model_record_get(rec, name);

	return v && v->type == MV_TEXT ? v->s : NULL;
}

static int64_t
report_int(const struct model_record *rec, const char *name)
{
	const struct model_value *v = model_record_get(rec, name);

	return v && v->type == MV_INT ? v->i : 0;
}

/* Adds a count that was reported; counts the incidents that left it unset. */
static void
report_count(const struct model_record *rec, const char *name, long long *sum, long *unknown)
{
	const struct model_value *v = model_record_get(rec, name);

	if (v && v->type == MV_INT)
		*sum += v->i;
	else
		(*unknown)++;
}

static bool
report_open(const struct model_record *rec)
{
	const char *status = report_text(rec, "status");

	return status == NULL || (strcmp(status, "resolved") != 0 && strcmp(status, "closed") != 0);
}

/* Oblast of a settlement from the gazetteer, or NULL when unknown or ambiguous. */
static char *
report_oblast(struct store *st, const char *settlement)
{
	struct gazetteer_place p;
	struct cimic_error err;

	if (gazetteer_best(st, settlement, &p, &err) != 1)
		return NULL;
	return util_strdup(p.admin1);
}

/* "Куп'янськ", "Купʼянськ" and "Kupiansk" are one place (gazetteer keys). */
static bool
report_same_place(const char *a, const char *b)
{
	char *ka = gazetteer_key(a), *kb = gazetteer_key(b);
	bool same = ka && kb && ka[0] ? strcmp(ka, kb) == 0 : strcmp(a, b) == 0;

	free(ka);
	free(kb);
	return same;
}

static int
report_count_place(struct report_data *d, const struct model_record *rec)
{
	const char *settlement = report_text(rec, "settlement");
	struct report_place *grown;
	char *oblast;

	for (size_t i = 0; i < d->nplaces; i++) {
		const char *s = d->places[i].settlement;
		if ((s == NULL && settlement == NULL) || (s && settlement && report_same_place(s, settlement))) {
			d->places[i].count++;
			return 0;
		}
	}
	grown = realloc(d->places, (d->nplaces + 1) * sizeof *grown);
	if (grown == NULL)
		return -1;
	d->places = grown;
	oblast = settlement ? report_oblast(d->st, settlement) : NULL;
	d->places[d->nplaces] = (struct report_place){ oblast,
						      settlement ? util_strdup(settlement) : NULL, 1 };
	d->nplaces++;
	return 0;
}

static int
report_engage(struct report_data *d, const unsigned char id[CIMIC_ID_BYTES])
{
	unsigned char (*grown)[CIMIC_ID_BYTES];

	for (size_t i = 0; i < d->nengaged; i++)
		if (memcmp(d->engaged[i], id, CIMIC_ID_BYTES) == 0)
			return 0;
	grown = realloc(d->engaged, (d->nengaged + 1) * sizeof *grown);
	if (grown == NULL)
		return -1;
	d->engaged = grown;
	memcpy(d->engaged[d->nengaged++], id, CIMIC_ID_BYTES);
	return 0;
}

static int
report_linked_contact(const struct model_record *rec, void *arg)
{
	return report_engage(arg, rec->id);
}

/* An incident changed in the period. */
static int
report_changed(const struct model_record *rec, void *arg)
{
	struct report_data *d = arg;
	const struct code_list *types = &codes_incident_type;
	const char *type = report_text(rec, "type");
	struct cimic_error err;

	if (rec->created_ms >= d->since)
		d->created++;
	else
		d->updated++;
	for (size_t i = 0; i < types->count; i++)
		if (type && strcmp(type, types->items[i].code) == 0)
			d->by_type[i]++;
	report_count(rec, "killed", &d->killed, &d->killed_unknown);
	report_count(rec, "injured", &d->injured, &d->injured_unknown);
	report_count(rec, "displaced", &d->displaced, &d->displaced_unknown);
	report_count(rec, "affected", &d->affected, &d->affected_unknown);
	if (report_count_place(d, rec) != 0)
		return -1;
	return model_linked(d->st, MODEL_INCIDENT, rec->id, report_linked_contact, d, &err);
}

/* "241330ZNOV26  [4] title — settlement (status)" */
static char *
report_incident_line(const struct model_record *rec, int64_t when)
{
	const char *settlement = report_text(rec, "settlement");
	const char *status = report_text(rec, "status");
	char dtg[24];

	timefmt_dtg(when, dtg, sizeof dtg);
	return util_aprintf("%s  [%lld] %s%s%s (%s)", dtg, (long long)report_int(rec, "severity"),
			    report_text(rec, "title"), settlement ? " — " : "",
			    settlement ? settlement : "",
			    codes_label(&codes_incident_status, status ? status : "reported"));
}

/* Any open incident: high severity, follow-up due. */
static int
report_open_incident(const struct model_record *rec, void *arg)
{
	struct report_data *d = arg;
	int64_t followup = report_int(rec, "followup");
	char *line;

	if (!report_open(rec))
		return 0;
	if (report_int(rec, "severity") >= REPORT_HIGH_SEVERITY &&
	    report_list_add(&d->high, report_incident_line(rec, report_int(rec, "when"))) != 0)
		return -1;
	if (followup == 0 || followup > d->now + REPORT_FOLLOWUP_AHEAD_MS)
		return 0;
	line = report_incident_line(rec, followup);
	if (line && followup < d->now) {
		char *overdue = util_aprintf("%s — %s", line, _("overdue"));
		free(line);
		line = overdue;
	}
	return report_list_add(&d->followups, line);
}

static int
report_changed_contact(const struct model_record *rec, void *arg)
{
	return report_engage(arg, rec->id);
}

static int
report_contact_lines(struct report_data *d, struct cimic_error *err)
{
	for (size_t i = 0; i < d->nengaged; i++) {
		struct model_record rec;
		const char *org, *cat;
		model_record_init(&rec, MODEL_CONTACT);
		if (model_get(d->st, MODEL_CONTACT, d->engaged[i], &rec, err) != 0)
			continue;   /* archived or merged since */
		org = report_text(&rec, "org");
		cat = report_text(&rec, "category");
		if (report_list_add(&d->contacts, util_aprintf("%s%s%s (%s)", report_text(&rec, "name"),
				    org ? " — " : "", org ? org : "",
				    codes_label(&codes_contact_category, cat ? cat : "other"))) != 0) {
			model_record_finish(&rec);
			return cimic_error_set(err, CIMIC_EFAIL, _("out of memory"));
		}
		model_record_finish(&rec);
	}
	return 0;
}

static int
report_collect(struct report_data *d, struct cimic_error *err)
{
	struct model_query changed = { .kind = MODEL_INCIDENT, .updated_since_ms = d->since,
				       .sort = SORT_NEWEST };
	struct model_query open = { .kind = MODEL_INCIDENT, .sort = SORT_NEWEST };
	struct model_query contacts = { .kind = MODEL_CONTACT, .updated_since_ms = d->since,
					.sort = SORT_NAME };

	cimic_error_clear(err);
	if (model_list(d->st, &changed, report_changed, d, err) != 0 ||
	    model_list(d->st, &open, report_open_incident, d, err) != 0 ||
	    model_list(d->st, &contacts, report_changed_contact, d, err) != 0 ||
	    report_contact_lines(d, err) != 0) {
		if (err->msg[0] == '\0')
			cimic_error_set(err, CIMIC_EFAIL, _("out of memory"));
		return -1;
	}
	d->conflicts = oplog_conflict_count(d->st);
	return 0;
}

int
report_sitrep(struct store *st, const struct report_opts *o, struct buf *out,
	      struct cimic_error *err)
{
	struct report_data d;
	int rc;

	memset(&d, 0, sizeof d);
	d.st = st;
	d.now = o->now_ms ? o->now_ms : timefmt_now_ms();
	d.since = o->since_ms ? o->since_ms : d.now - 24LL * 3600 * 1000;
	d.unit = store_identity(st)->pub.unit;
	d.markdown = o->format == REPORT_MARKDOWN;
	rc = report_collect(&d, err);
	if (rc == 0)
		report_write(&d, out);
	report_data_finish(&d);
	if (rc == 0 && out->failed)
		rc = cimic_error_set(err, CIMIC_EFAIL, _("out of memory"));
	return rc;
}
