/*
 * link_net.c - sockets for the link: parsing HOST:PORT, connecting with a
 * deadline, listening, and the two poll() loops that drive connections
 * (link_conn.c).
 *
 * The server is a single process and a single thread: every connection
 * is non-blocking and has its own buffers and deadlines, so one slow or
 * hostile client costs the others only the time to apply one batch, and
 * every SQLite write happens here, one transaction per batch.  Beyond
 * max_clients, new connections are closed at once.
 */
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "cimic/i18n.h"
#include "link_private.h"

/* "host:port", "[v6]:port"; out buffers of 256 and 8 bytes. */
static int
split_hostport(const char *hp, char *host, char *port, struct cimic_error *err)
{
	const char *colon, *h = hp;
	size_t hlen;

	if (hp[0] == '[') {
		const char *close = strchr(hp, ']');
		if (close == NULL || close[1] != ':')
			goto bad;
		h = hp + 1;
		hlen = (size_t)(close - h);
		colon = close + 1;
	} else {
		colon = strrchr(hp, ':');
		if (colon == NULL || strchr(hp, ':') != colon)
			goto bad;   /* IPv6 needs brackets */
		hlen = (size_t)(colon - hp);
	}
	if (hlen == 0 || hlen >= 256 || strlen(colon + 1) == 0 || strlen(colon + 1) > 5 ||
	    strspn(colon + 1, "0123456789") != strlen(colon + 1) || atoi(colon + 1) > 65535)
		goto bad;
	memcpy(host, h, hlen);
	host[hlen] = '\0';
	snprintf(port, 8, "%s", colon + 1);
	return 0;
bad:
	return cimic_error_set(err, CIMIC_EUSAGE,
			       _("'%s' is not HOST:PORT (write an IPv6 address as [ADDR]:PORT)"), hp);
}

static int
resolve(const char *hostport, bool passive, struct addrinfo **out, struct cimic_error *err)
{
	struct addrinfo hints;
	char host[256], port[8];
	int rc;

	if (split_hostport(hostport, host, port, err) != 0)
		return -1;
	memset(&hints, 0, sizeof hints);
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_flags = AI_NUMERICSERV | (passive ? AI_PASSIVE : 0);
	if ((rc = getaddrinfo(host, port, &hints, out)) != 0)
		return cimic_error_set(err, CIMIC_EUSAGE, _("cannot resolve %s: %s"), hostport,
				       gai_strerror(rc));
	return 0;
}

static void
tune(int fd)
{
	int one = 1;

	/* We batch messages ourselves; Nagle would only delay acks on a slow link. */
	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
}

/* One non-blocking connect, bounded by timeout_ms.  Returns the fd or -1 with errno. */
static int
connect_one(const struct addrinfo *ai, int timeout_ms)
{
	struct pollfd p;
	int fd, e = 0;
	socklen_t elen = sizeof e;

	fd = socket(ai->ai_family, ai->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC, ai->ai_protocol);
	if (fd < 0)
		return -1;
	if (connect(fd, ai->ai_addr, ai->ai_addrlen) == 0)
		return fd;
	if (errno != EINPROGRESS)
		goto fail;
	p.fd = fd;
	p.events = POLLOUT;
	if (poll(&p, 1, timeout_ms) <= 0) {
		errno = ETIMEDOUT;
		goto fail;
	}
	if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &e, &elen) != 0 || e != 0) {
		errno = e ? e : EIO;
		goto fail;
	}
	return fd;
fail:
	e = errno;
	close(fd);
	errno = e;
	return -1;
}

static int
dial(const char *hostport, int timeout_ms, int *fd, struct cimic_error *err)
{
	struct addrinfo *res, *ai;

	if (resolve(hostport, false, &res, err) != 0)
		return -1;
	*fd = -1;
	for (ai = res; ai != NULL && *fd < 0; ai = ai->ai_next)
		*fd = connect_one(ai, timeout_ms);
	freeaddrinfo(res);
	if (*fd < 0)
		return cimic_error_set(err, CIMIC_EIO, _("cannot connect to %s: %s"), hostport,
				       strerror(errno));
	tune(*fd);
	return 0;
}

/* Runs one connection until it closes. */
static void
drive(struct link_conn *c, volatile sig_atomic_t *stop)
{
	while (c->state != CONN_CLOSED) {
		int64_t now = link_now_ms();
		struct pollfd p;

		if (stop != NULL && *stop)
			link_conn_fail(c, CIMIC_EIO, LINK_ERR_INTERNAL, _("interrupted"));
		link_conn_pump(c, now);
		if (c->state == CONN_CLOSED)
			break;
		p.fd = c->fd;
		p.events = POLLIN | (link_conn_wants_write(c) ? POLLOUT : 0);
		p.revents = 0;
		if (poll(&p, 1, link_conn_wait_ms(c, now)) < 0 && errno != EINTR)
			break;
		now = link_now_ms();
		if (p.revents & POLLOUT)
			link_conn_on_writable(c, now);
		if (p.revents & (POLLIN | POLLHUP | POLLERR))
			link_conn_on_readable(c, now);
	}
}

