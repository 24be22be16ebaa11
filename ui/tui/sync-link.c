/*
 * sync-link.c - a network link session from the terminal interface
 * (`:net HOST:PORT`, or the sync screen): the same link_sync() as
 * `cimic sync --link`, with its progress drawn as a bar.
 *
 * The session runs in this thread, like every other core call of the
 * interface; the link's progress callback (about four times a second)
 * redraws the bar and polls the keyboard without waiting, so Esc ends the
 * session cleanly: batches already applied stay applied, and the next
 * session resumes from there.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cimic/i18n.h"
#include "cimic/link.h"
#include "cimic/timefmt.h"
#include "dialog.h"
#include "tui-app.h"

struct link_ui {
	struct app *app;
	volatile sig_atomic_t stop;
};

static char last_line[512];      /* the last session's summary, for the Sync screen */
static bool last_failed;

const char *
tui_sync_link_last(bool *failed)
{
	*failed = last_failed;
	return last_line;
}

static void
draw_progress(const struct link_stats *s, void *arg)
{
	struct link_ui *u = arg;
	long total = s->to_send + s->to_receive, done = s->acked + s->received;
	char title[128], detail[256];
	wint_t wc;
	int r;

	snprintf(title, sizeof title, _("Network link with %s"), s->peer[0] ? s->peer : s->address);
	snprintf(detail, sizeof detail, _("sent %ld/%ld, received %ld/%ld; %llu KB out, %llu KB in; Esc stops"),
		 s->acked, s->to_send, s->received, s->to_receive,
		 (unsigned long long)(s->bytes_out / 1024), (unsigned long long)(s->bytes_in / 1024));
	dialog_progress(u->app, title, total > 0 ? (double)done / (double)total
						 : s->phase == LINK_TRANSFER ? 1.0 : 0.0, detail);
	/* Only Esc is read here; anything else goes back for the main loop. */
	nodelay(stdscr, TRUE);
	r = get_wch(&wc);
	timeout(1000);   /* what the main loop uses (tui.c) */
	if (r == OK && wc == 27)
		u->stop = 1;
	else if (r == OK)
		unget_wch((wchar_t)wc);
	else if (r == KEY_CODE_YES)
		ungetch((int)wc);
}

static void
report(struct app *app, int rc, const struct link_stats *s, const struct cimic_error *err)
{
	char dtg[16];

	timefmt_dtg(timefmt_now_ms(), dtg, sizeof dtg);
	last_failed = rc != 0;
	if (rc != 0) {
		app_error(app, _("Network link: %s"), err->msg);
		snprintf(last_line, sizeof last_line, "%s  %s", dtg, app->msg);
		return;
	}
	app_message(app, _("Network link with %s: sent %ld, received %ld (%ld new). %llu bytes out, %llu in."),
		    s->peer, s->sent, s->received, s->received_new,
		    (unsigned long long)s->bytes_out, (unsigned long long)s->bytes_in);
	snprintf(last_line, sizeof last_line, "%s  %s", dtg, app->msg);
}

void
tui_sync_link(struct app *app, const char *hostport)
{
	struct link_ui u = { app, 0 };
	struct link_options o;
	struct link_stats s;
	struct cimic_error err;
	char *typed = NULL;
	int rc;

	if (hostport == NULL || *hostport == '\0') {
		if (dialog_prompt(app, _("Server (HOST:PORT): "), app->cfg.link, &typed) != 0)
			return;
		hostport = util_trim(typed);
	}
	if (strcmp(app->cfg.link, hostport) != 0) {
		snprintf(app->cfg.link, sizeof app->cfg.link, "%s", hostport);
		config_save(&app->cfg);
	}
	memset(&o, 0, sizeof o);
	o.progress = draw_progress;
	o.stop = &u.stop;
	o.arg = &u;
	dialog_progress(app, _("Network link"), 0, _("connecting…"));
	rc = link_sync(app->st, hostport, &o, &s, &err);
	app_log("link %s: status %d, sent %ld, received %ld", hostport, rc == 0 ? 0 : err.code,
		s.sent, s.received);
	report(app, rc, &s, &err);
	free(typed);
}
