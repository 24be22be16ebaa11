/*
 * screen-form.c - add and edit forms, built from the model's field
 * table, and the quick-capture incident form.
 *
 * Each field is a line editor (free text, numbers, times, places) or a
 * pick list (codes).  A field is checked when the cursor leaves it,
 * with model_parse_value(), and the result is shown at once: the DTG
 * and local time of a time, the MGRS and lat,lon of a place.  Saving
 * parses every field the user gave (new record) or changed (edit) into
 * one model_change and writes it in one op-log transaction; an edit
 * keeps the old values of the changed fields for `u`.
 *
 * Nothing typed is lost: Esc on a changed form asks (keep editing, keep
 * a draft, discard); Ctrl-C, the idle lock, Ctrl-Z, quitting and a
 * signal keep a draft in the store's meta table (inside the encrypted
 * database, like every record), and it is also written about every two
 * seconds while typing, so a killed process loses at most that.  The
 * next `n`/`i` (new) or `e` (the same record) offers the draft back.
 * Entering a pre-filled field selects its value, so typing replaces it.
 *
 * Quick capture: title, type, time (now), place (the last one used),
 * settlement, severity, description, counts.  Reporter is this node's
 * unit (the op log records it as author).  Type a title, Ctrl-S: saved.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cimic/gazetteer.h"
#include "cimic/geo.h"
#include "cimic/i18n.h"
#include "cimic/oplog.h"
#include "cimic/store.h"
#include "cimic/timefmt.h"
#include "dialog.h"
#include "form.h"
#include "reclist.h"

#define META_LAST_LOCATION "tui.last_location"
#define META_LAST_SETTLEMENT "tui.last_settlement"

const char *const quick_fields[] = {
	"title", "type", "when", "location", "settlement", "severity", "description", "killed",
	"injured", NULL,
};

static void
form_clear(void)
{
	for (size_t i = 0; i < form.n; i++)
		lineedit_finish(&form.ff[i].le);
	if (form.active)
		model_record_finish(&form.orig);
	memset(&form, 0, sizeof form);
}

int
code_index(const struct code_list *cl, const char *code)
{
	for (size_t i = 0; code && i < cl->count; i++)
		if (strcmp(cl->items[i].code, code) == 0)
			return (int)i;
	return -1;
}

static void
add_field(const struct model_field *f, const char *text)
{
	struct ffield *ff = &form.ff[form.n++];

	memset(ff, 0, sizeof *ff);
	ff->f = f;
	lineedit_init(&ff->le, f->type == FT_LONGTEXT ? 16384 : 1024, false);
	ff->code = ff->orig_code = f->type == FT_CODE ? code_index(f->codes, text) : -1;
	if (f->type != FT_CODE)
		lineedit_set(&ff->le, text ? text : "");
}

/* The place of the last incident, in MGRS (what officers read off a map). */
static char *
last_location(struct app *app)
{
	char *latlon = store_meta_get(app->st, META_LAST_LOCATION), mgrs[40];
	struct geo_point p;
	struct cimic_error err;

	if (latlon && geo_parse(latlon, &p, &err) == 0 && geo_to_mgrs(p, 5, true, mgrs, sizeof mgrs, &err) == 0) {
		free(latlon);
		return util_strdup(mgrs);
	}
	return latlon;
}

/* Initial text of a field: the record's value (edit) or a default (new). */
static char *
initial_text(struct app *app, const struct model_field *f, int idx)
{
	char dtg[16];

	if (form.editing)
		return model_value_text(f, &form.orig.v[idx], false);
	if (form.kind == MODEL_INCIDENT && strcmp(f->name, "when") == 0) {
		timefmt_dtg(timefmt_now_ms(), dtg, sizeof dtg);
		return util_strdup(dtg);
	}
	if (form.kind == MODEL_INCIDENT && strcmp(f->name, "location") == 0)
		return last_location(app);
	if (form.kind == MODEL_INCIDENT && strcmp(f->name, "settlement") == 0)
		return store_meta_get(app->st, META_LAST_SETTLEMENT);
	if (f->type == FT_CODE)
		return util_strdup(f->codes->fallback);
	return NULL;
}

