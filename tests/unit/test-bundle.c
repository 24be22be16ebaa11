/*
 * test-bundle.c - bundles between an HQ and field units: round trip,
 * repeat, wrong recipient, every bit flip and every truncation of a
 * sample bundle, roster replication, revocation and quarantine, and a
 * concurrent edit that must surface as one conflict everywhere.
 */
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bundle_format.h"
#include "bundle_private.h"
#include "cimic/bundle.h"
#include "sync-support.h"
#include "tap.h"

struct node {
	struct store *st;
	char *dir;
};

static char *usb;

static char *
path_of(const char *name)
{
	static char p[4][600];
	static int k;

	k = (k + 1) % 4;
	snprintf(p[k], sizeof p[k], "%s/%s", usb, name);
	return p[k];
}

/* What replicas must agree on: the user's data and the open conflicts. */
static void
data_digest(struct store *st, unsigned char out[32])
{
	crypto_generichash_state h;
	sqlite3 *db = store_db(st);

	crypto_generichash_init(&h, NULL, 0, 32);
	digest_query(db, "SELECT * FROM contacts ORDER BY id", &h);
	digest_query(db, "SELECT * FROM incidents ORDER BY id", &h);
	digest_query(db, "SELECT * FROM links ORDER BY id", &h);
	digest_query(db, "SELECT row, field, tbl FROM conflicts ORDER BY row, field", &h);
	crypto_generichash_final(&h, out, 32);
}

static long
entry_count(struct store *st)
{
	long e = 0, o = 0;
	struct cimic_error err;

	oplog_stats(st, &e, &o, &err);
	return e;
}

static unsigned char *
slurp(const char *path, size_t *n)
{
	FILE *f = fopen(path, "rb");
	unsigned char *p;
	long len;

	fseek(f, 0, SEEK_END);
	len = ftell(f);
	fseek(f, 0, SEEK_SET);
	p = malloc((size_t)len);
	*n = fread(p, 1, (size_t)len, f);
	fclose(f);
	return p;
}

static void
spit(const char *path, const unsigned char *p, size_t n)
{
	FILE *f = fopen(path, "wb");

	fwrite(p, 1, n, f);
	fclose(f);
}

/* Recomputes the courier trailer, as an attacker who edits a copy would. */
static void
fix_trailer(unsigned char *p, size_t n)
{
	crypto_generichash(p + n - 32, 32, p, n - 32, NULL, 0);
}

static void
test_round_trip(struct node *hq, struct node *u1)
{
	struct exchange_result res;
	unsigned char id[CIMIC_ID_BYTES], d1[32], d2[32];
	long before;

	for (int i = 0; i < 5; i++) {
		char name[32];
		snprintf(name, sizeof name, "Контакт %d", i);
		sync_add(u1->st, MODEL_CONTACT, name, id);
		snprintf(name, sizeof name, "Incident %d", i);
		sync_add(u1->st, MODEL_INCIDENT, name, id);
	}
	ok(sync_bundle(u1->st, hq->st, path_of("u1-hq")) == 0, "unit writes a bundle for HQ");
	is_int(sync_import(hq->st, path_of("u1-hq"), &res), 0, "HQ imports it");
	is_int(res.entries_new, 10, "ten new entries");
	is_str(res.sender_name, "u1", "sender named as HQ enrolled it");
	before = entry_count(hq->st);
	data_digest(hq->st, d1);
	is_int(sync_import(hq->st, path_of("u1-hq"), &res), 0, "importing it again succeeds");
	ok(res.entries_new == 0 && res.entries_dup == 10 && res.seen_before,
	   "and changes nothing (0 new, 10 already held)");
	data_digest(hq->st, d2);
	ok(before == entry_count(hq->st) && memcmp(d1, d2, 32) == 0, "store unchanged by the repeat");
	ok(sync_bundle(hq->st, u1->st, path_of("hq-u1")) == 0 &&
	   sync_import(u1->st, path_of("hq-u1"), &res) == 0, "HQ answers; the unit imports");
	data_digest(u1->st, d1);
	data_digest(hq->st, d2);
	ok(memcmp(d1, d2, 32) == 0, "unit and HQ hold the same data");
}

