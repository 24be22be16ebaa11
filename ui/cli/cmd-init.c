/* cmd-init.c - `cimic init --unit NAME [--hq] [--kdf-ops N --kdf-mem BYTES]`. */
#include <stdlib.h>
#include <string.h>

#include "cimic/i18n.h"
#include "commands.h"

static int
parse_u64(const char *s, uint64_t *out)
{
	char *end;
	unsigned long long v;

	if (*s == '\0' || *s == '-')
		return -1;
	v = strtoull(s, &end, 10);
	if (*end != '\0')
		return -1;
	*out = v;
	return 0;
}

int
cmd_init(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "unit", required_argument, NULL, 'u' }, { "hq", no_argument, NULL, 'H' },
		{ "kdf-ops", required_argument, NULL, 'o' }, { "kdf-mem", required_argument, NULL, 'm' },
		{ "help", no_argument, NULL, 'h' }, { NULL, 0, NULL, 0 },
	};
	struct store_init_opts o = { .role = NODE_FIELD };
	struct vault_kdf kdf = { 0, 0 };
	struct cimic_error err;
	char *pass, fp[24];
	size_t len;
	int opt, rc;

	optind = 1;
	opterr = 0;
	while ((opt = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (opt) {
		case 'u': o.unit = optarg; break;
		case 'H': o.role = NODE_HQ; break;
		case 'o':
			if (parse_u64(optarg, &kdf.ops) != 0 || kdf.ops < 1 || kdf.ops > 64)
				return cli_usage(cli, _("--kdf-ops must be a number from 1 to 64"));
			break;
		case 'm':
			if (parse_u64(optarg, &kdf.mem) != 0 || kdf.mem < 8192 || kdf.mem > (8ull << 30))
				return cli_usage(cli, _("--kdf-mem must be bytes from 8192 to 8 GiB"));
			break;
		case 'h':
			printf("%s", _("Usage: cimic init --unit NAME [--hq] [--kdf-ops N --kdf-mem BYTES]\n"
				       "Creates the encrypted store and this node's keys. The passphrase is asked twice\n"
				       "(or read from --passphrase-file / CIMIC_PASSPHRASE). Without --kdf-* the key\n"
				       "derivation is tuned to take about one second here.\n"));
			return 0;
		default:
			return cli_usage(cli, _("unknown or incomplete option '%s'"), argv[optind - 1]);
		}
	}
	if (optind < argc)
		return cli_usage(cli, _("unexpected argument '%s'"), argv[optind]);
	if (o.unit == NULL)
		return cli_usage(cli, _("give the unit name with --unit NAME"));
	if ((kdf.ops == 0) != (kdf.mem == 0))
		return cli_usage(cli, _("give both --kdf-ops and --kdf-mem, or neither"));
	if (kdf.ops)
		o.kdf = &kdf;
	if (store_exists(cli->dir)) {
		cimic_error_set(&err, CIMIC_ECANTCREAT, _("%s already holds a store"), cli->dir);
		return cli_fail(cli, &err);
	}
	if ((rc = cli_passphrase(cli, _("New passphrase: "), true, &pass, &len)) != 0)
		return rc;
	if (store_passphrase_check(pass, len, &err) != 0) {
		cli_passphrase_free(pass);
		return cli_fail(cli, &err);
	}
	if (o.kdf == NULL)
		fprintf(stderr, "%s\n", _("Tuning the key derivation to this machine (about a second)..."));
	rc = store_init(cli->dir, pass, len, &o, &cli->st, &err);
	cli_passphrase_free(pass);
	if (rc != 0)
		return cli_fail(cli, &err);
	identity_fingerprint(store_identity(cli->st)->pub.sign_pk, fp, sizeof fp);
	printf(_("Store created in %s\nUnit: %s (%s)\nFingerprint: %s\n"), cli_safe(cli->dir), cli_safe(o.unit),
	       identity_role_name(o.role), fp);
	return 0;
}
