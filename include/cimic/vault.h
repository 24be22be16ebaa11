/*
 * vault.h - the keyfile: a random 256-bit data key wrapped under a key
 * derived from the passphrase with Argon2id.
 *
 * Format (versioned, little-endian, see the comment in vault.c): magic,
 * version, Argon2id opslimit and memlimit, salt, nonce, wrapped key and
 * tag.  The keyfile is created with O_EXCL and mode 0600, written to a
 * temporary name, fsynced and renamed.  Data keys returned to callers
 * live in sodium_malloc memory; release them with vault_key_free().
 */
#ifndef CIMIC_VAULT_H
#define CIMIC_VAULT_H

#include <stddef.h>
#include <stdint.h>

#include "cimic/error.h"

#define VAULT_KEYBYTES 32

struct vault_kdf {
	uint64_t ops;   /* Argon2id opslimit (>= 1) */
	uint64_t mem;   /* Argon2id memlimit in bytes (>= 8 KiB) */
};

/* Unwraps the data key. Wrong passphrase: CIMIC_EPERM. OUT *key: vault_key_free(). */
int vault_unlock(const char *path, const char *pass, size_t passlen, unsigned char **key,
		 struct cimic_error *err);

void vault_key_free(unsigned char *key);

#endif
