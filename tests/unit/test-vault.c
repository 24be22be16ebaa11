/*
 * test-vault.c - the keyfile: create, unlock, rewrap, wipe; wrong
 * passphrases, tampered and truncated files, O_EXCL and mode 0600.
 * KDF parameters are small and explicit (ops 1, 8 MiB).
 */
#include <fcntl.h>
#include <stdbool.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <sodium.h>

#include "cimic/vault.h"
#include "vault_private.h"
#include "tap.h"

#define KEYFILE_SIZE 112

static const struct vault_kdf small = { .ops = 1, .mem = 8u << 20 };
static const char pass[] = "Слава Україні! correct horse";
static const char other[] = "wrong horse";

static char dir[64];
static char keyfile[128];

static unsigned char *
slurp(const char *path, size_t *len)
{
	struct stat st;
	unsigned char *buf = NULL;
	int fd = open(path, O_RDONLY);

	*len = 0;
	if (fd < 0)
		return NULL;
	if (fstat(fd, &st) == 0 && (buf = malloc((size_t)st.st_size + 1)) != NULL &&
	    read(fd, buf, (size_t)st.st_size) == st.st_size)
		*len = (size_t)st.st_size;
	close(fd);
	return buf;
}

static void
spit(const char *path, const unsigned char *buf, size_t len)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);

	if (fd < 0 || write(fd, buf, len) != (ssize_t)len)
		tap_diag("cannot write %s", path);
	if (fd >= 0)
		close(fd);
}

static double
seconds_since(const struct timespec *a)
{
	struct timespec b;

	clock_gettime(CLOCK_MONOTONIC, &b);
	return (double)(b.tv_sec - a->tv_sec) + (double)(b.tv_nsec - a->tv_nsec) / 1e9;
}

static void
test_roundtrip(void)
{
	unsigned char *key = NULL, *again = NULL;
	struct vault_kdf got;
	struct cimic_error err;
	struct stat st;

	ok(vault_create(keyfile, pass, strlen(pass), &small, &key, &err) == 0, "create keyfile");
	ok(key != NULL, "data key returned");
	ok(stat(keyfile, &st) == 0 && (st.st_mode & 0777) == 0600, "mode 0600");
	is_int(st.st_size, KEYFILE_SIZE, "keyfile is %d bytes", KEYFILE_SIZE);
	ok(vault_params(keyfile, &got, &err) == 0 && got.ops == 1 && got.mem == small.mem,
	   "parameters readable without the passphrase");
	ok(vault_unlock(keyfile, pass, strlen(pass), &again, &err) == 0 &&
	   sodium_memcmp(key, again, VAULT_KEYBYTES) == 0, "unlock gives the same key");
	vault_key_free(again);
	again = NULL;
	ok(vault_unlock(keyfile, other, strlen(other), &again, &err) == -1 && again == NULL,
	   "wrong passphrase refused");
	is_int(err.code, CIMIC_EPERM, "wrong passphrase is CIMIC_EPERM");
	ok(vault_create(keyfile, other, strlen(other), &small, &again, &err) == -1 &&
	   err.code == CIMIC_ECANTCREAT, "create refuses to overwrite a keyfile");

	struct vault_kdf bigger = { .ops = 2, .mem = 8u << 20 };
	ok(vault_rewrap(keyfile, other, strlen(other), pass, strlen(pass), NULL, &err) == -1 &&
	   err.code == CIMIC_EPERM, "rewrap with the wrong old passphrase refused");
	ok(vault_rewrap(keyfile, pass, strlen(pass), other, strlen(other), &bigger, &err) == 0,
	   "rewrap under a new passphrase");
	ok(vault_unlock(keyfile, pass, strlen(pass), &again, &err) == -1, "old passphrase gone");
	ok(vault_unlock(keyfile, other, strlen(other), &again, &err) == 0 &&
	   sodium_memcmp(key, again, VAULT_KEYBYTES) == 0, "new passphrase, same data key");
	vault_key_free(again);
	again = NULL;
	ok(vault_params(keyfile, &got, &err) == 0 && got.ops == 2, "new parameters stored");
	ok(stat(keyfile, &st) == 0 && (st.st_mode & 0777) == 0600, "still mode 0600");
	ok(vault_wipe(keyfile, &err) == 0, "wipe");
	ok(access(keyfile, F_OK) != 0, "keyfile gone");
	ok(vault_unlock(keyfile, other, strlen(other), &again, &err) == -1 &&
	   err.code == CIMIC_ENOINPUT, "unlock after wipe fails");
	vault_key_free(key);
}

