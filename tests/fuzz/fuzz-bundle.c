/*
 * fuzz-bundle.c - libFuzzer target for the bundle reader.
 *
 * The first input byte picks a mode:
 *   even: the rest is a whole bundle file, read as an import would
 *         (trailer, header, stanza, frames, signature, inflate, entries);
 *   odd:  the rest is the plaintext inside a bundle.  The harness makes
 *         it authentic (fixed bundle id, sender and recipient patched
 *         in, signature recomputed, wrapped in valid frames and trailer)
 *         so the fuzzer reaches the inner header, block, footer,
 *         inflate and record parsers behind the cryptography.
 * Every path must end in success or a clean error, never a crash, an
 * over-read or a leak.  Keys come from fixed seeds, so the seed corpus
 * (tests/fuzz/corpus/bundle, made by fuzz-bundle-corpus) stays valid.
 *
 * Build by hand:
 *   clang -g -O1 -fsanitize=fuzzer,address,undefined -Iinclude -Isync \
 *     tests/fuzz/fuzz-bundle.c build/sync/libcimic-sync.a build/src/libcimic-core.a \
 *     -lsqlite3 -lsodium -lz -lm -o fuzz-bundle
 *   ./fuzz-bundle -max_total_time=60 tests/fuzz/corpus/bundle
 * (build/ made with CC=clang and -Db_sanitize=address,undefined -Db_lundef=false).
 */
#define _GNU_SOURCE
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "bundle_format.h"
#include "cimic/bundle.h"
#include "bundle_private.h"
#include "cimic/oplog.h"
#include "fuzz-bundle.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const unsigned char fixed_id[BUNDLE_ID_BYTES] = "fuzz-bundle-id!";

static int
count_entry(const unsigned char *raw, size_t len, void *arg, struct cimic_error *err)
{
	struct oplog_entry e;

	(*(long *)arg)++;
	if (oplog_entry_decode(raw, len, &e, err) == 0)
		oplog_entry_finish(&e);
	return 0;   /* keep reading: the body parser is what is fuzzed */
}

static void
read_fd(int fd, const struct node_identity *me)
{
	struct bundle_reader *r;
	struct cimic_error err;
	long n = 0;

	if (bundle_reader_open_fd(fd, me, &r, &err) != 0)
		return;
	if (bundle_reader_authenticate(r, &err) == 0)
		bundle_reader_entries(r, count_entry, &n, &err);
	bundle_reader_destroy(r);
}

static void
put_le(unsigned char *p, uint64_t v, int n)
{
	for (int i = 0; i < n; i++)
		p[i] = (unsigned char)(v >> (8 * i));
}

/* Makes plaintext authentic: ids, sender, recipient patched; signature recomputed. */
static void
authenticate_plaintext(unsigned char *pt, size_t n, const unsigned char ad[32],
		       const struct node_identity *sender, const struct node_identity *me)
{
	crypto_sign_state sign;

	if (n < BUNDLE_SIG_BYTES + 8 + BUNDLE_ID_BYTES + 32 + 1 + IDENTITY_KEYID_BYTES)
		return;
	memcpy(pt + 8, fixed_id, BUNDLE_ID_BYTES);
	memcpy(pt + 24, sender->pub.sign_pk, 32);
	pt[56] = 1;
	identity_key_id(me->pub.sign_pk, pt + 57);
	crypto_sign_init(&sign);
	crypto_sign_update(&sign, (const unsigned char *)BUNDLE_SIGN_DOMAIN,
			   sizeof BUNDLE_SIGN_DOMAIN - 1);
	crypto_sign_update(&sign, ad, 32);
	crypto_sign_update(&sign, pt, n - BUNDLE_SIG_BYTES);
	memcpy(pt + n - BUNDLE_SIG_BYTES, BUNDLE_SIG_MAGIC, 2);
	crypto_sign_final_create(&sign, pt + n - BUNDLE_SIG_BYTES + 2, NULL, sender->sign_sk);
}

