/* test-model.c - field validation, record writes and reads, ids, links, merges. */
#include <stdlib.h>
#include <string.h>

#include "cimic/model.h"
#include "cimic/oplog.h"
#include "cimic/geo.h"
#include "support.h"
#include "tap.h"

static void
test_parse(void)
{
	static const struct {
		enum model_kind kind;
		const char *field, *input;
		int ok;
		const char *canon;   /* text form expected, NULL to skip */
	} cases[] = {
		{ MODEL_INCIDENT, "severity", "3", 1, NULL },
		{ MODEL_INCIDENT, "severity", "0", 0, NULL },
		{ MODEL_INCIDENT, "severity", "6", 0, NULL },
		{ MODEL_INCIDENT, "severity", "3.5", 0, NULL },
		{ MODEL_INCIDENT, "severity", " 3", 0, NULL },
		{ MODEL_INCIDENT, "killed", "0", 1, NULL },
		{ MODEL_INCIDENT, "killed", "-1", 0, NULL },
		{ MODEL_INCIDENT, "killed", "99999999999999999999", 0, NULL },
		{ MODEL_INCIDENT, "type", "uxo", 1, "uxo" },
		{ MODEL_INCIDENT, "type", "unexploded ordnance", 1, "uxo" },
		{ MODEL_INCIDENT, "type", "bomb", 0, NULL },
		{ MODEL_INCIDENT, "status", "in_progress", 1, "in_progress" },
		{ MODEL_INCIDENT, "reliability", "b", 1, "B" },
		{ MODEL_INCIDENT, "reliability", "G", 0, NULL },
		{ MODEL_INCIDENT, "reliability", "AB", 0, NULL },
		{ MODEL_INCIDENT, "credibility", "6", 1, "6" },
		{ MODEL_INCIDENT, "credibility", "7", 0, NULL },
		{ MODEL_INCIDENT, "location", "50.4501,30.5234", 1, "50.45010,30.52340" },
		{ MODEL_INCIDENT, "location", "37U DQ 12345 67890", 1, NULL },
		{ MODEL_INCIDENT, "location", "somewhere", 0, NULL },
		{ MODEL_INCIDENT, "location", "91,30", 0, NULL },
		{ MODEL_INCIDENT, "when", "241330ZNOV26", 1, "241330ZNOV26" },
		{ MODEL_INCIDENT, "when", "2026-11-24T15:30", 1, "241330ZNOV26" },
		{ MODEL_INCIDENT, "when", "yesterday-ish", 0, NULL },
		{ MODEL_INCIDENT, "title", "Пошкоджено водогін", 1, "Пошкоджено водогін" },
		{ MODEL_INCIDENT, "title", "two\nlines", 0, NULL },
		{ MODEL_INCIDENT, "title", "bad \xc3\x28 utf8", 0, NULL },
		{ MODEL_INCIDENT, "description", "many\nlines are fine", 1, NULL },
		{ MODEL_CONTACT, "category", "ngo", 1, "ngo" },
		{ MODEL_CONTACT, "category", "NGO", 1, "ngo" },
		{ MODEL_CONTACT, "category", "army", 0, NULL },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		const struct model_field *f = model_field_by_name(cases[i].kind, cases[i].field);
		struct model_value v;
		struct cimic_error err;
		int rc = model_parse_value(f, cases[i].input, 0, &v, &err);
		char shown[64];
		/* TAP lines must stay single lines */
		snprintf(shown, sizeof shown, "%s", cases[i].input);
		for (char *p = shown; *p; p++)
			if (*p == '\n')
				*p = '|';
		if (cases[i].ok) {
			ok(rc == 0, "%s '%s' accepted", cases[i].field, shown);
			if (rc == 0 && cases[i].canon) {
				char *t = model_value_text(f, &v, false);
				is_str(t, cases[i].canon, "%s '%s' canonical form", cases[i].field, shown);
				free(t);
			}
		} else {
			ok(rc != 0 && err.code == CIMIC_EDATA && strchr(err.msg, '\n') == NULL &&
				   strstr(err.msg, cases[i].field) != NULL,
			   "%s '%s' refused with one line naming the field", cases[i].field, shown);
		}
		model_value_finish(&v);
	}
	{
		struct model_value v;
		struct cimic_error err;
		char *big = malloc(20000);
		memset(big, 'a', 19999);
		big[19999] = '\0';
		ok(model_parse_value(model_field_by_name(MODEL_CONTACT, "name"), big, 0, &v, &err) != 0,
		   "over-long text refused");
		free(big);
	}
}

static int
collect_titles(const struct model_record *r, void *arg)
{
	struct buf *b = arg;
	const struct model_value *v = model_record_get(r, r->kind == MODEL_CONTACT ? "name" : "title");

	buf_adds(b, v && v->s ? v->s : "?");
	buf_addc(b, ';');
	return 0;
}

