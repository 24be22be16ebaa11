/*
 * lineedit.c - the one-line editor (see lineedit.h).  No curses here.
 */
#ifndef _XOPEN_SOURCE
#define _XOPEN_SOURCE 700   /* wcwidth */
#endif
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <wctype.h>

#include "cimic/escape.h"
#include "lineedit.h"

#define LE_DEFAULT_MAX 4096

/* Overwrites memory the compiler may not optimise away (secrets). */
static void
wipe(void *p, size_t n)
{
	volatile unsigned char *v = p;

	while (n--)
		*v++ = 0;
}

static void
drop(wchar_t *p, size_t chars, bool secret)
{
	if (p != NULL && secret)
		wipe(p, chars * sizeof *p);
	free(p);
}

static size_t
wlen(const wchar_t *s)
{
	return s ? wcslen(s) : 0;
}

void
lineedit_init(struct lineedit *le, size_t max, bool secret)
{
	memset(le, 0, sizeof *le);
	le->max = max ? max : LE_DEFAULT_MAX;
	le->secret = secret;
}

void
lineedit_finish(struct lineedit *le)
{
	drop(le->buf, le->cap, le->secret);
	drop(le->orig, wlen(le->orig) + 1, le->secret);
	drop(le->yank, wlen(le->yank) + 1, le->secret);
	memset(le, 0, sizeof *le);
}

/* Makes room for `need` characters plus the NUL; a secret buffer is moved, never realloc'd. */
static int
reserve(struct lineedit *le, size_t need)
{
	size_t cap = le->cap ? le->cap : 32;
	wchar_t *nb;

	if (need + 1 <= le->cap)
		return 0;
	while (cap < need + 1)
		cap *= 2;
	if ((nb = calloc(cap, sizeof *nb)) == NULL)
		return -1;
	if (le->buf)
		memcpy(nb, le->buf, (le->len + 1) * sizeof *nb);
	drop(le->buf, le->cap, le->secret);
	le->buf = nb;
	le->cap = cap;
	return 0;
}

static wchar_t *
wdup(const wchar_t *s, size_t n)
{
	wchar_t *d = malloc((n + 1) * sizeof *d);

	if (d) {
		memcpy(d, s, n * sizeof *d);
		d[n] = 0;
	}
	return d;
}

/* UTF-8 to a fresh wide string; NULL on invalid input or OOM. */
static wchar_t *
from_utf8(const char *s, size_t *n)
{
	mbstate_t ps;
	const char *p = s;
	size_t k;
	wchar_t *w;

	memset(&ps, 0, sizeof ps);
	k = mbsrtowcs(NULL, &p, 0, &ps);
	if (k == (size_t)-1 || (w = malloc((k + 1) * sizeof *w)) == NULL)
		return NULL;
	p = s;
	memset(&ps, 0, sizeof ps);
	mbsrtowcs(w, &p, k + 1, &ps);
	*n = k;
	return w;
}

int
lineedit_set(struct lineedit *le, const char *utf8)
{
	size_t n = 0;
	wchar_t *w = from_utf8(utf8 ? utf8 : "", &n);

	if (w == NULL)
		return -1;
	if (n > le->max)
		n = le->max;
	w[n] = 0;
	if (reserve(le, n) != 0) {
		drop(w, n + 1, le->secret);
		return -1;
	}
	memcpy(le->buf, w, (n + 1) * sizeof *w);
	le->len = le->cur = n;
	le->scroll = 0;
	le->selected = false;
	drop(le->orig, wlen(le->orig) + 1, le->secret);
	le->orig = w;
	return 0;
}

int
lineedit_replace(struct lineedit *le, const char *utf8)
{
	wchar_t *keep = le->orig;
	int rc;

	le->orig = NULL;
	rc = lineedit_set(le, utf8);
	drop(le->orig, wlen(le->orig) + 1, le->secret);
	le->orig = keep;
	return rc;
}

void
lineedit_clear(struct lineedit *le)
{
	if (le->buf)
		wipe(le->buf, le->len * sizeof *le->buf);
	le->len = le->cur = le->scroll = 0;
}

