/*
 * cmd-import.c - `cimic import --format csv|hxl|vcard|json|geonames [--what K]
 * [--source NAME] [--dry-run] [--skip-bad] [--keep-unmapped] FILE`.
 *
 * The report goes to standard output: records created, updated and
 * unchanged, rows read, repeated and refused (each refused row with its
 * line and reason), the columns not imported.  A long import draws a
 * progress bar on standard error when that is a terminal.  Text from the
 * file (column names, values in reasons) is printed with control
 * characters escaped.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cimic/formats.h"
#include "cimic/i18n.h"
#include "cimic/timefmt.h"
#include "commands.h"

enum { OPT_SOURCE = 1000, OPT_DRY_RUN, OPT_SKIP_BAD, OPT_KEEP_UNMAPPED };

#define LISTED_MAX 50   /* refused rows printed one by one; the rest are counted */

static int
import_help(void)
{
	printf("%s", _("Usage: cimic import --format csv|hxl|vcard|json|geonames [--what contacts|incidents]\n"
		       "                    [--source NAME] [--dry-run] [--skip-bad] [--keep-unmapped] FILE\n"
		       "The whole file imports in one transaction, or nothing does.  A row meets its record\n"
		       "by the cimic id, by the source's own id (#meta+id such as EVT-2291, kept as the\n"
		       "record's source reference: --source names the source, by default the file's\n"
		       "name), or else by name and phone / title, time and place.  Only changed fields\n"
		       "are written: importing an unchanged file again writes nothing.  Rows repeating an\n"
		       "id are one record.\n"
		       "  --dry-run        report what the import would do; write nothing\n"
		       "  --skip-bad       import the good rows and list the refused ones (without it,\n"
		       "                   one bad row refuses the file: exit 65)\n"
		       "  --keep-unmapped  keep the columns cimic has no field for as lines of the\n"
		       "                   description or notes\n"
		       "GeoNames dumps fill the gazetteer used to find settlements by name.\n"));
	return 0;
}

/* Text from a file: control characters as \xNN, the rest as it is. */
static void
import_put(FILE *f, const char *s)
{
	fputs(cli_safe(s), f);
}

/* ---- progress ---- */

struct import_bar {
	bool shown;
	int last;                 /* phase * 1000 + per mille drawn last */
};

static void
import_progress(void *arg, enum formats_phase phase, uint64_t done, uint64_t total)
{
	struct import_bar *bar = arg;
	int permille, filled, key;
	char cells[41];

	if (phase == FORMATS_SAVING) {
		fprintf(stderr, "\r\033[K%s", _("saving..."));
		fflush(stderr);
		bar->shown = true;
		return;
	}
	if (total == 0)
		return;
	permille = done >= total ? 1000 : (int)(done * 1000 / total);
	key = (int)phase * 1000 + permille / 5 * 5;
	if (bar->shown && key == bar->last)
		return;
	bar->last = key;
	bar->shown = true;
	filled = permille * 40 / 1000;
	memset(cells, '#', (size_t)filled);
	memset(cells + filled, '.', (size_t)(40 - filled));
	cells[40] = '\0';
	fprintf(stderr, "\r%-10s [%s] %3d%%", phase == FORMATS_CHECKING ? _("checking") : _("importing"),
		cells, permille / 10);
	fflush(stderr);
}

static void
import_bar_clear(struct import_bar *bar)
{
	if (bar->shown)
		fputs("\r\033[K", stderr);
	bar->shown = false;
}

/* ---- the report ---- */

static void
import_refusals(const struct formats_import_report *rep, bool skipped)
{
	for (size_t i = 0; i < rep->nrefusals && i < LISTED_MAX; i++) {
		printf(skipped ? _("skipped line %zu: ") : _("refused line %zu: "), rep->refusals[i].line);
		import_put(stdout, rep->refusals[i].reason);
		putchar('\n');
	}
	if (rep->refused > LISTED_MAX)
		printf(P_("... and %ld more row\n", "... and %ld more rows\n",
			  rep->refused - LISTED_MAX), rep->refused - LISTED_MAX);
}