int
link_sync(struct store *st, const char *hostport, const struct link_options *o,
	  struct link_stats *stats, struct cimic_error *err)
{
	struct roster_node server;
	struct link_conn *c;
	int fd, timeout_ms = (o->timeout_s > 0 ? o->timeout_s : LINK_DEFAULT_TIMEOUT) * 1000;
	int status;

	if (stats != NULL)
		memset(stats, 0, sizeof *stats);
	if (link_pick_peer(st, o->peer, &server, err) != 0 || dial(hostport, timeout_ms, &fd, err) != 0)
		return -1;
	if (link_conn_create(st, o, fd, true, &server, &c, err) != 0)
		return -1;
	drive(c, o->stop);
	if (c->state != CONN_CLOSED && c->stats.status == 0)
		link_conn_fail(c, CIMIC_EIO, 0, _("poll failed: %s"), strerror(errno));
	c->stats.phase = LINK_FINISHED;
	if (o->finished != NULL)
		o->finished(&c->stats, o->arg);
	if (stats != NULL)
		*stats = c->stats;
	status = c->stats.status;
	if (status != 0)
		*err = c->err;
	link_conn_destroy(c);
	return status == 0 ? 0 : -1;
}

/* ---- server ---- */

static int
listen_on(const char *hostport, int *fd, char *bound, size_t n, struct cimic_error *err)
{
	struct addrinfo *res;
	struct sockaddr_storage ss;
	socklen_t len = sizeof ss;
	char host[48], port[8];
	int one = 1, e;

	if (resolve(hostport, true, &res, err) != 0)
		return -1;
	*fd = socket(res->ai_family, res->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC, res->ai_protocol);
	if (*fd < 0 || setsockopt(*fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one) != 0 ||
	    bind(*fd, res->ai_addr, res->ai_addrlen) != 0 || listen(*fd, 16) != 0) {
		e = errno;
		if (*fd >= 0)
			close(*fd);
		freeaddrinfo(res);
		return cimic_error_set(err, e == EADDRINUSE || e == EACCES ? CIMIC_ECANTCREAT : CIMIC_EIO,
				       _("cannot listen on %s: %s"), hostport, strerror(e));
	}
	freeaddrinfo(res);
	if (getsockname(*fd, (struct sockaddr *)&ss, &len) == 0 &&
	    getnameinfo((struct sockaddr *)&ss, len, host, sizeof host, port, sizeof port,
			NI_NUMERICHOST | NI_NUMERICSERV) == 0)
		snprintf(bound, n, ss.ss_family == AF_INET6 ? "[%s]:%s" : "%s:%s", host, port);
	else
		snprintf(bound, n, "%s", hostport);
	return 0;
}

struct link_server {
	struct store *st;
	struct link_options o;      /* copied */
	int lfd;
	int max;
	char address[80];           /* what it really listens on */
	struct link_conn **conns;   /* owned, max slots */
	int *slot_fd;               /* fd each slot had at the last prepare (-1: none) */
	bool started;               /* --once: the one session has begun */
	bool ended;                 /* --once: and it is over */
	int status;
	struct cimic_error err;
};

/* accept() made non-blocking and close-on-exec (accept4 is not POSIX). */
static int
accept_nb(int lfd)
{
	int fd = accept(lfd, NULL, NULL);

	if (fd >= 0 && (fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK) != 0 ||
			fcntl(fd, F_SETFD, FD_CLOEXEC) != 0)) {
		close(fd);
		return -1;
	}
	return fd;
}

static void
accept_all(struct link_server *s)
{
	for (;;) {
		struct cimic_error err;
		int fd = accept_nb(s->lfd), slot = -1;

		if (fd < 0)
			return;   /* EAGAIN, or a transient error: the next poll tries again */
		for (int i = 0; i < s->max && slot < 0; i++)
			if (s->conns[i] == NULL)
				slot = i;
		if (slot < 0 || (s->o.once && s->started)) {
			close(fd);   /* full (or serving the one session): the caller retries later */
			continue;
		}
		tune(fd);
		if (link_conn_create(s->st, &s->o, fd, false, NULL, &s->conns[slot], &err) == 0)
			s->started = true;
	}
}

static void
reap(struct link_server *s, int i)
{
	struct link_conn *c = s->conns[i];

	if (c->state != CONN_CLOSED)
		return;
	if (s->o.finished != NULL)
		s->o.finished(&c->stats, s->o.arg);
	if (s->o.once) {
		s->ended = true;
		s->status = c->stats.status;
		s->err = c->err;
	}
	link_conn_destroy(c);
	s->conns[i] = NULL;
}

int
link_server_start(struct store *st, const char *hostport, const struct link_options *o,
		  struct link_server **out, struct cimic_error *err)
{
	struct link_server *s = calloc(1, sizeof *s);

