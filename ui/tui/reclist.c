/*
 * reclist.c - record list with a detail pane (see reclist.h).
 *
 * Layout: a summary line (count, sort, filters), column titles, rows.
 * The detail pane goes to the right on wide terminals, below the list
 * on tall ones, and away on small ones (60x20 keeps the list only).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cimic/geo.h"
#include "cimic/i18n.h"
#include "cimic/timefmt.h"
#include "dialog.h"
#include "reclist.h"

struct sort_choice {
	enum model_sort sort;
	const char *label;      /* N_() */
};

static const struct sort_choice incident_sorts[] = {
	{ SORT_NEWEST, N_("newest first") }, { SORT_OLDEST, N_("oldest first") },
	{ SORT_SEVERITY, N_("most severe first") }, { SORT_UPDATED, N_("recently changed") },
	{ SORT_NAME, N_("by title") },
};
static const struct sort_choice contact_sorts[] = {
	{ SORT_NAME, N_("by name") }, { SORT_NEWEST, N_("newest first") },
	{ SORT_UPDATED, N_("recently changed") }, { SORT_OLDEST, N_("oldest first") },
};

static const struct sort_choice *
sorts_of(enum model_kind kind, size_t *n)
{
	if (kind == MODEL_INCIDENT) {
		*n = sizeof incident_sorts / sizeof incident_sorts[0];
		return incident_sorts;
	}
	*n = sizeof contact_sorts / sizeof contact_sorts[0];
	return contact_sorts;
}

char *
tui_value_text(const struct model_field *f, const struct model_value *v)
{
	char a[64], b[64];
	struct geo_point p;
	struct cimic_error err;

	if (v->type == MV_INT && f->type == FT_TIME) {
		timefmt_dtg(v->i, a, sizeof a);
		timefmt_local(v->i, b, sizeof b);
		return util_aprintf("%s (%s)", a, b);
	}
	if (v->type == MV_TEXT && f->type == FT_LOCATION && geo_parse(v->s, &p, &err) == 0 &&
	    geo_to_mgrs(p, 4, true, a, sizeof a, &err) == 0)
		return util_aprintf("%s (%s)", a, v->s);
	return model_value_text(f, v, true);
}

void
reclist_init(struct reclist *l, enum model_kind kind, const struct reclist_column *cols,
	     size_t ncols)
{
	memset(l, 0, sizeof *l);
	l->kind = kind;
	l->cols = cols;
	l->ncols = ncols < RECLIST_MAX_COLS ? ncols : RECLIST_MAX_COLS;
	l->q.kind = kind;
	l->q.sort = kind == MODEL_INCIDENT ? SORT_NEWEST : SORT_NAME;
	model_record_init(&l->cur, kind);
	l->stale = true;
}

void
reclist_enter(struct app *app, struct reclist *l, enum model_kind kind,
	      const struct reclist_column *cols, size_t ncols)
{
	if (l->cols == NULL)
		reclist_init(l, kind, cols, ncols);
	reclist_reload(app, l);
}

static void
free_rows(struct reclist *l)
{
	for (int i = 0; i < l->n; i++)
		for (size_t c = 0; c < RECLIST_MAX_COLS; c++)
			free(l->rows[i].cells[c]);
	l->n = 0;
}

static struct reclist_row *row_at(struct reclist *l, long i);
static void ensure_window(struct app *app, struct reclist *l, long from, int count);

/* Counts and forgets the window; the selection stays at its index. */
static void
recount(struct app *app, struct reclist *l)
{
	struct cimic_error err;

	free_rows(l);
	l->has_cur = false;
	l->stale = false;
	l->q.type = l->type[0] ? l->type : NULL;
	l->q.status = l->status[0] ? l->status : NULL;
	l->q.unit = l->unit[0] ? l->unit : NULL;
	l->q.settlement = l->settlement[0] ? l->settlement : NULL;
	if (app->st == NULL || model_count(app->st, &l->q, &l->total, &err) != 0)
		l->total = 0;
	if (l->sel >= l->total)
		l->sel = l->total ? l->total - 1 : 0;
}

