/*
 * dup_pairs.c - from blocking keys to scored pairs, the reasons'
 * names, and dismissing a pair (see duplicates.h).
 */
#include <stdlib.h>
#include <string.h>

#include "cimic/duplicates.h"
#include "cimic/i18n.h"
#include "cimic/oplog.h"
#include "duplicates_private.h"

static const struct {
	const char *code, *label;
} reasons[DUP_REASONS] = {
	{ "phone", N_("same phone") },
	{ "email", N_("same e-mail") },
	{ "name", N_("same name") },
	{ "surname", N_("a name word in common") },
	{ "org", N_("same organisation") },
	{ "settlement", N_("same settlement") },
	{ "type", N_("same type") },
	{ "time", N_("close in time") },
	{ "place", N_("close in place") },
	{ "title", N_("title words in common") },
};

const char *
dup_reason_code(unsigned i)
{
	return i < DUP_REASONS ? reasons[i].code : "?";
}

const char *
dup_reason_label(unsigned i)
{
	return i < DUP_REASONS ? _(reasons[i].label) : "?";
}

void
dup_list_init(struct dup_list *l)
{
	memset(l, 0, sizeof *l);
}

void
dup_list_finish(struct dup_list *l)
{
	if (l == NULL)
		return;
	free(l->pairs);
	memset(l, 0, sizeof *l);
}

void
dup_keys_init(struct dup_keys *k)
{
	memset(k, 0, sizeof *k);
}

void
dup_keys_finish(struct dup_keys *k)
{
	free(k->v);
	memset(k, 0, sizeof *k);
}

void
dup_keys_add(struct dup_keys *k, uint64_t key, uint32_t idx)
{
	struct dup_key *v;

	if (k->failed)
		return;
	if ((v = util_grow(k->v, &k->cap, k->n + 1, sizeof *v)) == NULL) {
		k->failed = true;
		return;
	}
	k->v = v;
	k->v[k->n].key = key;
	k->v[k->n++].idx = idx;
}

static int
cmp_key(const void *a, const void *b)
{
	const struct dup_key *x = a, *y = b;

	if (x->key != y->key)
		return x->key < y->key ? -1 : 1;
	return x->idx < y->idx ? -1 : x->idx > y->idx;
}

static int
cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

static int
cmp_pair(const void *a, const void *b)
{
	const struct dup_pair *x = a, *y = b;

	if (x->score != y->score)
		return y->score - x->score;
	return memcmp(x->a, y->a, CIMIC_ID_BYTES);
}

/* Every pair (i < j) inside each usable block, as i << 32 | j. */
static int
candidates(const struct dup_keys *k, size_t block_max, uint64_t **out, size_t *n)
{
	size_t cap = 0;

	*out = NULL;
	*n = 0;
	for (size_t s = 0, e; s < k->n; s = e) {
		for (e = s + 1; e < k->n && k->v[e].key == k->v[s].key; e++)
			;
		if (e - s < 2 || e - s > block_max)
			continue;
		for (size_t i = s; i < e; i++)
			for (size_t j = i + 1; j < e; j++) {
				uint64_t *v;
				if (k->v[i].idx == k->v[j].idx)
					continue;
				if ((v = util_grow(*out, &cap, *n + 1, sizeof *v)) == NULL)
					return -1;
				*out = v;
				v[(*n)++] = (uint64_t)k->v[i].idx << 32 | k->v[j].idx;
			}
	}
	return 0;
}

int
dup_pairs_from_keys(struct dup_keys *k, size_t block_max, dup_score_fn score, dup_id_fn id,
		    void *arg, struct dup_list *out, struct cimic_error *err)
{
	uint64_t *c;
	size_t n;

	if (k->failed)
		return cimic_error_set(err, CIMIC_EFAIL, _("out of memory"));
	if (k->n > 1)
		qsort(k->v, k->n, sizeof k->v[0], cmp_key);
	if (candidates(k, block_max, &c, &n) != 0) {
		free(c);
		return cimic_error_set(err, CIMIC_EFAIL, _("out of memory"));
	}
	if (n > 1)
		qsort(c, n, sizeof c[0], cmp_u64);
	for (size_t i = 0; i < n; i++) {
		struct dup_pair p, *v;
		uint32_t a = (uint32_t)(c[i] >> 32), b = (uint32_t)c[i];
		if ((i > 0 && c[i] == c[i - 1]) || !score(arg, a, b, &p.score, &p.reasons))
			continue;
		if ((v = util_grow(out->pairs, &out->cap, out->n + 1, sizeof *v)) == NULL) {
			free(c);
			return cimic_error_set(err, CIMIC_EFAIL, _("out of memory"));
		}
		out->pairs = v;
		memcpy(p.a, id(arg, a), CIMIC_ID_BYTES);
		memcpy(p.b, id(arg, b), CIMIC_ID_BYTES);
		v[out->n++] = p;
	}
	free(c);
	if (out->n > 1)
		qsort(out->pairs, out->n, sizeof out->pairs[0], cmp_pair);
	return 0;
}

