/*
 * model_fields.c - the field tables of contacts, incidents and links,
 * and the parsing and display of field values.
 *
 * Field ids are part of the op-log format; names are the CLI flags, the
 * JSON keys and the CSV columns, so they are stable too.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cimic/geo.h"
#include "cimic/i18n.h"
#include "cimic/model.h"
#include "cimic/timefmt.h"

#define TEXT_MAX 1024
#define LONG_MAX_BYTES 16384
#define COUNT_MAX 100000000

static const struct model_field contact_fields[] = {
	{ "name", CF_NAME, FT_TEXT, "name", N_("Name"), NULL, 0, TEXT_MAX, true },
	{ "org", CF_ORG, FT_TEXT, "org", N_("Organisation"), NULL, 0, TEXT_MAX, true },
	{ "position", CF_POSITION, FT_TEXT, "position", N_("Position"), NULL, 0, TEXT_MAX, true },
	{ "category", CF_CATEGORY, FT_CODE, "category", N_("Category"), &codes_contact_category, 0, 0, true },
	{ "phone", CF_PHONE, FT_TEXT, "phone", N_("Phone"), NULL, 0, 256, true },
	{ "email", CF_EMAIL, FT_TEXT, "email", N_("E-mail"), NULL, 0, 256, true },
	{ "radio", CF_RADIO, FT_TEXT, "radio", N_("Radio"), NULL, 0, 256, true },
	{ "address", CF_ADDRESS, FT_TEXT, "address", N_("Address"), NULL, 0, TEXT_MAX, true },
	{ "settlement", CF_SETTLEMENT, FT_TEXT, "settlement", N_("Settlement"), NULL, 0, 256, true },
	{ "location", CF_LOCATION, FT_LOCATION, "location", N_("Location"), NULL, 0, 0, true },
	{ "notes", CF_NOTES, FT_LONGTEXT, "notes", N_("Notes"), NULL, 0, LONG_MAX_BYTES, true },
	{ "tag", CF_TAGS, FT_TEXT, "tags", N_("Tags"), NULL, 0, TEXT_MAX, true },
	{ "source", CF_SOURCE, FT_TEXT, "source", N_("Source"), NULL, 0, 256, false },
	{ "source_id", CF_SOURCE_ID, FT_TEXT, "source_id", N_("Id at the source"), NULL, 0, 256, false },
	{ "distinct_from", CF_DISTINCT_FROM, FT_TEXT, "distinct_from", N_("Not the same as"), NULL, 0,
	  LONG_MAX_BYTES, false },
	{ "archived", CF_ARCHIVED, FT_FLAG, "archived", N_("Archived"), NULL, 0, 1, false },
	{ "merged_into", CF_MERGED_INTO, FT_REF, "merged_into", N_("Merged into"), NULL, 0, 0, false },
};

static const struct model_field incident_fields[] = {
	{ "title", IF_TITLE, FT_TEXT, "title", N_("Title"), NULL, 0, TEXT_MAX, true },
	{ "type", IF_TYPE, FT_CODE, "type", N_("Type"), &codes_incident_type, 0, 0, true },
	{ "severity", IF_SEVERITY, FT_INT, "severity", N_("Severity"), NULL, 1, 5, true },
	{ "status", IF_STATUS, FT_CODE, "status", N_("Status"), &codes_incident_status, 0, 0, true },
	{ "when", IF_WHEN, FT_TIME, "occurred", N_("When"), NULL, 0, 0, true },
	{ "location", IF_LOCATION, FT_LOCATION, "location", N_("Location"), NULL, 0, 0, true },
	{ "settlement", IF_SETTLEMENT, FT_TEXT, "settlement", N_("Settlement"), NULL, 0, 256, true },
	{ "description", IF_DESCRIPTION, FT_LONGTEXT, "description", N_("Description"), NULL, 0,
	  LONG_MAX_BYTES, true },
	{ "killed", IF_KILLED, FT_INT, "killed", N_("Killed"), NULL, 0, COUNT_MAX, true },
	{ "injured", IF_INJURED, FT_INT, "injured", N_("Injured"), NULL, 0, COUNT_MAX, true },
	{ "displaced", IF_DISPLACED, FT_INT, "displaced", N_("Displaced"), NULL, 0, COUNT_MAX, true },
	{ "affected", IF_AFFECTED, FT_INT, "affected", N_("Affected"), NULL, 0, COUNT_MAX, true },
	{ "reliability", IF_RELIABILITY, FT_RELIABILITY, "reliability", N_("Source reliability"),
	  NULL, 0, 0, true },
	{ "credibility", IF_CREDIBILITY, FT_CREDIBILITY, "credibility", N_("Information credibility"),
	  NULL, 0, 0, true },
	{ "followup", IF_FOLLOWUP, FT_TIME, "followup", N_("Follow-up due"), NULL, 0, 0, true },
	{ "org", IF_ORG, FT_TEXT, "org", N_("Organisation"), NULL, 0, TEXT_MAX, false },
	{ "sector", IF_SECTOR, FT_TEXT, "sector", N_("Sector"), NULL, 0, 256, false },
	{ "url", IF_URL, FT_TEXT, "url", N_("Link"), NULL, 0, TEXT_MAX, false },
	{ "oblast", IF_OBLAST, FT_TEXT, "oblast", N_("Oblast"), NULL, 0, 256, false },
	{ "oblast_code", IF_OBLAST_CODE, FT_TEXT, "oblast_code", N_("Oblast P-code"), NULL, 0, 64, false },
	{ "raion", IF_RAION, FT_TEXT, "raion", N_("Raion"), NULL, 0, 256, false },
	{ "raion_code", IF_RAION_CODE, FT_TEXT, "raion_code", N_("Raion P-code"), NULL, 0, 64, false },
	{ "reported", IF_REPORTED, FT_TIME, "reported", N_("Reported"), NULL, 0, 0, false },
	{ "source", IF_SOURCE, FT_TEXT, "source", N_("Source"), NULL, 0, 256, false },
	{ "source_id", IF_SOURCE_ID, FT_TEXT, "source_id", N_("Id at the source"), NULL, 0, 256, false },
	{ "distinct_from", IF_DISTINCT_FROM, FT_TEXT, "distinct_from", N_("Not the same as"), NULL, 0,
	  LONG_MAX_BYTES, false },
	{ "archived", IF_ARCHIVED, FT_FLAG, "archived", N_("Archived"), NULL, 0, 1, false },
	{ "merged_into", IF_MERGED_INTO, FT_REF, "merged_into", N_("Merged into"), NULL, 0, 0, false },
};

static const struct model_field link_fields[] = {
	{ "incident", LF_INCIDENT, FT_REF, "incident", N_("Incident"), NULL, 0, 0, false },
	{ "contact", LF_CONTACT, FT_REF, "contact", N_("Contact"), NULL, 0, 0, false },
	{ "archived", LF_ARCHIVED, FT_FLAG, "archived", N_("Archived"), NULL, 0, 1, false },
};

#define COUNT(a) (sizeof a / sizeof a[0])

const struct model_field *
model_fields(enum model_kind kind, size_t *n)
{
	switch (kind) {
	case MODEL_CONTACT: *n = COUNT(contact_fields); return contact_fields;
	case MODEL_INCIDENT: *n = COUNT(incident_fields); return incident_fields;
	case MODEL_LINK: *n = COUNT(link_fields); return link_fields;
	}
	*n = 0;
	return NULL;
}

const struct model_field *
model_field_by_name(enum model_kind kind, const char *name)
{
	size_t n;
	const struct model_field *f = model_fields(kind, &n);

	for (size_t i = 0; i < n; i++)
		if (strcmp(f[i].name, name) == 0)
			return &f[i];
	if (kind == MODEL_CONTACT && strcmp(name, "tags") == 0)
		return model_field_by_name(kind, "tag");
	return NULL;
}

const struct model_field *
model_field_by_id(enum model_kind kind, unsigned id)
{
	size_t n;
	const struct model_field *f = model_fields(kind, &n);

	for (size_t i = 0; i < n; i++)
		if (f[i].id == id)
			return &f[i];
	return NULL;
}

int
model_record_index(enum model_kind kind, const char *name)
{
	size_t n;
	const struct model_field *f = model_fields(kind, &n);
	const struct model_field *x = model_field_by_name(kind, name);

	return x ? (int)(x - f) : -1;
}

const char *
model_kind_name(enum model_kind kind)
{
	switch (kind) {
	case MODEL_CONTACT: return "contact";
	case MODEL_INCIDENT: return "incident";
	case MODEL_LINK: return "link";
	}
	return "?";
}

/* Parses a non-negative decimal integer; no signs, no blanks inside. */
static bool
parse_count(const char *s, int64_t *out)
{
	int64_t v = 0;

	if (*s == '\0')
		return false;
	for (; *s; s++) {
		if (*s < '0' || *s > '9' || v > (INT64_MAX - 9) / 10)
			return false;
		v = v * 10 + (*s - '0');
	}
	*out = v;
	return true;
}

