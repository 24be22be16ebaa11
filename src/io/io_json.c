/*
 * io_json.c - everything as one JSON document, and back.
 *
 *   {"format": "cimic-export", "version": 1, "exported": "...Z",
 *    "contacts": [{"id": "<32 hex>", "name": ..., "archived": false, ...}],
 *    "incidents": [...], "links": [{"id", "incident", "contact", "archived"}]}
 *
 * Keys are the field names of model_fields(); times are ISO 8601 UTC
 * with milliseconds when they have any, counts are JSON integers, the
 * location is the canonical "lat,lon" text (and lat/lon numbers copied
 * from it for readers).  Import reads the same keys and ignores the
 * rest (created, updated, unit, lat, lon are the store's business).
 */
#include <stdio.h>
#include <string.h>

#include "cimic/i18n.h"
#include "cimic/timefmt.h"
#include "io.h"

struct io_json_out {
	struct buf *out;
	bool first;
};

static void
io_json_value(struct buf *out, const struct model_field *f, const struct model_value *v)
{
	char buf[48];

	if (v->type == MV_NULL) {
		buf_adds(out, "null");
	} else if (f->type == FT_TIME) {
		io_iso(v->i, buf, sizeof buf);
		buf_json_str(out, buf);
	} else if (f->type == FT_FLAG) {
		buf_adds(out, v->i ? "true" : "false");
	} else if (v->type == MV_INT) {
		buf_printf(out, "%lld", (long long)v->i);
	} else {
		buf_json_str(out, v->s);
	}
}

static int
io_json_record(const struct model_record *rec, void *arg)
{
	struct io_json_out *x = arg;
	size_t n;
	const struct model_field *f = model_fields(rec->kind, &n);
	const struct model_value *loc = rec->kind == MODEL_LINK ? NULL
							      : model_record_get(rec, "location");
	char hex[CIMIC_ID_HEX], when[48];

	util_hex(rec->id, CIMIC_ID_BYTES, hex);
	buf_printf(x->out, "%s\n    {\"id\": \"%s\"", x->first ? "" : ",", hex);
	x->first = false;
	for (size_t i = 0; i < n; i++) {
		buf_adds(x->out, ", ");
		buf_json_str(x->out, f[i].name);
		buf_adds(x->out, ": ");
		io_json_value(x->out, &f[i], &rec->v[i]);
	}
	if (loc && loc->type == MV_TEXT && strchr(loc->s, ','))
		buf_printf(x->out, ", \"lat\": %.*s, \"lon\": %s", (int)(strchr(loc->s, ',') - loc->s),
			   loc->s, strchr(loc->s, ',') + 1);
	io_iso(rec->created_ms, when, sizeof when);
	buf_adds(x->out, ", \"created\": ");
	buf_json_str(x->out, when);
	io_iso(rec->updated_ms, when, sizeof when);
	buf_adds(x->out, ", \"updated\": ");
	buf_json_str(x->out, when);
	buf_adds(x->out, ", \"unit\": ");
	buf_json_str(x->out, rec->author_unit);
	buf_addc(x->out, '}');
	return 0;
}

static int
io_json_list(struct store *st, enum model_kind kind, bool archived, struct buf *out,
		   struct cimic_error *err)
{
	struct io_json_out x = { out, true };
	struct model_query q = { .kind = kind, .include_archived = archived, .sort = SORT_OLDEST };

	if (kind == MODEL_LINK)
		q.sort = SORT_UPDATED;   /* links have no name or time of their own */
	buf_printf(out, ",\n  \"%ss\": [", model_kind_name(kind));
	if (model_list(st, &q, io_json_record, &x, err) != 0)
		return -1;
	buf_adds(out, x.first ? "]" : "\n  ]");
	return 0;
}

int
io_export_json(struct store *st, const struct formats_export_opts *o, struct buf *out,
		     struct cimic_error *err)
{
	char now[48];

