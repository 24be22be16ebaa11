/*
 * bundle_parse.c - the plaintext inside a bundle: pass 1 verifies the
 * signature without inflating anything, pass 2 inflates and hands out
 * entries (see bundle.h and man/cimic-bundle.5).
 *
 * Memory stays bounded whatever the bundle says: the inner header is at
 * most BUNDLE_INNER_MAX, blocks are streamed through a fixed buffer,
 * inflate writes into a fixed buffer, and a record is buffered only
 * after its length passed the entry limit.  The inflated size must
 * equal what the signed footer declared, which itself is capped
 * absolutely and relative to the compressed size: a captured key can
 * sign a bomb, so a valid signature exempts nothing.
 */
#include <stdlib.h>
#include <string.h>

#include <zlib.h>

#include "bundle_read.h"
#include "cimic/i18n.h"
#include "cimic/oplog.h"
#include "cimic/util.h"
#include "bundle_private.h"

#define PIECE (64u << 10)

static int
bad(struct cimic_error *err, const char *what)
{
	return cimic_error_set(err, CIMIC_EDATA, _("bundle content is malformed: %s"), what);
}

/* ---- pass 1 ---- */

static int
parse_inner(struct bundle_reader *r, struct cimic_error *err)
{
	const unsigned char *p = r->inner_raw;
	size_t n = r->hdr.nrecip, at = 8;
	struct bundle_inner *in = &r->inner;

	if (memcmp(p + at, r->hdr.id, BUNDLE_ID_BYTES) != 0)
		return bad(err, _("bundle id differs from the header"));
	at += BUNDLE_ID_BYTES;
	memcpy(in->sender, p + at, IDENTITY_PK_BYTES);
	at += IDENTITY_PK_BYTES;
	if (p[at++] != n)
		return bad(err, _("recipients differ from the header"));
	if (r->inner_len < at + n * IDENTITY_KEYID_BYTES + 12)
		return bad(err, _("inner header too short"));
	for (size_t i = 0; i < n; i++, at += IDENTITY_KEYID_BYTES)
		if (memcmp(p + at, r->hdr.recip[i], IDENTITY_KEYID_BYTES) != 0)
			return bad(err, _("recipients differ from the header"));
	in->created_hlc = util_le64(p + at);
	in->nacks = util_le32(p + at + 8);
	at += 12;
	if (in->nacks > BUNDLE_MAX_ACKS || r->inner_len != at + in->nacks * 40)
		return bad(err, _("inner header length"));
	if (in->nacks > 0 && (in->acks = calloc(in->nacks, sizeof *in->acks)) == NULL)
		return cimic_error_set(err, CIMIC_EFAIL, _("out of memory"));
	for (size_t i = 0; i < in->nacks; i++, at += 40) {
		memcpy(in->acks[i].author, p + at, IDENTITY_PK_BYTES);
		in->acks[i].seq = util_le64(p + at + 32);
	}
	return 0;
}

static int
read_inner(struct bundle_reader *r, crypto_sign_state *sign, struct cimic_error *err)
{
	unsigned char head[8];
	uint32_t len;

	if (reader_read(r, head, sizeof head, err) != 0)
		return -1;
	len = util_le32(head + 4);
	if (memcmp(head, BUNDLE_INNER_MAGIC, 4) != 0 || len < BUNDLE_INNER_FIXED + 12 ||
	    len > BUNDLE_INNER_MAX)
		return bad(err, _("inner header"));
	if ((r->inner_raw = malloc(len)) == NULL)
		return cimic_error_set(err, CIMIC_EFAIL, _("out of memory"));
	r->inner_len = len;
	memcpy(r->inner_raw, head, sizeof head);
	if (reader_read(r, r->inner_raw + 8, len - 8, err) != 0)
		return -1;
	crypto_sign_update(sign, r->inner_raw, len);
	return parse_inner(r, err);
}

/* Reads the length of the next block (0 ends the body). */
static int
read_block_len(struct bundle_reader *r, crypto_sign_state *sign, uint32_t *len,
	       struct cimic_error *err)
{
	unsigned char b[4];

	if (reader_read(r, b, 4, err) != 0)
		return -1;
	if (sign != NULL)
		crypto_sign_update(sign, b, 4);
	*len = util_le32(b);
	if (*len > BUNDLE_BLOCK_MAX)
		return bad(err, _("body block too large"));
	return 0;
}

static int
skim_blocks(struct bundle_reader *r, crypto_sign_state *sign, uint64_t *clen,
	    struct cimic_error *err)
{
	unsigned char piece[PIECE];
	uint32_t len;

