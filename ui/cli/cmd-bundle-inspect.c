/*
 * cmd-bundle-inspect.c - `cimic bundle inspect [--json] FILE`: the clear
 * header for anyone; sender and contents when this node is a recipient.
 */
#include <string.h>

#include "cimic/exchange.h"
#include "cimic/i18n.h"
#include "cimic/timefmt.h"
#include "commands.h"

struct named {
	const unsigned char *rid;
	char *out;
	size_t n;
};

static int
name_of_rid(const struct roster_node *node, void *arg)
{
	struct named *nm = arg;
	unsigned char rid[IDENTITY_KEYID_BYTES];

	bundle_recipient_id(node->pub.sign_pk, rid);
	if (memcmp(rid, nm->rid, sizeof rid) != 0)
		return 0;
	snprintf(nm->out, nm->n, "%s", node->name);
	return 1;
}

/* A recipient id, with the peer's name when this store knows it. */
static void
recipient_name(struct store *st, const unsigned char rid[IDENTITY_KEYID_BYTES], char *out, size_t n)
{
	unsigned char self[IDENTITY_KEYID_BYTES];
	struct named nm = { rid, out, n };
	struct cimic_error err;

	out[0] = '\0';
	bundle_recipient_id(store_identity(st)->pub.sign_pk, self);
	if (memcmp(rid, self, sizeof self) == 0)
		snprintf(out, n, "%s", _("this node"));
	else
		roster_each(st, name_of_rid, &nm, &err);
}

static void
header_json(struct cli *cli, struct buf *b, const struct bundle_header *h)
{
	char hex[2 * BUNDLE_HASH_BYTES + 1], name[80];

	util_hex(h->id, sizeof h->id, hex);
	buf_printf(b, "{\"bundle_id\":\"%s\",\"size\":%llu,", hex, (unsigned long long)h->size);
	util_hex(h->hash, sizeof h->hash, hex);
	buf_printf(b, "\"hash\":\"%s\",\"recipients\":[", hex);
	for (unsigned i = 0; i < h->nrecip; i++) {
		util_hex(h->recip[i], IDENTITY_KEYID_BYTES, hex);
		recipient_name(cli->st, h->recip[i], name, sizeof name);
		buf_printf(b, "%s{\"recipient_id\":\"%s\",\"name\":", i ? "," : "", hex);
		buf_json_str(b, name);
		buf_addc(b, '}');
	}
	buf_addc(b, ']');
}

static void
contents_json(struct buf *b, const struct exchange_inspection *in)
{
	char fp[24];

	identity_fingerprint(in->inner.sender, fp, sizeof fp);
	buf_adds(b, ",\"for_this_node\":true,\"sender\":");
	buf_json_str(b, in->sender_known ? in->sender_name : "");
	buf_printf(b, ",\"sender_fingerprint\":\"%s\",\"sender_revoked\":%s,\"entries\":%ld,"
		      "\"ops\":%ld,\"compressed\":%llu,\"inflated\":%llu,\"acks\":%zu,"
		      "\"created_unix\":%llu,\"authors\":[",
		   fp, in->sender_revoked ? "true" : "false", in->entries, in->ops,
		   (unsigned long long)in->inner.body_clen, (unsigned long long)in->inner.body_ulen,
		   in->inner.nacks, (unsigned long long)in->inner.created_unix);
	for (size_t i = 0; i < in->nauthors; i++) {
		const struct exchange_author *a = &in->authors[i];
		identity_fingerprint(a->author, fp, sizeof fp);
		buf_adds(b, i ? ",{\"name\":" : "{\"name\":");
		buf_json_str(b, a->name);
		buf_printf(b, ",\"fingerprint\":\"%s\",\"entries\":%ld,\"ops\":%ld,"
			      "\"seq_from\":%llu,\"seq_to\":%llu}",
			   fp, a->entries, a->ops, (unsigned long long)a->seq_min,
			   (unsigned long long)a->seq_max);
	}
	buf_adds(b, "]}");
}

static void
header_text(struct cli *cli, const struct bundle_header *h)
{
	char hex[2 * BUNDLE_HASH_BYTES + 1], name[80];

	util_hex(h->id, sizeof h->id, hex);
	printf(_("bundle     %s\n"), hex);
	printf(_("size       %llu bytes\n"), (unsigned long long)h->size);
	util_hex(h->hash, sizeof h->hash, hex);
	printf(_("hash       %s (BLAKE2b, checked)\n"), hex);
	for (unsigned i = 0; i < h->nrecip; i++) {
		util_hex(h->recip[i], IDENTITY_KEYID_BYTES, hex);
		recipient_name(cli->st, h->recip[i], name, sizeof name);
		printf(_("recipient  %s %s\n"), hex, cli_safe(name));
	}
}

static void
contents_text(const struct exchange_inspection *in)
{
	char fp[24], when[32];

	identity_fingerprint(in->inner.sender, fp, sizeof fp);
	timefmt_dtg(oplog_hlc_ms(in->inner.created_hlc), when, sizeof when);
	printf(_("sender     %s %s%s\n"), fp, in->sender_known ? cli_safe(in->sender_name) : _("(unknown node)"),
	       in->sender_revoked ? _(" (REVOKED)") : "");
	printf(_("created    %s (sender's clock)\n"), when);
	printf(_("contents   %ld entries, %ld ops; %llu bytes compressed, %llu inflated\n"),
	       in->entries, in->ops, (unsigned long long)in->inner.body_clen,
	       (unsigned long long)in->inner.body_ulen);
	for (size_t i = 0; i < in->nauthors; i++) {
		const struct exchange_author *a = &in->authors[i];
		identity_fingerprint(a->author, fp, sizeof fp);
		printf(_("  by %s %-14s seq %llu-%llu: %ld entries, %ld ops\n"), fp,
		       a->name[0] ? cli_safe(a->name) : "?", (unsigned long long)a->seq_min,
		       (unsigned long long)a->seq_max, a->entries, a->ops);
	}
}

int
cmd_bundle_inspect(struct cli *cli, int argc, char **argv)
{
	struct exchange_inspection in;
	struct bundle_header h;
	struct cimic_error err;
	const char *file = NULL;
	bool json = false, mine;
	struct buf b;
	int rc;

	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--json") == 0)
			json = true;
		else if (file == NULL)
			file = argv[i];
		else
			return cli_usage(cli, _("one bundle file at a time"));
	}
	if (file == NULL)
		return cli_usage(cli, _("which bundle file?"));
	if ((rc = cli_open(cli)) != 0)
		return rc;
	if (bundle_check(file, &h, &err) != 0)
		return cli_fail(cli, &err);
	rc = exchange_inspect(cli->st, file, &in, &err);
	mine = rc == 0;
	if (rc != 0 && err.code != CIMIC_EPERM)
		return cli_fail(cli, &err);   /* damaged or forged: say so, show nothing */
	buf_init(&b);
	if (json) {
		header_json(cli, &b, &h);
		if (mine)
			contents_json(&b, &in);
		else
			buf_adds(&b, ",\"for_this_node\":false}");
		printf("%s\n", buf_cstr(&b));
	} else {
		header_text(cli, &h);
		if (mine)
			contents_text(&in);
		else
			printf("%s\n", _("not addressed to this node: sender and contents stay hidden"));
	}
	buf_finish(&b);
	if (mine)
		exchange_inspection_finish(&in);
	return 0;
}
