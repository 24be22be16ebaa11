/*
 * fuzz-link.c - libFuzzer target for what a link peer controls: the
 * decrypted message stream and the two Noise handshake messages.
 *
 * The first input byte picks the target (low two bits) and, for the
 * stream, the size of the pieces it arrives in (high six bits), because
 * frames cut messages anywhere.  The stream is reassembled exactly as the
 * link does: append a piece, parse whole messages, keep the rest; the
 * buffer may never grow past a header plus LINKPROTO_BODY_MAX.  Whatever
 * parses is checked against the format's invariants, and an accepted
 * hello or batch is re-encoded and must parse to the same thing.
 *
 * Every build replays the seeds (corpus/link) with their truncations and
 * bit flips (tests/fuzz/meson.build); real fuzzing with -Dfuzz=true, or by
 * hand:
 *   clang -g -O1 -fsanitize=fuzzer,address,undefined -D_DEFAULT_SOURCE -Iinclude \
 *     tests/fuzz/fuzz-link.c sync/linkproto.c sync/noise.c src/util.c src/error.c \
 *     -lsodium -o fuzz-link
 *   ./fuzz-link -max_total_time=60 -max_len=70000 tests/fuzz/corpus/link
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "linkproto.h"
#include "noise.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const unsigned char prologue[] = "cimic-link-v1";

static void
check_entries(const struct linkproto_entries *e)
{
	const unsigned char *raw;
	size_t pos = 0, len, n = 0;
	struct buf b;
	size_t start;
	struct cimic_error err;
	struct linkproto_msg again;
	size_t used;

	buf_init(&b);
	start = linkproto_begin_entries(&b, e->batch);
	while (linkproto_entry_next(e, &pos, &raw, &len)) {
		if (len < LINKPROTO_ENTRY_MIN || len > LINKPROTO_ENTRY_MAX)
			abort();
		if (linkproto_add_entry(&b, start, raw, len, &err) != 0)
			abort();
		n++;
	}
	linkproto_end_entries(&b, start);
	if (n != e->n || pos != e->span)
		abort();
	if (linkproto_parse(b.data, b.len, &again, &used, &err) != LINKPROTO_MESSAGE || used != b.len ||
	    again.u.entries.n != e->n || again.u.entries.span != e->span ||
	    memcmp(again.u.entries.first, e->first, e->span) != 0)
		abort();
	buf_finish(&b);
}

static void
check_hello(const struct linkproto_hello *h)
{
	struct oplog_vv_item *items = calloc(h->n + 1u, sizeof *items);
	struct cimic_error err;
	struct linkproto_msg again;
	struct buf b;
	size_t used;

	if (items == NULL)
		abort();
	for (size_t i = 0; i < h->n; i++) {
		const unsigned char *author;
		linkproto_vv_item(h, i, &author, &items[i].seq);
		memcpy(items[i].author, author, LINKPROTO_AUTHOR_BYTES);
	}
	buf_init(&b);
	if (linkproto_put_hello(&b, h->role, h->roster_version, items, h->n, &err) != 0 ||
	    linkproto_parse(b.data, b.len, &again, &used, &err) != LINKPROTO_MESSAGE ||
	    again.u.hello.n != h->n ||
	    memcmp(again.u.hello.items, h->items, (size_t)h->n * LINKPROTO_VV_ITEM_BYTES) != 0)
		abort();
	buf_finish(&b);
	free(items);
}

static void
check_message(const struct linkproto_msg *m)
{
	switch (m->type) {
	case LINK_HELLO:
		check_hello(&m->u.hello);
		break;
	case LINK_ENTRIES:
		check_entries(&m->u.entries);
		break;
	case LINK_ERROR:
		if (memchr(m->u.error.reason, '\0', sizeof m->u.error.reason) == NULL)
			abort();
		break;
	default:
		break;
	}
}

/* Reassembles the stream from pieces of `piece` bytes (0: all at once). */
static void
fuzz_stream(const uint8_t *data, size_t size, size_t piece)
{
	struct cimic_error err;
	struct linkproto_msg m;
	struct buf in;
	size_t at = 0;

	buf_init(&in);
	while (at < size) {
		size_t n = piece == 0 || size - at < piece ? size - at : piece, used;
		int rc;

		buf_add(&in, data + at, n);
		at += n;
		while ((rc = linkproto_parse(in.data, in.len, &m, &used, &err)) == LINKPROTO_MESSAGE) {
			if (used == 0 || used > in.len)
				abort();
			check_message(&m);
			memmove(in.data, in.data + used, in.len - used);
			in.len -= used;
		}
		if (rc == -1) {
			if (memchr(err.msg, '\0', sizeof err.msg) == NULL)
				abort();
			break;
		}
		if (used > LINKPROTO_HEADER_BYTES + LINKPROTO_BODY_MAX ||
		    in.len > LINKPROTO_HEADER_BYTES + LINKPROTO_BODY_MAX)
			abort();
	}
	buf_finish(&in);
}

