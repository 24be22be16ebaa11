/*
 * cmd-peer.c - `cimic peer add --name NAME [--hq] IDENTITY | list [--json] | revoke NAME
 *   | revert NAME --after SEQ | scope NAME --area S,W,N,E|OBLAST | --own`.
 */
#include <stdlib.h>
#include <string.h>

#include "cimic/i18n.h"
#include "cimic/oplog.h"
#include "cimic/peerstate.h"
#include "cimic/roster.h"
#include "cimic/scopestate.h"
#include "cimic/timefmt.h"
#include "commands.h"

static void
peer_help(void)
{
	printf("%s", _("Usage: cimic peer add --name NAME [--hq] IDENTITY\n"
		       "       cimic peer list [--json]\n"
		       "       cimic peer revoke NAME\n"
		       "       cimic peer revert NAME --after SEQ\n"
		       "       cimic peer scope NAME --area S,W,N,E|OBLAST | --own\n"
		       "IDENTITY is the line 'cimic id' prints on the other node; compare its\n"
		       "fingerprint by voice or on paper before adding it.  A field unit adds its HQ\n"
		       "with --hq; HQ adds each unit, and that enrolment reaches every unit.  At HQ,\n"
		       "'peer add' always enrols a field unit, whatever the identity says; --hq there\n"
		       "trusts a second HQ on this node only.\n"
		       "Revoking a captured laptop keeps its entries up to the last one this node\n"
		       "holds; later ones are quarantined and its bundles are refused.  'peer revert'\n"
		       "(HQ) restores every field the node changed after SEQ to the value before.\n"
		       "'peer scope' (HQ) says what a field unit receives besides its own and HQ's\n"
		       "entries: the records inside an area or an oblast (a name from the gazetteer,\n"
		       "Ukrainian or English), and those shared with 'cimic share'.  HQ records\n"
		       "and shows it; bundles do not honour it yet (see cimic(1)).\n"));
}

static int
peer_add(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "name", required_argument, NULL, 'n' }, { "hq", no_argument, NULL, 'q' },
		{ NULL, 0, NULL, 0 },
	};
	const char *name = NULL;
	struct roster_node n;
	struct oplog_txn *txn;
	struct cimic_error err;
	bool hq = false;
	char fp[24];
	int opt, rc;

	optind = 1;
	opterr = 0;
	while ((opt = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (opt == 'n')
			name = optarg;
		else if (opt == 'q')
			hq = true;
		else
			return cli_usage(cli, _("unknown or incomplete option '%s'"), argv[optind - 1]);
	}
	if (name == NULL || optind != argc - 1)
		return cli_usage(cli, _("expected 'peer add --name NAME [--hq] IDENTITY'"));
	if ((rc = cli_open(cli)) != 0)
		return rc;
	if (oplog_begin(cli->st, &txn, &err) != 0)
		return cli_fail(cli, &err);
	if (roster_add(txn, argv[optind], name, hq, &n, &err) != 0) {
		oplog_abort(txn);
		return cli_fail(cli, &err);
	}
	if (oplog_commit(txn, &err) != 0)
		return cli_fail(cli, &err);
	identity_fingerprint(n.pub.sign_pk, fp, sizeof fp);
	printf(_("added %s: unit %s (%s), fingerprint %s\n"), cli_safe(n.name), cli_safe(n.pub.unit),
	       identity_role_name(n.pub.role), fp);
	return 0;
}

/* What a peer acknowledged: entries of this node, and of all nodes. */
struct acked {
	const unsigned char *self;
	uint64_t own;
	uint64_t total;
};

static int
sum_ack(const unsigned char author[32], uint64_t seq, void *arg)
{
	struct acked *a = arg;

	if (memcmp(author, a->self, 32) == 0)
		a->own = seq;
	a->total += seq;
	return 0;
}

