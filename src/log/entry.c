/*
 * entry.c - the byte format of op-log entries (see oplog.h).
 *
 * Decoding is written for hostile input: every length is checked
 * against the bytes that remain and against the hard limits before any
 * allocation, trailing bytes are refused, text must be valid UTF-8, and
 * the signature is checked before anything is returned.
 */
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "cimic/i18n.h"
#include "cimic/oplog.h"
#include "entry.h"

#define ENTRY_MAGIC0 'C'
#define ENTRY_MAGIC1 'E'
#define ENTRY_VERSION 1
#define ENTRY_HEADER_BYTES (3 + 32 + 8 + 32 + 8 + 4)
#define ENTRY_DOMAIN "cimic-entry-v1"

static void
entry_sign(const unsigned char *msg, size_t len, const unsigned char *sk, unsigned char sig[64])
{
	crypto_sign_state state;

	crypto_sign_init(&state);
	crypto_sign_update(&state, (const unsigned char *)ENTRY_DOMAIN, sizeof ENTRY_DOMAIN - 1);
	crypto_sign_update(&state, msg, len);
	crypto_sign_final_create(&state, sig, NULL, sk);
}

static bool
entry_verify(const unsigned char *msg, size_t len, const unsigned char *pk, const unsigned char *sig)
{
	crypto_sign_state state;

	crypto_sign_init(&state);
	crypto_sign_update(&state, (const unsigned char *)ENTRY_DOMAIN, sizeof ENTRY_DOMAIN - 1);
	crypto_sign_update(&state, msg, len);
	return crypto_sign_final_verify(&state, (unsigned char *)sig, pk) == 0;
}

void
entry_encode_op(struct buf *b, const struct oplog_op *op)
{
	buf_addc(b, (unsigned char)op->kind);
	buf_addc(b, op->tbl);
	buf_addc(b, op->field);
	buf_add(b, op->row, CIMIC_ID_BYTES);
	buf_addc(b, op->npreds);
	for (unsigned i = 0; i < op->npreds; i++)
		buf_add(b, op->preds[i], OPLOG_OPID_BYTES);
	buf_addc(b, (unsigned char)op->v.type);
	if (op->v.type == MV_INT) {
		buf_u64(b, (uint64_t)op->v.i);
	} else if (op->v.type == MV_TEXT) {
		size_t n = strlen(op->v.s);
		buf_u32(b, (uint32_t)n);
		buf_add(b, op->v.s, n);
	}
}

size_t
entry_op_size(const struct oplog_op *op)
{
	size_t n = 3 + CIMIC_ID_BYTES + 1 + (size_t)op->npreds * OPLOG_OPID_BYTES + 1;

	if (op->v.type == MV_INT)
		n += 8;
	else if (op->v.type == MV_TEXT)
		n += 4 + strlen(op->v.s);
	return n;
}

void
entry_encode_header(struct buf *b, const unsigned char author[32], uint64_t seq,
		    const unsigned char prev[32], uint64_t hlc, uint32_t nops)
{
	buf_addc(b, ENTRY_MAGIC0);
	buf_addc(b, ENTRY_MAGIC1);
	buf_addc(b, ENTRY_VERSION);
	buf_add(b, author, 32);
	buf_u64(b, seq);
	buf_add(b, prev, 32);
	buf_u64(b, hlc);
	buf_u32(b, nops);
}

int
entry_seal(struct buf *b, const unsigned char *sign_sk, unsigned char hash[OPLOG_HASH_BYTES],
	   struct cimic_error *err)
{
	unsigned char sig[crypto_sign_BYTES];

	if (b->failed)
		return cimic_error_set(err, CIMIC_EFAIL, _("out of memory"));
	if (b->len + sizeof sig > OPLOG_ENTRY_MAX_BYTES)
		return cimic_error_set(err, CIMIC_EFAIL, _("entry too large"));
	entry_sign(b->data, b->len, sign_sk, sig);
	buf_add(b, sig, sizeof sig);
	if (b->failed)
		return cimic_error_set(err, CIMIC_EFAIL, _("out of memory"));
	crypto_generichash(hash, OPLOG_HASH_BYTES, b->data, b->len, NULL, 0);
	return 0;
}

struct reader {
	const unsigned char *p;
	size_t left;
};

static bool
take(struct reader *r, void *out, size_t n)
{
	if (r->left < n)
		return false;
	if (out != NULL)
		memcpy(out, r->p, n);
	r->p += n;
	r->left -= n;
	return true;
}

static bool
take_u8(struct reader *r, uint8_t *v)
{
	return take(r, v, 1);
}

static bool
take_u32(struct reader *r, uint32_t *v)
{
	if (r->left < 4)
		return false;
	*v = util_le32(r->p);
	return take(r, NULL, 4);
}