int
lineedit_utf8_into(const struct lineedit *le, char *buf, size_t bufsize, size_t *outlen)
{
	mbstate_t ps;
	char mb[MB_LEN_MAX];
	size_t n = 0;

	memset(&ps, 0, sizeof ps);
	for (size_t i = 0; i < le->len; i++) {
		size_t k = wcrtomb(mb, le->buf[i], &ps);
		if (k == (size_t)-1)
			continue;
		if (n + k + 1 > bufsize) {
			wipe(buf, n);
			return -1;
		}
		memcpy(buf + n, mb, k);
		wipe(mb, sizeof mb);
		n += k;
	}
	buf[n] = '\0';
	if (outlen)
		*outlen = n;
	return 0;
}

char *
lineedit_utf8(const struct lineedit *le)
{
	size_t cap = le->len * MB_LEN_MAX + 1;
	char *s = malloc(cap);

	if (s && lineedit_utf8_into(le, s, cap, NULL) != 0) {
		free(s);
		return NULL;
	}
	return s;
}

bool
lineedit_dirty(const struct lineedit *le)
{
	const wchar_t *o = le->orig ? le->orig : L"";

	return wcslen(o) != le->len || (le->len && wmemcmp(o, le->buf, le->len) != 0);
}

static enum le_result
insert(struct lineedit *le, const wchar_t *w, size_t n)
{
	if (le->len + n > le->max)
		n = le->max - le->len;
	if (n == 0 || reserve(le, le->len + n) != 0)
		return LE_MOVED;
	wmemmove(le->buf + le->cur + n, le->buf + le->cur, le->len - le->cur + 1);
	wmemcpy(le->buf + le->cur, w, n);
	le->len += n;
	le->cur += n;
	return LE_CHANGED;
}

/* Removes [from, to); `keep` copies the text to the yank buffer (Ctrl-K/U/W). */
static enum le_result
erase(struct lineedit *le, size_t from, size_t to, bool keep)
{
	if (from >= to)
		return LE_MOVED;
	if (keep) {
		wchar_t *y = wdup(le->buf + from, to - from);
		if (y) {
			drop(le->yank, wlen(le->yank) + 1, le->secret);
			le->yank = y;
		}
	}
	wmemmove(le->buf + from, le->buf + to, le->len - to + 1);
	le->len -= to - from;
	if (le->secret)
		wipe(le->buf + le->len + 1, (to - from) * sizeof *le->buf);
	le->cur = from;
	return LE_CHANGED;
}

static bool
is_word(wchar_t c)
{
	return iswalnum((wint_t)c) || c == L'\'' || c == 0x2019 || c == 0x02BC || c == L'_';
}

static size_t
word_left(const struct lineedit *le)
{
	size_t i = le->cur;

	while (i > 0 && !is_word(le->buf[i - 1]))
		i--;
	while (i > 0 && is_word(le->buf[i - 1]))
		i--;
	return i;
}

static size_t
word_right(const struct lineedit *le)
{
	size_t i = le->cur;

	while (i < le->len && !is_word(le->buf[i]))
		i++;
	while (i < le->len && is_word(le->buf[i]))
		i++;
	return i;
}

static enum le_result
cancel(struct lineedit *le)
{
	const wchar_t *o = le->orig ? le->orig : L"";
	size_t n = wcslen(o);

	lineedit_clear(le);
	if (reserve(le, n) == 0) {
		wmemcpy(le->buf, o, n + 1);
		le->len = le->cur = n;
	}
	return LE_CANCEL;
}

static enum le_result
move_to(struct lineedit *le, size_t pos)
{
	le->cur = pos;
	return LE_MOVED;
}

void
lineedit_select_all(struct lineedit *le)
{
	le->selected = le->len > 0;
	le->cur = le->len;
}

/* A key that edits: a selection goes first (Backspace/Delete only remove it). */
static bool
drop_selection(struct lineedit *le)
{
	if (!le->selected)
		return false;
	le->selected = false;
	lineedit_clear(le);
	return true;
}

