/*
 * tui.h - the terminal interface (ncursesw), one file per screen.
 */
#ifndef CIMIC_UI_TUI_H
#define CIMIC_UI_TUI_H

#include <stdbool.h>

struct cli;

/* Runs the interface on cli->dir (demo: on a new demonstration store). Returns an exit status. */
int tui_main(struct cli *cli, bool demo);

#endif
