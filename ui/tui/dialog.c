/*
 * dialog.c - prompt, pick list, typed confirmation, progress and text
 * boxes (see dialog.h), and the glue between curses keys and the line
 * editor.
 */
#include <stdlib.h>
#include <string.h>
#include <wctype.h>

#include "cimic/escape.h"
#include "cimic/i18n.h"
#include "dialog.h"

enum le_result
dialog_edit(struct lineedit *le, const struct tui_event *ev)
{
	static const struct { wint_t key; enum le_key le; } map[] = {
		{ KEY_LEFT, LE_KEY_LEFT }, { KEY_RIGHT, LE_KEY_RIGHT }, { KEY_HOME, LE_KEY_HOME },
		{ KEY_END, LE_KEY_END }, { KEY_BACKSPACE, LE_KEY_BACKSPACE }, { KEY_DC, LE_KEY_DELETE },
		{ KEY_UP, LE_KEY_UP }, { KEY_DOWN, LE_KEY_DOWN }, { KEY_ENTER, LE_KEY_ENTER },
		{ KEY_BTAB, LE_KEY_BACKTAB }, { 0x221 /* kLFT5 */, LE_KEY_WORD_LEFT },
		{ 0x230 /* kRIT5 */, LE_KEY_WORD_RIGHT },
	};

	if (ev->type == EV_CHAR)
		return lineedit_char(le, (wchar_t)ev->code);
	if (ev->type != EV_KEY)
		return LE_IGNORED;
	for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
		if (map[i].key == ev->code)
			return lineedit_key(le, map[i].le);
	return LE_IGNORED;
}

void
dialog_draw_edit(struct app *app, struct lineedit *le, int y, int x, int w, attr_t attr)
{
	size_t first, n;
	int cx;

	text_fill(y, x, w, attr);
	if (w < 2)
		return;
	if (le->secret) {
		app->cursor = true;
		app->cursor_y = y;
		app->cursor_x = x;
		return;
	}
	n = lineedit_view(le, w, &first, &cx);
	attrset(le->selected ? attr | A_REVERSE : attr);
	move(y, x);
	for (size_t i = 0; le->buf != NULL && i < n; i++) {
		/* what the text holds stays there; a control is only drawn as a placeholder */
		wchar_t wc = le->buf[first + i];
		wchar_t one[2] = { wc >= 0 && escape_terminal_needed((uint32_t)wc) ? L'\uFFFD' : wc, 0 };
		addnwstr(one, 1);
	}
	attrset(A_NORMAL);
	app->cursor = true;
	app->cursor_y = y;
	app->cursor_x = x + cx;
}

/* A framed box centred on the screen; returns its inner rectangle. */
static struct rect
draw_box(const char *title, int want_h, int want_w)
{
	struct rect r;
	attr_t a = theme_attr(TH_NORMAL);

	r.w = want_w > COLS - 4 ? COLS - 4 : want_w;
	r.h = want_h > LINES - 4 ? LINES - 4 : want_h;
	if (r.w < 10)
		r.w = COLS > 2 ? COLS - 2 : 1;
	if (r.h < 1)
		r.h = 1;
	r.y = (LINES - r.h) / 2;
	r.x = (COLS - r.w) / 2;
	for (int i = -1; i <= r.h; i++)
		text_fill(r.y + i, r.x - 1, r.w + 2, a);
	text_box(r.y - 1, r.x - 1, r.h + 2, r.w + 2, a);
	if (title)
		text_draw(r.y - 1, r.x + 1, r.w - 2, title, theme_attr(TH_HEADER));
	return r;
}

