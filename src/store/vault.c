/*
 * vault.c - the keyfile that holds the store's data key.
 *
 * Format version 1, 112 bytes, every integer little-endian:
 *
 *   offset size  field
 *        0    7  magic "CIMICKF"
 *        7    1  version (1)
 *        8    8  Argon2id opslimit (u64, 1 .. VAULT_OPS_MAX)
 *       16    8  Argon2id memlimit in bytes (u64, 8 KiB .. VAULT_MEM_MAX)
 *       24   16  Argon2id salt
 *       40   24  XChaCha20-Poly1305 nonce
 *       64   32  wrapped data key
 *       96   16  Poly1305 tag
 *
 * The wrapping key is crypto_pwhash(Argon2id13) of the passphrase; the
 * AEAD's additional data is bytes 0-63, so the parameters, salt and
 * version cannot be changed without the unwrap failing.  They are still
 * range-checked before the KDF runs: a tampered file must not make us
 * allocate gigabytes or spin for an hour before the tag says no.
 *
 * Files are written to a fresh name (O_CREAT|O_EXCL, 0600), fsynced,
 * then moved into place and the directory fsynced.  Creation links the
 * new file into place, which fails if a keyfile already exists, so a
 * second `init` can never destroy the only copy of a data key.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <sodium.h>

#include "cimic/i18n.h"
#include "cimic/util.h"
#include "cimic/vault.h"
#include "vault_private.h"

#define VAULT_MAGIC "CIMICKF"
#define VAULT_VERSION 1
#define VAULT_FILE_SIZE 112
#define VAULT_AD_SIZE 64
#define VAULT_SALTBYTES 16
#define VAULT_OPS_MAX 64u
#define VAULT_MEM_MIN 8192u
#define VAULT_MEM_MAX (1024ull << 20)
#define VAULT_MEM_FLOOR (64ull << 20)

struct vault_file {
	struct vault_kdf kdf;
	unsigned char salt[VAULT_SALTBYTES];
	unsigned char nonce[crypto_aead_xchacha20poly1305_ietf_NPUBBYTES];
	unsigned char wrapped[VAULT_KEYBYTES];
	unsigned char tag[crypto_aead_xchacha20poly1305_ietf_ABYTES];
};

static void
put_le64(unsigned char *p, uint64_t v)
{
	for (int i = 0; i < 8; i++)
		p[i] = (unsigned char)(v >> (8 * i));
}

static uint64_t
get_le64(const unsigned char *p)
{
	uint64_t v = 0;

	for (int i = 7; i >= 0; i--)
		v = v << 8 | p[i];
	return v;
}

static bool
kdf_ok(const struct vault_kdf *kdf)
{
	return kdf->ops >= 1 && kdf->ops <= VAULT_OPS_MAX && kdf->mem >= VAULT_MEM_MIN &&
	       kdf->mem <= VAULT_MEM_MAX;
}

static void
encode(const struct vault_file *v, unsigned char out[VAULT_FILE_SIZE])
{
	memcpy(out, VAULT_MAGIC, 7);
	out[7] = VAULT_VERSION;
	put_le64(out + 8, v->kdf.ops);
	put_le64(out + 16, v->kdf.mem);
	memcpy(out + 24, v->salt, sizeof v->salt);
	memcpy(out + 40, v->nonce, sizeof v->nonce);
	memcpy(out + 64, v->wrapped, sizeof v->wrapped);
	memcpy(out + 96, v->tag, sizeof v->tag);
}

static int
decode(const unsigned char in[VAULT_FILE_SIZE], struct vault_file *v, struct cimic_error *err)
{
	if (memcmp(in, VAULT_MAGIC, 7) != 0)
		return cimic_error_set(err, CIMIC_EDATA, _("not a cimic keyfile"));
	if (in[7] != VAULT_VERSION)
		return cimic_error_set(err, CIMIC_EDATA, _("unsupported keyfile version %u"),
				       (unsigned)in[7]);
	v->kdf.ops = get_le64(in + 8);
	v->kdf.mem = get_le64(in + 16);
	if (!kdf_ok(&v->kdf))
		return cimic_error_set(err, CIMIC_EDATA, _("keyfile parameters out of range"));
	memcpy(v->salt, in + 24, sizeof v->salt);
	memcpy(v->nonce, in + 40, sizeof v->nonce);
	memcpy(v->wrapped, in + 64, sizeof v->wrapped);
	memcpy(v->tag, in + 96, sizeof v->tag);
	return 0;
}

static int
read_file(const char *path, unsigned char out[VAULT_FILE_SIZE], struct cimic_error *err)
{
	struct stat st;
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	ssize_t got;

	if (fd < 0)
		return cimic_error_set(err, errno == ENOENT ? CIMIC_ENOINPUT : CIMIC_EIO,
				       _("cannot open keyfile %s: %s"), path, strerror(errno));
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || st.st_size != VAULT_FILE_SIZE) {
		close(fd);
		return cimic_error_set(err, CIMIC_EDATA, _("keyfile %s has the wrong size"), path);
	}
	got = read(fd, out, VAULT_FILE_SIZE);
	close(fd);
	if (got != VAULT_FILE_SIZE)
		return cimic_error_set(err, CIMIC_EIO, _("cannot read keyfile %s"), path);
	return 0;
}

static int
load(const char *path, struct vault_file *v, struct cimic_error *err)
{
	unsigned char raw[VAULT_FILE_SIZE];

	if (read_file(path, raw, err) != 0)
		return -1;
	return decode(raw, v, err);
}

/* OUT: caller sodium_free()s.  Derives the wrapping key from the passphrase. */
static unsigned char *
derive(const char *pass, size_t passlen, const struct vault_file *v, struct cimic_error *err)
{
	unsigned char *kek = sodium_malloc(crypto_aead_xchacha20poly1305_ietf_KEYBYTES);

	if (kek == NULL) {
		cimic_error_set(err, CIMIC_EFAIL, _("out of secure memory"));
		return NULL;
	}
	if (crypto_pwhash(kek, crypto_aead_xchacha20poly1305_ietf_KEYBYTES, pass, passlen,
			  v->salt, v->kdf.ops, (size_t)v->kdf.mem, crypto_pwhash_ALG_ARGON2ID13) != 0) {
		sodium_free(kek);
		cimic_error_set(err, CIMIC_EFAIL, _("key derivation failed (out of memory?)"));
		return NULL;
	}
	return kek;
}

