/*
 * cmd-publish.c - `cimic publish --to CONNINFO | --to-file FILE [--json]`
 * and `cimic publish --status [--json]`.
 *
 * Writes this store's merged picture into a PostgreSQL/PostGIS database
 * (publish.h); the first run to a database sends everything, later runs
 * what changed since.  The connection string is libpq's.  A password on
 * the command line is refused: every user can read it with ps.  It goes
 * in a passfile (~/.pgpass, PGPASSFILE), a service file, or the file that
 * --to-file names, which other users must not be able to read.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <sodium.h>

#include "cimic/i18n.h"
#include "cimic/publish.h"
#include "cimic/pubstate.h"
#include "cimic/timefmt.h"
#include "commands.h"

#define CONNINFO_MAX 4096

static int
publish_help(void)
{
	printf("%s", _("Usage: cimic publish --to CONNINFO [--json]\n"
		       "       cimic publish --to-file FILE [--json]\n"
		       "       cimic publish --status [--json]\n"
		       "Writes the merged picture of this store (contacts, incidents, links, units,\n"
		       "open conflicts, code lists in English and Ukrainian) into the schema 'cimic'\n"
		       "of a PostgreSQL database with PostGIS, in one transaction: everything on the\n"
		       "first run, then only what changed since the last successful run there.\n"
		       "CONNINFO is libpq's: postgresql://USER@HOST:PORT/DB?sslmode=verify-full,\n"
		       "postgresql:///?service=NAME (pg_service.conf), or key=value words.\n"
		       "A password never goes on the command line, where ps shows it to every user:\n"
		       "put it in ~/.pgpass or $PGPASSFILE, in a service file, or in the connection\n"
		       "string in FILE (--to-file; mode 0600).  --status lists the databases this\n"
		       "store publishes to.  See cimic(1), PUBLISHING.\n"));
	return 0;
}

/* The connection string in FILE: its first line that is not blank or a # comment. */
static int
read_conninfo_file(struct cli *cli, const char *path, char **out)
{
	struct cimic_error err;
	char *buf = sodium_malloc(CONNINFO_MAX), *line, *save = NULL;
	FILE *f;
	size_t n;

	if (buf == NULL)
		return cli_fail(cli, (cimic_error_set(&err, CIMIC_EFAIL, _("out of memory")), &err));
	if ((f = fopen(path, "r")) == NULL) {
		sodium_free(buf);
		cimic_error_set(&err, CIMIC_ENOINPUT, _("cannot read %s: %s"), path, strerror(errno));
		return cli_fail(cli, &err);
	}
	n = fread(buf, 1, CONNINFO_MAX - 1, f);
	fclose(f);
	buf[n] = '\0';
	*out = NULL;
	for (line = strtok_r(buf, "\n", &save); line != NULL; line = strtok_r(NULL, "\n", &save)) {
		line += strspn(line, " \t\r");
		line[strcspn(line, "\r")] = '\0';
		if (line[0] != '\0' && line[0] != '#') {
			memmove(buf, line, strlen(line) + 1);
			*out = buf;
			return 0;
		}
	}
	sodium_free(buf);
	cimic_error_set(&err, CIMIC_EDATA, _("%s holds no connection string"), path);
	return cli_fail(cli, &err);
}

/* A password may sit only in a file that no other user can read. */
static int
check_secret_file(struct cli *cli, const char *path)
{
	struct cimic_error err;
	struct stat sb;

	if (stat(path, &sb) == 0 && (sb.st_mode & 077) == 0)
		return 0;
	cimic_error_set(&err, CIMIC_EPERM,
			_("%s holds a password and other users may read it: chmod 600 %s"), path,
			path);
	return cli_fail(cli, &err);
}

