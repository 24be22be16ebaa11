/*
 * link_conn.c - one link connection as a state machine driven by the
 * client and server loops (link_net.c): frames on the socket, the Noise
 * handshake whose payloads are the hellos, then the message stream.
 *
 * Nothing here blocks: reads and writes are single non-blocking calls,
 * and every decision is taken from what the buffers hold.  A session
 * ends through CONN_CLOSING: the last message (an error, a refusal, or
 * nothing after a clean end) is flushed, the write side is shut, and
 * the peer's EOF is awaited briefly before closing.  Closing straight
 * away could reset the connection and make the peer's kernel drop the
 * acks we just sent.
 */
#include <errno.h>
#include <netdb.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "cimic/i18n.h"
#include "cimic/store.h"
#include "link_private.h"

#define DRAIN_MS 5000

int64_t
link_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void
report(struct link_conn *c, int64_t now, bool force)
{
	if (c->o->progress == NULL || (!force && now - c->last_report_ms < LINK_PROGRESS_MS))
		return;
	c->last_report_ms = now;
	c->o->progress(&c->stats, c->o->arg);
}

static void
set_peer(struct link_conn *c, const struct roster_node *n)
{
	c->peer = *n;
	c->peer_known = true;
	snprintf(c->stats.peer, sizeof c->stats.peer, "%s", n->name);
	identity_fingerprint(n->pub.sign_pk, c->stats.peer_fp, sizeof c->stats.peer_fp);
}

/* Ends the session: status, message, and the move to CLOSING. */
static void
finish(struct link_conn *c, int status, const char *msg)
{
	if (c->state == CONN_CLOSING || c->state == CONN_CLOSED)
		return;
	c->stats.status = status;
	if (status != 0) {
		snprintf(c->stats.error, sizeof c->stats.error, "%s", msg);
		cimic_error_set(&c->err, status, "%s", msg);
	}
	c->state = CONN_CLOSING;
	c->closing_ms = link_now_ms();
}

static void
close_now(struct link_conn *c)
{
	if (c->fd >= 0)
		close(c->fd);
	c->fd = -1;
	c->state = CONN_CLOSED;
	c->stats.phase = LINK_FINISHED;
}

/* ---- sending ---- */

/* Appends one Noise message as a frame; `write` fills it (at most NOISE_MSG_MAX bytes). */
static unsigned char *
frame_begin(struct link_conn *c)
{
	if (!buf_reserve(&c->tx, LINKPROTO_FRAME_HEADER_BYTES + NOISE_MSG_MAX))
		return NULL;
	return c->tx.data + c->tx.len + LINKPROTO_FRAME_HEADER_BYTES;
}

static void
frame_end(struct link_conn *c, size_t n)
{
	if (c->tx.len == c->tx_at)
		c->tx_stuck_ms = link_now_ms();   /* the clock for "peer not reading" starts now */
	c->tx.data[c->tx.len] = (unsigned char)n;
	c->tx.data[c->tx.len + 1] = (unsigned char)(n >> 8);
	c->tx.len += LINKPROTO_FRAME_HEADER_BYTES + n;
}

/* Seals n bytes of the plaintext stream into transport frames. */
static int
seal_bytes(struct link_conn *c, const unsigned char *p, size_t n, struct cimic_error *err)
{
	size_t at = 0;

	while (at < n) {
		size_t k = n - at < NOISE_PLAINTEXT_MAX ? n - at : NOISE_PLAINTEXT_MAX, out;
		unsigned char *f = frame_begin(c);

		if (f == NULL)
			return cimic_error_set(err, CIMIC_EFAIL, _("out of memory"));
		if (noise_transport_encrypt(c->tr, p + at, k, f, NOISE_MSG_MAX, &out, err) != 0)
			return -1;
		frame_end(c, out);
		at += k;
	}
	return 0;
}

/*
 * Urgent messages first, then whole data messages while little is
 * waiting for the socket.  Messages are never cut by another: the
 * receiver reads one stream.
 */
static int
seal(struct link_conn *c, struct cimic_error *err)
{
	if (c->pending.failed || c->urgent.failed || c->tx.failed)
		return cimic_error_set(err, CIMIC_EFAIL, _("out of memory"));
	if (seal_bytes(c, c->urgent.data, c->urgent.len, err) != 0)
		return -1;
	c->urgent.len = 0;
	while (c->pending_at < c->pending.len && c->tx.len - c->tx_at < LINK_TX_LOW) {
		const unsigned char *m = c->pending.data + c->pending_at;
		size_t n = LINKPROTO_HEADER_BYTES + util_le32(m + 1);

		if (m[0] == LINK_ENTRIES)
			c->stats.sent += util_le16(m + LINKPROTO_HEADER_BYTES + 8);
		if (seal_bytes(c, m, n, err) != 0)
			return -1;
		c->pending_at += n;
	}
	if (c->pending_at == c->pending.len)
		c->pending.len = c->pending_at = 0;
	return 0;
}