/* The prompt loop; a box of lines (n > 0) stays above it while typing. */
static int
prompt(struct app *app, const char *title, const char *const *lines, size_t n, const char *label,
       const char *initial, char **out)
{
	struct lineedit le;
	struct tui_event ev;
	int rc = -1, lw;

	*out = NULL;
	lineedit_init(&le, 1024, false);
	lineedit_set(&le, initial ? initial : "");
	lineedit_select_all(&le);   /* typing replaces the offered value; a cursor key keeps it */
	app->msg[0] = '\0';
	for (;;) {
		app_draw(app);
		if (n > 0) {
			struct rect r = draw_box(title, (int)n, 72);
			for (int i = 0; i < r.h && (size_t)i < n; i++)
				text_draw(r.y + i, r.x, r.w, lines[i], theme_attr(i == 0 ? TH_HEADER : TH_NORMAL));
		}
		/* the label may take all but 16 columns: a typed confirmation names its word there */
		lw = text_draw(LINES - 2, 0, COLS > 32 ? COLS - 16 : COLS / 2, label,
			       theme_attr(TH_HEADER));
		dialog_draw_edit(app, &le, LINES - 2, lw + 1, COLS - lw - 2, theme_attr(TH_FOCUS));
		curs_set(theme_is_dark() ? 0 : 1);
		move(app->cursor_y, app->cursor_x);
		refresh();
		app_event(app, &ev);
		if (ev.type == EV_QUIT)
			break;
		enum le_result r = dialog_edit(&le, &ev);
		if (r == LE_CANCEL)
			break;
		if (r == LE_ACCEPT) {
			*out = lineedit_utf8(&le);
			rc = *out ? 0 : -1;
			break;
		}
	}
	lineedit_finish(&le);
	curs_set(0);
	return rc;
}

int
dialog_prompt(struct app *app, const char *label, const char *initial, char **out)
{
	return prompt(app, NULL, NULL, 0, label, initial, out);
}

int
dialog_prompt_box(struct app *app, const char *title, const char *const *lines, size_t n,
		  const char *label, const char *initial, char **out)
{
	return prompt(app, title, lines, n, label, initial, out);
}

/* Index of the next label starting with the folded character c, after `from`. */
static int
find_initial(const char *const *labels, size_t n, int from, wint_t c)
{
	for (size_t k = 1; k <= n; k++) {
		size_t i = (size_t)(from + (int)k) % n;
		wchar_t first;
		mbstate_t ps;
		memset(&ps, 0, sizeof ps);
		if (mbrtowc(&first, labels[i], MB_CUR_MAX, &ps) < (size_t)-2 &&
		    towlower((wint_t)first) == towlower(c))
			return (int)i;
	}
	return from;
}

static void
draw_pick(const char *title, const char *const *labels, size_t n, int sel, int *top, int first)
{
	struct rect r = draw_box(title, (int)n, 60);
	char line[256];

	if (sel < *top)
		*top = sel;
	if (sel >= *top + r.h)
		*top = sel - r.h + 1;
	for (int i = 0; i < r.h && *top + i < (int)n; i++) {
		int k = *top + i;
		bool on = k == sel;
		if (k + first <= 9)
			snprintf(line, sizeof line, "%s%d %s", on ? ">" : " ", k + first, labels[k]);
		else
			snprintf(line, sizeof line, "%s  %s", on ? ">" : " ", labels[k]);
		text_draw_padded(r.y + i, r.x, r.w, line, theme_attr(on ? TH_SELECTED : TH_NORMAL));
	}
}

int
dialog_pick(struct app *app, const char *title, const char *const *labels, size_t n, int current)
{
	return dialog_pick_numbered(app, title, labels, n, current, 1);
}

int
dialog_pick_numbered(struct app *app, const char *title, const char *const *labels, size_t n,
		     int current, int first)
{
	struct tui_event ev;
	int sel = current >= 0 && (size_t)current < n ? current : 0, top = 0;

	if (n == 0)
		return -1;
	for (;;) {
		app_draw(app);
		draw_pick(title, labels, n, sel, &top, first);
		curs_set(0);
		refresh();
		app_event(app, &ev);
		if (ev.type == EV_QUIT)
			return -1;
		if (ev.type == EV_KEY) {
			if (ev.code == KEY_UP && sel > 0)
				sel--;
			else if (ev.code == KEY_DOWN && (size_t)sel + 1 < n)
				sel++;
			else if (ev.code == KEY_HOME)
				sel = 0;
			else if (ev.code == KEY_END)
				sel = (int)n - 1;
			else if (ev.code == KEY_ENTER)
				return sel;
			continue;
		}
		if (ev.type != EV_CHAR)
			continue;
		if (ev.code == 27 || ev.code == 7 || ev.code == 3)
			return -1;
		if (ev.code == '\n' || ev.code == '\r' || ev.code == ' ')
			return sel;
		if (ev.code >= '0' && ev.code <= '9' && (int)(ev.code - '0') >= first &&
		    (size_t)(ev.code - '0' - (wint_t)first) < n)
			return (int)(ev.code - '0') - first;
		if (ev.code == 'k' || ev.code == 'j')
			sel = ev.code == 'k' ? (sel > 0 ? sel - 1 : 0) : ((size_t)sel + 1 < n ? sel + 1 : sel);
		else
			sel = find_initial(labels, n, sel, ev.code);
	}
}

