/*
 * screen-conflicts.c - fields that two people changed concurrently.
 *
 * The op log keeps every concurrent value (heads) until a person
 * decides; this screen lists the open conflicts, shows each competing
 * value with its author and time, and resolves with the one chosen
 * (oplog_resolve replaces all heads).  Nothing is lost: the other
 * values stay in the log.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cimic/i18n.h"
#include "cimic/oplog.h"
#include "cimic/roster.h"
#include "cimic/store.h"
#include "cimic/timefmt.h"
#include "cli/cli.h"
#include "reclist.h"

#define MAX_CONFLICTS 500

static struct {
	struct oplog_conflict c[MAX_CONFLICTS];
	int n, sel, top;
	struct oplog_head *heads;
	size_t nheads;
	int choice;
	int loaded_for;      /* index whose heads are loaded, -1 none */
	long total;          /* all open conflicts; n stops at MAX_CONFLICTS */
} k = { .loaded_for = -1 };

static int
add_conflict(const struct oplog_conflict *c, void *arg)
{
	(void)arg;
	if (k.n == MAX_CONFLICTS)
		return 1;
	k.c[k.n++] = *c;
	return 0;
}

static void
drop_heads(void)
{
	oplog_heads_free(k.heads, k.nheads);
	k.heads = NULL;
	k.nheads = 0;
	k.loaded_for = -1;
}

static void
enter(struct app *app)
{
	struct cimic_error err;

	drop_heads();
	k.n = 0;
	if (oplog_conflicts(app->st, add_conflict, NULL, &err) < 0)
		app_error(app, "%s", err.msg);
	k.total = k.n == MAX_CONFLICTS ? oplog_conflict_count(app->st) : k.n;
	if (k.sel >= k.n)
		k.sel = k.n ? k.n - 1 : 0;
}

static void
load_heads(struct app *app)
{
	struct cimic_error err;
	const struct oplog_conflict *c;

	if (k.loaded_for == k.sel || k.n == 0)
		return;
	drop_heads();
	c = &k.c[k.sel];
	if (oplog_heads(app->st, c->tbl, c->row, c->field, &k.heads, &k.nheads, &err) != 0) {
		app_error(app, "%s", err.msg);
		return;
	}
	k.loaded_for = k.sel;
	k.choice = 0;
}

/* "«title» · Field" of a conflict. */
static void
describe(struct app *app, const struct oplog_conflict *c, char *buf, size_t n)
{
	struct model_record r;
	struct cimic_error err;
	const struct model_field *f = model_field_by_id((enum model_kind)c->tbl, c->field);
	char title[160] = "?", dtg[16];

	if (c->tbl == MODEL_CONTACT || c->tbl == MODEL_INCIDENT) {
		model_record_init(&r, (enum model_kind)c->tbl);
		if (model_get(app->st, (enum model_kind)c->tbl, c->row, &r, &err) == 0)
			app_record_title(&r, title, sizeof title);
		model_record_finish(&r);
	}
	timefmt_dtg(oplog_hlc_ms(c->opened_hlc), dtg, sizeof dtg);
	snprintf(buf, n, "%s  %s · %s", dtg, title, f ? _(f->label) : "?");
}

/* Who wrote a value: the unit, as HQ named it; a fingerprint only for a node nobody enrolled. */
static void
author_name(struct app *app, const unsigned char *author, const unsigned char *me, char *buf, size_t n)
{
	struct roster_node node;

	if (memcmp(author, me, 32) == 0)
		snprintf(buf, n, _("%s (this laptop)"), store_identity(app->st)->pub.unit);
	else if (roster_get(app->st, author, &node))
		snprintf(buf, n, "%s", node.pub.unit);
	else
		identity_fingerprint(author, buf, n);
}

static void
draw_heads(struct app *app, struct rect r)
{
	const struct oplog_conflict *c = &k.c[k.sel];
	const struct model_field *f = model_field_by_id((enum model_kind)c->tbl, c->field);
	const unsigned char *me = store_identity(app->st)->pub.sign_pk;
	char line[512], who[ROSTER_NAME_MAX + 48], dtg[16];

	text_draw(r.y, r.x + 1, r.w - 2, _("Values (Left/Right choose, r keeps the chosen one):"),
		  theme_attr(TH_HEADER));
	for (size_t i = 0; i < k.nheads && (int)i + 1 < r.h; i++) {
		char *v = f ? tui_value_text(f, &k.heads[i].v) : NULL;
		bool on = (int)i == k.choice;
		author_name(app, k.heads[i].author, me, who, sizeof who);
		timefmt_dtg(oplog_hlc_ms(k.heads[i].hlc), dtg, sizeof dtg);
		snprintf(line, sizeof line, "%s %s  — %s, %s%s", on ? ">" : " ", v && *v ? v : _("(empty)"),
			 who, dtg, k.heads[i].shown ? _(" (shown now)") : "");
		text_draw_padded(r.y + 1 + (int)i, r.x + 1, r.w - 2, line,
				 theme_attr(on ? TH_SELECTED : TH_NORMAL));
		free(v);
	}
}

