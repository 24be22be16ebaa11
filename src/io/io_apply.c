/*
 * io_apply.c - prepared rows become records.
 *
 * Each row meets the record it stands for before anything is written:
 *  - a row with a cimic id, or with the source's own id (whose record id
 *    derives from it), is that record; when there is none, the record is
 *    created with that id (round trips keep ids; two units importing one
 *    source's file make one record);
 *  - a row without an id matches on a fingerprint: for contacts the
 *    folded name and the last 9 digits of the phone (so +380 67... and
 *    067... meet), for incidents the folded title, the time to the
 *    minute and the location.
 * A matched record gets an op only for each field whose value differs
 * from what it shows, so an unchanged row writes none (even where a
 * field is in conflict: the file says nothing new about it).  An
 * incident's contact person is found by the same contact fingerprint
 * or created, and linked once.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "cimic/i18n.h"
#include "cimic/oplog.h"
#include "cimic/search.h"
#include "io.h"

struct io_known {
	unsigned char fp[FINGERPRINT_BYTES];
	unsigned char id[CIMIC_ID_BYTES];
	bool used;
};

/* ---- fingerprints ---- */

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

void
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

/* ---- fingerprint index: open addressing on the (random) fingerprint bytes ---- */

static size_t
io_slot_of_fp(const struct io_index *ix, const unsigned char fp[FINGERPRINT_BYTES])
{
	uint64_t h;
	size_t i;

	memcpy(&h, fp, sizeof h);
	for (i = (size_t)h & (ix->cap - 1); ix->items[i].used; i = (i + 1) & (ix->cap - 1))
		if (memcmp(ix->items[i].fp, fp, FINGERPRINT_BYTES) == 0)
			break;
	return i;
}

static int
io_index_grow(struct io_index *ix)
{
	struct io_index bigger = { NULL, 0, ix->cap ? ix->cap * 2 : 1024, ix->built };

	bigger.items = calloc(bigger.cap, sizeof *bigger.items);
	if (bigger.items == NULL)
		return -1;
	for (size_t i = 0; i < ix->cap; i++)
		if (ix->items[i].used) {
			bigger.items[io_slot_of_fp(&bigger, ix->items[i].fp)] = ix->items[i];
			bigger.n++;
		}
	free(ix->items);
	*ix = bigger;
	return 0;
}

/* Adds fp -> id unless fp is known (the first record with a fingerprint keeps it). */
static int
io_index_add(struct io_index *ix, const unsigned char fp[FINGERPRINT_BYTES],
		   const unsigned char id[CIMIC_ID_BYTES])
{
	struct io_known *k;

	if ((ix->n + 1) * 10 > ix->cap * 7 && io_index_grow(ix) != 0)
		return -1;
	k = &ix->items[io_slot_of_fp(ix, fp)];
	if (!k->used) {
		memcpy(k->fp, fp, FINGERPRINT_BYTES);
		memcpy(k->id, id, CIMIC_ID_BYTES);
		k->used = true;
		ix->n++;
	}
	return 0;
}

static const unsigned char *
io_index_find(const struct io_index *ix, const unsigned char fp[FINGERPRINT_BYTES])
{
	const struct io_known *k;

	if (ix->cap == 0)
		return NULL;
	k = &ix->items[io_slot_of_fp(ix, fp)];
	return k->used ? k->id : NULL;
}

static int
io_index_record(const struct model_record *rec, void *arg)
{
	unsigned char fp[FINGERPRINT_BYTES];

	io_fingerprint(rec->kind, rec->v, fp);
	return io_index_add(arg, fp, rec->id) == 0 ? 0 : -1;
}

