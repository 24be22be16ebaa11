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

/* Chooses parameters taking about `target_ms` on this machine, with a 64 MiB floor. */
int vault_calibrate(unsigned target_ms, struct vault_kdf *out, struct cimic_error *err);

/* Creates a new keyfile with a fresh data key. OUT *key: vault_key_free(). */
int vault_create(const char *path, const char *pass, size_t passlen, const struct vault_kdf *kdf,
		 unsigned char **key, struct cimic_error *err);

/* Unwraps the data key. Wrong passphrase: CIMIC_EPERM. OUT *key: vault_key_free(). */
int vault_unlock(const char *path, const char *pass, size_t passlen, unsigned char **key,
		 struct cimic_error *err);

/* Rewraps the same data key under a new passphrase (atomic replace). kdf NULL keeps the old one. */
int vault_rewrap(const char *path, const char *oldpass, size_t oldlen, const char *newpass,
		 size_t newlen, const struct vault_kdf *kdf, struct cimic_error *err);

/* Crypto-shreds: overwrites the keyfile, fsyncs, unlinks, fsyncs the directory. */
int vault_wipe(const char *path, struct cimic_error *err);

/* Reads the KDF parameters of an existing keyfile (no passphrase needed). */
int vault_params(const char *path, struct vault_kdf *out, struct cimic_error *err);

/* Checks a keyfile image held in memory (format and bounds only). */
int vault_parse(const unsigned char *data, size_t len, struct vault_kdf *out, struct cimic_error *err);

void vault_key_free(unsigned char *key);

#endif
