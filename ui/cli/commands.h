/* commands.h - entry points of the subcommands (one file each). */
#ifndef CIMIC_UI_COMMANDS_H
#define CIMIC_UI_COMMANDS_H

#include "cli.h"

int cmd_init(struct cli *cli, int argc, char **argv);
int cmd_id(struct cli *cli, int argc, char **argv);
int cmd_contact(struct cli *cli, int argc, char **argv);
int cmd_incident(struct cli *cli, int argc, char **argv);
int cmd_link(struct cli *cli, int argc, char **argv);
int cmd_search(struct cli *cli, int argc, char **argv);
int cmd_check(struct cli *cli, int argc, char **argv);
int cmd_passwd(struct cli *cli, int argc, char **argv);
int cmd_wipe(struct cli *cli, int argc, char **argv);
int cmd_demo(struct cli *cli, int argc, char **argv);
int cmd_export(struct cli *cli, int argc, char **argv);
int cmd_import(struct cli *cli, int argc, char **argv);
int cmd_report(struct cli *cli, int argc, char **argv);

#endif