/* Signs plaintext pt and writes a valid container around it into fd. */
static void
wrap(int fd, const struct node_identity *me, const struct node_identity *sender, unsigned char *pt,
     size_t n)
{
	unsigned char hdr[BUNDLE_HEADER_BYTES(1)] = { 0 }, key[32], ad[32], t[16], h[32];
	unsigned char frame[(1u << BUNDLE_CHUNK_LOG2_MIN) + BUNDLE_FRAME_OVERHEAD], len[4];
	crypto_secretstream_xchacha20poly1305_state ss;
	crypto_generichash_state fh;
	size_t chunk = 1u << BUNDLE_CHUNK_LOG2_MIN, off = 0;
	uint64_t total = sizeof hdr;

	memcpy(hdr, BUNDLE_MAGIC, BUNDLE_MAGIC_BYTES);
	hdr[8] = BUNDLE_VERSION;
	hdr[10] = BUNDLE_FLAGS;
	put_le(hdr + 12, sizeof hdr, 4);
	memcpy(hdr + 16, fixed_id, BUNDLE_ID_BYTES);
	hdr[40] = 1;
	hdr[41] = BUNDLE_CHUNK_LOG2_MIN;
	identity_key_id(me->pub.sign_pk, hdr + BUNDLE_FIXED_BYTES);
	memset(key, 7, sizeof key);
	crypto_box_seal(hdr + BUNDLE_FIXED_BYTES + 8, key, sizeof key, me->pub.box_pk);
	crypto_secretstream_xchacha20poly1305_init_push(&ss, hdr + sizeof hdr - BUNDLE_SS_HEADER_BYTES,
							key);
	bundle_outer_hash(hdr, sizeof hdr, ad);
	authenticate_plaintext(pt, n, ad, sender, me);
	crypto_generichash_init(&fh, NULL, 0, 32);
	crypto_generichash_update(&fh, hdr, sizeof hdr);
	(void)!write(fd, hdr, sizeof hdr);
	do {
		size_t k = n - off > chunk ? chunk : n - off;
		unsigned long long clen;
		bool last = off + k == n;
		crypto_secretstream_xchacha20poly1305_push(&ss, frame, &clen, pt + off, k, ad, sizeof ad,
			last ? crypto_secretstream_xchacha20poly1305_TAG_FINAL
			     : crypto_secretstream_xchacha20poly1305_TAG_MESSAGE);
		put_le(len, clen, 4);
		crypto_generichash_update(&fh, len, 4);
		crypto_generichash_update(&fh, frame, (size_t)clen);
		(void)!write(fd, len, 4);
		(void)!write(fd, frame, (size_t)clen);
		total += 4 + clen;
		off += k;
	} while (off < n);
	memcpy(t, BUNDLE_TRAILER_MAGIC, 8);
	put_le(t + 8, total + BUNDLE_TRAILER_BYTES, 8);
	crypto_generichash_update(&fh, t, sizeof t);
	crypto_generichash_final(&fh, h, sizeof h);
	(void)!write(fd, t, sizeof t);
	(void)!write(fd, h, sizeof h);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct node_identity me, sender;
	static bool ready;
	int fd;

	if (!ready) {
		if (sodium_init() < 0)
			abort();
		fuzz_identity(&me, FUZZ_RECIPIENT);
		fuzz_identity(&sender, FUZZ_SENDER);
		ready = true;
	}
	if (size < 1 || size > (4u << 20))
		return 0;
	fd = memfd_create("bundle", MFD_CLOEXEC);
	if (fd < 0)
		abort();
	if (data[0] % 2 == 0) {
		(void)!write(fd, data + 1, size - 1);
	} else {
		unsigned char *pt = malloc(size);
		memcpy(pt, data + 1, size - 1);
		wrap(fd, &me, &sender, pt, size - 1);
		free(pt);
	}
	read_fd(fd, &me);
	close(fd);
	return 0;
}