/*
 * Folds a word for comparison across keyboard layouts: lower case, then
 * every Ukrainian-layout letter to the Latin key it sits on, so "WIPE"
 * typed with the Ukrainian layout on ("ЦШЗУ") matches, and so does a
 * Ukrainian word typed with the Latin layout on.  false when not UTF-8.
 */
static bool
layout_fold(const char *s, wchar_t *out, size_t n)
{
	size_t len = mbstowcs(out, s, n - 1);

	if (len == (size_t)-1)
		return false;
	out[len] = 0;
	for (size_t i = 0; i < len; i++)
		out[i] = (wchar_t)towlower(keys_latin(towlower((wint_t)out[i])));
	return true;
}

bool
dialog_same_word(const char *typed, const char *word)
{
	wchar_t a[128], b[128];
	char *t = util_strdup(typed ? typed : "");
	bool yes;

	yes = t != NULL && layout_fold(util_trim(t), a, 128) && layout_fold(word, b, 128) &&
	      a[0] != 0 && wcscmp(a, b) == 0;
	free(t);
	return yes;
}

struct wrapped {
	char *lines[12];   /* owned */
	size_t n;
};

static void
keep_line(const char *line, void *arg)
{
	struct wrapped *w = arg;

	if (w->n < sizeof w->lines / sizeof w->lines[0])
		w->lines[w->n++] = util_strdup(line);
}

bool
dialog_confirm_word(struct app *app, const char *question, const char *word)
{
	struct wrapped w = { .n = 0 };
	char label[256], *typed = NULL;
	bool yes = false;

	/* the question in a box, so the word to type is never cut off on a narrow screen */
	text_wrap(question, COLS - 8 < 70 ? COLS - 8 : 70, keep_line, &w);
	snprintf(label, sizeof label, _("Type %s and press Enter (Esc cancels):"), word);
	if (dialog_prompt_box(app, NULL, (const char *const *)w.lines, w.n, label, "", &typed) == 0)
		yes = dialog_same_word(typed, word);
	free(typed);
	for (size_t i = 0; i < w.n; i++)
		free(w.lines[i]);
	return yes;
}

void
dialog_progress(struct app *app, const char *title, double frac, const char *detail)
{
	struct rect r;
	int fill;
	char pct[16];

	app_draw(app);
	r = draw_box(title, 3, 60);
	if (frac < 0)
		frac = 0;
	if (frac > 1)
		frac = 1;
	fill = (int)(frac * (r.w - 7));
	text_fill(r.y, r.x, r.w, theme_attr(TH_NORMAL));
	attrset(theme_attr(TH_SELECTED));
	mvhline(r.y, r.x, theme_is_dark() ? '=' : ' ', fill);
	attrset(theme_attr(TH_DIM));
	mvhline(r.y, r.x + fill, '.', r.w - 7 - fill);
	snprintf(pct, sizeof pct, " %3d%%", (int)(frac * 100 + 0.5));
	text_draw(r.y, r.x + r.w - 6, 6, pct, theme_attr(TH_NORMAL));
	if (r.h > 2)
		text_draw(r.y + 2, r.x, r.w, detail ? detail : "", theme_attr(TH_NORMAL));
	curs_set(0);
	refresh();
}

void
dialog_text(struct app *app, const char *title, const char *const *lines, size_t n)
{
	struct tui_event ev;

	for (;;) {
		struct rect r;
		app_draw(app);
		r = draw_box(title, (int)n + 2, 70);
		for (int i = 0; i < r.h && (size_t)i < n; i++)
			text_draw(r.y + i, r.x, r.w, lines[i], theme_attr(TH_NORMAL));
		text_draw(r.y + r.h - 1, r.x, r.w, _("Press any key."), theme_attr(TH_DIM));
		curs_set(0);
		refresh();
		app_event(app, &ev);
		if (ev.type == EV_CHAR || ev.type == EV_KEY || ev.type == EV_QUIT)
			return;
	}
}
