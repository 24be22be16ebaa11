/*
 * io_map.c - which column, header and HXL hashtag each field is.
 *
 * One table per kind drives CSV and HXL export (column order, header,
 * hashtag) and import (header names and hashtag patterns).  Hashtags
 * follow the HXL 1.1 dictionary where it has a fit (#date+occurred,
 * #geo+lat, #adm1+name, #affected+killed, #contact+phone, #org) and the
 * #x_ convention for custom ones (#x_mgrs, #x_reliability).  On import a
 * column matches a pattern when the tags are equal and the pattern's
 * attributes are a subset of the column's, whatever their order or case;
 * the pattern with the most attributes wins, so "#org+type" is the
 * category and "#org+es" the organisation.  Derived columns (created,
 * updated, unit) are written for readers but never read back.
 *
 * The source reference: "#meta+id" is the record id, a cimic one (32 hex
 * digits) or the source's own; "#meta+source+id" (CSV "source_id") is
 * the source's id where a cimic id is in "#meta+id", and "#meta+source"
 * names the source only beside it (alone it is the origin of the
 * information in other files, not the system whose ids these are).
 */
#include <stdlib.h>
#include <string.h>

#include "cimic/i18n.h"
#include "io.h"


/* slot values below are resolved at run time from the field name */
struct io_map {
	const char *name;
	const char *hxl;
	bool derived;
};

static const struct io_map contact_map[] = {
	{ "id", "#meta+id", false },
	{ "name", "#contact+name", false },
	{ "org", "#org+name", false },
	{ "position", "#contact+position", false },
	{ "category", "#org+type", false },
	{ "phone", "#contact+phone", false },
	{ "email", "#contact+email", false },
	{ "radio", "#contact+radio", false },
	{ "address", "#contact+address", false },
	{ "settlement", "#loc+name", false },
	{ "lat", "#geo+lat", false },
	{ "lon", "#geo+lon", false },
	{ "mgrs", "#x_mgrs", false },
	{ "notes", "#description", false },
	{ "tag", "#meta+tags", false },
	{ "source", "#meta+source", false },
	{ "source_id", "#meta+source+id", false },
	{ "archived", "#x_archived", false },
	{ "created", "#date+created", true },
	{ "updated", "#date+updated", true },
	{ "unit", "#meta+x_unit", true },
};

static const struct io_map incident_map[] = {
	{ "id", "#meta+id", false },
	{ "title", "#event+name", false },
	{ "type", "#event+type", false },
	{ "severity", "#severity", false },
	{ "status", "#status", false },
	{ "when", "#date+occurred", false },
	{ "reported", "#date+reported", false },
	{ "lat", "#geo+lat", false },
	{ "lon", "#geo+lon", false },
	{ "mgrs", "#x_mgrs", false },
	{ "settlement", "#loc+name", false },
	{ "oblast", "#adm1+name", false },
	{ "oblast_code", "#adm1+code", false },
	{ "raion", "#adm2+name", false },
	{ "raion_code", "#adm2+code", false },
	{ "description", "#description", false },
	{ "killed", "#affected+killed", false },
	{ "injured", "#affected+injured", false },
	{ "displaced", "#affected+displaced", false },
	{ "affected", "#affected", false },
	{ "reliability", "#x_reliability", false },
	{ "credibility", "#x_credibility", false },
	{ "followup", "#date+followup", false },
	{ "org", "#org+name", false },
	{ "sector", "#sector", false },
	{ "url", "#meta+url", false },
	{ "source", "#meta+source", false },
	{ "source_id", "#meta+source+id", false },
	{ "archived", "#x_archived", false },
	{ "created", "#date+created", true },
	{ "updated", "#date+updated", true },
	{ "unit", "#meta+x_unit", true },
};

/* Import-only patterns: common spellings in other people's files. */
static const struct io_map contact_extra[] = {
	{ "org", "#org", false },
	{ "name", "#contact", false },
	{ "category", "#sector", false },
	{ "coord", "#geo+coord", false },
	{ "settlement", "#loc", false },
};

