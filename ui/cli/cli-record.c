/*
 * cli-record.c - the subcommands shared by `contact` and `incident`:
 * add, list, show, edit, rm (archive) and restore.  Field flags come
 * from the model's field table, so both commands accept exactly the
 * fields the model knows.
 */
#include <stdlib.h>
#include <string.h>

#include "cimic/gazetteer.h"
#include "cimic/geo.h"
#include "cimic/i18n.h"
#include "cimic/oplog.h"
#include "cimic/timefmt.h"
#include "cli.h"
#include "cli-record.h"

#define OPT_FIELD 1000
#define OPT_JSON 900
#define OPT_ALL 901
#define OPT_ARCHIVED 902
#define OPT_TYPE 903
#define OPT_STATUS 904
#define OPT_MINSEV 905
#define OPT_SINCE 906
#define OPT_SORT 907
#define OPT_LIMIT 908
#define OPT_CONTACT 909
#define OPT_RESTORE 910
#define OPT_HELP 'h'

/* Long options: every user field of the kind, plus `extra`. */
static struct option *
field_options(enum model_kind kind, const struct option *extra)
{
	size_t n, k = 0, nextra = 0;
	const struct model_field *f = model_fields(kind, &n);
	struct option *o;

	while (extra[nextra].name != NULL)
		nextra++;
	o = calloc(n + nextra + 2, sizeof *o);
	if (o == NULL)
		return NULL;
	for (size_t i = 0; i < n; i++) {
		if (!f[i].user)
			continue;
		o[k].name = f[i].name;
		o[k].has_arg = required_argument;
		o[k].val = OPT_FIELD + (int)i;
		k++;
	}
	memcpy(o + k, extra, nextra * sizeof *o);
	k += nextra;
	o[k].name = "help";
	o[k].val = OPT_HELP;
	return o;
}

/* Parses field flags into a change; other options go to `other`. */
static int
parse_fields(struct cli *cli, enum model_kind kind, int argc, char **argv,
	     const struct option *extra, struct model_change *c,
	     int (*other)(struct cli *, int opt, const char *arg, void *), void *arg)
{
	struct option *o = field_options(kind, extra);
	size_t n;
	const struct model_field *f = model_fields(kind, &n);
	struct cimic_error err;
	int opt, rc = 0;

	if (o == NULL)
		return CIMIC_EFAIL;
	optind = 1;
	opterr = 0;
	while (rc == 0 && (opt = getopt_long(argc, argv, "h", o, NULL)) != -1) {
		if (opt >= OPT_FIELD) {
			const struct model_field *fi = &f[opt - OPT_FIELD];
			if (c == NULL)
				rc = cli_usage(cli, _("--%s is not used here"), fi->name);
			else if (model_change_parse(c, fi->name, optarg, timefmt_now_ms(), &err) != 0)
				rc = cli_fail(cli, &err) == CIMIC_EDATA ? CIMIC_EDATA : err.code;
		} else if (opt == '?' || opt == ':') {
			rc = cli_usage(cli, _("unknown or incomplete option '%s'"), argv[optind - 1]);
		} else {
			rc = other ? other(cli, opt, optarg, arg) : cli_usage(cli, _("unexpected option"));
		}
	}
	free(o);
	return rc;
}

/* ---- add / edit ---- */

struct add_opts {
	const char *contact;   /* incident add --contact ID */
	bool json;
	bool restore;
};

static int
add_other(struct cli *cli, int opt, const char *arg, void *p)
{
	struct add_opts *a = p;

	switch (opt) {
	case OPT_CONTACT: a->contact = arg; return 0;
	case OPT_JSON: a->json = true; return 0;
	case OPT_RESTORE: a->restore = true; return 0;
	case OPT_HELP: return 0;
	}
	return cli_usage(cli, _("unexpected option"));
}

static int
link_contact(struct cli *cli, struct oplog_txn *txn, const unsigned char incident[CIMIC_ID_BYTES],
	     const char *contact, struct cimic_error *err)
{
	unsigned char cid[CIMIC_ID_BYTES];

	if (model_resolve_id(cli->st, MODEL_CONTACT, contact, cid, err) != 0)
		return -1;
	return model_link(txn, incident, cid, true, err);
}

/*
 * With --settlement and no --location, the gazetteer (when one is
 * loaded) gives the coordinates; the officer is told which place was
 * taken, so a namesake village is noticed.
 */
