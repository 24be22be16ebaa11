/*
 * screen-sync.c - exchanging with the rest of the world: the USB mailbox
 * (what waits there and for whom, the exchange with its results, the
 * hash of every bundle written for the courier), the network link to HQ
 * (`:net`), and serving the link here (`:serve`) with its sessions.
 *
 * The mailbox directory is remembered in the interface settings; the
 * screen looks at it again whenever the directory changes (and every
 * half minute), so a drive that is plugged in shows what it carries
 * without a key, and a large bundle is not reread every second.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cimic/i18n.h"
#include "cimic/timefmt.h"
#include "dialog.h"
#include "sync-mailbox.h"

#define RESCAN_MS 30000   /* besides every change of the directory itself */
#define MEDIA_MAX 16
#define SESSIONS_SHOWN 24

static struct {
	struct mailbox_view view;
	int64_t scanned_ms;
	struct mailbox_log log;
	char log_title[128];
	int top;
} y;

static void
rescan(struct app *app)
{
	mailbox_view_scan(app, app->cfg.mailbox, &y.view);
	y.scanned_ms = timefmt_now_ms();
}

static void
enter(struct app *app)
{
	rescan(app);
}

/* Looks again when the directory changed (a courier's drive arrived) or every few seconds. */
static void
tick(struct app *app)
{
	struct stat sb;
	bool moved = stat(app->cfg.mailbox, &sb) == 0 ? !y.view.ok || sb.st_mtime != y.view.mtime
						      : y.view.ok;

	if (app->cfg.mailbox[0] && (moved || timefmt_now_ms() - y.scanned_ms >= RESCAN_MS))
		rescan(app);
}

/* ---- drawing ---- */

static void
waiting_text(char *line, size_t n)
{
	const struct mailbox_view *v = &y.view;
	size_t k;

	k = (size_t)snprintf(line, n, _("%d for this node (%d new)"), v->for_me + v->for_me_applied,
			     v->for_me);
	if (v->for_others > 0) {
		k += (size_t)snprintf(line + k, n - k, _(" · %d for others:"), v->for_others);
		for (int i = 0; i < v->ntargets && k < n; i++)
			k += (size_t)snprintf(line + k, n - k, " %s %d", v->targets[i].name, v->targets[i].n);
		if (v->for_unknown > 0 && k < n)
			k += (size_t)snprintf(line + k, n - k, _(" unknown %d"), v->for_unknown);
	}
	if (v->damaged > 0 && k < n)
		k += (size_t)snprintf(line + k, n - k, _(" · %d damaged"), v->damaged);
	if (v->other_files > 0 && k < n)
		snprintf(line + k, n - k, _(" · %d other files"), v->other_files);
}

/* "Label  text" on one row, the label in the header colour. */
static void
row(struct rect r, int i, const char *label, const char *text, attr_t attr)
{
	int lw = text_draw(r.y + i, r.x + 1, 12, label, theme_attr(TH_HEADER));

	text_draw(r.y + i, r.x + 1 + (lw > 10 ? lw + 1 : 11), r.w - 13, text, attr);
}

static void
draw_status(struct app *app, struct rect r)
{
	char line[640];
	bool failed;
	const char *last = tui_sync_link_last(&failed), *serving = tui_serve_address(app);
	long finished, bad;

	if (app->cfg.mailbox[0])
		row(r, 0, _("Mailbox"), app->cfg.mailbox, theme_attr(TH_NORMAL));
	else
		row(r, 0, _("Mailbox"), _("none yet: d types a directory, m picks a removable drive"),
		    theme_attr(TH_DIM));
	if (!app->cfg.mailbox[0])
		row(r, 1, _("Waiting"), "", theme_attr(TH_DIM));
	else if (!y.view.ok)
		row(r, 1, _("Waiting"), y.view.error, theme_attr(TH_ERROR));
	else {
		waiting_text(line, sizeof line);
		row(r, 1, _("Waiting"), line, theme_attr(TH_NORMAL));
	}
	if (last[0])
		row(r, 2, _("Link"), last, theme_attr(failed ? TH_ERROR : TH_NORMAL));
	else
		row(r, 2, _("Link"), _("no session yet: l (or :net HOST:PORT) calls HQ"), theme_attr(TH_DIM));
	if (serving == NULL) {
		row(r, 3, _("Serving"), _("no: S (or :serve ADDR:PORT) serves the link here"),
		    theme_attr(TH_DIM));
		return;
	}
	tui_serve_counts(app, &finished, &bad);
	snprintf(line, sizeof line, _("on %s · %ld sessions ended (%ld failed) · S or :serve stop ends it"),
		 serving, finished, bad);
	row(r, 3, _("Serving"), line, theme_attr(TH_OK));
}