	*clen = 0;
	for (;;) {
		if (read_block_len(r, sign, &len, err) != 0)
			return -1;
		if (len == 0)
			return 0;
		*clen += len;
		if (*clen > r->hdr.size)
			return bad(err, _("body larger than the file"));
		while (len > 0) {
			size_t k = len < sizeof piece ? len : sizeof piece;
			if (reader_read(r, piece, k, err) != 0)
				return -1;
			crypto_sign_update(sign, piece, k);
			len -= (uint32_t)k;
		}
	}
}

static int
read_footer(struct bundle_reader *r, crypto_sign_state *sign, uint64_t clen,
	    struct cimic_error *err)
{
	unsigned char f[BUNDLE_FOOTER_BYTES];
	struct bundle_inner *in = &r->inner;
	uint64_t cap;

	if (reader_read(r, f, sizeof f, err) != 0)
		return -1;
	crypto_sign_update(sign, f, sizeof f);
	in->nrecords = util_le32(f + 4);
	in->body_clen = util_le64(f + 8);
	in->body_ulen = util_le64(f + 16);
	cap = BUNDLE_INFLATE_RATIO * clen + (1u << 20);
	if (cap > BUNDLE_INFLATE_MAX)
		cap = BUNDLE_INFLATE_MAX;
	if (memcmp(f, BUNDLE_FOOTER_MAGIC, 4) != 0 || in->body_clen != clen ||
	    in->nrecords > BUNDLE_MAX_RECORDS)
		return bad(err, _("footer"));
	if (in->body_ulen > cap || in->body_ulen < (uint64_t)in->nrecords * BUNDLE_RECORD_HEADER)
		return bad(err, _("declared inflated size out of bounds"));
	return 0;
}

int
bundle_reader_authenticate(struct bundle_reader *r, struct cimic_error *err)
{
	unsigned char sig[BUNDLE_SIG_BYTES];
	crypto_sign_state sign;
	uint64_t clen;

	if (r->authenticated || r->inner_raw != NULL)
		return cimic_error_set(err, CIMIC_EFAIL, _("bundle already authenticated"));
	crypto_sign_init(&sign);
	crypto_sign_update(&sign, (const unsigned char *)BUNDLE_SIGN_DOMAIN,
			   sizeof BUNDLE_SIGN_DOMAIN - 1);
	crypto_sign_update(&sign, r->ad, sizeof r->ad);
	if (reader_start(r, err) != 0 || read_inner(r, &sign, err) != 0 ||
	    skim_blocks(r, &sign, &clen, err) != 0 || read_footer(r, &sign, clen, err) != 0 ||
	    reader_read(r, sig, sizeof sig, err) != 0 || reader_end(r, err) != 0)
		return -1;
	if (memcmp(sig, BUNDLE_SIG_MAGIC, 2) != 0)
		return bad(err, _("signature record"));
	if (crypto_sign_final_verify(&sign, sig + 2, r->inner.sender) != 0)
		return cimic_error_set(err, CIMIC_EDATA,
				       _("the bundle's signature does not verify (forged or tampered)"));
	crypto_generichash_final(&r->pt_hash, r->authenticated_hash, BUNDLE_HASH_BYTES);
	r->authenticated = true;
	return 0;
}

/* ---- pass 2 ---- */

struct records {
	struct bundle_reader *r;
	bundle_entry_cb cb;
	void *arg;
	unsigned char head[BUNDLE_RECORD_HEADER];
	size_t head_have;
	size_t len, have;        /* record being assembled */
	uint32_t count;
	uint64_t inflated;
};

static int
record_begin(struct records *rs, struct cimic_error *err)
{
	struct bundle_reader *r = rs->r;

	rs->len = util_le32(rs->head + 1);
	rs->have = 0;
	if (rs->head[0] != BUNDLE_RECORD_ENTRY)
		return bad(err, _("unknown record type"));
	if (rs->len == 0 || rs->len > OPLOG_ENTRY_MAX_BYTES)
		return bad(err, _("record length"));
	if (rs->count >= r->inner.nrecords)
		return bad(err, _("more records than declared"));
	if (rs->len > r->rec_cap) {
		unsigned char *p = realloc(r->rec, rs->len);
		if (p == NULL)
			return cimic_error_set(err, CIMIC_EFAIL, _("out of memory"));
		r->rec = p;
		r->rec_cap = rs->len;
	}
	return 0;
}

