/*
 * screen-search.c - `/`: search across contacts and incidents as you
 * type.  The core folds case, Ukrainian apostrophes and stress marks
 * (search.h), so "київ" finds "Київ" and "обов'язок" finds "обов’язок".
 * Up/Down choose a result while the cursor stays in the query; Enter
 * opens it; Esc goes back.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cimic/i18n.h"
#include "cimic/oplog.h"
#include "cimic/search.h"
#include "cli/cli.h"
#include "dialog.h"
#include "reclist.h"

#define MAX_HITS 300

struct hit {
	enum model_kind kind;
	unsigned char id[CIMIC_ID_BYTES];
	char *title, *snippet;
};

static struct {
	struct lineedit q;
	bool ready;
	struct hit hits[MAX_HITS];
	int n, sel, top;
	long total;          /* all the query matches; n stops at MAX_HITS */
	bool failed;
} s;

static void
clear_hits(void)
{
	for (int i = 0; i < s.n; i++) {
		free(s.hits[i].title);
		free(s.hits[i].snippet);
	}
	s.n = s.sel = s.top = 0;
}

static int
add_hit(const struct search_hit *h, void *arg)
{
	struct hit *x;

	(void)arg;
	if (s.n == MAX_HITS)
		return 1;
	x = &s.hits[s.n++];
	x->kind = h->kind;
	memcpy(x->id, h->id, CIMIC_ID_BYTES);
	x->title = util_strdup(h->title ? h->title : "");
	x->snippet = util_strdup(h->snippet ? h->snippet : "");
	return 0;
}

static void
run(struct app *app)
{
	struct cimic_error err;
	char *q = lineedit_utf8(&s.q);

	clear_hits();
	s.failed = false;
	s.total = 0;
	if (q && *util_trim(q))
		s.failed = search_query(app->st, q, 0, false, MAX_HITS, add_hit, NULL, &err) != 0;
	if (!s.failed && s.n == MAX_HITS && search_count(app->st, q, 0, false, &s.total, &err) != 0)
		s.total = 0;
	free(q);
}

void
search_start(struct app *app, const char *query)
{
	if (!s.ready) {
		lineedit_init(&s.q, 256, false);
		s.ready = true;
	}
	if (query)
		lineedit_set(&s.q, query);
	if (app_screen(app) != &screen_search)
		app_push(app, &screen_search);
	run(app);
}

static void
enter(struct app *app)
{
	if (s.ready)
		run(app);
}

/* The store changed: the same query again, the cursor on the same line. */
static void
changed(struct app *app)
{
	int sel = s.sel, top = s.top;

	if (!s.ready)
		return;
	run(app);
	s.sel = sel < s.n ? sel : (s.n ? s.n - 1 : 0);
	s.top = top <= s.sel ? top : s.sel;
}

static void
draw(struct app *app, struct rect r)
{
	char line[128], shown[32], all[32];
	int lw = text_draw(r.y, r.x + 1, 20, _("Search:"), theme_attr(TH_HEADER)) + 2;
	int rows = r.h - 3;
	int cy, cx;

	dialog_draw_edit(app, &s.q, r.y, r.x + lw, r.w - lw - 1, theme_attr(TH_FOCUS));
	cy = app->cursor_y;
	cx = app->cursor_x;
	if (s.failed)
		snprintf(line, sizeof line, "%s", _("Cannot search for that; try plain words."));
	else if (s.total > s.n) {
		cli_count_text(s.n, shown, sizeof shown);
		cli_count_text(s.total, all, sizeof all);
		/* TRANSLATORS: "300 of 2,514 results": the list stops at 300 */
		snprintf(line, sizeof line, P_("%s of %s result (refine the words to see the rest)",
					       "%s of %s results (refine the words to see the rest)",
					       s.total), shown, all);
	} else
		snprintf(line, sizeof line, P_("%d result", "%d results", s.n), s.n);
	text_draw(r.y + 1, r.x + 1, r.w - 2, line, theme_attr(TH_DIM));
	if (s.sel < s.top)
		s.top = s.sel;
	if (rows > 0 && s.sel >= s.top + rows)
		s.top = s.sel - rows + 1;
	for (int i = 0; i < rows && s.top + i < s.n; i++) {
		struct hit *h = &s.hits[s.top + i];
		bool on = s.top + i == s.sel;
		attr_t a = theme_attr(on ? TH_SELECTED : TH_NORMAL);
		int y = r.y + 2 + i, tw = r.w >= 80 ? 34 : r.w / 2;
		text_fill(y, r.x, r.w, a);
		text_draw(y, r.x, 1, on ? ">" : " ", a);
		text_draw(y, r.x + 2, 10, h->kind == MODEL_INCIDENT ? _("incident") : _("contact"), a);
		text_draw(y, r.x + 13, tw, h->title, a);
		if (r.w - tw - 15 > 8)
			text_draw(y, r.x + 14 + tw, r.w - tw - 15, h->snippet, theme_attr(on ? TH_SELECTED : TH_DIM));
	}
	app->cursor = true;
	app->cursor_y = cy;
	app->cursor_x = cx;
}

