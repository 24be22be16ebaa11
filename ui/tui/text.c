/*
 * text.c - UTF-8 text on stdscr, measured in display columns.
 *
 * The core hands out UTF-8; curses wants wide characters.  Everything
 * that reaches the screen passes through here, so widths always come
 * from wcwidth and text is cut on character boundaries.  Text from the
 * store or a file may hold ESC sequences, C1 controls or bidi
 * overrides: it is escaped first (cimic/escape.h: \e, \x07, \u202e),
 * so what is measured, cut and drawn is the visible escape, never the
 * control itself; whatever still decodes badly becomes '?'.
 */
#include <stdlib.h>
#include <string.h>

#include "cimic/escape.h"
#include "lineedit.h"
#include "tui-app.h"

#define SAFE_FLAGS (ESCAPE_KEEP_NEWLINE | ESCAPE_KEEP_TAB)

/* s itself when it is safe, else an escaped copy in *copy (caller frees). */
static const char *
safe_text(const char *s, char **copy)
{
	*copy = NULL;
	if (s == NULL)
		return "";
	if (escape_terminal_safe(s, strlen(s), SAFE_FLAGS))
		return s;
	*copy = escape_terminal_dup(s, SAFE_FLAGS);
	return *copy != NULL ? *copy : "?";
}

/* Decodes the next character; invalid bytes become '?' (one byte). */
static size_t
next_char(const char *p, wchar_t *wc)
{
	mbstate_t ps;
	size_t k;

	memset(&ps, 0, sizeof ps);
	k = mbrtowc(wc, p, MB_CUR_MAX, &ps);
	if (k == (size_t)-1 || k == (size_t)-2 || k == 0) {
		*wc = L'?';
		return 1;
	}
	if (*wc < 32 || *wc == 127 || (*wc >= 0x80 && *wc < 0xA0))
		*wc = (*wc == L'\n' || *wc == L'\t') ? L' ' : L'?';
	return k;
}

static int
safe_width(const char *s)
{
	int w = 0;
	wchar_t wc;

	for (const char *p = s; *p;) {
		p += next_char(p, &wc);
		w += lineedit_wcwidth(wc);
	}
	return w;
}

int
text_width(const char *s)
{
	char *copy;
	int w = safe_width(safe_text(s, &copy));

	free(copy);
	return w;
}

static int
draw_safe(int y, int x, int w, const char *s, attr_t attr)
{
	int total = safe_width(s), limit = total <= w ? w : w - 1, used = 0;
	const char *p = s;
	wchar_t wc;

	if (w <= 0 || y < 0 || y >= LINES || x >= COLS)
		return 0;
	attrset(attr);
	move(y, x);
	while (*p) {
		size_t k = next_char(p, &wc);
		int cw = lineedit_wcwidth(wc);
		wchar_t one[2] = { wc, 0 };
		if (used + cw > limit)
			break;
		addnwstr(one, 1);
		used += cw;
		p += k;
	}
	if (*p && w > 0 && used < w) {
		addnwstr(L"…", 1);
		used++;
	}
	attrset(A_NORMAL);
	return used;
}

int
text_draw(int y, int x, int w, const char *s, attr_t attr)
{
	char *copy;
	int used = draw_safe(y, x, w, safe_text(s, &copy), attr);

	free(copy);
	return used;
}

void
text_fill(int y, int x, int w, attr_t attr)
{
	if (w <= 0 || y < 0 || y >= LINES)
		return;
	attrset(attr);
	mvhline(y, x, ' ', w);
	attrset(A_NORMAL);
}

void
text_draw_padded(int y, int x, int w, const char *s, attr_t attr)
{
	text_fill(y, x, w, attr);
	text_draw(y, x, w, s, attr);
}

void
text_draw_right(int y, int x, int w, const char *s, attr_t attr)
{
	int tw = text_width(s);

	if (tw > w)
		tw = w;
	text_draw(y, x + w - tw, tw, s, attr);
}

/* Byte length of the longest prefix of s (stopping at spaces if possible) within w columns. */
static size_t
wrap_cut(const char *s, int w, size_t *skip)
{
	size_t last_space = 0, i = 0;
	int used = 0;
	wchar_t wc;

	*skip = 0;
	while (s[i] && s[i] != '\n') {
		size_t k = next_char(s + i, &wc);
		int cw = lineedit_wcwidth(wc);
		if (used + cw > w)
			break;
		if (s[i] == ' ')
			last_space = i;
		used += cw;
		i += k;
	}
	if (s[i] == '\n') {
		*skip = 1;
		return i;
	}
	if (s[i] && last_space > 0) {
		*skip = 1;
		return last_space;
	}
	return i;
}

void
text_wrap(const char *s, int w, void (*cb)(const char *line, void *arg), void *arg)
{
	char *copy;
	const char *p = safe_text(s, &copy);

	if (w < 4)
		w = 4;
	do {
		size_t skip, n = wrap_cut(p, w, &skip);
		char *line = strndup(p, n);
		if (line == NULL)
			break;
		cb(line, arg);
		free(line);
		p += n + skip;
		if (n == 0 && skip == 0 && *p)
			p++;   /* a character wider than w: drop it rather than loop */
	} while (*p);
	free(copy);
}

/* Box-drawing characters as wide characters: the ACS alternate set is
 * not translated by every terminal (tmux without a client, some
 * consoles), U+2500 lines are, under a UTF-8 locale. */
static void
line_of(int y, int x, int n, wchar_t wc, bool vertical, attr_t attr)
{
	wchar_t one[2] = { wc, 0 };

	attrset(attr);
	for (int i = 0; i < n; i++) {
		int yy = vertical ? y + i : y, xx = vertical ? x : x + i;
		if (yy >= 0 && yy < LINES && xx >= 0 && xx < COLS)
			mvaddnwstr(yy, xx, one, 1);
	}
	attrset(A_NORMAL);
}

void
text_hline(int y, int x, int w, attr_t attr)
{
	line_of(y, x, w, L'─', false, attr);
}

void
text_vline(int y, int x, int h, attr_t attr)
{
	line_of(y, x, h, L'│', true, attr);
}

void
text_box(int y, int x, int h, int w, attr_t attr)
{
	text_hline(y, x + 1, w - 2, attr);
	text_hline(y + h - 1, x + 1, w - 2, attr);
	text_vline(y + 1, x, h - 2, attr);
	text_vline(y + 1, x + w - 1, h - 2, attr);
	line_of(y, x, 1, L'┌', false, attr);
	line_of(y, x + w - 1, 1, L'┐', false, attr);
	line_of(y + h - 1, x, 1, L'└', false, attr);
	line_of(y + h - 1, x + w - 1, 1, L'┘', false, attr);
}
