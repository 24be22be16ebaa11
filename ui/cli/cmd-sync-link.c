/*
 * cmd-sync-link.c - `cimic sync --link HOST:PORT`: one session with a
 * peer's `cimic serve` (usually HQ), retried after a cut, with progress
 * on stderr and a summary on stdout (or --json).
 *
 * Also the one-line description of a finished session, which `serve`
 * prints for every client.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cimic/i18n.h"
#include "cimic/link.h"
#include "commands.h"

#define RETRY_PAUSE_MAX 30

struct progress {
	bool tty;
	bool drawn;                 /* a \r line is on screen */
	enum link_phase phase;
};

static void
sync_link_help(void)
{
	printf("%s", _("Usage: cimic sync --link HOST:PORT [--peer NAME] [--timeout S] [--retries N] [--json]\n"
		       "Exchanges, with the 'cimic serve' at HOST:PORT, exactly the entries each side\n"
		       "lacks, over a mutually authenticated, encrypted connection.  The other end\n"
		       "must hold the link key of the peer called (by default the one HQ this node\n"
		       "trusts; --peer names another) and must have enrolled this node.\n"
		       "On a slow link that drops, what was acknowledged is never sent again: the\n"
		       "command retries N times (default 3), and running it again resumes.\n"
		       "--timeout S: give up after S seconds without a byte from the peer (60).\n"));
}

void
cli_link_describe(FILE *f, const struct link_stats *s)
{
	/* names and the reason may come from the other end: escaped */
	const char *who = s->peer[0] ? cli_safe(s->peer) : _("unknown node");

	if (s->status != 0) {
		fprintf(f, _("session with %s (%s) at %s failed after sending %ld entries (%ld acknowledged) "
			     "and receiving %ld (%ld new, %ld already held): %s\n"),
			who, cli_safe(s->peer_fp), cli_safe(s->address), s->sent, s->acked, s->received,
			s->received_new, s->received_dup, cli_safe(s->error));
		return;
	}
	fprintf(f, _("session with %s (%s) at %s: sent %ld entries, received %ld (%ld new, %ld already "
		     "held); %llu bytes out, %llu bytes in\n"),
		who, cli_safe(s->peer_fp), cli_safe(s->address), s->sent, s->received, s->received_new,
		s->received_dup,
		(unsigned long long)s->bytes_out, (unsigned long long)s->bytes_in);
	if (s->quarantined > 0 || s->skipped > 0)
		fprintf(f, _("  %ld entries of revoked nodes quarantined, %ld of unknown nodes skipped\n"),
			s->quarantined, s->skipped);
}

static void
on_progress(const struct link_stats *s, void *arg)
{
	struct progress *p = arg;

	if (p->tty) {
		/* One line redrawn in place; counts of entries each way and bytes. */
		fputs("\r\033[K", stderr);
		fprintf(stderr, _("%s: sent %ld/%ld, received %ld/%ld, %llu bytes out, %llu in"),
			cli_safe(s->peer), s->sent, s->to_send, s->received, s->to_receive,
			(unsigned long long)s->bytes_out, (unsigned long long)s->bytes_in);
		p->drawn = true;
	} else if (s->phase != p->phase && s->phase == LINK_TRANSFER) {
		fprintf(stderr, _("cimic: sync: connected to %s (%s) at %s: %ld entries to send, %ld to receive\n"),
			cli_safe(s->peer), cli_safe(s->peer_fp), cli_safe(s->address), s->to_send,
			s->to_receive);
	}
	p->phase = s->phase;
	fflush(stderr);
}

static void
end_line(struct progress *p)
{
	if (p->drawn)
		fputc('\n', stderr);
	p->drawn = false;
}