int
dup_find(struct store *st, enum model_kind kind, struct dup_list *out, struct cimic_error *err)
{
	if (kind == MODEL_CONTACT)
		return dup_find_contacts(st, out, err);
	if (kind == MODEL_INCIDENT)
		return dup_find_incidents(st, out, err);
	return cimic_error_set(err, CIMIC_EUSAGE, _("only contacts and incidents have duplicates"));
}

/* distinct_from of rec with other's hex id added or removed. OUT: caller frees; NULL: OOM. */
static char *
distinct_edit(const struct model_record *rec, const unsigned char other[CIMIC_ID_BYTES], bool add)
{
	const struct model_value *v = model_record_get(rec, "distinct_from");
	const char *old = v && v->type == MV_TEXT ? v->s : "";
	char hex[CIMIC_ID_HEX];
	struct buf b;
	char *out;

	util_hex(other, CIMIC_ID_BYTES, hex);
	buf_init(&b);
	for (const char *p = old; *p;) {
		size_t len = strcspn(p, " ");
		if (len > 0 && !(len == CIMIC_ID_HEX - 1 && memcmp(p, hex, len) == 0)) {
			if (b.len)
				buf_addc(&b, ' ');
			buf_add(&b, p, len);
		}
		p += len;
		while (*p == ' ')
			p++;
	}
	if (add) {
		if (b.len)
			buf_addc(&b, ' ');
		buf_adds(&b, hex);
	}
	out = b.failed ? NULL : util_strdup(buf_cstr(&b));
	buf_finish(&b);
	return out;
}

static int
dismiss_one(struct oplog_txn *txn, enum model_kind kind, const unsigned char id[CIMIC_ID_BYTES],
	    const unsigned char other[CIMIC_ID_BYTES], bool add, struct cimic_error *err)
{
	struct model_record rec;
	struct model_value v = { MV_TEXT, 0, NULL };
	const struct model_field *f = model_field_by_name(kind, "distinct_from");
	int rc;

	model_record_init(&rec, kind);
	if (oplog_prepare_read(txn, id, err) != 0 ||
	    model_get(oplog_txn_store(txn), kind, id, &rec, err) != 0)
		return -1;
	v.s = distinct_edit(&rec, other, add);
	model_record_finish(&rec);
	if (v.s == NULL)
		return cimic_error_set(err, CIMIC_EFAIL, _("out of memory"));
	if (v.s[0] == '\0') {
		free(v.s);
		v.s = NULL;
		v.type = MV_NULL;
	} else if ((int64_t)strlen(v.s) > f->max) {
		free(v.s);
		return cimic_error_set(err, CIMIC_EDATA, _("too many pairs dismissed for one record"));
	}
	rc = oplog_set(txn, (unsigned)kind, id, f->id, &v, err);
	free(v.s);
	return rc;
}

int
dup_dismiss(struct oplog_txn *txn, enum model_kind kind, const unsigned char a[CIMIC_ID_BYTES],
	    const unsigned char b[CIMIC_ID_BYTES], bool dismissed, struct cimic_error *err)
{
	if (kind != MODEL_CONTACT && kind != MODEL_INCIDENT)
		return cimic_error_set(err, CIMIC_EUSAGE, _("only contacts and incidents have duplicates"));
	if (memcmp(a, b, CIMIC_ID_BYTES) == 0)
		return cimic_error_set(err, CIMIC_EUSAGE, _("give two different records"));
	if (dismiss_one(txn, kind, a, b, dismissed, err) != 0 ||
	    dismiss_one(txn, kind, b, a, dismissed, err) != 0)
		return -1;
	return 0;
}
