/* cmd-search.c - `cimic search QUERY [--json] [--contacts|--incidents] [--all]`. */
#include <stdlib.h>
#include <string.h>

#include "cimic/i18n.h"
#include "cimic/search.h"
#include "commands.h"

struct hits {
	bool json;
	int n;
	struct buf out;
};

static int
print_hit(const struct search_hit *h, void *arg)
{
	struct hits *hs = arg;
	char hex[CIMIC_ID_HEX];

	util_hex(h->id, CIMIC_ID_BYTES, hex);
	if (hs->json) {
		char rank[32];
		if (hs->n > 0)
			buf_addc(&hs->out, ',');
		buf_printf(&hs->out, "{\"kind\":\"%s\",\"id\":\"%s\",\"title\":", model_kind_name(h->kind),
			   hex);
		buf_json_str(&hs->out, h->title);
		buf_adds(&hs->out, ",\"snippet\":");
		buf_json_str(&hs->out, h->snippet);
		/* the rank is a double; print it without the locale's decimal comma */
		snprintf(rank, sizeof rank, "%lld", (long long)(h->rank * -1000000.0));
		buf_printf(&hs->out, ",\"score\":%s}", rank);
	} else {
		hex[8] = '\0';
		printf("%s  %-8s ", hex, h->kind == MODEL_CONTACT ? _("contact") : _("incident"));
		cli_print_cell(stdout, h->title, 40);
		printf("  %s\n", cli_safe(h->snippet));
	}
	hs->n++;
	return 0;
}

/* The limit cut the results: say how many there are (stderr, so --json stays one document). */
static int
say_capped(struct cli *cli, const char *q, enum model_kind kind, bool all, int shown,
	   struct cimic_error *err)
{
	char a[32], b[32];
	long total;

	if (search_count(cli->st, q, kind, all, &total, err) != 0)
		return -1;
	if (total > shown) {
		cli_count_text(shown, a, sizeof a);
		cli_count_text(total, b, sizeof b);
		fprintf(stderr, _("cimic: search: %s of %s results shown (--limit N for more)\n"), a, b);
	}
	return 0;
}

int
cmd_search(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'j' }, { "contacts", no_argument, NULL, 'c' },
		{ "incidents", no_argument, NULL, 'i' }, { "all", no_argument, NULL, 'a' },
		{ "limit", required_argument, NULL, 'n' }, { "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct hits hs = { 0 };
	struct cimic_error err;
	enum model_kind kind = 0;
	bool all = false;
	int opt, limit = 50, rc;
	struct buf q;

	optind = 1;
	opterr = 0;
	while ((opt = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (opt) {
		case 'j': hs.json = true; break;
		case 'c': kind = MODEL_CONTACT; break;
		case 'i': kind = MODEL_INCIDENT; break;
		case 'a': all = true; break;
		case 'n': limit = atoi(optarg); if (limit <= 0 || limit > 10000) return cli_usage(cli, _("bad --limit")); break;
		case 'h':
			printf("%s", _("Usage: cimic search [--json] [--contacts|--incidents] [--all] [--limit N] WORDS...\n"
				       "Words match as prefixes, in any case, Cyrillic or Latin; any apostrophe matches any other.\n"
				       "A word is also found inside compounds (водоканал: Харківводоканал), in the other\n"
				       "script (kharkiv: Харків), in other case forms (водогону: водогін); a phone number\n"
				       "by its digits whatever the spacing and prefix (0577314401: +380 57 731 4401).\n"));
			return 0;
		default: return cli_usage(cli, _("unknown or incomplete option '%s'"), argv[optind - 1]);
		}
	}
	if (optind >= argc)
		return cli_usage(cli, _("what should I search for?"));
	buf_init(&q);
	for (int i = optind; i < argc; i++) {
		buf_adds(&q, argv[i]);
		buf_addc(&q, ' ');
	}
	if ((rc = cli_open(cli)) != 0) {
		buf_finish(&q);
		return rc;
	}
	buf_init(&hs.out);
	if (hs.json)
		buf_addc(&hs.out, '[');
	rc = search_query(cli->st, buf_cstr(&q), kind, all, limit, print_hit, &hs, &err);
	if (rc == 0 && hs.n == limit)
		rc = say_capped(cli, buf_cstr(&q), kind, all, hs.n, &err);
	buf_finish(&q);
	if (rc != 0) {
		buf_finish(&hs.out);
		return cli_fail(cli, &err);
	}
	if (hs.json) {
		buf_adds(&hs.out, "]\n");
		fwrite(hs.out.data, 1, hs.out.len, stdout);
	} else if (hs.n == 0) {
		fprintf(stderr, "%s\n", _("nothing found"));
	}
	buf_finish(&hs.out);
	return 0;
}
