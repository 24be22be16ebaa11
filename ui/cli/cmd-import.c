/* cmd-import.c - `cimic import --format csv|hxl|vcard|json|geonames [--what K] FILE`. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cimic/formats.h"
#include "cimic/i18n.h"
#include "cimic/timefmt.h"
#include "commands.h"

static int
import_help(void)
{
	printf("%s", _("Usage: cimic import --format csv|hxl|vcard|json|geonames [--what contacts|incidents] FILE\n"
		       "The whole file imports in one transaction, or nothing does.  Records whose id\n"
		       "(or, without one, name and phone / title, time and place) are already here\n"
		       "are updated, so importing a file twice creates nothing new.  GeoNames dumps\n"
		       "fill the gazetteer used to find settlements by name.\n"));
	return 0;
}

/* Reads the whole file, refusing anything over FORMATS_MAX_INPUT. OUT *data: caller frees. */
static int
import_slurp(struct cli *cli, const char *path, char **data, size_t *len)
{
	struct cimic_error err;
	FILE *f = fopen(path, "rb");
	size_t cap = 1 << 16, n = 0;
	char *p = malloc(cap), *grown;

	if (f == NULL || p == NULL) {
		free(p);
		if (f)
			fclose(f);
		cimic_error_set(&err, errno == ENOENT ? CIMIC_ENOINPUT : CIMIC_EIO, "%s: %s", path,
				strerror(errno));
		return cli_fail(cli, &err);
	}
	for (;;) {
		n += fread(p + n, 1, cap - n, f);
		if (n < cap || cap > FORMATS_MAX_INPUT)
			break;
		grown = realloc(p, cap * 2);
		if (grown == NULL)
			break;
		p = grown;
		cap *= 2;
	}
	if (ferror(f) || n > FORMATS_MAX_INPUT) {
		cimic_error_set(&err, ferror(f) ? CIMIC_EIO : CIMIC_EDATA,
				ferror(f) ? _("%s: read error") : _("%s: larger than 256 MiB"), path);
		fclose(f);
		free(p);
		return cli_fail(cli, &err);
	}
	fclose(f);
	*data = p;
	*len = n;
	return 0;
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
	if (rep->ignored[0])
		fprintf(stderr, _("cimic: import: not imported: %s\n"), cli_safe(rep->ignored));
}

int
cmd_import(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "format", required_argument, NULL, 'f' }, { "what", required_argument, NULL, 'w' },
		{ "help", no_argument, NULL, 'h' }, { NULL, 0, NULL, 0 },
	};
	struct formats_import_opts o = { 0 };
	struct formats_import_report rep;
	struct cimic_error err;
	size_t len = 0;
	char *data = NULL;
	int opt, rc;

	cli->cmd = "import";
	optind = 1;
	while ((opt = getopt_long(argc, argv, "f:w:h", opts, NULL)) != -1) {
		switch (opt) {
		case 'f':
			o.format = formats_kind_parse(optarg);
			if (o.format == 0 || o.format == FORMAT_GEOJSON)
				return cli_usage(cli, _("unknown format '%s' (csv, hxl, vcard, json, geonames)"),
						 optarg);
			break;
		case 'w':
			if (strncmp(optarg, "contact", 7) == 0)
				o.what = MODEL_CONTACT;
			else if (strncmp(optarg, "incident", 8) == 0)
				o.what = MODEL_INCIDENT;
			else
				return cli_usage(cli, _("--what is contacts or incidents"));
			break;
		case 'h': return import_help();
		default: return cli_usage(cli, _("unknown or incomplete option '%s'"), argv[optind - 1]);
		}
	}
	if (o.format == 0)
		return cli_usage(cli, _("say which --format"));
	if (optind + 1 != argc)
		return cli_usage(cli, _("expected one FILE"));
	if ((rc = import_slurp(cli, argv[optind], &data, &len)) != 0)
		return rc;
	if ((rc = cli_open(cli)) != 0) {
		free(data);
		return rc;
	}
	o.now_ms = timefmt_now_ms();
	rc = formats_import(cli->st, &o, data, len, &rep, &err);
	free(data);
	if (rc != 0) {
		cimic_error_prefix(&err, "%s", argv[optind]);
		return cli_fail(cli, &err);
	}
	import_summary(&o, &rep);
	return 0;
}
