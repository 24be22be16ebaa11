/*
 * roster.c - known nodes: local peers and HQ's replicated roster.
 *
 * The nodes table mixes two kinds of facts.  Local ones (which nodes
 * this store exchanges bundles with, their names here, when bundles last
 * went in and out) are written directly and never replicate.  Roster
 * ones (enrolment and revocation decided at HQ) arrive as TBL_NODE ops
 * in HQ's signed log and are materialised here like any other field:
 * roster_materialise() rebuilds a row's roster columns from its shown
 * ops, so every replica that holds the same roster ops agrees.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "cimic/i18n.h"
#include "cimic/roster.h"
#include "cimic/timefmt.h"
#include "materialise.h"
#include "roster_private.h"
#include "store_private.h"

#define NODE_COLUMNS                                                                 \
	"sign_pk, box_pk, link_pk, role, unit, coalesce(name, unit), peer, roster, revoked," \
	" coalesce(revoked_after_seq, 0), revoked_hash, coalesce(added, 0),"             \
	" coalesce(last_in, 0), coalesce(last_out, 0)"

static void
roster_row(const unsigned char sign_pk[IDENTITY_PK_BYTES], unsigned char row[CIMIC_ID_BYTES])
{
	crypto_generichash(row, CIMIC_ID_BYTES, sign_pk, IDENTITY_PK_BYTES, NULL, 0);
}

static void
copy_blob(sqlite3_stmt *s, int col, unsigned char *out, size_t n)
{
	if ((size_t)sqlite3_column_bytes(s, col) == n)
		memcpy(out, sqlite3_column_blob(s, col), n);
	else
		memset(out, 0, n);
}

static void
node_from_row(sqlite3_stmt *s, struct roster_node *n)
{
	memset(n, 0, sizeof *n);
	copy_blob(s, 0, n->pub.sign_pk, IDENTITY_PK_BYTES);
	copy_blob(s, 1, n->pub.box_pk, IDENTITY_PK_BYTES);
	copy_blob(s, 2, n->pub.link_pk, IDENTITY_PK_BYTES);
	n->pub.role = sqlite3_column_int(s, 3) == NODE_HQ ? NODE_HQ : NODE_FIELD;
	snprintf(n->pub.unit, sizeof n->pub.unit, "%s", (const char *)sqlite3_column_text(s, 4));
	snprintf(n->name, sizeof n->name, "%s", (const char *)sqlite3_column_text(s, 5));
	n->peer = sqlite3_column_int(s, 6) != 0;
	n->roster = sqlite3_column_int(s, 7) != 0;
	n->revoked = sqlite3_column_int(s, 8) != 0;
	n->revoked_after = (uint64_t)sqlite3_column_int64(s, 9);
	copy_blob(s, 10, n->revoked_hash, OPLOG_HASH_BYTES);
	n->added_ms = sqlite3_column_int64(s, 11);
	n->last_in_ms = sqlite3_column_int64(s, 12);
	n->last_out_ms = sqlite3_column_int64(s, 13);
}

int
roster_lookup(struct store *st, const unsigned char sign_pk[IDENTITY_PK_BYTES],
	      struct roster_node *out, struct cimic_error *err)
{
	static const char sql[] = "SELECT " NODE_COLUMNS " FROM nodes WHERE sign_pk=?";
	sqlite3_stmt *s = store_stmt(st, sql);
	int rc;

	if (s == NULL)
		return store_sqlite_error(st, _("cannot read the roster"), err);
	sqlite3_bind_blob(s, 1, sign_pk, IDENTITY_PK_BYTES, SQLITE_STATIC);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		node_from_row(s, out);
	sqlite3_reset(s);
	if (rc == SQLITE_ROW)
		return 1;
	if (rc == SQLITE_DONE)
		return 0;
	return store_sqlite_error(st, _("cannot read the roster"), err);
}

bool
roster_get(struct store *st, const unsigned char sign_pk[IDENTITY_PK_BYTES], struct roster_node *out)
{
	return roster_lookup(st, sign_pk, out, NULL) == 1;
}

int
roster_each(struct store *st, roster_cb cb, void *arg, struct cimic_error *err)
{
	int step = 0;
	sqlite3_stmt *s;
	int rc = 0;

	if (sqlite3_prepare_v2(st->db, "SELECT " NODE_COLUMNS " FROM nodes"
				       " ORDER BY peer DESC, coalesce(name, unit), sign_pk",
			       -1, &s, NULL) != SQLITE_OK)
		return store_sqlite_error(st, _("cannot read the peers"), err);
	while (rc == 0 && (step = store_step(st, s, _("cannot read the peers"), err)) > 0) {
		struct roster_node n;
		node_from_row(s, &n);
		rc = cb(&n, arg);
	}
	if (rc == 0 && step < 0)
		rc = -1;
	sqlite3_finalize(s);
	return rc;
}

/* Lower-case hex digits of `what` without dashes; false when it is not such a key id. */
static bool
keyid_digits(const char *what, char *out, size_t n)
{
	size_t k = 0;

	for (const char *p = what; *p; p++) {
		if (*p == '-')
			continue;
		if (!isxdigit((unsigned char)*p) || k + 1 >= n)
			return false;
		out[k++] = (char)tolower((unsigned char)*p);
	}
	out[k] = '\0';
	return k >= 4;
}

