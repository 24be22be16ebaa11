/*
 * cmd-demo.c - `cimic demo [--store DIR]`: a throw-away store full of
 * realistic data, so a newcomer sees a working system at once.
 *
 * The passphrase is "demo" (or $CIMIC_PASSPHRASE), and the key
 * derivation uses the 64 MiB floor with two passes instead of the
 * one-second calibration: a demo store holds nothing secret.
 */
#include <stdlib.h>
#include <string.h>

#include "cimic/demo.h"
#include "cimic/i18n.h"
#include "commands.h"

#define DEMO_PASSPHRASE "demo"

int
cli_demo_create(struct cli *cli)
{
	struct vault_kdf kdf = { 2, 64u << 20 };
	struct store_init_opts o = { "ГУ ЦВС Схід / CIMIC East", NODE_FIELD, &kdf };
	const char *pass = getenv("CIMIC_PASSPHRASE");
	struct cimic_error err;
	long nc, ni;

	if (cli->store_flag == NULL) {
		const char *base = getenv("TMPDIR");
		char *path = util_aprintf("%s/cimic-demo-XXXXXX", base && *base ? base : "/tmp");
		if (path == NULL || mkdtemp(path) == NULL) {
			free(path);
			cimic_error_set(&err, CIMIC_ECANTCREAT, _("cannot create a demo directory in %s"),
					base && *base ? base : "/tmp");
			return cli_fail(cli, &err);
		}
		free(cli->dir);
		cli->dir = path;
	}
	if (pass == NULL || *pass == '\0') {
		pass = DEMO_PASSPHRASE;
		setenv("CIMIC_PASSPHRASE", pass, 1);
	}
	if (store_init(cli->dir, pass, strlen(pass), &o, &cli->st, &err) != 0 ||
	    demo_fill(cli->st, &nc, &ni, &err) != 0)
		return cli_fail(cli, &err);
	fprintf(stderr, _("Demo store in %s: %ld contacts, %ld incidents. Passphrase: %s\n"), cli->dir,
		nc, ni, pass);
	return 0;
}

int
cmd_demo(struct cli *cli, int argc, char **argv)
{
	int rc;

	if (cli_wants_help(argc, argv)) {
		printf("%s", _("Usage: cimic [--store DIR] demo\n"
			       "Creates a store filled with demonstration contacts and incidents (in a new\n"
			       "directory under /tmp unless --store is given) and prints where it is.\n"
			       "Its passphrase is 'demo'. 'cimic --demo' does the same and opens the interface.\n"));
		return 0;
	}
	if (argc > 1)
		return cli_usage(cli, _("unexpected argument '%s'"), argv[1]);
	cli->cmd = "demo";
	if ((rc = cli_demo_create(cli)) != 0)
		return rc;
	printf("%s\n", cli->dir);
	return 0;
}