void
link_conn_fail(struct link_conn *c, int code, uint8_t wire_code, const char *fmt, ...)
{
	char msg[256];
	va_list ap;

	if (c->state == CONN_CLOSING || c->state == CONN_CLOSED)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	if (c->tr != NULL && wire_code != 0) {
		struct cimic_error ignored;
		c->pending.len = c->pending_at = 0;   /* unsent batches are dropped */
		c->urgent.len = 0;
		linkproto_put_error(&c->urgent, wire_code, msg);
		seal(c, &ignored);
	}
	finish(c, code, msg);
}

bool
link_conn_admitted(const struct link_conn *c)
{
	return c->initiator || c->peer_live;
}

bool
link_conn_wants_write(const struct link_conn *c)
{
	return c->fd >= 0 && c->tx_at < c->tx.len;
}

void
link_conn_on_writable(struct link_conn *c, int64_t now)
{
	ssize_t n;

	if (!link_conn_wants_write(c))
		return;
	n = send(c->fd, c->tx.data + c->tx_at, c->tx.len - c->tx_at, MSG_NOSIGNAL);
	if (n < 0) {
		if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)
			return;
		link_conn_fail(c, CIMIC_EIO, 0, _("connection lost: %s"), strerror(errno));
		close_now(c);
		return;
	}
	c->tx_at += (size_t)n;
	c->stats.bytes_out += (uint64_t)n;
	c->last_tx_ms = c->tx_stuck_ms = now;
	if (c->tx_at == c->tx.len)
		c->tx_at = c->tx.len = 0;
}

/* ---- the handshake ---- */

static int
hello_frame(struct link_conn *c, const struct buf *payload, struct cimic_error *err)
{
	unsigned char *p = frame_begin(c);
	size_t n;

	if (p == NULL || payload->failed)
		return cimic_error_set(err, CIMIC_EFAIL, _("out of memory"));
	if (noise_handshake_write(c->hs, payload->data, payload->len, p, NOISE_MSG_MAX, &n, err) != 0)
		return -1;
	frame_end(c, n);
	return 0;
}

static int
start_transport(struct link_conn *c, struct cimic_error *err)
{
	if (noise_handshake_split(c->hs, &c->tr, err) != 0)
		return -1;
	noise_handshake_destroy(c->hs);
	c->hs = NULL;
	c->state = CONN_RUNNING;
	c->stats.phase = LINK_TRANSFER;
	return 0;
}

/* Responder: answers message 1 with a refusal in message 2, then closes. */
static void
refuse(struct link_conn *c, const char *why)
{
	struct cimic_error err;
	struct buf b;

	buf_init(&b);
	linkproto_put_error(&b, LINK_ERR_REFUSED, why);
	if (hello_frame(c, &b, &err) != 0)
		c->tx.len = 0;
	buf_finish(&b);
	finish(c, CIMIC_EPERM, why);
}

/* Responder: who is calling, may it, and what does it hold. */
static void
on_message1(struct link_conn *c, const unsigned char *msg, size_t len)
{
	struct roster_node n;
	struct linkproto_msg m;
	struct cimic_error err;
	struct buf hello;
	size_t plen, used;
	const unsigned char *rs;

	if (!buf_reserve(&c->plain, len) ||
	    noise_handshake_read(c->hs, msg, len, c->plain.data, len, &plen, &err) != 0) {
		unsigned char *p = frame_begin(c);
		if (p != NULL) {
			*p = LINK_HS_REJECT;
			frame_end(c, 1);
		}
		finish(c, err.code == CIMIC_EDATA ? CIMIC_EDATA : CIMIC_EPERM,
		       err.code == CIMIC_EDATA ? err.msg
		       : _("a handshake this node cannot authenticate: the caller holds a wrong key for it"));
		return;
	}
	rs = noise_handshake_remote_static(c->hs);
	if (!link_peer_by_link_key(c->st, rs, &n)) {
		/* Not a node we know: name it by the start of its link key. */
		char hex[17];
		util_hex(rs, 8, hex);
		snprintf(c->stats.peer_fp, sizeof c->stats.peer_fp, "link:%s", hex);
		refuse(c, _("this node is not enrolled here: ask HQ to add it with 'cimic peer add'"));
		return;
	}
	set_peer(c, &n);
	if (n.revoked) {
		refuse(c, _("this node is revoked"));
		return;
	}
	if (linkproto_parse(c->plain.data, plen, &m, &used, &err) != LINKPROTO_MESSAGE ||
	    used != plen || m.type != LINK_HELLO || link_plan_from_hello(c, &m.u.hello, &err) != 0) {
		refuse(c, _("the hello is not valid"));
		return;
	}
	buf_init(&hello);
	if (link_hello_put(c->st, &hello, &err) != 0 || hello_frame(c, &hello, &err) != 0 ||
	    start_transport(c, &err) != 0)
		finish(c, err.code, err.msg);
	buf_finish(&hello);
}

