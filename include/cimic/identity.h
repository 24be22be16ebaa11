/*
 * identity.h - a node's keys, and the identity string people exchange.
 *
 * A node has an Ed25519 signing key (entries, bundles), an X25519 key
 * for bundles and an X25519 key for the network link.  The key id is the
 * first 8 bytes of BLAKE2b(sign_pk); the fingerprint shows it as four
 * groups of four hex digits, to compare by voice or on paper.
 *
 * The identity string "cimic1:" + base64url(no padding) of
 *   version(1) role(1) sign_pk(32) box_pk(32) link_pk(32) unitlen(1) unit
 *   signature(64, Ed25519 by sign_pk over all before it)
 * binds the three keys, the role and the unit name.
 */
#ifndef CIMIC_IDENTITY_H
#define CIMIC_IDENTITY_H

#include <stdbool.h>
#include <stddef.h>

#include "cimic/error.h"

#define IDENTITY_PK_BYTES 32
#define IDENTITY_KEYID_BYTES 8
#define IDENTITY_UNIT_MAX 63
#define IDENTITY_STRING_MAX 512

enum node_role { NODE_FIELD = 0, NODE_HQ = 1 };

/* Public part: what peers know of a node. */
struct node_public {
	unsigned char sign_pk[IDENTITY_PK_BYTES];
	unsigned char box_pk[IDENTITY_PK_BYTES];
	unsigned char link_pk[IDENTITY_PK_BYTES];
	enum node_role role;
	char unit[IDENTITY_UNIT_MAX + 1];
};

/* A node's own identity: public part plus secrets in sodium_malloc memory. */
struct node_identity {
	struct node_public pub;
	unsigned char *sign_sk;   /* 64 bytes, sodium_malloc, owned */
	unsigned char *box_sk;    /* 32 bytes, sodium_malloc, owned */
	unsigned char *link_sk;   /* 32 bytes, sodium_malloc, owned */
};

/* Generates fresh keys. */
int identity_generate(struct node_identity *id, const char *unit, enum node_role role,
		      struct cimic_error *err);
void identity_finish(struct node_identity *id);
/* Allocates empty secret buffers (for loading stored keys). */
int identity_alloc(struct node_identity *id, struct cimic_error *err);

void identity_key_id(const unsigned char sign_pk[IDENTITY_PK_BYTES],
		     unsigned char out[IDENTITY_KEYID_BYTES]);
/* "3F2A-9C1B-0D44-E7A0". buf >= 20 bytes. */
void identity_fingerprint(const unsigned char sign_pk[IDENTITY_PK_BYTES], char *buf, size_t n);

/* Builds the identity string. buf >= IDENTITY_STRING_MAX. */
int identity_string(const struct node_identity *id, char *buf, size_t n, struct cimic_error *err);
/* Parses and verifies an identity string (CIMIC_EDATA when malformed or badly signed). */
int identity_parse(const char *text, struct node_public *out, struct cimic_error *err);

const char *identity_role_name(enum node_role role);   /* "field" / "hq" */

#endif
