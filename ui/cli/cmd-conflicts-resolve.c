/*
 * cmd-conflicts-resolve.c - `cimic conflicts resolve ID --keep VALUE-OR-OP`:
 * picks the value to keep and writes the RESOLVE op.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cimic/i18n.h"
#include "cimic/oplog.h"
#include "cimic/timefmt.h"
#include "commands.h"

static bool
all_digits(const char *s)
{
	if (*s == '\0')
		return false;
	for (; *s; s++)
		if (!isdigit((unsigned char)*s))
			return false;
	return true;
}

/* Index of the head whose op id starts with hex digits `keep`, or -1 (none or several). */
static int
head_by_op(const struct oplog_head *h, size_t n, const char *keep)
{
	char opid[2 * OPLOG_OPID_BYTES + 1];
	int found = -1;

	if (strlen(keep) < 4)
		return -1;
	for (const char *p = keep; *p; p++)
		if (!isxdigit((unsigned char)*p))
			return -1;
	for (size_t i = 0; i < n; i++) {
		util_hex(h[i].opid, OPLOG_OPID_BYTES, opid);
		if (strncasecmp(opid, keep, strlen(keep)) == 0) {
			if (found >= 0)
				return -1;
			found = (int)i;
		}
	}
	return found;
}

static int
copy_value(struct model_value *dst, const struct model_value *src)
{
	*dst = *src;
	if (src->type == MV_TEXT && (dst->s = util_strdup(src->s)) == NULL)
		return -1;
	return 0;
}

/* The value --keep names: a head number, a head's op id, or a new value. */
static int
chosen_value(const struct oplog_conflict *c, const struct oplog_head *h, size_t n, const char *keep,
	     struct model_value *v, struct cimic_error *err)
{
	const struct model_field *f = NULL;
	int k;

	if (all_digits(keep) && atoi(keep) >= 1 && (size_t)atoi(keep) <= n)
		return copy_value(v, &h[atoi(keep) - 1].v) ? cimic_error_set(err, CIMIC_EFAIL, _("out of memory")) : 0;
	if ((k = head_by_op(h, n, keep)) >= 0)
		return copy_value(v, &h[k].v) ? cimic_error_set(err, CIMIC_EFAIL, _("out of memory")) : 0;
	if (c->tbl >= TBL_CONTACT && c->tbl <= TBL_LINK)
		f = model_field_by_id((enum model_kind)c->tbl, c->field);
	if (f == NULL)
		return cimic_error_set(err, CIMIC_EUSAGE, _("keep one of the listed values by number"));
	return model_parse_value(f, keep, timefmt_now_ms(), v, err);
}

int
cli_conflicts_resolve(struct cli *cli, const struct oplog_conflict *c, const char *keep)
{
	struct oplog_head *h = NULL;
	struct model_value v = { MV_NULL, 0, NULL };
	struct oplog_txn *txn = NULL;
	struct cimic_error err;
	size_t n = 0;
	int rc = -1;

	if (oplog_heads(cli->st, c->tbl, c->row, c->field, &h, &n, &err) != 0 ||
	    chosen_value(c, h, n, keep, &v, &err) != 0 || oplog_begin(cli->st, &txn, &err) != 0)
		goto out;
	if (oplog_resolve(txn, c->tbl, c->row, c->field, &v, &err) != 0) {
		oplog_abort(txn);
		goto out;
	}
	rc = oplog_commit(txn, &err);
out:
	oplog_heads_free(h, n);
	model_value_finish(&v);
	if (rc != 0)
		return cli_fail(cli, &err);
	fprintf(stderr, "%s\n", _("resolved; the resolution reaches other nodes with the next bundles"));
	return 0;
}
