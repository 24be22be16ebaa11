/*
 * cmd-conflicts.c - `cimic conflicts [list [--json] | show ID [--json] | resolve ID --keep VALUE-OR-OP]`.
 *
 * A conflict is one field of one record whose heads hold different
 * values (concurrent edits on two nodes).  Its ID is the record id (or
 * a unique prefix) and the field name: "3f2a9c1b/phone".  Resolving
 * writes a RESOLVE op whose preds are all the heads; it replicates like
 * any op and closes the conflict on every replica that receives it.
 */
#include <stdlib.h>
#include <string.h>

#include "cimic/i18n.h"
#include "cimic/oplog.h"
#include "cimic/roster.h"
#include "cimic/timefmt.h"
#include "commands.h"

static const char *
field_name(unsigned tbl, unsigned field)
{
	const struct model_field *f = NULL;

	if (tbl >= TBL_CONTACT && tbl <= TBL_LINK)
		f = model_field_by_id((enum model_kind)tbl, field);
	return f ? f->name : "?";
}

static void
author_name(struct store *st, const unsigned char author[32], char *out, size_t n)
{
	struct roster_node node;

	if (memcmp(author, store_identity(st)->pub.sign_pk, 32) == 0)
		snprintf(out, n, "%s", store_identity(st)->pub.unit);
	else if (roster_get(st, author, &node))
		snprintf(out, n, "%s", node.pub.unit);
	else
		identity_fingerprint(author, out, n);
}

static char *
head_text(unsigned tbl, unsigned field, const struct model_value *v)
{
	const struct model_field *f = NULL;

	if (tbl >= TBL_CONTACT && tbl <= TBL_LINK)
		f = model_field_by_id((enum model_kind)tbl, field);
	if (f != NULL)
		return model_value_text(f, v, false);
	if (v->type == MV_TEXT)
		return util_strdup(v->s);
	return v->type == MV_INT ? util_aprintf("%lld", (long long)v->i) : util_strdup("");
}

static void
record_title(struct store *st, const struct oplog_conflict *c, char *out, size_t n)
{
	struct model_record rec;
	struct cimic_error err;
	const struct model_value *v;

	out[0] = '\0';
	if (c->tbl != TBL_CONTACT && c->tbl != TBL_INCIDENT)
		return;
	model_record_init(&rec, (enum model_kind)c->tbl);
	if (model_get(st, (enum model_kind)c->tbl, c->row, &rec, &err) == 0) {
		v = model_record_get(&rec, c->tbl == TBL_CONTACT ? "name" : "title");
		if (v != NULL && v->type == MV_TEXT)
			snprintf(out, n, "%s", v->s);
	}
	model_record_finish(&rec);
}

/* One conflict with its heads, as JSON. */
static void
conflict_json(struct store *st, const struct oplog_conflict *c, struct buf *b)
{
	struct oplog_head *h = NULL;
	struct cimic_error err;
	char row[CIMIC_ID_HEX], title[256], who[80], opid[2 * OPLOG_OPID_BYTES + 1], when[32];
	size_t n = 0;

	util_hex(c->row, CIMIC_ID_BYTES, row);
	record_title(st, c, title, sizeof title);
	buf_printf(b, "{\"id\":\"%.8s/%s\",\"kind\":\"%s\",\"record\":\"%s\",\"field\":\"%s\",\"title\":",
		   row, field_name(c->tbl, c->field),
		   c->tbl <= TBL_LINK ? model_kind_name((enum model_kind)c->tbl) : "node", row,
		   field_name(c->tbl, c->field));
	buf_json_str(b, title);
	buf_adds(b, ",\"values\":[");
	oplog_heads(st, c->tbl, c->row, c->field, &h, &n, &err);
	for (size_t i = 0; i < n; i++) {
		char *text = head_text(c->tbl, c->field, &h[i].v);
		author_name(st, h[i].author, who, sizeof who);
		util_hex(h[i].opid, OPLOG_OPID_BYTES, opid);
		timefmt_iso_utc(oplog_hlc_ms(h[i].hlc), when, sizeof when);
		buf_adds(b, i ? ",{\"value\":" : "{\"value\":");
		buf_json_str(b, text ? text : "");
		buf_adds(b, ",\"author\":");
		buf_json_str(b, who);
		buf_printf(b, ",\"op\":\"%s\",\"when\":\"%s\",\"shown\":%s}", opid, when,
			   h[i].shown ? "true" : "false");
		free(text);
	}
	buf_adds(b, "]}");
	oplog_heads_free(h, n);
}