struct find {
	const char *what;
	char digits[2 * IDENTITY_KEYID_BYTES + 1];
	bool is_keyid;
	struct roster_node *out;
	int matches;
};

static int
find_cb(const struct roster_node *n, void *arg)
{
	struct find *f = arg;
	unsigned char kid[IDENTITY_KEYID_BYTES];
	char hex[2 * IDENTITY_KEYID_BYTES + 1];
	bool hit;

	identity_key_id(n->pub.sign_pk, kid);
	util_hex(kid, sizeof kid, hex);
	hit = strcmp(n->name, f->what) == 0 || strcmp(n->pub.unit, f->what) == 0 ||
	      (f->is_keyid && strncmp(hex, f->digits, strlen(f->digits)) == 0);
	if (hit) {
		if (f->matches == 0)
			*f->out = *n;
		f->matches++;
	}
	return 0;
}

int
roster_find(struct store *st, const char *what, struct roster_node *out, struct cimic_error *err)
{
	struct find f = { .what = what, .out = out };

	f.is_keyid = keyid_digits(what, f.digits, sizeof f.digits);
	if (roster_each(st, find_cb, &f, err) != 0)
		return -1;
	if (f.matches == 0)
		return cimic_error_set(err, CIMIC_ENOINPUT,
				       _("no peer called '%s' (see 'cimic peer list')"), what);
	if (f.matches > 1)
		return cimic_error_set(err, CIMIC_EUSAGE,
				       _("'%s' names %d peers; give the fingerprint instead"), what,
				       f.matches);
	return 0;
}

bool
roster_is_hq(struct store *st, const unsigned char sign_pk[IDENTITY_PK_BYTES])
{
	struct roster_node n;

	if (memcmp(sign_pk, st->id.pub.sign_pk, IDENTITY_PK_BYTES) == 0)
		return st->id.pub.role == NODE_HQ;
	/* only a key pinned here (`peer add --hq`), never a role the roster or an identity claims */
	return roster_get(st, sign_pk, &n) && n.pub.role == NODE_HQ && !n.revoked && n.peer;
}

/* A key this store pinned as its HQ: no roster op changes what it knows of that node. */
static bool
pinned_hq(struct store *st, const unsigned char sign_pk[IDENTITY_PK_BYTES])
{
	struct roster_node n;

	return roster_get(st, sign_pk, &n) && n.peer && n.pub.role == NODE_HQ;
}