static void
draw(struct app *app, struct rect r)
{
	int rows = k.n ? r.h / 2 : r.h;
	char line[512];

	if (k.n == 0) {
		text_draw(r.y + 1, r.x + 2, r.w - 4, _("No open conflicts."), theme_attr(TH_DIM));
		return;
	}
	if (k.total > k.n) {
		char shown[32], all[32];
		cli_count_text(k.n, shown, sizeof shown);
		cli_count_text(k.total, all, sizeof all);
		snprintf(line, sizeof line, P_("%s of %s open conflict (resolve some to see the rest)",
					       "%s of %s open conflicts (resolve some to see the rest)",
					       k.total), shown, all);
	} else {
		snprintf(line, sizeof line, P_("%d open conflict", "%d open conflicts", k.n), k.n);
	}
	text_draw(r.y, r.x + 1, r.w - 2, line, theme_attr(TH_DIM));
	if (k.sel < k.top)
		k.top = k.sel;
	if (k.sel >= k.top + rows - 1)
		k.top = k.sel - rows + 2;
	for (int i = 0; i + 1 < rows && k.top + i < k.n; i++) {
		bool on = k.top + i == k.sel;
		describe(app, &k.c[k.top + i], line + 2, sizeof line - 2);
		line[0] = on ? '>' : ' ';
		line[1] = ' ';
		text_draw_padded(r.y + 1 + i, r.x, r.w, line, theme_attr(on ? TH_SELECTED : TH_NORMAL));
	}
	load_heads(app);
	draw_heads(app, (struct rect){ r.y + rows + 1, r.x, r.h - rows - 1, r.w });
}

static void
resolve(struct app *app)
{
	const struct oplog_conflict *c;
	struct oplog_txn *txn;
	struct cimic_error err;

	if (k.n == 0 || k.loaded_for != k.sel || (size_t)k.choice >= k.nheads)
		return;
	c = &k.c[k.sel];
	if (oplog_begin(app->st, &txn, &err) != 0) {
		app_error(app, "%s", err.msg);
		return;
	}
	if (oplog_resolve(txn, c->tbl, c->row, c->field, &k.heads[k.choice].v, &err) != 0) {
		oplog_abort(txn);
		app_error(app, "%s", err.msg);
		return;
	}
	if (oplog_commit(txn, &err) != 0)
		app_error(app, "%s", err.msg);
	else
		app_message(app, "%s", _("Resolved. The other values stay in the log."));
	enter(app);
}

static int
action(struct app *app, enum action a)
{
	switch (a) {
	case ACT_UP: if (k.sel > 0) k.sel--; break;
	case ACT_DOWN: if (k.sel + 1 < k.n) k.sel++; break;
	case ACT_LEFT: if (k.choice > 0) k.choice--; break;
	case ACT_RIGHT: if ((size_t)k.choice + 1 < k.nheads) k.choice++; break;
	case ACT_RESOLVE: case ACT_OPEN: resolve(app); break;
	case ACT_EDIT:
		if (k.n && (k.c[k.sel].tbl == MODEL_CONTACT || k.c[k.sel].tbl == MODEL_INCIDENT))
			app_open_record(app, (enum model_kind)k.c[k.sel].tbl, k.c[k.sel].row);
		break;
	default: return R_PASS;
	}
	return R_DONE;
}

static const enum action hints[] = { ACT_RESOLVE, ACT_LEFT, ACT_EDIT, ACT_NEXT_SCREEN, ACT_QUIT, ACT_NONE };

const struct screen screen_conflicts = {
	.title = N_("Conflicts"),
	.ctx = CTX_CONFLICTS,
	.nav = true,
	.enter = enter,
	.draw = draw,
	.action = action,
	.hints = hints,
	.changed = enter,
};