static void
conflict_text(struct store *st, const struct oplog_conflict *c, bool details)
{
	struct oplog_head *h = NULL;
	struct cimic_error err;
	char row[CIMIC_ID_HEX], title[256], who[80], opid[2 * OPLOG_OPID_BYTES + 1], when[32];
	size_t n = 0;

	util_hex(c->row, CIMIC_ID_BYTES, row);
	record_title(st, c, title, sizeof title);
	printf("%.8s/%-12s ", row, field_name(c->tbl, c->field));
	cli_print_cell(stdout, title, 30);
	printf("\n");
	oplog_heads(st, c->tbl, c->row, c->field, &h, &n, &err);
	for (size_t i = 0; i < n; i++) {
		char *text = head_text(c->tbl, c->field, &h[i].v);
		author_name(st, h[i].author, who, sizeof who);
		timefmt_dtg(oplog_hlc_ms(h[i].hlc), when, sizeof when);
		printf("  %zu%s ", i + 1, h[i].shown ? "*" : " ");
		cli_print_cell(stdout, text ? text : "", 32);
		printf("  %s, %s", cli_safe(who), when);
		if (details) {
			util_hex(h[i].opid, OPLOG_OPID_BYTES, opid);
			printf("  op %.12s", opid);
		}
		printf("\n");
		free(text);
	}
	oplog_heads_free(h, n);
}

struct listing {
	struct store *st;
	bool json;
	int n;
	struct buf out;
	/* lookup mode */
	const char *prefix;
	unsigned field;
	bool any_field;
	struct oplog_conflict found;
	int matches;
};

static int
list_one(const struct oplog_conflict *c, void *arg)
{
	struct listing *l = arg;

	if (l->json) {
		if (l->n)
			buf_addc(&l->out, ',');
		conflict_json(l->st, c, &l->out);
	} else {
		conflict_text(l->st, c, false);
	}
	l->n++;
	return 0;
}

static int
conflicts_list(struct cli *cli, bool json)
{
	struct listing l = { .st = cli->st, .json = json };
	struct cimic_error err;

	buf_init(&l.out);
	if (oplog_conflicts(cli->st, list_one, &l, &err) != 0) {
		buf_finish(&l.out);
		return cli_fail(cli, &err);
	}
	if (json)
		printf("[%s]\n", buf_cstr(&l.out));
	else if (l.n == 0)
		fprintf(stderr, "%s\n", _("no open conflicts"));
	else
		printf(P_("%d open conflict (* = value shown meanwhile)\n",
			  "%d open conflicts (* = value shown meanwhile)\n", l.n), l.n);
	buf_finish(&l.out);
	return 0;
}

static int
match_one(const struct oplog_conflict *c, void *arg)
{
	struct listing *l = arg;
	char row[CIMIC_ID_HEX];

	util_hex(c->row, CIMIC_ID_BYTES, row);
	if (strncmp(row, l->prefix, strlen(l->prefix)) != 0)
		return 0;
	if (!l->any_field && strcmp(field_name(c->tbl, c->field), field_name(c->tbl, l->field)) != 0)
		return 0;
	if (l->matches++ == 0)
		l->found = *c;
	return 0;
}

