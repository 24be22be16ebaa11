/*
 * bundle_read.c - opening, authenticating and reading a bundle for
 * this node (passes 1 and 2; pass 0 is bundle_check.c).
 *
 * The frame layer hands out plaintext one frame at a time and enforces
 * the stream rules: every frame authenticates with the header hash as
 * additional data, non-final frames are full, the FINAL frame ends
 * exactly where the trailer starts, and the stream may neither stop
 * before FINAL nor go on after it.  Every plaintext byte handed out is
 * hashed, so pass 2 can prove it read what pass 1 authenticated.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bundle_private.h"
#include "bundle_read.h"
#include "cimic/i18n.h"
#include "cimic/util.h"

/* ---- the frame layer ---- */

static int
next_frame(struct bundle_reader *r, struct cimic_error *err)
{
	unsigned char len[4], tag;
	unsigned long long mlen;
	uint32_t clen;

	if (r->final_seen)
		return cimic_error_set(err, CIMIC_EDATA, _("the bundle's content ends early"));
	if (r->off == r->frames_end || r->frames_end - r->off < 4)
		return cimic_error_set(err, CIMIC_EDATA,
				       _("the bundle stops before its final frame (truncated)"));
	if (bundle_pread(r->fd, len, 4, r->off, err) != 0)
		return -1;
	clen = util_le32(len);
	if (clen < BUNDLE_FRAME_OVERHEAD || clen > r->csize + BUNDLE_FRAME_OVERHEAD)
		return cimic_error_set(err, CIMIC_EDATA, _("bundle frame %lu has a bad length"),
				       r->frame_no + 1);
	if (clen > r->frames_end - r->off - 4)
		return cimic_error_set(err, CIMIC_EDATA,
				       _("the bundle stops inside a frame (truncated)"));
	if (bundle_pread(r->fd, r->frame, clen, r->off + 4, err) != 0)
		return -1;
	r->off += 4 + (uint64_t)clen;
	r->frame_no++;
	if (crypto_secretstream_xchacha20poly1305_pull(&r->sec->ss, r->sec->chunk, &mlen, &tag, r->frame,
						       clen, r->ad, sizeof r->ad) != 0)
		return cimic_error_set(err, CIMIC_EDATA,
				       _("bundle frame %lu fails authentication (tampered)"), r->frame_no);
	if (tag == crypto_secretstream_xchacha20poly1305_TAG_FINAL) {
		r->final_seen = true;
		if (r->off != r->frames_end)
			return cimic_error_set(err, CIMIC_EDATA,
					       _("data follows the bundle's final frame"));
	} else if (tag != crypto_secretstream_xchacha20poly1305_TAG_MESSAGE || mlen != r->csize) {
		return cimic_error_set(err, CIMIC_EDATA, _("bundle frame %lu is malformed"), r->frame_no);
	}
	r->clen = (size_t)mlen;
	r->cpos = 0;
	return 0;
}

int
reader_start(struct bundle_reader *r, struct cimic_error *err)
{
	r->off = r->hdr_len;
	r->final_seen = false;
	r->frame_no = 0;
	r->clen = r->cpos = 0;
	r->pt_pos = 0;
	crypto_generichash_init(&r->pt_hash, NULL, 0, BUNDLE_HASH_BYTES);
	if (crypto_secretstream_xchacha20poly1305_init_pull(
		    &r->sec->ss, r->hdr_raw + r->hdr_len - BUNDLE_SS_HEADER_BYTES, r->sec->key) != 0)
		return cimic_error_set(err, CIMIC_EDATA, _("the bundle's stream header is damaged"));
	return 0;
}

int
reader_read(struct bundle_reader *r, void *p, size_t n, struct cimic_error *err)
{
	unsigned char *b = p;

	while (n > 0) {
		size_t k;
		if (r->cpos == r->clen && next_frame(r, err) != 0)
			return -1;
		k = r->clen - r->cpos < n ? r->clen - r->cpos : n;
		memcpy(b, r->sec->chunk + r->cpos, k);
		crypto_generichash_update(&r->pt_hash, b, k);
		r->cpos += k;
		r->pt_pos += k;
		b += k;
		n -= k;
	}
	return 0;
}

