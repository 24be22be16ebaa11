/*
 * screen-setup.c - first run: unit name, role, passphrase twice.
 *
 * Runs when the data directory holds no store.  The strength hint is
 * advice, not a rule: an officer may have to pick a passphrase under
 * stress, and the hint says how to make a good one (several words).
 * The key derivation is calibrated to about a second (store_init with
 * no explicit parameters), as `cimic init` does.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wctype.h>

#include <sodium.h>

#include "cimic/i18n.h"
#include "cimic/store.h"
#include "cimic/timefmt.h"
#include "cli/cli.h"
#include "dialog.h"
#include "tui-app.h"

#define PASS_MAX 1024

enum { F_UNIT, F_ROLE, F_PASS1, F_PASS2, F_COUNT };

struct setup {
	struct lineedit unit, pass1, pass2;
	enum node_role role;
	int focus;
	char status[512];
	bool error;
};

/* A hint from length, words and character classes (N_() text). */
static const char *
strength_hint(const struct lineedit *le)
{
	int classes = 0, words = le->len ? 1 : 0;
	bool lo = false, up = false, dig = false, other = false;

	for (size_t i = 0; i < le->len; i++) {
		wint_t c = (wint_t)le->buf[i];
		lo |= iswlower(c) != 0;
		up |= iswupper(c) != 0;
		dig |= iswdigit(c) != 0;
		other |= !iswalnum(c);
		if (c == ' ' && i + 1 < le->len && le->buf[i + 1] != ' ')
			words++;
	}
	classes = lo + up + dig + other;
	if (le->len == 0)
		return N_("Use four or more words you can remember; any language.");
	if (le->len < 8)
		return N_("Strength: too short. Use four or more words.");
	if (le->len < 12 || (classes < 2 && words < 3))
		return N_("Strength: weak. Add words.");
	if (le->len < 20 && words < 4)
		return N_("Strength: fair. Another word makes it strong.");
	return N_("Strength: strong.");
}

static void
draw_field(struct app *app, struct setup *s, int i, int y, int x, int w)
{
	static const char *const labels[F_COUNT] = {
		N_("Unit name:"), N_("Role:"), N_("Passphrase:"), N_("Repeat:"),
	};
	int lw = 18;
	bool on = s->focus == i;
	attr_t fa = theme_attr(on ? TH_FOCUS : TH_FIELD);
	char role[128];

	text_draw(y, x, lw, _(labels[i]), theme_attr(on ? TH_HEADER : TH_NORMAL));
	if (i == F_ROLE) {
		snprintf(role, sizeof role, "< %s >", s->role == NODE_HQ ? _("HQ (headquarters)") :
			 _("field (forward unit)"));
		text_draw_padded(y, x + lw, w - lw, role, fa);
		return;
	}
	struct lineedit *le = i == F_UNIT ? &s->unit : i == F_PASS1 ? &s->pass1 : &s->pass2;
	dialog_draw_edit(app, le, y, x + lw, w - lw, fa);
}

static void
paint(struct app *app, struct setup *s)
{
	int w = COLS > 74 ? 70 : COLS - 4, x = (COLS - w) / 2, y = LINES / 2 - 6;
	int cy = 0, cx = 0;

	app->cursor = false;
	erase();
	if (y < 1)
		y = 1;
	text_fill(0, 0, COLS, theme_attr(TH_TITLE));
	text_draw(0, 1, COLS - 2, _("cimic · first run"), theme_attr(TH_TITLE));
	text_draw(y, x, w, _("No store here yet. Create one for this laptop:"), theme_attr(TH_NORMAL));
	for (int i = 0; i < F_COUNT; i++) {
		draw_field(app, s, i, y + 2 + i, x, w);
		if (s->focus == i && app->cursor) {
			cy = app->cursor_y;
			cx = app->cursor_x;
		}
	}
	app->cursor = s->focus != F_ROLE;
	app->cursor_y = cy;
	app->cursor_x = cx;
	text_draw(y + 7, x, w, _(strength_hint(&s->pass1)), theme_attr(TH_DIM));
	text_draw(y + 8, x, w, _("The passphrase cannot be recovered. Without it the data is lost."),
		  theme_attr(TH_DIM));
	if (s->status[0])
		text_draw(y + 10, x, w, s->status, theme_attr(s->error ? TH_ERROR : TH_OK));
	text_draw(LINES - 1, 1, COLS - 2,
		  _("Tab/Enter: next   Left/Right: role   Enter on Repeat: create   F10: quit"),
		  theme_attr(TH_DIM));
	curs_set(app->cursor && !theme_is_dark() ? 1 : 0);
	if (app->cursor)
		move(app->cursor_y, app->cursor_x);
	refresh();
}

