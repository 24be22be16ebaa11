/*
 * tui.c - entry of the terminal interface: curses set-up, the frame
 * (title bar, screen, message line, hint bar), the event reader with
 * auto-lock, and the main loop.
 *
 * Signals: ncurses handles SIGWINCH itself and hands us KEY_RESIZE; our
 * own SIGTERM/SIGHUP handler only sets a flag that app_event() turns
 * into EV_QUIT, so every loop unwinds and endwin() runs normally.
 * Input times out every second so the clock moves and the idle timer
 * can lock the screen even while a dialog is open.
 */
#include <langinfo.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include "cimic/i18n.h"
#include "cimic/store.h"
#include "cimic/timefmt.h"
#include "cli/cli.h"
#include "tui-app.h"
#include "tui.h"

#define MIN_COLS 40
#define MIN_LINES 10

static volatile sig_atomic_t quit_signal;

static void
on_signal(int sig)
{
	(void)sig;
	quit_signal = 1;
}

void
app_log(const char *fmt, ...)
{
	const char *path = getenv("CIMIC_LOG");
	char stamp[32];
	FILE *f;
	va_list ap;

	if (path == NULL || *path == '\0' || (f = fopen(path, "a")) == NULL)
		return;
	timefmt_iso_utc(timefmt_now_ms(), stamp, sizeof stamp);
	fprintf(f, "%s tui: ", stamp);
	va_start(ap, fmt);
	vfprintf(f, fmt, ap);
	va_end(ap);
	fputc('\n', f);
	fclose(f);
}

/*
 * get_wch() with the one-second tick; while the link server runs here,
 * the wait is a poll() on the terminal and the server's sockets, so
 * sessions move on between keys.  Keys ncurses already holds are taken
 * first (timeout 0), since poll() cannot see its buffer.
 */
static int
read_key(struct app *app, wint_t *wc)
{
	int64_t until = timefmt_now_ms() + 1000;
	int r;

	if (app->serve == NULL) {
		timeout(1000);
		return get_wch(wc);
	}
	for (;;) {
		int64_t now;
		timeout(0);
		if ((r = get_wch(wc)) != ERR || quit_signal)
			break;
		if ((now = timefmt_now_ms()) >= until)
			break;
		tui_serve_wait(app, (int)(until - now));
	}
	timeout(1000);
	return r;
}

void
app_event(struct app *app, struct tui_event *ev)
{
	wint_t wc;
	int r;

	for (;;) {
		if (quit_signal)
			app->quit = true;
		if (app->quit) {
			ev->type = EV_QUIT;
			return;
		}
		r = read_key(app, &wc);
		if (r == ERR) {
			int64_t idle = timefmt_now_ms() - app->last_input_ms;
			if (!app->locked && app->st && app->cfg.autolock_s > 0 &&
			    idle >= (int64_t)app->cfg.autolock_s * 1000)
				app_lock(app);
			ev->type = EV_TICK;
			return;
		}
		app->last_input_ms = timefmt_now_ms();
		if (r == KEY_CODE_YES && wc == KEY_RESIZE) {
			ev->type = EV_RESIZE;
		} else if (r == KEY_CODE_YES) {
			ev->type = EV_KEY;
			ev->code = wc;
		} else {
			ev->type = EV_CHAR;
			ev->code = wc;
		}
		return;
	}
}

/* "1330Z · 15:30 EET" */
static void
clock_text(char *buf, size_t n)
{
	int64_t now = timefmt_now_ms();
	char dtg[16], local[32];
	const char *hm;

	timefmt_dtg(now, dtg, sizeof dtg);
	timefmt_local(now, local, sizeof local);
	hm = strchr(local, ' ');
	snprintf(buf, n, "%.5s · %s", dtg + 2, hm ? hm + 1 : local);
}

