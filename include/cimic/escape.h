/*
 * escape.h - text from the store or from a file, made safe to show on a
 * terminal (DESIGN.md section 6).
 *
 * A contact name from another unit, a note in a vCard or a file name on
 * a courier's drive may hold bytes that a terminal obeys instead of
 * showing: ESC sequences that move the cursor, clear the screen, set the
 * window title or answer back; C1 controls (U+0080-U+009F, CSI among
 * them); a carriage return that overwrites the start of a line; bidi
 * overrides and isolates that show text in another order than it is
 * stored.  Everything that prints such text to a terminal passes it
 * through escape_terminal() first, which shows each of them as a
 * visible escape:
 *
 *   ESC          \e          CR, LF, TAB  \r \n \t (LF and TAB kept when asked)
 *   other C0, DEL \x07 ...   C1           \u009b ...
 *   U+202A-U+202E, U+2066-U+2069          \u202e ...
 *   a byte that is not valid UTF-8        \xff ...
 *
 * A backslash is left as it is: the escapes are for a reader, not a
 * parser, so "\e" typed by someone and an escaped ESC look the same, and
 * neither does anything to the terminal.  JSON output does not go
 * through here: buf_json_str() writes the same characters as \u
 * escapes, which keeps the document valid and exact.
 */
#ifndef CIMIC_ESCAPE_H
#define CIMIC_ESCAPE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cimic/util.h"

enum escape_flags {
	ESCAPE_KEEP_NEWLINE = 1,   /* LF stays a line break (multi-line layouts) */
	ESCAPE_KEEP_TAB = 2,       /* TAB stays a tab */
};

/* Does the code point need escaping (LF and TAB aside, see the flags)? */
bool escape_terminal_needed(uint32_t cp);
/* Is the whole text already safe to print as it is? */
bool escape_terminal_safe(const char *s, size_t n, unsigned flags);
/* Appends s (n bytes) to out with every unsafe character escaped. */
void escape_terminal(struct buf *out, const char *s, size_t n, unsigned flags);
/* The same into a fresh string (NULL s gives ""). OUT: caller frees; NULL when out of memory. */
char *escape_terminal_dup(const char *s, unsigned flags);

#endif
