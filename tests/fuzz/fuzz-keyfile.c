/*
 * fuzz-keyfile.c - libFuzzer target for the keyfile reader: any bytes
 * are parsed; images that parse with a small enough KDF are written to
 * a file and unlocked, which must fail cleanly (no key was wrapped
 * under the fuzzer's passphrase) or succeed, never crash.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sodium.h>

#include "cimic/vault.h"
#include "vault_private.h"

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);

int
LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	static char path[64];
	struct vault_kdf kdf;
	struct cimic_error err;
	unsigned char *key = NULL;
	FILE *f;

	if (sodium_init() < 0)
		return 0;
	if (vault_parse(data, size, &kdf, &err) != 0 || kdf.mem > 65536 || kdf.ops > 2)
		return 0;
	if (path[0] == '\0')
		snprintf(path, sizeof path, "/tmp/cimic-fuzz-keyfile-%d", (int)getpid());
	if ((f = fopen(path, "wb")) == NULL)
		return 0;
	fwrite(data, 1, size, f);
	fclose(f);
	if (vault_unlock(path, "pw", 2, &key, &err) == 0)
		vault_key_free(key);
	unlink(path);
	return 0;
}