enum le_result
lineedit_key(struct lineedit *le, enum le_key key)
{
	if ((key == LE_KEY_BACKSPACE || key == LE_KEY_DELETE) && drop_selection(le))
		return LE_CHANGED;
	if (key != LE_KEY_NONE)
		le->selected = false;
	switch (key) {
	case LE_KEY_LEFT: return move_to(le, le->cur ? le->cur - 1 : 0);
	case LE_KEY_RIGHT: return move_to(le, le->cur < le->len ? le->cur + 1 : le->len);
	case LE_KEY_HOME: return move_to(le, 0);
	case LE_KEY_END: return move_to(le, le->len);
	case LE_KEY_WORD_LEFT: return move_to(le, word_left(le));
	case LE_KEY_WORD_RIGHT: return move_to(le, word_right(le));
	case LE_KEY_BACKSPACE: return le->cur ? erase(le, le->cur - 1, le->cur, false) : LE_MOVED;
	case LE_KEY_DELETE: return le->cur < le->len ? erase(le, le->cur, le->cur + 1, false) : LE_MOVED;
	case LE_KEY_ENTER: return LE_ACCEPT;
	case LE_KEY_ESCAPE: return cancel(le);
	case LE_KEY_TAB: case LE_KEY_DOWN: return LE_NEXT;
	case LE_KEY_BACKTAB: case LE_KEY_UP: return LE_PREV;
	case LE_KEY_NONE: break;
	}
	return LE_IGNORED;
}

/* Ctrl-letter keys as readline binds them. */
static enum le_result
control(struct lineedit *le, wchar_t wc)
{
	switch (wc) {
	case 1: return lineedit_key(le, LE_KEY_HOME);           /* C-a */
	case 2: return lineedit_key(le, LE_KEY_LEFT);           /* C-b */
	case 4: return lineedit_key(le, LE_KEY_DELETE);         /* C-d */
	case 5: return lineedit_key(le, LE_KEY_END);            /* C-e */
	case 6: return lineedit_key(le, LE_KEY_RIGHT);          /* C-f */
	case 7: case 27: return cancel(le);                     /* C-g, Esc */
	case 8: case 127: return lineedit_key(le, LE_KEY_BACKSPACE);
	case 9: return LE_NEXT;
	case 10: case 13: return LE_ACCEPT;
	case 11: return erase(le, le->cur, le->len, true);      /* C-k */
	case 21: return erase(le, 0, le->cur, true);            /* C-u */
	case 23: return erase(le, word_left(le), le->cur, true);/* C-w */
	case 25: return le->yank ? insert(le, le->yank, wcslen(le->yank)) : LE_MOVED; /* C-y */
	}
	return LE_IGNORED;
}

enum le_result
lineedit_char(struct lineedit *le, wchar_t wc)
{
	if (wc < 32 || wc == 127) {
		/* Backspace, ^D, ^K, ^U, ^W remove a selection; ^Y replaces it */
		bool edits = wc == 8 || wc == 127 || wc == 4 || wc == 11 || wc == 21 || wc == 23;
		enum le_result r;
		if (edits && drop_selection(le))
			return LE_CHANGED;
		if (wc == 25)
			drop_selection(le);
		if ((r = control(le, wc)) != LE_IGNORED)
			le->selected = false;
		return r;
	}
	if (wc >= 0x80 && wc < 0xA0)
		return LE_IGNORED;
	drop_selection(le);
	return insert(le, &wc, 1);
}

int
lineedit_wcwidth(wchar_t wc)
{
	int w;

	/* a control or bidi override kept in the text is drawn as one placeholder column */
	if (wc >= 0 && escape_terminal_needed((uint32_t)wc))
		return 1;
	w = wcwidth(wc);
	return w < 0 ? 1 : w;
}

static int
width_of(const wchar_t *s, size_t from, size_t to)
{
	int w = 0;

	for (size_t i = from; i < to; i++)
		w += lineedit_wcwidth(s[i]);
	return w;
}

size_t
lineedit_view(struct lineedit *le, int cols, size_t *first, int *cursor_col)
{
	size_t start = le->scroll, n = 0;
	int used = 0;

	if (cols < 2)
		cols = 2;
	if (start > le->cur)
		start = le->cur;
	/* leave one column for the cursor after the last character */
	while (start < le->cur && width_of(le->buf, start, le->cur) > cols - 1)
		start++;
	le->scroll = start;
	*first = start;
	*cursor_col = width_of(le->buf, start, le->cur);
	while (start + n < le->len) {
		int w = lineedit_wcwidth(le->buf[start + n]);
		if (used + w > cols)
			break;
		used += w;
		n++;
	}
	return n;
}
