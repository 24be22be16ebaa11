/*
 * link.h - sync over a network link: `cimic serve` (usually HQ) and
 * `cimic sync --link` (a field unit), DESIGN.md section 5 and
 * research/sync_design.md section 6.
 *
 * A session is: TCP connect; Noise IK handshake on the nodes' link keys,
 * whose two payloads are the hellos (each side's version vector); the
 * responder refuses an unknown or revoked peer in its answer, before any
 * entry flows; then each side streams the entries the other lacks, in
 * batches.  The receiver applies each batch in one transaction through
 * the same policy as a bundle (exchange_apply_entry) and acks it
 * (cumulative).  A side is finished when it has sent DONE, all its
 * batches are acked, and it has applied everything the peer announced.
 *
 * Made for slow links that drop: at most LINK_WINDOW batches are
 * unacked; a cut loses at most what was unacked, and the next handshake's
 * version vectors make the resend automatic; a quiet link sends pings;
 * no bytes for `timeout_s` seconds ends the session with a clear error.
 *
 * The server is one process and one poll() loop: each connection has its
 * own state, deadlines and bounded buffers, so a slow or hostile client
 * cannot stall the others; all SQLite writes happen in this process, one
 * transaction per batch.  Nothing here prints: callbacks report.
 */
#ifndef CIMIC_LINK_H
#define CIMIC_LINK_H

#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>

#include "cimic/error.h"
#include "cimic/roster.h"

struct store;

#define LINK_DEFAULT_TIMEOUT 60      /* seconds without a byte from the peer */
#define LINK_DEFAULT_MAX_CLIENTS 32
#define LINK_WINDOW 4                /* unacked batches in flight */

enum link_phase {
	LINK_CONNECTING,
	LINK_HANDSHAKE,
	LINK_TRANSFER,
	LINK_FINISHED,     /* status says how */
};

/* One session as both sides see it; passed to the callbacks, kept by the client. */
struct link_stats {
	enum link_phase phase;
	char peer[ROSTER_NAME_MAX + 1];       /* peer's name here ("" before the handshake) */
	char peer_fp[24];                     /* its fingerprint */
	char address[64];                     /* numeric host:port of the other end */
	long to_send, sent, acked;            /* entries: planned, sent, acknowledged */
	long to_receive, received;            /* entries announced by the peer, received */
	long received_new, received_dup, quarantined, skipped;
	uint64_t bytes_in, bytes_out;         /* on the wire, frames and handshake included */
	int status;                           /* at LINK_FINISHED: 0 or a cimic_status */
	char error[256];                      /* at LINK_FINISHED with status != 0 */
};

typedef void (*link_stats_cb)(const struct link_stats *s, void *arg);

struct link_options {
	int timeout_s;                 /* 0: LINK_DEFAULT_TIMEOUT */
	int max_clients;               /* server; 0: LINK_DEFAULT_MAX_CLIENTS */
	bool once;                     /* server: return after the first session ends */
	const char *peer;              /* client: which peer to call (NULL: the one HQ peer) */
	volatile sig_atomic_t *stop;   /* server: set (by a signal handler) to stop */
	link_stats_cb progress;        /* a session moved on (throttled to ~4 a second) */
	link_stats_cb finished;        /* a session ended (also refused ones) */
	void (*listening)(const char *address, void *arg);   /* server: bound, with the real port */
	void *arg;
};

/*
 * Client: one session with the peer at host:port ("127.0.0.1:7000",
 * "[::1]:7000", "hq.example:7000").  Returns 0 when both sides hold
 * everything, else -1 with err: CIMIC_EPERM refused or wrong key,
 * CIMIC_EIO connection failed, cut or timed out (run again: it resumes),
 * CIMIC_EDATA the peer broke the protocol.  *stats (optional) tells what
 * moved either way.
 */
int link_sync(struct store *st, const char *hostport, const struct link_options *o,
	      struct link_stats *stats, struct cimic_error *err);

/*
 * Server: listens on addr:port (port 0: any free port, reported through
 * o->listening) and serves until *o->stop is set, or, with o->once, until
 * the first session ends; then returns that session's result.
 */
int link_serve(struct store *st, const char *hostport, const struct link_options *o,
	       struct cimic_error *err);

/*
 * The same server as an object, for a caller that has its own poll()
 * loop (the terminal interface serves while it reads keys).  Each round:
 * link_server_prepare() does the work that needs no I/O and fills
 * fds[0 .. n) (n returned; at most link_server_max_fds()) and the
 * longest wait; the caller polls them with its own descriptors and
 * hands the result to link_server_handle().  Everything happens in the
 * caller's thread; batches are applied on the caller's store connection,
 * one transaction each, so call it outside any transaction.
 */
struct link_server;

int link_server_start(struct store *st, const char *hostport, const struct link_options *o,
		      struct link_server **out, struct cimic_error *err);
/* The address really listened on ("127.0.0.1:7000"; the kernel's port for port 0). */
const char *link_server_address(const struct link_server *s);
int link_server_max_fds(const struct link_server *s);
int link_server_prepare(struct link_server *s, struct pollfd *fds, int *timeout_ms);
void link_server_handle(struct link_server *s, const struct pollfd *fds);
/* Copies the stats of the sessions now open into out (at most max); returns how many. */
int link_server_sessions(const struct link_server *s, struct link_stats *out, int max);
/* Ends every session (finished is called for each), closes the socket, frees (NULL: no-op). */
void link_server_stop(struct link_server *s);

#endif