static void
create(struct store *st, enum model_kind kind, const char *const *kv, unsigned char id[16])
{
	struct oplog_txn *txn;
	struct model_change c;
	struct cimic_error err;

	oplog_begin(st, &txn, &err);
	model_change_init(&c, kind);
	for (; kv[0]; kv += 2)
		if (model_change_parse(&c, kv[0], kv[1], 0, &err) != 0)
			tap_diag("parse %s: %s", kv[0], err.msg);
	if (model_create(txn, &c, id, &err) != 0)
		tap_diag("create: %s", err.msg);
	model_change_finish(&c);
	oplog_commit(txn, &err);
}

static void
test_records(void)
{
	char *dir;
	struct store *st = test_store("Unit", NODE_FIELD, &dir);
	unsigned char a[16], b[16], c1[16], c2[16], got[16];
	struct model_record rec;
	struct cimic_error err;
	struct oplog_txn *txn;
	struct model_change ch;
	struct model_query q = { .kind = MODEL_INCIDENT, .sort = SORT_SEVERITY };
	struct buf out;
	long entries0, ops0, entries1, ops1, n;
	char hex[33];

	create(st, MODEL_INCIDENT, (const char *const[]){ "title", "Low", "severity", "1", "when",
		"2026-11-01T10:00Z", NULL }, a);
	create(st, MODEL_INCIDENT, (const char *const[]){ "title", "High", "severity", "5", "when",
		"2026-11-02T10:00Z", "type", "medical", NULL }, b);
	create(st, MODEL_CONTACT, (const char *const[]){ "name", "Олена", NULL }, c1);
	create(st, MODEL_CONTACT, (const char *const[]){ "name", "Олена К.", NULL }, c2);

	model_record_init(&rec, MODEL_INCIDENT);
	ok(model_get(st, MODEL_INCIDENT, a, &rec, &err) == 0, "get");
	is_str(model_record_get(&rec, "type")->s, "other", "type defaults to other");
	is_str(model_record_get(&rec, "status")->s, "reported", "status defaults to reported");
	is_str(rec.author_unit, "Unit", "author unit");
	model_record_finish(&rec);

	buf_init(&out);
	model_list(st, &q, collect_titles, &out, &err);
	is_str(buf_cstr(&out), "High;Low;", "sort by severity");
	out.len = 0;
	q.sort = SORT_OLDEST;
	model_list(st, &q, collect_titles, &out, &err);
	is_str(buf_cstr(&out), "Low;High;", "sort oldest first");
	out.len = 0;
	q.type = "medical";
	model_list(st, &q, collect_titles, &out, &err);
	is_str(buf_cstr(&out), "High;", "filter by type");
	q.type = NULL;
	q.min_severity = 2;
	model_count(st, &q, &n, &err);
	is_int(n, 1, "count with minimum severity");

	/* an edit that changes nothing writes nothing */
	oplog_stats(st, &entries0, &ops0, &err);
	oplog_begin(st, &txn, &err);
	model_change_init(&ch, MODEL_INCIDENT);
	model_change_parse(&ch, "title", "Low", 0, &err);
	model_update(txn, a, &ch, &err);
	model_change_finish(&ch);
	oplog_commit(txn, &err);
	oplog_stats(st, &entries1, &ops1, &err);
	is_int(ops1, ops0, "an edit to the same value writes no op");
	is_int(entries1, entries0, "and no entry");

	/* required fields cannot be cleared */
	oplog_begin(st, &txn, &err);
	model_change_init(&ch, MODEL_INCIDENT);
	model_change_parse(&ch, "title", "", 0, &err);
	ok(model_update(txn, a, &ch, &err) != 0, "title cannot be cleared");
	model_change_finish(&ch);
	oplog_abort(txn);

	/* ids by prefix */
	util_hex(a, 16, hex);
	hex[8] = '\0';
	ok(model_resolve_id(st, MODEL_INCIDENT, hex, got, &err) == 0 && memcmp(got, a, 16) == 0,
	   "resolve an 8-digit prefix");
	ok(model_resolve_id(st, MODEL_INCIDENT, "abc", got, &err) != 0 && err.code == CIMIC_EUSAGE,
	   "3 digits are too few");
	ok(model_resolve_id(st, MODEL_CONTACT, hex, got, &err) != 0 && err.code == CIMIC_ENOINPUT,
	   "an incident id is not a contact");

	/* links */
	oplog_begin(st, &txn, &err);
	ok(model_link(txn, a, c1, true, &err) == 0, "link");
	ok(model_link(txn, a, c1, true, &err) == 0, "linking twice is harmless");
	oplog_commit(txn, &err);
	out.len = 0;
	model_linked(st, MODEL_INCIDENT, a, collect_titles, &out, &err);
	is_str(buf_cstr(&out), "Олена;", "linked contact");
	out.len = 0;
	model_linked(st, MODEL_CONTACT, c1, collect_titles, &out, &err);
	is_str(buf_cstr(&out), "Low;", "linked incident, seen from the contact");

	/* merge and unmerge */
	oplog_begin(st, &txn, &err);
	ok(model_merge_record(txn, MODEL_CONTACT, c2, c1, &err) == 0, "merge a duplicate");
	ok(model_merge_record(txn, MODEL_CONTACT, c1, c1, &err) != 0, "not into itself");
	oplog_commit(txn, &err);
	q = (struct model_query){ .kind = MODEL_CONTACT };
	model_count(st, &q, &n, &err);
	is_int(n, 1, "merged contact leaves the list");
	model_record_init(&rec, MODEL_CONTACT);
	model_get(st, MODEL_CONTACT, c2, &rec, &err);
	ok(rec.merged && memcmp(rec.merged_into, c1, 16) == 0, "loser records its winner");
	model_record_finish(&rec);
	oplog_begin(st, &txn, &err);
	ok(model_unmerge_record(txn, MODEL_CONTACT, c2, &err) == 0, "unmerge");
	oplog_commit(txn, &err);
	model_count(st, &q, &n, &err);
	is_int(n, 2, "and it is back");

	/* JSON is well formed with awkward text */
	create(st, MODEL_CONTACT, (const char *const[]){ "name", "Quote \" back\\slash \x01 ctl", NULL },
	       c2);
	model_record_init(&rec, MODEL_CONTACT);
	model_get(st, MODEL_CONTACT, c2, &rec, &err);
	out.len = 0;
	model_record_json(&rec, &out);
	ok(strstr(buf_cstr(&out), "Quote \\\" back\\\\slash \\u0001 ctl") != NULL, "JSON escapes");
	model_record_finish(&rec);
	buf_finish(&out);
	store_close(st);
	test_rmdir(dir);
}

