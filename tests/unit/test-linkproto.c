/*
 * test-linkproto.c - the link message codec: round trips, a stream fed
 * byte by byte, a table of malformed messages that must be refused (and
 * refused from their header, before the body arrives, when the header
 * alone is wrong), encoder limits, and every prefix and byte change of a
 * valid stream.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "linkproto.h"
#include "tap.h"

static struct cimic_error err;

static void
fake_entry(unsigned char *p, size_t len, unsigned char fill)
{
	memset(p, fill, len);
	p[0] = 'C';
	p[1] = 'E';
}

static void
test_hello(void)
{
	struct oplog_vv_item items[3];
	struct linkproto_msg m;
	struct buf b;
	const unsigned char *author;
	uint64_t seq;
	size_t used;

	memset(items, 0, sizeof items);
	for (int i = 0; i < 3; i++) {
		memset(items[i].author, 0x30 - i, 32);   /* given in descending order */
		items[i].seq = 100u + (unsigned)i;
	}
	buf_init(&b);
	ok(linkproto_put_hello(&b, 1, 7, items, 3, &err) == 0, "hello encodes");
	ok(linkproto_parse(b.data, b.len, &m, &used, &err) == LINKPROTO_MESSAGE && used == b.len,
	   "hello parses whole (%zu bytes)", b.len);
	ok(m.type == LINK_HELLO && m.u.hello.version == LINKPROTO_VERSION && m.u.hello.role == 1 &&
	   m.u.hello.roster_version == 7 && m.u.hello.n == 3, "hello fields survive");
	linkproto_vv_item(&m.u.hello, 0, &author, &seq);
	ok(author[0] == 0x2e && seq == 102, "authors are sent in ascending order");
	buf_finish(&b);

	memcpy(items[1].author, items[0].author, 32);
	buf_init(&b);
	ok(linkproto_put_hello(&b, 0, 0, items, 3, &err) == -1, "duplicate authors are refused");
	ok(linkproto_put_hello(&b, 0, 0, items, LINKPROTO_VV_MAX + 1, &err) == -1,
	   "more than %d authors are refused", LINKPROTO_VV_MAX);
	ok(linkproto_put_hello(&b, 0, 0, NULL, 0, &err) == 0 &&
	   linkproto_parse(b.data, b.len, &m, &used, &err) == LINKPROTO_MESSAGE && m.u.hello.n == 0,
	   "an empty version vector is a valid hello");
	buf_finish(&b);
}

static void
test_entries(void)
{
	static unsigned char e1[80], e2[300], big[LINKPROTO_ENTRY_MAX];
	struct linkproto_msg m;
	struct buf b;
	const unsigned char *raw;
	size_t start, used, pos = 0, len, count = 0;
	bool same = true;

	fake_entry(e1, sizeof e1, 1);
	fake_entry(e2, sizeof e2, 2);
	buf_init(&b);
	start = linkproto_begin_entries(&b, 42);
	ok(linkproto_add_entry(&b, start, e1, sizeof e1, &err) == 0 &&
	   linkproto_add_entry(&b, start, e2, sizeof e2, &err) == 0, "two entries added");
	linkproto_end_entries(&b, start);
	ok(linkproto_parse(b.data, b.len, &m, &used, &err) == LINKPROTO_MESSAGE && used == b.len &&
	   m.u.entries.batch == 42 && m.u.entries.n == 2, "batch parses: number and count");
	while (linkproto_entry_next(&m.u.entries, &pos, &raw, &len)) {
		const unsigned char *want = count == 0 ? e1 : e2;
		same &= len == (count == 0 ? sizeof e1 : sizeof e2) && memcmp(raw, want, len) == 0;
		count++;
	}
	ok(count == 2 && same, "entries come back byte for byte");
	ok(linkproto_add_entry(&b, start, e1, LINKPROTO_ENTRY_MIN - 1, &err) == -1,
	   "an entry shorter than a signature is not sent");
	buf_finish(&b);

	buf_init(&b);
	start = linkproto_begin_entries(&b, 1);
	ok(linkproto_add_entry(&b, start, big, sizeof big, &err) == 0, "one largest entry fits a batch");
	ok(linkproto_add_entry(&b, start, big, sizeof big, &err) == -1 && err.code == CIMIC_EUSAGE,
	   "a second one does not: the batch is full");
	linkproto_end_entries(&b, start);
	ok(linkproto_parse(b.data, b.len, &m, &used, &err) == LINKPROTO_MESSAGE,
	   "a 1 MiB entry batch parses");
	buf_finish(&b);

	buf_init(&b);
	start = linkproto_begin_entries(&b, 1);
	for (int i = 0; i < LINKPROTO_BATCH_MAX; i++)
		linkproto_add_entry(&b, start, e1, sizeof e1, &err);
	ok(linkproto_add_entry(&b, start, e1, sizeof e1, &err) == -1,
	   "at most %d entries in one batch", LINKPROTO_BATCH_MAX);
	buf_finish(&b);
}