static int
parse_text(const struct model_field *f, const char *in, struct model_value *out,
	   struct cimic_error *err)
{
	size_t n = strlen(in);

	if (!util_utf8_valid(in, n))
		return cimic_error_set(err, CIMIC_EDATA, _("%s: not valid UTF-8 text"), f->name);
	if ((int64_t)n > f->max)
		return cimic_error_set(err, CIMIC_EDATA, _("%s: too long (%zu bytes, at most %lld)"),
				       f->name, n, (long long)f->max);
	if (f->type == FT_TEXT && strpbrk(in, "\n\r") != NULL)
		return cimic_error_set(err, CIMIC_EDATA, _("%s: must be a single line"), f->name);
	out->type = MV_TEXT;
	out->s = util_strdup(in);
	return out->s ? 0 : cimic_error_set(err, CIMIC_EFAIL, _("out of memory"));
}

static int
parse_code(const struct model_field *f, const char *in, struct model_value *out,
	   struct cimic_error *err)
{
	const struct code_item *it = codes_find(f->codes, in);
	char *all;

	if (it == NULL) {
		all = codes_join(f->codes);
		cimic_error_set(err, CIMIC_EDATA, _("%s: unknown value '%s' (one of: %s)"), f->name, in,
				all ? all : "");
		free(all);
		return -1;
	}
	out->type = MV_TEXT;
	out->s = util_strdup(it->code);
	return out->s ? 0 : cimic_error_set(err, CIMIC_EFAIL, _("out of memory"));
}