/* The HQ filters (settlement folded, area, unit, since) and where a record stands in a list. */
static void
test_filters(void)
{
	char *dir;
	struct store *st = test_store("Група Схід", NODE_FIELD, &dir);
	struct geo_area kyiv = { 50.0, 30.0, 51.0, 31.0 };
	unsigned char a[16], b[16], c[16];
	struct cimic_error err;
	struct buf out;
	long n, pos = -1;
	static const struct {
		const char *settlement, *unit;
		bool area;
		int64_t since;
		const char *want;
	} cases[] = {
		{ "київ", NULL, false, 0, "Nov 3;Nov 1;" },
		{ "КИЇВ", NULL, false, 0, "Nov 3;Nov 1;" },
		{ "Харків", NULL, false, 0, "Nov 2;" },
		{ NULL, NULL, true, 0, "Nov 3;Nov 1;" },
		{ NULL, "група схід", false, 0, "Nov 3;Nov 2;Nov 1;" },
		{ NULL, "Інший", false, 0, "" },
		{ NULL, NULL, false, 1793534400000, "Nov 3;Nov 2;" },   /* 2026-11-01T12:00Z */
		{ "Київ", "Група Схід", true, 1793534400000, "Nov 3;" },
	};

	create(st, MODEL_INCIDENT, (const char *const[]){ "title", "Nov 1", "settlement", "Київ",
		"location", "50.45,30.52", "when", "2026-11-01T10:00Z", NULL }, a);
	create(st, MODEL_INCIDENT, (const char *const[]){ "title", "Nov 2", "settlement", "Харків",
		"location", "49.99,36.23", "when", "2026-11-02T10:00Z", NULL }, b);
	create(st, MODEL_INCIDENT, (const char *const[]){ "title", "Nov 3", "settlement", "київ",
		"location", "50.40,30.60", "when", "2026-11-03T10:00Z", NULL }, c);
	buf_init(&out);
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct model_query q = { .kind = MODEL_INCIDENT, .sort = SORT_NEWEST,
					 .settlement = cases[i].settlement, .unit = cases[i].unit,
					 .area = cases[i].area ? &kyiv : NULL, .since_ms = cases[i].since };
		out.len = 0;
		ok(model_list(st, &q, collect_titles, &out, &err) == 0, "filter %zu lists", i);
		is_str(buf_cstr(&out), cases[i].want, "filter %zu: settlement %s, unit %s, area %d, since %lld",
		       i, cases[i].settlement ? cases[i].settlement : "-", cases[i].unit ? cases[i].unit : "-",
		       cases[i].area, (long long)cases[i].since);
		model_count(st, &q, &n, &err);
		is_int(n, (long)(strlen(cases[i].want) / 6), "filter %zu counts what it lists", i);
	}
	{
		struct model_query q = { .kind = MODEL_INCIDENT, .sort = SORT_NEWEST };
		ok(model_position(st, &q, a, &pos, &err) == 1 && pos == 2, "the oldest stands third");
		q.sort = SORT_OLDEST;
		ok(model_position(st, &q, a, &pos, &err) == 1 && pos == 0, "and first, oldest first");
		q.settlement = "Харків";
		ok(model_position(st, &q, a, &pos, &err) == 0, "a record the query leaves out is not found");
	}
	buf_finish(&out);
	store_close(st);
	test_rmdir(dir);
}

int
main(void)
{
	if (sodium_init() < 0)
		return 99;
	test_parse();
	test_records();
	test_filters();
	return done_testing();
}
