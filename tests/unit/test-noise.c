/*
 * test-noise.c - Noise_IK_25519_ChaChaPoly_SHA256 against the cacophony
 * vectors (tests/unit/data/noise-ik-vectors.txt), then the failures the
 * link relies on: wrong static key, every bit flip and truncation of
 * both handshake messages, low-order keys, replayed and reordered
 * transport messages, out-of-turn calls and size limits.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "noise.h"
#include "cimic/util.h"
#include "tap.h"

#define VEC_MSGS 8
#define HEXMAX 1024

struct vec_msg {
	unsigned char payload[HEXMAX], ct[HEXMAX];
	size_t plen, ctlen;
};

struct vector {
	unsigned char prologue[256];
	size_t prologue_len;
	unsigned char init_s[32], init_e[32], init_rs[32], resp_s[32], resp_e[32], h[32];
	unsigned char h1[32];          /* cacophony's handshake_hash: h after message 1 */
	struct vec_msg msgs[VEC_MSGS];
	int nmsgs;
};

static size_t
unhex_any(const char *hex, unsigned char *out, size_t cap)
{
	size_t n = strlen(hex) / 2;

	if (n > cap || strlen(hex) % 2 != 0 || !util_unhex(hex, out, n)) {
		printf("Bail out! bad hex in vector file: %.40s\n", hex);
		exit(1);
	}
	return n;
}

static void
vector_line(struct vector *v, const char *key, char *a, char *b)
{
	static const struct { const char *key; size_t off; } fixed[] = {
		{ "init_static", offsetof(struct vector, init_s) },
		{ "init_ephemeral", offsetof(struct vector, init_e) },
		{ "init_remote_static", offsetof(struct vector, init_rs) },
		{ "resp_static", offsetof(struct vector, resp_s) },
		{ "resp_ephemeral", offsetof(struct vector, resp_e) },
		{ "handshake_hash", offsetof(struct vector, h) },
		{ "cacophony_handshake_hash", offsetof(struct vector, h1) },
	};

	for (size_t i = 0; i < sizeof fixed / sizeof fixed[0]; i++)
		if (strcmp(key, fixed[i].key) == 0 &&
		    unhex_any(a, (unsigned char *)v + fixed[i].off, 32) == 32)
			return;
	if (strcmp(key, "prologue") == 0) {
		v->prologue_len = unhex_any(a, v->prologue, sizeof v->prologue);
	} else if (strcmp(key, "msg") == 0 && b != NULL && v->nmsgs < VEC_MSGS) {
		struct vec_msg *m = &v->msgs[v->nmsgs++];
		m->plen = unhex_any(a, m->payload, HEXMAX);
		m->ctlen = unhex_any(b, m->ct, HEXMAX);
	}
}

/* Reads every vector of the file; returns how many. */
static int
load_vectors(struct vector *vs, int max)
{
	const char *src = getenv("CIMIC_SRCDIR");
	char path[1024], line[4096];
	FILE *f;
	int n = 0;

	snprintf(path, sizeof path, "%s/tests/unit/data/noise-ik-vectors.txt", src ? src : ".");
	if ((f = fopen(path, "r")) == NULL) {
		printf("Bail out! cannot open %s\n", path);
		exit(1);
	}
	memset(vs, 0, sizeof *vs * (size_t)max);
	while (fgets(line, sizeof line, f) != NULL && n < max) {
		char *save = NULL, *key = strtok_r(line, " \n", &save);
		char *a = strtok_r(NULL, " \n", &save), *b = strtok_r(NULL, " \n", &save);

		if (key == NULL || key[0] == '#')
			continue;
		if (strcmp(key, "end") == 0)
			n++;
		else if (a != NULL && strcmp(key, "protocol") != 0)
			vector_line(&vs[n], key, a, b);
	}
	fclose(f);
	return n;
}