static int
input(struct app *app, const struct tui_event *ev)
{
	if (dialog_edit(&s.q, ev) == LE_CHANGED)
		run(app);
	return R_DONE;
}

static int
action(struct app *app, enum action a)
{
	switch (a) {
	case ACT_UP: if (s.sel > 0) s.sel--; break;
	case ACT_DOWN: if (s.sel + 1 < s.n) s.sel++; break;
	case ACT_PGUP: s.sel = s.sel > 10 ? s.sel - 10 : 0; break;
	case ACT_PGDN: s.sel = s.sel + 10 < s.n ? s.sel + 10 : (s.n ? s.n - 1 : 0); break;
	case ACT_OPEN:
		if (s.n)
			app_open_record(app, s.hits[s.sel].kind, s.hits[s.sel].id);
		break;
	case ACT_BACK: app_pop(app); break;
	default: return R_PASS;
	}
	return R_DONE;
}

static const enum action hints[] = { ACT_OPEN, ACT_BACK, ACT_NONE };

const struct screen screen_search = {
	.title = N_("Search"),
	.ctx = CTX_SEARCH,
	.text_entry = true,
	.enter = enter,
	.draw = draw,
	.input = input,
	.action = action,
	.hints = hints,
	.changed = changed,
};

/* ---- linking from the detail screen ---- */

struct pick {
	unsigned char ids[30][CIMIC_ID_BYTES];
	char *labels[30];
	size_t n;
};

static int
add_pick(const struct search_hit *h, void *arg)
{
	struct pick *p = arg;

	if (p->n == 30)
		return 1;
	memcpy(p->ids[p->n], h->id, CIMIC_ID_BYTES);
	p->labels[p->n++] = util_strdup(h->title ? h->title : "?");
	return 0;
}

void
search_pick_and_link(struct app *app, enum model_kind kind, const char *words,
		     const unsigned char *incident, const unsigned char *contact)
{
	struct pick p = { .n = 0 };
	struct cimic_error err;
	struct oplog_txn *txn;
	int k;

	if (search_query(app->st, words, kind, false, 30, add_pick, &p, &err) != 0 || p.n == 0) {
		app_error(app, "%s", _("Nothing found to link."));
		goto out;
	}
	if ((k = dialog_pick(app, _("Link which one?"), (const char *const *)p.labels, p.n, 0)) < 0)
		goto out;
	if (oplog_begin(app->st, &txn, &err) != 0)
		goto fail;
	if (model_link(txn, incident ? incident : p.ids[k], contact ? contact : p.ids[k], true, &err) != 0) {
		oplog_abort(txn);
		goto fail;
	}
	if (oplog_commit(txn, &err) != 0)
		goto fail;
	app_message(app, _("Linked «%s»."), p.labels[k]);
	goto out;
fail:
	app_error(app, "%s", err.msg);
out:
	for (size_t i = 0; i < p.n; i++)
		free(p.labels[i]);
}
