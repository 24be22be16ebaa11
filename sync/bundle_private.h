/* bundle_private.h - private to sync/: file-level helpers shared by the bundle reader parts. */
#ifndef CIMIC_SYNC_BUNDLE_PRIVATE_H
#define CIMIC_SYNC_BUNDLE_PRIVATE_H

#include <stdint.h>

#include "bundle_format.h"

/*
 * Opens a bundle to read: non-blocking, so a FIFO or a device put where
 * a bundle should be cannot hang the reader, and refused (66, with what
 * it is) unless it is a regular file.  Returns the fd or -1 with err.
 */
int bundle_open_input(const char *path, struct cimic_error *err);
/* Reads exactly n bytes at off (CIMIC_EDATA "truncated" at end of file). */
int bundle_pread(int fd, void *p, size_t n, uint64_t off, struct cimic_error *err);
/* File size, checked against the smallest and largest possible bundle. */
int bundle_file_size(int fd, uint64_t *size, struct cimic_error *err);
/* Parses the cleartext header into h; raw (BUNDLE_HEADER_BYTES(16) bytes) gets its bytes. */
int bundle_parse_header(int fd, uint64_t size, struct bundle_header *h, unsigned char *raw,
			size_t *rawlen, struct cimic_error *err);
/* Pass 0: trailer hash, then header. */
int bundle_check_fd(int fd, struct bundle_header *h, unsigned char *raw, size_t *rawlen,
		    struct cimic_error *err);

/*
 * The plaintext length a bundle of `len` plaintext bytes is padded to,
 * with hdr_len header bytes and frames of 2^log2 (man/cimic-bundle.5):
 * at least BUNDLE_PAD_MIN, above that the next multiple of an eighth of
 * the power of two below, and never so much that the file would pass
 * BUNDLE_MAX_FILE.
 */
uint64_t bundle_padded_length(uint64_t len, size_t hdr_len, unsigned log2);

/* Is recipient id `kid` (bundle_recipient_id) among the recipients? */
bool bundle_is_for(const struct bundle_header *h, const unsigned char kid[IDENTITY_KEYID_BYTES]);

/* Header only (no trailer check): is this a bundle, and for whom?  Cheap. */
int bundle_peek(const char *path, struct bundle_header *h, struct cimic_error *err);

/* Pass 1: decrypts everything and verifies the sender's signature. */
int bundle_reader_authenticate(struct bundle_reader *r, struct cimic_error *err);

void bundle_reader_destroy(struct bundle_reader *r);

int bundle_reader_entries(struct bundle_reader *r, bundle_entry_cb cb, void *arg,
			  struct cimic_error *err);

const struct bundle_header *bundle_reader_header(const struct bundle_reader *r);

/* After pass 1. */
const struct bundle_inner *bundle_reader_inner(const struct bundle_reader *r);

/*
 * Pass 0, then opens this node's recipient stanza (CIMIC_EPERM when
 * there is none).  The fd variant reads an open file the caller keeps.
 * OUT *out: bundle_reader_destroy.
 */
int bundle_reader_open(const char *path, const struct node_identity *self,
		       struct bundle_reader **out, struct cimic_error *err);

int bundle_reader_open_fd(int fd, const struct node_identity *self, struct bundle_reader **out,
			  struct cimic_error *err);

/* Removes the .part file and frees (NULL is a no-op). */
void bundle_writer_abort(struct bundle_writer *w);

/* Adds one encoded entry. */
int bundle_writer_add(struct bundle_writer *w, const unsigned char *raw, size_t len,
		      struct cimic_error *err);

/*
 * Starts a bundle at path (written to path.part until finished).
 * acks: the sender's version vector (copied).  OUT *out: finish or abort.
 */
int bundle_writer_create(const char *path, const struct node_identity *self,
			 const struct bundle_recipient *to, size_t nto, uint64_t created_hlc,
			 const struct oplog_vv_item *acks, size_t nacks, struct bundle_writer **out,
			 struct cimic_error *err);

/*
 * Finishes: final frame, trailer, fsync, checks the written file
 * against its trailer, renames it into place, fsyncs the directory.
 * Frees w whatever the result.  OUT h (optional): the header.
 */
int bundle_writer_finish(struct bundle_writer *w, struct bundle_header *h, struct cimic_error *err);

#endif
