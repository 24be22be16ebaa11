/*
 * model.c - writing records as ops, and reading the materialised tables.
 *
 * All SQL that reads contacts, incidents and links lives here.  Column
 * lists come from the field tables, so a new field is one line in
 * model_fields.c and one column in the schema.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "cimic/i18n.h"
#include "cimic/model.h"
#include "cimic/oplog.h"
#include "cimic/timefmt.h"
#include "store_private.h"

/* ---- writing ---- */

static int
fill_defaults(struct model_change *c, int64_t now, struct cimic_error *err)
{
	static const struct { enum model_kind kind; const char *field, *value; } defs[] = {
		{ MODEL_INCIDENT, "type", "other" },
		{ MODEL_INCIDENT, "status", "reported" },
		{ MODEL_CONTACT, "category", "other" },
	};
	int i;

	for (size_t k = 0; k < sizeof defs / sizeof defs[0]; k++) {
		if (defs[k].kind != c->kind)
			continue;
		i = model_record_index(c->kind, defs[k].field);
		if ((!c->set[i] || c->v[i].type == MV_NULL) &&
		    model_change_parse(c, defs[k].field, defs[k].value, now, err) != 0)
			return -1;
	}
	if (c->kind == MODEL_INCIDENT) {
		i = model_record_index(c->kind, "when");
		if (!c->set[i] || c->v[i].type == MV_NULL) {
			model_value_finish(&c->v[i]);
			c->v[i].type = MV_INT;
			c->v[i].i = now;
			c->set[i] = true;
		}
	}
	return 0;
}

static int
check_required(const struct model_change *c, struct cimic_error *err)
{
	const char *req = c->kind == MODEL_CONTACT ? "name" : c->kind == MODEL_INCIDENT ? "title" : NULL;
	int i;

	if (req == NULL)
		return 0;
	i = model_record_index(c->kind, req);
	if (!c->set[i] || c->v[i].type == MV_NULL || c->v[i].s[0] == '\0')
		return cimic_error_set(err, CIMIC_EUSAGE, _("a %s needs --%s"), model_kind_name(c->kind),
				       req);
	return 0;
}

int
model_create(struct oplog_txn *txn, const struct model_change *c, unsigned char id[CIMIC_ID_BYTES],
	     struct cimic_error *err)
{
	struct model_change full;
	size_t n;
	const struct model_field *f = model_fields(c->kind, &n);
	int rc = -1;

	model_change_init(&full, c->kind);
	for (size_t i = 0; i < n; i++) {
		full.set[i] = c->set[i];
		full.v[i] = c->v[i];
		if (c->v[i].type == MV_TEXT && (full.v[i].s = util_strdup(c->v[i].s)) == NULL) {
			cimic_error_set(err, CIMIC_EFAIL, _("out of memory"));
			goto out;
		}
	}
	if (fill_defaults(&full, timefmt_now_ms(), err) != 0 || check_required(&full, err) != 0)
		goto out;
	util_new_id(id);
	for (size_t i = 0; i < n; i++)
		if (full.set[i] && oplog_set_new(txn, c->kind, id, f[i].id, &full.v[i], err) != 0)
			goto out;
	rc = 0;
out:
	model_change_finish(&full);
	return rc;
}

int
model_update(struct oplog_txn *txn, const unsigned char id[CIMIC_ID_BYTES],
	     const struct model_change *c, struct cimic_error *err)
{
	struct model_record rec;
	size_t n;
	const struct model_field *f = model_fields(c->kind, &n);

	model_record_init(&rec, c->kind);
	if (oplog_prepare_read(txn, id, err) != 0 ||
	    model_get(oplog_txn_store(txn), c->kind, id, &rec, err) != 0)
		return -1;
	model_record_finish(&rec);
	for (size_t i = 0; i < n; i++) {
		if (!c->set[i])
			continue;
		if ((c->kind == MODEL_CONTACT && f[i].id == CF_NAME) ||
		    (c->kind == MODEL_INCIDENT && f[i].id == IF_TITLE)) {
			if (c->v[i].type == MV_NULL)
				return cimic_error_set(err, CIMIC_EDATA, _("%s cannot be empty"),
						       f[i].name);
		}
		if (oplog_set(txn, c->kind, id, f[i].id, &c->v[i], err) != 0)
			return -1;
	}
	return 0;
}

int
model_archive(struct oplog_txn *txn, enum model_kind kind, const unsigned char id[CIMIC_ID_BYTES],
	      bool archived, struct cimic_error *err)
{
	struct model_value v = { MV_INT, archived ? 1 : 0, NULL };
	struct model_record rec;
	unsigned field = kind == MODEL_CONTACT ? CF_ARCHIVED : kind == MODEL_INCIDENT ? IF_ARCHIVED
										      : LF_ARCHIVED;

	model_record_init(&rec, kind);
	if (oplog_prepare_read(txn, id, err) != 0 ||
	    model_get(oplog_txn_store(txn), kind, id, &rec, err) != 0)
		return -1;
	model_record_finish(&rec);
	return oplog_set(txn, kind, id, field, &v, err);
}

/* Link rows have a derived id, so two units linking one pair make one row. */
void
model_link_id(const unsigned char incident[CIMIC_ID_BYTES],
	      const unsigned char contact[CIMIC_ID_BYTES], unsigned char out[CIMIC_ID_BYTES])
{
	crypto_generichash_state h;

	crypto_generichash_init(&h, (const unsigned char *)"cimic-link", 10, CIMIC_ID_BYTES);
	crypto_generichash_update(&h, incident, CIMIC_ID_BYTES);
	crypto_generichash_update(&h, contact, CIMIC_ID_BYTES);
	crypto_generichash_final(&h, out, CIMIC_ID_BYTES);
}

