/* fuzz-bundle.h - the fixed identities shared by the bundle fuzz target and its corpus maker. */
#ifndef CIMIC_FUZZ_BUNDLE_H
#define CIMIC_FUZZ_BUNDLE_H

#include <string.h>

#include <sodium.h>

#include "cimic/identity.h"

enum { FUZZ_RECIPIENT = 1, FUZZ_SENDER = 2 };

/* Deterministic keys from a fixed seed (secrets in sodium_malloc; never freed). */
static inline void
fuzz_identity(struct node_identity *id, unsigned char which)
{
	unsigned char seed[32];

	memset(id, 0, sizeof *id);
	struct cimic_error err;

	if (identity_alloc(id, &err) != 0)
		abort();
	memset(seed, which, sizeof seed);
	crypto_sign_seed_keypair(id->pub.sign_pk, id->sign_sk, seed);
	seed[0] ^= 0x55;
	crypto_box_seed_keypair(id->pub.box_pk, id->box_sk, seed);
	strcpy(id->pub.unit, which == FUZZ_SENDER ? "sender" : "recipient");
}

#endif
