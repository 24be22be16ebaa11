/*
 * screen-duplicates.c - candidate duplicates, side by side (HQ).
 *
 * The pairs dup_find proposes, best first; under the list the selected
 * pair field by field, the one that stays on the left, differing values
 * marked.  `m` merges the right one into the left after a typed
 * confirmation, `w` swaps which one stays, `d` dismisses the pair ("not
 * the same"), `u` takes either back.  Opened from a list with `M`
 * (contacts or incidents, as the list) or by `:duplicates [incidents]`.
 * Merging and dismissing are HQ's: elsewhere the screen only shows.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cimic/duplicates.h"
#include "cimic/i18n.h"
#include "cimic/identity.h"
#include "cimic/oplog.h"
#include "cimic/store.h"
#include "dialog.h"
#include "reclist.h"

static struct {
	enum model_kind kind;
	struct dup_list l;
	int sel, top;
	bool swapped;                 /* the right one stays */
	struct model_record rec[2];   /* the selected pair: [0] stays, [1] is merged in */
	int loaded_for;               /* pair index of rec[], -1 none */
} u = { .kind = MODEL_CONTACT, .loaded_for = -1 };

static void
drop_pair(void)
{
	if (u.loaded_for >= 0) {
		model_record_finish(&u.rec[0]);
		model_record_finish(&u.rec[1]);
	}
	u.loaded_for = -1;
}

static void
enter(struct app *app)
{
	struct cimic_error err;

	drop_pair();
	dup_list_finish(&u.l);
	dup_list_init(&u.l);
	if (dup_find(app->st, u.kind, &u.l, &err) != 0)
		app_error(app, "%s", err.msg);
	if (u.sel >= (int)u.l.n)
		u.sel = u.l.n ? (int)u.l.n - 1 : 0;
}

void
duplicates_show(struct app *app, enum model_kind kind)
{
	if (kind != u.kind)
		u.sel = u.top = 0;
	u.kind = kind;
	u.swapped = false;
	if (app_screen(app) == &screen_duplicates)
		enter(app);
	else
		app_push(app, &screen_duplicates);
}

static bool
load_pair(struct app *app)
{
	const struct dup_pair *p;
	struct cimic_error err;

	if (u.l.n == 0)
		return false;
	if (u.loaded_for == u.sel)
		return true;
	drop_pair();
	p = &u.l.pairs[u.sel];
	model_record_init(&u.rec[0], u.kind);
	model_record_init(&u.rec[1], u.kind);
	if (model_get(app->st, u.kind, u.swapped ? p->b : p->a, &u.rec[0], &err) != 0 ||
	    model_get(app->st, u.kind, u.swapped ? p->a : p->b, &u.rec[1], &err) != 0) {
		model_record_finish(&u.rec[0]);
		model_record_finish(&u.rec[1]);
		app_error(app, "%s", err.msg);
		return false;
	}
	u.loaded_for = u.sel;
	return true;
}

static void
reasons_text(unsigned reasons, char *buf, size_t n)
{
	size_t k = 0;

	buf[0] = '\0';
	for (unsigned r = 0; r < DUP_REASONS && k < n; r++)
		if (reasons & (1u << r))
			k += (size_t)snprintf(buf + k, n - k, "%s%s", k ? ", " : "", dup_reason_label(r));
}

static void
pair_line(struct app *app, int i, char *buf, size_t n)
{
	const struct dup_pair *p = &u.l.pairs[i];
	char ta[160] = "?", tb[160] = "?";
	struct model_record r;
	struct cimic_error err;

	model_record_init(&r, u.kind);
	if (model_get(app->st, u.kind, p->a, &r, &err) == 0)
		app_record_title(&r, ta, sizeof ta);
	model_record_finish(&r);
	model_record_init(&r, u.kind);
	if (model_get(app->st, u.kind, p->b, &r, &err) == 0)
		app_record_title(&r, tb, sizeof tb);
	model_record_finish(&r);
	snprintf(buf, n, "%3d  %s  ~  %s", p->score, ta, tb);
}