static int
fail(struct setup *s, int focus, const char *msg)
{
	snprintf(s->status, sizeof s->status, "%s", msg);
	s->error = true;
	s->focus = focus;
	return -1;
}

static int
create(struct app *app, struct setup *s)
{
	struct store_init_opts o = { NULL, s->role, NULL };
	struct cimic_error err;
	char *unit = lineedit_utf8(&s->unit), *p1 = sodium_malloc(PASS_MAX), *p2 = sodium_malloc(PASS_MAX);
	size_t l1 = 0, l2 = 0;
	int rc = -1;

	s->error = false;
	if (unit == NULL || p1 == NULL || p2 == NULL ||
	    lineedit_utf8_into(&s->pass1, p1, PASS_MAX, &l1) != 0 ||
	    lineedit_utf8_into(&s->pass2, p2, PASS_MAX, &l2) != 0)
		rc = fail(s, F_PASS1, _("out of memory"));
	else if (*util_trim(unit) == '\0' || strlen(unit) > IDENTITY_UNIT_MAX)
		rc = fail(s, F_UNIT, _("Give the unit name (1 to 63 bytes)."));
	else if (l1 == 0)
		rc = fail(s, F_PASS1, _("The passphrase is empty."));
	else if (l1 != l2 || sodium_memcmp(p1, p2, l1) != 0)
		rc = fail(s, F_PASS2, _("The passphrases differ. Type the same one twice."));
	else if (store_passphrase_check(p1, l1, &err) != 0)
		rc = fail(s, F_PASS1, err.msg);
	if (s->error)
		goto out;
	o.unit = unit;
	snprintf(s->status, sizeof s->status, "%s",
		 _("Creating the store; tuning the key derivation to this machine (about a second)..."));
	s->error = false;
	paint(app, s);
	if ((rc = store_init(app->cli->dir, p1, l1, &o, &app->st, &err)) != 0)
		fail(s, F_UNIT, err.msg);
	else
		app->opened_ms = timefmt_now_ms();
out:
	free(unit);
	sodium_free(p1);
	sodium_free(p2);
	return rc;
}

/* One event on the focused field; returns 1 when the store was created. */
static int
on_event(struct app *app, struct setup *s, const struct tui_event *ev)
{
	enum le_result r;

	if (s->focus == F_ROLE) {
		bool enter = ev->type == EV_CHAR && (ev->code == '\n' || ev->code == '\r' || ev->code == '\t');
		if (ev->type == EV_KEY && (ev->code == KEY_LEFT || ev->code == KEY_RIGHT))
			s->role = s->role == NODE_HQ ? NODE_FIELD : NODE_HQ;
		else if (ev->type == EV_CHAR && ev->code == ' ')
			s->role = s->role == NODE_HQ ? NODE_FIELD : NODE_HQ;
		else if (enter || (ev->type == EV_KEY && ev->code == KEY_DOWN))
			s->focus++;
		else if (ev->type == EV_KEY && (ev->code == KEY_UP || ev->code == KEY_BTAB))
			s->focus--;
		return 0;
	}
	struct lineedit *le = s->focus == F_UNIT ? &s->unit : s->focus == F_PASS1 ? &s->pass1 : &s->pass2;
	r = dialog_edit(le, ev);
	s->status[0] = '\0';
	if (r == LE_NEXT || (r == LE_ACCEPT && s->focus < F_PASS2))
		s->focus = (s->focus + 1) % F_COUNT;
	else if (r == LE_PREV)
		s->focus = (s->focus + F_COUNT - 1) % F_COUNT;
	else if (r == LE_ACCEPT)
		return create(app, s) == 0;
	return 0;
}

int
setup_run(struct app *app)
{
	struct setup s;
	struct tui_event ev;
	int rc = -1;

	memset(&s, 0, sizeof s);
	lineedit_init(&s.unit, IDENTITY_UNIT_MAX, false);
	lineedit_init(&s.pass1, PASS_MAX / 4, true);
	lineedit_init(&s.pass2, PASS_MAX / 4, true);
	for (;;) {
		paint(app, &s);
		app_event(app, &ev);
		if (ev.type == EV_QUIT || (ev.type == EV_KEY && ev.code == KEY_F(10))) {
			app->quit = true;
			break;
		}
		if ((ev.type == EV_CHAR || ev.type == EV_KEY) && on_event(app, &s, &ev) == 1) {
			rc = 0;
			break;
		}
	}
	lineedit_finish(&s.unit);
	lineedit_finish(&s.pass1);
	lineedit_finish(&s.pass2);
	curs_set(0);
	return rc;
}
