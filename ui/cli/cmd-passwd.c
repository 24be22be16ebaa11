/* cmd-passwd.c - `cimic passwd`: rewrap the data key under a new passphrase. */
#include <stdlib.h>
#include <string.h>

#include "cimic/i18n.h"
#include "commands.h"

int
cmd_passwd(struct cli *cli, int argc, char **argv)
{
	struct cimic_error err;
	char *old, *new;
	size_t oldlen, newlen;
	const char *newfile = NULL;
	int rc;

	if (cli_wants_help(argc, argv)) {
		printf("%s", _("Usage: cimic passwd [--new-passphrase-file FILE]\n"
			       "Asks for the current and the new passphrase and rewraps the data key.\n"
			       "The database is not rewritten, so this takes as long as one unlock.\n"));
		return 0;
	}
	if (argc == 3 && strcmp(argv[1], "--new-passphrase-file") == 0)
		newfile = argv[2];
	else if (argc > 1)
		return cli_usage(cli, _("unexpected argument '%s'"), argv[1]);
	if (!store_exists(cli->dir)) {
		cimic_error_set(&err, CIMIC_ENOINPUT, _("no store in %s"), cli->dir);
		return cli_fail(cli, &err);
	}
	if ((rc = cli_passphrase(cli, _("Current passphrase: "), false, &old, &oldlen)) != 0)
		return rc;
	cli->passphrase_file = newfile;
	if (newfile == NULL)
		unsetenv("CIMIC_PASSPHRASE");
	if ((rc = cli_passphrase(cli, _("New passphrase: "), true, &new, &newlen)) != 0) {
		cli_passphrase_free(old);
		return rc;
	}
	if (store_passphrase_check(new, newlen, &err) != 0) {
		cli_passphrase_free(old);
		cli_passphrase_free(new);
		return cli_fail(cli, &err);
	}
	rc = store_passwd(cli->dir, old, oldlen, new, newlen, &err);
	cli_passphrase_free(old);
	cli_passphrase_free(new);
	if (rc != 0)
		return cli_fail(cli, &err);
	fprintf(stderr, "%s\n", _("passphrase changed"));
	return 0;
}
