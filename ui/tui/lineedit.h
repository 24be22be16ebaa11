/*
 * lineedit.h - a one-line text editor over wide characters, with the
 * readline keys officers know from the shell.
 *
 * The core knows nothing of curses: callers translate terminal keys to
 * enum le_key (or pass characters, control characters included), and
 * ask lineedit_view() which part fits a given number of columns.  That
 * keeps it testable (tests/unit/test-lineedit.c) and lets the form, the
 * search line, the command line and the passphrase prompt share it.
 *
 * The text is kept as wchar_t so that cursor movement and deletion work
 * on characters (Cyrillic is two bytes in UTF-8, one column on screen);
 * widths come from wcwidth().  The value at lineedit_set() time is kept
 * so that Esc can give it back unchanged.  A secret editor wipes every
 * buffer it drops.
 *
 * Ownership: struct lineedit owns its buffers; lineedit_finish() frees
 * them.  Needs a UTF-8 LC_CTYPE for the UTF-8 conversions.
 */
#ifndef CIMIC_UI_LINEEDIT_H
#define CIMIC_UI_LINEEDIT_H

#include <stdbool.h>
#include <stddef.h>
#include <wchar.h>

/* Keys that are not characters. */
enum le_key {
	LE_KEY_NONE = 0,
	LE_KEY_LEFT, LE_KEY_RIGHT, LE_KEY_HOME, LE_KEY_END,
	LE_KEY_BACKSPACE, LE_KEY_DELETE,
	LE_KEY_WORD_LEFT, LE_KEY_WORD_RIGHT,
	LE_KEY_UP, LE_KEY_DOWN, LE_KEY_ENTER, LE_KEY_ESCAPE, LE_KEY_TAB, LE_KEY_BACKTAB,
};

/* What a key did, for the caller to act on. */
enum le_result {
	LE_IGNORED = 0,   /* not an editing key: the caller may use it */
	LE_MOVED,         /* cursor moved, text unchanged */
	LE_CHANGED,       /* text changed */
	LE_ACCEPT,        /* Enter */
	LE_CANCEL,        /* Esc or Ctrl-G: text restored to the original */
	LE_NEXT,          /* Tab or Down */
	LE_PREV,          /* Shift-Tab or Up */
};

struct lineedit {
	wchar_t *buf;       /* len characters, NUL terminated */
	size_t len, cap, cur;
	size_t max;         /* most characters accepted (0: 4096) */
	wchar_t *orig;      /* value given to lineedit_set (for cancel) */
	wchar_t *yank;      /* last killed text (Ctrl-Y puts it back) */
	bool secret;        /* wipe memory; never shown */
	size_t scroll;      /* first character shown (kept by lineedit_view) */
	bool selected;      /* the whole text is selected: typing replaces it, a move keeps it */
};

void lineedit_init(struct lineedit *le, size_t max, bool secret);
void lineedit_finish(struct lineedit *le);

/* Replaces the text (cursor at the end) and remembers it as the original. 0 or -1 (bad UTF-8 / OOM). */
int lineedit_set(struct lineedit *le, const char *utf8);
/* Replaces the text as if typed: the original stays, so the field counts as changed. */
int lineedit_replace(struct lineedit *le, const char *utf8);
/* Empties the text (the original is kept). */
void lineedit_clear(struct lineedit *le);

/* The text as UTF-8. OUT: caller frees (NULL on OOM). */
char *lineedit_utf8(const struct lineedit *le);
/* The text as UTF-8 into buf (for secrets, which must not go to malloc). -1 if it does not fit. */
int lineedit_utf8_into(const struct lineedit *le, char *buf, size_t bufsize, size_t *outlen);

/*
 * Selects the whole text (when there is any), as a field does when the
 * cursor enters it: a typed character or a paste replaces the value,
 * Backspace/Delete empty it, a cursor movement ends the selection and
 * keeps the text.
 */
void lineedit_select_all(struct lineedit *le);

/* Has the text changed since lineedit_set? */
bool lineedit_dirty(const struct lineedit *le);

/* A special key. */
enum le_result lineedit_key(struct lineedit *le, enum le_key key);
/* A character: printable ones are inserted, control ones are the readline keys. */
enum le_result lineedit_char(struct lineedit *le, wchar_t wc);

/*
 * Which characters fit in `cols` columns with the cursor visible:
 * sets *first (first character to draw; also kept in le->scroll so the
 * view does not jump) and *cursor_col (column of the cursor from the
 * start of the area).  Returns the number of characters to draw.
 */
size_t lineedit_view(struct lineedit *le, int cols, size_t *first, int *cursor_col);

/* Display width of one character (0 for combining marks, 1 for unknown control characters). */
int lineedit_wcwidth(wchar_t wc);

#endif