static int
settlement_location(struct cli *cli, struct model_change *c, struct cimic_error *err)
{
	int si = model_record_index(c->kind, "settlement"), li = model_record_index(c->kind, "location");
	struct gazetteer_place p;
	char latlon[64];

	if (si < 0 || li < 0 || !c->set[si] || c->v[si].type != MV_TEXT || c->set[li] ||
	    gazetteer_count(cli->st) <= 0)
		return 0;
	switch (gazetteer_best(cli->st, c->v[si].s, &p, err)) {
	case 1:
		geo_format_latlon((struct geo_point){ p.lat, p.lon }, latlon, sizeof latlon);
		if (model_change_parse(c, "location", latlon, 0, err) != 0)
			return -1;
		fprintf(stderr, _("location taken from the gazetteer: %s (%s, %s)\n"), cli_safe(p.name),
			cli_safe(p.admin2[0] ? p.admin2 : "-"), cli_safe(p.admin1[0] ? p.admin1 : "-"));
		return 0;
	case 0:
		return 0;
	default:
		return -1;
	}
}

int
cli_record_add(struct cli *cli, enum model_kind kind, int argc, char **argv)
{
	static const struct option extra[] = {
		{ "contact", required_argument, NULL, OPT_CONTACT },
		{ NULL, 0, NULL, 0 },
	};
	struct add_opts a = { 0 };
	struct model_change c;
	struct oplog_txn *txn;
	struct cimic_error err;
	unsigned char id[CIMIC_ID_BYTES];
	char hex[CIMIC_ID_HEX];
	int rc;

	model_change_init(&c, kind);
	rc = parse_fields(cli, kind, argc, argv, kind == MODEL_INCIDENT ? extra : extra + 1, &c,
			  add_other, &a);
	if (rc == 0 && optind < argc)
		rc = cli_usage(cli, _("unexpected argument '%s'"), argv[optind]);
	if (rc == 0 && (rc = cli_open(cli)) == 0) {
		if (settlement_location(cli, &c, &err) != 0 || oplog_begin(cli->st, &txn, &err) != 0) {
			rc = cli_fail(cli, &err);
		} else if (model_create(txn, &c, id, &err) != 0 ||
			   (a.contact && link_contact(cli, txn, id, a.contact, &err) != 0)) {
			oplog_abort(txn);
			rc = cli_fail(cli, &err);
		} else if (oplog_commit(txn, &err) != 0) {
			rc = cli_fail(cli, &err);
		} else {
			util_hex(id, sizeof id, hex);
			puts(hex);
		}
	}
	model_change_finish(&c);
	return rc;
}

int
cli_record_edit(struct cli *cli, enum model_kind kind, int argc, char **argv)
{
	struct add_opts a = { 0 };
	static const struct option none[] = { { NULL, 0, NULL, 0 } };
	struct model_change c;
	struct oplog_txn *txn;
	struct cimic_error err;
	unsigned char id[CIMIC_ID_BYTES];
	int rc;
	bool any = false;

	model_change_init(&c, kind);
	rc = parse_fields(cli, kind, argc, argv, none, &c, add_other, &a);
	for (size_t i = 0; i < MODEL_MAX_FIELDS; i++)
		any = any || c.set[i];
	if (rc == 0 && optind != argc - 1)
		rc = cli_usage(cli, _("give exactly one record id"));
	else if (rc == 0 && !any)
		rc = cli_usage(cli, _("nothing to change: give at least one --FIELD VALUE"));
	if (rc == 0 && (rc = cli_open(cli)) == 0) {
		if (model_resolve_id(cli->st, kind, argv[optind], id, &err) != 0 ||
		    oplog_begin(cli->st, &txn, &err) != 0) {
			rc = cli_fail(cli, &err);
		} else if (model_update(txn, id, &c, &err) != 0) {
			oplog_abort(txn);
			rc = cli_fail(cli, &err);
		} else if (oplog_commit(txn, &err) != 0) {
			rc = cli_fail(cli, &err);
		}
	}
	model_change_finish(&c);
	return rc;
}

int
cli_record_rm(struct cli *cli, enum model_kind kind, int argc, char **argv)
{
	static const struct option extra[] = {
		{ "restore", no_argument, NULL, OPT_RESTORE },
		{ NULL, 0, NULL, 0 },
	};
	struct add_opts a = { 0 };
	struct oplog_txn *txn;
	struct cimic_error err;
	unsigned char id[CIMIC_ID_BYTES];
	int rc = parse_fields(cli, kind, argc, argv, extra, NULL, add_other, &a);

	if (rc == 0 && optind != argc - 1)
		rc = cli_usage(cli, _("give exactly one record id"));
	if (rc != 0 || (rc = cli_open(cli)) != 0)
		return rc;
	if (model_resolve_id(cli->st, kind, argv[optind], id, &err) != 0 ||
	    oplog_begin(cli->st, &txn, &err) != 0)
		return cli_fail(cli, &err);
	if (model_archive(txn, kind, id, !a.restore, &err) != 0) {
		oplog_abort(txn);
		return cli_fail(cli, &err);
	}
	if (oplog_commit(txn, &err) != 0)
		return cli_fail(cli, &err);
	if (a.restore)
		fprintf(stderr, "%s\n", _("restored"));
	else
		fprintf(stderr, _("archived (undo with 'cimic %s rm --restore ID')\n"),
			model_kind_name(kind));
	return 0;
}
