/*
 * pg_conn.c - the connection to PostgreSQL, statements, and errors.
 *
 * The connection string is the user's, given to libpq whole, so every
 * libpq mechanism works: services (pg_service.conf, PGSERVICE),
 * passfiles (~/.pgpass, PGPASSFILE), PG* variables, TLS settings
 * (sslmode, sslrootcert, ...).  Only defaults that the string may
 * override come first: a connect timeout, so a host that drops packets
 * fails in seconds instead of minutes, TCP keepalives that notice a link
 * gone dead in the middle of a run within a minute or so, and the
 * application name that pg_stat_activity shows.  The client encoding comes last: the store's
 * text is UTF-8 and is sent as it is.
 *
 * Errors are one line: libpq's messages span lines (a hint after a
 * tab), and a server's text may hold anything, so both go through
 * pg_one_line().  No message holds the password: libpq does not repeat
 * it, and the label that says where is built without it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cimic/i18n.h"
#include "publish_private.h"

#define PG_CONNECT_TIMEOUT "10"

void
pg_one_line(const char *in, char *out, size_t n)
{
	size_t o = 0;
	bool space = false, newline = false;

	if (n == 0)
		return;
	for (const unsigned char *p = (const unsigned char *)(in ? in : ""); *p && o + 1 < n; p++) {
		/* C0 controls, DEL, and C1 controls (UTF-8 C2 80..9F) become one space; lines, "; " */
		bool ctl = *p < 0x20 || *p == 0x7f || (p[0] == 0xc2 && p[1] >= 0x80 && p[1] <= 0x9f);
		if (ctl) {
			newline = newline || *p == '\n';
			if (p[0] == 0xc2)
				p++;
			space = o > 0;
			continue;
		}
		if (space && newline && o + 3 < n)
			out[o++] = ';';
		if (space && o + 2 < n)
			out[o++] = ' ';
		space = newline = false;
		out[o++] = (char)*p;
	}
	while (o > 0 && out[o - 1] == ' ')
		o--;
	out[o] = '\0';
}

void
pg_ident(struct buf *b, const char *name)
{
	buf_addc(b, '"');
	buf_adds(b, name);
	buf_addc(b, '"');
}

/* Which exit code a failed statement deserves, from its SQLSTATE. */
static int
code_of(struct pg *pg, const char *state)
{
	if (PQstatus(pg->conn) == CONNECTION_BAD || state == NULL)
		return CIMIC_EUNAVAIL;
	if (strncmp(state, "08", 2) == 0 || strncmp(state, "57P", 3) == 0)
		return CIMIC_EUNAVAIL;   /* connection exception, server shutting down */
	if (strcmp(state, "42501") == 0 || strncmp(state, "28", 2) == 0)
		return CIMIC_EPERM;      /* insufficient privilege, authorisation */
	if (strncmp(state, "40", 2) == 0 || strcmp(state, "55P03") == 0)
		return CIMIC_ETEMPFAIL;  /* serialisation failure, deadlock, lock not available */
	if (strncmp(state, "53", 2) == 0 || strncmp(state, "58", 2) == 0)
		return CIMIC_EIO;        /* disk full, out of memory, system error */
	return CIMIC_EFAIL;
}

int
pg_error(struct pg *pg, const PGresult *res, const char *what, struct cimic_error *err)
{
	const char *state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
	const char *primary = res ? PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY) : NULL;
	const char *hint = res ? PQresultErrorField(res, PG_DIAG_MESSAGE_HINT) : NULL;
	char why[384], tip[160];

	pg_one_line(primary ? primary : PQerrorMessage(pg->conn), why, sizeof why);
	if (why[0] == '\0')
		snprintf(why, sizeof why, "%s", _("the server closed the connection"));
	pg_one_line(hint, tip, sizeof tip);
	if (tip[0] != '\0')
		return cimic_error_set(err, code_of(pg, state), "%s: %s (%s)", what, why, tip);
	return cimic_error_set(err, code_of(pg, state), "%s: %s", what, why);
}

/* Server notices (NOTICE, WARNING) are not errors and never reach the terminal raw. */
static void
ignore_notice(void *arg, const char *message)
{
	(void)arg;
	(void)message;
}

int
pg_connect(struct pg *pg, const char *conninfo, const char *label, struct cimic_error *err)
{
	const char *keys[] = { "connect_timeout", "keepalives_idle", "keepalives_interval",
			       "keepalives_count", "fallback_application_name", "dbname",
			       "client_encoding", NULL };
	const char *values[] = { PG_CONNECT_TIMEOUT, "30", "10", "3", "cimic", conninfo, "UTF8",
				 NULL };
	char why[384];

	memset(pg, 0, sizeof *pg);
	snprintf(pg->label, sizeof pg->label, "%s", label);
	pg->conn = PQconnectdbParams(keys, values, 1);
	if (pg->conn == NULL)
		return cimic_error_set(err, CIMIC_EFAIL, _("out of memory"));
	if (PQstatus(pg->conn) == CONNECTION_OK) {
		PQsetNoticeProcessor(pg->conn, ignore_notice, NULL);
		/* where libpq went, with the defaults and the service resolved */
		char where[sizeof pg->label];
		snprintf(where, sizeof where, "%s@%s:%s/%s", PQuser(pg->conn), PQhost(pg->conn),
			 PQport(pg->conn), PQdb(pg->conn));
		pg_one_line(where, pg->label, sizeof pg->label);
		return 0;
	}
	pg_one_line(PQerrorMessage(pg->conn), why, sizeof why);
	if (PQconnectionNeedsPassword(pg->conn))
		cimic_error_set(err, CIMIC_EPERM,
				_("cannot connect to %s: the server asks for a password and none was "
				  "given (put it in a passfile, ~/.pgpass or PGPASSFILE, or a service)"),
				pg->label);
	else if (PQconnectionUsedPassword(pg->conn))
		cimic_error_set(err, CIMIC_EPERM, _("cannot connect to %s: %s"), pg->label, why);
	else
		cimic_error_set(err, CIMIC_EUNAVAIL, _("cannot connect to %s: %s"), pg->label, why);
	pg_close(pg);
	return -1;
}

void
pg_close(struct pg *pg)
{
	if (pg->conn != NULL)
		PQfinish(pg->conn);
	pg->conn = NULL;
}

int
pg_run(struct pg *pg, const char *what, const char *sql, int nparams,
       const char *const *params, PGresult **res, long *changed, struct cimic_error *err)
{
	PGresult *r = nparams > 0 ? PQexecParams(pg->conn, sql, nparams, NULL, params, NULL, NULL, 0)
				  : PQexec(pg->conn, sql);
	ExecStatusType s = PQresultStatus(r);

	if (s != PGRES_COMMAND_OK && s != PGRES_TUPLES_OK) {
		pg_error(pg, r, what, err);
		PQclear(r);
		return -1;
	}
	if (changed != NULL)
		*changed = atol(PQcmdTuples(r));
	if (res != NULL)
		*res = r;
	else
		PQclear(r);
	return 0;
}
