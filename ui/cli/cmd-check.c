/* cmd-check.c - `cimic check`: authenticate every page, verify every entry. */
#include "cimic/i18n.h"
#include "commands.h"

int
cmd_check(struct cli *cli, int argc, char **argv)
{
	struct store_check_report rep;
	struct cimic_error err;
	int rc;

	if (cli_wants_help(argc, argv)) {
		printf("%s", _("Usage: cimic check\n"
			       "Authenticates every page of the encrypted store, runs SQLite's integrity check,\n"
			       "verifies the signature and chain of every op-log entry, and the derived tables.\n"
			       "Exit status 0 when all is well, 65 when damage or tampering is found.\n"));
		return 0;
	}
	if (argc > 1)
		return cli_usage(cli, _("unexpected argument '%s'"), argv[1]);
	if ((rc = cli_open(cli)) != 0)
		return rc;
	if (store_check(cli->st, &rep, &err) != 0)
		return cli_fail(cli, &err);
	printf(_("ok: %ld pages authenticated, %ld entries and %ld ops verified\n"), rep.pages,
	       rep.entries, rep.ops);
	if (rep.problems > 0)
		printf(P_("warning: %ld entry does not follow its author's chain (a fork)\n",
			  "warning: %ld entries do not follow their author's chain (forks)\n",
			  (unsigned long)rep.problems), rep.problems);
	if (rep.conflicts > 0)
		printf(P_("%ld field in conflict\n", "%ld fields in conflict\n",
			  (unsigned long)rep.conflicts), rep.conflicts);
	return 0;
}