static bool
take_u64(struct reader *r, uint64_t *v)
{
	if (r->left < 8)
		return false;
	*v = util_le64(r->p);
	return take(r, NULL, 8);
}

static int
decode_value(struct reader *r, struct model_value *v)
{
	uint8_t type;
	uint32_t len;
	uint64_t i;

	memset(v, 0, sizeof *v);
	if (!take_u8(r, &type))
		return -1;
	v->type = type;
	switch (type) {
	case MV_NULL:
		return 0;
	case MV_INT:
		if (!take_u64(r, &i))
			return -1;
		v->i = (int64_t)i;
		return 0;
	case MV_TEXT:
		if (!take_u32(r, &len) || len > OPLOG_VALUE_MAX_BYTES || len > r->left)
			return -1;
		if (memchr(r->p, '\0', len) != NULL || !util_utf8_valid((const char *)r->p, len))
			return -1;
		if ((v->s = util_strndup((const char *)r->p, len)) == NULL)
			return -1;
		return take(r, NULL, len) ? 0 : -1;
	default:
		return -1;
	}
}

static int
decode_op(struct reader *r, struct oplog_op *op)
{
	uint8_t kind;

	if (!take_u8(r, &kind) || (kind != OP_SET && kind != OP_RESOLVE))
		return -1;
	op->kind = kind;
	if (!take_u8(r, &op->tbl) || !take_u8(r, &op->field) || !take(r, op->row, CIMIC_ID_BYTES) ||
	    !take_u8(r, &op->npreds) || op->npreds > OPLOG_MAX_PREDS)
		return -1;
	if (op->tbl < TBL_CONTACT || op->tbl > TBL_NODE || op->field == 0)
		return -1;
	if (op->npreds > 0) {
		size_t n = (size_t)op->npreds * OPLOG_OPID_BYTES;
		if (r->left < n || (op->preds = malloc(n)) == NULL)
			return -1;
		take(r, op->preds, n);
	}
	return decode_value(r, &op->v);
}

int
oplog_entry_decode(const unsigned char *raw, size_t len, struct oplog_entry *e,
		   struct cimic_error *err)
{
	struct reader r = { raw, len };
	uint8_t magic[3];

	memset(e, 0, sizeof *e);
	if (len < ENTRY_HEADER_BYTES + crypto_sign_BYTES || len > OPLOG_ENTRY_MAX_BYTES)
		return cimic_error_set(err, CIMIC_EDATA, _("entry has a bad size (%zu bytes)"), len);
	take(&r, magic, 3);
	if (magic[0] != ENTRY_MAGIC0 || magic[1] != ENTRY_MAGIC1 || magic[2] != ENTRY_VERSION)
		return cimic_error_set(err, CIMIC_EDATA, _("not an entry of a known version"));
	take(&r, e->author, 32);
	take_u64(&r, &e->seq);
	take(&r, e->prev, 32);
	take_u64(&r, &e->hlc);
	take_u32(&r, &e->nops);
	if (!entry_verify(raw, len - crypto_sign_BYTES, e->author, raw + len - crypto_sign_BYTES))
		return cimic_error_set(err, CIMIC_EDATA, _("entry signature does not verify"));
	if (e->seq == 0 || e->nops == 0 || e->nops > OPLOG_ENTRY_MAX_OPS)
		return cimic_error_set(err, CIMIC_EDATA, _("entry has a bad header"));
	r.left -= crypto_sign_BYTES;
	if ((e->ops = calloc(e->nops, sizeof *e->ops)) == NULL)
		return cimic_error_set(err, CIMIC_EFAIL, _("out of memory"));
	for (uint32_t i = 0; i < e->nops; i++)
		if (decode_op(&r, &e->ops[i]) != 0)
			goto bad;
	if (r.left != 0)
		goto bad;
	if ((e->raw = malloc(len)) == NULL) {
		oplog_entry_finish(e);
		return cimic_error_set(err, CIMIC_EFAIL, _("out of memory"));
	}
	memcpy(e->raw, raw, len);
	e->rawlen = len;
	crypto_generichash(e->hash, OPLOG_HASH_BYTES, raw, len, NULL, 0);
	return 0;
bad:
	oplog_entry_finish(e);
	return cimic_error_set(err, CIMIC_EDATA, _("entry is malformed"));
}

void
oplog_entry_finish(struct oplog_entry *e)
{
	if (e == NULL)
		return;
	for (uint32_t i = 0; e->ops != NULL && i < e->nops; i++) {
		free(e->ops[i].preds);
		model_value_finish(&e->ops[i].v);
	}
	free(e->ops);
	free(e->raw);
	memset(e, 0, sizeof *e);
}