static void
test_acks_shrink(struct node *hq, struct node *u1)
{
	struct exchange_out out;
	struct cimic_error err;

	exchange_create(u1->st, store_identity(hq->st)->pub.sign_pk, path_of("again"), &out, &err);
	is_int(out.entries, 0, "after HQ's ack, the next bundle to HQ carries no entries");
}

static void
test_other_recipient(struct node *hq, struct node *u1, struct node *u2)
{
	unsigned char d1[32], d2[32];
	struct exchange_result res;

	data_digest(u1->st, d1);
	ok(sync_bundle(hq->st, u2->st, path_of("hq-u2")) == 0, "HQ writes a bundle for u2");
	is_int(sync_import(u1->st, path_of("hq-u2"), &res), CIMIC_EPERM,
	       "u1 refuses a bundle for u2 (77)");
	data_digest(u1->st, d2);
	ok(memcmp(d1, d2, 32) == 0, "u1 unchanged");
	is_int(sync_import(u2->st, path_of("hq-u2"), &res), 0, "u2 imports its own bundle");
	{
		struct roster_node n;
		ok(roster_get(u2->st, store_identity(u1->st)->pub.sign_pk, &n) && n.roster && !n.peer,
		   "u2 learned of u1 through HQ's roster");
		ok(res.entries_new >= 10, "and took u1's entries relayed by HQ (%ld new)", res.entries_new);
	}
}

/*
 * Single-bit flips and every truncation of a bundle are refused with 65:
 * every bit of the clear header and of the trailer, and one bit of every
 * other byte (the position rotating), since the padding makes even a
 * one-entry bundle 4 KiB of ciphertext.
 */
static void
test_damage(struct node *hq, struct node *u1)
{
	unsigned char id[CIMIC_ID_BYTES], d1[32], d2[32], *orig, *mut;
	size_t n, flips = 0, flips_bad = 0, cuts_bad = 0, forged_bad = 0;
	long before;

	sync_add(hq->st, MODEL_INCIDENT, "Пошкоджено водогін", id);
	sync_bundle(hq->st, u1->st, path_of("sample"));
	orig = slurp(path_of("sample"), &n);
	mut = malloc(n + 1);
	before = entry_count(u1->st);
	data_digest(u1->st, d1);
	for (size_t i = 0; i < n; i++) {
		bool clear = i < (size_t)BUNDLE_HEADER_BYTES(1) || i >= n - BUNDLE_TRAILER_BYTES;
		for (int b = clear ? 0 : (int)(i % 8); b < (clear ? 8 : (int)(i % 8) + 1); b++) {
			memcpy(mut, orig, n);
			mut[i] ^= (unsigned char)(1u << b);
			spit(path_of("flip"), mut, n);
			flips++;
			if (sync_import(u1->st, path_of("flip"), NULL) != CIMIC_EDATA)
				flips_bad++;
		}
	}
	ok(flips_bad == 0, "%zu single-bit flips of a %zu-byte bundle all refused with 65 (%zu not)",
	   flips, n, flips_bad);
	for (size_t len = 0; len < n; len++) {
		spit(path_of("cut"), orig, len);
		if (sync_import(u1->st, path_of("cut"), NULL) != CIMIC_EDATA)
			cuts_bad++;
	}
	ok(cuts_bad == 0, "%zu truncations all refused with 65", n);
	memcpy(mut, orig, n);
	mut[n] = 0;
	spit(path_of("long"), mut, n + 1);
	is_int(sync_import(u1->st, path_of("long"), NULL), CIMIC_EDATA, "a trailing byte is refused");
	/* an attacker who also recomputes the courier hash gets no further */
	for (size_t i = 0; i + 48 < n; i++) {
		int rc;
		memcpy(mut, orig, n);
		mut[i] ^= (unsigned char)(1u << (i % 8));
		fix_trailer(mut, n);
		spit(path_of("forged"), mut, n);
		rc = sync_import(u1->st, path_of("forged"), NULL);
		if (rc != CIMIC_EDATA && rc != CIMIC_EPERM)
			forged_bad++;
	}
	ok(forged_bad == 0, "flips behind a recomputed trailer refused by the AEAD and signature");
	data_digest(u1->st, d2);
	ok(before == entry_count(u1->st) && memcmp(d1, d2, 32) == 0, "store unchanged by all of it");
	is_int(sync_import(u1->st, path_of("sample"), NULL), 0, "the intact bundle still imports");
	free(orig);
	free(mut);
}

