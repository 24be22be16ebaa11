/*
 * cmd-serve.c - `cimic serve --listen ADDR:PORT [--once] [--timeout S]
 * [--max-clients N]`: answers `cimic sync --link` from enrolled nodes.
 *
 * Prints "listening on ADDR:PORT" (the real port when 0 was asked) and
 * one line per session.  SIGINT and SIGTERM stop it cleanly: batches
 * already applied stay, each in its own transaction.  The store stays
 * open while it serves; the interface and other commands share it.
 */
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include "cimic/i18n.h"
#include "cimic/link.h"
#include "commands.h"

static volatile sig_atomic_t serve_stop;

static void
on_signal(int sig)
{
	(void)sig;
	serve_stop = 1;   /* the poll loop sees it within a second (poll is interrupted) */
}

static void
serve_help(void)
{
	printf("%s", _("Usage: cimic serve --listen ADDR:PORT [--once] [--timeout S] [--max-clients N]\n"
		       "Waits for 'cimic sync --link' from the nodes this store has enrolled and\n"
		       "exchanges with each exactly the entries the other side lacks.  Unknown and\n"
		       "revoked nodes are refused before any entry flows.  Port 0 picks a free port;\n"
		       "the address really used is printed.  --once returns after the first session\n"
		       "with its status; otherwise Ctrl-C or SIGTERM stops the server.\n"));
}

static void
on_listening(const char *address, void *arg)
{
	(void)arg;
	printf(_("listening on %s\n"), address);
	fflush(stdout);
}

static void
on_finished(const struct link_stats *s, void *arg)
{
	(void)arg;
	cli_link_describe(s->status == 0 ? stdout : stderr, s);
	fflush(stdout);
	fflush(stderr);
}

static int
parse_int(const char *s, int min, int max, int *out)
{
	char *end;
	long v = strtol(s, &end, 10);

	if (*s == '\0' || *end != '\0' || v < min || v > max)
		return -1;
	*out = (int)v;
	return 0;
}

static int
parse_args(struct cli *cli, int argc, char **argv, const char **listen, struct link_options *o)
{
	static const struct option opts[] = {
		{ "listen", required_argument, NULL, 'l' }, { "once", no_argument, NULL, '1' },
		{ "timeout", required_argument, NULL, 't' },
		{ "max-clients", required_argument, NULL, 'm' }, { NULL, 0, NULL, 0 },
	};
	int opt;

	optind = 1;
	opterr = 0;
	while ((opt = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (opt == 'l')
			*listen = optarg;
		else if (opt == '1')
			o->once = true;
		else if (opt == 't' && parse_int(optarg, 1, 86400, &o->timeout_s) == 0)
			continue;
		else if (opt == 'm' && parse_int(optarg, 1, 1000, &o->max_clients) == 0)
			continue;
		else
			return cli_usage(cli, _("unknown, incomplete or out-of-range option '%s'"),
					 argv[optind - 1]);
	}
	if (*listen == NULL || optind != argc)
		return cli_usage(cli, _("expected 'serve --listen ADDR:PORT'"));
	return 0;
}

int
cmd_serve(struct cli *cli, int argc, char **argv)
{
	struct link_options o;
	struct cimic_error err;
	struct sigaction sa;
	const char *listen = NULL;
	int rc;

	cli->cmd = "serve";
	if (cli_wants_help(argc, argv)) {
		serve_help();
		return 0;
	}
	memset(&o, 0, sizeof o);
	if ((rc = parse_args(cli, argc, argv, &listen, &o)) != 0)
		return rc;
	if ((rc = cli_open(cli)) != 0)
		return rc;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_signal;   /* no SA_RESTART: poll() returns at once */
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	o.stop = &serve_stop;
	o.listening = on_listening;
	o.finished = on_finished;
	if (link_serve(cli->st, listen, &o, &err) != 0)
		return cli_fail(cli, &err);
	return 0;
}