static void
draw_list(struct app *app, struct rect r)
{
	char line[512];

	if (u.sel < u.top)
		u.top = u.sel;
	if (u.sel >= u.top + r.h)
		u.top = u.sel - r.h + 1;
	for (int i = 0; i < r.h && u.top + i < (int)u.l.n; i++) {
		bool on = u.top + i == u.sel;
		pair_line(app, u.top + i, line + 2, sizeof line - 2);
		line[0] = on ? '>' : ' ';
		line[1] = ' ';
		text_draw_padded(r.y + i, r.x, r.w, line, theme_attr(on ? TH_SELECTED : TH_NORMAL));
	}
}

static char *
value_or_blank(const struct model_field *f, const struct model_value *v)
{
	return v->type == MV_NULL ? util_strdup("") : tui_value_text(f, v);
}

/* The pair field by field: label, the one that stays, the one merged in. */
static void
draw_sides(struct rect r)
{
	size_t nf;
	const struct model_field *f = model_fields(u.kind, &nf);
	int lw = r.w >= 70 ? 18 : 12, cw = (r.w - lw - 2) / 2, y = r.y + 1;
	char head[2][200];

	for (int s = 0; s < 2; s++)
		snprintf(head[s], sizeof head[s], "%s · %s", s == 0 ? _("Stays") : _("Merged in"),
			 u.rec[s].author_unit[0] ? u.rec[s].author_unit : "?");
	text_draw(r.y, r.x + lw + 1, cw, head[0], theme_attr(TH_HEADER));
	text_draw(r.y, r.x + lw + 2 + cw, cw, head[1], theme_attr(TH_HEADER));
	for (size_t i = 0; i < nf && y < r.y + r.h; i++) {
		const struct model_value *a = &u.rec[0].v[i], *b = &u.rec[1].v[i];
		char *ta, *tb;
		bool differ;
		if (!f[i].user || (a->type == MV_NULL && b->type == MV_NULL))
			continue;
		ta = value_or_blank(&f[i], a);
		tb = value_or_blank(&f[i], b);
		differ = ta && tb && a->type != MV_NULL && b->type != MV_NULL && strcmp(ta, tb) != 0;
		text_draw_padded(y, r.x, lw, _(f[i].label), theme_attr(TH_DIM));
		text_draw_padded(y, r.x + lw + 1, cw, ta ? ta : "", theme_attr(differ ? TH_WARN : TH_NORMAL));
		text_draw_padded(y, r.x + lw + 2 + cw, cw, tb ? tb : "",
				 theme_attr(differ ? TH_WARN : TH_NORMAL));
		free(ta);
		free(tb);
		y++;
	}
}

static void
draw(struct app *app, struct rect r)
{
	int rows;
	char line[512], reasons[256];

	if (u.l.n == 0) {
		snprintf(line, sizeof line, u.kind == MODEL_CONTACT ? _("No duplicate contacts proposed.")
								     : _("No duplicate incidents proposed."));
		text_draw(r.y + 1, r.x + 2, r.w - 4, line, theme_attr(TH_DIM));
		return;
	}
	snprintf(line, sizeof line,
		 u.kind == MODEL_CONTACT ? P_("%zu candidate pair among %zu contacts",
					      "%zu candidate pairs among %zu contacts", u.l.n)
					 : P_("%zu candidate pair among %zu incidents",
					      "%zu candidate pairs among %zu incidents", u.l.n),
		 u.l.n, u.l.records);
	text_draw(r.y, r.x + 1, r.w - 2, line, theme_attr(TH_DIM));
	rows = r.h / 3 < 2 ? 2 : r.h / 3;
	draw_list(app, (struct rect){ r.y + 1, r.x, rows, r.w });
	if (!load_pair(app))
		return;
	reasons_text(u.l.pairs[u.sel].reasons, reasons, sizeof reasons);
	snprintf(line, sizeof line, _("Why: %s"), reasons);
	text_draw(r.y + rows + 1, r.x + 1, r.w - 2, line, theme_attr(TH_DIM));
	draw_sides((struct rect){ r.y + rows + 2, r.x + 1, r.h - rows - 2, r.w - 2 });
}

