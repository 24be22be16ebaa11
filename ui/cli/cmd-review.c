/*
 * cmd-review.c - `cimic review [list [--json] | accept OP | reject OP]`:
 * HQ's review list (DESIGN.md section 4).
 *
 * Archiving, merging or resolving a conflict on a record another node
 * created takes effect only when HQ does it or endorses it.  Until then
 * the op waits here, on every replica alike: it is not shown and replaces
 * nothing.  Accepting writes HQ's own op with the waiting value, rejecting
 * one with the value shown now; both resolve the field, so the decision
 * replicates like any edit.
 */
#include <stdlib.h>
#include <string.h>

#include "cimic/i18n.h"
#include "cimic/oplog.h"
#include "cimic/roster.h"
#include "commands.h"

static void
review_help(void)
{
	printf("%s", _("Usage: cimic review [list [--json]]\n"
		       "       cimic review accept OP\n"
		       "       cimic review reject OP\n"
		       "Archives, merges and conflict resolutions a field unit made on a record\n"
		       "another node created wait for HQ.  OP is the op id 'review list' shows (at\n"
		       "least 4 hex digits).  Accept and reject are HQ's; they reach every node.\n"));
}

static const char *
field_name(unsigned tbl, unsigned field)
{
	const struct model_field *f = NULL;

	if (tbl >= TBL_CONTACT && tbl <= TBL_LINK)
		f = model_field_by_id((enum model_kind)tbl, field);
	return f ? f->name : "?";
}

static const char *
table_name(unsigned tbl)
{
	return tbl == TBL_CONTACT ? "contact" : tbl == TBL_INCIDENT ? "incident" : "link";
}

struct listing {
	struct store *st;
	bool json;
	int n;
	struct buf out;
};

static int
list_cb(const struct oplog_waiting *w, void *arg)
{
	struct listing *l = arg;
	char op[2 * OPLOG_OPID_BYTES + 1], row[2 * CIMIC_ID_BYTES + 1], by[48], val[32];
	struct roster_node n;
	const char *value = val;

	util_hex(w->opid, OPLOG_OPID_BYTES, op);
	util_hex(w->row, CIMIC_ID_BYTES, row);
	if (roster_get(l->st, w->author, &n))
		snprintf(by, sizeof by, "%s", n.name);
	else
		identity_fingerprint(w->author, by, sizeof by);
	if (w->v.type == MV_INT)
		snprintf(val, sizeof val, "%lld", (long long)w->v.i);
	else if (w->v.type == MV_TEXT)
		value = w->v.s;
	else
		snprintf(val, sizeof val, "%s", "");
	if (l->json) {
		buf_adds(&l->out, l->n ? "," : "");
		buf_printf(&l->out, "{\"op\":\"%s\",\"table\":\"%s\",\"id\":\"%s\",\"field\":\"%s\",\"by\":",
			   op, table_name(w->tbl), row, field_name(w->tbl, w->field));
		buf_json_str(&l->out, by);
		buf_adds(&l->out, ",\"value\":");
		buf_json_str(&l->out, value);
		buf_adds(&l->out, "}");
	} else {
		printf("%.12s  %-8s %.8s  %-12s ", op, table_name(w->tbl), row,
		       field_name(w->tbl, w->field));
		cli_print_cell(stdout, by, 14);
		printf(" %s\n", cli_safe(value));
	}
	l->n++;
	return 0;
}

static int
review_list(struct cli *cli, bool json)
{
	struct listing l = { .st = cli->st, .json = json };
	struct cimic_error err;
	int rc;

	if ((rc = cli_open(cli)) != 0)
		return rc;
	l.st = cli->st;
	buf_init(&l.out);
	if (oplog_waiting_each(cli->st, list_cb, &l, &err) != 0) {
		buf_finish(&l.out);
		return cli_fail(cli, &err);
	}
	if (json)
		printf("[%s]\n", buf_cstr(&l.out));
	else if (l.n == 0)
		fprintf(stderr, "%s\n", _("nothing waits for HQ's review"));
	buf_finish(&l.out);
	return 0;
}

static int
review_decide(struct cli *cli, const char *hexid, bool accept)
{
	struct oplog_waiting w;
	struct oplog_head *h = NULL;
	struct model_value v = { MV_NULL, 0, NULL };
	struct oplog_txn *txn = NULL;
	struct cimic_error err;
	size_t n = 0;
	int rc;

	if ((rc = cli_open(cli)) != 0)
		return rc;
	if (store_identity(cli->st)->pub.role != NODE_HQ) {
		cimic_error_set(&err, CIMIC_EUSAGE, _("only HQ accepts or rejects what waits for review"));
		return cli_fail(cli, &err);
	}
	switch (oplog_waiting_find(cli->st, hexid, &w, &err)) {
	case -1:
		return cli_fail(cli, &err);
	case 0:
		cimic_error_set(&err, CIMIC_ENOINPUT, _("no change waiting for review has op id '%s'"),
				hexid);
		return cli_fail(cli, &err);
	}
	rc = -1;
	if (accept) {
		v = w.v;
		w.v.s = NULL;
	} else {
		/* the value shown now: the first head that does not wait */
		if (oplog_heads(cli->st, w.tbl, w.row, w.field, &h, &n, &err) != 0)
			goto out;
		for (size_t i = 0; i < n; i++)
			if (memcmp(h[i].opid, w.opid, OPLOG_OPID_BYTES) != 0) {
				v = h[i].v;
				h[i].v.s = NULL;
				h[i].v.type = MV_NULL;
				break;
			}
		if (v.type == MV_NULL && w.field == CF_ARCHIVED) {
			v.type = MV_INT;
			v.i = 0;
		}
	}
	if (oplog_begin(cli->st, &txn, &err) != 0)
		goto out;
	if (oplog_resolve(txn, w.tbl, w.row, w.field, &v, &err) != 0) {
		oplog_abort(txn);
		goto out;
	}
	rc = oplog_commit(txn, &err);
out:
	oplog_heads_free(h, n);
	model_value_finish(&v);
	model_value_finish(&w.v);
	if (rc != 0)
		return cli_fail(cli, &err);
	printf("%s\n", accept ? _("accepted; the decision reaches the units with the next bundles")
			      : _("rejected; the decision reaches the units with the next bundles"));
	return 0;
}

int
cmd_review(struct cli *cli, int argc, char **argv)
{
	cli->cmd = "review";
	if (cli_wants_help(argc, argv)) {
		review_help();
		return 0;
	}
	if (argc == 1)
		return review_list(cli, false);
	if (strcmp(argv[1], "list") == 0 || strcmp(argv[1], "--json") == 0) {
		bool json = strcmp(argv[1], "--json") == 0 || (argc == 3 && strcmp(argv[2], "--json") == 0);
		if (argc > 3 || (argc == 3 && !json) || (strcmp(argv[1], "--json") == 0 && argc > 2))
			return cli_usage(cli, _("expected 'review [list] [--json]'"));
		return review_list(cli, json);
	}
	if (strcmp(argv[1], "accept") == 0 || strcmp(argv[1], "reject") == 0) {
		if (argc != 3)
			return cli_usage(cli, _("expected 'review accept|reject OP'"));
		return review_decide(cli, argv[2], strcmp(argv[1], "accept") == 0);
	}
	return cli_usage(cli, _("unknown subcommand '%s'"), argv[1]);
}
