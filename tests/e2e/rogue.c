/*
 * rogue.c - a modified field client for the authority tests: it signs
 * entries the real program never writes and puts them straight into its
 * own log, past every check, so that the next `cimic bundle create` or
 * link session carries them to the other nodes.
 *
 *   rogue pred DIR PEER [VALUE]
 *       an ordinary contact op on the roster row and field (revoked) of
 *       PEER, naming HQ's revocation op of that node as its pred, so that
 *       a receiver matching preds by row and field alone stops counting
 *       the revocation.  VALUE (default 0) is the contact field's value.
 *
 *   rogue withhold DIR TO AUTHOR
 *       records that peer TO already holds every entry of AUTHOR held
 *       here, so the next bundle for TO leaves them out (a client that
 *       chooses what it relays).
 *
 * The store in DIR is opened with $CIMIC_PASSPHRASE.  Prints the new
 * entry's seq.  Test helper only.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>
#include <sqlite3.h>

#include "cimic/oplog.h"
#include "cimic/roster.h"
#include "cimic/store.h"
#include "entry.h"           /* entry_encode_*: writing an entry by hand */
#include "store_private.h"   /* store_db: the log, written past its checks */

static int
fail(const char *what, const struct cimic_error *err)
{
	fprintf(stderr, "rogue: %s: %s\n", what, err ? err->msg : "failed");
	return 1;
}

/* Appends a signed entry of `ops` after this node's last entry, bypassing apply. */
static int
append_raw(struct store *st, const struct oplog_op *ops, uint32_t nops, uint64_t *seq_out)
{
	const struct node_identity *id = store_identity(st);
	unsigned char prev[OPLOG_HASH_BYTES] = { 0 }, hash[OPLOG_HASH_BYTES];
	struct cimic_error err;
	struct buf b;
	sqlite3_stmt *s;
	uint64_t seq = 0;
	int rc;

	buf_init(&b);
	if (oplog_vv_get(st, id->pub.sign_pk, &seq, prev, &err) != 0)
		return fail("version vector", &err);
	entry_encode_header(&b, id->pub.sign_pk, seq + 1, prev, oplog_hlc_now(st), nops);
	for (uint32_t i = 0; i < nops; i++)
		entry_encode_op(&b, &ops[i]);
	if (entry_seal(&b, id->sign_sk, hash, &err) != 0)
		return fail("seal", &err);
	if (sqlite3_prepare_v2(store_db(st),
			       "INSERT INTO entries(hash, author, seq, hlc, raw, received)"
			       " VALUES(?1, ?2, ?3, 0, ?4, 0)",
			       -1, &s, NULL) != SQLITE_OK)
		return fail("prepare", NULL);
	sqlite3_bind_blob(s, 1, hash, sizeof hash, SQLITE_STATIC);
	sqlite3_bind_blob(s, 2, id->pub.sign_pk, IDENTITY_PK_BYTES, SQLITE_STATIC);
	sqlite3_bind_int64(s, 3, (int64_t)(seq + 1));
	sqlite3_bind_blob(s, 4, b.data, (int)b.len, SQLITE_STATIC);
	rc = sqlite3_step(s);
	sqlite3_finalize(s);
	if (rc != SQLITE_DONE)
		return fail("insert entry", NULL);
	if (sqlite3_prepare_v2(store_db(st), "INSERT OR REPLACE INTO vv(author, seq, hash) VALUES(?, ?, ?)",
			       -1, &s, NULL) != SQLITE_OK)
		return fail("prepare", NULL);
	sqlite3_bind_blob(s, 1, id->pub.sign_pk, IDENTITY_PK_BYTES, SQLITE_STATIC);
	sqlite3_bind_int64(s, 2, (int64_t)(seq + 1));
	sqlite3_bind_blob(s, 3, hash, sizeof hash, SQLITE_STATIC);
	rc = sqlite3_step(s);
	sqlite3_finalize(s);
	buf_finish(&b);
	if (rc != SQLITE_DONE)
		return fail("insert vv", NULL);
	*seq_out = seq + 1;
	return 0;
}

