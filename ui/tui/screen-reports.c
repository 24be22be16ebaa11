/*
 * screen-reports.c - the SITREP: preview on screen, then save.
 *
 * The report is built by the core (report_sitrep) for a period that
 * ends now and starts 24 hours ago unless the officer types another
 * start (DTG, ISO time or "now").  Saving writes a new file atomically
 * (temporary file, fsync, rename) and never overwrites without asking
 * for the word; the default name carries the DTG.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cimic/i18n.h"
#include "cimic/report.h"
#include "cimic/timefmt.h"
#include "dialog.h"
#include "tui-app.h"

#define MAX_LINES 4000

static struct {
	struct buf text;
	char *lines[MAX_LINES];
	int n, top;
	int64_t since_ms;
	enum report_format format;
} rp;

static void
split_lines(void)
{
	char *p;

	rp.n = 0;
	p = (char *)buf_cstr(&rp.text);
	while (p && *p && rp.n < MAX_LINES) {
		char *nl = strchr(p, '\n');
		rp.lines[rp.n++] = p;
		if (nl == NULL)
			break;
		*nl = '\0';
		p = nl + 1;
	}
}

static void
build(struct app *app)
{
	struct report_opts o = { rp.since_ms, timefmt_now_ms(), rp.format };
	struct cimic_error err;

	buf_finish(&rp.text);
	buf_init(&rp.text);
	rp.top = 0;
	if (report_sitrep(app->st, &o, &rp.text, &err) != 0) {
		app_error(app, "%s", err.msg);
		buf_finish(&rp.text);
		buf_init(&rp.text);
	}
}

static void
enter(struct app *app)
{
	build(app);
	split_lines();
}

static void
draw(struct app *app, struct rect r)
{
	char head[256], dtg[16];

	if (rp.since_ms)
		timefmt_dtg(rp.since_ms, dtg, sizeof dtg);
	snprintf(head, sizeof head, _("SITREP since %s · %s"),
		 rp.since_ms ? dtg : _("24 hours ago"), rp.format == REPORT_MARKDOWN ? "Markdown" : _("text"));
	text_draw(r.y, r.x + 1, r.w - 2, head, theme_attr(TH_DIM));
	if (rp.top > rp.n - (r.h - 1))
		rp.top = rp.n - (r.h - 1) > 0 ? rp.n - (r.h - 1) : 0;
	for (int i = 0; i + 1 < r.h && rp.top + i < rp.n; i++)
		text_draw(r.y + 1 + i, r.x + 1, r.w - 2, rp.lines[rp.top + i], theme_attr(TH_NORMAL));
}

/* The text again with its newlines (split_lines cut it up). */
static char *
joined(size_t *len)
{
	struct buf b;
	char *out;

	buf_init(&b);
	for (int i = 0; i < rp.n; i++) {
		buf_adds(&b, rp.lines[i]);
		buf_addc(&b, '\n');
	}
	out = b.failed ? NULL : util_strndup((const char *)b.data, b.len);
	*len = b.len;
	buf_finish(&b);
	return out;
}

static void
save(struct app *app)
{
	char dtg[16], *def, *path = NULL, *text;
	const char *home = getenv("HOME");
	struct cimic_error err;
	size_t len;

	timefmt_dtg(timefmt_now_ms(), dtg, sizeof dtg);
	def = util_aprintf("%s/sitrep-%s.%s", home && *home ? home : ".", dtg,
			   rp.format == REPORT_MARKDOWN ? "md" : "txt");
	if (def == NULL || dialog_prompt(app, _("Save the SITREP as:"), def, &path) != 0 || !*path)
		goto out;
	if (access(path, F_OK) == 0 &&
	    !dialog_confirm_word(app, _("The file exists and would be replaced."), _("replace"))) {
		app_message(app, "%s", _("Not saved."));
		goto out;
	}
	if ((text = joined(&len)) == NULL)
		goto out;
	/* "-" would be standard output, which is this screen: it names a file here */
	if (util_write_output(strcmp(path, "-") == 0 ? "./-" : path, text, len, 0600, &err) != 0)
		app_error(app, "%s", err.msg);
	else
		app_message(app, _("SITREP saved to %s"), path);
	free(text);
out:
	free(def);
	free(path);
}

static void
pick_period(struct app *app)
{
	char *in = NULL;
	int64_t t;
	struct cimic_error err;

	if (dialog_prompt(app, _("Since (DTG or ISO time; empty: last 24 hours):"), "", &in) != 0)
		return;
	if (*util_trim(in) == '\0')
		rp.since_ms = 0;
	else if (timefmt_parse(in, timefmt_now_ms(), &t, &err) == 0)
		rp.since_ms = t;
	else
		app_error(app, "%s", err.msg);
	free(in);
	enter(app);
}

static int
action(struct app *app, enum action a)
{
	switch (a) {
	case ACT_UP: if (rp.top > 0) rp.top--; break;
	case ACT_DOWN: rp.top++; break;
	case ACT_PGUP: rp.top = rp.top > 10 ? rp.top - 10 : 0; break;
	case ACT_PGDN: rp.top += 10; break;
	case ACT_TOP: rp.top = 0; break;
	case ACT_BOTTOM: rp.top = rp.n; break;
	case ACT_PREVIEW: enter(app); app_message(app, "%s", _("Report rebuilt.")); break;
	case ACT_WRITE: save(app); break;
	case ACT_PERIOD: pick_period(app); break;
	case ACT_FORMAT:
		rp.format = rp.format == REPORT_TEXT ? REPORT_MARKDOWN : REPORT_TEXT;
		enter(app);
		break;
	default: return R_PASS;
	}
	return R_DONE;
}

static const enum action hints[] = { ACT_WRITE, ACT_PERIOD, ACT_FORMAT, ACT_PREVIEW, ACT_NEXT_SCREEN,
				     ACT_QUIT, ACT_NONE };

const struct screen screen_reports = {
	.title = N_("Reports"),
	.ctx = CTX_REPORTS,
	.nav = true,
	.enter = enter,
	.draw = draw,
	.action = action,
	.hints = hints,
};