/* Flipping any byte must be refused: EDATA (header checks) or EPERM (AEAD), never a key. */
static void
test_tamper(void)
{
	unsigned char *orig, *buf, *key = NULL;
	struct cimic_error err;
	size_t len;
	int refused = 0, wrong_code = 0;

	vault_create(keyfile, pass, strlen(pass), &small, &key, &err);
	vault_key_free(key);
	orig = slurp(keyfile, &len);
	buf = malloc(len);
	for (size_t at = 0; at < len; at++) {
		memcpy(buf, orig, len);
		buf[at] ^= 0x80;
		spit(keyfile, buf, len);
		key = NULL;
		if (vault_unlock(keyfile, pass, strlen(pass), &key, &err) == -1 && key == NULL)
			refused++;
		if (err.code != CIMIC_EDATA && err.code != CIMIC_EPERM)
			wrong_code++;
		vault_key_free(key);
	}
	is_int(refused, (long long)len, "every one of %zu flipped bytes refused", len);
	is_int(wrong_code, 0, "refusals are CIMIC_EDATA or CIMIC_EPERM");

	static const size_t cuts[] = { 0, 7, 8, 63, 111 };
	for (size_t i = 0; i < sizeof cuts / sizeof cuts[0]; i++) {
		spit(keyfile, orig, cuts[i]);
		ok(vault_unlock(keyfile, pass, strlen(pass), &key, &err) == -1 &&
		   err.code == CIMIC_EDATA, "truncated to %zu bytes: CIMIC_EDATA", cuts[i]);
	}
	memcpy(buf, orig, len);
	spit(keyfile, buf, len);
	unsigned char longer[KEYFILE_SIZE + 1] = { 0 };
	memcpy(longer, orig, len);
	spit(keyfile, longer, sizeof longer);
	ok(vault_unlock(keyfile, pass, strlen(pass), &key, &err) == -1 && err.code == CIMIC_EDATA,
	   "trailing byte: CIMIC_EDATA");
	memcpy(buf, orig, len);
	buf[16 + 5] = 0x01;   /* memlimit about 1 TB, with a valid-looking rest */
	spit(keyfile, buf, len);
	ok(vault_unlock(keyfile, pass, strlen(pass), &key, &err) == -1 && err.code == CIMIC_EDATA,
	   "a 1 TB memlimit is refused before the KDF runs");
	free(buf);
	free(orig);
	unlink(keyfile);
}

static void
test_refusals(void)
{
	unsigned char *key = NULL;
	struct cimic_error err;
	struct vault_kdf bad = { .ops = 0, .mem = 8u << 20 };

	ok(vault_create(keyfile, pass, strlen(pass), &bad, &key, &err) == -1 && key == NULL,
	   "ops 0 refused");
	ok(access(keyfile, F_OK) != 0, "nothing written");
	spit(keyfile, (const unsigned char *)"x", 1);
	ok(vault_create(keyfile, pass, strlen(pass), &small, &key, &err) == -1 &&
	   err.code == CIMIC_ECANTCREAT, "an existing file of any content is never replaced");
	unlink(keyfile);
	ok(vault_unlock(keyfile, pass, strlen(pass), &key, &err) == -1 &&
	   err.code == CIMIC_ENOINPUT, "missing keyfile is CIMIC_ENOINPUT");
	ok(vault_wipe(keyfile, &err) == -1 && err.code == CIMIC_ENOINPUT, "wipe of nothing");
}

/* The store can be huge; the wipe only touches the keyfile and stays far under a second. */
static void
test_wipe_speed(void)
{
	char db[160];
	unsigned char *key = NULL, block[1 << 16];
	struct cimic_error err;
	struct timespec t0;
	double took;
	int fd;

	snprintf(db, sizeof db, "%s/cimic.db", dir);
	fd = open(db, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	randombytes_buf(block, sizeof block);
	for (int i = 0; fd >= 0 && i < 1600; i++)
		if (write(fd, block, sizeof block) != (ssize_t)sizeof block)
			break;
	if (fd >= 0) {
		fsync(fd);
		close(fd);
	}
	vault_create(keyfile, pass, strlen(pass), &small, &key, &err);
	vault_key_free(key);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	ok(vault_wipe(keyfile, &err) == 0, "wipe beside a 100 MB store");
	took = seconds_since(&t0);
	ok(took < 1.0, "wipe took %.4f s", took);
	tap_diag("wipe time: %.4f s", took);
	unlink(db);
}

int
main(void)
{
	char tmpl[] = "/tmp/cimic-vault-XXXXXX";

	if (sodium_init() < 0 || mkdtemp(tmpl) == NULL)
		return 1;
	snprintf(dir, sizeof dir, "%s", tmpl);
	snprintf(keyfile, sizeof keyfile, "%s/keyfile", dir);
	test_roundtrip();
	test_tamper();
	test_refusals();
	test_wipe_speed();
	rmdir(dir);
	return done_testing();
}