/* Writes the local facts of `peer add`. */
static int
put_peer(struct store *st, const struct node_public *pub, const char *identity, const char *name,
	 struct cimic_error *err)
{
	static const char sql[] =
		"INSERT INTO nodes(sign_pk, box_pk, link_pk, role, unit, name, peer, identity, added)"
		" VALUES(?1, ?2, ?3, ?4, ?5, ?6, 1, ?7, ?8)"
		" ON CONFLICT(sign_pk) DO UPDATE SET name=?6, peer=1, role=?4,"
		" identity=coalesce(identity, ?7), added=coalesce(added, ?8)";
	sqlite3_stmt *s = store_stmt(st, sql);
	int rc;

	if (s == NULL)
		return store_sqlite_error(st, _("cannot save the peer"), err);
	sqlite3_bind_blob(s, 1, pub->sign_pk, IDENTITY_PK_BYTES, SQLITE_STATIC);
	sqlite3_bind_blob(s, 2, pub->box_pk, IDENTITY_PK_BYTES, SQLITE_STATIC);
	sqlite3_bind_blob(s, 3, pub->link_pk, IDENTITY_PK_BYTES, SQLITE_STATIC);
	sqlite3_bind_int(s, 4, (int)pub->role);
	sqlite3_bind_text(s, 5, pub->unit, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 6, name, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 7, identity, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 8, timefmt_now_ms());
	rc = sqlite3_step(s);
	sqlite3_reset(s);
	if (rc != SQLITE_DONE)
		return store_sqlite_error(st, _("cannot save the peer"), err);
	return 0;
}

static int
set_text(struct oplog_txn *txn, const unsigned char row[CIMIC_ID_BYTES], unsigned field,
	 const char *text, struct cimic_error *err)
{
	struct model_value v = { MV_TEXT, 0, (char *)text };

	return oplog_set(txn, TBL_NODE, row, field, &v, err);
}

static int
set_int(struct oplog_txn *txn, const unsigned char row[CIMIC_ID_BYTES], unsigned field, int64_t i,
	struct cimic_error *err)
{
	struct model_value v = { MV_INT, i, NULL };

	return oplog_set(txn, TBL_NODE, row, field, &v, err);
}

int
roster_add(struct oplog_txn *txn, const char *identity, const char *name, bool hq,
	   struct roster_node *out, struct cimic_error *err)
{
	struct store *st = oplog_txn_store(txn);
	struct node_public pub;
	unsigned char row[CIMIC_ID_BYTES];

	if (identity_parse(identity, &pub, err) != 0)
		return -1;
	if (memcmp(pub.sign_pk, st->id.pub.sign_pk, IDENTITY_PK_BYTES) == 0)
		return cimic_error_set(err, CIMIC_EUSAGE, _("that is this node's own identity"));
	if (hq && pub.role != NODE_HQ)
		return cimic_error_set(err, CIMIC_EDATA,
				       _("--hq given, but that identity belongs to a field unit"));
	if (!hq && pub.role == NODE_HQ && st->id.pub.role == NODE_FIELD)
		return cimic_error_set(err, CIMIC_EUSAGE,
				       _("that identity belongs to an HQ: add it with --hq"));
	if (name == NULL || *name == '\0' || strlen(name) > ROSTER_NAME_MAX ||
	    !util_utf8_valid(name, strlen(name)))
		return cimic_error_set(err, CIMIC_EUSAGE, _("a peer name is 1 to %d bytes of UTF-8"),
				       ROSTER_NAME_MAX);
	/* authority comes from who enrolled the node, never from what its identity says */
	if (!hq)
		pub.role = NODE_FIELD;
	if (put_peer(st, &pub, identity, name, err) != 0)
		return -1;
	if (st->id.pub.role == NODE_HQ && !hq) {
		/* enrolment replicates: field units learn whose entries HQ relays */
		roster_row(pub.sign_pk, row);
		if (set_text(txn, row, RF_IDENTITY, identity, err) != 0 ||
		    set_text(txn, row, RF_NAME, name, err) != 0 || oplog_flush(txn, err) != 0)
			return -1;
	}
	if (out != NULL && !roster_get(st, pub.sign_pk, out))
		return store_sqlite_error(st, _("cannot read the peers"), err);
	return 0;
}

