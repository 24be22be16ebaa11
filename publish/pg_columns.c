/*
 * pg_columns.c - the columns of cimic.contacts, cimic.incidents and
 * cimic.links, derived from the model's field tables.
 *
 * Columns are named as `--json` names the fields (`id`, `title`,
 * `when`, `archived`, `tag`...), so a query reads like the JSON an
 * analyst already knows; a code field is followed by its labels
 * (`type_en`, `type_uk`), a location by `lat` and `lon`.  Then what the
 * store knows of the record: `created`, `updated` (times of its first and
 * last op), `unit` and `unit_key` (who created it), `conflicts` (fields in
 * open conflict), and its version: `ops` (ops held for it) and `digest`
 * (of its replicated content).  The table itself adds `geom` (the point,
 * EPSG:4326, lon/lat), `hq`, `hq_unit` and `published` (who wrote the row
 * there, and when).  A field added to cimic later becomes a column at the
 * next run (pg_schema.c adds what is missing).
 */
#include <stdio.h>
#include <string.h>

#include "publish_private.h"

const char *
pg_table(enum model_kind kind)
{
	switch (kind) {
	case MODEL_CONTACT: return "contacts";
	case MODEL_INCIDENT: return "incidents";
	case MODEL_LINK: return "links";
	}
	return "?";
}

bool
pg_has_geom(enum model_kind kind)
{
	return kind != MODEL_LINK;
}

static const char *
type_of(enum model_ftype t)
{
	switch (t) {
	case FT_INT: return "bigint";
	case FT_TIME: return "timestamptz";
	case FT_FLAG: return "boolean";
	default: return "text";
	}
}

static void
add(struct pg_column *out, size_t *n, const char *name, const char *suffix, const char *type,
    enum pg_source source, size_t field)
{
	struct pg_column *c = &out[(*n)++];

	snprintf(c->name, sizeof c->name, "%s%s", name, suffix);
	c->type = type;
	c->source = source;
	c->field = field;
}

size_t
pg_columns(enum model_kind kind, struct pg_column *out)
{
	size_t nf, n = 0;
	const struct model_field *f = model_fields(kind, &nf);

	add(out, &n, "id", "", "text", PGC_ID, 0);
	for (size_t i = 0; i < nf; i++) {
		add(out, &n, f[i].name, "", type_of(f[i].type), PGC_FIELD, i);
		if (f[i].type == FT_CODE) {
			add(out, &n, f[i].name, "_en", "text", PGC_LABEL_EN, i);
			add(out, &n, f[i].name, "_uk", "text", PGC_LABEL_UK, i);
		}
		if (f[i].type == FT_LOCATION) {
			add(out, &n, "lat", "", "double precision", PGC_LAT, i);
			add(out, &n, "lon", "", "double precision", PGC_LON, i);
		}
	}
	add(out, &n, "created", "", "timestamptz", PGC_CREATED, 0);
	add(out, &n, "updated", "", "timestamptz", PGC_UPDATED, 0);
	add(out, &n, "unit", "", "text", PGC_UNIT, 0);
	add(out, &n, "unit_key", "", "text", PGC_UNIT_KEY, 0);
	add(out, &n, "conflicts", "", "integer", PGC_CONFLICTS, 0);
	add(out, &n, "ops", "", "bigint", PGC_OPS, 0);
	add(out, &n, "digest", "", "bytea", PGC_DIGEST, 0);
	return n;
}