static void
peer_error(struct link_conn *c, const struct linkproto_error *e)
{
	int code = e->code == LINK_ERR_REFUSED ? CIMIC_EPERM
		 : e->code == LINK_ERR_BUSY || e->code == LINK_ERR_TIMEOUT ? CIMIC_EIO
		 : e->code == LINK_ERR_INTERNAL ? CIMIC_EFAIL : CIMIC_EDATA;
	char msg[512];

	snprintf(msg, sizeof msg, _("%s refused or ended the session: %s"),
		 c->peer_known ? c->peer.name : c->stats.address, e->reason);
	finish(c, code, msg);
}

/* Initiator: the responder's answer, a hello or a refusal. */
static void
on_message2(struct link_conn *c, const unsigned char *msg, size_t len)
{
	struct linkproto_msg m;
	struct cimic_error err;
	size_t plen, used;

	if (len == 1 && msg[0] == LINK_HS_REJECT) {
		char why[512];
		snprintf(why, sizeof why, _("%s could not authenticate this node: it does not hold the "
					    "link key this node has for %s (wrong key, or another server there)"),
			 c->stats.address, c->peer.name);
		finish(c, CIMIC_EPERM, why);
		return;
	}
	if (!buf_reserve(&c->plain, len) ||
	    noise_handshake_read(c->hs, msg, len, c->plain.data, len, &plen, &err) != 0) {
		char why[512];
		snprintf(why, sizeof why,
			 _("handshake with %s failed: the other end does not hold the link key of %s (%s)"),
			 c->stats.address, c->peer.name, err.msg);
		finish(c, err.code == CIMIC_EDATA ? CIMIC_EDATA : CIMIC_EPERM, why);
		return;
	}
	if (linkproto_parse(c->plain.data, plen, &m, &used, &err) != LINKPROTO_MESSAGE || used != plen) {
		finish(c, CIMIC_EDATA, err.msg);
		return;
	}
	if (m.type == LINK_ERROR) {
		peer_error(c, &m.u.error);
		return;
	}
	if (m.type != LINK_HELLO || link_plan_from_hello(c, &m.u.hello, &err) != 0 ||
	    start_transport(c, &err) != 0)
		finish(c, m.type != LINK_HELLO ? CIMIC_EDATA : err.code,
		       m.type != LINK_HELLO ? _("the peer answered the handshake without a hello") : err.msg);
}

/* ---- the message stream ---- */

static void
on_ack(struct link_conn *c, uint64_t batch)
{
	if (batch <= c->batches_acked || batch > c->batches_out) {
		link_conn_fail(c, CIMIC_EDATA, LINK_ERR_PROTOCOL, _("the peer acknowledged batch %llu, "
				"which it cannot have"), (unsigned long long)batch);
		return;
	}
	while (c->batches_acked < batch) {
		c->batches_acked++;
		c->stats.acked += c->window_entries[c->batches_acked % LINK_WINDOW];
	}
}

static void
on_entries(struct link_conn *c, const struct linkproto_entries *e)
{
	struct cimic_error err;

	if (c->peer_done || e->batch != c->batches_in + 1) {
		link_conn_fail(c, CIMIC_EDATA, LINK_ERR_PROTOCOL, _("batch %llu arrived out of order"),
			       (unsigned long long)e->batch);
		return;
	}
	if (link_batch_apply(c, e, &err) != 0) {
		link_conn_fail(c, err.code, err.code == CIMIC_EPERM || err.code == CIMIC_EDATA
			       ? LINK_ERR_REJECTED : LINK_ERR_INTERNAL, "%s", err.msg);
		return;
	}
	c->batches_in = e->batch;
	linkproto_put_ack(&c->urgent, c->batches_in);
}