static void check_field(struct ffield *ff);
struct form form;

static void
build_fields(struct app *app)
{
	size_t n;
	const struct model_field *f = model_fields(form.kind, &n);

	for (size_t k = 0; form.quick && quick_fields[k]; k++) {
		const struct model_field *qf = model_field_by_name(form.kind, quick_fields[k]);
		char *t = qf ? initial_text(app, qf, model_record_index(form.kind, qf->name)) : NULL;
		if (qf)
			add_field(qf, t);
		free(t);
	}
	for (size_t i = 0; !form.quick && i < n; i++) {
		char *t;
		if (!f[i].user)
			continue;
		t = initial_text(app, &f[i], (int)i);
		add_field(&f[i], t);
		free(t);
	}
	for (size_t i = 0; i < form.n; i++)
		check_field(&form.ff[i]);
}


/* Selects a pre-filled value on entry, so that typing replaces it; what was typed here (or came back from a draft) is never selected. */
static void
enter_field(struct ffield *ff)
{
	if (ff->f->type != FT_CODE && !lineedit_dirty(&ff->le))
		lineedit_select_all(&ff->le);
}

int
form_start(struct app *app, enum model_kind kind, const unsigned char *id, bool quick)
{
	char *draft;
	struct cimic_error err;

	form_clear();
	form.kind = kind;
	form.quick = quick && kind == MODEL_INCIDENT && id == NULL;
	form.editing = id != NULL;
	model_record_init(&form.orig, kind);
	form.active = true;
	if (id) {
		memcpy(form.id, id, CIMIC_ID_BYTES);
		if (model_get(app->st, kind, id, &form.orig, &err) != 0) {
			app_error(app, "%s", err.msg);
			form_clear();
			return -1;
		}
	}
	if ((draft = draft_offer(app)) != NULL && form.quick && draft_needs_full(draft))
		form.quick = false;
	build_fields(app);
	if (draft) {
		draft_apply(draft);
		for (size_t i = 0; i < form.n; i++)
			check_field(&form.ff[i]);
		form.draft_ms = timefmt_now_ms();
		free(draft);
	}
	enter_field(&form.ff[0]);
	app_push(app, &screen_form);
	return 0;
}

/* What a checked value means, in the form the user did not type: local time for a DTG, lat,lon for MGRS and MGRS for lat,lon. */
static void
echo_value(struct ffield *ff, const char *typed, const struct model_value *v)
{
	char buf[64];
	struct geo_point p;
	struct cimic_error err;

	if (ff->f->type == FT_TIME && v->type == MV_INT) {
		timefmt_local(v->i, buf, sizeof buf);
		snprintf(ff->hint, sizeof ff->hint, "= %s", buf);
	} else if (ff->f->type == FT_LOCATION && v->type == MV_TEXT) {
		if (strchr(typed, ',') && geo_parse(v->s, &p, &err) == 0 &&
		    geo_to_mgrs(p, 5, true, buf, sizeof buf, &err) == 0)
			snprintf(ff->hint, sizeof ff->hint, "= %s", buf);
		else
			snprintf(ff->hint, sizeof ff->hint, "= %s", v->s);
	}
}

/* Checks one field and fills its hint or error line. */
static void
check_field(struct ffield *ff)
{
	struct model_value v = { MV_NULL, 0, NULL };
	struct cimic_error err;
	char *text;

	ff->err[0] = ff->hint[0] = '\0';
	if (ff->f->type == FT_CODE)
		return;
	if ((text = lineedit_utf8(&ff->le)) == NULL)
		return;
	if (model_parse_value(ff->f, text, timefmt_now_ms(), &v, &err) != 0)
		snprintf(ff->err, sizeof ff->err, "%s", err.msg);
	else if (v.type != MV_NULL)
		echo_value(ff, text, &v);
	else if (ff->f->type == FT_INT)
		snprintf(ff->hint, sizeof ff->hint, "%lld-%lld", (long long)ff->f->min, (long long)ff->f->max);
	model_value_finish(&v);
	free(text);
}