static void
import_summary(const struct formats_import_opts *o, const struct formats_import_report *rep)
{
	if (o->format == FORMAT_GEONAMES) {
		printf(P_("%ld place imported into the gazetteer\n", "%ld places imported into the gazetteer\n",
			  rep->created), rep->created);
		return;
	}
	printf(_("%ld created, %ld updated, %ld unchanged\n"), rep->created, rep->updated,
	       rep->unchanged);
	printf(P_("%ld row read", "%ld rows read", rep->rows), rep->rows);
	printf(P_(", %ld repeating an earlier row's id (one record)",
		  ", %ld repeating an earlier row's id (one record each)", rep->repeated), rep->repeated);
	printf(P_(", %ld refused\n", ", %ld refused\n", rep->refused), rep->refused);
	if (rep->source_used) {
		printf("%s ", _("ids of the source:"));
		import_put(stdout, rep->source);
		putchar('\n');
	}
	if (rep->ignored[0]) {
		printf("%s ", rep->kept_unmapped ? _("kept in the text, no field in cimic:")
						 : _("not imported, no field in cimic:"));
		import_put(stdout, rep->ignored);
		putchar('\n');
	}
	if (rep->kept_values)
		printf(P_("%ld value outside cimic's code lists kept in the text\n",
			  "%ld values outside cimic's code lists kept in the text\n", rep->kept_values),
		       rep->kept_values);
	if (rep->contacts_created || rep->links_created)
		printf(_("contact persons: %ld created, %ld linked\n"), rep->contacts_created,
		       rep->links_created);
}

static int
import_option(struct cli *cli, struct formats_import_opts *o, int opt, const char *arg,
	      char **argv)
{
	switch (opt) {
	case 'f':
		o->format = formats_kind_parse(arg);
		if (o->format == 0 || o->format == FORMAT_GEOJSON)
			return cli_usage(cli, _("unknown format '%s' (csv, hxl, vcard, json, geonames)"),
					 arg);
		return 0;
	case 'w':
		if (strncmp(arg, "contact", 7) == 0)
			o->what = MODEL_CONTACT;
		else if (strncmp(arg, "incident", 8) == 0)
			o->what = MODEL_INCIDENT;
		else
			return cli_usage(cli, _("--what is contacts or incidents"));
		return 0;
	case OPT_SOURCE:
		if (arg[0] == '\0' || strlen(arg) > 256)
			return cli_usage(cli, _("--source needs a name of 1 to 256 bytes"));
		o->source = arg;
		return 0;
	case OPT_DRY_RUN: o->dry_run = true; return 0;
	case OPT_SKIP_BAD: o->skip_bad = true; return 0;
	case OPT_KEEP_UNMAPPED: o->keep_unmapped = true; return 0;
	default: return cli_usage(cli, _("unknown or incomplete option '%s'"), argv[optind - 1]);
	}
}

int
cmd_import(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "format", required_argument, NULL, 'f' }, { "what", required_argument, NULL, 'w' },
		{ "source", required_argument, NULL, OPT_SOURCE },
		{ "dry-run", no_argument, NULL, OPT_DRY_RUN },
		{ "skip-bad", no_argument, NULL, OPT_SKIP_BAD },
		{ "keep-unmapped", no_argument, NULL, OPT_KEEP_UNMAPPED },
		{ "help", no_argument, NULL, 'h' }, { NULL, 0, NULL, 0 },
	};
	struct formats_import_opts o = { 0 };
	struct formats_import_report rep;
	struct import_bar bar = { 0 };
	struct cimic_error err;
	int opt, rc;

	cli->cmd = "import";
	optind = 1;
	while ((opt = getopt_long(argc, argv, "f:w:h", opts, NULL)) != -1) {
		if (opt == 'h')
			return import_help();
		if ((rc = import_option(cli, &o, opt, optarg, argv)) != 0)
			return rc;
	}
	if (o.format == 0)
		return cli_usage(cli, _("say which --format"));
	if (optind + 1 != argc)
		return cli_usage(cli, _("expected one FILE"));
	if (access(argv[optind], R_OK) != 0) {
		cimic_error_set(&err, errno == ENOENT ? CIMIC_ENOINPUT : CIMIC_EIO, "%s: %s",
				argv[optind], strerror(errno));
		return cli_fail(cli, &err);
	}
	if ((rc = cli_open(cli)) != 0)
		return rc;
	o.now_ms = timefmt_now_ms();
	if (isatty(STDERR_FILENO)) {
		o.progress = import_progress;
		o.progress_arg = &bar;
	}
	rc = formats_import_file(cli->st, &o, argv[optind], &rep, &err);
	import_bar_clear(&bar);
	if (rc == 0 || rep.refused > 0) {
		import_summary(&o, &rep);
		import_refusals(&rep, rc == 0);
		if (o.dry_run && rc == 0)
			printf("%s\n", _("dry run: nothing written"));
	}
	formats_import_report_finish(&rep);
	if (rc != 0) {
		cimic_error_prefix(&err, "%s", argv[optind]);
		return cli_fail(cli, &err);
	}
	return 0;
}
