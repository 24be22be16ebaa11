/*
 * screen-help.c - `?`: the keys of the screen it was opened from, then
 * the ones that work everywhere, then the ':' commands, all generated
 * from the key table (keys.c) so that help cannot miss a binding.  For
 * every letter the key on the Ukrainian layout is shown too ("q й").
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cimic/i18n.h"
#include "reclist.h"

#define HELP_LINES 256

static struct {
	char *lines[HELP_LINES];
	bool heading[HELP_LINES];
	int n, top;
	const char *title;
} h;

static void
add(const char *text, bool heading)
{
	if (h.n < HELP_LINES) {
		h.heading[h.n] = heading;
		h.lines[h.n++] = util_strdup(text);
	}
}

/* "q й, F10" for all keys of action a in context ctx. */
static void
keys_of(enum key_ctx ctx, enum action a, char *buf, size_t n)
{
	size_t nt, len = 0;
	const struct key_binding *t = keys_table(&nt);
	char name[16];

	buf[0] = '\0';
	for (size_t i = 0; i < nt && len + 24 < n; i++) {
		if (t[i].ctx != ctx || t[i].action != a)
			continue;
		keys_name(t[i].type, t[i].code, name, sizeof name);
		if (strstr(buf, name) != NULL)
			continue;   /* Enter is bound as \r, \n and KEY_ENTER: name it once */
		len += (size_t)snprintf(buf + len, n - len, "%s%s", len ? ", " : "", name);
		if (t[i].type == KT_CHAR && keys_cyrillic(t[i].code))
			len += (size_t)snprintf(buf + len, n - len, " %lc", keys_cyrillic(t[i].code));
	}
}

static void
add_ctx(enum key_ctx ctx)
{
	size_t nt;
	const struct key_binding *t = keys_table(&nt);
	bool seen[ACT_COUNT] = { false };
	char keys[128], line[512];

	add("", false);
	add(_(keys_ctx_title(ctx)), true);
	for (size_t i = 0; i < nt; i++) {
		if (t[i].ctx != ctx || seen[t[i].action])
			continue;
		seen[t[i].action] = true;
		keys_of(ctx, t[i].action, keys, sizeof keys);
		/* pad by display columns: Cyrillic letters are two bytes but one column */
		int pad = 20 - text_width(keys);
		snprintf(line, sizeof line, "  %s%*s %s", keys, pad > 0 ? pad : 0, "",
			 _(keys_action_help(t[i].action)));
		add(line, false);
	}
}

static void
build(const struct screen *of)
{
	char line[512];

	for (int i = 0; i < h.n; i++)
		free(h.lines[i]);
	h.n = h.top = 0;
	snprintf(line, sizeof line, _("Keys of %s. Letters work on the Ukrainian layout too."),
		 _(of->title));
	add(line, true);
	add_ctx(of->ctx);
	if (of->nav)
		add_ctx(CTX_NAV);
	add_ctx(CTX_ANYWHERE);
	if (!of->text_entry)
		add_ctx(CTX_GLOBAL);
	add("", false);
	add(_("Commands after ':' (action names)"), true);
	line[0] = '\0';
	for (int a = 1; a < ACT_COUNT; a++) {
		if (strlen(line) + strlen(keys_action_name((enum action)a)) + 2 > 72) {
			add(line, false);
			line[0] = '\0';
		}
		snprintf(line + strlen(line), sizeof line - strlen(line), "%s%s", line[0] ? " " : "  ",
			 keys_action_name((enum action)a));
	}
	add(line, false);
	add(_("  theme day|night|mono|terminal   autolock SECONDS   search WORDS"), false);
	add(_("  wipe   panic: destroy the key of this store (asks you to type a word)"), false);
	add(_("  dir PATH   run   net HOST:PORT   serve ADDR:PORT | serve stop   (sync)"), false);
	add(_("  enrol [IDENTITY]   revoke [NAME]   (roster)"), false);
	add(_("  unit NAME   settlement NAME   area S,W,N,E   since WHEN   (lists; x clears)"), false);
	add("", false);
	add(_("Records are never deleted: archive hides them and u brings them back."), false);
}

void
help_show(struct app *app, const struct screen *of)
{
	if (of == &screen_help)
		return;
	build(of);
	app_push(app, &screen_help);
}

static void
draw(struct app *app, struct rect r)
{
	if (h.top > h.n - r.h)
		h.top = h.n - r.h > 0 ? h.n - r.h : 0;
	for (int i = 0; i < r.h && h.top + i < h.n; i++)
		text_draw(r.y + i, r.x + 1, r.w - 2, h.lines[h.top + i],
			  theme_attr(h.heading[h.top + i] ? TH_HEADER : TH_NORMAL));
}

static int
action(struct app *app, enum action a)
{
	switch (a) {
	case ACT_UP: if (h.top > 0) h.top--; break;
	case ACT_DOWN: h.top++; break;
	case ACT_PGUP: h.top = h.top > 10 ? h.top - 10 : 0; break;
	case ACT_PGDN: case ACT_OPEN: h.top += 10; break;
	case ACT_TOP: h.top = 0; break;
	case ACT_BOTTOM: h.top = h.n; break;
	case ACT_BACK: case ACT_QUIT: case ACT_HELP: app_pop(app); break;
	default: return R_PASS;
	}
	return R_DONE;
}

static const enum action hints[] = { ACT_BACK, ACT_PGDN, ACT_NONE };

const struct screen screen_help = {
	.title = N_("Help"),
	.ctx = CTX_HELP,
	.nav = true,
	.draw = draw,
	.action = action,
	.hints = hints,
};