static void
when_text(int64_t ms, char *buf, size_t n)
{
	if (ms <= 0)
		snprintf(buf, n, "%s", _("never"));
	else
		timefmt_dtg(ms, buf, n);
}

struct listing {
	struct cli *cli;
	bool json;
	int n;
	int forks;
	uint64_t own_seq;
	struct buf out;
	struct cimic_error err;
};

static void
peer_json(struct listing *l, const struct roster_node *n, const char *fp, const struct acked *a,
	  uint64_t held, bool fork, const char *scope, long shared)
{
	char in[32], out[32];

	timefmt_iso_utc(n->last_in_ms, in, sizeof in);
	timefmt_iso_utc(n->last_out_ms, out, sizeof out);
	buf_adds(&l->out, l->n ? "," : "");
	buf_adds(&l->out, "{\"name\":");
	buf_json_str(&l->out, n->name);
	buf_adds(&l->out, ",\"unit\":");
	buf_json_str(&l->out, n->pub.unit);
	buf_printf(&l->out, ",\"role\":\"%s\",\"fingerprint\":\"%s\",\"peer\":%s,\"roster\":%s,"
			    "\"revoked\":%s,\"revoked_after_seq\":%llu,\"last_in\":",
		   identity_role_name(n->pub.role), fp, n->peer ? "true" : "false",
		   n->roster ? "true" : "false", n->revoked ? "true" : "false",
		   (unsigned long long)n->revoked_after);
	if (n->last_in_ms > 0)
		buf_json_str(&l->out, in);
	else
		buf_adds(&l->out, "null");
	buf_adds(&l->out, ",\"last_out\":");
	if (n->last_out_ms > 0)
		buf_json_str(&l->out, out);
	else
		buf_adds(&l->out, "null");
	buf_printf(&l->out, ",\"acked_own_seq\":%llu,\"acked_entries\":%llu,\"held_seq\":%llu,"
			    "\"fork\":%s,\"scope\":",
		   (unsigned long long)a->own, (unsigned long long)a->total, (unsigned long long)held,
		   fork ? "true" : "false");
	if (scope != NULL)
		buf_json_str(&l->out, scope);
	else
		buf_adds(&l->out, "null");
	buf_printf(&l->out, ",\"shared\":%ld}", shared);
}

static int
print_peer(const struct roster_node *n, void *arg)
{
	struct listing *l = arg;
	struct acked a = { store_identity(l->cli->st)->pub.sign_pk, 0, 0 };
	struct cimic_error err;
	char fp[24], in[32], out[32], status[64], acked[48];

	uint64_t held = 0;
	bool fork = peerstate_fork_seen(l->cli->st, n->pub.sign_pk);
	/* a scope is what HQ sends a field unit; an HQ receives everything */
	bool scoped = store_identity(l->cli->st)->pub.role == NODE_HQ && n->pub.role == NODE_FIELD;
	struct scope sc;
	char scope[192] = "";
	long shared = 0;

	if (scoped) {
		if (scope_get(l->cli->st, n->pub.sign_pk, &sc, &err) != 0)
			return cimic_error_set(&l->err, err.code, "%s", err.msg);
		scope_describe(&sc, scope, sizeof scope);
		shared = scope_shared_count(l->cli->st, n->pub.sign_pk);
	}

	identity_fingerprint(n->pub.sign_pk, fp, sizeof fp);
	peerstate_acks_each(l->cli->st, n->pub.sign_pk, sum_ack, &a, &err);
	if (oplog_vv_get(l->cli->st, n->pub.sign_pk, &held, NULL, &err) != 0)
		held = 0;
	if (fork)
		l->forks++;
	if (l->json) {
		peer_json(l, n, fp, &a, held, fork, scoped ? scope : NULL, shared);
	} else {
		when_text(n->last_in_ms, in, sizeof in);
		when_text(n->last_out_ms, out, sizeof out);
		if (n->revoked)
			snprintf(status, sizeof status, _("revoked after %llu"),
				 (unsigned long long)n->revoked_after);
		else
			snprintf(status, sizeof status, "%s", n->peer ? _("peer") : _("roster"));
		if (fork)
			snprintf(status, sizeof status, _("FORK after %llu"), (unsigned long long)held);
		cli_print_cell(stdout, n->name, 14);
		printf(" %-5s %s  ", identity_role_name(n->pub.role), fp);
		cli_print_cell(stdout, status, 18);
		snprintf(acked, sizeof acked, "%llu/%llu", (unsigned long long)a.own,
			 (unsigned long long)l->own_seq);
		printf(" %-13s %-13s %-9s ", in, out, acked);
		if (scoped && shared > 0)
			printf(_("%s, %ld shared\n"), scope, shared);
		else
			printf("%s\n", scoped ? scope : "-");
	}
	l->n++;
	return 0;
}