static int
parse_location(const struct model_field *f, const char *in, struct model_value *out,
	       struct cimic_error *err)
{
	struct geo_point p;
	char buf[64];

	if (geo_parse(in, &p, err) != 0)
		return cimic_error_prefix(err, "%s", f->name);
	geo_format_latlon(p, buf, sizeof buf);
	out->type = MV_TEXT;
	out->s = util_strdup(buf);
	return out->s ? 0 : cimic_error_set(err, CIMIC_EFAIL, _("out of memory"));
}

static int
parse_admiralty(const struct model_field *f, const char *in, struct model_value *out,
		struct cimic_error *err)
{
	char c = in[0];

	if (in[0] != '\0' && in[1] == '\0') {
		if (f->type == FT_RELIABILITY && c >= 'a' && c <= 'f')
			c = (char)(c - 'a' + 'A');
		if ((f->type == FT_RELIABILITY && c >= 'A' && c <= 'F') ||
		    (f->type == FT_CREDIBILITY && c >= '1' && c <= '6')) {
			char s[2] = { c, 0 };
			out->type = MV_TEXT;
			out->s = util_strdup(s);
			return out->s ? 0 : cimic_error_set(err, CIMIC_EFAIL, _("out of memory"));
		}
	}
	if (f->type == FT_RELIABILITY)
		return cimic_error_set(err, CIMIC_EDATA,
				       _("reliability: '%s' is not a letter A to F"), in);
	return cimic_error_set(err, CIMIC_EDATA, _("credibility: '%s' is not a digit 1 to 6"), in);
}

int
model_parse_value(const struct model_field *f, const char *input, int64_t now_ms,
		  struct model_value *out, struct cimic_error *err)
{
	int64_t v;