/* The store's fingerprints of a kind, read once on first need. */
static struct io_index *
io_index_of(struct io_writer *w, enum model_kind kind, struct cimic_error *err)
{
	struct io_index *ix = &w->fps[kind == MODEL_CONTACT ? 0 : 1];
	struct model_query q = { .kind = kind, .include_archived = true, .include_merged = true };

	if (ix->built)
		return ix;
	if (oplog_flush(w->txn, err) != 0)
		return NULL;
	if (model_list(oplog_txn_store(w->txn), &q, io_index_record, ix, err) != 0) {
		if (err->msg[0] == '\0')
			cimic_error_set(err, CIMIC_EFAIL, _("out of memory"));
		return NULL;
	}
	ix->built = true;
	return ix;
}

void
io_writer_init(struct io_writer *w, struct oplog_txn *txn,
		     const struct io_ctx *ctx, struct formats_import_report *rep)
{
	memset(w, 0, sizeof *w);
	w->txn = txn;
	w->ctx = ctx;
	w->rep = rep;
}

void
io_writer_finish(struct io_writer *w)
{
	free(w->fps[0].items);
	free(w->fps[1].items);
	memset(w->fps, 0, sizeof w->fps);
}

/* ---- writing ---- */

/* Reads a record through the transaction: 1 found, 0 none, -1 error. */
static int
io_read(struct oplog_txn *txn, enum model_kind kind, const unsigned char id[CIMIC_ID_BYTES],
	      struct model_record *rec, struct cimic_error *err)
{
	struct cimic_error quiet;

	if (oplog_prepare_read(txn, id, err) != 0)
		return -1;
	model_record_init(rec, kind);
	if (model_get(oplog_txn_store(txn), kind, id, rec, &quiet) == 0)
		return 1;
	model_record_finish(rec);
	if (quiet.code != CIMIC_ENOINPUT)
		return cimic_error_set(err, quiet.code, "%s", quiet.msg);
	return 0;
}

/* Creates a record with a chosen id: the defaults, then one op per value. */
static int
io_create(struct io_writer *w, const struct model_change *given,
		const unsigned char id[CIMIC_ID_BYTES], bool with_source, struct cimic_error *err)
{
	static const struct { enum model_kind kind; const char *field, *value; } defaults[] = {
		{ MODEL_INCIDENT, "type", "other" },
		{ MODEL_INCIDENT, "status", "reported" },
		{ MODEL_CONTACT, "category", "other" },
	};
	size_t n;
	const struct model_field *f = model_fields(given->kind, &n);
	struct model_value dflt[sizeof defaults / sizeof defaults[0] + 1];
	const struct model_value *v;
	int src = model_record_index(given->kind, "source");

	memset(dflt, 0, sizeof dflt);
	for (size_t i = 0; i < n; i++) {
		v = given->set[i] ? &given->v[i] : NULL;
		for (size_t k = 0; k < sizeof defaults / sizeof defaults[0]; k++)
			if (defaults[k].kind == given->kind && strcmp(defaults[k].field, f[i].name) == 0 &&
			    (v == NULL || v->type == MV_NULL)) {
				dflt[k] = (struct model_value){ MV_TEXT, 0, (char *)defaults[k].value };
				v = &dflt[k];
			}
		if ((int)i == src && with_source && (v == NULL || v->type == MV_NULL) &&
		    w->ctx->source && w->ctx->source[0]) {
			dflt[sizeof defaults / sizeof defaults[0]] =
				(struct model_value){ MV_TEXT, 0, (char *)w->ctx->source };
			v = &dflt[sizeof defaults / sizeof defaults[0]];
		}
		if (v != NULL && v->type != MV_NULL &&
		    oplog_set_new(w->txn, given->kind, id, f[i].id, v, err) != 0)
			return -1;
	}
	return 0;
}

static bool
io_same(const struct model_value *a, const struct model_value *b)
{
	if (a->type != b->type)
		return false;
	if (a->type == MV_INT)
		return a->i == b->i;
	return a->type != MV_TEXT || strcmp(a->s, b->s) == 0;
}