static int
put_revocation(struct store *st, const unsigned char pk[IDENTITY_PK_BYTES], uint64_t seq,
	       const unsigned char hash[OPLOG_HASH_BYTES], struct cimic_error *err)
{
	static const char sql[] =
		"UPDATE nodes SET revoked=1, revoked_after_seq=?2, revoked_hash=?3 WHERE sign_pk=?1";
	sqlite3_stmt *s = store_stmt(st, sql);
	int rc;

	if (s == NULL)
		return store_sqlite_error(st, _("cannot revoke the peer"), err);
	sqlite3_bind_blob(s, 1, pk, IDENTITY_PK_BYTES, SQLITE_STATIC);
	sqlite3_bind_int64(s, 2, (int64_t)seq);
	sqlite3_bind_blob(s, 3, hash, OPLOG_HASH_BYTES, SQLITE_STATIC);
	rc = sqlite3_step(s);
	sqlite3_reset(s);
	if (rc != SQLITE_DONE)
		return store_sqlite_error(st, _("cannot revoke the peer"), err);
	return 0;
}

int
roster_revoke(struct oplog_txn *txn, const unsigned char sign_pk[IDENTITY_PK_BYTES],
	      struct roster_node *out, struct cimic_error *err)
{
	struct store *st = oplog_txn_store(txn);
	unsigned char hash[OPLOG_HASH_BYTES], row[CIMIC_ID_BYTES];
	char hex[2 * OPLOG_HASH_BYTES + 1];
	struct roster_node n;
	uint64_t seq;

	if (!roster_get(st, sign_pk, &n))
		return cimic_error_set(err, CIMIC_ENOINPUT, _("no such peer"));
	if (n.revoked)
		return cimic_error_set(err, CIMIC_EUSAGE, _("%s is already revoked"), n.name);
	/* the cutoff is what this store verified, never a time the stolen key could forge */
	if (oplog_vv_get(st, sign_pk, &seq, hash, err) != 0 ||
	    put_revocation(st, sign_pk, seq, hash, err) != 0)
		return -1;
	if (st->id.pub.role == NODE_HQ) {
		roster_row(sign_pk, row);
		util_hex(hash, sizeof hash, hex);
		if (set_int(txn, row, RF_CUTOFF, (int64_t)seq, err) != 0 ||
		    set_text(txn, row, RF_CUTOFF_HASH, seq ? hex : "", err) != 0 ||
		    set_int(txn, row, RF_REVOKED, 1, err) != 0 || oplog_flush(txn, err) != 0)
			return -1;
	}
	if (out != NULL && !roster_get(st, sign_pk, out))
		return store_sqlite_error(st, _("cannot read the peers"), err);
	return 0;
}

/* ---- materialising roster ops (called from materialise.c) ---- */

struct roster_values {
	struct model_value v[RF_CUTOFF_HASH + 1];
};

static void
values_finish(struct roster_values *rv)
{
	for (size_t i = 0; i < sizeof rv->v / sizeof rv->v[0]; i++)
		model_value_finish(&rv->v[i]);
}

static int
values_read(struct store *st, const unsigned char row[CIMIC_ID_BYTES], struct roster_values *rv)
{
	unsigned char opid[OPLOG_OPID_BYTES];

	memset(rv, 0, sizeof *rv);
	for (unsigned f = RF_IDENTITY; f <= RF_CUTOFF_HASH; f++)
		if (materialise_shown_op(st, TBL_NODE, row, f, opid, NULL, &rv->v[f]) < 0)
			return -1;
	return 0;
}

