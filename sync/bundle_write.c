/*
 * bundle_write.c - writing a bundle as a stream (see bundle.h).
 *
 * Nothing is held whole in memory: records go through deflate, the
 * compressed output is cut into length-prefixed blocks, the plaintext
 * (inner header, blocks, footer, signature) is cut into frames of
 * 2^chunk_log2 bytes and encrypted, and the frames go to path.part
 * through a hash that becomes the trailer.  The sizes the reader needs
 * to cap inflation come in the footer, after the body, because a
 * streaming writer only knows them at the end; the reader authenticates
 * the whole stream before it inflates a byte, so it has them in time.
 *
 * A frame is pushed only when the next byte arrives, so the last frame
 * (the one tagged FINAL) is known without looking ahead.
 *
 * Output paths follow DESIGN.md section 6: a new name or a regular file
 * gets path.part, fsync and a rename; a FIFO, a device or "-" is written
 * in place, never replaced: the bundle is built in an unnamed temporary
 * file, checked there like any other, then copied to the target; a
 * symbolic link is refused.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <zlib.h>

#include "bundle_private.h"
#include "cimic/i18n.h"
#include "cimic/oplog.h"
#include "cimic/util.h"
#include "bundle_private.h"

#define OUT_BUF (64u << 10)
#define ZOUT_BUF (64u << 10)

/* Secret state: the stream key lives in the secretstream state. */
struct writer_secrets {
	crypto_secretstream_xchacha20poly1305_state ss;
	unsigned char chunk[1u << BUNDLE_CHUNK_LOG2];   /* plaintext of the frame being built */
};

struct bundle_writer {
	char *path, *part;                 /* owned; part NULL when in place */
	bool in_place;                     /* FIFO, device, "-": fd is an unnamed temporary file */
	int fd;
	crypto_generichash_state file_hash;
	uint64_t written;
	unsigned char out[OUT_BUF];
	size_t outlen;
	struct writer_secrets *sec;        /* sodium_malloc, owned */
	size_t chunklen;
	unsigned char frame[(1u << BUNDLE_CHUNK_LOG2) + BUNDLE_FRAME_OVERHEAD];
	unsigned char ad[BUNDLE_HASH_BYTES];
	crypto_sign_state sign;
	const unsigned char *sign_sk;      /* borrowed from the identity */
	z_stream z;
	bool z_ready;
	unsigned char zout[ZOUT_BUF];
	uint32_t nrecords;
	uint64_t body_clen, body_ulen;
	uint64_t pt_len;                   /* plaintext bytes so far (for the padding) */
	size_t hdr_len;
	uint64_t created_unix;             /* goes inside, in the inner header */
	struct bundle_header hdr;
};

static int
io_error(struct bundle_writer *w, struct cimic_error *err)
{
	return cimic_error_set(err, CIMIC_EIO, _("cannot write %s: %s"), w->part ? w->part : w->path,
			       strerror(errno));
}

static int
out_flush(struct bundle_writer *w, struct cimic_error *err)
{
	size_t off = 0;

	while (off < w->outlen) {
		ssize_t n = write(w->fd, w->out + off, w->outlen - off);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return io_error(w, err);
		off += (size_t)n;
	}
	w->outlen = 0;
	return 0;
}

/* Appends bytes to the file, through the trailer hash. */
static int
out_put(struct bundle_writer *w, const void *p, size_t n, struct cimic_error *err)
{
	const unsigned char *b = p;

	crypto_generichash_update(&w->file_hash, b, n);
	w->written += n;
	while (n > 0) {
		size_t k = sizeof w->out - w->outlen < n ? sizeof w->out - w->outlen : n;
		memcpy(w->out + w->outlen, b, k);
		w->outlen += k;
		b += k;
		n -= k;
		if (w->outlen == sizeof w->out && out_flush(w, err) != 0)
			return -1;
	}
	if (w->written > BUNDLE_MAX_FILE)
		return cimic_error_set(err, CIMIC_EFAIL, _("bundle larger than %llu MiB"),
				       (unsigned long long)(BUNDLE_MAX_FILE >> 20));
	return 0;
}

static int
frame_push(struct bundle_writer *w, unsigned char tag, struct cimic_error *err)
{
	unsigned long long clen;
	unsigned char len[4];

	crypto_secretstream_xchacha20poly1305_push(&w->sec->ss, w->frame, &clen, w->sec->chunk,
						   w->chunklen, w->ad, sizeof w->ad, tag);
	sodium_memzero(w->sec->chunk, w->chunklen);
	w->chunklen = 0;
	len[0] = (unsigned char)clen;
	len[1] = (unsigned char)(clen >> 8);
	len[2] = (unsigned char)(clen >> 16);
	len[3] = (unsigned char)(clen >> 24);
	if (out_put(w, len, 4, err) != 0)
		return -1;
	return out_put(w, w->frame, (size_t)clen, err);
}

