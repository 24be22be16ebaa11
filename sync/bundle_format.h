/*
 * bundle_format.h - private to sync/: constants of the bundle byte
 * format shared by the writer and the reader (man/cimic-bundle.5).
 */
#ifndef CIMIC_SYNC_BUNDLE_FORMAT_H
#define CIMIC_SYNC_BUNDLE_FORMAT_H

#include <sodium.h>

#include "cimic/bundle.h"

/* PNG-style: a high-bit byte, CR LF, ^Z, LF reveal text-mode or 7-bit mangling. */
#define BUNDLE_MAGIC "\x89" "CMB\r\n\x1a\n"
#define BUNDLE_MAGIC_BYTES 8
/* 2: recipient ids under their own label, padded sizes, no time in clear (man/cimic-bundle.5). */
#define BUNDLE_VERSION 2
#define BUNDLE_FLAG_ENCRYPTED 0x0001u
#define BUNDLE_FLAG_SENDER_HIDDEN 0x0002u
#define BUNDLE_FLAGS (BUNDLE_FLAG_ENCRYPTED | BUNDLE_FLAG_SENDER_HIDDEN)
#define BUNDLE_SS_HEADER_BYTES crypto_secretstream_xchacha20poly1305_HEADERBYTES
#define BUNDLE_FRAME_OVERHEAD crypto_secretstream_xchacha20poly1305_ABYTES

/* Outer header length for n recipients. */
#define BUNDLE_HEADER_BYTES(n) \
	(BUNDLE_FIXED_BYTES + (size_t)(n) * BUNDLE_STANZA_BYTES + BUNDLE_SS_HEADER_BYTES)

#define BUNDLE_INNER_MAGIC "CMBI"
#define BUNDLE_INNER_FIXED (4 + 4 + BUNDLE_ID_BYTES + 32 + 1)   /* up to the recipient ids */
#define BUNDLE_INNER_AFTER_IDS (8 + 8 + 4)   /* sender HLC, creation time, number of acks */
#define BUNDLE_FOOTER_MAGIC "CMBF"
#define BUNDLE_FOOTER_BYTES (4 + 4 + 8 + 8)
#define BUNDLE_PAD_MAGIC "PD"
#define BUNDLE_PAD_HEADER_BYTES (2 + 4)
#define BUNDLE_PAD_MIN 4096u   /* the smallest plaintext: every small bundle looks the same */
#define BUNDLE_SIG_MAGIC "SG"
#define BUNDLE_SIG_BYTES (2 + crypto_sign_BYTES)
#define BUNDLE_TRAILER_MAGIC "CMBEND\0\0"

#define BUNDLE_RECORD_ENTRY 1
#define BUNDLE_RECORD_HEADER 5   /* type u8 | len u32 */

/* Separate domains: no signature or hash can be replayed in another role. */
#define BUNDLE_OUTER_DOMAIN "cimic-bundle-outer-v1"
#define BUNDLE_SIGN_DOMAIN "cimic-bundle-sig-v1"
/* BLAKE2b personalisation of the recipient id: 16 bytes, never the fingerprint's hash. */
#define BUNDLE_RECIPIENT_PERSONAL "cimic-rcpt-id-v2"

/* AD for every frame and part of what the signature covers. */
static inline void
bundle_outer_hash(const unsigned char *hdr, size_t len, unsigned char out[BUNDLE_HASH_BYTES])
{
	crypto_generichash_state h;

	crypto_generichash_init(&h, NULL, 0, BUNDLE_HASH_BYTES);
	crypto_generichash_update(&h, (const unsigned char *)BUNDLE_OUTER_DOMAIN,
				  sizeof BUNDLE_OUTER_DOMAIN - 1);
	crypto_generichash_update(&h, hdr, len);
	crypto_generichash_final(&h, out, BUNDLE_HASH_BYTES);
}

#endif
