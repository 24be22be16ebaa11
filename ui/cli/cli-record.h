/* cli-record.h - subcommands shared by `contact` and `incident`. */
#ifndef CIMIC_UI_CLI_RECORD_H
#define CIMIC_UI_CLI_RECORD_H

#include "cli.h"

int cli_record_add(struct cli *cli, enum model_kind kind, int argc, char **argv);
int cli_record_edit(struct cli *cli, enum model_kind kind, int argc, char **argv);
int cli_record_rm(struct cli *cli, enum model_kind kind, int argc, char **argv);
int cli_record_list(struct cli *cli, enum model_kind kind, int argc, char **argv);
int cli_record_show(struct cli *cli, enum model_kind kind, int argc, char **argv);
/* Usage text of `cimic contact|incident`. */
void cli_record_help(enum model_kind kind, FILE *f);

#endif
