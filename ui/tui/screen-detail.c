/*
 * screen-detail.c - one record in full, with its linked records.
 *
 * Contacts of an incident (or incidents of a contact) are listed under
 * the fields; Enter follows a link, and Esc walks back along the links
 * followed (a small history kept here), then to the list.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cimic/duplicates.h"
#include "cimic/i18n.h"
#include "cimic/oplog.h"
#include "cimic/search.h"
#include "cimic/timefmt.h"
#include "dialog.h"
#include "reclist.h"

#define HISTORY 16
#define MAX_LINKED 200

struct linked {
	enum model_kind kind;
	unsigned char id[CIMIC_ID_BYTES];
	char title[160];
	bool archived;
};

static struct {
	struct { enum model_kind kind; unsigned char id[CIMIC_ID_BYTES]; } hist[HISTORY];
	int nhist;
	struct model_record rec;
	struct model_merged_view merged;   /* what the records merged into it add */
	bool loaded;
	struct linked links[MAX_LINKED];
	int nlinks, sel, scroll;
} d;

static int
add_linked(const struct model_record *r, void *arg)
{
	struct linked *l;

	(void)arg;
	if (d.nlinks == MAX_LINKED)
		return 1;
	l = &d.links[d.nlinks++];
	l->kind = r->kind;
	memcpy(l->id, r->id, CIMIC_ID_BYTES);
	app_record_title(r, l->title, sizeof l->title);
	l->archived = r->archived;
	return 0;
}

static void
enter(struct app *app)
{
	struct cimic_error err;

	if (d.nhist == 0)
		return;
	if (d.loaded) {
		model_record_finish(&d.rec);
		model_merged_view_finish(&d.merged);
	}
	model_record_init(&d.rec, d.hist[d.nhist - 1].kind);
	d.loaded = model_get(app->st, d.hist[d.nhist - 1].kind, d.hist[d.nhist - 1].id, &d.rec, &err) == 0 &&
		   model_merged_view(app->st, &d.rec, &d.merged, &err) == 0;
	if (!d.loaded)
		app_error(app, "%s", err.msg);
	d.nlinks = 0;
	if (d.loaded)
		model_linked(app->st, d.rec.kind, d.rec.id, add_linked, NULL, &err);
	if (d.sel >= d.nlinks)
		d.sel = d.nlinks ? d.nlinks - 1 : 0;
}

void
detail_show(struct app *app, enum model_kind kind, const unsigned char id[CIMIC_ID_BYTES])
{
	if (app_screen(app) != &screen_detail)
		d.nhist = 0;
	if (d.nhist == HISTORY) {
		memmove(d.hist, d.hist + 1, (HISTORY - 1) * sizeof d.hist[0]);
		d.nhist--;
	}
	d.hist[d.nhist].kind = kind;
	memcpy(d.hist[d.nhist].id, id, CIMIC_ID_BYTES);
	d.nhist++;
	d.sel = d.scroll = 0;
	if (app_screen(app) == &screen_detail)
		enter(app);
	else
		app_push(app, &screen_detail);
}

struct out {
	struct rect r;
	int line;       /* next line, before scrolling */
	int scroll;
	attr_t attr;
};

static void
out_line(const char *text, void *arg)
{
	struct out *o = arg;
	int y = o->line - o->scroll;

	if (y >= 0 && y < o->r.h)
		text_draw(o->r.y + y, o->r.x, o->r.w, text, o->attr);
	o->line++;
}

/* The other values of the records merged into this one, and where it was merged from. */
static void
draw_merged(struct out *o)
{
	size_t nf;
	const struct model_field *f = model_fields(d.rec.kind, &nf);
	char line[512], hex[CIMIC_ID_HEX];

	o->attr = theme_attr(TH_NORMAL);
	for (size_t i = 0; i < d.merged.nalts; i++) {
		const struct model_alternative *a = &d.merged.alts[i];
		char *text;
		int pad = o->r.w >= 70 ? 24 - text_width(_(f[a->field].label)) : 1;
		util_hex(a->from, CIMIC_ID_BYTES, hex);
		text = util_aprintf("%s%*s %s  (%s %.8s)", _(f[a->field].label), pad > 0 ? pad : 0, "",
				    a->text, _("also, merged"), hex);
		if (text)
			text_wrap(text, o->r.w, out_line, o);
		free(text);
	}
	if (d.merged.nfrom == 0)
		return;
	o->attr = theme_attr(TH_DIM);
	for (size_t i = 0; i < d.merged.nfrom; i++) {
		util_hex(d.merged.from[i], CIMIC_ID_BYTES, hex);
		snprintf(line, sizeof line, _("Merged from %.8s"), hex);
		out_line(line, o);
	}
}

static void
draw_fields(struct out *o)
{
	size_t nf;
	const struct model_field *f = model_fields(d.rec.kind, &nf);
	char dtg[16], line[512], hex[CIMIC_ID_HEX];

	for (size_t i = 0; i < nf; i++) {
		char *v, *text;
		/* every field but the flags and references, imported ones too */
		if (f[i].type == FT_FLAG || f[i].type == FT_REF || d.rec.v[i].type == MV_NULL ||
		    strcmp(f[i].name, "distinct_from") == 0)
			continue;
		v = tui_value_text(&f[i], &d.rec.v[i]);
		int pad = o->r.w >= 70 ? 24 - text_width(_(f[i].label)) : 1;
		text = util_aprintf("%s%*s %s", _(f[i].label), pad > 0 ? pad : 0, "", v ? v : "");
		o->attr = theme_attr(TH_NORMAL);
		if (text)
			text_wrap(text, o->r.w, out_line, o);
		free(text);
		free(v);
	}
	draw_merged(o);
	o->attr = theme_attr(TH_DIM);
	timefmt_dtg(d.rec.created_ms, dtg, sizeof dtg);
	util_hex(d.rec.id, CIMIC_ID_BYTES, hex);
	snprintf(line, sizeof line, _("Created %s by %s · id %.8s"), dtg,
		 d.rec.author_unit[0] ? d.rec.author_unit : "?", hex);
	out_line(line, o);
	if (d.rec.archived)
		out_line(_("Archived. D restores it."), o);
	if (d.rec.conflicts > 0) {
		snprintf(line, sizeof line, _("%d fields in conflict: see the Conflicts screen (4)."),
			 d.rec.conflicts);
		o->attr = theme_attr(TH_WARN);
		out_line(line, o);
	}
}

