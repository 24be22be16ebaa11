/*
 * linkproto.c - encoder and strict parser of the link messages
 * (format in include/cimic/linkproto.h).
 *
 * The parser decides from the 5-byte header alone whether a message can
 * be valid (known type, body length within the type's bounds), so a peer
 * cannot make us wait for, or buffer, more than LINKPROTO_BODY_MAX bytes,
 * and garbage is refused at its first bytes.  Nothing here allocates; the
 * caller's buffer growth is bounded by what the parser has accepted.
 */
#include <stdlib.h>
#include <string.h>

#include "cimic/i18n.h"
#include "linkproto.h"

#define HELLO_FIXED 12          /* version, role, roster_version, n */
#define ENTRIES_FIXED 10        /* batch, n */
#define ERROR_FIXED 3           /* code, len */

/* Smallest and largest body a message type may declare. */
static bool
body_bounds(int type, size_t *min, size_t *max)
{
	switch (type) {
	case LINK_HELLO:
		*min = HELLO_FIXED;
		*max = HELLO_FIXED + (size_t)LINKPROTO_VV_MAX * LINKPROTO_VV_ITEM_BYTES;
		return true;
	case LINK_ENTRIES:
		*min = ENTRIES_FIXED + 4 + LINKPROTO_ENTRY_MIN;
		*max = LINKPROTO_BODY_MAX;
		return true;
	case LINK_ACK:
	case LINK_DONE:
		*min = *max = 8;
		return true;
	case LINK_ERROR:
		*min = ERROR_FIXED;
		*max = ERROR_FIXED + LINKPROTO_REASON_MAX;
		return true;
	case LINK_PING:
		*min = *max = 0;
		return true;
	default:
		return false;
	}
}

const char *
linkproto_type_name(int type)
{
	static const char *const names[] = { "?", "hello", "entries", "ack", "done", "error", "ping" };

	return type >= LINK_HELLO && type <= LINK_PING ? names[type] : names[0];
}

static int
bad(struct cimic_error *err, const char *what)
{
	return cimic_error_set(err, CIMIC_EDATA, _("malformed link message: %s"), what);
}

static int
parse_hello(const unsigned char *p, size_t len, struct linkproto_hello *h, struct cimic_error *err)
{
	h->version = p[0];
	h->role = p[1];
	h->roster_version = util_le64(p + 2);
	h->n = util_le16(p + 10);
	h->items = p + HELLO_FIXED;
	if (h->version != LINKPROTO_VERSION)
		return cimic_error_set(err, CIMIC_EDATA,
				       _("the peer speaks link protocol version %u, this program %u"),
				       h->version, LINKPROTO_VERSION);
	if (h->role > 1)
		return bad(err, _("unknown role"));
	if (h->n > LINKPROTO_VV_MAX || len != HELLO_FIXED + (size_t)h->n * LINKPROTO_VV_ITEM_BYTES)
		return bad(err, _("version vector length"));
	/* Strictly ascending authors: one canonical encoding, no duplicates. */
	for (size_t i = 1; i < h->n; i++)
		if (memcmp(h->items + (i - 1) * LINKPROTO_VV_ITEM_BYTES,
			   h->items + i * LINKPROTO_VV_ITEM_BYTES, LINKPROTO_AUTHOR_BYTES) >= 0)
			return bad(err, _("version vector order"));
	return 0;
}

static int
parse_entries(const unsigned char *p, size_t len, struct linkproto_entries *e,
	      struct cimic_error *err)
{
	size_t at = ENTRIES_FIXED;

	e->batch = util_le64(p);
	e->n = util_le16(p + 8);
	e->first = p + ENTRIES_FIXED;
	e->span = len - ENTRIES_FIXED;
	if (e->batch == 0)
		return bad(err, _("batch number 0"));
	if (e->n == 0 || e->n > LINKPROTO_BATCH_MAX)
		return bad(err, _("entry count"));
	for (size_t i = 0; i < e->n; i++) {
		uint32_t n;

		if (len - at < 4)
			return bad(err, _("entry length"));
		n = util_le32(p + at);
		at += 4;
		if (n < LINKPROTO_ENTRY_MIN || n > LINKPROTO_ENTRY_MAX || n > len - at)
			return bad(err, _("entry length"));
		at += n;
	}
	if (at != len)
		return bad(err, _("bytes after the last entry"));
	return 0;
}

