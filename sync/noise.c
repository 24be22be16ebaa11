/*
 * noise.c - Noise_IK_25519_ChaChaPoly_SHA256 from libsodium primitives.
 *
 * Follows the Noise specification (revision 34) section by section:
 * CipherState (5.1), SymmetricState (5.2), HandshakeState (5.3) for the
 * one pattern we need, IK.  Checked against the cacophony test vectors
 * (tests/unit/test-noise.c).
 *
 * libsodium gives X25519 (crypto_scalarmult, which refuses an all-zero
 * result: a low-order peer key), ChaCha20-Poly1305 IETF, SHA-256 and
 * HMAC-SHA-256 with any key length, from which HKDF is three HMACs.
 * Every secret - static and ephemeral keys, chaining key, cipher keys,
 * DH results - lives in the sodium_malloc'd state; stack copies are
 * wiped before returning.
 */
#include <stdint.h>
#include <string.h>

#include <sodium.h>

#include "cimic/i18n.h"
#include "noise.h"

#define PROTOCOL_NAME "Noise_IK_25519_ChaChaPoly_SHA256"
#define NONCE_MAX UINT64_MAX     /* reserved by the spec: never used */

struct noise_cipher {
	unsigned char k[32];
	uint64_t n;
	bool has_key;
};

struct noise_handshake {
	enum noise_role role;
	int step;                        /* handshake messages processed: 0, 1, 2 */
	bool dead;                       /* a read failed: no further use */
	unsigned char ck[NOISE_HASH_BYTES];
	unsigned char h[NOISE_HASH_BYTES];
	struct noise_cipher cs;
	unsigned char s_sk[NOISE_DH_BYTES], s_pk[NOISE_DH_BYTES];
	unsigned char e_sk[NOISE_DH_BYTES], e_pk[NOISE_DH_BYTES];
	unsigned char rs[NOISE_DH_BYTES], re[NOISE_DH_BYTES];
	bool has_rs;
	unsigned char dh[NOISE_DH_BYTES];   /* scratch for DH results */
};

struct noise_transport {
	struct noise_cipher send, recv;
};

/* ---- CipherState ---- */

static void
cipher_nonce(uint64_t n, unsigned char nonce[crypto_aead_chacha20poly1305_IETF_NPUBBYTES])
{
	memset(nonce, 0, 4);
	for (int i = 0; i < 8; i++)
		nonce[4 + i] = (unsigned char)(n >> (8 * i));
}

/* out must hold len + 16 bytes. */
static int
cipher_encrypt(struct noise_cipher *c, const unsigned char *ad, size_t adlen,
	       const unsigned char *in, size_t len, unsigned char *out, struct cimic_error *err)
{
	unsigned char nonce[crypto_aead_chacha20poly1305_IETF_NPUBBYTES];
	unsigned long long clen;

	if (c->n == NONCE_MAX)
		return cimic_error_set(err, CIMIC_EFAIL, _("link cipher exhausted its nonces"));
	cipher_nonce(c->n, nonce);
	crypto_aead_chacha20poly1305_ietf_encrypt(out, &clen, in, len, ad, adlen, NULL, nonce, c->k);
	c->n++;
	return 0;
}

/* len >= 16; out must hold len - 16 bytes.  The counter moves only on success. */
static int
cipher_decrypt(struct noise_cipher *c, const unsigned char *ad, size_t adlen,
	       const unsigned char *in, size_t len, unsigned char *out, struct cimic_error *err)
{
	unsigned char nonce[crypto_aead_chacha20poly1305_IETF_NPUBBYTES];
	unsigned long long plen;

	if (c->n == NONCE_MAX)
		return cimic_error_set(err, CIMIC_EFAIL, _("link cipher exhausted its nonces"));
	cipher_nonce(c->n, nonce);
	if (crypto_aead_chacha20poly1305_ietf_decrypt(out, &plen, NULL, in, len, ad, adlen,
						      nonce, c->k) != 0)
		return cimic_error_set(err, CIMIC_EPERM, _("message does not authenticate"));
	c->n++;
	return 0;
}