static void
on_message(struct link_conn *c, const struct linkproto_msg *m)
{
	switch (m->type) {
	case LINK_ENTRIES:
		on_entries(c, &m->u.entries);
		break;
	case LINK_ACK:
		on_ack(c, m->u.batch);
		break;
	case LINK_DONE:
		/* The stream is ordered: DONE(n) comes right after batch n. */
		if (c->peer_done || m->u.batch != c->batches_in) {
			link_conn_fail(c, CIMIC_EDATA, LINK_ERR_PROTOCOL, _("the peer's end does not match its batches"));
			break;
		}
		c->peer_done = true;
		c->peer_batches = m->u.batch;
		break;
	case LINK_ERROR:
		peer_error(c, &m->u.error);
		break;
	case LINK_PING:
		break;
	default:
		link_conn_fail(c, CIMIC_EDATA, LINK_ERR_PROTOCOL, _("unexpected %s message"),
			       linkproto_type_name(m->type));
		break;
	}
}

static void
on_transport_frame(struct link_conn *c, const unsigned char *frame, size_t len)
{
	struct linkproto_msg m;
	struct cimic_error err;
	size_t n, used, at = 0;
	int rc = 0;

	if (!buf_reserve(&c->plain, len) ||
	    noise_transport_decrypt(c->tr, frame, len, c->plain.data + c->plain.len, len, &n, &err) != 0) {
		link_conn_fail(c, CIMIC_EDATA, 0, _("a link frame does not authenticate: %s"), err.msg);
		return;
	}
	if (!c->peer_live) {
		if (c->admit != NULL && !c->admit(c, c->admit_arg))
			return;   /* no session slot: nothing it sent is acted on */
		c->peer_live = true;
	}
	c->plain.len += n;
	while (c->state == CONN_RUNNING &&
	       (rc = linkproto_parse(c->plain.data + at, c->plain.len - at, &m, &used, &err)) ==
	       LINKPROTO_MESSAGE) {
		on_message(c, &m);
		at += used;
	}
	if (c->state == CONN_RUNNING && rc == -1)
		link_conn_fail(c, CIMIC_EDATA, LINK_ERR_PROTOCOL, "%s", err.msg);
	memmove(c->plain.data, c->plain.data + at, c->plain.len - at);
	c->plain.len -= at;
}

static void
on_frame(struct link_conn *c, const unsigned char *frame, size_t len)
{
	switch (c->state) {
	case CONN_WAIT_MSG1:
		on_message1(c, frame, len);
		break;
	case CONN_WAIT_MSG2:
		on_message2(c, frame, len);
		break;
	case CONN_RUNNING:
		on_transport_frame(c, frame, len);
		break;
	default:
		break;   /* closing: the rest of the stream no longer matters */
	}
}

static void
process_rx(struct link_conn *c)
{
	size_t at = 0;

	while (c->rx.len - at >= LINKPROTO_FRAME_HEADER_BYTES) {
		size_t n = util_le16(c->rx.data + at);

		if (n == 0) {
			link_conn_fail(c, CIMIC_EDATA, LINK_ERR_PROTOCOL, _("empty link frame"));
			break;
		}
		if (c->rx.len - at < LINKPROTO_FRAME_HEADER_BYTES + n)
			break;
		on_frame(c, c->rx.data + at + LINKPROTO_FRAME_HEADER_BYTES, n);
		at += LINKPROTO_FRAME_HEADER_BYTES + n;
	}
	if (c->state == CONN_CLOSING || c->state == CONN_CLOSED)
		at = c->rx.len;
	memmove(c->rx.data, c->rx.data + at, c->rx.len - at);
	c->rx.len -= at;
}

/* Both sides hold everything: ours acknowledged, theirs applied. */
static bool
all_exchanged(const struct link_conn *c)
{
	return c->state == CONN_RUNNING && c->done_sent && c->batches_acked == c->batches_out &&
	       c->peer_done && c->batches_in == c->peer_batches;
}

/* ...and nothing of ours (an ack, a ping) is still queued. */
static bool
finished_cleanly(const struct link_conn *c)
{
	return all_exchanged(c) && c->pending.len == 0 && c->urgent.len == 0;
}

