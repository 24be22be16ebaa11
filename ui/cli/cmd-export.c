/* cmd-export.c - `cimic export --format csv|hxl|geojson|vcard|json [--what K] [--archived] [-o FILE]`. */
#include <stdlib.h>
#include <string.h>

#include "cimic/formats.h"
#include "cimic/i18n.h"
#include "commands.h"

static int
export_what(const char *name, enum model_kind *out)
{
	if (strcmp(name, "contacts") == 0 || strcmp(name, "contact") == 0)
		*out = MODEL_CONTACT;
	else if (strcmp(name, "incidents") == 0 || strcmp(name, "incident") == 0)
		*out = MODEL_INCIDENT;
	else
		return -1;
	return 0;
}

static int
export_help(void)
{
	printf("%s", _("Usage: cimic export --format csv|hxl|geojson|vcard|json [--what contacts|incidents]\n"
		       "                    [--archived] [-o FILE]\n"
		       "CSV and HXL hold one kind (incidents unless --what says otherwise); JSON holds\n"
		       "everything; vCard holds contacts; GeoJSON holds the records that have a location.\n"
		       "Archived records are left out unless --archived.  Without -o (or with -o -),\n"
		       "writes to stdout.  A FIFO or a device is written in place; a symbolic link\n"
		       "is refused.  CSV and HXL cells that a spreadsheet would run as a formula\n"
		       "(= + - @ TAB CR LF first) get a leading ' that import takes off again.\n"));
	return 0;
}

int
cmd_export(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "format", required_argument, NULL, 'f' }, { "what", required_argument, NULL, 'w' },
		{ "archived", no_argument, NULL, 'a' }, { "output", required_argument, NULL, 'o' },
		{ "help", no_argument, NULL, 'h' }, { NULL, 0, NULL, 0 },
	};
	struct formats_export_opts o = { 0 };
	struct cimic_error err;
	const char *path = NULL;
	struct buf out;
	int opt, rc;

	cli->cmd = "export";
	optind = 1;
	while ((opt = getopt_long(argc, argv, "f:w:ao:h", opts, NULL)) != -1) {
		switch (opt) {
		case 'f':
			o.format = formats_kind_parse(optarg);
			if (o.format == 0 || o.format == FORMAT_GEONAMES)
				return cli_usage(cli, _("unknown format '%s' (csv, hxl, geojson, vcard, json)"),
						 optarg);
			break;
		case 'w':
			if (export_what(optarg, &o.what) != 0)
				return cli_usage(cli, _("--what is contacts or incidents"));
			break;
		case 'a': o.include_archived = true; break;
		case 'o': path = optarg; break;
		case 'h': return export_help();
		default: return cli_usage(cli, _("unknown or incomplete option '%s'"), argv[optind - 1]);
		}
	}
	if (o.format == 0)
		return cli_usage(cli, _("say which --format"));
	if (optind < argc)
		return cli_usage(cli, _("unexpected argument '%s'"), argv[optind]);
	if ((rc = cli_open(cli)) != 0)
		return rc;
	buf_init(&out);
	rc = formats_export(cli->st, &o, &out, &err) != 0 ? cli_fail(cli, &err)
							   : cli_write_output(cli, path, &out, 0644);
	buf_finish(&out);
	return rc;
}