/* The size rule (man/cimic-bundle.5): a floor, then eighths of each power of two. */
static void
test_buckets(void)
{
	static const struct { uint64_t len, padded; } cases[] = {
		{ 1, 4096 }, { 700, 4096 }, { 4096, 4096 }, { 4097, 4608 }, { 4608, 4608 },
		{ 4609, 5120 }, { 8192, 8192 }, { 8193, 9216 }, { 65536, 65536 }, { 65537, 73728 },
		{ 1000000, 1048576 }, { 1048577, 1179648 },
	};
	size_t hdr = BUNDLE_HEADER_BYTES(1);
	bool bounded = true, monotone = true;
	uint64_t last = 0;

	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
		is_int((long long)bundle_padded_length(cases[i].len, hdr, BUNDLE_CHUNK_LOG2),
		       (long long)cases[i].padded, "%llu plaintext bytes are padded to %llu",
		       (unsigned long long)cases[i].len, (unsigned long long)cases[i].padded);
	for (uint64_t len = 1; len < (64u << 20); len = len * 9 / 8 + 1) {
		uint64_t p = bundle_padded_length(len, hdr, BUNDLE_CHUNK_LOG2);
		bounded = bounded && p >= len && (len <= BUNDLE_PAD_MIN || p - len <= len / 8);
		monotone = monotone && p >= last;
		last = p;
	}
	ok(bounded, "padding never shrinks, and above 4 KiB adds at most an eighth");
	ok(monotone, "a longer bundle is never padded to less");
	last = bundle_padded_length(BUNDLE_MAX_FILE - 40000, hdr, BUNDLE_CHUNK_LOG2);
	ok(last >= BUNDLE_MAX_FILE - 40000 && last < BUNDLE_MAX_FILE - 4096,
	   "near the 256 MiB limit it pads only as far as the file may grow");
}

/* Reads the clear header of a bundle file (what a courier sees). */
static void
clear_header(const char *path, unsigned char *raw, size_t n)
{
	int fd = open(path, O_RDONLY);

	memset(raw, 0xff, n);
	if (fd >= 0) {
		(void)!read(fd, raw, n);
		close(fd);
	}
}

/*
 * What a courier can learn: the recipient id is not the fingerprint's key
 * id, the time is not in clear, one entry more or less does not show in
 * the size, and a version 1 bundle is refused with the reason.
 */
