/*
 * bundle.h - the bundle file: compressed, signed, encrypted entries
 * (DESIGN.md section 5; byte format in man/cimic-bundle.5).
 *
 * Order: entries as records -> zlib -> Ed25519 signature (covering the
 * outer header, the inner header, the compressed body and the padding)
 * -> encryption with crypto_secretstream under a fresh key sealed to each
 * recipient's X25519 box key.  In clear: magic, version, bundle id,
 * recipient ids (bundle_recipient_id, never a fingerprint), and a trailer
 * hash a courier checks without any key.  The sender and the creation
 * time appear only inside the ciphertext, and the plaintext is padded to
 * a size bucket, so the file size tells little more than the bucket.
 *
 * Reading is written for hostile input and never holds the bundle in
 * memory: the file is read three times with fixed buffers.  Pass 0
 * (bundle_check) hashes it against its trailer and parses the header;
 * pass 1 (bundle_reader_authenticate) decrypts every frame and verifies
 * the signature without inflating; pass 2 (bundle_reader_entries)
 * decrypts again, inflates under absolute and ratio caps and hands each
 * entry to a callback, checking that it read exactly what pass 1
 * authenticated.  Every length is checked before anything is allocated
 * from it.
 *
 * Errors: CIMIC_EDATA for a malformed, truncated, extended or tampered
 * file; CIMIC_EPERM when the file is not addressed to this node;
 * CIMIC_ENOINPUT / CIMIC_EIO for file problems.
 */
#ifndef CIMIC_BUNDLE_H
#define CIMIC_BUNDLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cimic/error.h"
#include "cimic/identity.h"
#include "cimic/oplog.h"

#define BUNDLE_ID_BYTES 16
#define BUNDLE_HASH_BYTES 32
#define BUNDLE_MAX_RECIPIENTS 16
#define BUNDLE_FIXED_BYTES 48
#define BUNDLE_STANZA_BYTES 88        /* recipient id 8 + sealed 32-byte key 80 */
#define BUNDLE_TRAILER_BYTES 48
#define BUNDLE_MAX_FILE (256ull << 20)
#define BUNDLE_CHUNK_LOG2 16          /* 64 KiB frames */
#define BUNDLE_CHUNK_LOG2_MIN 12
#define BUNDLE_CHUNK_LOG2_MAX 20
#define BUNDLE_INNER_MAX (64u << 10)
#define BUNDLE_MAX_ACKS 1024
#define BUNDLE_BLOCK_MAX (1u << 20)   /* a compressed body block */
#define BUNDLE_MAX_RECORDS 1000000u
#define BUNDLE_INFLATE_MAX (1ull << 30)
#define BUNDLE_INFLATE_RATIO 20ull    /* inflated <= 20 x compressed + 1 MiB */

/* What anyone can read without a key (and what pass 0 verified). */
struct bundle_header {
	unsigned char id[BUNDLE_ID_BYTES];
	unsigned nrecip;
	unsigned char recip[BUNDLE_MAX_RECIPIENTS][IDENTITY_KEYID_BYTES];   /* bundle_recipient_id()s */
	unsigned chunk_log2;
	uint64_t size;                    /* file length */
	unsigned char hash[BUNDLE_HASH_BYTES];   /* BLAKE2b-256 of all bytes before the hash */
};

/* The authenticated inner header (after pass 1). */
struct bundle_inner {
	unsigned char sender[IDENTITY_PK_BYTES];
	uint64_t created_hlc;
	uint64_t created_unix;            /* sender's clock, Unix seconds; advisory, never trusted */
	size_t nacks;
	struct oplog_vv_item *acks;       /* owned by the reader: the sender's version vector,
					     so what it acknowledges */
	uint32_t nrecords;
	uint64_t body_clen, body_ulen;
};

struct bundle_recipient {
	unsigned char sign_pk[IDENTITY_PK_BYTES];
	unsigned char box_pk[IDENTITY_PK_BYTES];
};

/* ---- writing ---- */

struct bundle_writer;

/*
 * The id that names a recipient in the clear (in the header and in
 * mailbox file names): BLAKE2b-64 of its Ed25519 key under the bundle's
 * own personalisation, so it is never the key id behind the fingerprint
 * people read aloud, and a courier cannot match a file to a fingerprint.
 */
void bundle_recipient_id(const unsigned char sign_pk[IDENTITY_PK_BYTES],
			 unsigned char out[IDENTITY_KEYID_BYTES]);

/* ---- reading ---- */

/* Pass 0 without a key: size, trailer hash, header.  For `bundle verify` and couriers. */
int bundle_check(const char *path, struct bundle_header *h, struct cimic_error *err);

struct bundle_reader;

/*
 * Pass 2: calls cb with each entry's bytes, in order.  A non-zero return
 * from cb stops the walk and is returned (cb fills err).  Fails when the
 * stream differs from what pass 1 authenticated.
 */
typedef int (*bundle_entry_cb)(const unsigned char *raw, size_t len, void *arg,
			       struct cimic_error *err);

#endif