static void
test_small(void)
{
	struct linkproto_msg m;
	struct buf b;
	size_t used, at = 0;
	char longer[600];
	int types[4], n = 0;

	buf_init(&b);
	linkproto_put_ack(&b, 9);
	linkproto_put_done(&b, 12);
	linkproto_put_error(&b, LINK_ERR_REFUSED, "peer\tnot\nenrolled");
	linkproto_put_ping(&b);
	while (at < b.len && linkproto_parse(b.data + at, b.len - at, &m, &used, &err) == LINKPROTO_MESSAGE) {
		if (n == 0)
			ok(m.u.batch == 9, "ack carries its batch");
		if (n == 1)
			ok(m.u.batch == 12, "done carries the batch count");
		if (n == 2)
			is_str(m.u.error.reason, "peer not enrolled", "control characters in a reason become spaces");
		types[n++] = m.type;
		at += used;
	}
	ok(n == 4 && at == b.len && types[0] == LINK_ACK && types[1] == LINK_DONE &&
	   types[2] == LINK_ERROR && types[3] == LINK_PING, "four messages parse from one buffer");
	buf_finish(&b);

	/* 300 two-byte letters: cut to 255 bytes, that is 127 letters, never half of one. */
	for (int i = 0; i < 300; i++)
		memcpy(longer + 2 * i, "ї", 2);
	longer[598] = '\0';
	buf_init(&b);
	linkproto_put_error(&b, LINK_ERR_INTERNAL, longer);
	ok(linkproto_parse(b.data, b.len, &m, &used, &err) == LINKPROTO_MESSAGE &&
	   strlen(m.u.error.reason) == 254, "a long Ukrainian reason is cut at a letter boundary");
	buf_finish(&b);
}

/* Feeding a valid stream one byte at a time: MORE until each message is whole. */
static void
test_byte_by_byte(void)
{
	struct oplog_vv_item v = { { 0 }, 5 };
	struct linkproto_msg m;
	struct buf b;
	size_t used, at = 0, msgs = 0;
	bool sane = true;

	buf_init(&b);
	linkproto_put_hello(&b, 0, 3, &v, 1, &err);
	linkproto_put_ping(&b);
	linkproto_put_ack(&b, 1);
	for (size_t have = 1; have <= b.len - at; have++) {
		int rc = linkproto_parse(b.data + at, have, &m, &used, &err);

		if (rc == LINKPROTO_MORE) {
			sane &= have < LINKPROTO_HEADER_BYTES ? used == 0 : used > have;
			continue;
		}
		sane &= rc == LINKPROTO_MESSAGE && used == have;
		at += used;
		msgs++;
		have = 0;
	}
	ok(sane && msgs == 3 && at == b.len, "byte by byte: MORE, then each message exactly once");
	buf_finish(&b);
}

struct bad_case {
	const char *name;
	const char *hex;            /* the bytes */
	bool at_header;             /* refused once the 5-byte header is in */
};

