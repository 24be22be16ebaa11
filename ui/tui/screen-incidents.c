/*
 * screen-incidents.c - the incidents list, newest first: what an
 * officer opens the program for.  The list itself is reclist.c; this
 * file chooses the columns.
 */
#include "cimic/i18n.h"
#include "reclist.h"

/*
 * TRANSLATORS: column titles; the widths are fixed (DTG 12, Sev 3, Place 14, Unit 12, Type 16,
 * Status 11).  Place and unit come first: HQ reads whose report it is and where.
 */
static const struct reclist_column columns[] = {
	{ "when", N_("DTG"), 12, 0 },
	{ "severity", N_("Sev"), 3, 0 },
	{ "settlement", N_("Place"), 14, 60 },
	{ RECLIST_UNIT, N_("Unit"), 12, 72 },
	{ "type", N_("Type"), 16, 96 },
	{ "status", N_("Status"), 11, 120 },
	{ "title", N_("Title"), 0, 0 },
};

static struct reclist list;

static void
enter(struct app *app)
{
	reclist_enter(app, &list, MODEL_INCIDENT, columns, sizeof columns / sizeof columns[0]);
}

static void
draw(struct app *app, struct rect r)
{
	if (list.cols == NULL)
		enter(app);
	reclist_draw(app, &list, r);
}

/* `n` is left to the global quick capture: a new incident here is always the fast form. */
static int
action(struct app *app, enum action a)
{
	return reclist_action(app, &list, a);
}

static const enum action hints[] = {
	ACT_QUICK, ACT_OPEN, ACT_EDIT, ACT_ARCHIVE, ACT_UNDO, ACT_SEARCH, ACT_SORT, ACT_FILTER_TYPE, ACT_NEXT_SCREEN,
	ACT_QUIT, ACT_NONE,
};

const struct screen screen_incidents = {
	.title = N_("Incidents"),
	.ctx = CTX_LIST,
	.nav = true,
	.enter = enter,
	.draw = draw,
	.action = action,
	.hints = hints,
	.changed = enter,
};