static int
parse_error(const unsigned char *p, size_t len, struct linkproto_error *e, struct cimic_error *err)
{
	size_t n = util_le16(p + 1);

	e->code = p[0];
	if (e->code < LINK_ERR_PROTOCOL || e->code > LINK_ERR_REJECTED)
		return bad(err, _("unknown error code"));
	if (n != len - ERROR_FIXED || n > LINKPROTO_REASON_MAX)
		return bad(err, _("reason length"));
	for (size_t i = 0; i < n; i++)
		if (p[ERROR_FIXED + i] < 0x20 || p[ERROR_FIXED + i] == 0x7f)
			return bad(err, _("control character in the reason"));
	if (!util_utf8_valid((const char *)p + ERROR_FIXED, n))
		return bad(err, _("reason is not UTF-8"));
	memcpy(e->reason, p + ERROR_FIXED, n);
	e->reason[n] = '\0';
	return 0;
}

static int
parse_body(int type, const unsigned char *p, size_t len, struct linkproto_msg *msg,
	   struct cimic_error *err)
{
	switch (type) {
	case LINK_HELLO:
		return parse_hello(p, len, &msg->u.hello, err);
	case LINK_ENTRIES:
		return parse_entries(p, len, &msg->u.entries, err);
	case LINK_ACK:
	case LINK_DONE:
		msg->u.batch = util_le64(p);
		return 0;
	case LINK_ERROR:
		return parse_error(p, len, &msg->u.error, err);
	default:
		return 0;    /* PING: empty, length already checked */
	}
}

int
linkproto_parse(const unsigned char *buf, size_t len, struct linkproto_msg *msg, size_t *used,
		struct cimic_error *err)
{
	size_t min, max, body;

	*used = 0;
	memset(msg, 0, sizeof *msg);
	if (len == 0)
		return LINKPROTO_MORE;
	if (!body_bounds(buf[0], &min, &max))
		return cimic_error_set(err, CIMIC_EDATA, _("unknown link message type %u"), buf[0]);
	if (len < LINKPROTO_HEADER_BYTES)
		return LINKPROTO_MORE;
	body = util_le32(buf + 1);
	if (body < min || body > max)
		return cimic_error_set(err, CIMIC_EDATA, _("link %s message of %zu bytes is out of bounds"),
				       linkproto_type_name(buf[0]), body);
	*used = LINKPROTO_HEADER_BYTES + body;
	if (len < *used)
		return LINKPROTO_MORE;
	msg->type = buf[0];
	if (parse_body(buf[0], buf + LINKPROTO_HEADER_BYTES, body, msg, err) != 0) {
		*used = 0;
		return -1;
	}
	return LINKPROTO_MESSAGE;
}

void
linkproto_vv_item(const struct linkproto_hello *h, size_t i, const unsigned char **author,
		  uint64_t *seq)
{
	const unsigned char *p = h->items + i * LINKPROTO_VV_ITEM_BYTES;

	*author = p;
	*seq = util_le64(p + LINKPROTO_AUTHOR_BYTES);
}

bool
linkproto_entry_next(const struct linkproto_entries *e, size_t *pos, const unsigned char **raw,
		     size_t *len)
{
	/* Bounds were checked by the parser; this only walks them again. */
	if (*pos + 4 > e->span)
		return false;
	*len = util_le32(e->first + *pos);
	*raw = e->first + *pos + 4;
	*pos += 4 + *len;
	return true;
}

/* ---- encoding ---- */

static void
put_header(struct buf *b, int type, uint32_t body)
{
	buf_addc(b, (unsigned char)type);
	buf_u32(b, body);
}

static int
vv_compare(const void *a, const void *b)
{
	return memcmp(((const struct oplog_vv_item *)a)->author,
		      ((const struct oplog_vv_item *)b)->author, LINKPROTO_AUTHOR_BYTES);
}

