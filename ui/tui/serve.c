/*
 * serve.c - `:serve ADDR:PORT`: the link server running inside the
 * interface, so HQ serves its units while its staff keep working.
 *
 * No thread: the server is the poll-driven object of link.h, and the
 * interface's key reader (app_event in tui.c) waits in poll() on the
 * terminal and the server's sockets together, handing the server its
 * share after each wake-up.  Batches are applied on the interface's own
 * store connection, one transaction each, never inside another
 * transaction (a key handler that has one open never waits for keys).
 *
 * Ownership: struct tui_serve is owned by the app (app->serve) from
 * tui_serve_start() to tui_serve_stop(); it keeps the last sessions that
 * ended so the Sync screen can show them.
 */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cimic/i18n.h"
#include "cimic/link.h"
#include "cimic/store.h"
#include "cimic/timefmt.h"
#include "tui-app.h"

#define ENDED_KEPT 16

struct tui_serve {
	struct link_server *srv;          /* owned */
	struct pollfd *fds;               /* owned: 1 (terminal) + link_server_max_fds */
	struct tui_session ended[ENDED_KEPT];   /* ring, newest at ended[(next - 1) % N] */
	int next, nended;
	long finished, failed;
	struct app *app;                  /* borrowed */
};

static void
on_finished(const struct link_stats *s, void *arg)
{
	struct tui_serve *t = arg;
	struct tui_session *e = &t->ended[t->next];

	e->s = *s;
	e->live = false;
	e->ended_ms = timefmt_now_ms();
	t->next = (t->next + 1) % ENDED_KEPT;
	if (t->nended < ENDED_KEPT)
		t->nended++;
	t->finished++;
	if (s->status != 0)
		t->failed++;
	app_log("served %s (%s): status %d, sent %ld, received %ld (%ld new)", s->peer, s->address,
		s->status, s->sent, s->received, s->received_new);
}

int
tui_serve_start(struct app *app, const char *hostport, struct cimic_error *err)
{
	struct link_options o;
	struct tui_serve *t;

	if (app->serve != NULL)
		return cimic_error_set(err, CIMIC_EUSAGE, _("already serving on %s; ':serve stop' first"),
				       link_server_address(app->serve->srv));
	if ((t = calloc(1, sizeof *t)) == NULL)
		return cimic_error_set(err, CIMIC_EFAIL, _("out of memory"));
	memset(&o, 0, sizeof o);
	o.finished = on_finished;
	o.arg = t;
	t->app = app;
	if (link_server_start(app->st, hostport, &o, &t->srv, err) != 0) {
		free(t);
		return -1;
	}
	if ((t->fds = calloc((size_t)link_server_max_fds(t->srv) + 1, sizeof *t->fds)) == NULL) {
		link_server_stop(t->srv);
		free(t);
		return cimic_error_set(err, CIMIC_EFAIL, _("out of memory"));
	}
	app->serve = t;
	app_log("serving on %s", link_server_address(t->srv));
	return 0;
}

void
tui_serve_stop(struct app *app)
{
	struct tui_serve *t = app->serve;

	if (t == NULL)
		return;
	link_server_stop(t->srv);   /* open sessions end and are told so */
	free(t->fds);
	free(t);
	app->serve = NULL;
	app_log("serving stopped");
}

const char *
tui_serve_address(const struct app *app)
{
	return app->serve ? link_server_address(app->serve->srv) : NULL;
}

void
tui_serve_counts(const struct app *app, long *finished, long *failed)
{
	*finished = app->serve ? app->serve->finished : 0;
	*failed = app->serve ? app->serve->failed : 0;
}

int
tui_serve_sessions(const struct app *app, struct tui_session *out, int max)
{
	const struct tui_serve *t = app->serve;
	struct link_stats live[32];
	int n = 0, k;

	if (t == NULL)
		return 0;
	k = link_server_sessions(t->srv, live, (int)(sizeof live / sizeof live[0]));
	for (int i = 0; i < k && n < max; i++) {
		out[n].s = live[i];
		out[n].live = true;
		out[n++].ended_ms = 0;
	}
	for (int i = 1; i <= t->nended && n < max; i++)
		out[n++] = t->ended[(t->next - i + ENDED_KEPT) % ENDED_KEPT];
	return n;
}

bool
tui_serve_wait(struct app *app, int wait_ms)
{
	struct tui_serve *t = app->serve;
	int n, server_wait;

	if (t == NULL || store_in_transaction(app->st)) {
		struct pollfd in = { .fd = STDIN_FILENO, .events = POLLIN };
		return poll(&in, 1, wait_ms) > 0;
	}
	n = link_server_prepare(t->srv, t->fds + 1, &server_wait);
	t->fds[0].fd = STDIN_FILENO;
	t->fds[0].events = POLLIN;
	t->fds[0].revents = 0;
	if (server_wait < wait_ms)
		wait_ms = server_wait;
	if (poll(t->fds, (nfds_t)n + 1, wait_ms < 0 ? 0 : wait_ms) < 0 && errno != EINTR)
		return false;
	link_server_handle(t->srv, t->fds + 1);
	return (t->fds[0].revents & (POLLIN | POLLHUP | POLLERR)) != 0;
}