/* ---- SymmetricState ---- */

static void
mix_hash(struct noise_handshake *hs, const unsigned char *data, size_t len)
{
	crypto_hash_sha256_state st;

	crypto_hash_sha256_init(&st);
	crypto_hash_sha256_update(&st, hs->h, sizeof hs->h);
	crypto_hash_sha256_update(&st, data, len);
	crypto_hash_sha256_final(&st, hs->h);
	sodium_memzero(&st, sizeof st);
}

static void
hmac(const unsigned char key[32], const unsigned char *a, size_t alen,
     const unsigned char *b, size_t blen, unsigned char out[32])
{
	crypto_auth_hmacsha256_state st;

	crypto_auth_hmacsha256_init(&st, key, 32);
	crypto_auth_hmacsha256_update(&st, a, alen);
	if (blen > 0)
		crypto_auth_hmacsha256_update(&st, b, blen);
	crypto_auth_hmacsha256_final(&st, out);
	sodium_memzero(&st, sizeof st);
}

/* HKDF(ck, ikm) with two outputs, as Noise section 4.3 defines it. */
static void
hkdf2(const unsigned char ck[32], const unsigned char *ikm, size_t ikmlen,
      unsigned char out1[32], unsigned char out2[32])
{
	static const unsigned char one = 0x01, two = 0x02;
	unsigned char temp[32];

	hmac(ck, ikm, ikmlen, NULL, 0, temp);
	hmac(temp, &one, 1, NULL, 0, out1);
	hmac(temp, out1, 32, &two, 1, out2);
	sodium_memzero(temp, sizeof temp);
}

static void
mix_key(struct noise_handshake *hs, const unsigned char *ikm, size_t len)
{
	unsigned char ck[32];

	hkdf2(hs->ck, ikm, len, ck, hs->cs.k);
	memcpy(hs->ck, ck, sizeof ck);
	sodium_memzero(ck, sizeof ck);
	hs->cs.n = 0;
	hs->cs.has_key = true;
}

/* out holds len (+16 once a key is set); returns the bytes written via *outlen. */
static int
encrypt_and_hash(struct noise_handshake *hs, const unsigned char *in, size_t len,
		 unsigned char *out, size_t *outlen, struct cimic_error *err)
{
	if (!hs->cs.has_key) {
		memmove(out, in, len);
		*outlen = len;
	} else {
		if (cipher_encrypt(&hs->cs, hs->h, sizeof hs->h, in, len, out, err) != 0)
			return -1;
		*outlen = len + NOISE_TAG_BYTES;
	}
	mix_hash(hs, out, *outlen);
	return 0;
}

static int
decrypt_and_hash(struct noise_handshake *hs, const unsigned char *in, size_t len,
		 unsigned char *out, size_t *outlen, struct cimic_error *err)
{
	if (!hs->cs.has_key) {
		memmove(out, in, len);
		*outlen = len;
	} else {
		if (len < NOISE_TAG_BYTES)
			return cimic_error_set(err, CIMIC_EDATA, _("handshake message is truncated"));
		if (cipher_decrypt(&hs->cs, hs->h, sizeof hs->h, in, len, out, err) != 0)
			return -1;
		*outlen = len - NOISE_TAG_BYTES;
	}
	mix_hash(hs, in, len);
	return 0;
}

/* DH into hs->dh, then MixKey.  An all-zero result (low-order key) is refused. */
static int
mix_dh(struct noise_handshake *hs, const unsigned char *sk, const unsigned char *pk,
       struct cimic_error *err)
{
	int rc = crypto_scalarmult(hs->dh, sk, pk);

