/*
 * cmd-bundle.c - `cimic bundle create --to PEER [-o FILE] | import [--json] FILE... |
 * inspect [--json] FILE | verify FILE...`.
 */
#include <stdlib.h>
#include <string.h>

#include "cimic/exchange.h"
#include "cimic/i18n.h"
#include "cimic/timefmt.h"
#include "commands.h"

static void
bundle_help(void)
{
	printf("%s", _("Usage: cimic bundle create --to PEER [-o FILE|-]\n"
		       "       cimic bundle import [--json] FILE...\n"
		       "       cimic bundle inspect [--json] FILE\n"
		       "       cimic bundle verify FILE...\n"
		       "create writes everything PEER has not acknowledged, compressed, signed and\n"
		       "encrypted to PEER.  import applies each file in one transaction.  inspect shows\n"
		       "the clear header, and for the recipient the sender and contents.  verify checks\n"
		       "a copy against its trailer hash without any key (for couriers).\n"));
}

static void
hex_of(const unsigned char *p, size_t n, char *out)
{
	util_hex(p, n, out);
}

static int
bundle_create(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "to", required_argument, NULL, 't' }, { "output", required_argument, NULL, 'o' },
		{ NULL, 0, NULL, 0 },
	};
	const char *to = NULL, *path = NULL;
	struct exchange_out out;
	struct roster_node n;
	struct cimic_error err;
	char *def = NULL, kid[17], hash[2 * BUNDLE_HASH_BYTES + 1];
	unsigned char k[IDENTITY_KEYID_BYTES];
	int opt, rc;

	optind = 1;
	opterr = 0;
	while ((opt = getopt_long(argc, argv, "o:", opts, NULL)) != -1) {
		if (opt == 't')
			to = optarg;
		else if (opt == 'o')
			path = optarg;
		else
			return cli_usage(cli, _("unknown or incomplete option '%s'"), argv[optind - 1]);
	}
	if (to == NULL || optind != argc)
		return cli_usage(cli, _("expected 'bundle create --to PEER [-o FILE]'"));
	if ((rc = cli_open(cli)) != 0)
		return rc;
	if (roster_find(cli->st, to, &n, &err) != 0)
		return cli_fail(cli, &err);
	if (path == NULL) {
		bundle_recipient_id(n.pub.sign_pk, k);
		hex_of(k, sizeof k, kid);
		path = def = util_aprintf("cimic-%s.cmb", kid);
	}
	rc = exchange_create(cli->st, n.pub.sign_pk, path, &out, &err);
	if (rc != 0) {
		free(def);
		return cli_fail(cli, &err);
	}
	hex_of(out.hdr.hash, sizeof out.hdr.hash, hash);
	if (strcmp(path, "-") != 0)
		printf("%s\n", cli_safe(path));   /* with -o -, stdout is the bundle itself */
	fprintf(stderr, P_("%ld entry for %s, %llu bytes\n", "%ld entries for %s, %llu bytes\n",
			   out.entries),
		out.entries, cli_safe(n.name), (unsigned long long)out.hdr.size);
	fprintf(stderr, _("BLAKE2b %s (what 'cimic bundle verify' shows for an intact copy)\n"), hash);
	free(def);
	return 0;
}

static void
import_json(struct buf *b, const char *file, const struct exchange_result *r,
	    const struct cimic_error *err, bool first)
{
	char id[2 * BUNDLE_ID_BYTES + 1], fp[24];

	buf_adds(b, first ? "" : ",");
	buf_adds(b, "{\"file\":");
	buf_json_str(b, file);
	if (err != NULL) {
		buf_printf(b, ",\"status\":\"refused\",\"code\":%d,\"reason\":", err->code);
		buf_json_str(b, err->msg);
		buf_addc(b, '}');
		return;
	}
	hex_of(r->hdr.id, sizeof r->hdr.id, id);
	identity_fingerprint(r->sender, fp, sizeof fp);
	buf_printf(b, ",\"status\":\"imported\",\"bundle_id\":\"%s\",\"sender\":", id);
	buf_json_str(b, r->sender_name);
	buf_printf(b, ",\"sender_fingerprint\":\"%s\",\"new\":%ld,\"already_held\":%ld,"
		      "\"ops_new\":%ld,\"conflicts_opened\":%ld,\"quarantined\":%ld,"
		      "\"skipped\":%ld,\"repeat\":%s}",
		   fp, r->entries_new, r->entries_dup, r->ops_new, r->conflicts_opened,
		   r->quarantined, r->skipped, r->seen_before ? "true" : "false");
}

