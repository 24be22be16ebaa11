/*
 * io_geojson.c - records with a location as an RFC 7946
 * FeatureCollection.
 *
 * Positions are [longitude, latitude] in WGS84 (RFC 7946 3.1.1), copied
 * from the canonical "lat,lon" text so the digits are the stored ones and
 * the decimal separator is '.' whatever LC_NUMERIC says.  Records without
 * a location have no geometry and are left out (RFC 7946 allows null
 * geometry, but map tools drop or misplace such features).  Properties
 * carry the fields by name, codes as codes, times as ISO 8601 UTC.
 */
#include <string.h>

#include "cimic/i18n.h"
#include "io.h"

struct io_geo_out {
	struct buf *out;
	bool first;
	long skipped;
};

static void
io_geo_properties(struct buf *out, const struct model_record *rec)
{
	size_t n;
	const struct model_field *f = model_fields(rec->kind, &n);
	char when[48];

	buf_printf(out, "\"properties\": {\"kind\": \"%s\"", model_kind_name(rec->kind));
	for (size_t i = 0; i < n; i++) {
		const struct model_value *v = &rec->v[i];
		if (v->type == MV_NULL || f[i].type == FT_LOCATION || f[i].type == FT_REF)
			continue;
		buf_adds(out, ", ");
		buf_json_str(out, f[i].name);
		buf_adds(out, ": ");
		if (f[i].type == FT_TIME) {
			io_iso(v->i, when, sizeof when);
			buf_json_str(out, when);
		} else if (f[i].type == FT_FLAG) {
			buf_adds(out, v->i ? "true" : "false");
		} else if (v->type == MV_INT) {
			buf_printf(out, "%lld", (long long)v->i);
		} else {
			buf_json_str(out, v->s);
		}
	}
	buf_adds(out, "}");
}

static int
io_geo_feature(const struct model_record *rec, void *arg)
{
	struct io_geo_out *x = arg;
	const struct model_value *loc = model_record_get(rec, "location");
	const char *comma = loc && loc->type == MV_TEXT ? strchr(loc->s, ',') : NULL;
	char hex[CIMIC_ID_HEX];

	if (comma == NULL) {
		x->skipped++;
		return 0;
	}
	util_hex(rec->id, CIMIC_ID_BYTES, hex);
	buf_printf(x->out, "%s\n    {\"type\": \"Feature\", \"id\": \"%s\", ", x->first ? "" : ",", hex);
	buf_printf(x->out, "\"geometry\": {\"type\": \"Point\", \"coordinates\": [%s, %.*s]}, ",
		   comma + 1, (int)(comma - loc->s), loc->s);
	io_geo_properties(x->out, rec);
	buf_addc(x->out, '}');
	x->first = false;
	return 0;
}

int
io_export_geojson(struct store *st, const struct formats_export_opts *o, struct buf *out,
			struct cimic_error *err)
{
	struct io_geo_out x = { out, true, 0 };
	enum model_kind kinds[2] = { MODEL_INCIDENT, MODEL_CONTACT };

	buf_adds(out, "{\n  \"type\": \"FeatureCollection\",\n  \"features\": [");
	for (size_t k = 0; k < 2; k++) {
		struct model_query q = { .kind = kinds[k], .include_archived = o->include_archived,
					 .sort = SORT_OLDEST };
		if (o->what && o->what != kinds[k])
			continue;
		if (model_list(st, &q, io_geo_feature, &x, err) != 0)
			return -1;
	}
	buf_adds(out, x.first ? "]\n}\n" : "\n  ]\n}\n");
	return out->failed ? cimic_error_set(err, CIMIC_EFAIL, _("out of memory")) : 0;
}