static void
print_json(const struct link_stats *s, int attempts)
{
	struct buf b;

	buf_init(&b);
	buf_adds(&b, "{\"peer\":");
	buf_json_str(&b, s->peer);
	buf_adds(&b, ",\"fingerprint\":");
	buf_json_str(&b, s->peer_fp);
	buf_adds(&b, ",\"address\":");
	buf_json_str(&b, s->address);
	buf_printf(&b, ",\"status\":%d,\"attempts\":%d,\"sent\":%ld,\"acked\":%ld,\"received\":%ld,"
		   "\"new\":%ld,\"already\":%ld,\"quarantined\":%ld,\"skipped\":%ld,"
		   "\"bytes_out\":%llu,\"bytes_in\":%llu}\n",
		   s->status, attempts, s->sent, s->acked, s->received, s->received_new, s->received_dup,
		   s->quarantined, s->skipped, (unsigned long long)s->bytes_out,
		   (unsigned long long)s->bytes_in);
	fwrite(b.data, 1, b.len, stdout);
	buf_finish(&b);
}

struct link_args {
	const char *hostport;
	struct link_options o;
	int retries;
	bool json;
};

static int
parse_number(const char *s, int min, int max, int *out)
{
	char *end;
	long v = strtol(s, &end, 10);

	if (*s == '\0' || *end != '\0' || v < min || v > max)
		return -1;
	*out = (int)v;
	return 0;
}

static int
parse_args(struct cli *cli, int argc, char **argv, struct link_args *a)
{
	static const struct option opts[] = {
		{ "link", required_argument, NULL, 'l' }, { "peer", required_argument, NULL, 'p' },
		{ "timeout", required_argument, NULL, 't' }, { "retries", required_argument, NULL, 'r' },
		{ "json", no_argument, NULL, 'j' }, { NULL, 0, NULL, 0 },
	};
	int opt;

	memset(a, 0, sizeof *a);
	a->retries = 3;
	optind = 1;
	opterr = 0;
	while ((opt = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (opt == 'l')
			a->hostport = optarg;
		else if (opt == 'p')
			a->o.peer = optarg;
		else if (opt == 't' && parse_number(optarg, 1, 86400, &a->o.timeout_s) == 0)
			continue;
		else if (opt == 'r' && parse_number(optarg, 0, 1000, &a->retries) == 0)
			continue;
		else if (opt == 'j')
			a->json = true;
		else
			return cli_usage(cli, _("unknown, incomplete or out-of-range option '%s'"),
					 argv[optind - 1]);
	}
	if (a->hostport == NULL || optind != argc)
		return cli_usage(cli, _("expected 'sync --link HOST:PORT'"));
	return 0;
}

bool
cli_sync_wants_link(int argc, char **argv)
{
	for (int i = 1; i < argc; i++)
		if (strcmp(argv[i], "--link") == 0 || strncmp(argv[i], "--link=", 7) == 0)
			return true;
	return false;
}

/* Only a lost or timed-out connection is worth another try. */
static bool
worth_retrying(const struct cimic_error *err)
{
	return err->code == CIMIC_EIO;
}

int
cmd_sync_link(struct cli *cli, int argc, char **argv)
{
	struct link_args a;
	struct progress p = { isatty(STDERR_FILENO) == 1, false, LINK_CONNECTING };
	struct link_stats stats;
	struct cimic_error err;
	int rc, attempt = 0, pause = 2;

	cli->cmd = "sync";
	if (cli_wants_help(argc, argv)) {
		sync_link_help();
		return 0;
	}
	if ((rc = parse_args(cli, argc, argv, &a)) != 0)
		return rc;
	if ((rc = cli_open(cli)) != 0)
		return rc;
	a.o.progress = on_progress;
	a.o.arg = &p;
	for (;;) {
		attempt++;
		rc = link_sync(cli->st, a.hostport, &a.o, &stats, &err);
		end_line(&p);
		if (rc == 0 || attempt > a.retries || !worth_retrying(&err))
			break;
		fprintf(stderr, _("cimic: sync: %s; trying again in %d s (%d of %d)\n"), err.msg, pause,
			attempt, a.retries);
		sleep((unsigned)pause);
		pause = pause * 2 > RETRY_PAUSE_MAX ? RETRY_PAUSE_MAX : pause * 2;
	}
	if (a.json)
		print_json(&stats, attempt);
	else if (rc == 0)
		cli_link_describe(stdout, &stats);
	return rc == 0 ? 0 : cli_fail(cli, &err);
}
