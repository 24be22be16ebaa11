/*
 * bundle_read.h - private to sync/: the reader's state, shared by
 * bundle_read.c (frames, opening) and bundle_parse.c (passes 1 and 2).
 */
#ifndef CIMIC_SYNC_BUNDLE_READ_H
#define CIMIC_SYNC_BUNDLE_READ_H

#include <stdbool.h>
#include <stdint.h>

#include "bundle_format.h"

/* Secrets: the stream key and state, and the decrypted frame. */
struct reader_secrets {
	crypto_secretstream_xchacha20poly1305_state ss;
	unsigned char key[crypto_secretstream_xchacha20poly1305_KEYBYTES];
	unsigned char *chunk;              /* sodium_malloc, csize bytes */
};

struct bundle_reader {
	int fd;
	bool own_fd;
	struct bundle_header hdr;
	unsigned char hdr_raw[BUNDLE_HEADER_BYTES(BUNDLE_MAX_RECIPIENTS)];
	size_t hdr_len;
	unsigned char ad[BUNDLE_HASH_BYTES];
	struct reader_secrets *sec;        /* sodium_malloc, owned */
	unsigned char *frame;              /* ciphertext buffer, owned */
	size_t csize;                      /* plaintext bytes per full frame */
	size_t clen, cpos;                 /* current frame: length, read position */
	uint64_t off, frames_end;          /* file offsets */
	unsigned long frame_no;
	bool final_seen;
	crypto_generichash_state pt_hash;  /* of every plaintext byte handed out */
	uint64_t pt_pos;                   /* plaintext bytes handed out in this pass */
	/* pass 1 */
	bool authenticated;
	struct bundle_inner inner;         /* inner.acks owned */
	unsigned char *inner_raw;          /* owned */
	size_t inner_len;
	unsigned char authenticated_hash[BUNDLE_HASH_BYTES];
	/* pass 2: the record being assembled */
	unsigned char *rec;                /* owned, grows to the largest record */
	size_t rec_cap;
};

/* Restarts the stream at the first frame (each pass reads from the start). */
int reader_start(struct bundle_reader *r, struct cimic_error *err);
/* Exactly n plaintext bytes (CIMIC_EDATA when the stream cannot give them). */
int reader_read(struct bundle_reader *r, void *p, size_t n, struct cimic_error *err);
/* The stream must end here. */
int reader_end(struct bundle_reader *r, struct cimic_error *err);

#endif
