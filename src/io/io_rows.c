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
		io_row_clear(&rs->rows[i]);
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
io_row_clear(struct io_row *row)
{
	for (int s = 0; s < SLOT_COUNT; s++) {
		free(row->slot[s]);
		row->slot[s] = NULL;
	}
}

static bool
io_blank(const char *s)
{
	return s[strspn(s, " \t\r\n")] == '\0';
}

int
io_row_merge(struct io_row *dst, const struct io_row *src,
		   struct cimic_error *err)
{
	for (int s = 0; s < SLOT_COUNT; s++) {
		char *copy;
		if (src->slot[s] == NULL || io_blank(src->slot[s]))
			continue;
		if ((copy = util_strdup(src->slot[s])) == NULL)
			return cimic_error_set(err, CIMIC_EFAIL, _("out of memory"));
		free(dst->slot[s]);
		dst->slot[s] = copy;
	}
	dst->line = src->line;
	dst->labels = src->labels;
	return 0;
}

void
io_ignore_buf(struct buf *list, const char *name)
{
	const char *have = list->len ? buf_cstr(list) : "";
	size_t n = strlen(name);

	for (const char *p = strstr(have, name); p; p = strstr(p + 1, name))
		if ((p == have || p[-1] == ' ') && (p[n] == ',' || p[n] == '\0'))
			return;
	if (list->len)
		buf_adds(list, ", ");
	buf_adds(list, name);
}

void
io_ignore(struct io_rows *rs, const char *name)
{
	io_ignore_buf(&rs->ignored, name);
}

/* ---- rows in memory as a row source ---- */

static int
io_memsource_next(void *self, struct io_row *row, struct cimic_error *err)
{
	struct io_memsource *m = self;
	struct io_row *from;

	if (m->next >= m->rs->n)
		return 0;
	from = &m->rs->rows[m->next++];
	memset(row, 0, sizeof *row);
	row->line = from->line;
	row->labels = from->labels;
	for (int s = 0; s < SLOT_COUNT; s++)
		if (from->slot[s] && (row->slot[s] = util_strdup(from->slot[s])) == NULL) {
			io_row_clear(row);
			return cimic_error_set(err, CIMIC_EFAIL, _("out of memory"));
		}
	return 1;
}

static int
io_memsource_rewind(void *self, struct cimic_error *err)
{
	(void)err;
	((struct io_memsource *)self)->next = 0;
	return 0;
}

static uint64_t
io_memsource_offset(void *self)
{
	return ((struct io_memsource *)self)->next;
}

void
io_memsource_init(struct io_memsource *m, struct io_rows *rs, struct io_rowsource *src)
{
	m->rs = rs;
	m->next = 0;
	src->next = io_memsource_next;
	src->rewind = io_memsource_rewind;
	src->offset = io_memsource_offset;
	src->self = m;
	src->kind = rs->kind;
	src->total = rs->n;
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