static void
test_courier(struct node *hq, struct node *u1)
{
	unsigned char raw[BUNDLE_HEADER_BYTES(1)], kid[IDENTITY_KEYID_BYTES], rid[IDENTITY_KEYID_BYTES];
	unsigned char id[CIMIC_ID_BYTES], *p;
	struct bundle_header h1, h2;
	struct cimic_error err;
	bool zero = true;
	size_t n;

	sync_bundle(hq->st, u1->st, path_of("c1"));
	clear_header(path_of("c1"), raw, sizeof raw);
	identity_key_id(store_identity(u1->st)->pub.sign_pk, kid);
	bundle_recipient_id(store_identity(u1->st)->pub.sign_pk, rid);
	ok(memcmp(raw + BUNDLE_FIXED_BYTES, rid, sizeof rid) == 0,
	   "the clear stanza names the recipient by its recipient id");
	ok(memcmp(raw + BUNDLE_FIXED_BYTES, kid, sizeof kid) != 0,
	   "which is not the key id behind the fingerprint people read aloud");
	identity_key_id(store_identity(hq->st)->pub.sign_pk, kid);
	ok(memcmp(raw + BUNDLE_FIXED_BYTES, kid, sizeof kid) != 0, "nor the sender's");
	for (int i = 32; i < 40; i++)
		zero = zero && raw[i] == 0;
	ok(zero, "no creation time in the clear header (bytes 32-39 are zero)");
	is_int(raw[8], BUNDLE_VERSION, "format version %d", BUNDLE_VERSION);

	if (bundle_check(path_of("c1"), &h1, &err) != 0)
		sync_fail("bundle_check", &err);
	sync_add(hq->st, MODEL_CONTACT, "Ще один контакт", id);
	sync_bundle(hq->st, u1->st, path_of("c2"));
	if (bundle_check(path_of("c2"), &h2, &err) != 0)
		sync_fail("bundle_check", &err);
	is_int((long long)h2.size, (long long)h1.size,
	       "a bundle with one entry more has the same size (%llu bytes)",
	       (unsigned long long)h1.size);
	ok(memcmp(h1.hash, h2.hash, sizeof h1.hash) != 0, "though its contents differ");

	p = slurp(path_of("c1"), &n);
	p[8] = 1;
	fix_trailer(p, n);
	spit(path_of("v1"), p, n);
	free(p);
	ok(bundle_check(path_of("v1"), &h1, &err) != 0 && err.code == CIMIC_EDATA &&
	   strstr(err.msg, "version 1") != NULL, "a version 1 bundle is refused with the reason: %s",
	   err.msg);
}

/* Concurrent edits of one field on two units: one conflict, same shown value, resolvable. */
static void
test_conflict(struct node *hq, struct node *u1, struct node *u2)
{
	unsigned char id[CIMIC_ID_BYTES], d[3][32];
	struct oplog_head *heads;
	struct oplog_txn *txn;
	struct cimic_error err;
	struct model_value v = { MV_TEXT, 0, "+380 44 000 0003" };
	size_t nh = 0;

	sync_add(hq->st, MODEL_CONTACT, "Голова громади", id);
	sync_bundle(hq->st, u1->st, path_of("c1"));
	sync_bundle(hq->st, u2->st, path_of("c2"));
	sync_import(u1->st, path_of("c1"), NULL);
	sync_import(u2->st, path_of("c2"), NULL);
	sync_edit(u1->st, MODEL_CONTACT, id, "phone", "+380 44 000 0001");
	sync_edit(u2->st, MODEL_CONTACT, id, "phone", "+380 44 000 0002");
	sync_bundle(u1->st, hq->st, path_of("c3"));
	sync_bundle(u2->st, hq->st, path_of("c4"));
	sync_import(hq->st, path_of("c3"), NULL);
	sync_import(hq->st, path_of("c4"), NULL);
	is_int(oplog_conflict_count(hq->st), 1, "HQ: one open conflict");
	oplog_heads(hq->st, TBL_CONTACT, id, CF_PHONE, &heads, &nh, &err);
	ok(nh == 2 && memcmp(heads[0].author, heads[1].author, 32) != 0,
	   "with both values from two authors");
	oplog_heads_free(heads, nh);
	sync_bundle(hq->st, u1->st, path_of("c5"));
	sync_bundle(hq->st, u2->st, path_of("c6"));
	sync_import(u1->st, path_of("c5"), NULL);
	sync_import(u2->st, path_of("c6"), NULL);
	data_digest(hq->st, d[0]);
	data_digest(u1->st, d[1]);
	data_digest(u2->st, d[2]);
	ok(memcmp(d[0], d[1], 32) == 0 && memcmp(d[0], d[2], 32) == 0,
	   "same shown value and conflict on every replica");
	oplog_begin(hq->st, &txn, &err);
	oplog_resolve(txn, TBL_CONTACT, id, CF_PHONE, &v, &err);
	ok(oplog_commit(txn, &err) == 0, "HQ resolves it");
	sync_bundle(hq->st, u1->st, path_of("c7"));
	sync_bundle(hq->st, u2->st, path_of("c8"));
	sync_import(u1->st, path_of("c7"), NULL);
	sync_import(u2->st, path_of("c8"), NULL);
	ok(oplog_conflict_count(hq->st) == 0 && oplog_conflict_count(u1->st) == 0 &&
	   oplog_conflict_count(u2->st) == 0, "closed everywhere");
}