int
linkproto_put_hello(struct buf *b, uint8_t role, uint64_t roster_version,
		    struct oplog_vv_item *items, size_t n, struct cimic_error *err)
{
	if (n > LINKPROTO_VV_MAX)
		return cimic_error_set(err, CIMIC_EUSAGE,
				       _("too many authors for one link hello (%zu, at most %d)"),
				       n, LINKPROTO_VV_MAX);
	if (n > 1)
		qsort(items, n, sizeof *items, vv_compare);
	for (size_t i = 1; i < n; i++)
		if (vv_compare(&items[i - 1], &items[i]) == 0)
			return cimic_error_set(err, CIMIC_EUSAGE, _("duplicate author in a version vector"));
	put_header(b, LINK_HELLO, (uint32_t)(HELLO_FIXED + n * LINKPROTO_VV_ITEM_BYTES));
	buf_addc(b, LINKPROTO_VERSION);
	buf_addc(b, role);
	buf_u64(b, roster_version);
	buf_u16(b, (uint16_t)n);
	for (size_t i = 0; i < n; i++) {
		buf_add(b, items[i].author, LINKPROTO_AUTHOR_BYTES);
		buf_u64(b, items[i].seq);
	}
	return 0;
}

size_t
linkproto_begin_entries(struct buf *b, uint64_t batch)
{
	size_t start = b->len;

	put_header(b, LINK_ENTRIES, 0);   /* length patched by linkproto_end_entries */
	buf_u64(b, batch);
	buf_u16(b, 0);
	return start;
}

static void
patch_le(struct buf *b, size_t at, uint64_t v, int bytes)
{
	if (b->failed || at + (size_t)bytes > b->len)
		return;
	for (int i = 0; i < bytes; i++)
		b->data[at + (size_t)i] = (unsigned char)(v >> (8 * i));
}

int
linkproto_add_entry(struct buf *b, size_t start, const unsigned char *raw, size_t len,
		    struct cimic_error *err)
{
	size_t count_at = start + LINKPROTO_HEADER_BYTES + 8;
	size_t n, body;

	if (b->failed || count_at + 2 > b->len)
		return cimic_error_set(err, CIMIC_EFAIL, _("out of memory"));
	n = util_le16(b->data + count_at);
	body = b->len - start - LINKPROTO_HEADER_BYTES;
	if (len < LINKPROTO_ENTRY_MIN || len > LINKPROTO_ENTRY_MAX)
		return cimic_error_set(err, CIMIC_EDATA, _("an entry of %zu bytes cannot be sent"), len);
	if (n >= LINKPROTO_BATCH_MAX || body + 4 + len > LINKPROTO_BODY_MAX)
		return cimic_error_set(err, CIMIC_EUSAGE, _("link batch is full"));
	buf_u32(b, (uint32_t)len);
	buf_add(b, raw, len);
	patch_le(b, count_at, n + 1, 2);
	return b->failed ? cimic_error_set(err, CIMIC_EFAIL, _("out of memory")) : 0;
}

void
linkproto_end_entries(struct buf *b, size_t start)
{
	patch_le(b, start + 1, b->len - start - LINKPROTO_HEADER_BYTES, 4);
}

void
linkproto_put_ack(struct buf *b, uint64_t batch)
{
	put_header(b, LINK_ACK, 8);
	buf_u64(b, batch);
}

void
linkproto_put_done(struct buf *b, uint64_t batches)
{
	put_header(b, LINK_DONE, 8);
	buf_u64(b, batches);
}

/* Length of the longest prefix of s, at most max bytes, that ends on a character boundary. */
static size_t
utf8_prefix(const char *s, size_t max)
{
	size_t n = strlen(s);

	if (n <= max)
		return n;
	n = max;
	while (n > 0 && ((unsigned char)s[n] & 0xc0) == 0x80)
		n--;
	return n;
}

void
linkproto_put_error(struct buf *b, uint8_t code, const char *reason)
{
	size_t n = utf8_prefix(reason, LINKPROTO_REASON_MAX);

	put_header(b, LINK_ERROR, (uint32_t)(ERROR_FIXED + n));
	buf_addc(b, code);
	buf_u16(b, (uint16_t)n);
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)reason[i];
		buf_addc(b, c < 0x20 || c == 0x7f ? ' ' : c);
	}
}

void
linkproto_put_ping(struct buf *b)
{
	put_header(b, LINK_PING, 0);
}