static int
unwrap(const struct vault_file *v, const unsigned char *kek, unsigned char *key,
       struct cimic_error *err)
{
	unsigned char ad[VAULT_FILE_SIZE];

	encode(v, ad);
	if (crypto_aead_xchacha20poly1305_ietf_decrypt_detached(key, NULL, v->wrapped,
		VAULT_KEYBYTES, v->tag, ad, VAULT_AD_SIZE, v->nonce, kek) != 0)
		return cimic_error_set(err, CIMIC_EPERM, _("wrong passphrase"));
	return 0;
}

/* Wraps `key` under a fresh salt and nonce, then checks the result unwraps. */
static int
wrap(struct vault_file *v, const char *pass, size_t passlen, const unsigned char *key,
     struct cimic_error *err)
{
	unsigned char ad[VAULT_FILE_SIZE], *kek, *check = NULL;
	int rc = -1;

	randombytes_buf(v->salt, sizeof v->salt);
	randombytes_buf(v->nonce, sizeof v->nonce);
	if ((kek = derive(pass, passlen, v, err)) == NULL)
		return -1;
	encode(v, ad);
	crypto_aead_xchacha20poly1305_ietf_encrypt_detached(v->wrapped, v->tag, NULL, key,
		VAULT_KEYBYTES, ad, VAULT_AD_SIZE, NULL, v->nonce, kek);
	check = sodium_malloc(VAULT_KEYBYTES);
	if (check == NULL)
		cimic_error_set(err, CIMIC_EFAIL, _("out of secure memory"));
	else if (unwrap(v, kek, check, err) == 0 && sodium_memcmp(check, key, VAULT_KEYBYTES) == 0)
		rc = 0;
	else
		cimic_error_set(err, CIMIC_EFAIL, _("keyfile self-check failed"));
	sodium_free(check);
	sodium_free(kek);
	return rc;
}

/* Writes the keyfile under a fresh temporary name; `tmp` receives the name. */
static int
write_temp(const char *path, const struct vault_file *v, char *tmp, size_t tmpsize,
	   struct cimic_error *err)
{
	unsigned char raw[VAULT_FILE_SIZE];
	int fd, saved;

