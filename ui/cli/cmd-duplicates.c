/*
 * cmd-duplicates.c - `cimic contact|incident duplicates [--json]
 * [--dismiss A B | --undismiss A B]` and `merge LOSER WINNER` /
 * `unmerge ID` (HQ).  A dismissal and a merge are ops: they replicate.
 */
#include <stdlib.h>
#include <string.h>

#include "cimic/duplicates.h"
#include "cimic/i18n.h"
#include "cimic/identity.h"
#include "cimic/oplog.h"
#include "cli-record.h"
#include "commands.h"

enum { O_JSON = 1, O_DISMISS, O_UNDISMISS };

static const struct option dup_options[] = {
	{ "json", no_argument, NULL, O_JSON },
	{ "dismiss", no_argument, NULL, O_DISMISS },
	{ "undismiss", no_argument, NULL, O_UNDISMISS },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

static int
need_hq(struct cli *cli)
{
	struct cimic_error err;

	if (store_identity(cli->st)->pub.role == NODE_HQ)
		return 0;
	cimic_error_set(&err, CIMIC_EPERM, _("duplicates are merged and dismissed at HQ"));
	return cli_fail(cli, &err);
}

static const char *
title_of(const struct model_record *r)
{
	const struct model_value *v = model_record_get(r, r->kind == MODEL_CONTACT ? "name" : "title");

	return v && v->type == MV_TEXT ? v->s : "";
}

/* "name (org, phone)" or "title (when, settlement)", for the listing. OUT: caller frees. */
static char *
describe(struct cli *cli, enum model_kind kind, const unsigned char id[CIMIC_ID_BYTES])
{
	static const char *const contact_parts[] = { "org", "phone", "settlement" };
	static const char *const incident_parts[] = { "when", "settlement", "killed", "injured" };
	const char *const *parts = kind == MODEL_CONTACT ? contact_parts : incident_parts;
	size_t nparts = kind == MODEL_CONTACT ? 3 : 4;
	struct model_record rec;
	struct cimic_error err;
	struct buf b;
	char *out;

	buf_init(&b);
	model_record_init(&rec, kind);
	if (model_get(cli->st, kind, id, &rec, &err) == 0) {
		buf_adds(&b, title_of(&rec));
		for (size_t i = 0; i < nparts; i++) {
			const struct model_field *f = model_field_by_name(kind, parts[i]);
			const struct model_value *v = model_record_get(&rec, parts[i]);
			char *t;
			if (v == NULL || v->type == MV_NULL || (t = model_value_text(f, v, true)) == NULL)
				continue;
			buf_adds(&b, " / ");
			if (f->type == FT_INT)
				buf_printf(&b, "%s %s", _(f->label), t);
			else
				buf_adds(&b, t);
			free(t);
		}
	}
	model_record_finish(&rec);
	out = util_strdup(buf_cstr(&b));
	buf_finish(&b);
	return out;
}

static void
print_json(struct cli *cli, enum model_kind kind, const struct dup_list *l)
{
	struct buf b;
	char ha[CIMIC_ID_HEX], hb[CIMIC_ID_HEX];

	buf_init(&b);
	buf_printf(&b, "{\"kind\":\"%s\",\"records\":%zu,\"pairs\":[", model_kind_name(kind), l->records);
	for (size_t i = 0; i < l->n; i++) {
		const struct dup_pair *p = &l->pairs[i];
		char *da = describe(cli, kind, p->a), *db = describe(cli, kind, p->b);
		bool first = true;
		util_hex(p->a, CIMIC_ID_BYTES, ha);
		util_hex(p->b, CIMIC_ID_BYTES, hb);
		buf_printf(&b, "%s{\"a\":\"%s\",\"b\":\"%s\",\"score\":%d,\"reasons\":[", i ? "," : "", ha,
			   hb, p->score);
		for (unsigned r = 0; r < DUP_REASONS; r++)
			if (p->reasons & (1u << r)) {
				buf_printf(&b, "%s\"%s\"", first ? "" : ",", dup_reason_code(r));
				first = false;
			}
		buf_adds(&b, "],\"a_text\":");
		buf_json_str(&b, da ? da : "");
		buf_adds(&b, ",\"b_text\":");
		buf_json_str(&b, db ? db : "");
		buf_addc(&b, '}');
		free(da);
		free(db);
	}
	buf_adds(&b, "]}\n");
	fwrite(b.data, 1, b.len, stdout);
	buf_finish(&b);
}

static void
print_text(struct cli *cli, enum model_kind kind, const struct dup_list *l)
{
	char ha[CIMIC_ID_HEX], hb[CIMIC_ID_HEX];

	for (size_t i = 0; i < l->n; i++) {
		const struct dup_pair *p = &l->pairs[i];
		char *da = describe(cli, kind, p->a), *db = describe(cli, kind, p->b);
		bool first = true;
		util_hex(p->a, CIMIC_ID_BYTES, ha);
		util_hex(p->b, CIMIC_ID_BYTES, hb);
		printf("%3d  %.8s  %s\n", p->score, ha, cli_safe(da ? da : ""));
		printf("     %.8s  %s\n     ", hb, cli_safe(db ? db : ""));
		for (unsigned r = 0; r < DUP_REASONS; r++)
			if (p->reasons & (1u << r)) {
				printf("%s%s", first ? "" : ", ", dup_reason_label(r));
				first = false;
			}
		printf("\n\n");
		free(da);
		free(db);
	}
	fprintf(stderr, P_("%zu candidate pair among %zu records\n",
			   "%zu candidate pairs among %zu records\n", l->n),
		l->n, l->records);
}

static int
dismiss(struct cli *cli, enum model_kind kind, const char *a, const char *b, bool on)
{
	unsigned char ia[CIMIC_ID_BYTES], ib[CIMIC_ID_BYTES];
	struct oplog_txn *txn;
	struct cimic_error err;
	int rc;

	if ((rc = need_hq(cli)) != 0)
		return rc;
	if (model_resolve_id(cli->st, kind, a, ia, &err) != 0 ||
	    model_resolve_id(cli->st, kind, b, ib, &err) != 0 || oplog_begin(cli->st, &txn, &err) != 0)
		return cli_fail(cli, &err);
	if (dup_dismiss(txn, kind, ia, ib, on, &err) != 0) {
		oplog_abort(txn);
		return cli_fail(cli, &err);
	}
	if (oplog_commit(txn, &err) != 0)
		return cli_fail(cli, &err);
	fprintf(stderr, "%s\n", on ? _("dismissed: the pair is not proposed again")
				   : _("the pair may be proposed again"));
	return 0;
}

int
cli_duplicates(struct cli *cli, enum model_kind kind, int argc, char **argv)
{
	struct dup_list l;
	struct cimic_error err;
	bool json = false;
	int opt, mode = 0, rc = 0;

	cli->cmd = kind == MODEL_CONTACT ? "contact duplicates" : "incident duplicates";
	optind = 1;
	opterr = 0;
	while (rc == 0 && (opt = getopt_long(argc, argv, "h", dup_options, NULL)) != -1) {
		if (opt == O_JSON)
			json = true;
		else if (opt == O_DISMISS || opt == O_UNDISMISS)
			mode = opt;
		else if (opt == 'h')
			return cli_record_help(kind, stdout), 0;
		else
			rc = cli_usage(cli, _("unknown or incomplete option '%s'"), argv[optind - 1]);
	}
	if (rc == 0 && mode && optind != argc - 2)
		rc = cli_usage(cli, _("give the two ids of the pair"));
	if (rc == 0 && !mode && optind != argc)
		rc = cli_usage(cli, _("unexpected argument '%s'"), argv[optind]);
	if (rc != 0 || (rc = cli_open(cli)) != 0)
		return rc;
	if (mode)
		return dismiss(cli, kind, argv[optind], argv[optind + 1], mode == O_DISMISS);
	dup_list_init(&l);
	if (dup_find(cli->st, kind, &l, &err) != 0) {
		dup_list_finish(&l);
		return cli_fail(cli, &err);
	}
	if (json)
		print_json(cli, kind, &l);
	else
		print_text(cli, kind, &l);
	dup_list_finish(&l);
	return 0;
}

int
cli_merge(struct cli *cli, enum model_kind kind, int argc, char **argv, bool merge)
{
	unsigned char loser[CIMIC_ID_BYTES], winner[CIMIC_ID_BYTES];
	struct oplog_txn *txn;
	struct cimic_error err;
	int rc;

	if (kind == MODEL_CONTACT)
		cli->cmd = merge ? "contact merge" : "contact unmerge";
	else
		cli->cmd = merge ? "incident merge" : "incident unmerge";
	if (argc != (merge ? 3 : 2))
		return cli_usage(cli, merge ? _("give LOSER and WINNER ids") : _("give one id"));
	if ((rc = cli_open(cli)) != 0 || (rc = need_hq(cli)) != 0)
		return rc;
	if (model_resolve_id(cli->st, kind, argv[1], loser, &err) != 0 ||
	    (merge && model_resolve_id(cli->st, kind, argv[2], winner, &err) != 0) ||
	    oplog_begin(cli->st, &txn, &err) != 0)
		return cli_fail(cli, &err);
	rc = merge ? model_merge_record(txn, kind, loser, winner, &err)
		   : model_unmerge_record(txn, kind, loser, &err);
	if (rc != 0) {
		oplog_abort(txn);
		return cli_fail(cli, &err);
	}
	if (oplog_commit(txn, &err) != 0)
		return cli_fail(cli, &err);
	if (merge)
		fprintf(stderr, _("merged (undo with 'cimic %s unmerge LOSER')\n"), model_kind_name(kind));
	else
		fprintf(stderr, "%s\n", _("unmerged"));
	return 0;
}