/*
 * Finds the record that was selected again: first in a window around
 * where it was (a record added or removed elsewhere moves it by a row
 * or two), else by walking the ids in list order.  Deeper in the list
 * the cursor keeps its line on the screen.  A record that left the list leaves the cursor
 * at the same index.
 */
static void
reselect(struct app *app, struct reclist *l, const unsigned char id[CIMIC_ID_BYTES])
{
	struct cimic_error err;
	long line = l->sel - l->top, pos = -1, page = l->page > 0 ? l->page : 20;

	ensure_window(app, l, l->sel > page ? l->sel - page : 0, (int)page);
	for (long i = l->off; i < l->off + l->n && pos < 0; i++)
		if (memcmp(row_at(l, i)->id, id, CIMIC_ID_BYTES) == 0)
			pos = i;
	if (pos < 0 && model_position(app->st, &l->q, id, &pos, &err) != 1)
		return;
	l->sel = pos;
	/* near the top, show the top (that is where new records appear); else keep the line */
	l->top = pos < page ? 0 : pos - line > 0 ? pos - line : 0;
}

void
reclist_reload(struct app *app, struct reclist *l)
{
	unsigned char id[CIMIC_ID_BYTES];
	bool had = reclist_selected(l, id);

	if (!had && l->has_sel_id) {
		memcpy(id, l->sel_id, CIMIC_ID_BYTES);
		had = true;
	}

	recount(app, l);
	if (had && app->st != NULL && l->total > 0)
		reselect(app, l, id);
}

/* After a filter or sort changed: from the top. */
static void
restart(struct app *app, struct reclist *l)
{
	l->sel = l->top = 0;
	l->has_sel_id = false;
	recount(app, l);
}

static int
add_row(const struct model_record *rec, void *arg)
{
	struct reclist *l = arg;
	struct reclist_row *row;
	size_t nf;
	const struct model_field *fields = model_fields(l->kind, &nf);

	if (l->n == l->cap)
		return 1;
	row = &l->rows[l->n++];
	memset(row, 0, sizeof *row);
	memcpy(row->id, rec->id, CIMIC_ID_BYTES);
	row->archived = rec->archived;
	row->conflicts = rec->conflicts;
	for (size_t c = 0; c < l->ncols; c++) {
		int i = model_record_index(l->kind, l->cols[c].field);
		if (strcmp(l->cols[c].field, RECLIST_UNIT) == 0)
			row->cells[c] = util_strdup(rec->author_unit);
		else
			row->cells[c] = i < 0 ? NULL : model_value_text(&fields[i], &rec->v[i], true);
	}
	return 0;
}

/* Makes sure rows [from, from+count) are in the window. */
static void
ensure_window(struct app *app, struct reclist *l, long from, int count)
{
	struct cimic_error err;
	struct reclist_row *rows;

	if (l->stale)
		recount(app, l);
	if (from >= l->off && from + count <= l->off + l->n)
		return;
	if (l->n > 0 && from >= l->off && l->off + l->n >= l->total)
		return;
	free_rows(l);
	if (l->cap < count * 3) {
		rows = realloc(l->rows, (size_t)count * 3 * sizeof *rows);
		if (rows == NULL)
			return;
		l->rows = rows;
		l->cap = count * 3;
	}
	l->off = from > count ? from - count : 0;
	l->q.offset = (int)l->off;
	l->q.limit = l->cap;
	if (app->st)
		model_list(app->st, &l->q, add_row, l, &err);
	l->q.offset = l->q.limit = 0;
}

static struct reclist_row *
row_at(struct reclist *l, long i)
{
	return i >= l->off && i < l->off + l->n ? &l->rows[i - l->off] : NULL;
}

bool
reclist_selected(struct reclist *l, unsigned char id[CIMIC_ID_BYTES])
{
	struct reclist_row *row = row_at(l, l->sel);

	if (row == NULL)
		return false;
	memcpy(id, row->id, CIMIC_ID_BYTES);
	return true;
}