struct ffield *
field_named(const char *name)
{
	for (size_t i = 0; i < form.n; i++)
		if (strcmp(form.ff[i].f->name, name) == 0)
			return &form.ff[i];
	return NULL;
}

/*
 * Fills the location from a gazetteer place (as MGRS, 1 m) when it is
 * empty, still the pre-filled value of a new form, or what an earlier
 * settlement filled in.  A grid the officer typed is replaced only when
 * `ask` and the officer says so: the centre of a town can be kilometres
 * from the point.
 */
static void
place_to_location(struct app *app, const struct gazetteer_place *pl, bool ask)
{
	struct ffield *loc = field_named("location");
	struct geo_point p = { pl->lat, pl->lon };
	struct cimic_error err;
	char mgrs[40], *typed, title[600];

	if (loc == NULL || geo_to_mgrs(p, 5, true, mgrs, sizeof mgrs, &err) != 0)
		return;
	typed = lineedit_utf8(&loc->le);
	if (typed && loc->le.len > 0 && strcmp(typed, form.place_mgrs) != 0 &&
	    (form.editing || lineedit_dirty(&loc->le))) {
		const char *labels[2] = { _("Keep the typed location"), _("Use the centre of the settlement") };
		snprintf(title, sizeof title, _("Replace the location %s with the centre of %s (%s)?"), typed,
			 pl->name, mgrs);
		if (!ask || dialog_pick(app, title, labels, 2, 0) != 1) {
			free(typed);
			return;
		}
	}
	free(typed);
	lineedit_replace(&loc->le, mgrs);
	snprintf(form.place_mgrs, sizeof form.place_mgrs, "%s", mgrs);
	form.draft_dirty = true;
	check_field(loc);
}

/* Settlement typed: say which place the gazetteer thinks it is. */
static void
settlement_lookup(struct app *app, struct ffield *ff)
{
	struct gazetteer_place pl;
	struct cimic_error err;
	char *name;

	if (strcmp(ff->f->name, "settlement") != 0 || ff->le.len == 0 || gazetteer_count(app->st) <= 0)
		return;
	if ((name = lineedit_utf8(&ff->le)) == NULL)
		return;
	if (gazetteer_best(app->st, name, &pl, &err) == 1) {
		snprintf(ff->hint, sizeof ff->hint, "= %s, %s", pl.admin1, pl.admin2);
		place_to_location(app, &pl, false);
	} else {
		snprintf(ff->hint, sizeof ff->hint, "%s", _("^P: choose from the gazetteer"));
	}
	free(name);
}

/* ^P on the settlement: places starting with what was typed. */
static void
settlement_pick(struct app *app, struct ffield *ff)
{
	struct gazetteer_place pl[20];
	const char *labels[20];
	char *name = lineedit_utf8(&ff->le), text[20][400];
	struct cimic_error err;
	size_t n = 0;
	int k;

	if (name == NULL || gazetteer_count(app->st) <= 0) {
		app_message(app, "%s", _("No gazetteer loaded: cimic import --format geonames FILE"));
	} else if (gazetteer_lookup(app->st, name, true, pl, 20, &n, &err) != 0 || n == 0) {
		app_message(app, "%s", _("No such place in the gazetteer."));
	} else {
		for (size_t i = 0; i < n; i++) {
			snprintf(text[i], sizeof text[i], "%s (%s, %s)", pl[i].name, pl[i].admin1, pl[i].admin2);
			labels[i] = text[i];
		}
		if ((k = dialog_pick(app, _("Settlement"), labels, n, 0)) >= 0) {
			lineedit_replace(&ff->le, pl[k].name);
			snprintf(ff->hint, sizeof ff->hint, "= %s, %s", pl[k].admin1, pl[k].admin2);
			place_to_location(app, &pl[k], true);
		}
	}
	free(name);
}