static void
draw_title(struct app *app, const struct screen *s)
{
	char left[256], clock[64];
	const char *unit = app->st ? store_identity(app->st)->pub.unit : "";
	int cw;

	text_fill(0, 0, COLS, theme_attr(TH_TITLE));
	clock_text(clock, sizeof clock);
	cw = text_width(clock) + 1;
	snprintf(left, sizeof left, " cimic · %s", _(s->title));
	text_draw(0, 0, COLS - cw - 1, left, theme_attr(TH_TITLE));
	if (COLS >= 80 && *unit) {
		int lw = text_width(left) + 3, room = COLS - cw - lw - 3;
		if (room > 8)
			text_draw_right(0, lw, room, unit, theme_attr(TH_TITLE));
	}
	text_draw_right(0, 0, COLS - 1, clock, theme_attr(TH_TITLE));
}

/* Bottom bar: the screen's own keys, then ?:Help. */
static void
draw_hints(const struct screen *s)
{
	static const enum key_ctx order[] = { CTX_GLOBAL, CTX_NAV, CTX_ANYWHERE };
	int x = 0;
	char key[16], item[96];

	text_fill(LINES - 1, 0, COLS, theme_attr(TH_BAR));
	for (const enum action *h = s->hints; h && *h != ACT_NONE; h++) {
		bool found = keys_first(s->ctx, *h, key, sizeof key);
		for (size_t i = 0; !found && i < sizeof order / sizeof order[0]; i++)
			found = keys_first(order[i], *h, key, sizeof key);
		if (!found)
			continue;
		snprintf(item, sizeof item, "%s", _(keys_action_hint(*h)));
		if (x + text_width(key) + text_width(item) + 2 > COLS - 8)
			break;
		x += text_draw(LINES - 1, x, COLS - x, key, theme_attr(TH_KEY));
		x += text_draw(LINES - 1, x, COLS - x, ":", theme_attr(TH_BAR));
		x += text_draw(LINES - 1, x, COLS - x, item, theme_attr(TH_BAR)) + 1;
	}
	snprintf(item, sizeof item, "?:%s", _("Help"));
	text_draw_right(LINES - 1, 0, COLS, item, theme_attr(TH_KEY));
}

void
app_draw(struct app *app)
{
	const struct screen *s = app_screen(app);
	struct rect body = { 1, 0, LINES - 3, COLS };

	app->cursor = false;
	erase();
	if (COLS < MIN_COLS || LINES < MIN_LINES) {
		char msg[128];
		snprintf(msg, sizeof msg, _("Terminal too small: %dx%d, need %dx%d"), COLS, LINES,
			 MIN_COLS, MIN_LINES);
		text_draw(0, 0, COLS, msg, theme_attr(TH_ERROR));
		return;
	}
	draw_title(app, s);
	s->draw(app, body);
	if (app->msg[0])
		text_draw(LINES - 2, 1, COLS - 2, app->msg,
			  theme_attr(app->msg_error ? TH_ERROR : TH_OK));
	draw_hints(s);
}

void
app_paint(struct app *app)
{
	app_draw(app);
	if (app->cursor && !theme_is_dark() && COLS >= MIN_COLS && LINES >= MIN_LINES) {
		curs_set(1);
		move(app->cursor_y, app->cursor_x);
	} else if (app->cursor && COLS >= MIN_COLS && LINES >= MIN_LINES) {
		/* night: a lit block cursor is a light source; the field shows an underline instead */
		curs_set(0);
		move(app->cursor_y, app->cursor_x);
	} else {
		curs_set(0);
	}
	refresh();
}

void
app_lock(struct app *app)
{
	if (app->locked || app->st == NULL)
		return;
	form_keep_draft(app);
	app->locked = true;
	app_log("locked");
	erase();
	refresh();
	unlock_run(app, true);
	app->locked = false;
	app->last_input_ms = timefmt_now_ms();
	clearok(curscr, TRUE);
}

void
app_suspend(struct app *app)
{
	struct sigaction dfl, old;

	form_keep_draft(app);
	app_log("suspended");
	def_prog_mode();
	endwin();
	memset(&dfl, 0, sizeof dfl);
	dfl.sa_handler = SIG_DFL;
	sigaction(SIGTSTP, &dfl, &old);
	raise(SIGTSTP);          /* stops here until the shell's fg sends SIGCONT */
	sigaction(SIGTSTP, &old, NULL);
	reset_prog_mode();
	clearok(curscr, TRUE);
	app->last_input_ms = timefmt_now_ms();
	app_log("resumed");
}