int
reader_end(struct bundle_reader *r, struct cimic_error *err)
{
	if (r->cpos != r->clen || !r->final_seen)
		return cimic_error_set(err, CIMIC_EDATA,
				       _("the bundle goes on after its signature"));
	return 0;
}

/* ---- opening ---- */

/* Opens the first stanza with our recipient id that our box key opens. */
static int
open_stanza(struct bundle_reader *r, const struct node_identity *self, struct cimic_error *err)
{
	unsigned char kid[IDENTITY_KEYID_BYTES];
	bool named = false;

	bundle_recipient_id(self->pub.sign_pk, kid);
	for (unsigned i = 0; i < r->hdr.nrecip; i++) {
		const unsigned char *s = r->hdr_raw + BUNDLE_FIXED_BYTES + i * BUNDLE_STANZA_BYTES;
		if (memcmp(s, kid, sizeof kid) != 0)
			continue;
		named = true;
		if (crypto_box_seal_open(r->sec->key, s + IDENTITY_KEYID_BYTES,
					 BUNDLE_STANZA_BYTES - IDENTITY_KEYID_BYTES, self->pub.box_pk,
					 self->box_sk) == 0)
			return 0;
	}
	if (!named)
		return cimic_error_set(err, CIMIC_EPERM,
				       _("this bundle is not addressed to this node"));
	return cimic_error_set(err, CIMIC_EDATA,
			       _("this node's key does not open the bundle (tampered?)"));
}

static int
alloc_buffers(struct bundle_reader *r, struct cimic_error *err)
{
	r->csize = (size_t)1 << r->hdr.chunk_log2;   /* 2^12..2^20, checked by the header parser */
	r->sec = sodium_malloc(sizeof *r->sec);
	if (r->sec != NULL)
		r->sec->chunk = sodium_malloc(r->csize);
	r->frame = malloc(r->csize + BUNDLE_FRAME_OVERHEAD);
	if (r->sec == NULL || r->sec->chunk == NULL || r->frame == NULL)
		return cimic_error_set(err, CIMIC_EFAIL, _("cannot allocate secure memory"));
	return 0;
}

int
bundle_reader_open_fd(int fd, const struct node_identity *self, struct bundle_reader **out,
		      struct cimic_error *err)
{
	struct bundle_reader *r = calloc(1, sizeof *r);

	*out = NULL;
	if (r == NULL)
		return cimic_error_set(err, CIMIC_EFAIL, _("out of memory"));
	r->fd = fd;
	if (bundle_check_fd(fd, &r->hdr, r->hdr_raw, &r->hdr_len, err) != 0)
		goto fail;
	r->frames_end = r->hdr.size - BUNDLE_TRAILER_BYTES;
	bundle_outer_hash(r->hdr_raw, r->hdr_len, r->ad);
	if (alloc_buffers(r, err) != 0 || open_stanza(r, self, err) != 0)
		goto fail;
	*out = r;
	return 0;
fail:
	bundle_reader_destroy(r);
	return -1;
}

int
bundle_reader_open(const char *path, const struct node_identity *self, struct bundle_reader **out,
		   struct cimic_error *err)
{
	int fd = bundle_open_input(path, err);

	*out = NULL;
	if (fd < 0)
		return -1;
	if (bundle_reader_open_fd(fd, self, out, err) != 0) {
		close(fd);
		return -1;
	}
	(*out)->own_fd = true;
	return 0;
}

const struct bundle_header *
bundle_reader_header(const struct bundle_reader *r)
{
	return &r->hdr;
}

const struct bundle_inner *
bundle_reader_inner(const struct bundle_reader *r)
{
	return r->authenticated ? &r->inner : NULL;
}

void
bundle_reader_destroy(struct bundle_reader *r)
{
	if (r == NULL)
		return;
	if (r->own_fd)
		close(r->fd);
	if (r->sec != NULL)
		sodium_free(r->sec->chunk);
	sodium_free(r->sec);
	free(r->frame);
	free(r->inner_raw);
	free(r->inner.acks);
	free(r->rec);
	free(r);
}