	io_iso(timefmt_now_ms(), now, sizeof now);
	buf_printf(out, "{\n  \"format\": \"cimic-export\",\n  \"version\": 1,\n  \"exported\": \"%s\"",
		   now);
	if ((o->what == 0 || o->what == MODEL_CONTACT) &&
	    io_json_list(st, MODEL_CONTACT, o->include_archived, out, err) != 0)
		return -1;
	if ((o->what == 0 || o->what == MODEL_INCIDENT) &&
	    io_json_list(st, MODEL_INCIDENT, o->include_archived, out, err) != 0)
		return -1;
	if (o->what == 0 && io_json_list(st, MODEL_LINK, o->include_archived, out, err) != 0)
		return -1;
	buf_adds(out, "\n}\n");
	return out->failed ? cimic_error_set(err, CIMIC_EFAIL, _("out of memory")) : 0;
}

/* ---- reading ---- */

static int
io_json_slot(struct io_row *row, int slot, const struct json_value *v,
		   struct cimic_error *err)
{
	switch (v->type) {
	case JSON_NULL:
		return io_row_set(row, slot, "", 0, err);
	case JSON_BOOL:
		return io_row_set(row, slot, v->b ? "1" : "0", 1, err);
	case JSON_NUMBER:
	case JSON_STRING:
		return io_row_set(row, slot, v->s, strlen(v->s), err);
	default:
		return cimic_error_set(err, CIMIC_EDATA, _("line %zu: a field value must be text, a "
				       "number, true, false or null"), v->line);
	}
}

static int
io_json_object(const struct json_value *obj, struct io_rows *rs, struct cimic_error *err)
{
	struct io_row *row;

	if (obj->type != JSON_OBJECT)
		return cimic_error_set(err, CIMIC_EDATA, _("line %zu: expected a record object"),
				       obj->line);
	row = io_rows_add(rs, obj->line, err);
	if (row == NULL)
		return -1;
	for (size_t i = 0; i < obj->n; i++) {
		const char *key = obj->keys[i];
		int slot = strcmp(key, "id") == 0 ? SLOT_ID : model_record_index(rs->kind, key);
		if (slot < 0) {
			if (model_field_by_name(rs->kind, key) == NULL && strcmp(key, "lat") &&
			    strcmp(key, "lon") && strcmp(key, "created") && strcmp(key, "updated") &&
			    strcmp(key, "unit") && strcmp(key, "kind") && strcmp(key, "conflicts"))
				io_ignore(rs, key);
			continue;
		}
		if (io_json_slot(row, slot, &obj->items[i], err) != 0)
			return -1;
	}
	return 0;
}

static int
io_json_array(const struct json_value *doc, const char *key, struct io_rows *rs,
		    struct cimic_error *err)
{
	const struct json_value *arr = json_get(doc, key);

	if (arr == NULL)
		return 0;
	if (arr->type != JSON_ARRAY)
		return cimic_error_set(err, CIMIC_EDATA, _("line %zu: \"%s\" must be an array"),
				       arr->line, key);
	for (size_t i = 0; i < arr->n; i++)
		if (io_json_object(&arr->items[i], rs, err) != 0)
			return -1;
	return 0;
}

int
io_read_json(const char *data, size_t len, struct io_rows *contacts,
		   struct io_rows *incidents, struct io_rows *links,
		   struct cimic_error *err)
{
	struct json_value doc;
	const struct json_value *format;
	int rc = -1;

	if (json_parse(data, len, &doc, err) != 0)
		return -1;
	format = json_get(&doc, "format");
	if (format == NULL || format->type != JSON_STRING || strcmp(format->s, "cimic-export") != 0) {
		cimic_error_set(err, CIMIC_EDATA, _("line %zu: not a cimic export (no \"format\": "
				"\"cimic-export\")"), doc.line);
		goto out;
	}
	if (io_json_array(&doc, "contacts", contacts, err) == 0 &&
	    io_json_array(&doc, "incidents", incidents, err) == 0 &&
	    io_json_array(&doc, "links", links, err) == 0)
		rc = 0;
out:
	json_value_finish(&doc);
	return rc;
}