static void
check_vector(const struct vector *v, int idx)
{
	struct cimic_error err;
	struct noise_handshake *ini = NULL, *res = NULL;
	struct noise_transport *ti = NULL, *tr = NULL;
	unsigned char buf[HEXMAX], pt[HEXMAX], pk[32], hi[32], hr[32];
	size_t n, pn;

	crypto_scalarmult_base(pk, v->resp_s);
	ok(memcmp(pk, v->init_rs, 32) == 0, "vector %d: responder public key matches", idx);
	ok(noise_handshake_create(NOISE_INITIATOR, v->prologue, v->prologue_len, v->init_s,
				  v->init_rs, &ini, &err) == 0, "vector %d: initiator created", idx);
	ok(noise_handshake_create(NOISE_RESPONDER, v->prologue, v->prologue_len, v->resp_s,
				  NULL, &res, &err) == 0, "vector %d: responder created", idx);
	noise_handshake_fix_ephemeral(ini, v->init_e);
	noise_handshake_fix_ephemeral(res, v->resp_e);

	for (int i = 0; i < v->nmsgs; i++) {
		const struct vec_msg *m = &v->msgs[i];
		bool from_init = i % 2 == 0;
		int rc;

		if (i < 2) {
			struct noise_handshake *w = from_init ? ini : res, *r = from_init ? res : ini;
			rc = noise_handshake_write(w, m->payload, m->plen, buf, sizeof buf, &n, &err);
			rc |= noise_handshake_read(r, buf, n, pt, sizeof pt, &pn, &err);
		} else {
			if (i == 2) {
				ok(noise_handshake_split(ini, &ti, &err) == 0 &&
				   noise_handshake_split(res, &tr, &err) == 0, "vector %d: split", idx);
			}
			rc = noise_transport_encrypt(from_init ? ti : tr, m->payload, m->plen, buf,
						     sizeof buf, &n, &err);
			rc |= noise_transport_decrypt(from_init ? tr : ti, buf, n, pt, sizeof pt, &pn, &err);
		}
		ok(rc == 0 && n == m->ctlen && memcmp(buf, m->ct, n) == 0,
		   "vector %d: message %d ciphertext is the published one", idx, i + 1);
		ok(pn == m->plen && memcmp(pt, m->payload, pn) == 0,
		   "vector %d: message %d decrypts to its payload", idx, i + 1);
		if (i == 0) {
			crypto_scalarmult_base(pk, v->init_s);
			ok(noise_handshake_remote_static(res) != NULL &&
			   memcmp(noise_handshake_remote_static(res), pk, 32) == 0,
			   "vector %d: responder learnt the initiator's static key", idx);
			noise_handshake_hash(res, hr);
			ok(memcmp(hr, v->h1, 32) == 0, "vector %d: h after message 1 is cacophony's field", idx);
		}
		if (i == 1) {
			noise_handshake_hash(ini, hi);
			noise_handshake_hash(res, hr);
			ok(memcmp(hi, hr, 32) == 0 && memcmp(hi, v->h, 32) == 0,
			   "vector %d: handshake hash is the spec's h", idx);
		}
	}
	noise_transport_destroy(ti);
	noise_transport_destroy(tr);
	noise_handshake_destroy(ini);
	noise_handshake_destroy(res);
}

/* ---- random-key handshakes for the failure cases ---- */

struct pair {
	unsigned char is[32], ipk[32], rsk[32], rpk[32];
	struct noise_handshake *ini, *res;
};

static const unsigned char prologue[] = "cimic-test";

static void
pair_start(struct pair *p)
{
	struct cimic_error err;

	crypto_box_keypair(p->ipk, p->is);
	crypto_box_keypair(p->rpk, p->rsk);
	if (noise_handshake_create(NOISE_INITIATOR, prologue, sizeof prologue, p->is, p->rpk,
				   &p->ini, &err) != 0 ||
	    noise_handshake_create(NOISE_RESPONDER, prologue, sizeof prologue, p->rsk, NULL,
				   &p->res, &err) != 0) {
		printf("Bail out! %s\n", err.msg);
		exit(1);
	}
}

static void
pair_end(struct pair *p)
{
	noise_handshake_destroy(p->ini);
	noise_handshake_destroy(p->res);
	p->ini = p->res = NULL;
}

