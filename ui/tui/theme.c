/*
 * theme.c - the four themes as tables of (foreground, background,
 * attributes) per role; see theme.h for why they look the way they do.
 */
#include <math.h>
#include <string.h>

#include "cimic/i18n.h"
#include "theme.h"

#define DEF (-1)          /* the terminal's default colour */
/*
 * Night colours: red on black, chosen by their WCAG contrast ratio on
 * black (computed from the xterm palette values, tests/unit/test-theme.c)
 * rather than by eye: every text role is at least 4.5:1.  196 (#ff0000)
 * is 5.3:1; the darker reds read as "dim" but fail (160 #d70000 3.9:1,
 * 124 #af0000 2.8:1, 88 #870000 2.0:1).  The selection is 203 (#ff5f5f,
 * 7.0:1).  On 16-colour terminals bright red (9), else red.
 */
#define NIGHT_FG (-2)     /* 196 / 9 / red */
#define NIGHT_HI (-3)     /* 203 / 9 / red: the selection and the keys */

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
		[TH_BAR] = { NIGHT_FG, COLOR_BLACK, A_NORMAL },
		[TH_SELECTED] = { NIGHT_HI, COLOR_BLACK, A_UNDERLINE },
		[TH_HEADER] = { NIGHT_FG, COLOR_BLACK, A_UNDERLINE },
		[TH_DIM] = { NIGHT_FG, COLOR_BLACK, A_NORMAL },
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
resolve_for(short c, int colors)
{
	switch (c) {
	case NIGHT_FG: return colors >= 256 ? 196 : colors >= 16 ? 9 : COLOR_RED;
	case NIGHT_HI: return colors >= 256 ? 203 : colors >= 16 ? 9 : COLOR_RED;
	}
	return c;
}

static short
resolve(short c)
{
	return resolve_for(c, COLORS);
}

int
theme_colour_index(const char *name, enum theme_role role, bool background, int colors)
{
	for (size_t i = 0; i < NTHEMES && role > 0 && role < TH_COUNT; i++)
		if (strcmp(themes[i].name, name) == 0 && themes[i].colour)
			return resolve_for(background ? themes[i].r[role].bg : themes[i].r[role].fg, colors);
	return -1;
}

void
theme_xterm_rgb(int index, int rgb[3])
{
	static const int base[16][3] = {
		{ 0, 0, 0 }, { 205, 0, 0 }, { 0, 205, 0 }, { 205, 205, 0 }, { 0, 0, 238 }, { 205, 0, 205 },
		{ 0, 205, 205 }, { 229, 229, 229 }, { 127, 127, 127 }, { 255, 0, 0 }, { 0, 255, 0 },
		{ 255, 255, 0 }, { 92, 92, 255 }, { 255, 0, 255 }, { 0, 255, 255 }, { 255, 255, 255 },
	};
	static const int level[6] = { 0, 95, 135, 175, 215, 255 };

	if (index < 0 || index > 255)
		index = 0;
	if (index < 16) {
		memcpy(rgb, base[index], sizeof base[index]);
	} else if (index < 232) {
		rgb[0] = level[(index - 16) / 36];
		rgb[1] = level[(index - 16) / 6 % 6];
		rgb[2] = level[(index - 16) % 6];
	} else {
		rgb[0] = rgb[1] = rgb[2] = 8 + 10 * (index - 232);
	}
}

static double
luminance(int index)
{
	int rgb[3];
	double l[3];

	theme_xterm_rgb(index, rgb);
	for (int i = 0; i < 3; i++) {
		double c = rgb[i] / 255.0;
		l[i] = c <= 0.04045 ? c / 12.92 : pow((c + 0.055) / 1.055, 2.4);
	}
	return 0.2126 * l[0] + 0.7152 * l[1] + 0.0722 * l[2];
}

double
theme_contrast(int a, int b)
{
	double la = luminance(a), lb = luminance(b);

	return la > lb ? (la + 0.05) / (lb + 0.05) : (lb + 0.05) / (la + 0.05);
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