static void
focus_to(struct app *app, size_t i)
{
	check_field(&form.ff[form.focus]);
	settlement_lookup(app, &form.ff[form.focus]);
	form.focus = i < form.n ? i : form.n - 1;
	enter_field(&form.ff[form.focus]);
	if (form.draft_dirty)
		draft_write(app);
}

/* ---- saving ---- */

static bool
field_given(const struct ffield *ff)
{
	if (ff->f->type == FT_CODE)
		return form.editing ? ff->code != ff->orig_code : ff->code >= 0;
	return form.editing ? lineedit_dirty(&ff->le) : ff->le.len > 0;
}

/* The old value of a field, for undo. */
static void
keep_old(struct model_change *before, const struct ffield *ff)
{
	int i = model_record_index(form.kind, ff->f->name);
	struct model_value v = form.orig.v[i];
	struct cimic_error err;

	if (v.type == MV_TEXT && (v.s = util_strdup(v.s)) == NULL)
		return;
	model_change_put(before, ff->f->name, &v, &err);
}

/* Parses the given fields into c (and their old values into before). */
static int
collect(struct model_change *c, struct model_change *before)
{
	struct cimic_error err;
	char *text;
	int rc;

	for (size_t i = 0; i < form.n; i++) {
		struct ffield *ff = &form.ff[i];
		if (!field_given(ff))
			continue;
		if (ff->f->type == FT_CODE)
			text = util_strdup(ff->code >= 0 ? ff->f->codes->items[ff->code].code : "");
		else
			text = lineedit_utf8(&ff->le);
		rc = text ? model_change_parse(c, ff->f->name, text, timefmt_now_ms(), &err) : -1;
		free(text);
		if (rc != 0) {
			snprintf(ff->err, sizeof ff->err, "%s", text ? err.msg : _("out of memory"));
			form.focus = i;
			return -1;
		}
		if (form.editing)
			keep_old(before, ff);
	}
	return 0;
}

static void
remember_place(struct app *app, const struct model_change *c)
{
	struct cimic_error err;
	int li = model_record_index(MODEL_INCIDENT, "location");
	int si = model_record_index(MODEL_INCIDENT, "settlement");

	if (form.kind != MODEL_INCIDENT)
		return;
	if (c->set[li] && c->v[li].type == MV_TEXT)
		store_meta_set(app->st, META_LAST_LOCATION, c->v[li].s, &err);
	if (c->set[si] && c->v[si].type == MV_TEXT)
		store_meta_set(app->st, META_LAST_SETTLEMENT, c->v[si].s, &err);
}

static int
write_change(struct app *app, struct model_change *c, unsigned char id[CIMIC_ID_BYTES])
{
	struct oplog_txn *txn;
	struct cimic_error err;
	int rc;

	if (oplog_begin(app->st, &txn, &err) != 0) {
		app_error(app, "%s", err.msg);
		return -1;
	}
	rc = form.editing ? model_update(txn, form.id, c, &err) : model_create(txn, c, id, &err);
	if (rc != 0) {
		oplog_abort(txn);
		app_error(app, "%s", err.msg);
		return -1;
	}
	if (oplog_commit(txn, &err) != 0) {
		app_error(app, "%s", err.msg);
		return -1;
	}
	return 0;
}

