/*
 * cmd-contact.c - `cimic contact add|list|show|edit|rm` and the
 * duplicate handling `contact merge LOSER WINNER` / `contact unmerge ID`.
 */
#include <string.h>

#include "cimic/i18n.h"
#include "cimic/oplog.h"
#include "commands.h"

static int
contact_merge(struct cli *cli, int argc, char **argv, bool merge)
{
	unsigned char loser[CIMIC_ID_BYTES], winner[CIMIC_ID_BYTES];
	struct oplog_txn *txn;
	struct cimic_error err;
	int rc;

	cli->cmd = merge ? "contact merge" : "contact unmerge";
	if (argc != (merge ? 3 : 2))
		return cli_usage(cli, merge ? _("give LOSER and WINNER ids") : _("give one contact id"));
	if ((rc = cli_open(cli)) != 0)
		return rc;
	if (model_resolve_id(cli->st, MODEL_CONTACT, argv[1], loser, &err) != 0 ||
	    (merge && model_resolve_id(cli->st, MODEL_CONTACT, argv[2], winner, &err) != 0) ||
	    oplog_begin(cli->st, &txn, &err) != 0)
		return cli_fail(cli, &err);
	rc = merge ? model_merge(txn, loser, winner, &err) : model_unmerge(txn, loser, &err);
	if (rc != 0) {
		oplog_abort(txn);
		return cli_fail(cli, &err);
	}
	if (oplog_commit(txn, &err) != 0)
		return cli_fail(cli, &err);
	fprintf(stderr, "%s\n", merge ? _("merged (undo with 'cimic contact unmerge LOSER')")
				      : _("unmerged"));
	return 0;
}

int
cmd_contact(struct cli *cli, int argc, char **argv)
{
	if (argc >= 2 && strcmp(argv[1], "merge") == 0)
		return contact_merge(cli, argc - 1, argv + 1, true);
	if (argc >= 2 && strcmp(argv[1], "unmerge") == 0)
		return contact_merge(cli, argc - 1, argv + 1, false);
	return cli_record_main(cli, MODEL_CONTACT, argc, argv);
}