static bool
may_change(struct app *app)
{
	if (store_identity(app->st)->pub.role == NODE_HQ)
		return true;
	app_error(app, "%s", _("Duplicates are merged and dismissed at HQ."));
	return false;
}

static void
merge(struct app *app)
{
	struct oplog_txn *txn;
	struct cimic_error err;
	char question[512], keep[160], lose[160];

	if (!load_pair(app) || !may_change(app))
		return;
	app_record_title(&u.rec[0], keep, sizeof keep);
	app_record_title(&u.rec[1], lose, sizeof lose);
	snprintf(question, sizeof question,
		 _("Merge «%s» into «%s»? The first is hidden, the second shows its values; u undoes it."),
		 lose, keep);
	/* TRANSLATORS: the word typed to confirm a merge; any keyboard layout works */
	if (!dialog_confirm_word(app, question, _("MERGE"))) {
		app_message(app, "%s", _("Not merged."));
		return;
	}
	if (oplog_begin(app->st, &txn, &err) != 0) {
		app_error(app, "%s", err.msg);
		return;
	}
	if (model_merge_record(txn, u.kind, u.rec[1].id, u.rec[0].id, &err) != 0) {
		oplog_abort(txn);
		app_error(app, "%s", err.msg);
		return;
	}
	if (oplog_commit(txn, &err) != 0) {
		app_error(app, "%s", err.msg);
		return;
	}
	app_undo_push_pair(app, UNDO_MERGE, u.kind, u.rec[1].id, u.rec[0].id);
	app_message(app, _("Merged into «%s». u undoes it."), keep);
	u.swapped = false;
	enter(app);
}

static void
dismiss(struct app *app)
{
	struct oplog_txn *txn;
	struct cimic_error err;
	unsigned char a[CIMIC_ID_BYTES], b[CIMIC_ID_BYTES];

	if (u.l.n == 0 || !may_change(app))
		return;
	memcpy(a, u.l.pairs[u.sel].a, CIMIC_ID_BYTES);
	memcpy(b, u.l.pairs[u.sel].b, CIMIC_ID_BYTES);
	if (oplog_begin(app->st, &txn, &err) != 0) {
		app_error(app, "%s", err.msg);
		return;
	}
	if (dup_dismiss(txn, u.kind, a, b, true, &err) != 0) {
		oplog_abort(txn);
		app_error(app, "%s", err.msg);
		return;
	}
	if (oplog_commit(txn, &err) != 0) {
		app_error(app, "%s", err.msg);
		return;
	}
	app_undo_push_pair(app, UNDO_DISMISS, u.kind, a, b);
	app_message(app, "%s", _("Not the same: the pair is not proposed again. u undoes it."));
	enter(app);
}

static int
action(struct app *app, enum action a)
{
	switch (a) {
	case ACT_UP: if (u.sel > 0) u.sel--, u.swapped = false; break;
	case ACT_DOWN: if (u.sel + 1 < (int)u.l.n) u.sel++, u.swapped = false; break;
	case ACT_TOP: u.sel = 0; u.swapped = false; break;
	case ACT_BOTTOM: u.sel = u.l.n ? (int)u.l.n - 1 : 0; u.swapped = false; break;
	case ACT_SWAP:
		u.swapped = !u.swapped;
		drop_pair();
		break;
	case ACT_MERGE: merge(app); break;
	case ACT_DISMISS: dismiss(app); break;
	case ACT_OPEN:
		if (load_pair(app))
			app_open_record(app, u.kind, u.rec[0].id);
		break;
	default: return R_PASS;
	}
	return R_DONE;
}

static const enum action hints[] = { ACT_MERGE, ACT_SWAP, ACT_DISMISS, ACT_UNDO, ACT_OPEN, ACT_QUIT,
				     ACT_NONE };

const struct screen screen_duplicates = {
	.title = N_("Duplicates"),
	.ctx = CTX_DUPLICATES,
	.nav = true,
	.enter = enter,
	.draw = draw,
	.action = action,
	.hints = hints,
	.changed = enter,
};