	if (rc == 0)
		mix_key(hs, hs->dh, sizeof hs->dh);
	sodium_memzero(hs->dh, sizeof hs->dh);
	if (rc != 0)
		return cimic_error_set(err, CIMIC_EPERM, _("peer sent an invalid public key"));
	return 0;
}

/* ---- HandshakeState ---- */

static void
symmetric_init(struct noise_handshake *hs)
{
	static const char name[] = PROTOCOL_NAME;

	/* A name of at most HASHLEN bytes is used as is, zero-padded (spec 5.2). */
	_Static_assert(sizeof name - 1 <= NOISE_HASH_BYTES, "protocol name fits h");
	memset(hs->h, 0, sizeof hs->h);
	memcpy(hs->h, name, sizeof name - 1);
	memcpy(hs->ck, hs->h, sizeof hs->ck);
}

int
noise_handshake_create(enum noise_role role, const unsigned char *prologue, size_t prologue_len,
		       const unsigned char s_sk[NOISE_DH_BYTES], const unsigned char *rs,
		       struct noise_handshake **out, struct cimic_error *err)
{
	struct noise_handshake *hs;

	*out = NULL;
	if ((role == NOISE_INITIATOR) != (rs != NULL))
		return cimic_error_set(err, CIMIC_EUSAGE, _("the initiator, and only it, must know the responder's key"));
	if (sodium_init() < 0 || (hs = sodium_malloc(sizeof *hs)) == NULL)
		return cimic_error_set(err, CIMIC_EFAIL, _("cannot allocate secure memory"));
	memset(hs, 0, sizeof *hs);
	hs->role = role;
	memcpy(hs->s_sk, s_sk, NOISE_DH_BYTES);
	crypto_scalarmult_base(hs->s_pk, hs->s_sk);
	randombytes_buf(hs->e_sk, sizeof hs->e_sk);
	crypto_scalarmult_base(hs->e_pk, hs->e_sk);
	symmetric_init(hs);
	mix_hash(hs, prologue, prologue_len);
	/* Pre-message "<- s": both sides hash the responder's static key. */
	if (role == NOISE_INITIATOR) {
		memcpy(hs->rs, rs, NOISE_DH_BYTES);
		hs->has_rs = true;
		mix_hash(hs, hs->rs, sizeof hs->rs);
	} else {
		mix_hash(hs, hs->s_pk, sizeof hs->s_pk);
	}
	*out = hs;
	return 0;
}

void
noise_handshake_fix_ephemeral(struct noise_handshake *hs, const unsigned char e_sk[NOISE_DH_BYTES])
{
	memcpy(hs->e_sk, e_sk, NOISE_DH_BYTES);
	crypto_scalarmult_base(hs->e_pk, hs->e_sk);
}

bool
noise_handshake_writes_next(const struct noise_handshake *hs)
{
	return !hs->dead && hs->step < 2 && (hs->step == 0) == (hs->role == NOISE_INITIATOR);
}

bool
noise_handshake_done(const struct noise_handshake *hs)
{
	return !hs->dead && hs->step == 2;
}

/* "-> e, es, s, ss" */
static int
write_message1(struct noise_handshake *hs, const unsigned char *payload, size_t len,
	       unsigned char *out, size_t *outlen, struct cimic_error *err)
{
	size_t n, at = 0;

	memcpy(out, hs->e_pk, NOISE_DH_BYTES);
	mix_hash(hs, hs->e_pk, NOISE_DH_BYTES);
	at += NOISE_DH_BYTES;
	if (mix_dh(hs, hs->e_sk, hs->rs, err) != 0 ||
	    encrypt_and_hash(hs, hs->s_pk, NOISE_DH_BYTES, out + at, &n, err) != 0)
		return -1;
	at += n;
	if (mix_dh(hs, hs->s_sk, hs->rs, err) != 0 ||
	    encrypt_and_hash(hs, payload, len, out + at, &n, err) != 0)
		return -1;
	*outlen = at + n;
	return 0;
}

