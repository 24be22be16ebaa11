/*
 * cmd-contact.c - `cimic contact add|list|show|edit|rm` and the
 * duplicate handling `contact duplicates`, `contact merge LOSER WINNER`
 * and `contact unmerge ID` (cmd-duplicates.c).
 */
#include <string.h>

#include "commands.h"

int
cmd_contact(struct cli *cli, int argc, char **argv)
{
	if (argc >= 2 && strcmp(argv[1], "duplicates") == 0)
		return cli_duplicates(cli, MODEL_CONTACT, argc - 1, argv + 1);
	if (argc >= 2 && strcmp(argv[1], "merge") == 0)
		return cli_merge(cli, MODEL_CONTACT, argc - 1, argv + 1, true);
	if (argc >= 2 && strcmp(argv[1], "unmerge") == 0)
		return cli_merge(cli, MODEL_CONTACT, argc - 1, argv + 1, false);
	return cli_record_main(cli, MODEL_CONTACT, argc, argv);
}