	snprintf(tmp, tmpsize, "%s.tmp-%08x", path, (unsigned)randombytes_random());
	fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
	if (fd < 0)
		return cimic_error_set(err, CIMIC_ECANTCREAT, _("cannot create %s: %s"), tmp,
				       strerror(errno));
	encode(v, raw);
	if (write(fd, raw, sizeof raw) == (ssize_t)sizeof raw && fsync(fd) == 0 && close(fd) == 0)
		return 0;
	saved = errno;
	close(fd);
	unlink(tmp);
	return cimic_error_set(err, CIMIC_EIO, _("cannot write %s: %s"), tmp, strerror(saved));
}

/* Puts the temporary file in place: link (never replaces) or rename (atomic replace). */
static int
install(const char *path, const struct vault_file *v, bool replace, struct cimic_error *err)
{
	char tmp[4096 + 32];
	int rc;

	if (write_temp(path, v, tmp, sizeof tmp, err) != 0)
		return -1;
	rc = replace ? rename(tmp, path) : link(tmp, path);
	if (rc != 0) {
		int saved = errno;
		unlink(tmp);
		return cimic_error_set(err, saved == EEXIST ? CIMIC_ECANTCREAT : CIMIC_EIO,
			saved == EEXIST ? _("keyfile %s already exists") : _("cannot write %s"),
			path);
	}
	if (!replace)
		unlink(tmp);
	if (util_fsync_dir_of(path) != 0)
		return cimic_error_set(err, CIMIC_EIO, _("cannot sync the directory of %s"), path);
	return 0;
}

int
vault_create(const char *path, const char *pass, size_t passlen, const struct vault_kdf *kdf,
	     unsigned char **key, struct cimic_error *err)
{
	struct vault_file v = { .kdf = *kdf };
	unsigned char *k;   /* owned until handed to *key */

	*key = NULL;
	if (sodium_init() < 0)
		return cimic_error_set(err, CIMIC_EFAIL, _("cannot initialise libsodium"));
	if (!kdf_ok(kdf))
		return cimic_error_set(err, CIMIC_EUSAGE, _("key derivation parameters out of range"));
	if (access(path, F_OK) == 0)
		return cimic_error_set(err, CIMIC_ECANTCREAT, _("keyfile %s already exists"), path);
	if ((k = sodium_malloc(VAULT_KEYBYTES)) == NULL)
		return cimic_error_set(err, CIMIC_EFAIL, _("out of secure memory"));
	randombytes_buf(k, VAULT_KEYBYTES);
	if (wrap(&v, pass, passlen, k, err) != 0 || install(path, &v, false, err) != 0) {
		sodium_free(k);
		return -1;
	}
	*key = k;
	return 0;
}

int
vault_unlock(const char *path, const char *pass, size_t passlen, unsigned char **key,
	     struct cimic_error *err)
{
	struct vault_file v;
	unsigned char *kek, *k;

	*key = NULL;
	if (sodium_init() < 0)
		return cimic_error_set(err, CIMIC_EFAIL, _("cannot initialise libsodium"));
	if (load(path, &v, err) != 0 || (kek = derive(pass, passlen, &v, err)) == NULL)
		return -1;
	k = sodium_malloc(VAULT_KEYBYTES);
	if (k == NULL) {
		sodium_free(kek);
		return cimic_error_set(err, CIMIC_EFAIL, _("out of secure memory"));
	}
	if (unwrap(&v, kek, k, err) != 0) {
		sodium_free(k);
		k = NULL;
	}
	sodium_free(kek);
	*key = k;
	return k != NULL ? 0 : -1;
}

int
vault_rewrap(const char *path, const char *oldpass, size_t oldlen, const char *newpass,
	     size_t newlen, const struct vault_kdf *kdf, struct cimic_error *err)
{
	struct vault_file v;
	unsigned char *key = NULL;   /* owned, sodium_malloc */
	int rc = -1;

	if (kdf != NULL && !kdf_ok(kdf))
		return cimic_error_set(err, CIMIC_EUSAGE, _("key derivation parameters out of range"));
	if (load(path, &v, err) != 0 || vault_unlock(path, oldpass, oldlen, &key, err) != 0)
		return -1;
	if (kdf != NULL)
		v.kdf = *kdf;
	if (wrap(&v, newpass, newlen, key, err) == 0 && install(path, &v, true, err) == 0)
		rc = 0;
	vault_key_free(key);
	return rc;
}

