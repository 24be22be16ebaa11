/*
 * sync-support.h - helpers for tests of sync/: an HQ and field units in
 * separate stores, enrolled with each other as `peer add` does, and
 * small local edits through the model.
 */
#ifndef CIMIC_TEST_SYNC_SUPPORT_H
#define CIMIC_TEST_SYNC_SUPPORT_H

#include "cimic/exchange.h"
#include "cimic/model.h"
#include "cimic/oplog.h"
#include "cimic/roster.h"
#include "support.h"

static inline void
sync_fail(const char *what, const struct cimic_error *err)
{
	fprintf(stderr, "# %s: %s\n", what, err->msg);
	exit(99);
}

/* HQ enrols the unit; the unit trusts HQ. */
static inline void
sync_enrol(struct store *hq, struct store *unit, const char *name)
{
	char hq_id[IDENTITY_STRING_MAX], unit_id[IDENTITY_STRING_MAX];
	struct oplog_txn *txn;
	struct cimic_error err;

	if (identity_string(store_identity(hq), hq_id, sizeof hq_id, &err) != 0 ||
	    identity_string(store_identity(unit), unit_id, sizeof unit_id, &err) != 0)
		sync_fail("identity_string", &err);
	if (oplog_begin(hq, &txn, &err) != 0 || roster_add(txn, unit_id, name, false, NULL, &err) != 0 ||
	    oplog_commit(txn, &err) != 0)
		sync_fail("roster_add at HQ", &err);
	if (oplog_begin(unit, &txn, &err) != 0 || roster_add(txn, hq_id, "hq", true, NULL, &err) != 0 ||
	    oplog_commit(txn, &err) != 0)
		sync_fail("roster_add at unit", &err);
}

/* Adds a record with one field set; returns 0 and its id. */
static inline int
sync_add(struct store *st, enum model_kind kind, const char *text, unsigned char id[CIMIC_ID_BYTES])
{
	struct oplog_txn *txn;
	struct model_change c;
	struct cimic_error err;
	int rc;

	if (oplog_begin(st, &txn, &err) != 0)
		return -1;
	model_change_init(&c, kind);
	rc = model_change_parse(&c, kind == MODEL_CONTACT ? "name" : "title", text, 0, &err);
	if (rc == 0)
		rc = model_create(txn, &c, id, &err);
	model_change_finish(&c);
	if (rc != 0) {
		oplog_abort(txn);
		return -1;
	}
	return oplog_commit(txn, &err);
}

/* Sets one field of an existing record (a normal edit). */
static inline int
sync_edit(struct store *st, enum model_kind kind, const unsigned char id[CIMIC_ID_BYTES],
	  const char *field, const char *text)
{
	struct oplog_txn *txn;
	struct model_change c;
	struct cimic_error err;
	int rc;

	if (oplog_begin(st, &txn, &err) != 0)
		return -1;
	model_change_init(&c, kind);
	rc = model_change_parse(&c, field, text, 0, &err);
	if (rc == 0)
		rc = model_update(txn, id, &c, &err);
	model_change_finish(&c);
	if (rc != 0) {
		oplog_abort(txn);
		return -1;
	}
	return oplog_commit(txn, &err);
}

/* Writes a bundle from `from` for `to` at path; -1 on failure. */
static inline int
sync_bundle(struct store *from, struct store *to, const char *path)
{
	struct exchange_out out;
	struct cimic_error err;

	if (exchange_create(from, store_identity(to)->pub.sign_pk, path, &out, &err) != 0) {
		fprintf(stderr, "# exchange_create: %s\n", err.msg);
		return -1;
	}
	return 0;
}

/* Imports path into st; returns 0 or the error code. */
static inline int
sync_import(struct store *st, const char *path, struct exchange_result *res)
{
	struct exchange_result tmp;
	struct cimic_error err;

	if (exchange_import(st, path, res ? res : &tmp, &err) != 0)
		return err.code ? err.code : 1;
	return 0;
}

#endif