static void
save(struct app *app)
{
	struct model_change c, before;
	unsigned char id[CIMIC_ID_BYTES];
	char title[200] = "";
	int ti = model_record_index(form.kind, form.kind == MODEL_CONTACT ? "name" : "title");

	check_field(&form.ff[form.focus]);
	model_change_init(&c, form.kind);
	model_change_init(&before, form.kind);
	if (collect(&c, &before) != 0) {
		app_error(app, "%s", _("Check the marked field."));
	} else if (form.editing && !memchr(c.set, true, sizeof c.set)) {
		app_message(app, "%s", _("Nothing changed."));
		draft_drop(app);
		app_pop(app);
	} else if (write_change(app, &c, id) == 0) {
		if (c.set[ti] && c.v[ti].type == MV_TEXT)
			snprintf(title, sizeof title, "%s", c.v[ti].s);
		else
			app_record_title(&form.orig, title, sizeof title);
		remember_place(app, &c);
		draft_drop(app);
		if (form.editing)
			app_undo_push(app, UNDO_EDIT, form.kind, form.id, &before);
		else
			app_undo_push(app, UNDO_CREATE, form.kind, id, NULL);
		app_pop(app);
		app_message(app, _("Saved «%s». Press u to undo."), title);
	}
	model_change_finish(&c);
	model_change_finish(&before);
}

/* ---- drawing ---- */

static void
draw_value(struct app *app, struct ffield *ff, bool on, int y, int x, int w)
{
	attr_t a = theme_attr(on ? TH_FOCUS : TH_FIELD);
	char buf[256];

	if (ff->f->type == FT_CODE) {
		const char *label = ff->code >= 0 ? _(ff->f->codes->items[ff->code].label) : "";
		snprintf(buf, sizeof buf, "< %s >", label);
		text_draw_padded(y, x, w, buf, a);
		return;
	}
	if (on) {
		dialog_draw_edit(app, &ff->le, y, x, w, a);
		return;
	}
	char *t = lineedit_utf8(&ff->le);
	text_draw_padded(y, x, w, t ? t : "", a);
	free(t);
}

static void
draw_header(struct app *app, struct rect r)
{
	char line[512], dtg[16], local[32];
	const char *what;

	if (form.quick)
		what = _("Quick capture: new incident");
	else if (form.editing)
		what = form.kind == MODEL_CONTACT ? _("Edit contact") : _("Edit incident");
	else
		what = form.kind == MODEL_CONTACT ? _("New contact") : _("New incident");
	text_draw(r.y, r.x + 1, r.w - 2, what, theme_attr(TH_HEADER));
	timefmt_dtg(timefmt_now_ms(), dtg, sizeof dtg);
	timefmt_local(timefmt_now_ms(), local, sizeof local);
	snprintf(line, sizeof line, _("Reporter: %s · now %s (%s)"),
		 store_identity(app->st)->pub.unit, dtg, local);
	text_draw(r.y + 1, r.x + 1, r.w - 2, line, theme_attr(TH_DIM));
	if (form.draft_ms > 0 && !form.draft_dirty) {   /* shown only while all typed is kept */
		timefmt_local(form.draft_ms, local, sizeof local);
		const char *hm = strchr(local, ' ');
		snprintf(line, sizeof line, _("Draft kept %.5s · ^C leaves and keeps it"), hm ? hm + 1 : local);
		text_draw(r.y + 2, r.x + 1, r.w - 2, line, theme_attr(TH_DIM));
	}
}