static const char *
phase_name(enum link_phase p)
{
	switch (p) {
	case LINK_CONNECTING: return _("connecting");
	case LINK_HANDSHAKE: return _("handshake");
	case LINK_TRANSFER: return _("transfer");
	case LINK_FINISHED: return _("finished");
	}
	return "";
}

static void
session_text(const struct tui_session *t, char *line, size_t n)
{
	const struct link_stats *s = &t->s;
	const char *who = s->peer[0] ? s->peer : s->peer_fp[0] ? s->peer_fp : _("unknown node");
	char dtg[16];

	if (t->live) {
		snprintf(line, n, _("%-12s %-21s %-10s sent %ld/%ld, received %ld/%ld · %llu KB in, %llu KB out"),
			 who, s->address, phase_name(s->phase), s->acked, s->to_send, s->received,
			 s->to_receive, (unsigned long long)(s->bytes_in / 1024),
			 (unsigned long long)(s->bytes_out / 1024));
		return;
	}
	timefmt_dtg(t->ended_ms, dtg, sizeof dtg);
	if (s->status != 0)
		snprintf(line, n, _("%-12s %-21s ended %.7s FAILED (%d): %s"), who, s->address, dtg,
			 s->status, s->error);
	else
		snprintf(line, n, _("%-12s %-21s ended %.7s: sent %ld, received %ld (%ld new) · %llu KB in, %llu KB out"),
			 who, s->address, dtg, s->sent, s->received, s->received_new,
			 (unsigned long long)(s->bytes_in / 1024), (unsigned long long)(s->bytes_out / 1024));
}

static int
draw_sessions(struct app *app, struct rect r)
{
	struct tui_session ss[SESSIONS_SHOWN];
	int n = tui_serve_sessions(app, ss, SESSIONS_SHOWN), rows = n + 1;
	char line[768];

	if (tui_serve_address(app) == NULL)
		return 0;
	if (rows > r.h / 2)
		rows = r.h / 2;
	if (rows < 2)
		return 0;
	text_hline(r.y + r.h - rows, r.x, r.w, theme_attr(TH_DIM));
	snprintf(line, sizeof line, " %s ", _("Sessions served here"));
	text_draw(r.y + r.h - rows, r.x + 2, r.w - 4, line, theme_attr(TH_HEADER));
	if (n == 0)
		text_draw(r.y + r.h - rows + 1, r.x + 2, r.w - 3, _("none yet"), theme_attr(TH_DIM));
	for (int i = 0; i < n && i + 1 < rows; i++) {
		session_text(&ss[i], line, sizeof line);
		text_draw(r.y + r.h - rows + 1 + i, r.x + 2, r.w - 3, line,
			  theme_attr(ss[i].live ? TH_OK : ss[i].s.status ? TH_ERROR : TH_NORMAL));
	}
	return rows;
}

static void
draw_log(struct rect r)
{
	static const enum theme_role roles[] = { TH_NORMAL, TH_DIM, TH_ERROR, TH_NORMAL };
	char title[160];

	if (r.h < 2)
		return;
	text_hline(r.y, r.x, r.w, theme_attr(TH_DIM));
	snprintf(title, sizeof title, " %s ", y.log_title[0] ? y.log_title : _("No exchange yet: r or F5 runs one"));
	text_draw(r.y, r.x + 2, r.w - 4, title, theme_attr(TH_HEADER));
	if (y.top > y.log.n - (r.h - 1))
		y.top = y.log.n - (r.h - 1) > 0 ? y.log.n - (r.h - 1) : 0;
	for (int i = 0; i + 1 < r.h && y.top + i < y.log.n; i++)
		text_draw(r.y + 1 + i, r.x + 2, r.w - 3, y.log.lines[y.top + i],
			  theme_attr(roles[y.log.kind[y.top + i]]));
}

static void
draw(struct app *app, struct rect r)
{
	struct rect rest = { r.y + 4, r.x, r.h - 4, r.w };
	int used;

	if (app->st == NULL)
		return;
	draw_status(app, r);
	used = draw_sessions(app, rest);
	rest.h -= used;
	draw_log(rest);
}

/* ---- actions ---- */