/* "<- e, ee, se" */
static int
write_message2(struct noise_handshake *hs, const unsigned char *payload, size_t len,
	       unsigned char *out, size_t *outlen, struct cimic_error *err)
{
	size_t n;

	memcpy(out, hs->e_pk, NOISE_DH_BYTES);
	mix_hash(hs, hs->e_pk, NOISE_DH_BYTES);
	if (mix_dh(hs, hs->e_sk, hs->re, err) != 0 || mix_dh(hs, hs->e_sk, hs->rs, err) != 0 ||
	    encrypt_and_hash(hs, payload, len, out + NOISE_DH_BYTES, &n, err) != 0)
		return -1;
	*outlen = NOISE_DH_BYTES + n;
	return 0;
}

int
noise_handshake_write(struct noise_handshake *hs, const unsigned char *payload, size_t len,
		      unsigned char *out, size_t cap, size_t *outlen, struct cimic_error *err)
{
	size_t overhead = hs->step == 0 ? 2 * NOISE_DH_BYTES + 2 * NOISE_TAG_BYTES
					: NOISE_DH_BYTES + NOISE_TAG_BYTES;
	int rc;

	*outlen = 0;
	if (!noise_handshake_writes_next(hs))
		return cimic_error_set(err, CIMIC_EUSAGE, _("not this side's turn in the handshake"));
	if (len > NOISE_MSG_MAX - overhead || cap < overhead + len)
		return cimic_error_set(err, CIMIC_EUSAGE, _("handshake payload is too large"));
	rc = hs->step == 0 ? write_message1(hs, payload, len, out, outlen, err)
			   : write_message2(hs, payload, len, out, outlen, err);
	if (rc != 0) {
		hs->dead = true;
		return -1;
	}
	hs->step++;
	return 0;
}

static int
read_message1(struct noise_handshake *hs, const unsigned char *msg, size_t len,
	      unsigned char *payload, size_t *plen, struct cimic_error *err)
{
	const size_t sfield = NOISE_DH_BYTES + NOISE_TAG_BYTES;
	size_t n;

	if (len < NOISE_DH_BYTES + sfield + NOISE_TAG_BYTES)
		return cimic_error_set(err, CIMIC_EDATA, _("handshake message is truncated"));
	memcpy(hs->re, msg, NOISE_DH_BYTES);
	mix_hash(hs, hs->re, NOISE_DH_BYTES);
	if (mix_dh(hs, hs->s_sk, hs->re, err) != 0 ||
	    decrypt_and_hash(hs, msg + NOISE_DH_BYTES, sfield, hs->rs, &n, err) != 0)
		return -1;
	hs->has_rs = true;
	if (mix_dh(hs, hs->s_sk, hs->rs, err) != 0)
		return -1;
	return decrypt_and_hash(hs, msg + NOISE_DH_BYTES + sfield, len - NOISE_DH_BYTES - sfield,
				payload, plen, err);
}

static int
read_message2(struct noise_handshake *hs, const unsigned char *msg, size_t len,
	      unsigned char *payload, size_t *plen, struct cimic_error *err)
{
	if (len < NOISE_DH_BYTES + NOISE_TAG_BYTES)
		return cimic_error_set(err, CIMIC_EDATA, _("handshake message is truncated"));
	memcpy(hs->re, msg, NOISE_DH_BYTES);
	mix_hash(hs, hs->re, NOISE_DH_BYTES);
	if (mix_dh(hs, hs->e_sk, hs->re, err) != 0 || mix_dh(hs, hs->s_sk, hs->re, err) != 0)
		return -1;
	return decrypt_and_hash(hs, msg + NOISE_DH_BYTES, len - NOISE_DH_BYTES, payload, plen, err);
}

