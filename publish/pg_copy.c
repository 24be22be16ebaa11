/*
 * pg_copy.c - COPY ... FROM STDIN, text format.
 *
 * A row is fields separated by tabs and ended by a newline; \N is NULL;
 * backslash, tab, newline and carriage return inside a value are written
 * as \\, \t, \n and \r, so any text the store holds (names and notes
 * may hold tabs and line breaks) arrives unchanged.  Rows gather in one
 * buffer that goes to the server in pieces of about 256 KiB: few round
 * trips, flat memory whatever the number of rows.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "cimic/i18n.h"
#include "publish_private.h"

#define PG_COPY_CHUNK (256u << 10)

int
pg_copy_begin(struct pg_copy *c, struct pg *pg, const char *sql, struct cimic_error *err)
{
	PGresult *r;

	memset(c, 0, sizeof *c);
	c->pg = pg;
	buf_init(&c->data);
	r = PQexec(pg->conn, sql);
	if (PQresultStatus(r) != PGRES_COPY_IN) {
		pg_error(pg, r, _("cannot start sending rows"), err);
		PQclear(r);
		return -1;
	}
	PQclear(r);
	return 0;
}

static void
field_start(struct pg_copy *c)
{
	if (c->row_started)
		buf_addc(&c->data, '\t');
	c->row_started = true;
}

void
pg_copy_null(struct pg_copy *c)
{
	field_start(c);
	buf_adds(&c->data, "\\N");
}

void
pg_copy_text(struct pg_copy *c, const char *s)
{
	const char *run;

	if (s == NULL) {
		pg_copy_null(c);
		return;
	}
	field_start(c);
	for (run = s; *s; s++) {
		const char *esc = *s == '\\' ? "\\\\" : *s == '\t' ? "\\t" : *s == '\n' ? "\\n"
				: *s == '\r' ? "\\r" : NULL;
		if (esc == NULL)
			continue;
		buf_add(&c->data, run, (size_t)(s - run));
		buf_adds(&c->data, esc);
		run = s + 1;
	}
	buf_add(&c->data, run, (size_t)(s - run));
}

void
pg_copy_int(struct pg_copy *c, int64_t v)
{
	field_start(c);
	buf_printf(&c->data, "%lld", (long long)v);
}

void
pg_copy_bool(struct pg_copy *c, bool v)
{
	field_start(c);
	buf_addc(&c->data, v ? 't' : 'f');
}

void
pg_format_time(int64_t unix_ms, char *buf, size_t n)
{
	/* floor division, so times before 1970 keep a non-negative millisecond part */
	int64_t sec = unix_ms >= 0 ? unix_ms / 1000 : -((-unix_ms + 999) / 1000);
	int ms = (int)(unix_ms - sec * 1000);
	time_t t = (time_t)sec;
	struct tm tm;

	if (gmtime_r(&t, &tm) == NULL) {
		snprintf(buf, n, "1970-01-01 00:00:00+00");
		return;
	}
	snprintf(buf, n, "%04d-%02d-%02d %02d:%02d:%02d.%03d+00", tm.tm_year + 1900, tm.tm_mon + 1,
		 tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, ms);
}

void
pg_copy_time(struct pg_copy *c, int64_t unix_ms)
{
	char when[48];

	pg_format_time(unix_ms, when, sizeof when);
	field_start(c);
	buf_adds(&c->data, when);
}

void
pg_copy_bytea(struct pg_copy *c, const unsigned char *p, size_t n)
{
	static const char hex[] = "0123456789abcdef";

	field_start(c);
	buf_adds(&c->data, "\\\\x");   /* \x in bytea hex form, its backslash escaped for COPY */
	for (size_t i = 0; i < n; i++) {
		buf_addc(&c->data, (unsigned char)hex[p[i] >> 4]);
		buf_addc(&c->data, (unsigned char)hex[p[i] & 15]);
	}
}

static int
send_data(struct pg_copy *c, struct cimic_error *err)
{
	if (c->data.failed)
		return cimic_error_set(err, CIMIC_EFAIL, _("out of memory"));
	if (c->data.len > 0 &&
	    PQputCopyData(c->pg->conn, (const char *)c->data.data, (int)c->data.len) != 1)
		return pg_error(c->pg, NULL, _("cannot send rows"), err);
	c->data.len = 0;
	return 0;
}

int
pg_copy_row(struct pg_copy *c, struct cimic_error *err)
{
	buf_addc(&c->data, '\n');
	c->row_started = false;
	c->rows++;
	return c->data.len >= PG_COPY_CHUNK ? send_data(c, err) : 0;
}

int
pg_copy_finish(struct pg_copy *c, struct cimic_error *err)
{
	PGresult *r;
	int rc = 0;

	if (send_data(c, err) != 0) {
		pg_copy_abort(c);
		return -1;
	}
	buf_finish(&c->data);
	if (PQputCopyEnd(c->pg->conn, NULL) != 1)
		return pg_error(c->pg, NULL, _("cannot send rows"), err);
	while ((r = PQgetResult(c->pg->conn)) != NULL) {
		if (rc == 0 && PQresultStatus(r) != PGRES_COMMAND_OK)
			rc = pg_error(c->pg, r, _("the server refused the rows"), err);
		PQclear(r);
	}
	return rc;
}

void
pg_copy_abort(struct pg_copy *c)
{
	PGresult *r;

	buf_finish(&c->data);
	if (PQputCopyEnd(c->pg->conn, "cimic: publishing stopped") == 1)
		while ((r = PQgetResult(c->pg->conn)) != NULL)
			PQclear(r);
}