static int
peer_list(struct cli *cli, bool json)
{
	struct listing l = { .cli = cli, .json = json };
	struct cimic_error err;
	int rc;

	if ((rc = cli_open(cli)) != 0)
		return rc;
	if (oplog_vv_get(cli->st, store_identity(cli->st)->pub.sign_pk, &l.own_seq, NULL, &err) != 0)
		return cli_fail(cli, &err);
	buf_init(&l.out);
	if (!json)
		printf(_("%-14s %-5s %-19s  %-18s %-13s %-13s %-9s %s\n"), _("NAME"), _("ROLE"),
		       _("FINGERPRINT"), _("STATUS"), _("LAST IN"), _("LAST OUT"), _("ACKED"),
		       _("SCOPE"));
	if (roster_each(cli->st, print_peer, &l, &err) != 0) {
		buf_finish(&l.out);
		return cli_fail(cli, l.err.code != 0 ? &l.err : &err);
	}
	if (json)
		printf("[%s]\n", buf_cstr(&l.out));
	else if (l.n == 0)
		fprintf(stderr, "%s\n", _("no peers yet: add one with 'cimic peer add'"));
	if (!json && l.forks > 0)
		fprintf(stderr, "%s\n",
			_("cimic: alarm: two different entries carry the same seq of a node (a stolen key or a restored copy); that node is frozen before the fork: revoke it and look at its quarantined entries"));
	buf_finish(&l.out);
	return 0;
}

static int
peer_revoke(struct cli *cli, const char *what)
{
	struct roster_node n;
	struct oplog_txn *txn;
	struct cimic_error err;
	int rc;

	if ((rc = cli_open(cli)) != 0)
		return rc;
	if (roster_find(cli->st, what, &n, &err) != 0 || oplog_begin(cli->st, &txn, &err) != 0)
		return cli_fail(cli, &err);
	if (roster_revoke(txn, n.pub.sign_pk, &n, &err) != 0) {
		oplog_abort(txn);
		return cli_fail(cli, &err);
	}
	if (oplog_commit(txn, &err) != 0)
		return cli_fail(cli, &err);
	printf(_("revoked %s: its entries up to seq %llu stay; later ones are quarantined and its bundles refused\n"),
	       cli_safe(n.name), (unsigned long long)n.revoked_after);
	return 0;
}

static int
peer_revert(struct cli *cli, const char *what, const char *after_text)
{
	struct roster_node n;
	struct oplog_txn *txn;
	struct cimic_error err;
	long fields, records;
	char *end;
	unsigned long long after;
	int rc;

	after = strtoull(after_text, &end, 10);
	if (*after_text == '\0' || *end != '\0' || *after_text == '-')
		return cli_usage(cli, _("--after takes a seq number (see 'peer list --json', held_seq)"));
	if ((rc = cli_open(cli)) != 0)
		return rc;
	if (roster_find(cli->st, what, &n, &err) != 0 || oplog_begin(cli->st, &txn, &err) != 0)
		return cli_fail(cli, &err);
	if (roster_revert(txn, n.pub.sign_pk, (uint64_t)after, &fields, &records, &err) != 0) {
		oplog_abort(txn);
		return cli_fail(cli, &err);
	}
	if (oplog_commit(txn, &err) != 0)
		return cli_fail(cli, &err);
	printf(_("reverted %s after seq %llu: %ld fields of %ld records restored; the units get it with the next bundles\n"),
	       cli_safe(n.name), after, fields, records);
	return 0;
}