/* Appends plaintext; `sign` feeds it to the signature too. */
static int
pt_put(struct bundle_writer *w, const void *p, size_t n, bool sign, struct cimic_error *err)
{
	const unsigned char *b = p;

	if (sign)
		crypto_sign_update(&w->sign, b, n);
	w->pt_len += n;
	while (n > 0) {
		size_t k;
		if (w->chunklen == sizeof w->sec->chunk &&
		    frame_push(w, crypto_secretstream_xchacha20poly1305_TAG_MESSAGE, err) != 0)
			return -1;
		k = sizeof w->sec->chunk - w->chunklen < n ? sizeof w->sec->chunk - w->chunklen : n;
		memcpy(w->sec->chunk + w->chunklen, b, k);
		w->chunklen += k;
		b += k;
		n -= k;
	}
	return 0;
}

static int
block_put(struct bundle_writer *w, const unsigned char *p, size_t n, struct cimic_error *err)
{
	unsigned char len[4] = { (unsigned char)n, (unsigned char)(n >> 8), (unsigned char)(n >> 16),
				 (unsigned char)(n >> 24) };

	w->body_clen += n;
	if (pt_put(w, len, 4, true, err) != 0)
		return -1;
	return pt_put(w, p, n, true, err);
}

/* Runs deflate over the pending input; emits a block whenever zout fills. */
static int
deflate_run(struct bundle_writer *w, int flush, struct cimic_error *err)
{
	int zrc;

	do {
		w->z.next_out = w->zout;
		w->z.avail_out = sizeof w->zout;
		zrc = deflate(&w->z, flush);
		if (zrc == Z_STREAM_ERROR)
			return cimic_error_set(err, CIMIC_EFAIL, _("compression failed"));
		if (sizeof w->zout - w->z.avail_out > 0 &&
		    block_put(w, w->zout, sizeof w->zout - w->z.avail_out, err) != 0)
			return -1;
	} while (w->z.avail_out == 0 || (flush == Z_FINISH && zrc != Z_STREAM_END));
	return 0;
}

/* An unnamed temporary file (gone when closed) in $TMPDIR or /tmp. */
static int
open_temporary(struct cimic_error *err)
{
	const char *dir = getenv("TMPDIR");
	char *name;
	int fd;

	if (dir == NULL || *dir == '\0')
		dir = "/tmp";
#ifdef O_TMPFILE
	if ((fd = open(dir, O_TMPFILE | O_RDWR | O_CLOEXEC, 0600)) >= 0)
		return fd;
#endif
	if ((name = util_aprintf("%s/cimic-bundle-XXXXXX", dir)) == NULL)
		return cimic_error_set(err, CIMIC_EFAIL, _("out of memory"));
	if ((fd = mkstemp(name)) >= 0)
		unlink(name);
	else
		cimic_error_set(err, CIMIC_ECANTCREAT, _("cannot create a temporary file in %s: %s"), dir,
				strerror(errno));
	free(name);
	return fd;
}