/* Feeds inflated bytes to the record parser. */
static int
records_feed(struct records *rs, const unsigned char *p, size_t n, struct cimic_error *err)
{
	while (n > 0) {
		size_t k;
		if (rs->head_have < BUNDLE_RECORD_HEADER) {
			k = BUNDLE_RECORD_HEADER - rs->head_have < n ? BUNDLE_RECORD_HEADER - rs->head_have : n;
			memcpy(rs->head + rs->head_have, p, k);
			rs->head_have += k;
			if (rs->head_have == BUNDLE_RECORD_HEADER && record_begin(rs, err) != 0)
				return -1;
		} else {
			k = rs->len - rs->have < n ? rs->len - rs->have : n;
			memcpy(rs->r->rec + rs->have, p, k);
			rs->have += k;
			if (rs->have == rs->len) {
				int rc = rs->cb(rs->r->rec, rs->len, rs->arg, err);
				if (rc != 0)
					return rc;
				rs->count++;
				rs->head_have = 0;
			}
		}
		p += k;
		n -= k;
	}
	return 0;
}

/* Inflates one piece of compressed input; *ended once the zlib stream is complete. */
static int
inflate_piece(z_stream *z, struct records *rs, const unsigned char *in, size_t n, bool *ended,
	      struct cimic_error *err)
{
	unsigned char out[PIECE];
	int zrc;

	z->next_in = (unsigned char *)in;
	z->avail_in = (uInt)n;
	do {
		size_t got;
		if (*ended) {
			if (z->avail_in > 0)
				return bad(err, _("data after the end of the compressed body"));
			break;
		}
		z->next_out = out;
		z->avail_out = sizeof out;
		zrc = inflate(z, Z_NO_FLUSH);
		if (zrc != Z_OK && zrc != Z_STREAM_END && zrc != Z_BUF_ERROR)
			return bad(err, _("compressed body"));
		got = sizeof out - z->avail_out;
		rs->inflated += got;
		if (rs->inflated > rs->r->inner.body_ulen)
			return bad(err, _("body inflates past its declared size"));
		if (records_feed(rs, out, got, err) != 0)
			return -1;
		*ended = zrc == Z_STREAM_END;
		if (zrc == Z_BUF_ERROR)
			break;   /* no progress possible: needs the next piece */
	} while (z->avail_in > 0 || z->avail_out == 0);
	return 0;
}

static int
inflate_blocks(struct bundle_reader *r, z_stream *z, struct records *rs, struct cimic_error *err)
{
	unsigned char piece[PIECE];
	bool ended = false;
	uint32_t len;

	for (;;) {
		if (read_block_len(r, NULL, &len, err) != 0)
			return -1;
		if (len == 0)
			break;
		while (len > 0) {
			size_t k = len < sizeof piece ? len : sizeof piece;
			int rc;
			if (reader_read(r, piece, k, err) != 0)
				return -1;
			if ((rc = inflate_piece(z, rs, piece, k, &ended, err)) != 0)
				return rc;
			len -= (uint32_t)k;
		}
	}
	if (!ended || rs->inflated != r->inner.body_ulen || rs->count != r->inner.nrecords ||
	    rs->head_have != 0)
		return bad(err, _("body ends early or disagrees with its footer"));
	return 0;
}

static int
reread_inner(struct bundle_reader *r, struct cimic_error *err)
{
	unsigned char *again = malloc(r->inner_len);
	int rc;

	if (again == NULL)
		return cimic_error_set(err, CIMIC_EFAIL, _("out of memory"));
	rc = reader_read(r, again, r->inner_len, err);
	if (rc == 0 && memcmp(again, r->inner_raw, r->inner_len) != 0)
		rc = cimic_error_set(err, CIMIC_EDATA, _("the bundle changed while being read"));
	free(again);
	return rc;
}

static int
finish_pass2(struct bundle_reader *r, struct cimic_error *err)
{
	unsigned char rest[BUNDLE_FOOTER_BYTES + BUNDLE_SIG_BYTES], h[BUNDLE_HASH_BYTES];

	if (reader_read(r, rest, sizeof rest, err) != 0 || reader_end(r, err) != 0)
		return -1;
	crypto_generichash_final(&r->pt_hash, h, sizeof h);
	if (memcmp(h, r->authenticated_hash, sizeof h) != 0)
		return cimic_error_set(err, CIMIC_EDATA, _("the bundle changed while being read"));
	return 0;
}

int
bundle_reader_entries(struct bundle_reader *r, bundle_entry_cb cb, void *arg,
		      struct cimic_error *err)
{
	struct records rs = { .r = r, .cb = cb, .arg = arg };
	z_stream z;
	int rc;

	if (!r->authenticated)
		return cimic_error_set(err, CIMIC_EFAIL, _("bundle not authenticated"));
	memset(&z, 0, sizeof z);
	if (inflateInit2(&z, 15) != Z_OK)
		return cimic_error_set(err, CIMIC_EFAIL, _("out of memory"));
	rc = reader_start(r, err);
	if (rc == 0)
		rc = reread_inner(r, err);
	if (rc == 0)
		rc = inflate_blocks(r, &z, &rs, err);
	if (rc == 0)
		rc = finish_pass2(r, err);
	inflateEnd(&z);
	return rc;
}