static void
test_wrong_key(void)
{
	struct cimic_error err;
	struct pair p;
	unsigned char other_sk[32], other_pk[32], msg[256], pt[256];
	struct noise_handshake *ini;
	size_t n, pn;

	pair_start(&p);
	crypto_box_keypair(other_pk, other_sk);
	/* The initiator believes the responder holds other_pk. */
	noise_handshake_create(NOISE_INITIATOR, prologue, sizeof prologue, p.is, other_pk, &ini, &err);
	noise_handshake_write(ini, (const unsigned char *)"hi", 2, msg, sizeof msg, &n, &err);
	ok(noise_handshake_read(p.res, msg, n, pt, sizeof pt, &pn, &err) == -1 &&
	   err.code == CIMIC_EPERM, "a handshake for another responder key is refused (EPERM)");
	ok(noise_handshake_remote_static(p.res) == NULL, "no peer key is reported after a failure");
	ok(noise_handshake_write(p.res, NULL, 0, msg, sizeof msg, &n, &err) == -1,
	   "a failed handshake cannot continue");
	noise_handshake_destroy(ini);
	pair_end(&p);

	/* A different prologue (another protocol version) must not interoperate. */
	pair_start(&p);
	noise_handshake_destroy(p.res);
	noise_handshake_create(NOISE_RESPONDER, (const unsigned char *)"other", 5, p.rsk, NULL,
			       &p.res, &err);
	noise_handshake_write(p.ini, NULL, 0, msg, sizeof msg, &n, &err);
	ok(noise_handshake_read(p.res, msg, n, pt, sizeof pt, &pn, &err) == -1,
	   "a different prologue is refused");
	pair_end(&p);
}

/* Flips every bit of message 1 (or 2) in turn, then truncates at every length. */
static void
test_tamper(int which)
{
	struct cimic_error err;
	unsigned char msg1[256], msg2[256], bad[256], pt[256];
	size_t n1, n2, pn;
	long refused = 0, total = 0;

	for (size_t bit = 0;; bit++) {
		struct pair p;
		unsigned char *m;
		size_t n;
		int rc;

		pair_start(&p);
		noise_handshake_write(p.ini, (const unsigned char *)"hello", 5, msg1, sizeof msg1, &n1, &err);
		if (which == 2) {
			noise_handshake_read(p.res, msg1, n1, pt, sizeof pt, &pn, &err);
			noise_handshake_write(p.res, (const unsigned char *)"olleh", 5, msg2, sizeof msg2, &n2, &err);
		}
		m = which == 1 ? msg1 : msg2;
		n = which == 1 ? n1 : n2;
		if (bit >= 8 * n + n) {
			pair_end(&p);
			break;
		}
		memcpy(bad, m, n);
		if (bit < 8 * n)
			bad[bit / 8] ^= (unsigned char)(1u << (bit % 8));
		else
			n = bit - 8 * n;            /* truncated to 0 .. n-1 bytes */
		rc = noise_handshake_read(which == 1 ? p.res : p.ini, bad, n, pt, sizeof pt, &pn, &err);
		total++;
		refused += rc == -1 && (err.code == CIMIC_EPERM || err.code == CIMIC_EDATA);
		pair_end(&p);
	}
	ok(refused == total, "message %d: all %ld bit flips and truncations are refused", which, total);
}

static void
test_low_order(void)
{
	struct cimic_error err;
	struct pair p;
	unsigned char msg[256], pt[256];
	size_t n, pn;

	pair_start(&p);
	noise_handshake_write(p.ini, NULL, 0, msg, sizeof msg, &n, &err);
	memset(msg, 0, 32);     /* the all-zero point: every DH with it is zero */
	ok(noise_handshake_read(p.res, msg, n, pt, sizeof pt, &pn, &err) == -1 &&
	   err.code == CIMIC_EPERM, "a low-order ephemeral key is refused");
	pair_end(&p);
}

static void
handshake(struct pair *p, struct noise_transport **ti, struct noise_transport **tr)
{
	struct cimic_error err;
	unsigned char msg[512], pt[512];
	size_t n, pn;

	noise_handshake_write(p->ini, NULL, 0, msg, sizeof msg, &n, &err);
	noise_handshake_read(p->res, msg, n, pt, sizeof pt, &pn, &err);
	noise_handshake_write(p->res, NULL, 0, msg, sizeof msg, &n, &err);
	noise_handshake_read(p->ini, msg, n, pt, sizeof pt, &pn, &err);
	if (noise_handshake_split(p->ini, ti, &err) != 0 || noise_handshake_split(p->res, tr, &err) != 0) {
		printf("Bail out! handshake: %s\n", err.msg);
		exit(1);
	}
}

