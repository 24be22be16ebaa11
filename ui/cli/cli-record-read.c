/*
 * cli-record-read.c - `list` and `show` for contacts and incidents,
 * as aligned text for people or as one JSON document (--json).
 */
#include <stdlib.h>
#include <string.h>

#include "cimic/geo.h"
#include "cimic/duplicates.h"
#include "cimic/i18n.h"
#include "cimic/oplog.h"
#include "cimic/timefmt.h"
#include "cli-record.h"

enum { O_JSON = 900, O_ALL, O_ARCHIVED, O_TYPE, O_STATUS, O_MINSEV, O_SINCE, O_SORT, O_LIMIT,
       O_SETTLEMENT, O_UNIT, O_AREA };

static const struct option list_options[] = {
	{ "json", no_argument, NULL, O_JSON },
	{ "all", no_argument, NULL, O_ALL },
	{ "archived", no_argument, NULL, O_ARCHIVED },
	{ "type", required_argument, NULL, O_TYPE },
	{ "category", required_argument, NULL, O_TYPE },
	{ "status", required_argument, NULL, O_STATUS },
	{ "severity", required_argument, NULL, O_MINSEV },
	{ "since", required_argument, NULL, O_SINCE },
	{ "sort", required_argument, NULL, O_SORT },
	{ "limit", required_argument, NULL, O_LIMIT },
	{ "settlement", required_argument, NULL, O_SETTLEMENT },
	{ "unit", required_argument, NULL, O_UNIT },
	{ "area", required_argument, NULL, O_AREA },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

struct list_state {
	bool json;
	long count;
	struct buf out;
	struct geo_area area;      /* q.area points here */
};

static const char *
short_id(const unsigned char id[CIMIC_ID_BYTES], char *buf)
{
	util_hex(id, 4, buf);
	return buf;
}

static const char *
text_of(const struct model_record *r, const char *name)
{
	const struct model_value *v = model_record_get(r, name);
	return v && v->type == MV_TEXT ? v->s : "";
}

static int
list_row(const struct model_record *r, void *arg)
{
	struct list_state *ls = arg;
	char id[9], when[24], sev[4];
	const struct model_value *v;

	if (ls->json) {
		if (ls->count > 0)
			buf_addc(&ls->out, ',');
		model_record_json(r, &ls->out);
		ls->count++;
		return 0;
	}
	ls->count++;
	printf("%s  ", short_id(r->id, id));
	if (r->kind == MODEL_INCIDENT) {
		v = model_record_get(r, "when");
		if (v && v->type == MV_INT)
			timefmt_dtg(v->i, when, sizeof when);
		else
			strcpy(when, "-");
		v = model_record_get(r, "severity");
		if (v && v->type == MV_INT)
			snprintf(sev, sizeof sev, "%d", (int)v->i);
		else
			strcpy(sev, "-");
		cli_print_cell(stdout, when, 13);
		cli_print_cell(stdout, sev, 2);
		cli_print_cell(stdout, codes_label(&codes_incident_type, text_of(r, "type")), 22);
		cli_print_cell(stdout, text_of(r, "title"), 40);
		printf(" ");
		cli_print_cell(stdout, text_of(r, "settlement"), 16);
		printf(" %s", cli_safe(r->author_unit));
	} else {
		cli_print_cell(stdout, text_of(r, "name"), 28);
		cli_print_cell(stdout, text_of(r, "org"), 26);
		cli_print_cell(stdout, codes_label(&codes_contact_category, text_of(r, "category")), 20);
		cli_print_cell(stdout, text_of(r, "phone"), 16);
		cli_print_cell(stdout, text_of(r, "settlement"), 16);
		printf("%s", cli_safe(r->author_unit));
	}
	if (r->archived)
		printf("  [%s]", _("archived"));
	if (r->conflicts)
		printf("  [%s]", _("conflict"));
	putchar('\n');
	return 0;
}

static int
parse_sort(const char *s, enum model_sort *out)
{
	static const struct { const char *name; enum model_sort sort; } sorts[] = {
		{ "newest", SORT_NEWEST }, { "oldest", SORT_OLDEST }, { "name", SORT_NAME },
		{ "title", SORT_NAME }, { "severity", SORT_SEVERITY }, { "updated", SORT_UPDATED },
	};
	for (size_t i = 0; i < sizeof sorts / sizeof sorts[0]; i++)
		if (strcmp(s, sorts[i].name) == 0) {
			*out = sorts[i].sort;
			return 0;
		}
	return -1;
}

static int
list_option(struct cli *cli, struct model_query *q, struct list_state *ls, int opt, const char *arg)
{
	struct cimic_error err;
	char *end;
	long v;

	switch (opt) {
	case O_JSON: ls->json = true; return 0;
	case O_ALL: q->include_archived = true; q->include_merged = true; return 0;
	case O_ARCHIVED: q->only_archived = true; return 0;
	case O_STATUS: q->status = arg; return 0;
	case O_SETTLEMENT: q->settlement = arg; return 0;
	case O_UNIT: q->unit = arg; return 0;
	case O_AREA:
		if (geo_parse_area(arg, &ls->area, &err) != 0)
			return cli_usage(cli, "%s", err.msg);
		q->area = &ls->area;
		return 0;
	case O_TYPE: {
		const struct code_item *it = codes_find(q->kind == MODEL_INCIDENT ? &codes_incident_type
										 : &codes_contact_category, arg);
		if (it == NULL)
			return cli_usage(cli, _("unknown type or category '%s'"), arg);
		q->type = it->code;
		return 0;
	}
	case O_MINSEV:
	case O_LIMIT:
		v = strtol(arg, &end, 10);
		if (*arg == '\0' || *end != '\0' || v < 0 || v > 1000000 || (opt == O_MINSEV && v > 5))
			return cli_usage(cli, _("'%s' is not a valid number here"), arg);
		if (opt == O_MINSEV)
			q->min_severity = (int)v;
		else
			q->limit = (int)v;
		return 0;
	case O_SINCE:
		if (timefmt_parse(arg, timefmt_now_ms(), &q->since_ms, &err) != 0)
			return cli_fail(cli, &err);
		return 0;
	case O_SORT:
		if (parse_sort(arg, &q->sort) != 0)
			return cli_usage(cli, _("unknown sort '%s' (newest, oldest, name, severity, updated)"),
					 arg);
		return 0;
	case 'h':
		return 0;
	}
	return cli_usage(cli, _("unknown or incomplete option '%s'"), arg ? arg : "");
}

/* "--limit" cut the list: say how much more there is (stderr, so --json stays one document). */
static int
say_capped(struct cli *cli, const struct model_query *q, long shown)
{
	struct cimic_error err;
	char a[32], b[32];
	long total;

	if (model_count(cli->st, q, &total, &err) != 0)
		return cli_fail(cli, &err);
	if (total > shown) {
		cli_count_text(shown, a, sizeof a);
		cli_count_text(total, b, sizeof b);
		fprintf(stderr, _("cimic: %s: %s of %s shown (--limit)\n"), cli->cmd, a, b);
	}
	return 0;
}

int
cli_record_list(struct cli *cli, enum model_kind kind, int argc, char **argv)
{
	struct model_query q = { .kind = kind };
	struct list_state ls = { 0 };
	struct cimic_error err;
	int opt, rc = 0;

	optind = 1;
	opterr = 0;
	while (rc == 0 && (opt = getopt_long(argc, argv, "h", list_options, NULL)) != -1)
		rc = opt == '?' ? cli_usage(cli, _("unknown or incomplete option '%s'"), argv[optind - 1])
				: list_option(cli, &q, &ls, opt, optarg);
	if (rc == 0 && optind < argc)
		rc = cli_usage(cli, _("unexpected argument '%s'"), argv[optind]);
	if (rc != 0 || (rc = cli_open(cli)) != 0)
		return rc;
	buf_init(&ls.out);
	if (ls.json)
		buf_addc(&ls.out, '[');
	if (model_list(cli->st, &q, list_row, &ls, &err) != 0) {
		buf_finish(&ls.out);
		return cli_fail(cli, &err);
	}
	if (ls.json) {
		buf_adds(&ls.out, "]\n");
		fwrite(ls.out.data, 1, ls.out.len, stdout);
	} else if (ls.count == 0) {
		fprintf(stderr, kind == MODEL_INCIDENT ? _("no incidents\n") : _("no contacts\n"));
	}
	buf_finish(&ls.out);
	return q.limit > 0 && ls.count == q.limit ? say_capped(cli, &q, ls.count) : 0;
}

/* ---- show ---- */

struct show_state {
	bool json;
	int n;
	struct buf *out;
};

static int
show_linked(const struct model_record *r, void *arg)
{
	struct show_state *ss = arg;
	char id[9];

	if (ss->json) {
		if (ss->n++ > 0)
			buf_addc(ss->out, ',');
		model_record_json(r, ss->out);
		return 0;
	}
	if (ss->n++ == 0)
		printf("\n%s\n", r->kind == MODEL_CONTACT ? _("Linked contacts:") : _("Linked incidents:"));
	printf("  %s  %s\n", short_id(r->id, id),
	       cli_safe(text_of(r, r->kind == MODEL_CONTACT ? "name" : "title")));
	return 0;
}

/* What the records merged into r add: "Merged from" and the other values they hold. */
static void
show_merged_text(struct cli *cli, const struct model_record *r, const struct model_merged_view *mv)
{
	size_t n;
	const struct model_field *f = model_fields(r->kind, &n);
	char hex[CIMIC_ID_HEX];

	for (size_t i = 0; i < mv->nfrom; i++) {
		struct model_record m;
		struct cimic_error err;
		model_record_init(&m, r->kind);
		util_hex(mv->from[i], CIMIC_ID_BYTES, hex);
		if (model_get(cli->st, r->kind, mv->from[i], &m, &err) == 0)
			printf("%-22s %.8s  %s  %s\n", i == 0 ? _("Merged from:") : "", hex,
			       cli_safe(text_of(&m, r->kind == MODEL_CONTACT ? "name" : "title")),
			       cli_safe(m.author_unit));
		model_record_finish(&m);
	}
	if (mv->nalts)
		printf("%s\n", _("Also (from merged records):"));
	for (size_t i = 0; i < mv->nalts; i++) {
		util_hex(mv->alts[i].from, CIMIC_ID_BYTES, hex);
		printf("  %-20s %s  (%.8s)\n", _(f[mv->alts[i].field].label),
		       cli_safe_text(mv->alts[i].text), hex);
	}
}

static void
show_merged_json(const struct model_merged_view *mv, const struct model_record *r, struct buf *out)
{
	size_t n;
	const struct model_field *f = model_fields(r->kind, &n);
	char hex[CIMIC_ID_HEX];

	buf_adds(out, ",\"merged_from\":[");
	for (size_t i = 0; i < mv->nfrom; i++) {
		util_hex(mv->from[i], CIMIC_ID_BYTES, hex);
		buf_printf(out, "%s\"%s\"", i ? "," : "", hex);
	}
	buf_adds(out, "],\"alternatives\":[");
	for (size_t i = 0; i < mv->nalts; i++) {
		util_hex(mv->alts[i].from, CIMIC_ID_BYTES, hex);
		buf_printf(out, "%s{\"field\":\"%s\",\"value\":", i ? "," : "", f[mv->alts[i].field].name);
		buf_json_str(out, mv->alts[i].text);
		buf_printf(out, ",\"from\":\"%s\"}", hex);
	}
	buf_addc(out, ']');
}

static void
show_text(struct cli *cli, const struct model_record *r)
{
	size_t n;
	const struct model_field *f = model_fields(r->kind, &n);
	char hex[CIMIC_ID_HEX], buf[48];

	util_hex(r->id, sizeof r->id, hex);
	printf("%-22s %s\n", _("Id:"), hex);
	for (size_t i = 0; i < n; i++) {
		char *t;
		if (r->v[i].type == MV_NULL || f[i].type == FT_FLAG)
			continue;
		t = model_value_text(&f[i], &r->v[i], true);
		printf("%-22s ", _(f[i].label));
		if (f[i].type == FT_TIME) {
			timefmt_local(r->v[i].i, buf, sizeof buf);
			printf("%s  (%s)\n", cli_safe(t), buf);
		} else if (f[i].type == FT_LOCATION && r->has_location) {
			struct geo_point p = { r->lat, r->lon };
			if (geo_to_mgrs(p, 4, true, buf, sizeof buf, NULL) != 0)
				buf[0] = '\0';
			printf("%s  %s\n", cli_safe(t), buf);
		} else {
			printf("%s\n", cli_safe_text(t));
		}
		free(t);
	}
	if (r->archived)
		printf("%-22s %s\n", _("State:"), _("archived"));
	timefmt_dtg(r->created_ms, buf, sizeof buf);
	printf("%-22s %s  %s\n", _("Created:"), buf, cli_safe(r->author_unit));
	timefmt_dtg(r->updated_ms, buf, sizeof buf);
	printf("%-22s %s\n", _("Updated:"), buf);
	if (r->conflicts)
		printf(P_("%d field in conflict: see 'cimic conflicts'\n",
			  "%d fields in conflict: see 'cimic conflicts'\n", r->conflicts),
		       r->conflicts);
	(void)cli;
}

int
cli_record_show(struct cli *cli, enum model_kind kind, int argc, char **argv)
{
	struct model_record rec;
	struct cimic_error err;
	struct buf out;
	struct show_state ss = { 0 };
	struct model_merged_view mv;
	unsigned char id[CIMIC_ID_BYTES];
	int opt, rc = 0;

	optind = 1;
	opterr = 0;
	while (rc == 0 && (opt = getopt_long(argc, argv, "h", list_options, NULL)) != -1) {
		if (opt == O_JSON)
			ss.json = true;
		else if (opt != 'h')
			rc = cli_usage(cli, _("unknown or incomplete option '%s'"), argv[optind - 1]);
	}
	if (rc == 0 && optind != argc - 1)
		rc = cli_usage(cli, _("give exactly one record id"));
	if (rc != 0 || (rc = cli_open(cli)) != 0)
		return rc;
	model_record_init(&rec, kind);
	if (model_resolve_id(cli->st, kind, argv[optind], id, &err) != 0 ||
	    model_get(cli->st, kind, id, &rec, &err) != 0 ||
	    model_merged_view(cli->st, &rec, &mv, &err) != 0) {
		model_record_finish(&rec);
		return cli_fail(cli, &err);
	}
	buf_init(&out);
	ss.out = &out;
	if (ss.json) {
		model_record_json(&rec, &out);
		out.len--;   /* reopen the object to add the merged records and the links */
		show_merged_json(&mv, &rec, &out);
		buf_adds(&out, ",\"linked\":[");
	} else {
		show_text(cli, &rec);
		show_merged_text(cli, &rec, &mv);
	}
	model_merged_view_finish(&mv);
	rc = model_linked(cli->st, kind, id, show_linked, &ss, &err);
	if (ss.json) {
		buf_adds(&out, "]}\n");
		fwrite(out.data, 1, out.len, stdout);
	}
	buf_finish(&out);
	model_record_finish(&rec);
	return rc != 0 ? cli_fail(cli, &err) : 0;
}
