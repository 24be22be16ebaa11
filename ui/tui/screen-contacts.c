/*
 * screen-contacts.c - the contacts list (administrations, utilities,
 * hospitals, shelters, NGOs...), by name.  `n` adds a contact here;
 * `i` still captures an incident.
 */
#include "cimic/i18n.h"
#include "reclist.h"

/* TRANSLATORS: column titles; widths fixed (Organisation 22, Category 18, Place 14, Unit 12, Phone 16). */
static const struct reclist_column columns[] = {
	{ "name", N_("Name"), 0, 0 },
	{ "org", N_("Organisation"), 22, 96 },
	{ "category", N_("Category"), 18, 120 },
	{ "settlement", N_("Place"), 14, 60 },
	{ RECLIST_UNIT, N_("Unit"), 12, 72 },
	{ "phone", N_("Phone"), 16, 56 },
};

static struct reclist list;

static void
enter(struct app *app)
{
	reclist_enter(app, &list, MODEL_CONTACT, columns, sizeof columns / sizeof columns[0]);
}

static void
draw(struct app *app, struct rect r)
{
	if (list.cols == NULL)
		enter(app);
	reclist_draw(app, &list, r);
}

static int
action(struct app *app, enum action a)
{
	if (a == ACT_NEW) {
		app_open_form(app, MODEL_CONTACT, NULL, false);
		return R_DONE;
	}
	return reclist_action(app, &list, a);
}

static const enum action hints[] = {
	ACT_NEW, ACT_OPEN, ACT_EDIT, ACT_ARCHIVE, ACT_UNDO, ACT_SEARCH, ACT_SORT, ACT_FILTER_TYPE, ACT_QUICK,
	ACT_QUIT, ACT_NONE,
};

const struct screen screen_contacts = {
	.title = N_("Contacts"),
	.ctx = CTX_LIST,
	.nav = true,
	.enter = enter,
	.draw = draw,
	.action = action,
	.hints = hints,
	.changed = enter,
};
