/*
 * noise.h - Noise_IK_25519_ChaChaPoly_SHA256 (Noise rev. 34), built from
 * libsodium primitives, for the network link (DESIGN.md section 5,
 * research/sync_design.md section 6).
 *
 * IK:   <- s
 *       ...
 *       -> e, es, s, ss      (initiator = field unit, knows HQ's link key)
 *       <- e, ee, se
 *
 * After the two handshake messages each side holds a transport with one
 * cipher per direction (Noise Split()).  Nonces are 4 zero bytes and the
 * 64-bit little-endian message counter, as the spec requires for
 * ChaChaPoly; a counter that would reach 2^64-1 is refused.
 *
 * Message 1's payload is encrypted but not forward secret against a
 * later compromise of the responder's static key, and it can be replayed:
 * put only idempotent sync state in it (the link puts its hello there).
 *
 * Ownership: handshakes and transports live in sodium_malloc memory
 * (guard pages, wiped on free); *_destroy(NULL) is a no-op.  Static
 * secret keys are borrowed only for the duration of a call that needs them
 * and are copied into that protected state.
 */
#ifndef CIMIC_NOISE_H
#define CIMIC_NOISE_H

#include <stdbool.h>
#include <stddef.h>

#include "cimic/error.h"

#define NOISE_DH_BYTES 32
#define NOISE_HASH_BYTES 32
#define NOISE_TAG_BYTES 16
#define NOISE_MSG_MAX 65535u                        /* spec limit on any message */
#define NOISE_PLAINTEXT_MAX (NOISE_MSG_MAX - NOISE_TAG_BYTES)
/* Largest payload of handshake message 1 (e + encrypted s take 80 bytes). */
#define NOISE_HANDSHAKE1_PAYLOAD_MAX (NOISE_MSG_MAX - 2 * NOISE_DH_BYTES - 2 * NOISE_TAG_BYTES)

enum noise_role { NOISE_INITIATOR = 0, NOISE_RESPONDER = 1 };

struct noise_handshake;
struct noise_transport;

/*
 * Starts an IK handshake.  s_sk is this node's static X25519 secret; rs
 * is the responder's static public key (initiator: required; responder:
 * NULL, learnt from message 1).  OUT *out: noise_handshake_destroy.
 */
int noise_handshake_create(enum noise_role role, const unsigned char *prologue, size_t prologue_len,
			   const unsigned char s_sk[NOISE_DH_BYTES], const unsigned char *rs,
			   struct noise_handshake **out, struct cimic_error *err);
/* Replaces the random ephemeral key by a fixed one: for test vectors only. */
void noise_handshake_fix_ephemeral(struct noise_handshake *hs, const unsigned char e_sk[NOISE_DH_BYTES]);

/* True when this side writes the next handshake message. */
bool noise_handshake_writes_next(const struct noise_handshake *hs);
bool noise_handshake_done(const struct noise_handshake *hs);

/*
 * Writes the next handshake message carrying payload into out (cap bytes).
 * Errors: CIMIC_EUSAGE when it is not this side's turn or out is too
 * small, CIMIC_EPERM when a DH result is degenerate.
 */
int noise_handshake_write(struct noise_handshake *hs, const unsigned char *payload, size_t len,
			  unsigned char *out, size_t cap, size_t *outlen, struct cimic_error *err);
/*
 * Reads the next handshake message; its payload goes to payload (cap
 * bytes).  Errors: CIMIC_EDATA when malformed or truncated, CIMIC_EPERM
 * when authentication fails (wrong keys, tampering).  After a failure
 * the handshake is dead: destroy it.
 */
int noise_handshake_read(struct noise_handshake *hs, const unsigned char *msg, size_t len,
			 unsigned char *payload, size_t cap, size_t *plen, struct cimic_error *err);

/* The peer's static public key once known (responder: after message 1), else NULL. */
const unsigned char *noise_handshake_remote_static(const struct noise_handshake *hs);
/* The handshake hash h (channel binding); final once the handshake is done. */
void noise_handshake_hash(const struct noise_handshake *hs, unsigned char h[NOISE_HASH_BYTES]);

/* Split(): the two transport ciphers.  Only when done.  OUT *out: noise_transport_destroy. */
int noise_handshake_split(struct noise_handshake *hs, struct noise_transport **out,
			  struct cimic_error *err);
void noise_handshake_destroy(struct noise_handshake *hs);

/* Encrypts one transport message: outlen = len + NOISE_TAG_BYTES, len <= NOISE_PLAINTEXT_MAX. */
int noise_transport_encrypt(struct noise_transport *t, const unsigned char *in, size_t len,
			    unsigned char *out, size_t cap, size_t *outlen, struct cimic_error *err);
/* Decrypts one transport message (CIMIC_EPERM when it does not authenticate). */
int noise_transport_decrypt(struct noise_transport *t, const unsigned char *in, size_t len,
			    unsigned char *out, size_t cap, size_t *outlen, struct cimic_error *err);
void noise_transport_destroy(struct noise_transport *t);

#endif