/*
 * Crypto-shredding: the data key exists only wrapped in this file, so
 * destroying 112 bytes makes the database unreadable whatever its size.
 * The overwrite matters on filesystems that rewrite in place; on flash
 * it is best effort, which is why nothing else holds the key.
 */
int
vault_wipe(const char *path, struct cimic_error *err)
{
	unsigned char noise[VAULT_FILE_SIZE];
	struct stat st;
	int fd = open(path, O_WRONLY | O_CLOEXEC | O_NOFOLLOW);

	if (fd < 0)
		return cimic_error_set(err, errno == ENOENT ? CIMIC_ENOINPUT : CIMIC_EIO,
				       _("cannot open keyfile %s: %s"), path, strerror(errno));
	if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode)) {
		for (off_t done = 0; done < st.st_size; done += (off_t)sizeof noise) {
			randombytes_buf(noise, sizeof noise);
			if (pwrite(fd, noise, sizeof noise, done) != (ssize_t)sizeof noise)
				break;
		}
		fsync(fd);
	}
	close(fd);
	if (unlink(path) != 0)
		return cimic_error_set(err, CIMIC_EIO, _("cannot remove keyfile %s: %s"), path,
				       strerror(errno));
	if (util_fsync_dir_of(path) != 0)
		return cimic_error_set(err, CIMIC_EIO, _("cannot sync the directory of %s"), path);
	return 0;
}

int
vault_params(const char *path, struct vault_kdf *out, struct cimic_error *err)
{
	struct vault_file v;

	if (load(path, &v, err) != 0)
		return -1;
	*out = v.kdf;
	return 0;
}

int
vault_parse(const unsigned char *data, size_t len, struct vault_kdf *out, struct cimic_error *err)
{
	struct vault_file v;

	if (len != VAULT_FILE_SIZE)
		return cimic_error_set(err, CIMIC_EDATA, _("keyfile has the wrong size (%zu bytes)"), len);
	if (decode(data, &v, err) != 0)
		return -1;
	*out = v.kdf;
	return 0;
}

void
vault_key_free(unsigned char *key)
{
	if (key != NULL)
		sodium_free(key);
}

static double
kdf_seconds(const struct vault_kdf *kdf, bool *failed)
{
	unsigned char out[32], salt[VAULT_SALTBYTES] = { 0 };
	struct timespec a, b;

	clock_gettime(CLOCK_MONOTONIC, &a);
	*failed = crypto_pwhash(out, sizeof out, "calibrate", 9, salt, kdf->ops, (size_t)kdf->mem,
				crypto_pwhash_ALG_ARGON2ID13) != 0;
	clock_gettime(CLOCK_MONOTONIC, &b);
	return (double)(b.tv_sec - a.tv_sec) + (double)(b.tv_nsec - a.tv_nsec) / 1e9;
}

/*
 * Starts at the 64 MiB floor with one pass, then raises the pass count
 * in proportion to the time still missing (two or three runs in all);
 * only when the pass limit is reached does memory grow.
 */
int
vault_calibrate(unsigned target_ms, struct vault_kdf *out, struct cimic_error *err)
{
	struct vault_kdf k = { .ops = 1, .mem = VAULT_MEM_FLOOR };
	double target = target_ms / 1000.0, t;
	bool failed;

	if (sodium_init() < 0)
		return cimic_error_set(err, CIMIC_EFAIL, _("cannot initialise libsodium"));
	for (int round = 0; round < 8; round++) {
		t = kdf_seconds(&k, &failed);
		if (failed)
			return cimic_error_set(err, CIMIC_EFAIL, _("key derivation failed (out of memory?)"));
		if (t >= target * 0.9)
			break;
		uint64_t want = (uint64_t)((double)k.ops * target / (t > 1e-6 ? t : 1e-6)) + 1;
		if (k.ops < VAULT_OPS_MAX)
			k.ops = want > VAULT_OPS_MAX ? VAULT_OPS_MAX : want;
		else if (k.mem * 2 <= VAULT_MEM_MAX)
			k.mem *= 2;
		else
			break;
	}
	*out = k;
	return 0;
}
