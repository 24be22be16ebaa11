/*
 * formats.c - the entry points of import and export: pick the reader or
 * writer for a format and run an import in one op-log transaction.
 *
 * Reading happens entirely before the transaction starts, so a file
 * that does not parse touches nothing; a row the model refuses aborts
 * the transaction, so a file imports completely or not at all.
 */
#include <stdio.h>
#include <string.h>

#include "cimic/gazetteer.h"
#include "cimic/i18n.h"
#include "cimic/oplog.h"
#include "io.h"

enum formats_kind
formats_kind_parse(const char *name)
{
	static const struct { const char *name; enum formats_kind kind; } names[] = {
		{ "csv", FORMAT_CSV }, { "hxl", FORMAT_HXL }, { "geojson", FORMAT_GEOJSON },
		{ "vcard", FORMAT_VCARD }, { "vcf", FORMAT_VCARD }, { "json", FORMAT_JSON },
		{ "geonames", FORMAT_GEONAMES },
	};

	for (size_t i = 0; name && i < sizeof names / sizeof names[0]; i++)
		if (strcmp(name, names[i].name) == 0)
			return names[i].kind;
	return 0;
}

int
formats_export(struct store *st, const struct formats_export_opts *o, struct buf *out,
	       struct cimic_error *err)
{
	cimic_error_clear(err);
	switch (o->format) {
	case FORMAT_CSV:
	case FORMAT_HXL:
		return io_export_table(st, o, out, err);
	case FORMAT_JSON:
		return io_export_json(st, o, out, err);
	case FORMAT_GEOJSON:
		return io_export_geojson(st, o, out, err);
	case FORMAT_VCARD:
		return io_export_vcard(st, o, out, err);
	case FORMAT_GEONAMES:
		break;
	}
	return cimic_error_set(err, CIMIC_EUSAGE, _("cannot export in that format"));
}

/* All the rows of one import, whatever the format. */
struct formats_batch {
	struct io_rows contacts, incidents, links;
};

static int
formats_read(const struct formats_import_opts *o, const char *data, size_t len,
	     struct formats_batch *b, struct cimic_error *err)
{
	if (len > FORMATS_MAX_INPUT)
		return cimic_error_set(err, CIMIC_EDATA, _("line 1: file larger than %u MiB"),
				       FORMATS_MAX_INPUT >> 20);
	switch (o->format) {
	case FORMAT_CSV:
		return io_read_csv(data, len, o->what, &b->contacts, err);
	case FORMAT_HXL:
		return io_read_hxl(data, len, o->what, &b->contacts, err);
	case FORMAT_VCARD:
		return io_read_vcard(data, len, &b->contacts, err);
	case FORMAT_JSON:
		return io_read_json(data, len, &b->contacts, &b->incidents, &b->links, err);
	default:
		return cimic_error_set(err, CIMIC_EUSAGE, _("cannot import that format"));
	}
}

static void
formats_report_ignored(struct formats_import_report *rep, struct formats_batch *b)
{
	struct io_rows *all[] = { &b->contacts, &b->incidents };
	size_t used = 0;

	rep->ignored[0] = '\0';
	for (size_t i = 0; i < 2; i++) {
		if (all[i]->ignored.len == 0)
			continue;
		snprintf(rep->ignored + used, sizeof rep->ignored - used, "%s%s", used ? ", " : "",
			 buf_cstr(&all[i]->ignored));
		used = strlen(rep->ignored);
	}
}

static int
formats_write(struct store *st, const struct formats_import_opts *o, struct formats_batch *b,
	      struct formats_import_report *rep, struct cimic_error *err)
{
	struct oplog_txn *txn;

	if (oplog_begin(st, &txn, err) != 0)
		return -1;
	if (io_apply(txn, &b->contacts, o->now_ms, rep, err) != 0 ||
	    io_apply(txn, &b->incidents, o->now_ms, rep, err) != 0 ||
	    io_apply_links(txn, &b->links, rep, err) != 0) {
		oplog_abort(txn);
		return -1;
	}
	if (oplog_txn_ops(txn) == 0) {
		oplog_abort(txn);   /* nothing new: no empty entry in the log */
		return 0;
	}
	return oplog_commit(txn, err);
}

int
formats_import(struct store *st, const struct formats_import_opts *o, const char *data,
	       size_t len, struct formats_import_report *rep, struct cimic_error *err)
{
	struct formats_batch b;
	int rc;

	memset(rep, 0, sizeof *rep);
	cimic_error_clear(err);
	if (o->format == FORMAT_GEONAMES) {
		struct gazetteer_import_stats gs;
		rc = gazetteer_import(st, data, len, &gs, err);
		rep->created = gs.rows;
		return rc;
	}
	io_rows_init(&b.contacts, MODEL_CONTACT);
	io_rows_init(&b.incidents, MODEL_INCIDENT);
	io_rows_init(&b.links, MODEL_LINK);
	rc = formats_read(o, data, len, &b, err);
	if (rc == 0) {
		rep->what = b.contacts.n ? b.contacts.kind : b.incidents.n ? MODEL_INCIDENT
									     : b.contacts.kind;
		formats_report_ignored(rep, &b);
		rc = formats_write(st, o, &b, rep, err);
	}
	io_rows_finish(&b.contacts);
	io_rows_finish(&b.incidents);
	io_rows_finish(&b.links);
	return rc;
}