static int
set_ref(struct oplog_txn *txn, unsigned tbl, const unsigned char row[CIMIC_ID_BYTES], unsigned field,
	const unsigned char ref[CIMIC_ID_BYTES], struct cimic_error *err)
{
	char hex[CIMIC_ID_HEX];
	struct model_value v = { MV_TEXT, 0, hex };

	util_hex(ref, CIMIC_ID_BYTES, hex);
	return oplog_set(txn, tbl, row, field, &v, err);
}

int
model_link(struct oplog_txn *txn, const unsigned char incident[CIMIC_ID_BYTES],
	   const unsigned char contact[CIMIC_ID_BYTES], bool on, struct cimic_error *err)
{
	struct store *st = oplog_txn_store(txn);
	struct model_record rec;
	struct model_value arch = { MV_INT, on ? 0 : 1, NULL };
	unsigned char id[CIMIC_ID_BYTES];

	model_record_init(&rec, MODEL_INCIDENT);
	if (oplog_prepare_read(txn, incident, err) != 0 || oplog_prepare_read(txn, contact, err) != 0 ||
	    model_get(st, MODEL_INCIDENT, incident, &rec, err) != 0)
		return -1;
	model_record_finish(&rec);
	model_record_init(&rec, MODEL_CONTACT);
	if (model_get(st, MODEL_CONTACT, contact, &rec, err) != 0)
		return -1;
	model_record_finish(&rec);
	model_link_id(incident, contact, id);
	if (!on) {
		model_record_init(&rec, MODEL_LINK);
		if (model_get(st, MODEL_LINK, id, &rec, err) != 0)
			return cimic_error_set(err, CIMIC_ENOINPUT, _("these records are not linked"));
		model_record_finish(&rec);
	}
	if (set_ref(txn, TBL_LINK, id, LF_INCIDENT, incident, err) != 0 ||
	    set_ref(txn, TBL_LINK, id, LF_CONTACT, contact, err) != 0)
		return -1;
	return oplog_set(txn, TBL_LINK, id, LF_ARCHIVED, &arch, err);
}

int
model_link_new(struct oplog_txn *txn, const unsigned char incident[CIMIC_ID_BYTES],
	       const unsigned char contact[CIMIC_ID_BYTES], struct cimic_error *err)
{
	char a[CIMIC_ID_HEX], b[CIMIC_ID_HEX];
	struct model_value vi = { MV_TEXT, 0, a }, vc = { MV_TEXT, 0, b }, on = { MV_INT, 0, NULL };
	unsigned char id[CIMIC_ID_BYTES];

	util_hex(incident, CIMIC_ID_BYTES, a);
	util_hex(contact, CIMIC_ID_BYTES, b);
	model_link_id(incident, contact, id);
	if (oplog_set_new(txn, TBL_LINK, id, LF_INCIDENT, &vi, err) != 0 ||
	    oplog_set_new(txn, TBL_LINK, id, LF_CONTACT, &vc, err) != 0)
		return -1;
	return oplog_set_new(txn, TBL_LINK, id, LF_ARCHIVED, &on, err);
}

static unsigned
merged_field(enum model_kind kind)
{
	return kind == MODEL_CONTACT ? CF_MERGED_INTO : IF_MERGED_INTO;
}

int
model_merge_record(struct oplog_txn *txn, enum model_kind kind,
		   const unsigned char loser[CIMIC_ID_BYTES],
		   const unsigned char winner[CIMIC_ID_BYTES], struct cimic_error *err)
{
	struct store *st = oplog_txn_store(txn);
	struct model_record rec;
	bool merged;

	if (kind != MODEL_CONTACT && kind != MODEL_INCIDENT)
		return cimic_error_set(err, CIMIC_EUSAGE, _("only contacts and incidents merge"));
	if (memcmp(loser, winner, CIMIC_ID_BYTES) == 0)
		return cimic_error_set(err, CIMIC_EUSAGE, _("cannot merge a record into itself"));
	model_record_init(&rec, kind);
	if (oplog_prepare_read(txn, winner, err) != 0 || oplog_prepare_read(txn, loser, err) != 0 ||
	    model_get(st, kind, winner, &rec, err) != 0)
		return -1;
	merged = rec.merged;
	model_record_finish(&rec);
	if (merged)
		return cimic_error_set(err, CIMIC_EDATA,
				       _("the surviving record is itself merged into another"));
	model_record_init(&rec, kind);
	if (model_get(st, kind, loser, &rec, err) != 0)
		return -1;
	merged = rec.merged;
	model_record_finish(&rec);
	if (merged)
		return cimic_error_set(err, CIMIC_EDATA,
				       _("this record is already merged (unmerge it first)"));
	return set_ref(txn, (unsigned)kind, loser, merged_field(kind), winner, err);
}

int
model_unmerge_record(struct oplog_txn *txn, enum model_kind kind,
		     const unsigned char loser[CIMIC_ID_BYTES], struct cimic_error *err)
{
	struct model_record rec;
	struct model_value none = { MV_NULL, 0, NULL };
	bool merged;

	if (kind != MODEL_CONTACT && kind != MODEL_INCIDENT)
		return cimic_error_set(err, CIMIC_EUSAGE, _("only contacts and incidents merge"));
	model_record_init(&rec, kind);
	if (oplog_prepare_read(txn, loser, err) != 0 ||
	    model_get(oplog_txn_store(txn), kind, loser, &rec, err) != 0)
		return -1;
	merged = rec.merged;
	model_record_finish(&rec);
	if (!merged)
		return cimic_error_set(err, CIMIC_EDATA, _("this record is not merged"));
	return oplog_set(txn, (unsigned)kind, loser, merged_field(kind), &none, err);
}