static void
curses_start(struct app *app)
{
	initscr();
	raw();            /* ^S saves, ^C cancels: the terminal must not take them */
	noecho();
	keypad(stdscr, TRUE);
	if (getenv("ESCDELAY") == NULL)
		set_escdelay(25);
	if (has_colors()) {
		start_color();
		use_default_colors();
	}
	timeout(1000);
	curs_set(0);
	if (app->cfg.mouse)
		mousemask(BUTTON1_CLICKED, NULL);
	if (getenv("NO_COLOR") && *getenv("NO_COLOR"))
		snprintf(app->cfg.theme, sizeof app->cfg.theme, "mono");
	if (!theme_apply(app->cfg.theme))
		theme_apply("terminal");
}

static long
peak_rss_kib(void)
{
	struct rusage ru;

	return getrusage(RUSAGE_SELF, &ru) == 0 ? ru.ru_maxrss : -1;
}

/*
 * Another process committed (or the server here applied a batch): the
 * screen on top reloads, keeping its selection.  Checked at most once a
 * second, from the main loop only, so never under an open dialog whose
 * caller holds positions into a list.
 */
static void
check_store(struct app *app, const struct tui_event *ev)
{
	int64_t now = timefmt_now_ms();
	const struct screen *s = app_screen(app);
	uint64_t v;

	if (ev->type == EV_TICK && s->tick)
		s->tick(app);
	if (now - app->store_checked_ms < 1000 || app->st == NULL || store_in_transaction(app->st))
		return;
	app->store_checked_ms = now;
	v = store_change_counter(app->st);
	if (v == app->store_seen)
		return;
	app->store_seen = v;
	if (s->changed) {
		s->changed(app);
		app_log("store changed: %s reloaded", s->title);
	}
}

static void
main_loop(struct app *app)
{
	struct tui_event ev;

	app_switch(app, &screen_incidents);
	app->store_seen = store_change_counter(app->st);
	app->store_checked_ms = timefmt_now_ms();
	app_paint(app);
	app_log("first screen %lld ms after the store opened; peak RSS %ld KiB",
		(long long)(timefmt_now_ms() - app->opened_ms), peak_rss_kib());
	while (!app->quit) {
		app_event(app, &ev);
		if (ev.type == EV_QUIT)
			break;
		app_dispatch(app, &ev);
		if (!app->quit)
			check_store(app, &ev);
		if (!app->quit)
			app_paint(app);
	}
}

static bool
utf8_locale(void)
{
	const char *cs = nl_langinfo(CODESET);

	return cs && (strcmp(cs, "UTF-8") == 0 || strcmp(cs, "utf8") == 0);
}

int
tui_main(struct cli *cli, bool demo)
{
	struct app app;
	struct sigaction sa;
	int rc = 0;

	if (demo && (rc = cli_demo_create(cli)) != 0)
		return rc;
	if (!utf8_locale()) {
		fprintf(stderr, "cimic: %s\n",
			_("the terminal interface needs a UTF-8 locale; set LANG=uk_UA.UTF-8 or C.UTF-8"));
		return CIMIC_EUSAGE;
	}
	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
		fprintf(stderr, "cimic: %s\n", _("the terminal interface needs a terminal; see 'cimic --help'"));
		return CIMIC_EUSAGE;
	}
	memset(&app, 0, sizeof app);
	app.cli = cli;
	app.st = cli->st;
	config_load(&app.cfg);
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_signal;
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	curses_start(&app);
	app.last_input_ms = app.opened_ms = timefmt_now_ms();
	if (app.st == NULL)
		rc = store_exists(cli->dir) ? unlock_run(&app, false) : setup_run(&app);
	if (rc == 0 && app.st != NULL) {
		cli->st = app.st;
		main_loop(&app);
		form_keep_draft(&app);   /* a signal or quit with a form open: what was typed stays */
	}
	tui_serve_stop(&app);
	endwin();
	if (app.wiped)
		fprintf(stderr, "cimic: %s\n", app.msg);
	for (int i = 0; i < app.nundo; i++)
		model_change_finish(&app.undo[i].before);
	app_log("exit; peak RSS %ld KiB", peak_rss_kib());
	return rc;
}
