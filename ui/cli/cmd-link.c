/* cmd-link.c - `cimic link add|rm INCIDENT CONTACT`. */
#include <string.h>

#include "cimic/i18n.h"
#include "cimic/oplog.h"
#include "commands.h"

int
cmd_link(struct cli *cli, int argc, char **argv)
{
	unsigned char inc[CIMIC_ID_BYTES], con[CIMIC_ID_BYTES];
	struct oplog_txn *txn;
	struct cimic_error err;
	bool on;
	int rc;

	if (cli_wants_help(argc, argv)) {
		printf("%s", _("Usage: cimic link add INCIDENT CONTACT\n"
			       "       cimic link rm INCIDENT CONTACT\n"));
		return 0;
	}
	if (argc != 4 || (strcmp(argv[1], "add") != 0 && strcmp(argv[1], "rm") != 0))
		return cli_usage(cli, _("expected 'link add|rm INCIDENT CONTACT'"));
	on = strcmp(argv[1], "add") == 0;
	cli->cmd = on ? "link add" : "link rm";
	if ((rc = cli_open(cli)) != 0)
		return rc;
	if (model_resolve_id(cli->st, MODEL_INCIDENT, argv[2], inc, &err) != 0 ||
	    model_resolve_id(cli->st, MODEL_CONTACT, argv[3], con, &err) != 0 ||
	    oplog_begin(cli->st, &txn, &err) != 0)
		return cli_fail(cli, &err);
	if (model_link(txn, inc, con, on, &err) != 0) {
		oplog_abort(txn);
		return cli_fail(cli, &err);
	}
	return oplog_commit(txn, &err) != 0 ? cli_fail(cli, &err) : 0;
}