static void
test_transport(void)
{
	struct cimic_error err;
	struct pair p;
	struct noise_transport *ti, *tr;
	unsigned char *big = malloc(NOISE_MSG_MAX + 64), *out = malloc(NOISE_MSG_MAX + 64);
	unsigned char c1[64], c2[64], pt[64];
	size_t n1, n2, n;

	pair_start(&p);
	handshake(&p, &ti, &tr);
	ok(noise_handshake_done(p.ini) && noise_handshake_done(p.res), "random-key handshake completes");
	noise_transport_encrypt(ti, (const unsigned char *)"one", 3, c1, sizeof c1, &n1, &err);
	noise_transport_encrypt(ti, (const unsigned char *)"two", 3, c2, sizeof c2, &n2, &err);
	ok(noise_transport_decrypt(tr, c2, n2, pt, sizeof pt, &n, &err) == -1 && err.code == CIMIC_EPERM,
	   "a reordered message does not authenticate");
	ok(noise_transport_decrypt(tr, c1, n1, pt, sizeof pt, &n, &err) == 0 && n == 3 &&
	   memcmp(pt, "one", 3) == 0, "the failed attempt did not move the counter");
	ok(noise_transport_decrypt(tr, c1, n1, pt, sizeof pt, &n, &err) == -1,
	   "a replayed message does not authenticate");
	ok(noise_transport_decrypt(ti, c2, n2, pt, sizeof pt, &n, &err) == -1,
	   "a message reflected back to its sender does not authenticate");
	memset(big, 'x', NOISE_MSG_MAX);
	ok(noise_transport_encrypt(tr, big, NOISE_PLAINTEXT_MAX, out, NOISE_MSG_MAX + 64, &n, &err) == 0 &&
	   n == NOISE_MSG_MAX, "the largest message fits 65535 bytes");
	ok(noise_transport_encrypt(tr, big, NOISE_PLAINTEXT_MAX + 1, out, NOISE_MSG_MAX + 64, &n, &err) == -1,
	   "one byte more is refused");
	ok(noise_transport_decrypt(ti, big, 15, out, 64, &n, &err) == -1 && err.code == CIMIC_EDATA,
	   "a message shorter than a tag is malformed");
	noise_transport_destroy(ti);
	noise_transport_destroy(tr);
	pair_end(&p);
	free(big);
	free(out);
}

static void
test_misuse(void)
{
	struct cimic_error err;
	struct pair p;
	struct noise_transport *t;
	struct noise_handshake *hs;
	unsigned char msg[128], big[NOISE_MSG_MAX];
	size_t n;

	pair_start(&p);
	ok(noise_handshake_write(p.res, NULL, 0, msg, sizeof msg, &n, &err) == -1 &&
	   err.code == CIMIC_EUSAGE, "the responder cannot speak first");
	ok(noise_handshake_split(p.ini, &t, &err) == -1 && t == NULL,
	   "no transport before the handshake is done");
	ok(noise_handshake_write(p.ini, big, sizeof big, msg, sizeof msg, &n, &err) == -1,
	   "a payload that cannot fit one message is refused");
	ok(noise_handshake_create(NOISE_INITIATOR, NULL, 0, p.is, NULL, &hs, &err) == -1 && hs == NULL,
	   "an initiator needs the responder's key");
	pair_end(&p);
}

int
main(void)
{
	static struct vector vs[4];
	int n;

	if (sodium_init() < 0)
		return 1;
	n = load_vectors(vs, 4);
	ok(n >= 1, "vector file holds %d vector(s)", n);
	for (int i = 0; i < n; i++)
		check_vector(&vs[i], i);
	test_wrong_key();
	test_tamper(1);
	test_tamper(2);
	test_low_order();
	test_transport();
	test_misuse();
	return done_testing();
}