/* Sets the fields whose values differ from the record's; *changed says if any did. */
static int
io_update(struct io_writer *w, const struct model_change *c,
		const struct model_record *rec, bool *changed, struct cimic_error *err)
{
	size_t n;
	const struct model_field *f = model_fields(c->kind, &n);

	*changed = false;
	for (size_t i = 0; i < n; i++) {
		if (!c->set[i] || io_same(&c->v[i], &rec->v[i]))
			continue;
		*changed = true;
		if (oplog_set(w->txn, c->kind, rec->id, f[i].id, &c->v[i], err) != 0)
			return -1;
	}
	return 0;
}

/*
 * The record a prepared row stands for: its id, and when it exists, the
 * record as it is now in *rec (1) or 0 for a new one.
 */
static int
io_match(struct io_writer *w, enum model_kind kind, enum io_key key_kind,
	       const unsigned char key[CIMIC_ID_BYTES], unsigned char id[CIMIC_ID_BYTES],
	       struct model_record *rec, struct cimic_error *err)
{
	struct io_index *ix;
	const unsigned char *known;

	if (key_kind != KEY_FINGERPRINT) {
		memcpy(id, key, CIMIC_ID_BYTES);
		return io_read(w->txn, kind, id, rec, err);
	}
	if ((ix = io_index_of(w, kind, err)) == NULL)
		return -1;
	if ((known = io_index_find(ix, key)) != NULL) {
		memcpy(id, known, CIMIC_ID_BYTES);
		return io_read(w->txn, kind, id, rec, err);
	}
	util_new_id(id);
	return io_index_add(ix, key, id) == 0 ? 0
						     : cimic_error_set(err, CIMIC_EFAIL, _("out of memory"));
}

/*
 * An incident's contact person: found by fingerprint or created, then
 * linked once (a link someone removed stays removed).
 */
static int
io_write_contact(struct io_writer *w, const struct io_prepared *p,
		       const unsigned char incident[CIMIC_ID_BYTES], bool incident_new,
		       struct cimic_error *err)
{
	unsigned char fp[FINGERPRINT_BYTES], contact[CIMIC_ID_BYTES], link[CIMIC_ID_BYTES];
	struct model_record rec;
	int rc;

	io_fingerprint(MODEL_CONTACT, p->contact.v, fp);
	if ((rc = io_match(w, MODEL_CONTACT, KEY_FINGERPRINT, fp, contact, &rec, err)) < 0)
		return -1;
	if (rc > 0) {
		model_record_finish(&rec);
	} else {
		if (io_create(w, &p->contact, contact, true, err) != 0)
			return -1;
		w->rep->contacts_created++;
		incident_new = true;   /* a new contact has no links yet */
	}
	model_link_id(incident, contact, link);
	if (!incident_new && (rc = io_read(w->txn, MODEL_LINK, link, &rec, err)) != 0) {
		if (rc > 0)
			model_record_finish(&rec);
		return rc < 0 ? -1 : 0;
	}
	w->rep->links_created++;
	return model_link_new(w->txn, incident, contact, err);
}

int
io_write_record(struct io_writer *w, const struct io_prepared *p, size_t line,
		      struct cimic_error *err)
{
	unsigned char id[CIMIC_ID_BYTES];
	struct model_record rec;
	bool changed;
	int rc, found;

	found = rc = io_match(w, p->c.kind, p->key_kind, p->key, id, &rec, err);
	if (rc == 0) {
		rc = io_create(w, &p->c, id, p->key_kind == KEY_FINGERPRINT, err);
		w->rep->created += rc == 0;
	} else if (rc > 0) {
		rc = io_update(w, &p->c, &rec, &changed, err);
		model_record_finish(&rec);
		if (rc == 0 && changed)
			w->rep->updated++;
		else if (rc == 0)
			w->rep->unchanged++;
	}
	if (rc == 0 && p->has_contact)
		rc = io_write_contact(w, p, id, found == 0, err);
	if (rc != 0 && strncmp(err->msg, "line ", 5) != 0)
		cimic_error_prefix(err, _("line %zu"), line);
	if (rc != 0 && err->code != CIMIC_EFAIL && err->code != CIMIC_EIO)
		err->code = CIMIC_EDATA;
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