static int
set_dir(struct app *app, const char *dir)
{
	struct stat sb;

	if (stat(dir, &sb) != 0 || !S_ISDIR(sb.st_mode)) {
		app_error(app, _("%s is not a directory"), dir);
		return -1;
	}
	snprintf(app->cfg.mailbox, sizeof app->cfg.mailbox, "%s", dir);
	config_save(&app->cfg);
	rescan(app);
	app_message(app, _("Mailbox: %s"), dir);
	return 0;
}

static int
ask_dir(struct app *app)
{
	char *typed = NULL;
	int rc = -1;

	if (app->cmd_arg != NULL)
		return set_dir(app, app->cmd_arg);
	if (dialog_prompt(app, _("Mailbox directory: "), app->cfg.mailbox, &typed) == 0 &&
	    *util_trim(typed))
		rc = set_dir(app, typed);
	free(typed);
	return rc;
}

static void
pick_media(struct app *app)
{
	char paths[MEDIA_MAX][MAILBOX_PATH_MAX];
	const char *labels[MEDIA_MAX];
	int n = mailbox_find_media(paths, MEDIA_MAX), k;

	if (n == 0) {
		app_message(app, "%s", _("No removable drive is mounted under /media or /run/media."));
		return;
	}
	for (int i = 0; i < n; i++)
		labels[i] = paths[i];
	if ((k = dialog_pick(app, _("Removable drives"), labels, (size_t)n, 0)) >= 0)
		set_dir(app, paths[k]);
}

static void
run(struct app *app)
{
	char dtg[16];

	if (!app->cfg.mailbox[0] && ask_dir(app) != 0)
		return;
	rescan(app);
	if (!y.view.ok) {
		app_error(app, "%s", y.view.error);
		return;
	}
	timefmt_dtg(timefmt_now_ms(), dtg, sizeof dtg);
	snprintf(y.log_title, sizeof y.log_title, _("Exchange of %s"), dtg);
	y.top = 0;
	mailbox_view_run(app, app->cfg.mailbox, &y.view, &y.log);
	rescan(app);
	clearok(curscr, TRUE);
}

static void
serve(struct app *app)
{
	struct cimic_error err;
	const char *arg = app->cmd_arg;
	char *typed = NULL;

	if ((arg != NULL && strcmp(arg, "stop") == 0) || (arg == NULL && tui_serve_address(app) != NULL)) {
		if (tui_serve_address(app) == NULL) {
			app_message(app, "%s", _("Not serving."));
			return;
		}
		tui_serve_stop(app);
		app_message(app, "%s", _("Stopped serving the link."));
		return;
	}
	if (arg == NULL) {
		if (dialog_prompt(app, _("Serve the link on (ADDR:PORT): "),
				  app->cfg.serve[0] ? app->cfg.serve : "0.0.0.0:7077", &typed) != 0)
			return;
		arg = util_trim(typed);
	}
	if (tui_serve_start(app, arg, &err) != 0) {
		app_error(app, _("Cannot serve: %s"), err.msg);
	} else {
		snprintf(app->cfg.serve, sizeof app->cfg.serve, "%s", arg);
		config_save(&app->cfg);
		app_message(app, _("Serving the link on %s."), tui_serve_address(app));
	}
	free(typed);
}

static int
action(struct app *app, enum action a)
{
	switch (a) {
	case ACT_RUN: run(app); break;
	case ACT_DIR: ask_dir(app); break;
	case ACT_DETECT: pick_media(app); break;
	case ACT_SERVE: serve(app); break;
	case ACT_UP: if (y.top > 0) y.top--; break;
	case ACT_DOWN: y.top++; break;
	case ACT_PGUP: y.top = y.top > 10 ? y.top - 10 : 0; break;
	case ACT_PGDN: y.top += 10; break;
	case ACT_TOP: y.top = 0; break;
	case ACT_BOTTOM: y.top = y.log.n; break;
	default: return R_PASS;
	}
	return R_DONE;
}

static const enum action hints[] = {
	ACT_RUN, ACT_DIR, ACT_DETECT, ACT_NET, ACT_SERVE, ACT_NEXT_SCREEN, ACT_QUIT, ACT_NONE,
};

const struct screen screen_sync = {
	.title = N_("Sync"),
	.ctx = CTX_SYNC,
	.nav = true,
	.enter = enter,
	.draw = draw,
	.action = action,
	.hints = hints,
	.tick = tick,   /* also after other processes' commits: at most every RESCAN_MS */
};