static void
draw(struct app *app, struct rect r)
{
	struct out o = { { r.y + 2, r.x + 1, r.h - 2, r.w - 2 }, 0, 0, 0 };
	char title[200], line[256];

	if (!d.loaded)
		return;
	app_record_title(&d.rec, title, sizeof title);
	text_draw(r.y, r.x + 1, r.w - 2, title, theme_attr(TH_HEADER));
	o.scroll = d.scroll;
	draw_fields(&o);
	o.line++;
	o.attr = theme_attr(TH_HEADER);
	snprintf(line, sizeof line, d.rec.kind == MODEL_INCIDENT ? _("Linked contacts (%d): l links one")
		 : _("Linked incidents (%d): l links one"), d.nlinks);
	out_line(line, &o);
	for (int i = 0; i < d.nlinks; i++) {
		snprintf(line, sizeof line, "%s %s%s", i == d.sel ? ">" : " ", d.links[i].title,
			 d.links[i].archived ? _(" (archived)") : "");
		o.attr = theme_attr(i == d.sel ? TH_SELECTED : TH_NORMAL);
		out_line(line, &o);
	}
	/* keep the selected link in view */
	if (d.nlinks && o.line - d.nlinks + d.sel - d.scroll >= o.r.h)
		d.scroll = o.line - d.nlinks + d.sel - o.r.h + 1;
}

/* Asks for words, searches records of the other kind, links the chosen one. */
static void
link_record(struct app *app)
{
	enum model_kind other = d.rec.kind == MODEL_INCIDENT ? MODEL_CONTACT : MODEL_INCIDENT;
	char *words = NULL;

	if (dialog_prompt(app, other == MODEL_CONTACT ? _("Link contact, search:") :
			  _("Link incident, search:"), "", &words) != 0)
		return;
	search_pick_and_link(app, other, words, d.rec.kind == MODEL_INCIDENT ? d.rec.id : NULL,
			     d.rec.kind == MODEL_CONTACT ? d.rec.id : NULL);
	free(words);
	enter(app);
}

static void
unlink_selected(struct app *app)
{
	struct oplog_txn *txn;
	struct cimic_error err;
	const struct linked *l;

	if (d.nlinks == 0)
		return;
	l = &d.links[d.sel];
	if (oplog_begin(app->st, &txn, &err) != 0) {
		app_error(app, "%s", err.msg);
		return;
	}
	if (model_link(txn, d.rec.kind == MODEL_INCIDENT ? d.rec.id : l->id,
		       d.rec.kind == MODEL_INCIDENT ? l->id : d.rec.id, false, &err) != 0) {
		oplog_abort(txn);
		app_error(app, "%s", err.msg);
		return;
	}
	if (oplog_commit(txn, &err) != 0)
		app_error(app, "%s", err.msg);
	else
		app_message(app, _("Unlinked «%s»; l links it again."), l->title);
	enter(app);
}

static int
back(struct app *app)
{
	if (d.nhist > 1) {
		d.nhist--;
		d.sel = d.scroll = 0;
		enter(app);
	} else {
		d.nhist = 0;
		app_pop(app);
	}
	return R_DONE;
}

static int
action(struct app *app, enum action a)
{
	if (!d.loaded && a != ACT_BACK && a != ACT_QUIT)
		return R_PASS;
	switch (a) {
	case ACT_BACK: case ACT_QUIT: return back(app);
	case ACT_UP: if (d.sel > 0) d.sel--; else if (d.scroll > 0) d.scroll--; break;
	case ACT_DOWN: if (d.sel + 1 < d.nlinks) d.sel++; else d.scroll++; break;
	case ACT_PGUP: d.scroll = d.scroll > 10 ? d.scroll - 10 : 0; break;
	case ACT_PGDN: d.scroll += 10; break;
	case ACT_TOP: d.scroll = d.sel = 0; break;
	case ACT_OPEN:
		if (d.nlinks)
			detail_show(app, d.links[d.sel].kind, d.links[d.sel].id);
		break;
	case ACT_EDIT: form_start(app, d.rec.kind, d.rec.id, false); break;
	case ACT_ARCHIVE:
		app_archive(app, d.rec.kind, d.rec.id, !d.rec.archived);
		enter(app);
		break;
	case ACT_LINK: link_record(app); break;
	case ACT_UNLINK: unlink_selected(app); break;
	default: return R_PASS;
	}
	return R_DONE;
}

static const enum action hints[] = {
	ACT_EDIT, ACT_ARCHIVE, ACT_UNDO, ACT_LINK, ACT_UNLINK, ACT_OPEN, ACT_BACK, ACT_NONE,
};

const struct screen screen_detail = {
	.title = N_("Record"),
	.ctx = CTX_DETAIL,
	.nav = true,
	.enter = enter,
	.draw = draw,
	.action = action,
	.hints = hints,
	.changed = enter,
};
