/*
 * cli.h - the command-line front end: a table of commands, one file
 * each (cmd-*.c), and the helpers they share.
 *
 * Only ui/ prints or decides exit codes.  A command returns an exit
 * status (sysexits values, see cimic/error.h); errors are printed as
 * one line "cimic: what failed: why" by cli_fail().
 */
#ifndef CIMIC_UI_CLI_H
#define CIMIC_UI_CLI_H

#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>

#include "cimic/error.h"
#include "cimic/model.h"
#include "cimic/store.h"

struct cli {
	const char *store_flag;       /* --store */
	const char *passphrase_file;  /* --passphrase-file */
	char *dir;                    /* resolved data directory, owned */
	struct store *st;             /* open store or NULL, owned */
	const char *cmd;              /* "contact add" etc., for messages */
};

struct cli_command {
	const char *name;
	int (*run)(struct cli *cli, int argc, char **argv);
	const char *summary;          /* N_() */
};

/* The command table (ui/cli/commands.c). */
extern const struct cli_command cli_commands[];

/* Prints "cimic: <cmd>: <msg>" and returns the exit status of err. */
int cli_fail(struct cli *cli, const struct cimic_error *err);
/* Prints a usage error with a hint to --help; returns 64. */
int cli_usage(struct cli *cli, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Opens the store (asks for the passphrase); returns 0 or an exit status. */
int cli_open(struct cli *cli);
void cli_close(struct cli *cli);

/*
 * Reads a passphrase: --passphrase-file, $CIMIC_PASSPHRASE, or the tty
 * without echo (twice when `confirm`).  OUT *pass: sodium_malloc'd,
 * free with cli_passphrase_free().  Returns 0 or an exit status.
 */
int cli_passphrase(struct cli *cli, const char *prompt, bool confirm, char **pass, size_t *len);
void cli_passphrase_free(char *pass);

/* Command name lookup for `cimic help CMD` and dispatch. */
const struct cli_command *cli_find(const char *name);

/* Prints text padded/truncated to `width` display columns (UTF-8 aware). */
void cli_print_cell(FILE *f, const char *s, int width);

/* A count with thousands separators ("2,514"; the separator is translated). buf >= 32. */
void cli_count_text(long n, char *buf, size_t size);

/* --- record commands shared by contact and incident (cli-record.c) --- */
int cli_record_main(struct cli *cli, enum model_kind kind, int argc, char **argv);

/* Creates the demonstration store (cmd-demo.c); returns 0 or an exit status. */
int cli_demo_create(struct cli *cli);

/* Returns true when the first argument asks for help. */
bool cli_wants_help(int argc, char **argv);

#endif