	memset(out, 0, sizeof *out);
	if (input == NULL || input[0] == '\0')
		return 0;
	switch (f->type) {
	case FT_TEXT:
	case FT_LONGTEXT:
		return parse_text(f, input, out, err);
	case FT_CODE:
		return parse_code(f, input, out, err);
	case FT_INT:
	case FT_FLAG:
		if (!parse_count(input, &v) || v < f->min || v > f->max)
			return cimic_error_set(err, CIMIC_EDATA,
					       _("%s: '%s' is not a whole number from %lld to %lld"),
					       f->name, input, (long long)f->min, (long long)f->max);
		out->type = MV_INT;
		out->i = v;
		return 0;
	case FT_TIME:
		if (timefmt_parse(input, now_ms, &v, err) != 0)
			return cimic_error_prefix(err, "%s", f->name);
		out->type = MV_INT;
		out->i = v;
		return 0;
	case FT_LOCATION:
		return parse_location(f, input, out, err);
	case FT_RELIABILITY:
	case FT_CREDIBILITY:
		return parse_admiralty(f, input, out, err);
	case FT_REF:
		if (strlen(input) != 2 * CIMIC_ID_BYTES) {
			return cimic_error_set(err, CIMIC_EDATA, _("%s: not a record id"), f->name);
		} else {
			unsigned char id[CIMIC_ID_BYTES];
			char hex[CIMIC_ID_HEX];
			if (!util_unhex(input, id, sizeof id))
				return cimic_error_set(err, CIMIC_EDATA, _("%s: not a record id"),
						       f->name);
			util_hex(id, sizeof id, hex);
			out->type = MV_TEXT;
			out->s = util_strdup(hex);
			return out->s ? 0 : cimic_error_set(err, CIMIC_EFAIL, _("out of memory"));
		}
	}
	return cimic_error_set(err, CIMIC_EFAIL, _("unknown field type"));
}

char *
model_value_text(const struct model_field *f, const struct model_value *v, bool labels)
{
	char buf[64];

	if (v->type == MV_NULL)
		return util_strdup("");
	if (v->type == MV_INT) {
		if (f->type == FT_TIME) {
			timefmt_dtg(v->i, buf, sizeof buf);
			return util_strdup(buf);
		}
		return util_aprintf("%lld", (long long)v->i);
	}
	if (labels && f->type == FT_CODE)
		return util_strdup(codes_label(f->codes, v->s));
	return util_strdup(v->s);
}

void
model_record_init(struct model_record *rec, enum model_kind kind)
{
	memset(rec, 0, sizeof *rec);
	rec->kind = kind;
	model_fields(kind, &rec->nfields);
}

void
model_record_finish(struct model_record *rec)
{
	if (rec == NULL)
		return;
	for (size_t i = 0; i < MODEL_MAX_FIELDS; i++)
		model_value_finish(&rec->v[i]);
}

const struct model_value *
model_record_get(const struct model_record *rec, const char *name)
{
	int i = model_record_index(rec->kind, name);

	return i < 0 ? NULL : &rec->v[i];
}

void
model_change_init(struct model_change *c, enum model_kind kind)
{
	memset(c, 0, sizeof *c);
	c->kind = kind;
}

void
model_change_finish(struct model_change *c)
{
	for (size_t i = 0; i < MODEL_MAX_FIELDS; i++)
		model_value_finish(&c->v[i]);
	memset(c->set, 0, sizeof c->set);
}

int
model_change_put(struct model_change *c, const char *name, struct model_value *v,
		 struct cimic_error *err)
{
	int i = model_record_index(c->kind, name);

	if (i < 0) {
		model_value_finish(v);
		return cimic_error_set(err, CIMIC_EUSAGE, _("no field '%s' for a %s"), name,
				       model_kind_name(c->kind));
	}
	model_value_finish(&c->v[i]);
	c->v[i] = *v;
	c->set[i] = true;
	memset(v, 0, sizeof *v);
	return 0;
}

int
model_change_parse(struct model_change *c, const char *name, const char *input, int64_t now_ms,
		   struct cimic_error *err)
{
	const struct model_field *f = model_field_by_name(c->kind, name);
	struct model_value v;

	if (f == NULL)
		return cimic_error_set(err, CIMIC_EUSAGE, _("no field '%s' for a %s"), name,
				       model_kind_name(c->kind));
	if (model_parse_value(f, input, now_ms, &v, err) != 0)
		return -1;
	return model_change_put(c, f->name, &v, err);
}
