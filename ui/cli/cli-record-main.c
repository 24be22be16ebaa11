/* cli-record-main.c - dispatch and help of `cimic contact|incident SUBCOMMAND`. */
#include <string.h>

#include "cimic/i18n.h"
#include "cimic/oplog.h"
#include "cli-record.h"

void
cli_record_help(enum model_kind kind, FILE *f)
{
	size_t n;
	const struct model_field *fl = model_fields(kind, &n);
	const char *k = model_kind_name(kind);

	/*
	 * Never true, but without it GCC 12 under -fsanitize=nonnull-attribute
	 * sees a path calling fprintf(NULL, ...) and fails -Wformat-overflow.
	 */
	if (f == NULL)
		return;

	fprintf(f, _("Usage: cimic %s add --%s TEXT [--FIELD VALUE]...\n"), k,
		kind == MODEL_CONTACT ? "name" : "title");
	fprintf(f, _("       cimic %s list [--json] [--all|--archived] [--type CODE] [--since WHEN]\n"
		     "                 [--severity MIN] [--status CODE] [--sort newest|oldest|name|severity|updated]\n"
		     "                 [--limit N] [--unit NAME] [--settlement NAME] [--area S,W,N,E]\n"), k);
	fprintf(f, _("       cimic %s show ID [--json]\n"), k);
	fprintf(f, _("       cimic %s edit ID --FIELD VALUE...   (an empty VALUE clears the field)\n"), k);
	fprintf(f, _("       cimic %s rm ID [--restore]           (archive, or undo the archive)\n"), k);
	fprintf(f, _("       cimic %s duplicates [--json] | duplicates --dismiss|--undismiss A B   (HQ)\n"), k);
	fprintf(f, _("       cimic %s merge LOSER WINNER | %s unmerge ID   (duplicates, HQ)\n"), k, k);
	fprintf(f, "\n%s\n", _("Fields:"));
	for (size_t i = 0; i < n; i++) {
		if (!fl[i].user)
			continue;
		fprintf(f, "  --%-13s %s", fl[i].name, _(fl[i].label));
		switch (fl[i].type) {
		case FT_CODE: {
			fprintf(f, ": ");
			for (size_t j = 0; j < fl[i].codes->count; j++)
				fprintf(f, "%s%s", j ? ", " : "", fl[i].codes->items[j].code);
			break;
		}
		case FT_INT: fprintf(f, " (%lld-%lld)", (long long)fl[i].min, (long long)fl[i].max); break;
		case FT_TIME: fprintf(f, "%s", _(" (ISO 8601 or DTG like 241330ZNOV26; default now)")); break;
		case FT_LOCATION: fprintf(f, "%s", _(" (MGRS like 37U DQ 12345 67890, or lat,lon)")); break;
		case FT_RELIABILITY: fprintf(f, " (A-F)"); break;
		case FT_CREDIBILITY: fprintf(f, " (1-6)"); break;
		default: break;
		}
		fputc('\n', f);
	}
	if (kind == MODEL_INCIDENT)
		fprintf(f, "  --%-13s %s\n", "contact", _("link a contact (id) when adding"));
	fprintf(f, "\n%s\n", _("IDs may be shortened to any unique prefix of 4 or more hex digits."));
}

int
cli_record_main(struct cli *cli, enum model_kind kind, int argc, char **argv)
{
	static const struct {
		const char *name;
		int (*fn)(struct cli *, enum model_kind, int, char **);
	} subs[] = {
		{ "add", cli_record_add }, { "list", cli_record_list }, { "ls", cli_record_list },
		{ "show", cli_record_show }, { "edit", cli_record_edit }, { "rm", cli_record_rm },
		{ "archive", cli_record_rm },
	};
	char cmd[64];

	if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
	    strcmp(argv[1], "help") == 0) {
		cli_record_help(kind, argc < 2 ? stderr : stdout);
		return argc < 2 ? CIMIC_EUSAGE : 0;
	}
	for (size_t i = 0; i < sizeof subs / sizeof subs[0]; i++) {
		if (strcmp(argv[1], subs[i].name) != 0)
			continue;
		snprintf(cmd, sizeof cmd, "%s %s", model_kind_name(kind), subs[i].name);
		cli->cmd = cmd;
		if (cli_wants_help(argc - 1, argv + 1)) {
			cli_record_help(kind, stdout);
			return 0;
		}
		return subs[i].fn(cli, kind, argc - 1, argv + 1);
	}
	return cli_usage(cli, _("unknown subcommand '%s'"), argv[1]);
}