static int
open_part(struct bundle_writer *w, const char *path, struct cimic_error *err)
{
	enum util_output kind;

	if ((w->path = util_strdup(path)) == NULL)
		return cimic_error_set(err, CIMIC_EFAIL, _("out of memory"));
	if (util_output_kind(path, &kind, err) != 0)
		return -1;
	if (kind == UTIL_OUTPUT_IN_PLACE) {
		w->in_place = true;
		if ((w->fd = open_temporary(err)) < 0)
			return -1;
		crypto_generichash_init(&w->file_hash, NULL, 0, BUNDLE_HASH_BYTES);
		return 0;
	}
	if ((w->part = util_aprintf("%s.part", path)) == NULL)
		return cimic_error_set(err, CIMIC_EFAIL, _("out of memory"));
	unlink(w->part);   /* a .part left by an interrupted run holds nothing of value */
	w->fd = open(w->part, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (w->fd < 0)
		return cimic_error_set(err, CIMIC_ECANTCREAT, _("cannot create %s: %s"), w->part,
				       strerror(errno));
	crypto_generichash_init(&w->file_hash, NULL, 0, BUNDLE_HASH_BYTES);
	return 0;
}

/* Builds and writes the outer header; starts the stream and the signature. */
static int
write_header(struct bundle_writer *w, const struct bundle_recipient *to, size_t nto,
	     struct cimic_error *err)
{
	unsigned char hdr[BUNDLE_HEADER_BYTES(BUNDLE_MAX_RECIPIENTS)], *p = hdr;
	size_t len = BUNDLE_HEADER_BYTES(nto);
	unsigned char *key = sodium_malloc(crypto_secretstream_xchacha20poly1305_KEYBYTES);
	uint64_t now = (uint64_t)time(NULL);

	if (key == NULL)
		return cimic_error_set(err, CIMIC_EFAIL, _("cannot allocate secure memory"));
	memset(hdr, 0, sizeof hdr);
	memcpy(p, BUNDLE_MAGIC, BUNDLE_MAGIC_BYTES);
	p[8] = BUNDLE_VERSION;
	p[10] = BUNDLE_FLAGS;
	for (int i = 0; i < 4; i++)
		p[12 + i] = (unsigned char)(len >> (8 * i));
	randombytes_buf(p + 16, BUNDLE_ID_BYTES);
	/* bytes 32..39 held the creation time in version 1: now reserved, the time is inside */
	p[40] = (unsigned char)nto;
	p[41] = BUNDLE_CHUNK_LOG2;
	crypto_secretstream_xchacha20poly1305_keygen(key);
	for (size_t i = 0; i < nto; i++) {
		unsigned char *s = hdr + BUNDLE_FIXED_BYTES + i * BUNDLE_STANZA_BYTES;
		bundle_recipient_id(to[i].sign_pk, s);
		crypto_box_seal(s + IDENTITY_KEYID_BYTES, key,
				crypto_secretstream_xchacha20poly1305_KEYBYTES, to[i].box_pk);
		memcpy(w->hdr.recip[i], s, IDENTITY_KEYID_BYTES);
	}
	crypto_secretstream_xchacha20poly1305_init_push(&w->sec->ss, hdr + len - BUNDLE_SS_HEADER_BYTES,
							key);
	sodium_free(key);
	memcpy(w->hdr.id, hdr + 16, BUNDLE_ID_BYTES);
	w->created_unix = now;
	w->hdr_len = len;
	w->hdr.nrecip = (unsigned)nto;
	w->hdr.chunk_log2 = BUNDLE_CHUNK_LOG2;
	bundle_outer_hash(hdr, len, w->ad);
	crypto_sign_init(&w->sign);
	crypto_sign_update(&w->sign, (const unsigned char *)BUNDLE_SIGN_DOMAIN,
			   sizeof BUNDLE_SIGN_DOMAIN - 1);
	crypto_sign_update(&w->sign, w->ad, sizeof w->ad);
	return out_put(w, hdr, len, err);
}

static int
write_inner(struct bundle_writer *w, const struct node_identity *self, uint64_t created_hlc,
	    const struct oplog_vv_item *acks, size_t nacks, struct cimic_error *err)
{
	struct buf b;
	size_t len = BUNDLE_INNER_FIXED + w->hdr.nrecip * IDENTITY_KEYID_BYTES + BUNDLE_INNER_AFTER_IDS +
		     nacks * 40;
	int rc;

	if (nacks > BUNDLE_MAX_ACKS || len > BUNDLE_INNER_MAX)
		return cimic_error_set(err, CIMIC_EFAIL, _("too many nodes for one bundle (%zu)"), nacks);
	buf_init(&b);
	buf_add(&b, BUNDLE_INNER_MAGIC, 4);
	buf_u32(&b, (uint32_t)len);
	buf_add(&b, w->hdr.id, BUNDLE_ID_BYTES);
	buf_add(&b, self->pub.sign_pk, IDENTITY_PK_BYTES);
	buf_addc(&b, (unsigned char)w->hdr.nrecip);
	for (unsigned i = 0; i < w->hdr.nrecip; i++)
		buf_add(&b, w->hdr.recip[i], IDENTITY_KEYID_BYTES);
	buf_u64(&b, created_hlc);
	buf_u64(&b, w->created_unix);
	buf_u32(&b, (uint32_t)nacks);
	for (size_t i = 0; i < nacks; i++) {
		buf_add(&b, acks[i].author, IDENTITY_PK_BYTES);
		buf_u64(&b, acks[i].seq);
	}
	if (b.failed)
		rc = cimic_error_set(err, CIMIC_EFAIL, _("out of memory"));
	else
		rc = pt_put(w, b.data, b.len, true, err);
	buf_finish(&b);
	return rc;
}

int
bundle_writer_create(const char *path, const struct node_identity *self,
		     const struct bundle_recipient *to, size_t nto, uint64_t created_hlc,
		     const struct oplog_vv_item *acks, size_t nacks, struct bundle_writer **out,
		     struct cimic_error *err)
{
	struct bundle_writer *w;

	*out = NULL;
	if (nto == 0 || nto > BUNDLE_MAX_RECIPIENTS)
		return cimic_error_set(err, CIMIC_EUSAGE, _("a bundle has 1 to %d recipients"),
				       BUNDLE_MAX_RECIPIENTS);
	if ((w = calloc(1, sizeof *w)) == NULL)
		return cimic_error_set(err, CIMIC_EFAIL, _("out of memory"));
	w->fd = -1;
	w->sign_sk = self->sign_sk;
	if ((w->sec = sodium_malloc(sizeof *w->sec)) == NULL) {
		free(w);
		return cimic_error_set(err, CIMIC_EFAIL, _("cannot allocate secure memory"));
	}
	if (open_part(w, path, err) != 0 || write_header(w, to, nto, err) != 0 ||
	    write_inner(w, self, created_hlc, acks, nacks, err) != 0)
		goto fail;
	if (deflateInit2(&w->z, 9, Z_DEFLATED, 15, 9, Z_DEFAULT_STRATEGY) != Z_OK) {
		cimic_error_set(err, CIMIC_EFAIL, _("compression failed"));
		goto fail;
	}
	w->z_ready = true;
	*out = w;
	return 0;
fail:
	bundle_writer_abort(w);
	return -1;
}

int
bundle_writer_add(struct bundle_writer *w, const unsigned char *raw, size_t len,
		  struct cimic_error *err)
{
	unsigned char rec[BUNDLE_RECORD_HEADER] = { BUNDLE_RECORD_ENTRY, (unsigned char)len,
						    (unsigned char)(len >> 8), (unsigned char)(len >> 16),
						    (unsigned char)(len >> 24) };

	if (len > OPLOG_ENTRY_MAX_BYTES || w->nrecords >= BUNDLE_MAX_RECORDS)
		return cimic_error_set(err, CIMIC_EFAIL, _("too much for one bundle"));
	w->nrecords++;
	w->body_ulen += sizeof rec + len;
	w->z.next_in = rec;
	w->z.avail_in = sizeof rec;
	if (deflate_run(w, Z_NO_FLUSH, err) != 0)
		return -1;
	w->z.next_in = (unsigned char *)raw;
	w->z.avail_in = (uInt)len;
	return deflate_run(w, Z_NO_FLUSH, err);
}

/*
 * Padding (signed, before the signature) that brings the plaintext to its
 * size bucket, so the file size says little more than the bucket.
 */
static int
write_padding(struct bundle_writer *w, struct cimic_error *err)
{
	static const unsigned char zeros[4096];
	uint64_t len = w->pt_len + BUNDLE_PAD_HEADER_BYTES + BUNDLE_SIG_BYTES;
	uint64_t pad = bundle_padded_length(len, w->hdr_len, BUNDLE_CHUNK_LOG2) - len;
	unsigned char head[BUNDLE_PAD_HEADER_BYTES] = { 'P', 'D', (unsigned char)pad,
							(unsigned char)(pad >> 8),
							(unsigned char)(pad >> 16),
							(unsigned char)(pad >> 24) };

	if (pt_put(w, head, sizeof head, true, err) != 0)
		return -1;
	while (pad > 0) {
		size_t k = pad < sizeof zeros ? (size_t)pad : sizeof zeros;
		if (pt_put(w, zeros, k, true, err) != 0)
			return -1;
		pad -= k;
	}
	return 0;
}

static int
write_end(struct bundle_writer *w, struct cimic_error *err)
{
	unsigned char sig[BUNDLE_SIG_BYTES] = "SG";
	struct buf b;
	int rc;

	w->z.next_in = NULL;
	w->z.avail_in = 0;
	if (deflate_run(w, Z_FINISH, err) != 0)
		return -1;
	buf_init(&b);
	buf_u32(&b, 0);   /* end of blocks */
	buf_add(&b, BUNDLE_FOOTER_MAGIC, 4);
	buf_u32(&b, w->nrecords);
	buf_u64(&b, w->body_clen);
	buf_u64(&b, w->body_ulen);
	rc = b.failed ? cimic_error_set(err, CIMIC_EFAIL, _("out of memory"))
		      : pt_put(w, b.data, b.len, true, err);
	buf_finish(&b);
	if (rc != 0 || write_padding(w, err) != 0)
		return -1;
	crypto_sign_final_create(&w->sign, sig + 2, NULL, w->sign_sk);
	if (pt_put(w, sig, sizeof sig, false, err) != 0 ||
	    frame_push(w, crypto_secretstream_xchacha20poly1305_TAG_FINAL, err) != 0)
		return -1;
	return 0;
}

static int
write_trailer(struct bundle_writer *w, struct cimic_error *err)
{
	unsigned char t[16];
	uint64_t total = w->written + BUNDLE_TRAILER_BYTES;

	memcpy(t, BUNDLE_TRAILER_MAGIC, 8);
	for (int i = 0; i < 8; i++)
		t[8 + i] = (unsigned char)(total >> (8 * i));
	if (out_put(w, t, sizeof t, err) != 0)
		return -1;
	crypto_generichash_final(&w->file_hash, w->hdr.hash, BUNDLE_HASH_BYTES);
	if (out_flush(w, err) != 0)
		return -1;
	/* the hash is not part of its own input: append it past out_put */
	memcpy(w->out, w->hdr.hash, BUNDLE_HASH_BYTES);
	w->outlen = BUNDLE_HASH_BYTES;
	w->written += BUNDLE_HASH_BYTES;
	w->hdr.size = w->written;
	return out_flush(w, err);
}

/* Copies the checked temporary file to the in-place target. */
static int
copy_out(struct bundle_writer *w, struct cimic_error *err)
{
	unsigned char buf[64u << 10];
	uint64_t off = 0;
	int out, rc = 0;

	if (util_output_open(w->path, &out, err) != 0)
		return -1;
	while (rc == 0 && off < w->hdr.size) {
		size_t n = w->hdr.size - off < sizeof buf ? (size_t)(w->hdr.size - off) : sizeof buf;
		rc = bundle_pread(w->fd, buf, n, off, err);
		if (rc == 0 && util_write_all(out, buf, n) != 0)
			rc = io_error(w, err);
		off += n;
	}
	if (close(out) != 0 && rc == 0)
		rc = io_error(w, err);
	return rc;
}

/* In place: check the temporary copy, then write it out. */
static int
finish_in_place(struct bundle_writer *w, struct bundle_header *check, struct cimic_error *err)
{
	unsigned char raw[BUNDLE_HEADER_BYTES(BUNDLE_MAX_RECIPIENTS)];
	size_t rawlen;

	if (bundle_check_fd(w->fd, check, raw, &rawlen, err) != 0 ||
	    memcmp(check->hash, w->hdr.hash, BUNDLE_HASH_BYTES) != 0)
		return cimic_error_set(err, CIMIC_EIO, _("the bundle for %s did not read back as written"),
				       w->path);
	return copy_out(w, err);
}

int
bundle_writer_finish(struct bundle_writer *w, struct bundle_header *h, struct cimic_error *err)
{
	struct bundle_header check;

	if (write_end(w, err) != 0 || write_trailer(w, err) != 0)
		goto fail;
	if (w->in_place) {
		if (finish_in_place(w, &check, err) != 0)
			goto fail;
		if (h != NULL)
			*h = check;
		bundle_writer_abort(w);
		return 0;
	}
	if (fsync(w->fd) != 0 || close(w->fd) != 0) {
		w->fd = -1;
		io_error(w, err);
		goto fail;
	}
	w->fd = -1;
	/* verify what was just produced before it replaces anything */
	if (bundle_check(w->part, &check, err) != 0 ||
	    memcmp(check.hash, w->hdr.hash, BUNDLE_HASH_BYTES) != 0) {
		cimic_error_set(err, CIMIC_EIO, _("%s did not read back as written"), w->part);
		goto fail;
	}
	if (rename(w->part, w->path) != 0) {
		io_error(w, err);
		goto fail;
	}
	util_fsync_dir_of(w->path);
	if (h != NULL)
		*h = check;
	free(w->part);
	w->part = NULL;
	bundle_writer_abort(w);
	return 0;
fail:
	bundle_writer_abort(w);
	return -1;
}

void
bundle_writer_abort(struct bundle_writer *w)
{
	if (w == NULL)
		return;
	if (w->fd >= 0)
		close(w->fd);
	if (w->part != NULL)
		unlink(w->part);
	if (w->z_ready)
		deflateEnd(&w->z);
	sodium_free(w->sec);
	sodium_memzero(&w->sign, sizeof w->sign);
	free(w->path);
	free(w->part);
	free(w);
}
