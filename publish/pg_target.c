/*
 * pg_target.c - what a connection string says, without connecting and
 * without ever repeating its password.
 *
 * libpq parses it (PQconninfoParse), so URIs and key=value words are read
 * exactly as libpq will read them.  The label names where a run goes:
 * user@host:port/database, or the service; missing parts come from
 * libpq's defaults (PG* variables).  When libpq cannot parse the string,
 * its reason may quote a piece of it, so anything that looks like the
 * password is masked in it first.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cimic/i18n.h"
#include "publish_private.h"

/* The password as written in a URI (user:PASSWORD@) or in words (password=PASSWORD). */
static void
written_password(const char *conninfo, char *out, size_t n)
{
	const char *p = strstr(conninfo, "://"), *end;

	out[0] = '\0';
	if (p != NULL) {
		const char *at = strchr(p + 3, '@'), *colon = strchr(p + 3, ':');
		if (at != NULL && colon != NULL && colon < at)
			snprintf(out, n, "%.*s", (int)(at - colon - 1), colon + 1);
	}
	if (out[0] == '\0' && (p = strstr(conninfo, "password")) != NULL) {
		p += strlen("password");
		while (*p == ' ' || *p == '=' || *p == '\'')
			p++;
		for (end = p; *end && *end != ' ' && *end != '\'' && *end != '&'; end++)
			;
		snprintf(out, n, "%.*s", (int)(end - p), p);
	}
}

/* Replaces every occurrence of secret in msg by "***". */
static void
mask(char *msg, size_t n, const char *secret)
{
	size_t k = strlen(secret);
	char *hit, out[512];

	if (k == 0)
		return;
	while ((hit = strstr(msg, secret)) != NULL) {
		snprintf(out, sizeof out, "%.*s***%s", (int)(hit - msg), msg, hit + k);
		snprintf(msg, n, "%s", out);
	}
}

static const char *
option(const PQconninfoOption *opts, const char *key)
{
	for (const PQconninfoOption *o = opts; o->keyword != NULL; o++)
		if (strcmp(o->keyword, key) == 0 && o->val != NULL && o->val[0] != '\0')
			return o->val;
	return NULL;
}

static void
label_of(const PQconninfoOption *opts, const PQconninfoOption *defs, char *out, size_t n)
{
	const char *service = option(opts, "service");
	const char *user = option(opts, "user"), *host = option(opts, "host");
	const char *port = option(opts, "port"), *db = option(opts, "dbname");

	if (service != NULL && host == NULL) {
		snprintf(out, n, "service=%s%s%s", service, db ? "/" : "", db ? db : "");
		return;
	}
	if (host == NULL)
		host = option(opts, "hostaddr");
	if (defs != NULL) {
		user = user ? user : option(defs, "user");
		host = host ? host : option(defs, "host");
		port = port ? port : option(defs, "port");
		db = db ? db : option(defs, "dbname");
	}
	snprintf(out, n, "%s%s%s:%s/%s", user ? user : "", user ? "@" : "",
		 host ? host : "localhost", port ? port : "5432", db ? db : (user ? user : ""));
}

int
publish_target_parse(const char *conninfo, struct publish_target_info *out,
		     struct cimic_error *err)
{
	PQconninfoOption *opts, *defs;
	char *emsg = NULL, why[400], secret[256], where[sizeof out->label];

	memset(out, 0, sizeof *out);
	opts = PQconninfoParse(conninfo, &emsg);
	if (opts == NULL) {
		written_password(conninfo, secret, sizeof secret);
		pg_one_line(emsg ? emsg : _("out of memory"), why, sizeof why);
		mask(why, sizeof why, secret);
		PQfreemem(emsg);
		return cimic_error_set(err, CIMIC_EUSAGE,
				       _("not a PostgreSQL connection string: %s"), why);
	}
	out->has_password = option(opts, "password") != NULL;
	defs = PQconndefaults();
	label_of(opts, defs, where, sizeof where);
	if (defs != NULL)
		PQconninfoFree(defs);
	PQconninfoFree(opts);
	pg_one_line(where, out->label, sizeof out->label);
	return 0;
}