/*
 * Fixed static and ephemeral keys, so that seeds made with them (see
 * FUZZ_LINK_SEEDS below) reach past the key exchange into the payloads.
 */
static void
keys(unsigned char isk[32], unsigned char rsk[32], unsigned char rpk[32])
{
	memset(isk, 0x11, 32);
	memset(rsk, 0x22, 32);
	crypto_scalarmult_base(rpk, rsk);
}

static const unsigned char init_ephemeral[32] = { 0x33, 0x33, 0x33 };

static void
fuzz_handshake(const uint8_t *data, size_t size, int which)
{
	unsigned char isk[32], rsk[32], rpk[32], out[NOISE_MSG_MAX], payload[NOISE_MSG_MAX];
	struct noise_handshake *hs = NULL;
	struct cimic_error err;
	struct linkproto_msg m;
	size_t n, used;

	keys(isk, rsk, rpk);
	if (which == 1) {
		noise_handshake_create(NOISE_RESPONDER, prologue, sizeof prologue, rsk, NULL, &hs, &err);
	} else {
		noise_handshake_create(NOISE_INITIATOR, prologue, sizeof prologue, isk, rpk, &hs, &err);
		if (hs == NULL)
			abort();
		noise_handshake_fix_ephemeral(hs, init_ephemeral);
		noise_handshake_write(hs, NULL, 0, out, sizeof out, &n, &err);
	}
	if (hs == NULL)
		abort();
	if (noise_handshake_read(hs, data, size, payload, sizeof payload, &n, &err) == 0) {
		if (which == 1 && noise_handshake_remote_static(hs) == NULL)
			abort();
		if (linkproto_parse(payload, n, &m, &used, &err) == LINKPROTO_MESSAGE)
			check_message(&m);
	} else if (noise_handshake_remote_static(hs) != NULL && which == 1) {
		abort();   /* a failed read must not report a peer */
	}
	noise_handshake_destroy(hs);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int ready;

	if (!ready) {
		if (sodium_init() < 0)
			abort();
		ready = 1;
	}
	if (size == 0)
		return 0;
	switch (data[0] & 3) {
	case 1:
		fuzz_handshake(data + 1, size - 1, 1);
		break;
	case 2:
		fuzz_handshake(data + 1, size - 1, 2);
		break;
	default:
		fuzz_stream(data + 1, size - 1, data[0] >> 2);
		break;
	}
	return 0;
}

#ifdef FUZZ_LINK_SEEDS
/*
 * Seed writer: cc -DFUZZ_LINK_SEEDS (same sources, no -fsanitize=fuzzer)
 * then ./a.out tests/fuzz/corpus/link writes valid streams and handshake
 * messages made with the fixed keys above.
 */
#include <stdio.h>

static const unsigned char resp_ephemeral[32] = { 0x44, 0x44, 0x44 };

