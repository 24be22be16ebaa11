/*
 * test-lineedit.c - the TUI's line editor, without curses: UTF-8 in and
 * out, Cyrillic cursor movement, readline keys, cancel, secrets, and
 * the horizontal view by display columns.
 */
#include <locale.h>
#include <stdlib.h>

#include "tap.h"
#include "tui/lineedit.h"

static char *
text(const struct lineedit *le)
{
	static char buf[4096];
	char *s = lineedit_utf8(le);

	snprintf(buf, sizeof buf, "%s", s ? s : "(null)");
	free(s);
	return buf;
}

static void
type(struct lineedit *le, const wchar_t *s)
{
	for (; *s; s++)
		lineedit_char(le, *s);
}

static void
test_cyrillic(void)
{
	struct lineedit le;

	lineedit_init(&le, 0, false);
	is_int(lineedit_set(&le, "Київ"), 0, "set Cyrillic text");
	is_int(le.len, 4, "four characters, not eight bytes");
	is_int(le.cur, 4, "cursor at the end");
	lineedit_key(&le, LE_KEY_LEFT);
	lineedit_key(&le, LE_KEY_BACKSPACE);
	is_str(text(&le), "Кив", "backspace removes one Cyrillic character");
	type(&le, L"ї");
	is_str(text(&le), "Київ", "insert in the middle");
	ok(lineedit_dirty(&le) == false, "same text again is not dirty");
	lineedit_key(&le, LE_KEY_HOME);
	lineedit_key(&le, LE_KEY_DELETE);
	is_str(text(&le), "иїв", "delete at home");
	ok(lineedit_dirty(&le), "changed text is dirty");
	is_int(lineedit_char(&le, 27), LE_CANCEL, "Esc cancels");
	is_str(text(&le), "Київ", "cancel restores the original");
	lineedit_finish(&le);
}

static void
test_readline_keys(void)
{
	struct lineedit le;

	lineedit_init(&le, 0, false);
	lineedit_set(&le, "");
	type(&le, L"обстріл школи в Херсоні");
	lineedit_char(&le, 23);   /* C-w */
	is_str(text(&le), "обстріл школи в ", "C-w kills the last word");
	lineedit_char(&le, 25);   /* C-y */
	is_str(text(&le), "обстріл школи в Херсоні", "C-y yanks it back");
	lineedit_char(&le, 1);    /* C-a */
	is_int(le.cur, 0, "C-a goes home");
	lineedit_char(&le, 6);    /* C-f */
	lineedit_char(&le, 11);   /* C-k */
	is_str(text(&le), "о", "C-k kills to the end");
	lineedit_char(&le, 5);    /* C-e */
	type(&le, L"б'єкт");
	lineedit_char(&le, 2);    /* C-b */
	lineedit_char(&le, 21);   /* C-u */
	is_str(text(&le), "т", "C-u kills to the start");
	lineedit_set(&le, "пʼять хвилин");
	lineedit_key(&le, LE_KEY_WORD_LEFT);
	is_int(le.cur, 6, "word left stops at the word start");
	lineedit_key(&le, LE_KEY_WORD_LEFT);
	is_int(le.cur, 0, "the modifier apostrophe is part of the word");
	is_int(lineedit_char(&le, '\r'), LE_ACCEPT, "Enter accepts");
	is_int(lineedit_char(&le, '\t'), LE_NEXT, "Tab moves to the next field");
	is_int(lineedit_key(&le, LE_KEY_UP), LE_PREV, "Up moves to the previous field");
	is_int(lineedit_char(&le, 0x90), LE_IGNORED, "C1 control characters are ignored");
	lineedit_finish(&le);
}

static void
test_limits_and_secret(void)
{
	struct lineedit le;
	char buf[8];
	size_t n;

	lineedit_init(&le, 3, true);
	type(&le, L"абвгд");
	is_int(le.len, 3, "max characters respected");
	is_int(lineedit_utf8_into(&le, buf, sizeof buf, &n), 0, "secret copied into caller memory");
	is_int(n, 6, "six bytes of UTF-8");
	is_int(lineedit_utf8_into(&le, buf, 4, &n), -1, "too small a buffer is refused");
	lineedit_clear(&le);
	is_int(le.len, 0, "clear empties");
	for (int i = 0; i < 100; i++)
		lineedit_char(&le, L'я');
	is_int(le.len, 3, "still bounded after growth attempts");
	lineedit_finish(&le);
}

static void
test_view(void)
{
	struct lineedit le;
	size_t first, n;
	int col;

	lineedit_init(&le, 0, false);
	lineedit_set(&le, "Запоріжжя, вул. Соборна 12");
	n = lineedit_view(&le, 10, &first, &col);
	ok(col <= 9, "cursor inside 10 columns (col %d)", col);
	ok(first > 0, "scrolled to show the cursor at the end");
	ok(n <= 10, "at most 10 characters drawn");
	lineedit_key(&le, LE_KEY_HOME);
	n = lineedit_view(&le, 10, &first, &col);
	is_int(first, 0, "home scrolls back");
	is_int(col, 0, "cursor at column 0");
	is_int(n, 10, "ten one-column characters fit");
	lineedit_set(&le, "日本語テキスト");
	n = lineedit_view(&le, 6, &first, &col);
	ok(col <= 5, "wide characters: cursor stays inside");
	lineedit_key(&le, LE_KEY_HOME);
	n = lineedit_view(&le, 6, &first, &col);
	is_int(n, 3, "three double-width characters in six columns");
	lineedit_set(&le, "е\xcc\x81");
	is_int(lineedit_wcwidth(L'\x301'), 0, "combining stress mark has width 0");
	lineedit_finish(&le);
}

/* A pre-filled value is selected on entry: typing replaces it, never appends to it. */
static void
test_select_all(void)
{
	struct lineedit le;

	lineedit_init(&le, 0, false);
	lineedit_set(&le, "37U CQ 72430 52143");
	lineedit_select_all(&le);
	type(&le, L"37U DQ 12345 67890");
	is_str(text(&le), "37U DQ 12345 67890", "typing into a selected value replaces it");
	type(&le, L"1");
	is_str(text(&le), "37U DQ 12345 678901", "after the first key, typing inserts");
	lineedit_set(&le, "Харків");
	lineedit_select_all(&le);
	is_int(lineedit_key(&le, LE_KEY_BACKSPACE), LE_CHANGED, "Backspace on a selection changes");
	is_str(text(&le), "", "Backspace empties a selected value");
	lineedit_set(&le, "Харків");
	lineedit_select_all(&le);
	lineedit_key(&le, LE_KEY_LEFT);
	type(&le, L"ь");
	is_str(text(&le), "Харкіьв", "a cursor move ends the selection and keeps the text");
	lineedit_set(&le, "127.0.0.1:7999");
	lineedit_select_all(&le);
	lineedit_char(&le, 5);   /* ^E */
	type(&le, L"0");
	is_str(text(&le), "127.0.0.1:79990", "^E keeps the value and appends");
	lineedit_set(&le, "");
	lineedit_select_all(&le);
	ok(!le.selected, "an empty value is not selected");
	lineedit_finish(&le);
}

int
main(void)
{
	if (setlocale(LC_ALL, "C.UTF-8") == NULL && setlocale(LC_ALL, "en_US.UTF-8") == NULL) {
		printf("1..0 # SKIP no UTF-8 locale\n");
		return 77;
	}
	test_cyrillic();
	test_readline_keys();
	test_limits_and_secret();
	test_view();
	test_select_all();
	return done_testing();
}
