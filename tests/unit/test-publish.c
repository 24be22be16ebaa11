/*
 * test-publish.c - the store's change sequence and watermarks
 * (pubstate.h), and the parts of publish/ that need no server: COPY
 * encoding, times, one-line messages, connection strings and their
 * passwords, labels, columns.  The runs themselves are tested against a
 * real PostgreSQL by tests/e2e/publish.sh.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cimic/publish.h"
#include "cimic/pubstate.h"
#include "publish_private.h"
#include "sync-support.h"
#include "tap.h"

struct listing {
	int n;
	unsigned char ids[8][CIMIC_ID_BYTES];
	long ops[8];
	int64_t updated[8];
};

static int
collect(const struct model_record *rec, void *arg)
{
	struct listing *l = arg;

	if (l->n < 8) {
		memcpy(l->ids[l->n], rec->id, CIMIC_ID_BYTES);
		l->ops[l->n] = rec->ops;
		l->updated[l->n] = rec->updated_ms;
	}
	l->n++;
	return 0;
}

/* Records of a kind changed in (after, upto], read as a run reads them. */
static struct listing
changed(struct store *st, enum model_kind kind, int64_t after, int64_t *now)
{
	struct model_query q = { .kind = kind, .changed_after = after };
	struct listing l = { 0 };
	struct cimic_error err;

	if (pubstate_read_begin(st, now, &err) != 0)
		sync_fail("pubstate_read_begin", &err);
	q.changed_upto = *now;
	if (*now > after && model_list(st, &q, collect, &l, &err) != 0)
		sync_fail("model_list", &err);
	pubstate_read_end(st);
	return l;
}

static int
count_node(const unsigned char sign_pk[IDENTITY_PK_BYTES], void *arg)
{
	(void)sign_pk;
	(*(int *)arg)++;
	return 0;
}

static void
test_change_sequence(void)
{
	char *dh, *du, *bundle;
	struct store *hq = test_store("HQ", NODE_HQ, &dh), *unit = test_store("Unit", NODE_FIELD, &du);
	unsigned char x[CIMIC_ID_BYTES], y[CIMIC_ID_BYTES], z[CIMIC_ID_BYTES];
	struct oplog_txn *txn;
	struct cimic_error err;
	struct listing l;
	int64_t now, w, before;
	int nodes = 0;

	l = changed(hq, MODEL_INCIDENT, 0, &now);
	is_int(l.n, 0, "a new store has nothing to publish");
	sync_enrol(hq, unit, "unit");
	l = changed(hq, MODEL_INCIDENT, 0, &now);
	ok(pubstate_changed_nodes(hq, 0, now, count_node, &nodes, &err) == 0 && nodes == 1,
	   "enrolling a unit changes one node (%d)", nodes);

	/* the unit records z now; HQ learns of it only later */
	ok(sync_add(unit, MODEL_INCIDENT, "recorded first, arrives last", z) == 0, "unit adds z");
	ok(sync_add(hq, MODEL_INCIDENT, "x", x) == 0, "HQ adds x");
	l = changed(hq, MODEL_INCIDENT, 0, &w);
	ok(l.n == 1 && memcmp(l.ids[0], x, CIMIC_ID_BYTES) == 0, "the listing from 0 holds x");
	ok(l.ops[0] >= 4, "with the ops held for it (%ld)", l.ops[0]);
	before = l.updated[0];

	l = changed(hq, MODEL_INCIDENT, w, &now);
	ok(l.n == 0 && now == w, "nothing changed after the watermark");
	ok(sync_edit(hq, MODEL_INCIDENT, x, "severity", "3") == 0, "HQ edits x");
	l = changed(hq, MODEL_INCIDENT, w, &now);
	ok(l.n == 1 && memcmp(l.ids[0], x, CIMIC_ID_BYTES) == 0 && now > w,
	   "after the edit, x alone is listed past the watermark");
	w = now;

	/* a transaction that does not commit changes nothing */
	if (oplog_begin(hq, &txn, &err) != 0)
		sync_fail("oplog_begin", &err);
	{
		struct model_change c;
		model_change_init(&c, MODEL_INCIDENT);
		model_change_parse(&c, "title", "rolled back", 0, &err);
		model_create(txn, &c, y, &err);
		model_change_finish(&c);
		oplog_flush(txn, &err);
	}
	oplog_abort(txn);
	l = changed(hq, MODEL_INCIDENT, w, &now);
	ok(l.n == 0 && now == w, "a rolled-back transaction leaves the sequence as it was");

	/* the late bundle: old HLCs, new seqs */
	bundle = util_aprintf("%s/u.cmb", du);
	ok(sync_bundle(unit, hq, bundle) == 0 && sync_import(hq, bundle, NULL) == 0,
	   "HQ imports the unit's bundle");
	l = changed(hq, MODEL_INCIDENT, w, &now);
	ok(l.n == 1 && memcmp(l.ids[0], z, CIMIC_ID_BYTES) == 0,
	   "a record that arrives late is past the watermark");
	ok(l.updated[0] < before, "... though its last op is older than what was published");
	free(bundle);

	/* links and contacts have their own listings */
	ok(sync_add(hq, MODEL_CONTACT, "Наталія", y) == 0, "HQ adds a contact");
	if (oplog_begin(hq, &txn, &err) != 0 || model_link(txn, x, y, true, &err) != 0 ||
	    oplog_commit(txn, &err) != 0)
		sync_fail("model_link", &err);
	l = changed(hq, MODEL_LINK, w, &now);
	is_int(l.n, 1, "a new link is listed");
	l = changed(hq, MODEL_CONTACT, w, &now);
	is_int(l.n, 1, "a new contact is listed");
	l = changed(hq, MODEL_INCIDENT, w, &now);
	is_int(l.n, 1, "linking does not list the incident again (z only)");

	store_close(unit);
	store_close(hq);
	test_rmdir(du);
	test_rmdir(dh);
}

