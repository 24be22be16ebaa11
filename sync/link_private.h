/*
 * link_private.h - one link connection, shared by link_conn.c (frames,
 * handshake, messages), link_plan.c (what to send, applying what comes)
 * and link_net.c (sockets, the client and the server loops).
 *
 * Buffers and their bounds (so that a peer cannot make us grow them):
 *   rx     socket bytes not yet a whole frame: < LINK_FRAME_MAX + LINK_READ_CHUNK
 *   plain  decrypted stream not yet a whole message: one message (checked
 *          by linkproto_parse from its header) plus one frame
 *   pending  data messages to send (batches, DONE) in stream order: at
 *          most LINK_WINDOW batches, because batches are only built while
 *          the window is open
 *   urgent   ACK, PING, ERROR: sealed before any queued data, so an ack is
 *          not stuck behind this side's own batches
 *   tx       sealed frames for the socket: data is sealed a whole message
 *          at a time, only while less than LINK_TX_LOW is waiting
 */
#ifndef CIMIC_SYNC_LINK_PRIVATE_H
#define CIMIC_SYNC_LINK_PRIVATE_H

#include <stdbool.h>
#include <stdint.h>

#include "cimic/exchange.h"
#include "cimic/link.h"
#include "linkproto.h"
#include "noise.h"
#include "cimic/roster.h"
#include "cimic/util.h"

#define LINK_PROLOGUE "cimic-link-v1"
#define LINK_FRAME_MAX (LINKPROTO_FRAME_HEADER_BYTES + NOISE_MSG_MAX)
#define LINK_READ_CHUNK (16u << 10)
#define LINK_BATCH_BYTES (32u << 10)      /* a batch is cut after this much... */
#define LINK_BATCH_ENTRIES 256            /* ...or this many entries */
#define LINK_PROGRESS_MS 250
#define LINK_TX_LOW (16u << 10)
/*
 * The responder's answer to a message 1 it cannot authenticate: one
 * cleartext byte in a frame (a real message 2 has at least 48).  It is
 * not authenticated - nothing can be at that point - so it only lets the
 * initiator say "wrong key" instead of "connection closed"; anyone able
 * to forge it could as well cut the connection.
 */
#define LINK_HS_REJECT 0x01

enum conn_state {
	CONN_WAIT_MSG1,     /* responder: waiting for handshake message 1 */
	CONN_WAIT_MSG2,     /* initiator: message 1 sent, waiting for message 2 */
	CONN_RUNNING,       /* transport: entries both ways */
	CONN_CLOSING,       /* flushing a last message (refusal, error, end), then close */
	CONN_CLOSED,
};

/* Entries of one author to send: seqs in (after, upto]. */
struct link_plan_item {
	unsigned char author[LINKPROTO_AUTHOR_BYTES];
	uint64_t after, upto;
};

struct link_conn {
	struct store *st;                  /* borrowed */
	const struct link_options *o;      /* borrowed */
	int fd;                            /* owned */
	bool initiator;
	enum conn_state state;
	int timeout_ms;
	int64_t created_ms, last_rx_ms, last_tx_ms, last_report_ms, tx_stuck_ms;

	struct noise_handshake *hs;        /* owned until the split */
	struct noise_transport *tr;        /* owned */
	struct roster_node peer;           /* once known */
	bool peer_known;

	struct buf rx, plain, pending, urgent, tx;   /* owned; bounds above */
	size_t pending_at;                 /* bytes of pending already sealed */
	size_t tx_at;                      /* bytes of tx already written */
	bool wr_shut;                      /* our side is shut: only the peer's EOF is awaited */
	int64_t closing_ms;                /* when CONN_CLOSING began */

	struct link_plan_item *plan;       /* owned */
	size_t nplan, plan_at;
	uint64_t batches_out, batches_acked;
	long window_entries[LINK_WINDOW];  /* entries in each unacked batch */
	bool done_sent;

	uint64_t batches_in;               /* last batch applied */
	bool peer_done;
	uint64_t peer_batches;

	struct link_stats stats;
	struct cimic_error err;            /* why it ended, when stats.status != 0 */
};

/* ---- link_conn.c ---- */

/* OUT *out: link_conn_destroy.  fd is owned from here on, even on failure. */
int link_conn_create(struct store *st, const struct link_options *o, int fd, bool initiator,
		     const struct roster_node *server, struct link_conn **out, struct cimic_error *err);
void link_conn_destroy(struct link_conn *c);
void link_conn_on_readable(struct link_conn *c, int64_t now);
void link_conn_on_writable(struct link_conn *c, int64_t now);
/* Builds what can be sent now, checks timeouts and the end of the session. */
void link_conn_pump(struct link_conn *c, int64_t now);
bool link_conn_wants_write(const struct link_conn *c);
/* Milliseconds until the connection needs attention without any I/O. */
int link_conn_wait_ms(const struct link_conn *c, int64_t now);
/* Ends the session with an error (sent to the peer when the channel allows). */
void link_conn_fail(struct link_conn *c, int code, uint8_t wire_code, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
int64_t link_now_ms(void);

/* ---- link_plan.c ---- */

/* This node's hello: its version vector. */
int link_hello_put(struct store *st, struct buf *b, struct cimic_error *err);
/* Reads the peer's hello: what to send it, what to expect, and its acks. */
int link_plan_from_hello(struct link_conn *c, const struct linkproto_hello *h,
			 struct cimic_error *err);
/* Appends the next batch to c->pending; *n = its entries (0: nothing left). */
int link_batch_next(struct link_conn *c, long *n, struct cimic_error *err);
/* Applies one received batch in one transaction. */
int link_batch_apply(struct link_conn *c, const struct linkproto_entries *e,
		     struct cimic_error *err);
/* The roster node holding this link key; false when none. */
bool link_peer_by_link_key(struct store *st, const unsigned char link_pk[32],
			   struct roster_node *out);

/* The peer a client calls: o->peer by name, else the one trusted HQ peer. */
int link_pick_peer(struct store *st, const char *name, struct roster_node *out,
		   struct cimic_error *err);

#endif