static void
draw_summary(struct reclist *l, struct rect r)
{
	char line[512];
	size_t ns;
	const struct sort_choice *s = sorts_of(l->kind, &ns);
	const char *sort = "";
	const struct code_list *cl = l->kind == MODEL_INCIDENT ? &codes_incident_type :
				     &codes_contact_category;

	for (size_t i = 0; i < ns; i++)
		if (s[i].sort == l->q.sort)
			sort = _(s[i].label);
	snprintf(line, sizeof line, "%ld · %s", l->total, sort);
	if (l->type[0])
		snprintf(line + strlen(line), sizeof line - strlen(line), " · %s", codes_label(cl, l->type));
	if (l->status[0])
		snprintf(line + strlen(line), sizeof line - strlen(line), " · %s",
			 codes_label(&codes_incident_status, l->status));
	if (l->q.min_severity)
		snprintf(line + strlen(line), sizeof line - strlen(line), _(" · severity ≥ %d"),
			 l->q.min_severity);
	if (l->unit[0])
		snprintf(line + strlen(line), sizeof line - strlen(line), _(" · unit %s"), l->unit);
	if (l->settlement[0])
		snprintf(line + strlen(line), sizeof line - strlen(line), " · %s", l->settlement);
	if (l->q.area)
		snprintf(line + strlen(line), sizeof line - strlen(line), _(" · area %s"), l->area_text);
	if (l->q.since_ms)
		snprintf(line + strlen(line), sizeof line - strlen(line), _(" · since %s"), l->since_text);
	if (l->q.only_archived || l->q.include_archived)
		snprintf(line + strlen(line), sizeof line - strlen(line), " · %s",
			 l->q.only_archived ? _("archived only") : _("with archived"));
	text_draw(r.y, r.x + 1, r.w - 1, line, theme_attr(TH_DIM));
}

/* Widths of the columns shown in w columns (0 = hidden); returns how many. */
static void
layout_columns(const struct reclist *l, int w, int *widths)
{
	int used = 2, flex = -1;

	for (size_t c = 0; c < l->ncols; c++) {
		widths[c] = w >= l->cols[c].min_cols ? l->cols[c].width : -1;
		if (widths[c] == 0)
			flex = (int)c;
		else if (widths[c] > 0)
			used += widths[c] + 1;
	}
	if (flex >= 0)
		widths[flex] = w - used > 4 ? w - used : 4;
}

static void
draw_rows(struct app *app, struct reclist *l, struct rect r)
{
	int widths[RECLIST_MAX_COLS], x;

	layout_columns(l, r.w, widths);
	x = r.x + 2;
	for (size_t c = 0; c < l->ncols; c++) {
		if (widths[c] <= 0)
			continue;
		text_draw(r.y, x, widths[c], _(l->cols[c].title), theme_attr(TH_HEADER));
		x += widths[c] + 1;
	}
	l->page = r.h - 1 > 1 ? r.h - 1 : 1;
	if (l->sel < l->top)
		l->top = l->sel;
	if (l->sel >= l->top + l->page)
		l->top = l->sel - l->page + 1;
	ensure_window(app, l, l->top, l->page);
	for (int i = 0; i < l->page && l->top + i < l->total; i++) {
		struct reclist_row *row = row_at(l, l->top + i);
		bool on = l->top + i == l->sel;
		attr_t a = theme_attr(on ? TH_SELECTED : row && row->archived ? TH_DIM : TH_NORMAL);
		int y = r.y + 1 + i;
		if (row == NULL)
			break;
		if (on) {
			memcpy(l->sel_id, row->id, CIMIC_ID_BYTES);
			l->has_sel_id = true;
		}
		text_fill(y, r.x, r.w, a);
		text_draw(y, r.x, 1, on ? ">" : " ", a);
		text_draw(y, r.x + 1, 1, row->archived ? "A" : row->conflicts ? "!" : " ", a);
		x = r.x + 2;
		for (size_t c = 0; c < l->ncols; c++) {
			if (widths[c] <= 0)
				continue;
			text_draw(y, x, widths[c], row->cells[c] ? row->cells[c] : "", a);
			x += widths[c] + 1;
		}
	}
	if (l->total == 0)
		text_draw(r.y + 2, r.x + 2, r.w - 2,
			  _("Nothing here. n: new record, x: clear filters, ?: help."), theme_attr(TH_DIM));
}