/* Finds the conflict an ID names ("ROWPREFIX/field", or a row prefix with one conflict). */
static int
conflict_find(struct cli *cli, const char *id, struct oplog_conflict *out)
{
	struct listing l = { .st = cli->st, .any_field = true };
	struct cimic_error err;
	char prefix[CIMIC_ID_HEX];
	const char *slash = strchr(id, '/');
	const struct model_field *f = NULL;
	size_t plen = slash ? (size_t)(slash - id) : strlen(id);

	if (plen < 4 || plen >= sizeof prefix)
		return cli_usage(cli, _("a conflict ID is RECORD/FIELD, as 'conflicts list' shows it"));
	for (size_t i = 0; i < plen; i++)
		prefix[i] = (char)(id[i] >= 'A' && id[i] <= 'F' ? id[i] + 32 : id[i]);
	prefix[plen] = '\0';
	l.prefix = prefix;
	if (slash != NULL) {
		f = model_field_by_name(MODEL_CONTACT, slash + 1);
		if (f == NULL)
			f = model_field_by_name(MODEL_INCIDENT, slash + 1);
		if (f == NULL)
			f = model_field_by_name(MODEL_LINK, slash + 1);
		if (f == NULL)
			return cli_usage(cli, _("unknown field '%s'"), slash + 1);
		l.field = f->id;
		l.any_field = false;
	}
	if (oplog_conflicts(cli->st, match_one, &l, &err) != 0)
		return cli_fail(cli, &err);
	if (l.matches == 0) {
		cimic_error_set(&err, CIMIC_ENOINPUT, _("no open conflict %s"), id);
		return cli_fail(cli, &err);
	}
	if (l.matches > 1)
		return cli_usage(cli, _("'%s' names %d conflicts; add /FIELD or more digits"), id,
				 l.matches);
	*out = l.found;
	return 0;
}

static int
conflicts_show(struct cli *cli, const char *id, bool json)
{
	struct oplog_conflict c;
	struct buf b;
	int rc;

	if ((rc = conflict_find(cli, id, &c)) != 0)
		return rc;
	if (!json) {
		conflict_text(cli->st, &c, true);
		return 0;
	}
	buf_init(&b);
	conflict_json(cli->st, &c, &b);
	printf("%s\n", buf_cstr(&b));
	buf_finish(&b);
	return 0;
}

int
cmd_conflicts(struct cli *cli, int argc, char **argv)
{
	bool json = false;
	const char *args[3] = { NULL, NULL, NULL }, *keep = NULL;
	int nargs = 0, rc;
	struct oplog_conflict c;

	cli->cmd = "conflicts";
	if (cli_wants_help(argc, argv)) {
		printf("%s", _("Usage: cimic conflicts [list] [--json]\n"
			       "       cimic conflicts show ID [--json]\n"
			       "       cimic conflicts resolve ID --keep VALUE-OR-OP\n"
			       "--keep takes the number of a value as 'show' lists it, an op id (prefix),\n"
			       "or a new value typed like any field value.  The resolution replicates.\n"));
		return 0;
	}
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--json") == 0)
			json = true;
		else if (strcmp(argv[i], "--keep") == 0 && i + 1 < argc)
			keep = argv[++i];
		else if (strncmp(argv[i], "--keep=", 7) == 0)
			keep = argv[i] + 7;
		else if (nargs < 3)
			args[nargs++] = argv[i];
		else
			return cli_usage(cli, _("unexpected argument '%s'"), argv[i]);
	}
	if ((rc = cli_open(cli)) != 0)
		return rc;
	if (nargs == 0 || (nargs == 1 && strcmp(args[0], "list") == 0))
		return conflicts_list(cli, json);
	if (nargs == 2 && strcmp(args[0], "show") == 0) {
		cli->cmd = "conflicts show";
		return conflicts_show(cli, args[1], json);
	}
	if (nargs == 2 && strcmp(args[0], "resolve") == 0) {
		cli->cmd = "conflicts resolve";
		if (keep == NULL)
			return cli_usage(cli, _("say which value to keep with --keep"));
		if ((rc = conflict_find(cli, args[1], &c)) != 0)
			return rc;
		return cli_conflicts_resolve(cli, &c, keep);
	}
	return cli_usage(cli, _("expected 'conflicts [list|show ID|resolve ID --keep VALUE]'"));
}