static void
test_watermarks(void)
{
	char *d;
	struct store *st = test_store("HQ", NODE_HQ, &d);
	struct pubstate_target t = { .seq = 42, .published_ms = 1700000000000, .rows = 7 }, got;
	struct cimic_error err;

	snprintf(t.target, sizeof t.target, "0b8f5a3e-1111-4c2a-9d1e-6f2b7c9a0001");
	snprintf(t.label, sizeof t.label, "natpic@db.example:5432/picture");
	is_int(pubstate_get(st, t.target, &got, &err), 0, "an unknown database has no watermark");
	ok(pubstate_set(st, &t, &err) == 0, "a watermark is recorded");
	ok(pubstate_get(st, t.target, &got, &err) == 1 && got.seq == 42 && got.rows == 7 &&
	   strcmp(got.label, t.label) == 0, "and read back");
	t.seq = 43;
	ok(pubstate_set(st, &t, &err) == 0 && pubstate_get(st, t.target, &got, &err) == 1 &&
	   got.seq == 43, "and moved");
	store_close(st);
	test_rmdir(d);
}

static void
test_one_line(void)
{
	char out[128];

	pg_one_line("connection failed: No such file\n\tIs the server running?\n", out, sizeof out);
	is_str(out, "connection failed: No such file; Is the server running?",
	       "libpq's lines become one");
	pg_one_line("evil\x1b[31mred\x7f \xc2\x9b" "csi", out, sizeof out);
	ok(strchr(out, 0x1b) == NULL && strchr(out, 0x7f) == NULL && strstr(out, "\xc2\x9b") == NULL,
	   "escape, DEL and C1 controls never reach the terminal ('%s')", out);
	pg_one_line("Київ, «Схід»", out, sizeof out);
	is_str(out, "Київ, «Схід»", "UTF-8 text stays");
}