int
noise_handshake_read(struct noise_handshake *hs, const unsigned char *msg, size_t len,
		     unsigned char *payload, size_t cap, size_t *plen, struct cimic_error *err)
{
	size_t overhead = hs->step == 0 ? 2 * NOISE_DH_BYTES + 2 * NOISE_TAG_BYTES
					: NOISE_DH_BYTES + NOISE_TAG_BYTES;
	int rc;

	*plen = 0;
	if (hs->dead || hs->step >= 2 || noise_handshake_writes_next(hs))
		return cimic_error_set(err, CIMIC_EUSAGE, _("not the peer's turn in the handshake"));
	if (len > NOISE_MSG_MAX)
		return cimic_error_set(err, CIMIC_EDATA, _("handshake message is too long"));
	if (len >= overhead && cap < len - overhead)
		return cimic_error_set(err, CIMIC_EUSAGE, _("handshake payload buffer is too small"));
	rc = hs->step == 0 ? read_message1(hs, msg, len, payload, plen, err)
			   : read_message2(hs, msg, len, payload, plen, err);
	if (rc != 0) {
		hs->dead = true;
		return -1;
	}
	hs->step++;
	return 0;
}

const unsigned char *
noise_handshake_remote_static(const struct noise_handshake *hs)
{
	return hs->has_rs && !hs->dead ? hs->rs : NULL;
}

void
noise_handshake_hash(const struct noise_handshake *hs, unsigned char h[NOISE_HASH_BYTES])
{
	memcpy(h, hs->h, NOISE_HASH_BYTES);
}

int
noise_handshake_split(struct noise_handshake *hs, struct noise_transport **out,
		      struct cimic_error *err)
{
	struct noise_transport *t;
	struct noise_cipher *c1, *c2;

	*out = NULL;
	if (!noise_handshake_done(hs))
		return cimic_error_set(err, CIMIC_EUSAGE, _("handshake is not finished"));
	if ((t = sodium_malloc(sizeof *t)) == NULL)
		return cimic_error_set(err, CIMIC_EFAIL, _("cannot allocate secure memory"));
	memset(t, 0, sizeof *t);
	/* The first key encrypts initiator -> responder, the second the way back. */
	c1 = hs->role == NOISE_INITIATOR ? &t->send : &t->recv;
	c2 = hs->role == NOISE_INITIATOR ? &t->recv : &t->send;
	hkdf2(hs->ck, NULL, 0, c1->k, c2->k);
	c1->has_key = c2->has_key = true;
	*out = t;
	return 0;
}

void
noise_handshake_destroy(struct noise_handshake *hs)
{
	if (hs != NULL)
		sodium_free(hs);   /* wipes */
}

int
noise_transport_encrypt(struct noise_transport *t, const unsigned char *in, size_t len,
			unsigned char *out, size_t cap, size_t *outlen, struct cimic_error *err)
{
	*outlen = 0;
	if (len > NOISE_PLAINTEXT_MAX || cap < len + NOISE_TAG_BYTES)
		return cimic_error_set(err, CIMIC_EUSAGE, _("link message is too large"));
	if (cipher_encrypt(&t->send, NULL, 0, in, len, out, err) != 0)
		return -1;
	*outlen = len + NOISE_TAG_BYTES;
	return 0;
}

int
noise_transport_decrypt(struct noise_transport *t, const unsigned char *in, size_t len,
			unsigned char *out, size_t cap, size_t *outlen, struct cimic_error *err)
{
	*outlen = 0;
	if (len < NOISE_TAG_BYTES || len > NOISE_MSG_MAX)
		return cimic_error_set(err, CIMIC_EDATA, _("link message has a bad length"));
	if (cap < len - NOISE_TAG_BYTES)
		return cimic_error_set(err, CIMIC_EUSAGE, _("link buffer is too small"));
	if (cipher_decrypt(&t->recv, NULL, 0, in, len, out, err) != 0)
		return -1;
	*outlen = len - NOISE_TAG_BYTES;
	return 0;
}

void
noise_transport_destroy(struct noise_transport *t)
{
	if (t != NULL)
		sodium_free(t);
}
