/*
 * io_apply.c - rows read from a file become records.
 *
 * Each row is matched to a record already in the store before anything
 * is written, so importing a file twice creates nothing new:
 *  - a row with an id matches the record with that id; when there is
 *    none, the record is created with that id (round trips keep ids);
 *  - a row without an id matches on a fingerprint: for contacts the
 *    folded name and the last 9 digits of the phone (so +380 67... and
 *    067... meet), for incidents the folded title, the time to the
 *    minute and the location.
 * A matched record is updated with the file's values; only values that
 * differ become ops, so an unchanged re-import writes none.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "cimic/i18n.h"
#include "cimic/oplog.h"
#include "cimic/search.h"
#include "io.h"

#define FINGERPRINT_BYTES 16

struct io_known {
	unsigned char fp[FINGERPRINT_BYTES];
	unsigned char id[CIMIC_ID_BYTES];
};

struct io_index {
	struct io_known *items;
	size_t n, cap;
};

/* Appends the last 9 digits of a phone number. */
static void
io_phone_tail(crypto_generichash_state *h, const char *phone)
{
	char digits[16];
	size_t n = 0;

	for (const char *p = phone; *p; p++) {
		if (*p < '0' || *p > '9')
			continue;
		if (n == 9)
			memmove(digits, digits + 1, --n);
		digits[n++] = *p;
	}
	crypto_generichash_update(h, (const unsigned char *)digits, n);
}

static void
io_hash_text(crypto_generichash_state *h, const struct model_value *v, bool fold)
{
	char *folded = v->type == MV_TEXT && fold ? search_fold(v->s) : NULL;
	const char *s = folded ? folded : v->type == MV_TEXT ? v->s : "";

	crypto_generichash_update(h, (const unsigned char *)s, strlen(s) + 1);
	free(folded);
}

/* Fingerprint of values indexed like model_fields(kind). */
static void
io_fingerprint(enum model_kind kind, const struct model_value *v,
		     unsigned char fp[FINGERPRINT_BYTES])
{
	crypto_generichash_state h;
	unsigned char when[8] = { 0 };

	crypto_generichash_init(&h, (const unsigned char *)"cimic-import-fp", 15, FINGERPRINT_BYTES);
	if (kind == MODEL_CONTACT) {
		const struct model_value *phone = &v[model_record_index(kind, "phone")];
		io_hash_text(&h, &v[model_record_index(kind, "name")], true);
		io_phone_tail(&h, phone->type == MV_TEXT ? phone->s : "");
	} else {
		const struct model_value *t = &v[model_record_index(kind, "when")];
		int64_t minute = t->type == MV_INT ? t->i / 60000 : 0;
		for (int i = 0; i < 8; i++)
			when[i] = (unsigned char)((uint64_t)minute >> (8 * i));
		io_hash_text(&h, &v[model_record_index(kind, "title")], true);
		crypto_generichash_update(&h, when, sizeof when);
		io_hash_text(&h, &v[model_record_index(kind, "location")], false);
	}
	crypto_generichash_final(&h, fp, FINGERPRINT_BYTES);
}

static int
io_index_add(struct io_index *ix, const unsigned char fp[FINGERPRINT_BYTES],
		   const unsigned char id[CIMIC_ID_BYTES])
{
	if (ix->n == ix->cap) {
		size_t cap = ix->cap ? ix->cap * 2 : 256;
		struct io_known *grown = realloc(ix->items, cap * sizeof *grown);
		if (grown == NULL)
			return -1;
		ix->items = grown;
		ix->cap = cap;
	}
	memcpy(ix->items[ix->n].fp, fp, FINGERPRINT_BYTES);
	memcpy(ix->items[ix->n].id, id, CIMIC_ID_BYTES);
	ix->n++;
	return 0;
}

static const unsigned char *
io_index_find(const struct io_index *ix, const unsigned char fp[FINGERPRINT_BYTES])
{
	for (size_t i = 0; i < ix->n; i++)
		if (memcmp(ix->items[i].fp, fp, FINGERPRINT_BYTES) == 0)
			return ix->items[i].id;
	return NULL;
}

static int
io_index_record(const struct model_record *rec, void *arg)
{
	unsigned char fp[FINGERPRINT_BYTES];

	io_fingerprint(rec->kind, rec->v, fp);
	return io_index_add(arg, fp, rec->id) == 0 ? 0 : -1;
}

static int
io_index_build(struct store *st, enum model_kind kind, struct io_index *ix,
		     struct cimic_error *err)
{
	struct model_query q = { .kind = kind, .include_archived = true, .include_merged = true };
	int rc = model_list(st, &q, io_index_record, ix, err);

	if (rc == -1 && err->msg[0] == '\0')
		return cimic_error_set(err, CIMIC_EFAIL, _("out of memory"));
	return rc;
}

/* Creates a record with a chosen id: model_create's defaults, then one op per value. */
static int
io_create(struct oplog_txn *txn, struct model_change *c, const unsigned char id[CIMIC_ID_BYTES],
		int64_t now_ms, struct cimic_error *err)
{
	static const struct { enum model_kind kind; const char *field, *value; } defaults[] = {
		{ MODEL_INCIDENT, "type", "other" },
		{ MODEL_INCIDENT, "status", "reported" },
		{ MODEL_CONTACT, "category", "other" },
	};
	size_t n;
	const struct model_field *f = model_fields(c->kind, &n);

	for (size_t k = 0; k < sizeof defaults / sizeof defaults[0]; k++) {
		int i = model_record_index(c->kind, defaults[k].field);
		if (defaults[k].kind == c->kind && c->v[i].type == MV_NULL &&
		    model_change_parse(c, defaults[k].field, defaults[k].value, now_ms, err) != 0)
			return -1;
	}
	if (c->kind == MODEL_INCIDENT) {
		int i = model_record_index(c->kind, "when");
		if (c->v[i].type == MV_NULL) {
			c->v[i].type = MV_INT;
			c->v[i].i = now_ms;
			c->set[i] = true;
		}
	}
	for (size_t i = 0; i < n; i++)
		if (c->set[i] && c->v[i].type != MV_NULL &&
		    oplog_set_new(txn, c->kind, id, f[i].id, &c->v[i],
				  err) != 0)
			return -1;
	return 0;
}

