/*
 * vault_private.h - what src/store/ and the tests use of vault.h beyond the public
 * header: internals, not for ui/.
 */
#ifndef CIMIC_SRC_STORE_VAULT_PRIVATE_H
#define CIMIC_SRC_STORE_VAULT_PRIVATE_H

#include "cimic/vault.h"

/* Chooses parameters taking about `target_ms` on this machine, with a 64 MiB floor. */
int vault_calibrate(unsigned target_ms, struct vault_kdf *out, struct cimic_error *err);

/* Creates a new keyfile with a fresh data key. OUT *key: vault_key_free(). */
int vault_create(const char *path, const char *pass, size_t passlen, const struct vault_kdf *kdf,
		 unsigned char **key, struct cimic_error *err);

/* Reads the KDF parameters of an existing keyfile (no passphrase needed). */
int vault_params(const char *path, struct vault_kdf *out, struct cimic_error *err);

/* Checks a keyfile image held in memory (format and bounds only). */
int vault_parse(const unsigned char *data, size_t len, struct vault_kdf *out, struct cimic_error *err);

/* Rewraps the same data key under a new passphrase (atomic replace). kdf NULL keeps the old one. */
int vault_rewrap(const char *path, const char *oldpass, size_t oldlen, const char *newpass,
		 size_t newlen, const struct vault_kdf *kdf, struct cimic_error *err);

/* Crypto-shreds: overwrites the keyfile, fsyncs, unlinks, fsyncs the directory. */
int vault_wipe(const char *path, struct cimic_error *err);

#endif
