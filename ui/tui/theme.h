/*
 * theme.h - colours and attributes by role, never by hue alone.
 *
 * Themes: "day" (dark text on white, high luminance), "night" (red
 * on black, no bold and no reverse bars: light discipline), "mono"
 * (attributes only; forced by NO_COLOR) and "terminal" (the terminal's
 * own colours, use_default_colors).  Colours are picked from the
 * palette (pairs), never redefined with init_color, so nothing is left
 * changed in the terminal after exit.  State is always shown by a mark
 * or text as well ('>' for the selected row), so mono loses nothing.
 */
#ifndef CIMIC_UI_THEME_H
#define CIMIC_UI_THEME_H

#include <curses.h>
#include <stdbool.h>

enum theme_role {
	TH_NORMAL = 1, TH_TITLE, TH_BAR, TH_SELECTED, TH_HEADER, TH_DIM, TH_ERROR, TH_OK, TH_KEY,
	TH_FIELD, TH_FOCUS, TH_WARN, TH_COUNT,
};

/* Applies a theme by name ("day", "night", "mono", "terminal"); false if unknown. */
bool theme_apply(const char *name);
/* Name of the theme in use. */
const char *theme_current(void);
/* The theme after the current one, for the cycling key. */
const char *theme_next(void);
/* N_() label of a theme. */
const char *theme_label(const char *name);
/* Attributes (colour pair included) for a role. */
attr_t theme_attr(enum theme_role role);
/* Palette index of a role's foreground or background on a terminal of `colors` colours (-1: none/default). */
int theme_colour_index(const char *name, enum theme_role role, bool background, int colors);
/* The xterm palette value (0-255 index) as red, green, blue 0-255. */
void theme_xterm_rgb(int index, int rgb[3]);
/* WCAG 2 contrast ratio (1 to 21) of two xterm palette colours. */
double theme_contrast(int a, int b);
/* Does the theme avoid lit areas (night)? Then the cursor is hidden too. */
bool theme_is_dark(void);

#endif