static void
test_copy_encoding(void)
{
	struct pg_copy c = { 0 };
	struct cimic_error err;
	unsigned char bytes[2] = { 0x00, 0xfe };
	char when[48];

	buf_init(&c.data);
	pg_copy_text(&c, "a\tb\nc\\d\re");
	pg_copy_null(&c);
	pg_copy_text(&c, NULL);
	pg_copy_int(&c, -12);
	pg_copy_bool(&c, true);
	pg_copy_bytea(&c, bytes, sizeof bytes);
	pg_copy_row(&c, &err);
	is_str(buf_cstr(&c.data), "a\\tb\\nc\\\\d\\re\t\\N\t\\N\t-12\tt\t\\\\x00fe\n",
	       "COPY text: escapes, NULL, numbers, booleans, bytea");
	is_int(c.rows, 1, "one row");
	buf_finish(&c.data);

	pg_format_time(1795527000123, when, sizeof when);
	is_str(when, "2026-11-24 13:30:00.123+00", "times in UTC with milliseconds");
	pg_format_time(-1, when, sizeof when);
	is_str(when, "1969-12-31 23:59:59.999+00", "a time before 1970 keeps its milliseconds right");
}

static void
test_targets(void)
{
	struct publish_target_info info;
	struct cimic_error err;

	ok(publish_target_parse("postgresql://natpic:S3cr3t-pw@db.example:6432/picture?sslmode=verify-full",
				&info, &err) == 0 && info.has_password,
	   "a password in a URI is seen");
	is_str(info.label, "natpic@db.example:6432/picture", "the label names where, without it");
	ok(publish_target_parse("host=db.example dbname=picture user=natpic password='S3cr3t-pw'",
				&info, &err) == 0 && info.has_password, "a password in words is seen");
	ok(publish_target_parse("postgresql:///?service=natpic", &info, &err) == 0 &&
	   !info.has_password && strcmp(info.label, "service=natpic") == 0,
	   "a service carries no password (%s)", info.label);
	ok(publish_target_parse("host=db.example password=S3cr3t-pw dbname", &info, &err) != 0 &&
	   err.code == CIMIC_EUSAGE, "libpq's parse error is a usage error");
	ok(strstr(err.msg, "S3cr3t-pw") == NULL, "... that never shows the password (%s)", err.msg);
	ok(publish_target_parse("postgresql://natpic:S3cr3t-pw@db.example:6432/picture?bogus=1",
				&info, &err) != 0 && strstr(err.msg, "S3cr3t-pw") == NULL,
	   "nor does one about a URI (%s)", err.msg);
}

static void
test_labels_and_columns(void)
{
	const struct code_list *lists[] = { &codes_incident_type, &codes_incident_status,
					    &codes_contact_category, &codes_node_role };
	struct pg_column cols[PG_MAX_COLUMNS];

	for (size_t i = 0; i < sizeof lists / sizeof lists[0]; i++)
		ok(publish_labels_complete(lists[i]), "every '%s' code has a Ukrainian label",
		   lists[i]->name);
	is_str(publish_label_uk("civilian harm"), "шкода цивільним", "a Ukrainian label");
	is_str(publish_label_uk("no such label"), "no such label", "an unknown one stays English");

	for (enum model_kind k = MODEL_CONTACT; k <= MODEL_LINK; k++) {
		size_t nf, n = pg_columns(k, cols), missing = 0;
		const struct model_field *f = model_fields(k, &nf);
		for (size_t i = 0; i < nf; i++) {
			bool found = false;
			for (size_t j = 0; j < n; j++)
				found = found || (cols[j].source == PGC_FIELD &&
						  strcmp(cols[j].name, f[i].name) == 0);
			missing += !found;
		}
		ok(missing == 0 && strcmp(cols[0].name, "id") == 0 && n <= PG_MAX_COLUMNS,
		   "%s: a column per field, named as --json names it", pg_table(k));
	}
	{
		size_t n = pg_columns(MODEL_INCIDENT, cols);
		bool type_uk = false, when = false, lat = false;
		for (size_t j = 0; j < n; j++) {
			type_uk = type_uk || strcmp(cols[j].name, "type_uk") == 0;
			when = when || (strcmp(cols[j].name, "when") == 0 &&
					strcmp(cols[j].type, "timestamptz") == 0);
			lat = lat || cols[j].source == PGC_LAT;
		}
		ok(type_uk && when && lat, "incidents: labels, \"when\" as timestamptz, lat/lon");
	}
}

int
main(void)
{
	if (sodium_init() < 0)
		return 1;
	test_change_sequence();
	test_watermarks();
	test_one_line();
	test_copy_encoding();
	test_targets();
	test_labels_and_columns();
	return done_testing();
}