static void
draw(struct app *app, struct rect r)
{
	int lw = r.w >= 80 ? 26 : 14, rows = r.h - 5, vw, cy = 0, cx = 0;
	bool cursor = false;

	if (!form.active || rows < 1)
		return;
	draw_header(app, r);
	vw = r.w - lw - 3;
	if (vw > 60 && r.w < 120)
		vw = 60;
	if (form.focus < form.top)
		form.top = form.focus;
	if (form.focus >= form.top + (size_t)rows)
		form.top = form.focus - (size_t)rows + 1;
	/* grown again (after a tiny terminal): no blank rows below while fields are hidden above */
	if (form.top > 0 && form.top + (size_t)rows > form.n)
		form.top = form.n > (size_t)rows ? form.n - (size_t)rows : 0;
	for (int i = 0; i < rows && form.top + (size_t)i < form.n; i++) {
		size_t k = form.top + (size_t)i;
		struct ffield *ff = &form.ff[k];
		bool on = k == form.focus;
		char label[128];
		snprintf(label, sizeof label, "%s%s", ff->err[0] ? "! " : "", _(ff->f->label));
		/* one blank column always separates a label from its value */
		text_draw(r.y + 3 + i, r.x + 1, lw - 2, label,
			  theme_attr(ff->err[0] ? TH_ERROR : on ? TH_HEADER : TH_NORMAL));
		/* short values leave room for their check (DTG and local time, MGRS and lat,lon) */
		int fw = ff->f->type == FT_TEXT || ff->f->type == FT_LONGTEXT || vw < 30 ? vw : 28;
		draw_value(app, ff, on, r.y + 3 + i, r.x + lw, fw);
		if (on && app->cursor) {
			cursor = true;
			cy = app->cursor_y;
			cx = app->cursor_x;
		}
		/* an error stays next to its field after the cursor has left it */
		if ((ff->err[0] || ff->hint[0]) && r.w - lw - fw > 20)
			text_draw(r.y + 3 + i, r.x + lw + fw + 1, r.w - lw - fw - 2, ff->err[0] ? ff->err : ff->hint,
				  theme_attr(ff->err[0] ? TH_ERROR : TH_DIM));
	}
	struct ffield *cur = &form.ff[form.focus];
	const char *below = cur->err[0] ? cur->err : cur->hint[0] ? cur->hint :
			    cur->f->type == FT_CODE ? _("Left/Right or Space: choose") :
			    cur->f->type == FT_LOCATION ? _("MGRS (37U DQ 12345 67890) or lat,lon (48.5,35.1)") :
			    cur->f->type == FT_TIME ? _("01.12.2026 22:10, 22:10, вчора 18:00, DTG (241330ZNOV26), ISO 8601 or now") : "";
	text_draw(r.y + r.h - 1, r.x + 1, r.w - 2, below, theme_attr(cur->err[0] ? TH_ERROR : TH_DIM));
	app->cursor = cursor;
	app->cursor_y = cy;
	app->cursor_x = cx;
}

/* ---- keys ---- */

static void
pick_code(struct app *app, struct ffield *ff)
{
	const struct code_list *cl = ff->f->codes;
	const char *labels[32];
	size_t n = cl->count < 32 ? cl->count : 32;
	int k;

	for (size_t i = 0; i < n; i++)
		labels[i] = _(cl->items[i].label);
	if ((k = dialog_pick(app, _(ff->f->label), labels, n, ff->code)) >= 0 && k != ff->code) {
		ff->code = k;
		form.draft_dirty = true;
	}
}

static void
next_or_save(struct app *app)
{
	if (form.focus + 1 < form.n)
		focus_to(app, form.focus + 1);
	else
		save(app);
}

static int
code_input(struct app *app, struct ffield *ff, const struct tui_event *ev)
{
	int n = (int)ff->f->codes->count;

	int before = ff->code;

	if (ev->type == EV_CHAR && ev->code >= '1' && ev->code <= '9' && (int)(ev->code - '1') < n)
		ff->code = (int)(ev->code - '1');     /* the digit of the item, as in the pick list */
	else if (ev->type == EV_KEY && ev->code == KEY_LEFT)
		ff->code = ff->code <= 0 ? n - 1 : ff->code - 1;
	else if (ev->type == EV_KEY && ev->code == KEY_RIGHT)
		ff->code = (ff->code + 1) % n;
	else if (ev->type == EV_CHAR && ev->code == ' ')
		pick_code(app, ff);
	else if ((ev->type == EV_KEY && (ev->code == KEY_DOWN || ev->code == KEY_ENTER)) ||
		 (ev->type == EV_CHAR && (ev->code == '\t' || ev->code == '\n' || ev->code == '\r')))
		next_or_save(app);
	else if ((ev->type == EV_KEY && (ev->code == KEY_UP || ev->code == KEY_BTAB)) && form.focus > 0)
		focus_to(app, form.focus - 1);
	if (form.active && ff->code != before)
		form.draft_dirty = true;
	return R_DONE;
}

