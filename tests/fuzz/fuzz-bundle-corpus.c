/*
 * fuzz-bundle-corpus.c - writes the seed corpus of fuzz-bundle into DIR:
 * real bundles between the fixed fuzz identities (mode byte 0), and the
 * decrypted plaintext of each (mode byte 1).  Run by hand when the
 * format changes:  build/tests/fuzz/fuzz-bundle-corpus tests/fuzz/corpus/bundle
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../unit/support.h"
#include "bundle_read.h"
#include "cimic/bundle.h"
#include "bundle_private.h"
#include "cimic/model.h"
#include "cimic/oplog.h"
#include "fuzz-bundle.h"

struct raws {
	unsigned char *raw[64];
	size_t len[64];
	int n;
};

static int
keep(const unsigned char *raw, size_t len, uint64_t seq, void *arg)
{
	struct raws *r = arg;

	(void)seq;
	if (r->n < 64) {
		r->raw[r->n] = malloc(len);
		memcpy(r->raw[r->n], raw, len);
		r->len[r->n++] = len;
	}
	return 0;
}

static void
save(const char *dir, const char *name, unsigned char mode, const unsigned char *p, size_t n)
{
	char path[600];
	FILE *f;

	snprintf(path, sizeof path, "%s/%s", dir, name);
	f = fopen(path, "wb");
	fputc(mode, f);
	fwrite(p, 1, n, f);
	fclose(f);
}

/* Writes a bundle of the first k entries; saves it and its plaintext. */
static void
make(const char *dir, const char *tmp, const struct raws *r, int k, const struct node_identity *from,
     const struct node_identity *to, const char *name)
{
	struct bundle_recipient rc;
	struct bundle_writer *w;
	struct bundle_reader *rd;
	struct oplog_vv_item ack = { { 0 }, (uint64_t)k };
	struct cimic_error err;
	unsigned char *buf = malloc(1u << 22);
	size_t n = 0;
	char path[600], pname[64];
	FILE *f;

	memcpy(rc.sign_pk, to->pub.sign_pk, 32);
	memcpy(rc.box_pk, to->pub.box_pk, 32);
	memcpy(ack.author, from->pub.sign_pk, 32);
	snprintf(path, sizeof path, "%s/b", tmp);
	if (bundle_writer_create(path, from, &rc, 1, 1, &ack, 1, &w, &err) != 0)
		exit(1);
	for (int i = 0; i < k; i++)
		bundle_writer_add(w, r->raw[i], r->len[i], &err);
	if (bundle_writer_finish(w, NULL, &err) != 0)
		exit(1);
	f = fopen(path, "rb");
	n = fread(buf, 1, 1u << 22, f);
	fclose(f);
	save(dir, name, 0, buf, n);
	if (bundle_reader_open(path, to, &rd, &err) != 0 || reader_start(rd, &err) != 0)
		exit(1);
	for (n = 0; reader_read(rd, buf + n, 1, &err) == 0; n++)
		;
	bundle_reader_destroy(rd);
	snprintf(pname, sizeof pname, "%s-plain", name);
	save(dir, pname, 1, buf, n);
	free(buf);
}

int
main(int argc, char **argv)
{
	struct node_identity me, sender;
	struct raws r = { 0 };
	struct cimic_error err;
	struct store *st;
	char *dir, *tmp = test_tmpdir();
	unsigned char id[CIMIC_ID_BYTES];

	if (argc != 2 || sodium_init() < 0)
		return 64;
	fuzz_identity(&me, FUZZ_RECIPIENT);
	fuzz_identity(&sender, FUZZ_SENDER);
	st = test_store("fuzz", NODE_FIELD, &dir);
	for (int i = 0; i < 6; i++) {
		struct oplog_txn *txn;
		struct model_change c;
		model_change_init(&c, i % 2 ? MODEL_CONTACT : MODEL_INCIDENT);
		model_change_parse(&c, i % 2 ? "name" : "title", "Ізюм, водогін", 0, &err);
		model_change_parse(&c, "settlement", "Ізюм", 0, &err);
		oplog_begin(st, &txn, &err);
		model_create(txn, &c, id, &err);
		oplog_commit(txn, &err);
		model_change_finish(&c);
	}
	oplog_entries_after(st, store_identity(st)->pub.sign_pk, 0, keep, &r, &err);
	make(argv[1], tmp, &r, 0, &sender, &me, "empty");
	make(argv[1], tmp, &r, 1, &sender, &me, "one");
	make(argv[1], tmp, &r, r.n, &sender, &me, "six");
	store_close(st);
	test_rmdir(dir);
	test_rmdir(tmp);
	return 0;
}