static void
import_text(const char *file, const struct exchange_result *r, const struct cimic_error *err)
{
	if (err != NULL) {
		printf(_("%s: refused: %s\n"), cli_safe(file), cli_safe(err->msg));
		return;
	}
	printf(_("%s: from %s: %ld new, %ld already held, %ld conflicts opened"), cli_safe(file),
	       cli_safe(r->sender_name), r->entries_new, r->entries_dup, r->conflicts_opened);
	if (r->quarantined > 0)
		printf(_(", %ld quarantined"), r->quarantined);
	if (r->skipped > 0)
		printf(_(", %ld from unknown nodes skipped"), r->skipped);
	printf("\n");
}

static int
bundle_import(struct cli *cli, int argc, char **argv)
{
	bool json = false;
	struct buf b;
	int first = 0, rc, status = 0, n = 0;

	for (int i = 1; i < argc; i++)
		if (strcmp(argv[i], "--json") == 0)
			json = true;
	if ((rc = cli_open(cli)) != 0)
		return rc;
	buf_init(&b);
	for (int i = 1; i < argc; i++) {
		struct exchange_result r;
		struct cimic_error err;
		bool bad;
		if (strcmp(argv[i], "--json") == 0)
			continue;
		n++;
		bad = exchange_import(cli->st, argv[i], &r, &err) != 0;
		if (bad && status == 0)
			status = err.code ? err.code : CIMIC_EFAIL;
		if (bad)
			fprintf(stderr, "cimic: bundle import: %s: %s\n", cli_safe(argv[i]),
				cli_safe(err.msg));
		if (json)
			import_json(&b, argv[i], &r, bad ? &err : NULL, first++ == 0);
		else
			import_text(argv[i], &r, bad ? &err : NULL);
	}
	if (json)
		printf("[%s]\n", buf_cstr(&b));
	buf_finish(&b);
	if (n == 0)
		return cli_usage(cli, _("which bundle files?"));
	return status;
}

static int
bundle_verify(struct cli *cli, int argc, char **argv)
{
	int status = 0;

	if (argc < 2)
		return cli_usage(cli, _("which bundle files?"));
	for (int i = 1; i < argc; i++) {
		struct bundle_header h;
		struct cimic_error err;
		char hash[2 * BUNDLE_HASH_BYTES + 1];
		if (bundle_check(argv[i], &h, &err) != 0) {
			fprintf(stderr, "cimic: bundle verify: %s: %s\n", cli_safe(argv[i]),
				cli_safe(err.msg));
			if (status == 0)
				status = err.code;
			continue;
		}
		hex_of(h.hash, sizeof h.hash, hash);
		printf(_("%s: OK, %llu bytes, BLAKE2b %s\n"), cli_safe(argv[i]), (unsigned long long)h.size,
		       hash);
	}
	return status;
}

int
cmd_bundle(struct cli *cli, int argc, char **argv)
{
	if (cli_wants_help(argc, argv) || argc < 2) {
		bundle_help();
		return argc < 2 ? CIMIC_EUSAGE : 0;
	}
	if (strcmp(argv[1], "create") == 0) {
		cli->cmd = "bundle create";
		return bundle_create(cli, argc - 1, argv + 1);
	}
	if (strcmp(argv[1], "import") == 0) {
		cli->cmd = "bundle import";
		return bundle_import(cli, argc - 1, argv + 1);
	}
	if (strcmp(argv[1], "inspect") == 0) {
		cli->cmd = "bundle inspect";
		return cmd_bundle_inspect(cli, argc - 1, argv + 1);
	}
	if (strcmp(argv[1], "verify") == 0) {
		cli->cmd = "bundle verify";
		return bundle_verify(cli, argc - 1, argv + 1);
	}
	cli->cmd = "bundle";
	return cli_usage(cli, _("unknown subcommand '%s'"), argv[1]);
}
