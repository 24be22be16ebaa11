/*
 * cmd-wipe.c - `cimic wipe --yes`: panic wipe.  Destroys the keyfile so
 * no passphrase can ever open the store again (crypto-shredding).
 */
#include <string.h>

#include "cimic/i18n.h"
#include "commands.h"

int
cmd_wipe(struct cli *cli, int argc, char **argv)
{
	struct cimic_error err;

	if (cli_wants_help(argc, argv)) {
		printf("%s", _("Usage: cimic wipe --yes\n"
			       "Destroys the key of the store at once: afterwards no passphrase can open it.\n"
			       "No passphrase is needed, so this works under pressure. It cannot be undone.\n"));
		return 0;
	}
	if (argc != 2 || strcmp(argv[1], "--yes") != 0)
		return cli_usage(cli, _("this destroys the store for good; confirm with 'cimic wipe --yes'"));
	if (store_wipe(cli->dir, &err) != 0)
		return cli_fail(cli, &err);
	printf(_("Wiped: the key of %s is destroyed; its data can never be read again.\n"), cli->dir);
	return 0;
}
