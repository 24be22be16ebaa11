/*
 * identity.c - node keys, key ids, fingerprints and identity strings.
 *
 * Secret keys live in sodium_malloc memory (guard pages, mlock, wiped on
 * free).  The identity string is self-signed so that its three public
 * keys, role and unit cannot be mixed and matched; whoever hands it over
 * is still the trust anchor, which is why people compare fingerprints.
 */
#include <stdio.h>
#include <string.h>

#include <sodium.h>

#include "cimic/i18n.h"
#include "cimic/identity.h"

#define IDSTR_PREFIX "cimic1:"
#define IDSTR_VERSION 1

static int
alloc_secrets(struct node_identity *id, struct cimic_error *err)
{
	id->sign_sk = sodium_malloc(crypto_sign_SECRETKEYBYTES);
	id->box_sk = sodium_malloc(crypto_box_SECRETKEYBYTES);
	id->link_sk = sodium_malloc(crypto_box_SECRETKEYBYTES);
	if (id->sign_sk == NULL || id->box_sk == NULL || id->link_sk == NULL) {
		identity_finish(id);
		return cimic_error_set(err, CIMIC_EFAIL, _("cannot allocate secure memory"));
	}
	return 0;
}

int
identity_generate(struct node_identity *id, const char *unit, enum node_role role,
		  struct cimic_error *err)
{
	size_t len = strlen(unit);

	memset(id, 0, sizeof *id);
	if (len == 0 || len > IDENTITY_UNIT_MAX)
		return cimic_error_set(err, CIMIC_EUSAGE,
				       _("unit name must be 1 to %d bytes long"), IDENTITY_UNIT_MAX);
	if (alloc_secrets(id, err) != 0)
		return -1;
	crypto_sign_keypair(id->pub.sign_pk, id->sign_sk);
	crypto_box_keypair(id->pub.box_pk, id->box_sk);
	crypto_box_keypair(id->pub.link_pk, id->link_sk);
	memcpy(id->pub.unit, unit, len + 1);
	id->pub.role = role;
	return 0;
}

int
identity_alloc(struct node_identity *id, struct cimic_error *err)
{
	memset(id, 0, sizeof *id);
	return alloc_secrets(id, err);
}

void
identity_finish(struct node_identity *id)
{
	if (id == NULL)
		return;
	sodium_free(id->sign_sk);
	sodium_free(id->box_sk);
	sodium_free(id->link_sk);
	id->sign_sk = id->box_sk = id->link_sk = NULL;
}

void
identity_key_id(const unsigned char sign_pk[IDENTITY_PK_BYTES], unsigned char out[IDENTITY_KEYID_BYTES])
{
	crypto_generichash(out, IDENTITY_KEYID_BYTES, sign_pk, IDENTITY_PK_BYTES, NULL, 0);
}

void
identity_fingerprint(const unsigned char sign_pk[IDENTITY_PK_BYTES], char *buf, size_t n)
{
	unsigned char kid[IDENTITY_KEYID_BYTES];

	identity_key_id(sign_pk, kid);
	snprintf(buf, n, "%02X%02X-%02X%02X-%02X%02X-%02X%02X", kid[0], kid[1], kid[2], kid[3],
		 kid[4], kid[5], kid[6], kid[7]);
}

/* Serialises the signed part; returns its length. */
static size_t
idstr_body(const struct node_public *pub, unsigned char *out)
{
	size_t ulen = strlen(pub->unit), n = 0;

	out[n++] = IDSTR_VERSION;
	out[n++] = (unsigned char)pub->role;
	memcpy(out + n, pub->sign_pk, 32), n += 32;
	memcpy(out + n, pub->box_pk, 32), n += 32;
	memcpy(out + n, pub->link_pk, 32), n += 32;
	out[n++] = (unsigned char)ulen;
	memcpy(out + n, pub->unit, ulen), n += ulen;
	return n;
}

int
identity_string(const struct node_identity *id, char *buf, size_t n, struct cimic_error *err)
{
	unsigned char raw[2 + 96 + 1 + IDENTITY_UNIT_MAX + crypto_sign_BYTES];
	size_t len = idstr_body(&id->pub, raw), plen = strlen(IDSTR_PREFIX);

	crypto_sign_detached(raw + len, NULL, raw, len, id->sign_sk);
	len += crypto_sign_BYTES;
	if (n < plen + sodium_base64_ENCODED_LEN(len, sodium_base64_VARIANT_URLSAFE_NO_PADDING))
		return cimic_error_set(err, CIMIC_EFAIL, _("identity string buffer too small"));
	memcpy(buf, IDSTR_PREFIX, plen);
	sodium_bin2base64(buf + plen, n - plen, raw, len, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	return 0;
}

int
identity_parse(const char *text, struct node_public *out, struct cimic_error *err)
{
	unsigned char raw[2 + 96 + 1 + IDENTITY_UNIT_MAX + crypto_sign_BYTES];
	size_t plen = strlen(IDSTR_PREFIX), len, ulen;

	memset(out, 0, sizeof *out);
	if (strncmp(text, IDSTR_PREFIX, plen) != 0 ||
	    sodium_base642bin(raw, sizeof raw, text + plen, strlen(text + plen), " \n", &len, NULL,
			      sodium_base64_VARIANT_URLSAFE_NO_PADDING) != 0)
		return cimic_error_set(err, CIMIC_EDATA,
				       _("not a cimic identity string (it starts with \"cimic1:\")"));
	if (len < 99 + crypto_sign_BYTES || raw[0] != IDSTR_VERSION || raw[1] > NODE_HQ)
		return cimic_error_set(err, CIMIC_EDATA, _("identity string is damaged or too new"));
	ulen = raw[98];
	if (ulen == 0 || ulen > IDENTITY_UNIT_MAX || len != 99 + ulen + crypto_sign_BYTES)
		return cimic_error_set(err, CIMIC_EDATA, _("identity string is damaged"));
	if (crypto_sign_verify_detached(raw + 99 + ulen, raw, 99 + ulen, raw + 2) != 0)
		return cimic_error_set(err, CIMIC_EDATA,
				       _("identity string signature does not match: check it was copied whole"));
	out->role = raw[1];
	memcpy(out->sign_pk, raw + 2, 32);
	memcpy(out->box_pk, raw + 34, 32);
	memcpy(out->link_pk, raw + 66, 32);
	memcpy(out->unit, raw + 99, ulen);
	out->unit[ulen] = '\0';
	return 0;
}

const char *
identity_role_name(enum node_role role)
{
	return role == NODE_HQ ? "hq" : "field";
}