static void
seed(const char *dir, const char *name, unsigned char mode, const unsigned char *p, size_t n)
{
	char path[512];
	FILE *f;

	snprintf(path, sizeof path, "%s/%s", dir, name);
	if ((f = fopen(path, "wb")) == NULL || fwrite(&mode, 1, 1, f) != 1 ||
	    fwrite(p, 1, n, f) != n || fclose(f) != 0)
		abort();
}

static void
seed_stream(const char *dir)
{
	struct oplog_vv_item vv[3] = { { { 0x01 }, 12 }, { { 0x02 }, 1 }, { { 0xfe }, 300 } };
	unsigned char entry[200];
	struct cimic_error err;
	struct buf b;
	size_t start;

	memset(entry, 0xab, sizeof entry);
	buf_init(&b);
	linkproto_put_hello(&b, 0, 4, vv, 3, &err);
	seed(dir, "hello", 0, b.data, b.len);
	start = linkproto_begin_entries(&b, 1);
	linkproto_add_entry(&b, start, entry, sizeof entry, &err);
	linkproto_add_entry(&b, start, entry, 80, &err);
	linkproto_end_entries(&b, start);
	linkproto_put_ack(&b, 1);
	linkproto_put_ping(&b);
	linkproto_put_done(&b, 1);
	linkproto_put_error(&b, LINK_ERR_REFUSED, "вузол відкликано / node revoked");
	seed(dir, "session-whole", 0, b.data, b.len);
	seed(dir, "session-pieces-7", 7 << 2, b.data, b.len);
	seed(dir, "session-pieces-1", 1 << 2, b.data, b.len);
	buf_finish(&b);
}

static void
seed_handshake(const char *dir)
{
	unsigned char isk[32], rsk[32], rpk[32], m1[1024], m2[1024], pt[1024];
	struct oplog_vv_item vv = { { 0x07 }, 9 };
	struct noise_handshake *ini = NULL, *res = NULL;
	struct cimic_error err;
	struct buf hello;
	size_t n1, n2, n;

	keys(isk, rsk, rpk);
	buf_init(&hello);
	linkproto_put_hello(&hello, 0, 1, &vv, 1, &err);
	/* Message 1 carrying a hello, as a field unit sends it. */
	noise_handshake_create(NOISE_INITIATOR, prologue, sizeof prologue, isk, rpk, &ini, &err);
	noise_handshake_fix_ephemeral(ini, init_ephemeral);
	noise_handshake_write(ini, hello.data, hello.len, m1, sizeof m1, &n1, &err);
	seed(dir, "handshake1-hello", 1, m1, n1);
	noise_handshake_destroy(ini);
	/* Message 2 answering the empty message 1 that target 2 writes. */
	noise_handshake_create(NOISE_INITIATOR, prologue, sizeof prologue, isk, rpk, &ini, &err);
	noise_handshake_create(NOISE_RESPONDER, prologue, sizeof prologue, rsk, NULL, &res, &err);
	noise_handshake_fix_ephemeral(ini, init_ephemeral);
	noise_handshake_fix_ephemeral(res, resp_ephemeral);
	noise_handshake_write(ini, NULL, 0, m1, sizeof m1, &n1, &err);
	if (noise_handshake_read(res, m1, n1, pt, sizeof pt, &n, &err) != 0 ||
	    noise_handshake_write(res, hello.data, hello.len, m2, sizeof m2, &n2, &err) != 0 ||
	    noise_handshake_read(ini, m2, n2, pt, sizeof pt, &n, &err) != 0)
		abort();
	seed(dir, "handshake2-hello", 2, m2, n2);
	noise_handshake_destroy(ini);
	noise_handshake_destroy(res);
	buf_finish(&hello);
}

int
main(int argc, char **argv)
{
	if (argc != 2 || sodium_init() < 0)
		return 64;
	seed_stream(argv[1]);
	seed_handshake(argv[1]);
	return 0;
}
#endif