static void
on_eof(struct link_conn *c)
{
	if (c->state == CONN_CLOSING) {
		close_now(c);
		return;
	}
	if (all_exchanged(c))
		finish(c, 0, "");   /* the peer needs nothing more from us */
	else if (c->state == CONN_RUNNING)
		link_conn_fail(c, CIMIC_EIO, 0, _("the connection was closed before the end "
			       "(run sync again: it resumes)"));
	else
		link_conn_fail(c, CIMIC_EIO, 0, _("the connection was closed during the handshake"));
	close_now(c);
}

void
link_conn_on_readable(struct link_conn *c, int64_t now)
{
	ssize_t n;

	if (c->fd < 0 || !buf_reserve(&c->rx, LINK_READ_CHUNK))
		return;
	n = recv(c->fd, c->rx.data + c->rx.len, LINK_READ_CHUNK, 0);
	if (n < 0) {
		if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)
			return;
		link_conn_fail(c, CIMIC_EIO, 0, _("connection lost: %s (run sync again: it resumes)"),
			       strerror(errno));
		close_now(c);
		return;
	}
	if (n == 0) {
		on_eof(c);
		return;
	}
	c->rx.len += (size_t)n;
	c->stats.bytes_in += (uint64_t)n;
	c->last_rx_ms = now;
	process_rx(c);
}

/* ---- pumping ---- */

/* Fills the window with batches, then says DONE once everything is out. */
static void
fill_window(struct link_conn *c)
{
	struct cimic_error err;
	long n = 1;

	while (!c->done_sent && c->batches_out - c->batches_acked < LINK_WINDOW) {
		if (link_batch_next(c, &n, &err) != 0) {
			link_conn_fail(c, err.code, LINK_ERR_INTERNAL, "%s", err.msg);
			return;
		}
		if (n == 0)
			break;
		c->batches_out++;
		c->window_entries[c->batches_out % LINK_WINDOW] = n;
	}
	if (!c->done_sent && n == 0) {
		linkproto_put_done(&c->pending, c->batches_out);
		c->done_sent = true;
	}
}

static void
check_time(struct link_conn *c, int64_t now)
{
	int64_t quiet = now - c->last_rx_ms;

	/* Closing takes at most DRAIN_MS, whatever the peer does. */
	if (c->state == CONN_CLOSING) {
		if (now - c->closing_ms >= DRAIN_MS)
			close_now(c);
		return;
	}
	/* A caller not yet admitted has one short deadline in all, however it trickles. */
	if (!link_conn_admitted(c) && now - c->created_ms >= c->handshake_ms) {
		link_conn_fail(c, CIMIC_EIO, 0, _("the handshake took longer than %d s"),
			       (c->handshake_ms + 999) / 1000);
	} else if (quiet >= c->timeout_ms) {
		link_conn_fail(c, CIMIC_EIO, LINK_ERR_TIMEOUT, _("nothing heard from %s for %d s "
			       "(run sync again: it resumes)"),
			       c->peer_known ? c->peer.name : c->stats.address, c->timeout_ms / 1000);
	} else if (link_conn_wants_write(c) && now - c->tx_stuck_ms >= c->timeout_ms) {
		link_conn_fail(c, CIMIC_EIO, 0, _("%s has not read anything for %d s"),
			       c->peer_known ? c->peer.name : c->stats.address, c->timeout_ms / 1000);
		close_now(c);
	} else if (c->state == CONN_RUNNING && now - c->last_tx_ms >= c->timeout_ms / 3 &&
		   !link_conn_wants_write(c)) {
		linkproto_put_ping(&c->urgent);
	}
}

/* Closing: once the last bytes are out, shut our side and wait for the peer's EOF. */
static void
pump_closing(struct link_conn *c)
{
	if (link_conn_wants_write(c) || c->fd < 0)
		return;
	c->wr_shut = true;
	if (shutdown(c->fd, SHUT_WR) != 0)
		close_now(c);
}

void
link_conn_pump(struct link_conn *c, int64_t now)
{
	struct cimic_error err;

	if (c->state == CONN_CLOSED)
		return;
	/* nothing is sent to a caller before it is admitted: a replayed message 1 gets no entries */
	if (c->state == CONN_RUNNING && link_conn_admitted(c))
		fill_window(c);
	if (finished_cleanly(c) && !link_conn_wants_write(c))
		finish(c, 0, "");
	check_time(c, now);
	if (c->state == CONN_RUNNING && (c->pending.len > 0 || c->urgent.len > 0) && seal(c, &err) != 0)
		link_conn_fail(c, err.code, 0, "%s", err.msg);
	if (c->state == CONN_CLOSING && !c->wr_shut)
		pump_closing(c);
	report(c, now, c->state == CONN_CLOSED);
}