static const struct bad_case bad_cases[] = {
	{ "type 0", "00", true },
	{ "type 7", "07", true },
	{ "type 255", "ff0000000000", true },
	{ "ack body 7 bytes", "03" "07000000", true },
	{ "ack body 9 bytes", "03" "09000000", true },
	{ "ping with a body", "06" "01000000" "00", true },
	{ "entries body of 4 GiB", "02" "ffffffff", true },
	{ "entries body just over the limit", "02" "01001100", true },
	{ "hello body over 1024 authors", "01" "0da00000", true },
	{ "error body over the reason limit", "05" "03010000", true },
	{ "hello version 2", "01" "0c000000" "0200" "0000000000000000" "0000", false },
	{ "hello role 2", "01" "0c000000" "0102" "0000000000000000" "0000", false },
	{ "hello count larger than body", "01" "0c000000" "0100" "0000000000000000" "0100", false },
	{ "hello authors out of order", "01" "5c000000" "0100" "0000000000000000" "0200"
	  "0200000000000000000000000000000000000000000000000000000000000000" "0100000000000000"
	  "0100000000000000000000000000000000000000000000000000000000000000" "0100000000000000", false },
	{ "hello duplicate authors", "01" "5c000000" "0100" "0000000000000000" "0200"
	  "0100000000000000000000000000000000000000000000000000000000000000" "0100000000000000"
	  "0100000000000000000000000000000000000000000000000000000000000000" "0100000000000000", false },
	{ "entries batch 0", "02" "4e000000" "0000000000000000" "0100" "40000000"
	  "43450000000000000000000000000000000000000000000000000000000000000000000000000000"
	  "000000000000000000000000000000000000000000000000", false },
	{ "entries count 0", "02" "4e000000" "0100000000000000" "0000" "40000000"
	  "43450000000000000000000000000000000000000000000000000000000000000000000000000000"
	  "000000000000000000000000000000000000000000000000", false },
	{ "entries count 2 with one entry", "02" "4e000000" "0100000000000000" "0200" "40000000"
	  "43450000000000000000000000000000000000000000000000000000000000000000000000000000"
	  "000000000000000000000000000000000000000000000000", false },
	{ "entry length past the body", "02" "4e000000" "0100000000000000" "0100" "41000000"
	  "43450000000000000000000000000000000000000000000000000000000000000000000000000000"
	  "000000000000000000000000000000000000000000000000", false },
	{ "entry shorter than a signature", "02" "4e000000" "0100000000000000" "0100" "3f000000"
	  "43450000000000000000000000000000000000000000000000000000000000000000000000000000"
	  "000000000000000000000000000000000000000000000000", false },
	{ "error code 0", "05" "03000000" "00" "0000", false },
	{ "error code 7", "05" "03000000" "07" "0000", false },
	{ "error reason length mismatch", "05" "04000000" "01" "0200" "41", false },
	{ "error reason with a newline", "05" "04000000" "01" "0100" "0a", false },
	{ "error reason not UTF-8", "05" "04000000" "01" "0100" "ff", false },
};

static size_t
unhex(const char *hex, unsigned char *out)
{
	size_t n = strlen(hex) / 2;

	util_unhex(hex, out, n);
	return n;
}

static void
test_bad_table(void)
{
	for (size_t i = 0; i < sizeof bad_cases / sizeof bad_cases[0]; i++) {
		const struct bad_case *c = &bad_cases[i];
		unsigned char buf[512];
		struct linkproto_msg m;
		size_t n = unhex(c->hex, buf), used;
		size_t cut = c->at_header ? (n < LINKPROTO_HEADER_BYTES ? n : LINKPROTO_HEADER_BYTES) : n;

		ok(linkproto_parse(buf, cut, &m, &used, &err) == -1 && err.code == CIMIC_EDATA &&
		   memchr(err.msg, '\0', sizeof err.msg) != NULL,
		   "refused%s: %s", c->at_header ? " from its header" : "", c->name);
	}
}

/* Every prefix of a valid stream is MORE or whole messages; every byte change is handled. */
static void
test_prefixes_and_mutations(void)
{
	static unsigned char e[100];
	struct oplog_vv_item v[2] = { { { 1 }, 1 }, { { 2 }, 2 } };
	struct linkproto_msg m;
	struct buf b;
	size_t start, used;
	long errors = 0, parsed = 0, more = 0;
	bool prefix_ok = true;

	fake_entry(e, sizeof e, 7);
	buf_init(&b);
	linkproto_put_hello(&b, 1, 2, v, 2, &err);
	start = linkproto_begin_entries(&b, 1);
	linkproto_add_entry(&b, start, e, sizeof e, &err);
	linkproto_end_entries(&b, start);
	linkproto_put_error(&b, LINK_ERR_BUSY, "busy");
	for (size_t n = 0; n < b.len; n++) {
		size_t at = 0;
		int rc;
		while ((rc = linkproto_parse(b.data + at, n - at, &m, &used, &err)) == LINKPROTO_MESSAGE)
			at += used;
		prefix_ok &= rc == LINKPROTO_MORE;
	}
	ok(prefix_ok, "each of the %zu prefixes parses as whole messages then MORE", b.len);
	for (size_t i = 0; i < b.len; i++) {
		for (int bit = 0; bit < 8; bit++) {
			size_t at = 0;
			int rc;
			b.data[i] ^= (unsigned char)(1 << bit);
			while ((rc = linkproto_parse(b.data + at, b.len - at, &m, &used, &err)) ==
			       LINKPROTO_MESSAGE && used > 0)
				at += used;
			errors += rc == -1;
			more += rc == LINKPROTO_MORE;
			parsed += rc == LINKPROTO_MESSAGE;
			b.data[i] ^= (unsigned char)(1 << bit);
		}
	}
	ok(errors + more + parsed == (long)b.len * 8 && errors > 0,
	   "%zu bit flips: %ld refused, %ld waiting for more, none crashed", b.len * 8, errors, more);
	buf_finish(&b);
}

int
main(void)
{
	test_hello();
	test_entries();
	test_small();
	test_byte_by_byte();
	test_bad_table();
	test_prefixes_and_mutations();
	return done_testing();
}
