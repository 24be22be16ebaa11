/*
 * dialog.h - small modal dialogs drawn over the current screen.
 *
 * Each runs its own loop but reads events through app_event(), so the
 * idle lock fires over a dialog too and a quit signal cancels it.  They
 * redraw the screen beneath on every event, so a resize in the middle
 * of a dialog is harmless.
 */
#ifndef CIMIC_UI_DIALOG_H
#define CIMIC_UI_DIALOG_H

#include <stdbool.h>
#include <stddef.h>

#include "lineedit.h"
#include "tui-app.h"

/* Feeds a terminal event to a line editor (arrows, Home/End, Delete, characters). */
enum le_result dialog_edit(struct lineedit *le, const struct tui_event *ev);
/* Draws a line editor in w columns at (y, x) and puts the cursor there (secrets: nothing shown). */
void dialog_draw_edit(struct app *app, struct lineedit *le, int y, int x, int w, attr_t attr);

/*
 * One line of input on the message line after `label`.  Returns 0 with
 * *out (caller frees) on Enter, -1 on Esc or quit.
 */
int dialog_prompt(struct app *app, const char *label, const char *initial, char **out);
/* The same with a box of lines (lines[0] as a heading) kept on screen while typing. */
int dialog_prompt_box(struct app *app, const char *title, const char *const *lines, size_t n,
		      const char *label, const char *initial, char **out);

/* A list to choose from (Up/Down, 1-9, first letter, Enter). Index, or -1 on Esc. */
int dialog_pick(struct app *app, const char *title, const char *const *labels, size_t n,
		int current);
/* The same, numbering the labels from `first` (0: the digit 4 picks labels[4]). */
int dialog_pick_numbered(struct app *app, const char *title, const char *const *labels, size_t n,
			 int current, int first);

/*
 * Typed confirmation for destructive actions: the user must type `word`
 * (compared case-insensitively) and press Enter.  Never a y/n key: on
 * the Ukrainian layout the Y key types "н", which means no.
 */
bool dialog_confirm_word(struct app *app, const char *question, const char *word);
/* The comparison it makes: case-insensitive, in either keyboard layout. */
bool dialog_same_word(const char *typed, const char *word);

/* Shows a progress bar (0..1) with a detail line and refreshes; no input. */
void dialog_progress(struct app *app, const char *title, double frac, const char *detail);

/* A box of text lines; any key closes it. */
void dialog_text(struct app *app, const char *title, const char *const *lines, size_t n);

#endif
