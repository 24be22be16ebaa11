/*
 * theme.c - the four themes as tables of (foreground, background,
 * attributes) per role; see theme.h for why they look the way they do.
 */
#include <string.h>

#include "cimic/i18n.h"
#include "theme.h"

#define DEF (-1)          /* the terminal's default colour */
#define NIGHT_FG (-2)     /* dark red: 88 on 256-colour terminals, else red */
#define NIGHT_HI (-3)     /* a little brighter red for the selection: 124 / red */
#define NIGHT_LO (-4)     /* darkest red for secondary text: 52 / red */

struct role_style {
	short fg, bg;
	attr_t attr;
};

struct theme {
	const char *name;
	const char *label;        /* N_() */
	bool colour;
	struct role_style r[TH_COUNT];
};

static const struct theme themes[] = {
	{ "day", N_("day"), true, {
		[TH_NORMAL] = { COLOR_BLACK, COLOR_WHITE, A_NORMAL },
		[TH_TITLE] = { COLOR_WHITE, COLOR_BLUE, A_BOLD },
		[TH_BAR] = { COLOR_BLACK, COLOR_CYAN, A_NORMAL },
		[TH_SELECTED] = { COLOR_WHITE, COLOR_BLUE, A_BOLD },
		[TH_HEADER] = { COLOR_BLACK, COLOR_WHITE, A_BOLD | A_UNDERLINE },
		[TH_DIM] = { COLOR_BLUE, COLOR_WHITE, A_NORMAL },
		[TH_ERROR] = { COLOR_RED, COLOR_WHITE, A_BOLD },
		[TH_OK] = { COLOR_GREEN, COLOR_WHITE, A_BOLD },
		[TH_KEY] = { COLOR_BLACK, COLOR_CYAN, A_BOLD },
		[TH_FIELD] = { COLOR_BLACK, COLOR_WHITE, A_UNDERLINE },
		[TH_FOCUS] = { COLOR_BLACK, COLOR_YELLOW, A_NORMAL },
		[TH_WARN] = { COLOR_MAGENTA, COLOR_WHITE, A_BOLD },
	} },
	{ "night", N_("night"), true, {
		[TH_NORMAL] = { NIGHT_FG, COLOR_BLACK, A_NORMAL },
		[TH_TITLE] = { NIGHT_FG, COLOR_BLACK, A_UNDERLINE },
		[TH_BAR] = { NIGHT_LO, COLOR_BLACK, A_NORMAL },
		[TH_SELECTED] = { NIGHT_HI, COLOR_BLACK, A_UNDERLINE },
		[TH_HEADER] = { NIGHT_FG, COLOR_BLACK, A_UNDERLINE },
		[TH_DIM] = { NIGHT_LO, COLOR_BLACK, A_NORMAL },
		[TH_ERROR] = { NIGHT_HI, COLOR_BLACK, A_NORMAL },
		[TH_OK] = { NIGHT_FG, COLOR_BLACK, A_NORMAL },
		[TH_KEY] = { NIGHT_HI, COLOR_BLACK, A_NORMAL },
		[TH_FIELD] = { NIGHT_FG, COLOR_BLACK, A_UNDERLINE },
		[TH_FOCUS] = { NIGHT_HI, COLOR_BLACK, A_UNDERLINE },
		[TH_WARN] = { NIGHT_HI, COLOR_BLACK, A_NORMAL },
	} },
	{ "mono", N_("monochrome"), false, {
		[TH_NORMAL] = { 0, 0, A_NORMAL },
		[TH_TITLE] = { 0, 0, A_REVERSE },
		[TH_BAR] = { 0, 0, A_REVERSE },
		[TH_SELECTED] = { 0, 0, A_REVERSE },
		[TH_HEADER] = { 0, 0, A_BOLD | A_UNDERLINE },
		[TH_DIM] = { 0, 0, A_DIM },
		[TH_ERROR] = { 0, 0, A_BOLD },
		[TH_OK] = { 0, 0, A_BOLD },
		[TH_KEY] = { 0, 0, A_BOLD | A_REVERSE },
		[TH_FIELD] = { 0, 0, A_UNDERLINE },
		[TH_FOCUS] = { 0, 0, A_REVERSE },
		[TH_WARN] = { 0, 0, A_BOLD },
	} },
	{ "terminal", N_("terminal colours"), true, {
		[TH_NORMAL] = { DEF, DEF, A_NORMAL },
		[TH_TITLE] = { DEF, DEF, A_REVERSE | A_BOLD },
		[TH_BAR] = { DEF, DEF, A_REVERSE },
		[TH_SELECTED] = { DEF, DEF, A_REVERSE },
		[TH_HEADER] = { DEF, DEF, A_BOLD | A_UNDERLINE },
		[TH_DIM] = { COLOR_BLUE, DEF, A_NORMAL },
		[TH_ERROR] = { COLOR_RED, DEF, A_BOLD },
		[TH_OK] = { COLOR_GREEN, DEF, A_BOLD },
		[TH_KEY] = { DEF, DEF, A_REVERSE | A_BOLD },
		[TH_FIELD] = { DEF, DEF, A_UNDERLINE },
		[TH_FOCUS] = { DEF, DEF, A_REVERSE },
		[TH_WARN] = { COLOR_MAGENTA, DEF, A_BOLD },
	} },
};

#define NTHEMES (sizeof themes / sizeof themes[0])

static const struct theme *current = &themes[2];
static attr_t attrs[TH_COUNT];

static short
resolve(short c)
{
	bool rich = COLORS >= 256;

	switch (c) {
	case NIGHT_FG: return rich ? 88 : COLOR_RED;
	case NIGHT_HI: return rich ? 124 : COLOR_RED;
	case NIGHT_LO: return rich ? 52 : COLOR_RED;
	}
	return c;
}

bool
theme_apply(const char *name)
{
	const struct theme *t = NULL;
	bool colour;

	for (size_t i = 0; i < NTHEMES; i++)
		if (strcmp(themes[i].name, name) == 0)
			t = &themes[i];
	if (t == NULL)
		return false;
	current = t;
	colour = t->colour && has_colors();
	for (int r = 1; r < TH_COUNT; r++) {
		/* without colours a colour theme falls back to the monochrome attributes */
		const struct role_style *s = colour ? &t->r[r] : &themes[2].r[r];
		attrs[r] = s->attr;
		if (colour) {
			init_pair((short)r, resolve(s->fg), resolve(s->bg));
			attrs[r] |= COLOR_PAIR(r);
		}
	}
	bkgdset((chtype)' ' | attrs[TH_NORMAL]);
	return true;
}

const char *
theme_current(void)
{
	return current->name;
}

const char *
theme_next(void)
{
	for (size_t i = 0; i < NTHEMES; i++)
		if (&themes[i] == current)
			return themes[(i + 1) % NTHEMES].name;
	return themes[0].name;
}

const char *
theme_label(const char *name)
{
	for (size_t i = 0; i < NTHEMES; i++)
		if (strcmp(themes[i].name, name) == 0)
			return themes[i].label;
	return name;
}

attr_t
theme_attr(enum theme_role role)
{
	return role > 0 && role < TH_COUNT ? attrs[role] : A_NORMAL;
}

bool
theme_is_dark(void)
{
	return strcmp(current->name, "night") == 0;
}