static void
print_stats(const struct publish_stats *s, bool json)
{
	static const char *const names[PUB_NTABLES] = { "contacts", "incidents", "links", "units",
							 "conflicts" };
	struct buf b;

	if (!json) {
		printf(_("published to %s (database %s%s): sent incidents: %ld, contacts: %ld, "
			 "links: %ld, units: %ld, conflicts: %ld; rows written: %ld; %.2f s\n"),
		       s->label, s->database_id, s->created ? _(", schema created") : "",
		       s->sent[PUB_INCIDENTS], s->sent[PUB_CONTACTS], s->sent[PUB_LINKS],
		       s->sent[PUB_UNITS], s->sent[PUB_CONFLICTS],
		       s->written[PUB_INCIDENTS] + s->written[PUB_CONTACTS] + s->written[PUB_LINKS] +
			       s->written[PUB_UNITS] + s->written[PUB_CONFLICTS],
		       s->seconds);
		return;
	}
	buf_init(&b);
	buf_adds(&b, "{\"target\":");
	buf_json_str(&b, s->label);
	buf_printf(&b, ",\"database\":\"%s\",\"created\":%s,\"schema\":%d,\"from_seq\":%lld,"
		       "\"to_seq\":%lld,\"seconds\":%.3f", s->database_id, s->created ? "true" : "false",
		   s->schema_to, (long long)s->from_seq, (long long)s->to_seq, s->seconds);
	for (int pass = 0; pass < 2; pass++) {
		buf_printf(&b, ",\"%s\":{", pass ? "written" : "sent");
		for (int i = 0; i < PUB_NTABLES; i++)
			buf_printf(&b, "%s\"%s\":%ld", i ? "," : "", names[i],
				   pass ? s->written[i] : s->sent[i]);
		buf_addc(&b, '}');
	}
	buf_adds(&b, "}\n");
	fwrite(b.data, 1, b.len, stdout);
	buf_finish(&b);
}

static int
status_line(const struct pubstate_target *t, void *arg)
{
	struct buf *json = arg;
	char when[40];

	timefmt_iso_utc(t->published_ms, when, sizeof when);
	if (json == NULL) {
		printf(_("%s  %s  up to change %lld, %s, rows: %ld\n"), t->target, t->label,
		       (long long)t->seq, when, t->rows);
		return 0;
	}
	buf_adds(json, json->len > 1 ? ",{\"database\":" : "{\"database\":");
	buf_json_str(json, t->target);
	buf_adds(json, ",\"target\":");
	buf_json_str(json, t->label);
	buf_printf(json, ",\"seq\":%lld,\"published\":\"%s\",\"rows\":%ld}", (long long)t->seq,
		   when, t->rows);
	return 0;
}

static int
publish_status(struct cli *cli, bool json)
{
	struct cimic_error err;
	struct buf b;
	int rc;

	if ((rc = cli_open(cli)) != 0)
		return rc;
	buf_init(&b);
	buf_addc(&b, '[');
	rc = pubstate_each(cli->st, status_line, json ? &b : NULL, &err);
	buf_adds(&b, "]\n");
	if (rc == 0 && json)
		fwrite(b.data, 1, b.len, stdout);
	buf_finish(&b);
	return rc == 0 ? 0 : cli_fail(cli, &err);
}

static int
publish_to(struct cli *cli, const char *conninfo, const char *file, bool json)
{
	struct publish_target_info info;
	struct publish_stats stats;
	struct cimic_error err;
	int rc;

	if (publish_target_parse(conninfo, &info, &err) != 0)
		return cli_fail(cli, &err);
	if (info.has_password && file == NULL)
		return cli_usage(cli, _("the connection string holds a password, which any user can "
					"read with ps: put it in ~/.pgpass or $PGPASSFILE, in a service "
					"(postgresql:///?service=NAME), or use --to-file FILE"));
	if (info.has_password && (rc = check_secret_file(cli, file)) != 0)
		return rc;
	if ((rc = cli_open(cli)) != 0)
		return rc;
	if (publish_run(cli->st, conninfo, &stats, &err) != 0)
		return cli_fail(cli, &err);
	print_stats(&stats, json);
	return 0;
}

int
cmd_publish(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "to", required_argument, NULL, 't' }, { "to-file", required_argument, NULL, 'f' },
		{ "status", no_argument, NULL, 's' }, { "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' }, { NULL, 0, NULL, 0 },
	};
	const char *to = NULL, *file = NULL;
	bool status = false, json = false;
	char *conninfo = NULL;
	int opt, rc;

	cli->cmd = "publish";
	optind = 1;
	while ((opt = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (opt) {
		case 't': to = optarg; break;
		case 'f': file = optarg; break;
		case 's': status = true; break;
		case 'j': json = true; break;
		case 'h': return publish_help();
		default: return cli_usage(cli, _("unknown or incomplete option '%s'"), argv[optind - 1]);
		}
	}
	if (optind < argc)
		return cli_usage(cli, _("unexpected argument '%s'"), argv[optind]);
	if (status && (to || file))
		return cli_usage(cli, _("--status takes no --to or --to-file"));
	if (status)
		return publish_status(cli, json);
	if ((to == NULL) == (file == NULL))
		return cli_usage(cli, _("give the database with --to CONNINFO or --to-file FILE"));
	if (file != NULL && (rc = read_conninfo_file(cli, file, &conninfo)) != 0)
		return rc;
	rc = publish_to(cli, file ? conninfo : to, file, json);
	if (conninfo != NULL)
		sodium_free(conninfo);
	return rc;
}