static int
put_roster(struct store *st, const struct node_public *pub, const struct roster_values *rv,
	   struct cimic_error *err)
{
	static const char sql[] =
		"INSERT INTO nodes(sign_pk, box_pk, link_pk, role, unit, name, roster, identity, added,"
		"  revoked, revoked_after_seq, revoked_hash)"
		" VALUES(?1, ?2, ?3, ?4, ?5, ?6, 1, ?7, ?8, ?9, ?10, ?11)"
		" ON CONFLICT(sign_pk) DO UPDATE SET roster=1, box_pk=?2, link_pk=?3, unit=?5,"
		"  role=CASE WHEN peer THEN role ELSE ?4 END, name=coalesce(name, ?6),"
		"  identity=coalesce(identity, ?7),"
		"  revoked_after_seq=CASE WHEN ?9 THEN ?10 ELSE revoked_after_seq END,"
		"  revoked_hash=CASE WHEN ?9 THEN ?11 ELSE revoked_hash END,"
		"  revoked=max(revoked, ?9)";
	sqlite3_stmt *s = store_stmt(st, sql);
	const struct model_value *name = &rv->v[RF_NAME], *hhex = &rv->v[RF_CUTOFF_HASH];
	unsigned char hash[OPLOG_HASH_BYTES];
	bool revoked = rv->v[RF_REVOKED].type == MV_INT && rv->v[RF_REVOKED].i == 1;
	int rc;

	if (s == NULL)
		return store_sqlite_error(st, "roster", err);
	sqlite3_bind_blob(s, 1, pub->sign_pk, IDENTITY_PK_BYTES, SQLITE_STATIC);
	sqlite3_bind_blob(s, 2, pub->box_pk, IDENTITY_PK_BYTES, SQLITE_STATIC);
	sqlite3_bind_blob(s, 3, pub->link_pk, IDENTITY_PK_BYTES, SQLITE_STATIC);
	/* the roster enrols field units only, whatever the identity string claims */
	sqlite3_bind_int(s, 4, (int)NODE_FIELD);
	sqlite3_bind_text(s, 5, pub->unit, -1, SQLITE_STATIC);
	if (name->type == MV_TEXT && strlen(name->s) <= ROSTER_NAME_MAX)
		sqlite3_bind_text(s, 6, name->s, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 7, rv->v[RF_IDENTITY].s, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 8, timefmt_now_ms());
	sqlite3_bind_int(s, 9, revoked ? 1 : 0);
	sqlite3_bind_int64(s, 10, rv->v[RF_CUTOFF].type == MV_INT ? rv->v[RF_CUTOFF].i : 0);
	if (hhex->type == MV_TEXT && util_unhex(hhex->s, hash, sizeof hash))
		sqlite3_bind_blob(s, 11, hash, sizeof hash, SQLITE_TRANSIENT);
	rc = sqlite3_step(s);
	sqlite3_reset(s);
	if (rc != SQLITE_DONE)
		return store_sqlite_error(st, "roster", err);
	return 0;
}

int
roster_materialise(struct store *st, const unsigned char row[CIMIC_ID_BYTES], struct cimic_error *err)
{
	struct roster_values rv;
	struct node_public pub;
	struct cimic_error ignored;
	unsigned char expect[CIMIC_ID_BYTES];
	int rc = 0;

	if (values_read(st, row, &rv) != 0) {
		values_finish(&rv);
		return store_sqlite_error(st, _("cannot read the roster"), err);
	}
	/* A row without a valid identity, or whose id does not match its key, names nobody. */
	if (rv.v[RF_IDENTITY].type != MV_TEXT ||
	    identity_parse(rv.v[RF_IDENTITY].s, &pub, &ignored) != 0)
		goto out;
	roster_row(pub.sign_pk, expect);
	if (memcmp(expect, row, CIMIC_ID_BYTES) != 0 ||
	    memcmp(pub.sign_pk, st->id.pub.sign_pk, IDENTITY_PK_BYTES) == 0 || pinned_hq(st, pub.sign_pk))
		goto out;
	rc = put_roster(st, &pub, &rv, err);
out:
	values_finish(&rv);
	return rc;
}
