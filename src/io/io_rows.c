/*
 * io_rows.c - the rows every import format is read into, and the
 * canonical text of values every export format writes.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cimic/i18n.h"
#include "cimic/timefmt.h"
#include "io.h"

void
io_rows_init(struct io_rows *rs, enum model_kind kind)
{
	memset(rs, 0, sizeof *rs);
	rs->kind = kind;
	buf_init(&rs->ignored);
}

void
io_rows_finish(struct io_rows *rs)
{
	if (rs == NULL)
		return;
	for (size_t i = 0; i < rs->n; i++)
		for (int s = 0; s < SLOT_COUNT; s++)
			free(rs->rows[i].slot[s]);
	free(rs->rows);
	buf_finish(&rs->ignored);
	memset(rs, 0, sizeof *rs);
}

struct io_row *
io_rows_add(struct io_rows *rs, size_t line, struct cimic_error *err)
{
	struct io_row *grown;

	if (rs->n >= FORMATS_MAX_RECORDS) {
		cimic_error_set(err, CIMIC_EDATA, _("line %zu: more than %d records"), line,
				FORMATS_MAX_RECORDS);
		return NULL;
	}
	if (rs->n == rs->cap) {
		size_t cap = rs->cap ? rs->cap * 2 : 64;
		grown = realloc(rs->rows, cap * sizeof *grown);
		if (grown == NULL) {
			cimic_error_set(err, CIMIC_EFAIL, _("out of memory"));
			return NULL;
		}
		rs->rows = grown;
		rs->cap = cap;
	}
	memset(&rs->rows[rs->n], 0, sizeof *grown);
	rs->rows[rs->n].line = line;
	return &rs->rows[rs->n++];
}

int
io_row_set(struct io_row *row, int slot, const char *text, size_t n,
		 struct cimic_error *err)
{
	if (slot < 0 || slot >= SLOT_COUNT || row->slot[slot] != NULL)
		return 0;
	row->slot[slot] = util_strndup(text, n);
	return row->slot[slot] ? 0 : cimic_error_set(err, CIMIC_EFAIL, _("out of memory"));
}

void
io_ignore(struct io_rows *rs, const char *name)
{
	const char *have = rs->ignored.len ? buf_cstr(&rs->ignored) : "";
	size_t n = strlen(name);

	for (const char *p = strstr(have, name); p; p = strstr(p + 1, name))
		if ((p == have || p[-1] == ' ') && (p[n] == ',' || p[n] == '\0'))
			return;
	if (rs->ignored.len)
		buf_adds(&rs->ignored, ", ");
	buf_adds(&rs->ignored, name);
}

void
io_iso(int64_t ms, char *buf, size_t bufsize)
{
	char whole[40];
	size_t n;

	timefmt_iso_utc(ms, whole, sizeof whole);
	n = strlen(whole);
	if (ms % 1000 == 0 || n == 0 || whole[n - 1] != 'Z') {
		snprintf(buf, bufsize, "%s", whole);
		return;
	}
	whole[n - 1] = '\0';
	snprintf(buf, bufsize, "%s.%03dZ", whole, (int)(((ms % 1000) + 1000) % 1000));
}

char *
io_value_text(const struct model_field *f, const struct model_value *v)
{
	char buf[48];

	if (v->type == MV_NULL)
		return util_strdup("");
	if (v->type == MV_INT && f->type == FT_TIME) {
		io_iso(v->i, buf, sizeof buf);
		return util_strdup(buf);
	}
	if (v->type == MV_INT)
		return util_aprintf("%lld", (long long)v->i);
	return util_strdup(v->s);
}