static int
input(struct app *app, const struct tui_event *ev)
{
	struct ffield *ff;

	if (!form.active)
		return R_PASS;
	ff = &form.ff[form.focus];
	if (ff->f->type == FT_CODE)
		return code_input(app, ff, ev);
	switch (dialog_edit(&ff->le, ev)) {
	case LE_NEXT: focus_to(app, form.focus + 1 < form.n ? form.focus + 1 : 0); break;
	case LE_PREV: focus_to(app, form.focus > 0 ? form.focus - 1 : form.n - 1); break;
	case LE_ACCEPT: next_or_save(app); break;
	case LE_CHANGED: ff->err[0] = '\0'; form.draft_dirty = true; break;
	default: break;
	}
	if (form.active && form.draft_dirty && timefmt_now_ms() - form.draft_ms >= DRAFT_EVERY_MS)
		draft_write(app);
	return R_DONE;
}

static void
tick(struct app *app)
{
	if (form.active && form.draft_dirty)
		draft_write(app);
}

/* Esc: leave at once when nothing was typed, else ask (Enter keeps editing). */
static void
cancel(struct app *app)
{
	const char *labels[3] = { _("Keep editing"), _("Keep a draft and leave"), _("Discard what was typed") };

	if (!form_changed()) {
		app_pop(app);
		app_message(app, "%s", _("Cancelled; nothing was changed."));
		return;
	}
	switch (dialog_pick(app, _("Leave this form? What you typed is not saved"), labels, 3, 0)) {
	case 1:
		draft_write(app);
		app_pop(app);
		app_message(app, "%s", _("Draft kept; the next n or e offers it back."));
		break;
	case 2:
		draft_drop(app);
		app_pop(app);
		app_message(app, "%s", _("Discarded; nothing was changed."));
		break;
	default:
		break;
	}
}

static void
keep_draft_and_leave(struct app *app)
{
	if (!form_changed()) {
		app_pop(app);
		app_message(app, "%s", _("Cancelled; nothing was changed."));
		return;
	}
	draft_write(app);
	app_pop(app);
	app_message(app, "%s", _("Draft kept; the next n or e offers it back."));
}

/* Quick capture -> the full incident form, with everything typed so far. */
static void
full_form(struct app *app)
{
	char *t;
	size_t focus;
	const char *name;

	if (!form.quick || (t = draft_text()) == NULL)
		return;
	name = form.ff[form.focus].f->name;
	for (size_t i = 0; i < form.n; i++)
		lineedit_finish(&form.ff[i].le);
	form.n = 0;
	form.quick = false;
	form.top = 0;
	build_fields(app);
	draft_apply(t);
	free(t);
	focus = 0;
	for (size_t i = 0; i < form.n; i++) {
		check_field(&form.ff[i]);
		if (strcmp(form.ff[i].f->name, name) == 0)
			focus = i;
	}
	form.focus = focus;
	enter_field(&form.ff[focus]);
}

static int
action(struct app *app, enum action a)
{
	if (!form.active)
		return R_PASS;
	switch (a) {
	case ACT_SAVE: save(app); return R_DONE;
	case ACT_CANCEL: cancel(app); return R_DONE;
	case ACT_KEEP_DRAFT: keep_draft_and_leave(app); return R_DONE;
	case ACT_FULL_FORM: full_form(app); return R_DONE;
	case ACT_PICK:
		if (form.ff[form.focus].f->type == FT_CODE)
			pick_code(app, &form.ff[form.focus]);
		else if (strcmp(form.ff[form.focus].f->name, "settlement") == 0)
			settlement_pick(app, &form.ff[form.focus]);
		return R_DONE;
	default:
		return R_PASS;
	}
}

static const enum action hints[] = { ACT_SAVE, ACT_CANCEL, ACT_PICK, ACT_FULL_FORM, ACT_NONE };

const struct screen screen_form = {
	.title = N_("Record form"),
	.ctx = CTX_FORM,
	.text_entry = true,
	.draw = draw,
	.input = input,
	.action = action,
	.hints = hints,
	.tick = tick,
};
