/*
 * fuzz-entry.c - libFuzzer target for the op-log entry decoder, the
 * parser every received entry (bundle or link) goes through first.
 * Inputs get a valid signature half the time, so the fuzzer reaches the
 * op decoder behind the signature check.
 */
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "cimic/oplog.h"

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);

/* Re-signs the input with a fixed key, as an entry author would. */
static unsigned char *
resign(const unsigned char *data, size_t size)
{
	static unsigned char pk[32], sk[64];
	static int have;
	crypto_sign_state state;
	unsigned char *m;

	if (size < 3 + 32 + 64 || size > OPLOG_ENTRY_MAX_BYTES || (m = malloc(size)) == NULL)
		return NULL;
	if (!have) {
		unsigned char seed[32] = { 1 };
		crypto_sign_seed_keypair(pk, sk, seed);
		have = 1;
	}
	memcpy(m, data, size);
	memcpy(m + 3, pk, 32);
	crypto_sign_init(&state);
	crypto_sign_update(&state, (const unsigned char *)"cimic-entry-v1", 14);
	crypto_sign_update(&state, m, size - 64);
	crypto_sign_final_create(&state, m + size - 64, NULL, sk);
	return m;
}

int
LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	struct oplog_entry e;
	struct cimic_error err;
	unsigned char *m;

	if (sodium_init() < 0)
		return 0;
	if (oplog_entry_decode(data, size, &e, &err) == 0)
		oplog_entry_finish(&e);
	if (size > 0 && (data[0] & 1) && (m = resign(data, size)) != NULL) {
		if (oplog_entry_decode(m, size, &e, &err) == 0)
			oplog_entry_finish(&e);
		free(m);
	}
	return 0;
}
