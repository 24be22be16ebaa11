/* cmd-report.c - `cimic report sitrep [--since WHEN] [--format text|markdown]`. */
#include <string.h>

#include "cimic/i18n.h"
#include "cimic/report.h"
#include "cimic/timefmt.h"
#include "commands.h"

static int
report_help(void)
{
	printf("%s", _("Usage: cimic report sitrep [--since WHEN] [--format text|markdown] [-o FILE]\n"
		       "A situation report for the period since WHEN (ISO 8601, DTG such as\n"
		       "241330ZNOV26; default: the last 24 hours) until now, on stdout or in FILE\n"
		       "(a FIFO or a device is written in place; a symbolic link is refused).\n"));
	return 0;
}

int
cmd_report(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "since", required_argument, NULL, 's' }, { "format", required_argument, NULL, 'f' },
		{ "output", required_argument, NULL, 'o' }, { "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct report_opts o = { 0, 0, REPORT_TEXT };
	struct cimic_error err;
	const char *path = NULL;
	struct buf out;
	int opt, rc;

	cli->cmd = "report";
	o.now_ms = timefmt_now_ms();
	optind = 1;
	while ((opt = getopt_long(argc, argv, "s:f:o:h", opts, NULL)) != -1) {
		switch (opt) {
		case 's':
			if (timefmt_parse(optarg, o.now_ms, &o.since_ms, &err) != 0)
				return cli_usage(cli, "--since: %s", err.msg);
			break;
		case 'f':
			if (strcmp(optarg, "text") == 0)
				o.format = REPORT_TEXT;
			else if (strcmp(optarg, "markdown") == 0 || strcmp(optarg, "md") == 0)
				o.format = REPORT_MARKDOWN;
			else
				return cli_usage(cli, _("--format is text or markdown"));
			break;
		case 'o': path = optarg; break;
		case 'h': return report_help();
		default: return cli_usage(cli, _("unknown or incomplete option '%s'"), argv[optind - 1]);
		}
	}
	if (optind >= argc || strcmp(argv[optind], "sitrep") != 0)
		return cli_usage(cli, _("expected 'report sitrep'"));
	if (optind + 1 != argc)
		return cli_usage(cli, _("unexpected argument '%s'"), argv[optind + 1]);
	if (o.since_ms >= o.now_ms)
		return cli_usage(cli, _("--since must be in the past"));
	if ((rc = cli_open(cli)) != 0)
		return rc;
	buf_init(&out);
	rc = report_sitrep(cli->st, &o, &out, &err) != 0 ? cli_fail(cli, &err)
							 : cli_write_output(cli, path, &out, 0600);
	buf_finish(&out);
	return rc;
}
