/*
 * test-theme.c - the night theme's contrast, computed from its colour
 * values: every text role at least 4.5:1 on its background (WCAG 2),
 * the status line too, and still red on black; the palette arithmetic
 * checked against known ratios first.
 */
#include <stdlib.h>

#include "tap.h"
#include "tui/theme.h"

int
main(void)
{
	static const struct { enum theme_role r; const char *what; } roles[] = {
		{ TH_NORMAL, "body text" }, { TH_TITLE, "title line" }, { TH_BAR, "status line" },
		{ TH_SELECTED, "selected row" }, { TH_HEADER, "headers" }, { TH_DIM, "secondary text" },
		{ TH_ERROR, "errors" }, { TH_OK, "messages" }, { TH_KEY, "keys in the status line" },
		{ TH_FIELD, "fields" }, { TH_FOCUS, "the field being typed in" }, { TH_WARN, "warnings" },
	};
	int rgb[3];
	char what[128];

	ok(theme_contrast(15, 0) > 20.99 && theme_contrast(15, 0) < 21.01, "white on black is 21:1");
	ok(theme_contrast(0, 0) == 1.0, "black on black is 1:1");
	ok(theme_contrast(196, 0) > 5.25 && theme_contrast(196, 0) < 5.26, "#ff0000 on black is 5.25:1");
	ok(theme_contrast(88, 0) < 2.1, "the old night red 88 (#870000) was 2.0:1");
	theme_xterm_rgb(203, rgb);
	ok(rgb[0] == 255 && rgb[1] == 95 && rgb[2] == 95, "203 is #ff5f5f");
	theme_xterm_rgb(244, rgb);
	ok(rgb[0] == 128 && rgb[1] == 128 && rgb[2] == 128, "244 is grey #808080");
	for (int colors = 256; colors >= 16; colors -= 240) {
		for (size_t i = 0; i < sizeof roles / sizeof roles[0]; i++) {
			int fg = theme_colour_index("night", roles[i].r, false, colors);
			int bg = theme_colour_index("night", roles[i].r, true, colors);
			double c = theme_contrast(fg, bg);
			snprintf(what, sizeof what, "night, %d colours, %s: %.2f:1 >= 4.5:1", colors, roles[i].what, c);
			ok(c >= 4.5, "%s", what);
			theme_xterm_rgb(fg, rgb);
			snprintf(what, sizeof what, "night, %d colours, %s: red (#%02x%02x%02x) on black", colors,
				 roles[i].what, rgb[0], rgb[1], rgb[2]);
			int brgb[3];
			theme_xterm_rgb(bg, brgb);
			ok(rgb[0] >= 2 * rgb[1] && rgb[0] >= 2 * rgb[2] && brgb[0] + brgb[1] + brgb[2] == 0, "%s", what);
		}
	}
	return done_testing();
}