static int
peer_scope(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "area", required_argument, NULL, 'a' }, { "own", no_argument, NULL, 'o' },
		{ NULL, 0, NULL, 0 },
	};
	const char *area = NULL;
	bool own = false;
	struct roster_node n;
	struct cimic_error err;
	struct scope sc = { .kind = SCOPE_OWN };
	char text[192];
	int opt, rc;

	optind = 1;
	opterr = 0;
	while ((opt = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (opt == 'a')
			area = optarg;
		else if (opt == 'o')
			own = true;
		else
			return cli_usage(cli, _("unknown or incomplete option '%s'"), argv[optind - 1]);
	}
	if (optind != argc - 1 || (area != NULL && own))
		return cli_usage(cli, _("expected 'peer scope NAME --area S,W,N,E|OBLAST | --own'"));
	if ((rc = cli_open(cli)) != 0)
		return rc;
	if (store_identity(cli->st)->pub.role != NODE_HQ) {
		cimic_error_set(&err, CIMIC_EUSAGE, _("only HQ decides what a unit receives"));
		return cli_fail(cli, &err);
	}
	if (roster_find(cli->st, argv[optind], &n, &err) != 0)
		return cli_fail(cli, &err);
	if (area != NULL && strpbrk(area, "0123456789") != NULL) {
		sc.kind = SCOPE_AREA;
		if (geo_parse_area(area, &sc.area, &err) != 0)
			return cli_fail(cli, &err);
	} else if (area != NULL) {
		sc.kind = SCOPE_OBLAST;
		if (scope_resolve_oblast(cli->st, area, sc.oblast, sizeof sc.oblast, &err) != 0)
			return cli_fail(cli, &err);
	}
	if (scope_set(cli->st, n.pub.sign_pk, &sc, &err) != 0)
		return cli_fail(cli, &err);
	scope_describe(&sc, text, sizeof text);
	printf(_("scope of %s: %s\n"), cli_safe(n.name), text);
	return 0;
}

int
cmd_peer(struct cli *cli, int argc, char **argv)
{
	if (cli_wants_help(argc, argv) || argc < 2) {
		peer_help();
		return argc < 2 ? CIMIC_EUSAGE : 0;
	}
	if (strcmp(argv[1], "add") == 0) {
		cli->cmd = "peer add";
		return peer_add(cli, argc - 1, argv + 1);
	}
	if (strcmp(argv[1], "list") == 0) {
		cli->cmd = "peer list";
		if (argc > 3 || (argc == 3 && strcmp(argv[2], "--json") != 0))
			return cli_usage(cli, _("expected 'peer list [--json]'"));
		return peer_list(cli, argc == 3);
	}
	if (strcmp(argv[1], "revoke") == 0) {
		cli->cmd = "peer revoke";
		if (argc != 3)
			return cli_usage(cli, _("expected 'peer revoke NAME'"));
		return peer_revoke(cli, argv[2]);
	}
	if (strcmp(argv[1], "revert") == 0) {
		cli->cmd = "peer revert";
		if (argc != 5 || strcmp(argv[3], "--after") != 0)
			return cli_usage(cli, _("expected 'peer revert NAME --after SEQ'"));
		return peer_revert(cli, argv[2], argv[4]);
	}
	if (strcmp(argv[1], "scope") == 0) {
		cli->cmd = "peer scope";
		return peer_scope(cli, argc - 1, argv + 1);
	}
	cli->cmd = "peer";
	return cli_usage(cli, _("unknown subcommand '%s'"), argv[1]);
}
