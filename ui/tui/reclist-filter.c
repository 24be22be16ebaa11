/*
 * reclist-filter.c - the HQ filters of the record lists: the unit that
 * created a record, its settlement, an area and a time (see reclist.h).
 *
 * Each takes the argument of its ':' command when one was typed
 * (`:unit Схід`, `:settlement Київ`, `:area 47.5,35,48.2,36.4`,
 * `:since 241330ZNOV26`), else asks; an empty answer, "-" or "all"
 * clears the filter.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cimic/i18n.h"
#include "cimic/roster.h"
#include "cimic/store.h"
#include "cimic/timefmt.h"
#include "dialog.h"
#include "reclist.h"

#define MAX_UNITS 64

static bool
clears(const char *s)
{
	return *s == '\0' || strcmp(s, "-") == 0 || strcmp(s, "all") == 0 || strcmp(s, _("all")) == 0;
}

/* The argument typed after the ':' command, or what the user answers. OUT *out: caller frees. */
static int
ask(struct app *app, const char *label, const char *current, char **out)
{
	if (app->cmd_arg != NULL) {
		*out = util_strdup(app->cmd_arg);
		return *out ? 0 : -1;
	}
	if (dialog_prompt(app, label, current, out) != 0)
		return -1;
	util_trim(*out);
	return 0;
}

struct units {
	char *v[MAX_UNITS];   /* owned */
	size_t n;
};

static void
units_add(struct units *u, const char *name)
{
	for (size_t i = 0; i < u->n; i++)
		if (strcmp(u->v[i], name) == 0)
			return;
	if (u->n < MAX_UNITS && *name)
		u->v[u->n++] = util_strdup(name);
}

static int
unit_cb(const struct roster_node *n, void *arg)
{
	units_add(arg, n->pub.unit);
	return 0;
}

static int
pick_unit(struct app *app, struct reclist *l)
{
	struct units u = { .n = 0 };
	struct cimic_error err;
	const char *labels[MAX_UNITS + 1];
	int k, cur = 0, rc = -1;

	units_add(&u, store_identity(app->st)->pub.unit);
	roster_each(app->st, unit_cb, &u, &err);
	labels[0] = _("(all)");
	for (size_t i = 0; i < u.n; i++) {
		labels[i + 1] = u.v[i];
		if (strcmp(u.v[i], l->unit) == 0)
			cur = (int)i + 1;
	}
	if ((k = dialog_pick(app, _("Unit"), labels, u.n + 1, cur)) >= 0) {
		snprintf(l->unit, sizeof l->unit, "%s", k == 0 ? "" : u.v[k - 1]);
		rc = 0;
	}
	for (size_t i = 0; i < u.n; i++)
		free(u.v[i]);
	return rc;
}

static int
filter_unit(struct app *app, struct reclist *l)
{
	if (app->cmd_arg == NULL)
		return pick_unit(app, l);
	snprintf(l->unit, sizeof l->unit, "%s", clears(app->cmd_arg) ? "" : app->cmd_arg);
	return 0;
}

static int
filter_place(struct app *app, struct reclist *l)
{
	char *typed;

	if (ask(app, _("Settlement (empty: all): "), l->settlement, &typed) != 0)
		return -1;
	snprintf(l->settlement, sizeof l->settlement, "%s", clears(typed) ? "" : typed);
	free(typed);
	return 0;
}

static int
filter_area(struct app *app, struct reclist *l)
{
	struct cimic_error err;
	struct geo_area area;
	char *typed;
	int rc = 0;

	if (ask(app, _("Area SOUTH,WEST,NORTH,EAST in degrees (empty: all): "), l->area_text, &typed) != 0)
		return -1;
	if (clears(typed)) {
		l->q.area = NULL;
		l->area_text[0] = '\0';
	} else if (geo_parse_area(typed, &area, &err) != 0) {
		app_error(app, "%s", err.msg);
		rc = -1;
	} else {
		l->area = area;
		l->q.area = &l->area;
		snprintf(l->area_text, sizeof l->area_text, "%s", typed);
	}
	free(typed);
	return rc;
}

static int
since_typed(struct app *app, struct reclist *l, const char *typed)
{
	struct cimic_error err;
	int64_t ms;

	if (clears(typed)) {
		l->q.since_ms = 0;
		return 0;
	}
	if (timefmt_parse(typed, timefmt_now_ms(), &ms, &err) != 0) {
		app_error(app, "%s", err.msg);
		return -1;
	}
	l->q.since_ms = ms;
	snprintf(l->since_text, sizeof l->since_text, "%s", typed);
	return 0;
}

static int
filter_since(struct app *app, struct reclist *l)
{
	static const struct { const char *label; int hours; } spans[] = {
		{ N_("last 24 hours"), 24 }, { N_("last 3 days"), 72 }, { N_("last 7 days"), 168 },
		{ N_("last 30 days"), 720 },
	};
	const char *labels[7];
	char *typed;
	int k, rc;

	if (app->cmd_arg != NULL)
		return since_typed(app, l, app->cmd_arg);
	labels[0] = _("(any time)");
	for (size_t i = 0; i < 4; i++)
		labels[i + 1] = _(spans[i].label);
	labels[5] = _("since a time I type…");
	if ((k = dialog_pick(app, _("Since"), labels, 6, 0)) < 0)
		return -1;
	if (k == 0) {
		l->q.since_ms = 0;
		return 0;
	}
	if (k <= 4) {
		l->q.since_ms = timefmt_now_ms() - (int64_t)spans[k - 1].hours * 3600 * 1000;
		snprintf(l->since_text, sizeof l->since_text, "%s", _(spans[k - 1].label));
		return 0;
	}
	if (dialog_prompt(app, _("Since (DTG, ISO 8601, 01.12.2026 22:10): "), "", &typed) != 0)
		return -1;
	rc = since_typed(app, l, util_trim(typed));
	free(typed);
	return rc;
}

int
reclist_filter(struct app *app, struct reclist *l, enum action a)
{
	switch (a) {
	case ACT_FILTER_UNIT: return filter_unit(app, l);
	case ACT_FILTER_PLACE: return filter_place(app, l);
	case ACT_FILTER_AREA: return filter_area(app, l);
	case ACT_FILTER_SINCE: return filter_since(app, l);
	default: return -1;
	}
}