static int
pred_attack(struct store *st, const char *peer, const char *value)
{
	unsigned char row[CIMIC_ID_BYTES], pred[1][OPLOG_OPID_BYTES];
	struct roster_node n;
	struct oplog_head *heads;
	struct cimic_error err;
	struct oplog_op op;
	size_t nheads;
	uint64_t seq;

	if (roster_find(st, peer, &n, &err) != 0)
		return fail("peer", &err);
	crypto_generichash(row, CIMIC_ID_BYTES, n.pub.sign_pk, IDENTITY_PK_BYTES, NULL, 0);
	if (oplog_heads(st, TBL_NODE, row, RF_REVOKED, &heads, &nheads, &err) != 0)
		return fail("heads", &err);
	if (nheads == 0) {
		fprintf(stderr, "rogue: no revocation of %s is held here\n", peer);
		return 1;
	}
	memcpy(pred[0], heads[0].opid, OPLOG_OPID_BYTES);
	oplog_heads_free(heads, nheads);
	memset(&op, 0, sizeof op);
	op.kind = OP_SET;
	op.tbl = TBL_CONTACT;
	op.field = RF_REVOKED;
	memcpy(op.row, row, sizeof row);
	op.npreds = 1;
	op.preds = pred;
	op.v.type = MV_TEXT;
	op.v.s = (char *)value;
	if (append_raw(st, &op, 1, &seq) != 0)
		return 1;
	printf("%llu\n", (unsigned long long)seq);
	return 0;
}

static int
withhold(struct store *st, const char *to, const char *author)
{
	struct roster_node peer, who;
	struct cimic_error err;
	unsigned char hash[OPLOG_HASH_BYTES];
	sqlite3_stmt *s;
	uint64_t seq;
	int rc;

	if (roster_find(st, to, &peer, &err) != 0 || roster_find(st, author, &who, &err) != 0)
		return fail("peer", &err);
	if (oplog_vv_get(st, who.pub.sign_pk, &seq, hash, &err) != 0)
		return fail("version vector", &err);
	if (sqlite3_prepare_v2(store_db(st),
			       "INSERT OR REPLACE INTO peer_acks(peer, author, seq) VALUES(?, ?, ?)", -1,
			       &s, NULL) != SQLITE_OK)
		return fail("prepare", NULL);
	sqlite3_bind_blob(s, 1, peer.pub.sign_pk, IDENTITY_PK_BYTES, SQLITE_STATIC);
	sqlite3_bind_blob(s, 2, who.pub.sign_pk, IDENTITY_PK_BYTES, SQLITE_STATIC);
	sqlite3_bind_int64(s, 3, (int64_t)seq);
	rc = sqlite3_step(s);
	sqlite3_finalize(s);
	return rc == SQLITE_DONE ? 0 : fail("insert ack", NULL);
}

int
main(int argc, char **argv)
{
	const char *pass = getenv("CIMIC_PASSPHRASE");
	struct cimic_error err;
	struct store *st;
	int rc;

	bool pred = argc >= 4 && strcmp(argv[1], "pred") == 0;
	bool hold = argc == 5 && strcmp(argv[1], "withhold") == 0;

	if ((!pred && !hold) || pass == NULL) {
		fprintf(stderr, "usage: CIMIC_PASSPHRASE=... rogue pred DIR PEER [VALUE]\n"
				"       CIMIC_PASSPHRASE=... rogue withhold DIR TO AUTHOR\n");
		return 64;
	}
	if (store_open(argv[2], pass, strlen(pass), &st, &err) != 0)
		return fail("open", &err);
	if (pred)
		rc = pred_attack(st, argv[3], argc > 4 ? argv[4] : "0");
	else
		rc = withhold(st, argv[3], argv[4]);
	store_close(st);
	return rc;
}