int
link_conn_wait_ms(const struct link_conn *c, int64_t now)
{
	int64_t next = c->last_rx_ms + c->timeout_ms;

	if (!link_conn_admitted(c) && c->created_ms + c->handshake_ms < next)
		next = c->created_ms + c->handshake_ms;
	if (c->state == CONN_CLOSING)
		next = c->closing_ms + DRAIN_MS;
	else if (c->state == CONN_RUNNING && c->last_tx_ms + c->timeout_ms / 3 < next)
		next = c->last_tx_ms + c->timeout_ms / 3;
	if (next <= now)
		return 0;
	return next - now > 1000 ? 1000 : (int)(next - now);
}

/* ---- life ---- */

static void
peer_address(struct link_conn *c)
{
	struct sockaddr_storage ss;
	socklen_t len = sizeof ss;
	char host[48], port[8];

	if (getpeername(c->fd, (struct sockaddr *)&ss, &len) != 0 ||
	    getnameinfo((struct sockaddr *)&ss, len, host, sizeof host, port, sizeof port,
			NI_NUMERICHOST | NI_NUMERICSERV) != 0)
		return;
	snprintf(c->stats.address, sizeof c->stats.address, ss.ss_family == AF_INET6 ? "[%s]:%s" : "%s:%s",
		 host, port);
}

static int
start_handshake(struct link_conn *c, const struct roster_node *server, struct cimic_error *err)
{
	static const unsigned char prologue[] = LINK_PROLOGUE;
	const struct node_identity *me = store_identity(c->st);
	struct buf hello;
	int rc;

	if (!c->initiator) {
		c->state = CONN_WAIT_MSG1;
		return noise_handshake_create(NOISE_RESPONDER, prologue, sizeof prologue - 1, me->link_sk,
					      NULL, &c->hs, err);
	}
	set_peer(c, server);
	c->state = CONN_WAIT_MSG2;
	if (noise_handshake_create(NOISE_INITIATOR, prologue, sizeof prologue - 1, me->link_sk,
				   server->pub.link_pk, &c->hs, err) != 0)
		return -1;
	buf_init(&hello);
	rc = link_hello_put(c->st, &hello, err) == 0 && hello_frame(c, &hello, err) == 0 ? 0 : -1;
	buf_finish(&hello);
	return rc;
}

int
link_conn_create(struct store *st, const struct link_options *o, int fd, bool initiator,
		 const struct roster_node *server, struct link_conn **out, struct cimic_error *err)
{
	struct link_conn *c = calloc(1, sizeof *c);
	int64_t now = link_now_ms();

	*out = NULL;
	if (c == NULL) {
		close(fd);
		return cimic_error_set(err, CIMIC_EFAIL, _("out of memory"));
	}
	c->st = st;
	c->o = o;
	c->fd = fd;
	c->initiator = initiator;
	c->timeout_ms = (o->timeout_s > 0 ? o->timeout_s : LINK_DEFAULT_TIMEOUT) * 1000;
	c->handshake_ms = (o->handshake_s > 0 ? o->handshake_s : LINK_DEFAULT_HANDSHAKE) * 1000;
	if (c->handshake_ms > c->timeout_ms)
		c->handshake_ms = c->timeout_ms;
	c->created_ms = c->last_rx_ms = c->last_tx_ms = c->tx_stuck_ms = now;
	c->last_report_ms = now - LINK_PROGRESS_MS;
	buf_init(&c->rx);
	buf_init(&c->plain);
	buf_init(&c->pending);
	buf_init(&c->urgent);
	buf_init(&c->tx);
	c->stats.phase = LINK_HANDSHAKE;
	peer_address(c);
	if (start_handshake(c, server, err) != 0) {
		link_conn_destroy(c);
		return -1;
	}
	*out = c;
	return 0;
}

void
link_conn_destroy(struct link_conn *c)
{
	if (c == NULL)
		return;
	if (c->fd >= 0)
		close(c->fd);
	noise_handshake_destroy(c->hs);
	noise_transport_destroy(c->tr);
	/* The plaintext buffers held entries and hellos: wipe before freeing. */
	if (c->plain.data != NULL)
		memset(c->plain.data, 0, c->plain.cap);
	if (c->pending.data != NULL)
		memset(c->pending.data, 0, c->pending.cap);
	buf_finish(&c->rx);
	buf_finish(&c->plain);
	buf_finish(&c->pending);
	buf_finish(&c->urgent);
	buf_finish(&c->tx);
	free(c->plan);
	free(c);
}