struct pane {
	struct rect r;
	int line;
};

static void
pane_line(const char *line, void *arg)
{
	struct pane *p = arg;

	if (p->line < p->r.h)
		text_draw(p->r.y + p->line, p->r.x, p->r.w, line, theme_attr(TH_NORMAL));
	p->line++;
}

static void
draw_pane(struct app *app, struct reclist *l, struct rect r)
{
	unsigned char id[CIMIC_ID_BYTES];
	struct cimic_error err;
	struct pane p = { r, 0 };
	size_t nf;
	const struct model_field *f = model_fields(l->kind, &nf);
	char title[256];

	if (!reclist_selected(l, id))
		return;
	if (!l->has_cur || memcmp(l->cur.id, id, CIMIC_ID_BYTES) != 0) {
		model_record_finish(&l->cur);
		model_record_init(&l->cur, l->kind);
		l->has_cur = model_get(app->st, l->kind, id, &l->cur, &err) == 0;
	}
	if (!l->has_cur)
		return;
	app_record_title(&l->cur, title, sizeof title);
	text_draw(r.y, r.x, r.w, title, theme_attr(TH_HEADER));
	p.line = 1;
	for (size_t i = 0; i < nf && p.line < r.h; i++) {
		char *v, *line;
		if (f[i].type == FT_FLAG || f[i].type == FT_REF || l->cur.v[i].type == MV_NULL || strcmp(f[i].name, "title") == 0 ||
		    strcmp(f[i].name, "name") == 0)
			continue;
		v = tui_value_text(&f[i], &l->cur.v[i]);
		line = util_aprintf("%s: %s", _(f[i].label), v ? v : "");
		if (line)
			text_wrap(line, r.w, pane_line, &p);
		free(line);
		free(v);
	}
}

void
reclist_draw(struct app *app, struct reclist *l, struct rect r)
{
	struct rect list = r, pane = r;

	if (app->st == NULL)
		return;
	draw_summary(l, r);
	list.y++;
	list.h--;
	if (r.w >= 110) {
		list.w = r.w * 3 / 5;
		pane = (struct rect){ list.y, list.w + 2, list.h, r.w - list.w - 3 };
	} else if (r.h >= 20) {
		list.h = r.h - 9;
		pane = (struct rect){ list.y + list.h + 1, r.x + 2, 7, r.w - 4 };
	} else {
		pane.h = 0;
	}
	draw_rows(app, l, list);
	if (pane.h > 0) {
		if (r.w >= 110)
			text_vline(list.y, list.w + 1, list.h, theme_attr(TH_DIM));
		else
			text_hline(pane.y - 1, r.x, r.w, theme_attr(TH_DIM));
		draw_pane(app, l, pane);
	}
}

static void
move_sel(struct reclist *l, long to)
{
	if (to >= l->total)
		to = l->total - 1;
	if (to < 0)
		to = 0;
	l->sel = to;
}

static void
pick_sort(struct app *app, struct reclist *l)
{
	size_t n;
	const struct sort_choice *s = sorts_of(l->kind, &n);
	const char *labels[8];
	int cur = 0, k;

	for (size_t i = 0; i < n; i++) {
		labels[i] = _(s[i].label);
		if (s[i].sort == l->q.sort)
			cur = (int)i;
	}
	if ((k = dialog_pick(app, _("Sort"), labels, n, cur)) >= 0) {
		l->q.sort = s[k].sort;
		restart(app, l);
	}
}

