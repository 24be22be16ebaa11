/*
 * main.c - composition root: locale, global options, then either a
 * subcommand from the table in cli/commands.c or the terminal UI.
 */
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>

#include <sodium.h>

#include "cimic/i18n.h"
#include "cli/cli.h"
#include "cli/commands.h"
#include "tui/tui.h"

static void
usage(FILE *f)
{
	fprintf(f, "%s", _("Usage: cimic [--store DIR] [--passphrase-file FILE] [COMMAND [ARGS]]\n"
			   "       cimic --demo        open the interface on a new demonstration store\n"
			   "Without a command, cimic opens its terminal interface.\n\nCommands:\n"));
	for (const struct cli_command *c = cli_commands; c->name != NULL; c++)
		fprintf(f, "  %-10s %s\n", c->name, _(c->summary));
	fprintf(f, "%s", _("\nThe store is --store DIR, else $CIMIC_HOME, else $XDG_DATA_HOME/cimic\n"
			   "(~/.local/share/cimic). The passphrase is asked on the terminal, or read from\n"
			   "--passphrase-file FILE or $CIMIC_PASSPHRASE.\n"
			   "'cimic COMMAND --help' tells more; see also cimic(1).\n"));
}

/*
 * No core dump, no ptrace by other processes of the user: a core of a
 * running cimic would hold SQLite's page cache (plaintext records).
 * Key material itself lives in sodium_malloc memory, locked and marked
 * MADV_DONTDUMP (DESIGN section 2).
 */
static void
harden_process(void)
{
	const struct rlimit none = { 0, 0 };

	(void)setrlimit(RLIMIT_CORE, &none);
	(void)prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
}

/* Takes "--opt VALUE" or "--opt=VALUE"; returns the value or NULL. */
static const char *
option_value(int *i, int argc, char **argv, const char *name)
{
	size_t n = strlen(name);

	if (strncmp(argv[*i], name, n) != 0)
		return NULL;
	if (argv[*i][n] == '=')
		return argv[*i] + n + 1;
	if (argv[*i][n] == '\0' && *i + 1 < argc)
		return argv[++*i];
	return NULL;
}

int
main(int argc, char **argv)
{
	struct cli cli = { 0 };
	const struct cli_command *cmd;
	bool demo = false;
	const char *v;
	int i, rc;

	harden_process();
	/* every file cimic creates holds secrets or their ciphertext */
	umask(077);
	setlocale(LC_ALL, "");
	bindtextdomain(GETTEXT_PACKAGE, getenv("CIMIC_LOCALEDIR") ? getenv("CIMIC_LOCALEDIR") : LOCALEDIR);
	bind_textdomain_codeset(GETTEXT_PACKAGE, "UTF-8");
	textdomain(GETTEXT_PACKAGE);
	if (sodium_init() < 0) {
		fprintf(stderr, "cimic: %s\n", _("cannot initialise libsodium"));
		return CIMIC_EFAIL;
	}
	for (i = 1; i < argc && argv[i][0] == '-'; i++) {
		if ((v = option_value(&i, argc, argv, "--store")) != NULL) {
			cli.store_flag = v;
		} else if ((v = option_value(&i, argc, argv, "--passphrase-file")) != NULL) {
			cli.passphrase_file = v;
		} else if (strcmp(argv[i], "--demo") == 0) {
			demo = true;
		} else if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
			usage(stdout);
			return 0;
		} else if (strcmp(argv[i], "--version") == 0 || strcmp(argv[i], "-V") == 0) {
			printf("cimic %s\n", CIMIC_VERSION);
			return 0;
		} else {
			fprintf(stderr, _("cimic: unknown option '%s'\n"), argv[i]);
			fprintf(stderr, "%s\n", _("Try 'cimic --help'."));
			return CIMIC_EUSAGE;
		}
	}
	cli.dir = store_default_dir(cli.store_flag);
	if (cli.dir == NULL)
		return CIMIC_EFAIL;
	if (i == argc) {
		rc = tui_main(&cli, demo);
	} else if ((cmd = cli_find(argv[i])) != NULL) {
		cli.cmd = cmd->name;
		rc = cmd->run(&cli, argc - i, argv + i);
	} else if (strcmp(argv[i], "help") == 0) {
		if (i + 1 < argc && (cmd = cli_find(argv[i + 1])) != NULL) {
			char *help[] = { argv[i + 1], (char *)"--help", NULL };
			cli.cmd = cmd->name;
			rc = cmd->run(&cli, 2, help);
		} else {
			usage(stdout);
			rc = 0;
		}
	} else {
		fprintf(stderr, _("cimic: unknown command '%s'\n"), argv[i]);
		fprintf(stderr, "%s\n", _("Try 'cimic --help'."));
		rc = CIMIC_EUSAGE;
	}
	cli_close(&cli);
	free(cli.dir);
	if (fflush(stdout) != 0 && rc == 0)
		rc = CIMIC_EIO;
	return rc;
}
