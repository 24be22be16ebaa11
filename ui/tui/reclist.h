/*
 * reclist.h - the sortable, filterable record list with a detail pane
 * that the incidents and contacts screens share.
 *
 * Only the rows on screen (and a margin) are read from the store, a
 * window at a time through model_list(limit, offset), so a store of a
 * hundred thousand incidents opens as fast as one of ten.
 */
#ifndef CIMIC_UI_RECLIST_H
#define CIMIC_UI_RECLIST_H

#include "cimic/model.h"
#include "tui-app.h"

#define RECLIST_MAX_COLS 8

struct reclist_column {
	const char *field;      /* model field name */
	const char *title;      /* N_() */
	int width;              /* columns; 0: takes what is left */
	int min_cols;           /* shown only when the list is at least this wide */
};

struct reclist_row {
	unsigned char id[CIMIC_ID_BYTES];
	bool archived;
	int conflicts;
	char *cells[RECLIST_MAX_COLS];
};

struct reclist {
	enum model_kind kind;
	const struct reclist_column *cols;
	size_t ncols;
	struct model_query q;
	char type[40], status[40];     /* filter codes (q points here) */
	long total, sel, top;
	struct reclist_row *rows;      /* the window: rows off .. off+n-1 */
	long off;
	int n, cap;
	bool stale;
	struct model_record cur;       /* the selected record, for the detail pane */
	bool has_cur;
	int page;                      /* rows visible at the last draw */
};

void reclist_init(struct reclist *l, enum model_kind kind, const struct reclist_column *cols,
		  size_t ncols);
/* Counts again and forgets the window (after any change). */
void reclist_reload(struct app *app, struct reclist *l);
void reclist_draw(struct app *app, struct reclist *l, struct rect r);
/* List actions (moving, open, edit, archive, sort, filters); R_PASS for others. */
int reclist_action(struct app *app, struct reclist *l, enum action a);
/* Id of the selected row; false when the list is empty. */
bool reclist_selected(struct reclist *l, unsigned char id[CIMIC_ID_BYTES]);

/*
 * A value as an officer reads it: codes by label, times as DTG and
 * local time, locations as MGRS and lat,lon.  OUT: caller frees.
 */
char *tui_value_text(const struct model_field *f, const struct model_value *v);

#endif