static const struct io_map incident_extra[] = {
	{ "title", "#event", false },
	{ "id", "#event+id", false },
	{ "when", "#date", false },
	{ "coord", "#geo+coord", false },
	{ "settlement", "#loc", false },
	{ "settlement", "#adm4+name", false },
	{ "oblast", "#adm1", false },
	{ "raion", "#adm2", false },
	{ "killed", "#affected+dead", false },
	{ "injured", "#affected+wounded", false },
	{ "displaced", "#affected+idps", false },
	{ "org", "#org", false },
	{ "contact_name", "#contact", false },
	{ "contact_name", "#contact+name", false },
	{ "contact_phone", "#contact+phone", false },
	{ "contact_email", "#contact+email", false },
};

#define COUNT(a) (sizeof a / sizeof a[0])

static const struct io_map *
io_map_of(enum model_kind kind, size_t *n, bool extra)
{
	if (kind == MODEL_CONTACT) {
		*n = extra ? COUNT(contact_extra) : COUNT(contact_map);
		return extra ? contact_extra : contact_map;
	}
	if (kind == MODEL_INCIDENT) {
		*n = extra ? COUNT(incident_extra) : COUNT(incident_map);
		return extra ? incident_extra : incident_map;
	}
	*n = 0;
	return NULL;
}

static int
io_slot_of(enum model_kind kind, const struct io_map *m)
{
	if (m->derived)
		return SLOT_DERIVED;
	if (strcmp(m->name, "id") == 0)
		return SLOT_ID;
	if (strcmp(m->name, "lat") == 0)
		return SLOT_LAT;
	if (strcmp(m->name, "lon") == 0)
		return SLOT_LON;
	if (strcmp(m->name, "mgrs") == 0)
		return SLOT_MGRS;
	if (strcmp(m->name, "coord") == 0)
		return SLOT_COORD;
	if (strcmp(m->name, "contact_name") == 0)
		return SLOT_CONTACT_NAME;
	if (strcmp(m->name, "contact_phone") == 0)
		return SLOT_CONTACT_PHONE;
	if (strcmp(m->name, "contact_email") == 0)
		return SLOT_CONTACT_EMAIL;
	return model_record_index(kind, m->name);
}

const struct io_column *
io_columns(enum model_kind kind, size_t *n)
{
	static struct io_column contact_cols[COUNT(contact_map)];
	static struct io_column incident_cols[COUNT(incident_map)];
	struct io_column *cols = kind == MODEL_CONTACT ? contact_cols : incident_cols;
	const struct io_map *m = io_map_of(kind, n, false);

	if (m == NULL)
		return NULL;
	for (size_t i = 0; i < *n; i++) {
		cols[i].name = m[i].name;
		cols[i].hxl = m[i].hxl;
		cols[i].slot = io_slot_of(kind, &m[i]);
	}
	return cols;
}

int
io_slot_by_name(enum model_kind kind, const char *name)
{
	size_t n;
	const struct io_map *m = io_map_of(kind, &n, false);

	for (size_t i = 0; i < n; i++)
		if (strcmp(m[i].name, name) == 0)
			return io_slot_of(kind, &m[i]);
	m = io_map_of(kind, &n, true);
	for (size_t i = 0; i < n; i++)
		if (strcmp(m[i].name, name) == 0)
			return io_slot_of(kind, &m[i]);
	if (kind == MODEL_CONTACT && strcmp(name, "tags") == 0)
		return model_record_index(kind, "tag");
	/* "location" in other files is as often a place name as a position */
	if (strcmp(name, "location") == 0)
		return SLOT_COORD;
	return SLOT_NONE;
}

static void
io_try(enum model_kind kind, const struct io_map *m, size_t n,
	     const struct hxl_tagspec *spec, int *best, int *weight)
{
	struct hxl_tagspec pattern;

	for (size_t i = 0; i < n; i++) {
		if (!hxl_tagspec_parse(m[i].hxl, &pattern) || !hxl_tagspec_match(&pattern, spec))
			continue;
		if ((int)pattern.nattrs + 1 > *weight) {
			*weight = (int)pattern.nattrs + 1;
			*best = io_slot_of(kind, &m[i]);
		}
	}
}

int
io_slot_by_tag(enum model_kind kind, const struct hxl_tagspec *spec, int *weight)
{
	size_t n = 0;
	int best = SLOT_NONE;
	const struct io_map *m = io_map_of(kind, &n, false);

	*weight = 0;
	io_try(kind, m, n, spec, &best, weight);
	m = io_map_of(kind, &n, true);
	io_try(kind, m, n, spec, &best, weight);
	return best;
}