	*out = NULL;
	if (s == NULL)
		return cimic_error_set(err, CIMIC_EFAIL, _("out of memory"));
	s->st = st;
	s->o = *o;
	s->lfd = -1;
	s->max = o->max_clients > 0 ? o->max_clients : LINK_DEFAULT_MAX_CLIENTS;
	s->conns = calloc((size_t)s->max, sizeof *s->conns);
	s->slot_fd = calloc((size_t)s->max, sizeof *s->slot_fd);
	if (s->conns == NULL || s->slot_fd == NULL) {
		cimic_error_set(err, CIMIC_EFAIL, _("out of memory"));
		goto fail;
	}
	if (listen_on(hostport, &s->lfd, s->address, sizeof s->address, err) != 0)
		goto fail;
	if (o->listening != NULL)
		o->listening(s->address, o->arg);
	*out = s;
	return 0;
fail:
	free(s->conns);
	free(s->slot_fd);
	free(s);
	return -1;
}

const char *
link_server_address(const struct link_server *s)
{
	return s->address;
}

int
link_server_max_fds(const struct link_server *s)
{
	return s->max + 1;
}

int
link_server_prepare(struct link_server *s, struct pollfd *fds, int *timeout_ms)
{
	int64_t now = link_now_ms();
	int wait = 1000, n = 1;

	fds[0].fd = s->ended ? -1 : s->lfd;
	fds[0].events = POLLIN;
	fds[0].revents = 0;
	for (int i = 0; i < s->max; i++) {
		struct link_conn *c = s->conns[i];
		fds[n].fd = -1;   /* placeholder keeps slot i at index i + 1 */
		fds[n].events = 0;
		fds[n].revents = 0;
		if (c != NULL) {
			link_conn_pump(c, now);
			reap(s, i);
		}
		if ((c = s->conns[i]) != NULL) {
			int w = link_conn_wait_ms(c, now);
			fds[n].fd = c->fd;
			fds[n].events = POLLIN | (link_conn_wants_write(c) ? POLLOUT : 0);
			wait = w < wait ? w : wait;
		}
		s->slot_fd[i] = fds[n].fd;
		n++;
	}
	*timeout_ms = s->ended ? 0 : wait;
	return n;
}

void
link_server_handle(struct link_server *s, const struct pollfd *fds)
{
	int64_t now = link_now_ms();

	if (s->ended)
		return;
	for (int i = 0; i < s->max; i++) {
		struct link_conn *c = s->conns[i];
		short re = fds[i + 1].revents;
		if (c == NULL || s->slot_fd[i] != c->fd)
			continue;   /* not the connection the poll was about */
		if (re & POLLOUT)
			link_conn_on_writable(c, now);
		if (re & (POLLIN | POLLHUP | POLLERR))
			link_conn_on_readable(c, now);
	}
	if (fds[0].revents & POLLIN)
		accept_all(s);
}

int
link_server_sessions(const struct link_server *s, struct link_stats *out, int max)
{
	int n = 0;

	for (int i = 0; i < s->max && n < max; i++)
		if (s->conns[i] != NULL)
			out[n++] = s->conns[i]->stats;
	return n;
}

/* With o->once: has the one session ended (and how)? */
static bool
link_server_ended(const struct link_server *s, int *status, struct cimic_error *err)
{
	if (!s->ended)
		return false;
	if (status != NULL)
		*status = s->status;
	if (err != NULL && s->status != 0)
		*err = s->err;
	return true;
}

void
link_server_stop(struct link_server *s)
{
	if (s == NULL)
		return;
	for (int i = 0; i < s->max; i++) {
		struct link_conn *c = s->conns[i];
		if (c == NULL)
			continue;
		link_conn_fail(c, CIMIC_EIO, LINK_ERR_INTERNAL, _("the server is shutting down"));
		link_conn_on_writable(c, link_now_ms());   /* one try to tell the peer */
		c->stats.phase = LINK_FINISHED;
		if (s->o.finished != NULL)
			s->o.finished(&c->stats, s->o.arg);
		link_conn_destroy(c);
		s->conns[i] = NULL;
	}
	if (s->lfd >= 0)
		close(s->lfd);
	free(s->conns);
	free(s->slot_fd);
	free(s);
}

int
link_serve(struct store *st, const char *hostport, const struct link_options *o,
	   struct cimic_error *err)
{
	struct link_server *s;
	struct pollfd *fds;
	int status = 0, rc = 0;

	if (link_server_start(st, hostport, o, &s, err) != 0)
		return -1;
	if ((fds = calloc((size_t)link_server_max_fds(s), sizeof *fds)) == NULL) {
		link_server_stop(s);
		return cimic_error_set(err, CIMIC_EFAIL, _("out of memory"));
	}
	while (!link_server_ended(s, NULL, NULL) && !(o->stop != NULL && *o->stop)) {
		int wait, n = link_server_prepare(s, fds, &wait);
		if (link_server_ended(s, NULL, NULL))
			break;
		if (poll(fds, (nfds_t)n, wait) > 0)
			link_server_handle(s, fds);
	}
	if (link_server_ended(s, &status, err) && status != 0)
		rc = -1;
	link_server_stop(s);
	free(fds);
	return rc;
}
