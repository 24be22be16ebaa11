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
int cmd_peer(struct cli *cli, int argc, char **argv);
int cmd_share(struct cli *cli, int argc, char **argv);
int cmd_bundle(struct cli *cli, int argc, char **argv);
int cmd_sync(struct cli *cli, int argc, char **argv);
int cmd_conflicts(struct cli *cli, int argc, char **argv);
int cmd_review(struct cli *cli, int argc, char **argv);
int cmd_serve(struct cli *cli, int argc, char **argv);
int cmd_publish(struct cli *cli, int argc, char **argv);

/* Shared between the files of one command family. */
/* `contact|incident duplicates` and `merge` / `unmerge` (cmd-duplicates.c). */
int cli_duplicates(struct cli *cli, enum model_kind kind, int argc, char **argv);
int cli_merge(struct cli *cli, enum model_kind kind, int argc, char **argv, bool merge);
struct oplog_conflict;
int cmd_bundle_inspect(struct cli *cli, int argc, char **argv);
int cli_conflicts_resolve(struct cli *cli, const struct oplog_conflict *c, const char *keep);
/* `sync --link` (cmd-sync-link.c), and the line that describes a link session. */
struct link_stats;
int cmd_sync_link(struct cli *cli, int argc, char **argv);
bool cli_sync_wants_link(int argc, char **argv);
void cli_link_describe(FILE *f, const struct link_stats *s);

#endif
