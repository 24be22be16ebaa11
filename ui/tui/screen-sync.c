/* screen-sync.c - placeholder until the sync core lands on main. */
#include "cimic/i18n.h"
#include "tui-app.h"

static void
draw(struct app *app, struct rect r)
{
	(void)app;
	text_draw(r.y + 1, r.x + 2, r.w - 4, _("Not part of this build yet."), theme_attr(TH_DIM));
}

static int
action(struct app *app, enum action a)
{
	(void)app;
	(void)a;
	return R_PASS;
}

static const enum action hints[] = { ACT_NEXT_SCREEN, ACT_QUIT, ACT_NONE };

const struct screen screen_sync = {
	.title = N_("Sync"),
	.ctx = CTX_SYNC,
	.draw = draw,
	.action = action,
	.hints = hints,
};