/* Does a record with this id exist (reading through the transaction)? */
static int
io_exists(struct oplog_txn *txn, enum model_kind kind, const unsigned char id[CIMIC_ID_BYTES],
		bool *exists, struct cimic_error *err)
{
	struct model_record rec;
	struct cimic_error quiet;

	*exists = false;
	if (oplog_prepare_read(txn, id, err) != 0)
		return -1;
	model_record_init(&rec, kind);
	if (model_get(oplog_txn_store(txn), kind, id, &rec, &quiet) == 0)
		*exists = true;
	else if (quiet.code != CIMIC_ENOINPUT)
		return cimic_error_set(err, quiet.code, "%s", quiet.msg);
	model_record_finish(&rec);
	return 0;
}

static int
io_write(struct oplog_txn *txn, struct model_change *c, const unsigned char id[CIMIC_ID_BYTES],
	       bool exists, int64_t now_ms, struct formats_import_report *rep,
	       struct cimic_error *err)
{
	size_t before = oplog_txn_ops(txn);

	if (!exists) {
		if (io_create(txn, c, id, now_ms, err) != 0)
			return -1;
		rep->created++;
		return 0;
	}
	if (model_update(txn, id, c, err) != 0)
		return -1;
	if (oplog_txn_ops(txn) != before)
		rep->updated++;
	else
		rep->unchanged++;
	return 0;
}

static int
io_row(struct oplog_txn *txn, struct io_rows *rs, struct io_row *row,
	     struct io_index *ix, int64_t now_ms, struct formats_import_report *rep,
	     struct cimic_error *err);

int
io_apply(struct oplog_txn *txn, struct io_rows *rs, int64_t now_ms,
	       struct formats_import_report *rep, struct cimic_error *err)
{
	struct io_index ix = { 0 };
	int rc;

	rc = io_index_build(oplog_txn_store(txn), rs->kind, &ix, err);
	for (size_t i = 0; rc == 0 && i < rs->n; i++)
		rc = io_row(txn, rs, &rs->rows[i], &ix, now_ms, rep, err);
	free(ix.items);
	return rc;
}

static int
io_row(struct oplog_txn *txn, struct io_rows *rs, struct io_row *row,
	     struct io_index *ix, int64_t now_ms, struct formats_import_report *rep,
	     struct cimic_error *err)
{
	struct model_change c;
	unsigned char id[CIMIC_ID_BYTES], fp[FINGERPRINT_BYTES];
	const unsigned char *known;
	bool has_id, exists = false;
	int rc = -1;

	model_change_init(&c, rs->kind);
	if (io_change(rs->kind, row, now_ms, &c, &has_id, id, err) != 0)
		goto out;
	io_fingerprint(rs->kind, c.v, fp);
	if (has_id) {
		if (io_exists(txn, rs->kind, id, &exists, err) != 0)
			goto out;
	} else if ((known = io_index_find(ix, fp)) != NULL) {
		memcpy(id, known, CIMIC_ID_BYTES);
		exists = true;
	} else {
		util_new_id(id);
	}
	if (io_write(txn, &c, id, exists, now_ms, rep, err) != 0)
		goto out;
	if (!exists && io_index_add(ix, fp, id) != 0) {
		cimic_error_set(err, CIMIC_EFAIL, _("out of memory"));
		goto out;
	}
	rc = 0;
out:
	if (rc != 0 && strncmp(err->msg, "line ", 5) != 0)
		cimic_error_prefix(err, _("line %zu"), row->line);
	if (rc != 0 && err->code != CIMIC_EFAIL && err->code != CIMIC_EIO)
		err->code = CIMIC_EDATA;
	model_change_finish(&c);
	return rc;
}

int
io_apply_links(struct oplog_txn *txn, struct io_rows *links,
		     struct formats_import_report *rep, struct cimic_error *err)
{
	int inc = model_record_index(MODEL_LINK, "incident");
	int con = model_record_index(MODEL_LINK, "contact");
	int arch = model_record_index(MODEL_LINK, "archived");

	for (size_t i = 0; i < links->n; i++) {
		struct io_row *row = &links->rows[i];
		unsigned char a[CIMIC_ID_BYTES], b[CIMIC_ID_BYTES];
		bool on = row->slot[arch] == NULL || strcmp(row->slot[arch], "1") != 0;
		if (!row->slot[inc] || !row->slot[con] || !util_unhex(row->slot[inc], a, sizeof a) ||
		    !util_unhex(row->slot[con], b, sizeof b))
			return cimic_error_set(err, CIMIC_EDATA,
					       _("line %zu: a link needs an incident and a contact id"),
					       row->line);
		if (model_link(txn, a, b, on, err) != 0) {
			if (!on && err->code == CIMIC_ENOINPUT)
				continue;   /* an unlinked pair that was never linked here */
			cimic_error_prefix(err, _("line %zu"), row->line);
			err->code = err->code == CIMIC_ENOINPUT ? CIMIC_EDATA : err->code;
			return -1;
		}
	}
	(void)rep;
	return 0;
}
