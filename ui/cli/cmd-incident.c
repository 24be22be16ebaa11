/* cmd-incident.c - `cimic incident add|list|show|edit|rm`. */
#include "commands.h"

int
cmd_incident(struct cli *cli, int argc, char **argv)
{
	return cli_record_main(cli, MODEL_INCIDENT, argc, argv);
}