static void
test_revocation(struct node *hq, struct node *u1, struct node *u2)
{
	unsigned char id[CIMIC_ID_BYTES];
	struct exchange_result res;
	struct oplog_txn *txn;
	struct cimic_error err;
	char u1s[IDENTITY_STRING_MAX], u2s[IDENTITY_STRING_MAX];
	long held;

	/* u1 and u2 also exchange directly, so u1 can carry u2's later entries to HQ */
	identity_string(store_identity(u1->st), u1s, sizeof u1s, &err);
	identity_string(store_identity(u2->st), u2s, sizeof u2s, &err);
	oplog_begin(u1->st, &txn, &err);
	roster_add(txn, u2s, "u2", false, NULL, &err);
	oplog_commit(txn, &err);
	oplog_begin(u2->st, &txn, &err);
	roster_add(txn, u1s, "u1", false, NULL, &err);
	oplog_commit(txn, &err);

	sync_add(u2->st, MODEL_CONTACT, "before capture", id);
	sync_bundle(u2->st, hq->st, path_of("r1"));
	is_int(sync_import(hq->st, path_of("r1"), NULL), 0, "HQ holds u2's work before the capture");
	oplog_begin(hq->st, &txn, &err);
	ok(roster_revoke(txn, store_identity(u2->st)->pub.sign_pk, NULL, &err) == 0 &&
	   oplog_commit(txn, &err) == 0, "HQ revokes u2");
	sync_add(u2->st, MODEL_CONTACT, "after capture", id);
	sync_bundle(u2->st, hq->st, path_of("r2"));
	is_int(sync_import(hq->st, path_of("r2"), &res), CIMIC_EPERM,
	       "a bundle signed by the revoked key is refused (77)");
	sync_bundle(u2->st, u1->st, path_of("r3"));
	is_int(sync_import(u1->st, path_of("r3"), NULL), 0, "u1 (not yet told) takes it from u2");
	held = entry_count(hq->st);
	sync_bundle(u1->st, hq->st, path_of("r4"));
	is_int(sync_import(hq->st, path_of("r4"), &res), 0, "u1's bundle still imports at HQ");
	ok(res.quarantined >= 1 && entry_count(hq->st) == held,
	   "u2's entries past the cutoff are quarantined, not applied (%ld)", res.quarantined);
	sync_bundle(hq->st, u1->st, path_of("r5"));
	sync_import(u1->st, path_of("r5"), NULL);
	{
		struct roster_node n;
		ok(roster_get(u1->st, store_identity(u2->st)->pub.sign_pk, &n) && n.revoked,
		   "the revocation reached u1 through HQ's roster");
	}
	sync_bundle(u2->st, u1->st, path_of("r6"));
	is_int(sync_import(u1->st, path_of("r6"), NULL), CIMIC_EPERM, "and u1 now refuses u2 too");
}

int
main(void)
{
	struct node hq, u1, u2;

	if (sodium_init() < 0)
		return 99;
	usb = test_tmpdir();
	hq.st = test_store("HQ Kyiv", NODE_HQ, &hq.dir);
	u1.st = test_store("Unit 1", NODE_FIELD, &u1.dir);
	u2.st = test_store("Unit 2", NODE_FIELD, &u2.dir);
	sync_enrol(hq.st, u1.st, "u1");
	sync_enrol(hq.st, u2.st, "u2");

	test_round_trip(&hq, &u1);
	test_acks_shrink(&hq, &u1);
	test_other_recipient(&hq, &u1, &u2);
	test_damage(&hq, &u1);
	test_buckets();
	test_courier(&hq, &u1);
	test_conflict(&hq, &u1, &u2);
	test_revocation(&hq, &u1, &u2);

	store_close(hq.st);
	store_close(u1.st);
	store_close(u2.st);
	test_rmdir(hq.dir);
	test_rmdir(u1.dir);
	test_rmdir(u2.dir);
	test_rmdir(usb);
	return done_testing();
}
