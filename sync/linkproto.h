/*
 * linkproto.h - the messages of the network link and their byte format.
 *
 * Two layers.  On the wire, every Noise message (handshake or transport)
 * is a frame: u16 length (little-endian, 1..65535) then that many bytes.
 * Inside the encrypted transport, the plaintexts of successive frames
 * form one byte stream per direction, cut into messages:
 *
 *   type u8 | body_len u32 | body
 *
 * so a message may span frames (an entry can reach 1 MiB) and small
 * messages can share one.  All integers are little-endian.  Bodies:
 *
 *   HELLO   1  version u8 (=1) | role u8 (0 field, 1 hq) | roster_version u64
 *              | n u16 | n x (author[32] | seq u64), authors strictly ascending
 *              (the contiguous version vector; carried as the handshake payloads)
 *   ENTRIES 2  batch u64 (1, 2, 3 ... per connection and direction) | n u16
 *              | n x (len u32 | entry bytes as in the op log)
 *   ACK     3  batch u64: every batch up to this one is committed (cumulative)
 *   DONE    4  batches u64: the sender has sent everything it has, in this many
 *              batches
 *   ERROR   5  code u8 | len u16 | reason (UTF-8, no control characters)
 *   PING    6  (empty) keeps a quiet link from timing out
 *
 * The parser is strict: every length is checked against the hard limits
 * below before anything is allocated or waited for, bodies must be used
 * exactly, unknown types and versions are refused.  It never allocates:
 * a parsed message points into the caller's buffer.
 */
#ifndef CIMIC_LINKPROTO_H
#define CIMIC_LINKPROTO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cimic/error.h"
#include "cimic/oplog.h"
#include "cimic/util.h"

#define LINKPROTO_VERSION 1
#define LINKPROTO_HEADER_BYTES 5
#define LINKPROTO_FRAME_HEADER_BYTES 2
#define LINKPROTO_AUTHOR_BYTES 32
#define LINKPROTO_VV_ITEM_BYTES (LINKPROTO_AUTHOR_BYTES + 8)
/* Authors in one hello: the hello must fit one Noise handshake message. */
#define LINKPROTO_VV_MAX 1024
#define LINKPROTO_BATCH_MAX 1024                   /* entries in one ENTRIES message */
#define LINKPROTO_ENTRY_MIN 64                      /* shorter cannot hold a signature */
#define LINKPROTO_ENTRY_MAX (1u << 20)              /* = OPLOG_ENTRY_MAX_BYTES */
#define LINKPROTO_REASON_MAX 255
/* Largest body: one batch may hold one entry of the largest size. */
#define LINKPROTO_BODY_MAX (LINKPROTO_ENTRY_MAX + (64u << 10))

enum linkproto_type {
	LINK_HELLO = 1,
	LINK_ENTRIES = 2,
	LINK_ACK = 3,
	LINK_DONE = 4,
	LINK_ERROR = 5,
	LINK_PING = 6,
};

/* Reasons carried by ERROR; ui/ words them for the user. */
enum linkproto_error_code {
	LINK_ERR_PROTOCOL = 1,     /* malformed or unexpected message */
	LINK_ERR_REFUSED = 2,      /* unknown or revoked peer */
	LINK_ERR_BUSY = 3,         /* server at its connection limit */
	LINK_ERR_TIMEOUT = 4,
	LINK_ERR_INTERNAL = 5,     /* the sender's store failed */
	LINK_ERR_REJECTED = 6,     /* an entry did not verify or apply */
};

struct linkproto_hello {
	uint8_t version;
	uint8_t role;
	uint64_t roster_version;
	uint16_t n;
	const unsigned char *items;   /* n x 40 bytes, borrowed; see linkproto_vv_item */
};

struct linkproto_entries {
	uint64_t batch;
	uint16_t n;
	const unsigned char *first;   /* n x (len u32 | bytes), borrowed; see linkproto_entry_next */
	size_t span;                  /* bytes from first to the end of the body */
};

struct linkproto_error {
	uint8_t code;
	char reason[LINKPROTO_REASON_MAX + 1];   /* copied, NUL-terminated */
};

struct linkproto_msg {
	enum linkproto_type type;
	union {
		struct linkproto_hello hello;
		struct linkproto_entries entries;
		uint64_t batch;                      /* ACK and DONE */
		struct linkproto_error error;
	} u;
};

enum linkproto_parse_result {
	LINKPROTO_MORE = 0,     /* a valid beginning: wait for more bytes */
	LINKPROTO_MESSAGE = 1,  /* one message parsed */
};

/*
 * Parses the first message of buf.  Returns LINKPROTO_MESSAGE (with
 * *used = its size), LINKPROTO_MORE (with *used = the size it will have
 * once complete, or 0 while the header is incomplete), or -1 with
 * CIMIC_EDATA.  The message borrows from buf.
 */
int linkproto_parse(const unsigned char *buf, size_t len, struct linkproto_msg *msg, size_t *used,
		    struct cimic_error *err);

/* Author and seq of item i (< hello->n). */
void linkproto_vv_item(const struct linkproto_hello *h, size_t i, const unsigned char **author,
		       uint64_t *seq);
/*
 * Iterates over a parsed batch: *pos starts at 0; each call gives the
 * next entry's bytes.  Returns false after the last one.
 */
bool linkproto_entry_next(const struct linkproto_entries *e, size_t *pos,
			  const unsigned char **raw, size_t *len);

/* ---- encoding: appended to a growing buffer (check b->failed) ---- */

/* Sorts items by author; refuses duplicates and more than LINKPROTO_VV_MAX (EUSAGE). */
int linkproto_put_hello(struct buf *b, uint8_t role, uint64_t roster_version,
			struct oplog_vv_item *items, size_t n, struct cimic_error *err);
/* Starts an ENTRIES message; add entries, then close it. */
size_t linkproto_begin_entries(struct buf *b, uint64_t batch);
int linkproto_add_entry(struct buf *b, size_t start, const unsigned char *raw, size_t len,
			struct cimic_error *err);
void linkproto_end_entries(struct buf *b, size_t start);
void linkproto_put_ack(struct buf *b, uint64_t batch);
void linkproto_put_done(struct buf *b, uint64_t batches);
/* The reason is cut to LINKPROTO_REASON_MAX bytes at a character boundary. */
void linkproto_put_error(struct buf *b, uint8_t code, const char *reason);
void linkproto_put_ping(struct buf *b);

const char *linkproto_type_name(int type);

#endif
