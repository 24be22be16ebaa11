/*
 * theme.h - colours and attributes by role, never by hue alone.
 *
 * Themes: "day" (dark text on white, high luminance), "night" (dim red
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
/* Does the theme avoid lit areas (night)? Then the cursor is hidden too. */
bool theme_is_dark(void);

#endif
