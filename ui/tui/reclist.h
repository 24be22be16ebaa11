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

#include "cimic/geo.h"
#include "cimic/model.h"
#include "tui-app.h"

#define RECLIST_MAX_COLS 8
#define RECLIST_UNIT "@unit"    /* column: the unit that created the record */

struct reclist_column {
	const char *field;      /* model field name, or RECLIST_UNIT */
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
	char unit[64], settlement[128];    /* filters (q points here when set) */
	struct geo_area area;          /* q.area points here when set */
	char since_text[64];           /* how the time filter was given */
	char area_text[96];            /* how the area was given */
	unsigned char sel_id[CIMIC_ID_BYTES];   /* the record under the cursor at the last draw */
	bool has_sel_id;
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
/*
 * A list screen's enter(): makes the list the first time (reclist_init),
 * then reloads it (l->cols stays NULL until then).
 */
void reclist_enter(struct app *app, struct reclist *l, enum model_kind kind,
		   const struct reclist_column *cols, size_t ncols);
/* Counts again and forgets the window (after any change); the selected record stays selected. */
void reclist_reload(struct app *app, struct reclist *l);
void reclist_draw(struct app *app, struct reclist *l, struct rect r);
/* List actions (moving, open, edit, archive, sort, filters); R_PASS for others. */
int reclist_action(struct app *app, struct reclist *l, enum action a);
/*
 * reclist-filter.c: asks for (or takes from the ':' command's argument)
 * the unit, settlement, area or time filter.  0 when the filter changed,
 * -1 when cancelled or refused (the message says why).
 */
int reclist_filter(struct app *app, struct reclist *l, enum action a);

/* Id of the selected row; false when the list is empty. */
bool reclist_selected(struct reclist *l, unsigned char id[CIMIC_ID_BYTES]);

/*
 * A value as an officer reads it: codes by label, times as DTG and
 * local time, locations as MGRS and lat,lon.  OUT: caller frees.
 */
char *tui_value_text(const struct model_field *f, const struct model_value *v);

#endif
