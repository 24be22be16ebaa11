/*
 * cmd-passwd.c - `cimic passwd`: rewrap the data key under a new
 * passphrase; with --rekey, a new data key and every page re-encrypted.
 */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cimic/i18n.h"
#include "commands.h"

/* "re-encrypting: N of M pages", rewritten in place on a terminal, every 10 % otherwise. */
static void
rekey_progress(void *ctx, long done, long total)
{
	int *last = ctx, pct = total > 0 ? (int)(done * 100 / total) : 100;

	if (isatty(2))
		fprintf(stderr, _("\rre-encrypting: %ld of %ld pages (%d%%)"), done, total, pct);
	else if (pct / 10 != *last / 10 || done == total)
		fprintf(stderr, _("re-encrypting: %ld of %ld pages (%d%%)\n"), done, total, pct);
	else
		return;
	*last = pct;
}

int
cmd_passwd(struct cli *cli, int argc, char **argv)
{
	struct cimic_error err;
	char *old, *new;
	size_t oldlen, newlen;
	const char *newfile = NULL;
	bool rekey = false;
	int rc, last = -10;

	if (cli_wants_help(argc, argv)) {
		printf("%s", _("Usage: cimic passwd [--rekey] [--new-passphrase-file FILE]\n"
			       "Asks for the current and the new passphrase and rewraps the data key.\n"
			       "The database is not rewritten, so this takes as long as one unlock.\n"
			       "--rekey also makes a new data key and re-encrypts every page under it\n"
			       "(progress is shown; an interrupted run is undone at the next open), so\n"
			       "old keyfile copies with old passphrases open nothing.\n"));
		return 0;
	}
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--rekey") == 0)
			rekey = true;
		else if (strcmp(argv[i], "--new-passphrase-file") == 0 && i + 1 < argc)
			newfile = argv[++i];
		else
			return cli_usage(cli, _("unexpected argument '%s'"), argv[i]);
	}
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
	if (rekey)
		rc = store_rekey(cli->dir, old, oldlen, new, newlen, rekey_progress, &last, &err);
	else
		rc = store_passwd(cli->dir, old, oldlen, new, newlen, &err);
	if (rekey && isatty(2) && last >= 0)
		fputc('\n', stderr);
	cli_passphrase_free(old);
	cli_passphrase_free(new);
	if (rc != 0)
		return cli_fail(cli, &err);
	fprintf(stderr, "%s\n", rekey ? _("passphrase changed and every page re-encrypted under a "
		"new data key") : _("passphrase changed"));
	return 0;
}