/* A code filter: "all" first, then the translated labels. */
static void
pick_code(struct app *app, struct reclist *l, const struct code_list *cl, char *code, size_t n)
{
	const char *labels[32];
	size_t k = 0;
	int cur = 0, sel;

	labels[k++] = _("(all)");
	for (size_t i = 0; i < cl->count && k < 32; i++) {
		if (strcmp(cl->items[i].code, code) == 0)
			cur = (int)k;
		labels[k++] = _(cl->items[i].label);
	}
	if ((sel = dialog_pick(app, _(cl->name), labels, k, cur)) < 0)
		return;
	snprintf(code, n, "%s", sel == 0 ? "" : cl->items[sel - 1].code);
	restart(app, l);
}

/* Numbered from 0, so the digit pressed is the severity picked (0: any). */
static void
pick_severity(struct app *app, struct reclist *l)
{
	const char *labels[] = { _("(any)"), "1", "2", "3", "4", "5" };
	int sel = dialog_pick_numbered(app, _("Lowest severity"), labels, 6, l->q.min_severity, 0);

	if (sel >= 0) {
		l->q.min_severity = sel;
		restart(app, l);
	}
}

/* Active -> active and archived -> archived only -> active. */
static void
cycle_archived(struct app *app, struct reclist *l)
{
	if (l->q.only_archived) {
		l->q.only_archived = l->q.include_archived = false;
		app_message(app, "%s", _("Showing active records."));
	} else if (l->q.include_archived) {
		l->q.only_archived = true;
		app_message(app, "%s", _("Showing archived records only."));
	} else {
		l->q.include_archived = true;
		app_message(app, "%s", _("Showing active and archived records."));
	}
	restart(app, l);
}

static int
on_record(struct app *app, struct reclist *l, enum action a)
{
	unsigned char id[CIMIC_ID_BYTES];
	struct reclist_row *row = row_at(l, l->sel);

	if (!reclist_selected(l, id)) {
		app_message(app, "%s", _("No record selected."));
		return R_DONE;
	}
	if (a == ACT_OPEN)
		app_open_record(app, l->kind, id);
	else if (a == ACT_EDIT)
		app_open_form(app, l->kind, id, false);
	else if (app_archive(app, l->kind, id, !row->archived) == 0)
		reclist_reload(app, l);
	return R_DONE;
}

int
reclist_action(struct app *app, struct reclist *l, enum action a)
{
	switch (a) {
	case ACT_UP: move_sel(l, l->sel - 1); break;
	case ACT_DOWN: move_sel(l, l->sel + 1); break;
	case ACT_PGUP: move_sel(l, l->sel - l->page); break;
	case ACT_PGDN: move_sel(l, l->sel + l->page); break;
	case ACT_TOP: move_sel(l, 0); break;
	case ACT_BOTTOM: move_sel(l, l->total - 1); break;
	case ACT_OPEN: case ACT_EDIT: case ACT_ARCHIVE: return on_record(app, l, a);
	case ACT_SORT: pick_sort(app, l); break;
	case ACT_FILTER_TYPE:
		pick_code(app, l, l->kind == MODEL_INCIDENT ? &codes_incident_type : &codes_contact_category,
			  l->type, sizeof l->type);
		break;
	case ACT_FILTER_STATUS:
		if (l->kind != MODEL_INCIDENT)
			return R_PASS;
		pick_code(app, l, &codes_incident_status, l->status, sizeof l->status);
		break;
	case ACT_FILTER_SEVERITY:
		if (l->kind != MODEL_INCIDENT)
			return R_PASS;
		pick_severity(app, l);
		break;
	case ACT_SHOW_ARCHIVED: cycle_archived(app, l); break;
	case ACT_CLEAR_FILTER:
		l->type[0] = l->status[0] = l->unit[0] = l->settlement[0] = '\0';
		l->q.min_severity = 0;
		l->q.since_ms = 0;
		l->q.area = NULL;
		l->q.include_archived = l->q.only_archived = false;
		restart(app, l);
		app_message(app, "%s", _("Filters cleared."));
		break;
	case ACT_FILTER_UNIT: case ACT_FILTER_PLACE: case ACT_FILTER_AREA: case ACT_FILTER_SINCE:
		if (reclist_filter(app, l, a) == 0)
			restart(app, l);
		break;
	default:
		return R_PASS;
	}
	return R_DONE;
}
