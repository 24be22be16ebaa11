/*
 * test-escape.c - text made safe for a terminal (escape.h), and the
 * same characters kept exact but inert in JSON (buf_json_str).
 */
#include <stdlib.h>

#include "cimic/escape.h"
#include "cimic/util.h"
#include "util_private.h"
#include "tap.h"

static const struct {
	const char *in;
	unsigned flags;
	const char *out;
	const char *what;
} cases[] = {
	{ "Олена Петренко", 0, "Олена Петренко", "Cyrillic stays as it is" },
	{ "a\\eb", 0, "a\\eb", "a typed backslash stays as it is" },
	{ "\x1b[2Jevil", 0, "\\e[2Jevil", "ESC (clear screen) becomes \\e" },
	{ "\x1b]0;title\x07", 0, "\\e]0;title\\x07", "OSC title with BEL" },
	{ "line\rHQ says ok", 0, "line\\rHQ says ok", "CR cannot overwrite the line" },
	{ "a\nb\tc", 0, "a\\nb\\tc", "LF and TAB escaped on one-line output" },
	{ "a\nb\tc", ESCAPE_KEEP_NEWLINE | ESCAPE_KEEP_TAB, "a\nb\tc", "LF and TAB kept when asked" },
	{ "a\nb", ESCAPE_KEEP_TAB, "a\\nb", "only what is asked is kept" },
	{ "x\x01y\x7fz", 0, "x\\x01y\\x7fz", "other C0 and DEL as \\xNN" },
	{ "\xc2\x9b" "31m", 0, "\\u009b31m", "C1 CSI (U+009B) as \\u009b" },
	{ "\xc2\x85", 0, "\\u0085", "C1 NEL" },
	{ "\xc2\xa0", 0, "\xc2\xa0", "U+00A0 is not a control" },
	{ "abc\xe2\x80\xae" "fdp.exe", 0, "abc\\u202efdp.exe", "RLO override shown" },
	{ "\xe2\x80\xaa\xe2\x81\xa6\xe2\x81\xa9", 0, "\\u202a\\u2066\\u2069", "embeddings and isolates" },
	{ "\xe2\x80\x8f", 0, "\xe2\x80\x8f", "RLM (a mark, not an override) kept" },
	{ "bad\xff\x9b" "x", 0, "bad\\xff\\x9bx", "bytes that are not UTF-8" },
	{ "\xc0\xaf", 0, "\\xc0\\xaf", "an overlong encoding" },
	{ "\xe2\x80", 0, "\\xe2\\x80", "a truncated sequence" },
};

int
main(void)
{
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char *got = escape_terminal_dup(cases[i].in, cases[i].flags);
		bool safe = escape_terminal_safe(cases[i].in, strlen(cases[i].in), cases[i].flags);
		is_str(got, cases[i].out, "%s", cases[i].what);
		ok(safe == (strcmp(cases[i].in, cases[i].out) == 0), "safe() agrees: %s", cases[i].what);
		ok(got && escape_terminal_safe(got, strlen(got), 0) ==
			       (strchr(got, '\n') == NULL && strchr(got, '\t') == NULL),
		   "the escaped text is itself safe: %s", cases[i].what);
		free(got);
	}
	{
		char *e = escape_terminal_dup(NULL, 0);
		is_str(e, "", "NULL is the empty text");
		free(e);
	}
	{
		struct buf b;
		buf_init(&b);
		buf_json_str(&b, "a\x1b[1m\xc2\x9b\x7f\xe2\x80\xae\xe2\x81\xa8z\xe2\x80\x8f");
		is_str(buf_cstr(&b), "\"a\\u001b[1m\\u009b\\u007f\\u202e\\u2068z\xe2\x80\x8f\"",
		       "JSON: ESC, C1, DEL and bidi overrides as \\u escapes (valid JSON, same text)");
		buf_finish(&b);
	}
	{
		uint32_t cp = 0;
		is_int(util_utf8_next("\xd0\x96", 2, &cp), 2, "decoder: length of Ж");
		is_int(cp, 0x416, "decoder: code point of Ж");
		is_int(util_utf8_next("\xd0", 1, &cp), 0, "decoder: truncated");
		is_int(util_utf8_next("\xed\xa0\x80", 3, &cp), 0, "decoder: a surrogate");
	}
	return done_testing();
}
