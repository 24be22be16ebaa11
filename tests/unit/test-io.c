/*
 * test-io.c - data from other systems (DESIGN.md section 8): the forms
 * values take in other organisations' files, English and Ukrainian
 * headers, hashtags with attributes in any order, the streamed CSV reader
 * across chunk boundaries, and imports into real stores: the source's ids
 * as the source reference, rows repeated in a file as one record,
 * re-imports that write nothing, corrections of only the changed field,
 * dry runs, refused and skipped rows, kept columns, contact persons.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cimic/formats.h"
#include "cimic/oplog.h"
#include "cimic/search.h"
#include "cimic/timefmt.h"
#include "io.h"
#include "support.h"
#include "tap.h"

/* ---- values ---- */

struct time_case {
	const char *in;
	const char *want;   /* ISO UTC, or the start of the error */
	bool good;
};

static const struct time_case time_cases[] = {
	{ "2026-11-24T13:30:00Z", "2026-11-24T13:30:00Z", true },
	{ "2026-11-24 15:30", "2026-11-24T13:30:00Z", true },             /* Kyiv, winter */
	{ "2026-07-01", "2026-06-30T21:00:00Z", true },                   /* Kyiv, summer */
	{ "241330ZNOV26", "2026-11-24T13:30:00Z", true },
	{ "01.12.2026 22:10", "2026-12-01T20:10:00Z", true },
	{ "1.2.2026", "2026-01-31T22:00:00Z", true },
	{ "2026/11/24", "2026-11-23T22:00:00Z", true },
	{ "24/11/2026", "2026-11-23T22:00:00Z", true },
	{ "11/24/2026", "2026-11-23T22:00:00Z", true },
	{ "1 March 2015", "2015-02-28T22:00:00Z", true },
	{ "01-Mar-2015", "2015-02-28T22:00:00Z", true },
	{ "March 1, 2015 14:30", "2015-03-01T12:30:00Z", true },
	{ "Sept 3 2026", "2026-09-02T21:00:00Z", true },
	{ "1 березня 2015 р.", "2015-02-28T22:00:00Z", true },
	{ "2 ГРУДНЯ 2026", "2026-12-01T22:00:00Z", true },
	{ "2026-11-24 13:30:00 UTC", "2026-11-24T13:30:00Z", true },
	{ "24.11.2026 13:30 UTC", "2026-11-24T13:30:00Z", true },
	{ "  2026-11-24T13:30Z ", "2026-11-24T13:30:00Z", true },
	{ "03/04/2026", "'03/04/2026' could be either day/month or month/day", false },
	{ "31.02.2026", "no such date or time: 31.02.2026", false },
	{ "now", "'now' is not a date", false },
	{ "yesterday", "not a date or time", false },
	{ "32 March 2015", "no such date or time", false },
	{ "1 Smarch 2015", "not a date or time", false },
};

static void
test_times(void)
{
	for (size_t i = 0; i < sizeof time_cases / sizeof time_cases[0]; i++) {
		const struct time_case *c = &time_cases[i];
		struct cimic_error err;
		char iso[40];
		int64_t ms = 0;
		int rc = io_time_parse(c->in, &ms, &err);
		if (c->good) {
			timefmt_iso_utc(ms, iso, sizeof iso);
			if (rc != 0)
				snprintf(iso, sizeof iso, "error: %.30s", err.msg);
			is_str(iso, c->want, "time '%s'", c->in);
		} else {
			ok(rc != 0 && err.code == CIMIC_EDATA && strncmp(err.msg, c->want, strlen(c->want)) == 0,
			   "time '%s' refused: %s", c->in, rc ? err.msg : "(accepted)");
		}
	}
}

struct code_case {
	const struct code_list *list;
	const char *in, *want;   /* want NULL: not a code */
};

static const struct code_case code_cases[] = {
	{ &codes_incident_type, "uxo", "uxo" },
	{ &codes_incident_type, "Civilian harm", "civilian_harm" },
	{ &codes_incident_type, "CIVILIAN-HARM", "civilian_harm" },
	{ &codes_incident_type, "Power outage", "utility_outage" },
	{ &codes_incident_type, "Landmines", "uxo" },
	{ &codes_incident_type, "евакуація", "evacuation" },
	{ &codes_incident_type, "ВНП", NULL },
	{ &codes_incident_type, "Shelling", NULL },
	{ &codes_incident_status, "Open", "reported" },
	{ &codes_incident_status, "in progress", "in_progress" },
	{ &codes_incident_status, "Підтверджено", "verified" },
	{ &codes_contact_category, "UN agency", "un_agency" },
	{ &codes_contact_category, "Health", "health" },
	{ &codes_contact_category, "WASH", NULL },
};

struct text_case {
	char *(*fn)(const char *);
	const char *name, *in, *want;
};

static const struct text_case text_cases[] = {
	{ io_count_text, "count", "1 200", "1200" },
	{ io_count_text, "count", "1\xC2\xA0" "200", "1200" },
	{ io_count_text, "count", "1,200,300", "1200300" },
	{ io_count_text, "count", "12.0", "12" },
	{ io_count_text, "count", "1,2", "1,2" },
	{ io_count_text, "count", "12.5", "12.5" },
	{ io_count_text, "count", "many", "many" },
	{ io_coord_text, "coord", "48.5 37.5", "48.5,37.5" },
	{ io_coord_text, "coord", "48.5;37.5", "48.5,37.5" },
	{ io_coord_text, "coord", "POINT (37.5 48.5)", "48.5,37.5" },
	{ io_coord_text, "coord", "point(37.5 48.5)", "48.5,37.5" },
	{ io_coord_text, "coord", "48.5, 37.5", "48.5, 37.5" },
	{ io_coord_text, "coord", "37U DQ 12345 67890", "37U DQ 12345 67890" },
	{ io_coord_text, "coord", "48.5", "48.5" },
	{ io_degree_text, "degree", "48,5", "48.5" },
	{ io_degree_text, "degree", "48.5", "48.5" },
	{ io_degree_text, "degree", "1,2,3", "1,2,3" },
};

static void
test_values(void)
{
	for (size_t i = 0; i < sizeof code_cases / sizeof code_cases[0]; i++) {
		const char *got = io_code_find(code_cases[i].list, code_cases[i].in);
		is_str(got ? got : "(none)", code_cases[i].want ? code_cases[i].want : "(none)",
		       "code '%s'", code_cases[i].in);
	}
	for (size_t i = 0; i < sizeof text_cases / sizeof text_cases[0]; i++) {
		char *got = text_cases[i].fn(text_cases[i].in);
		is_str(got, text_cases[i].want, "%s '%s'", text_cases[i].name, text_cases[i].in);
		free(got);
	}
}

/* ---- headers and hashtags ---- */

struct header_case {
	enum model_kind kind;
	const char *header, *want;   /* field or slot name, or NULL */
};

static const struct header_case header_cases[] = {
	{ MODEL_INCIDENT, "when", "when" },
	{ MODEL_INCIDENT, "source_id", "source_id" },
	{ MODEL_INCIDENT, "Date", "when" },
	{ MODEL_INCIDENT, "Event_Type", "type" },
	{ MODEL_INCIDENT, "EVENT-TYPE (ACLED)", "type" },
	{ MODEL_INCIDENT, "Fatalities", "killed" },
	{ MODEL_INCIDENT, "Дата", "when" },
	{ MODEL_INCIDENT, "Опис", "description" },
	{ MODEL_INCIDENT, "Загинуло", "killed" },
	{ MODEL_INCIDENT, "ЗАГИБЛІ:", "killed" },
	{ MODEL_INCIDENT, "Населений пункт", "settlement" },
	{ MODEL_INCIDENT, "Ім'я", "contact_name" },
	{ MODEL_INCIDENT, "Ім’я", "contact_name" },
	{ MODEL_INCIDENT, "Ел. пошта", "contact_email" },
	{ MODEL_INCIDENT, "admin1_pcode", "oblast_code" },
	{ MODEL_INCIDENT, "Latitude", "lat" },
	{ MODEL_INCIDENT, "Location", "coord" },
	{ MODEL_INCIDENT, "Perpetrator", NULL },
	{ MODEL_CONTACT, "Телефон", "phone" },
	{ MODEL_CONTACT, "ПІБ", "name" },
	{ MODEL_CONTACT, "E-mail", "email" },
	{ MODEL_CONTACT, "Посада", "position" },
};

struct tag_case {
	enum model_kind kind;
	const char *tag, *want;
};

static const struct tag_case tag_cases[] = {
	{ MODEL_INCIDENT, "#date", "when" },
	{ MODEL_INCIDENT, "#date+occurred", "when" },
	{ MODEL_INCIDENT, "#Date +Reported", "reported" },
	{ MODEL_INCIDENT, "#geo+coord", "coord" },
	{ MODEL_INCIDENT, "#loc+name", "settlement" },
	{ MODEL_INCIDENT, "#adm1+name", "oblast" },
	{ MODEL_INCIDENT, "#adm1+code", "oblast_code" },
	{ MODEL_INCIDENT, "#ADM2+NAME", "raion" },
	{ MODEL_INCIDENT, "#adm2 +code", "raion_code" },
	{ MODEL_INCIDENT, "#event+type", "type" },
	{ MODEL_INCIDENT, "#affected+killed+f", "killed" },
	{ MODEL_INCIDENT, "#affected+f+killed", "killed" },
	{ MODEL_INCIDENT, "#affected+injured", "injured" },
	{ MODEL_INCIDENT, "#affected+displaced", "displaced" },
	{ MODEL_INCIDENT, "#org", "org" },
	{ MODEL_INCIDENT, "#sector+cluster", "sector" },
	{ MODEL_INCIDENT, "#status", "status" },
	{ MODEL_INCIDENT, "#meta+url", "url" },
	{ MODEL_INCIDENT, "#meta+id", "id" },
	{ MODEL_INCIDENT, "#meta+source+id", "source_id" },
	{ MODEL_INCIDENT, "#meta+id+source", "source_id" },
	{ MODEL_INCIDENT, "#description", "description" },
	{ MODEL_INCIDENT, "#contact+name", "contact_name" },
	{ MODEL_INCIDENT, "#contact+phone", "contact_phone" },
	{ MODEL_INCIDENT, "#contact+email", "contact_email" },
	{ MODEL_INCIDENT, "#x_perpetrator", NULL },
	{ MODEL_CONTACT, "#contact+name", "name" },
	{ MODEL_CONTACT, "#contact+phone", "phone" },
	{ MODEL_CONTACT, "#org+name", "org" },
	{ MODEL_CONTACT, "#sector", "category" },
};

static int
slot_of_name(enum model_kind kind, const char *name)
{
	return name ? io_slot_by_name(kind, name) : SLOT_NONE;
}

static void
test_headers(void)
{
	for (size_t i = 0; i < sizeof header_cases / sizeof header_cases[0]; i++) {
		const struct header_case *c = &header_cases[i];
		is_int(io_header_slot(c->kind, c->header), slot_of_name(c->kind, c->want),
		       "%s header '%s' is %s", model_kind_name(c->kind), c->header,
		       c->want ? c->want : "not mapped");
	}
	for (size_t i = 0; i < sizeof tag_cases / sizeof tag_cases[0]; i++) {
		const struct tag_case *c = &tag_cases[i];
		struct hxl_tagspec spec;
		int weight;
		ok(hxl_tagspec_parse(c->tag, &spec), "'%s' parses", c->tag);
		is_int(io_slot_by_tag(c->kind, &spec, &weight), slot_of_name(c->kind, c->want),
		       "%s hashtag '%s' is %s", model_kind_name(c->kind), c->tag,
		       c->want ? c->want : "not mapped");
	}
}

/* ---- the streamed reader gives what the buffer reader gives ---- */

static char *
records_of(struct csv_reader *r)
{
	struct csv_record rec;
	struct cimic_error err;
	struct buf out;
	char *s;
	int got;

	buf_init(&out);
	while ((got = csv_read(r, &rec, &err)) > 0) {
		buf_printf(&out, "%zu:", rec.line);
		for (size_t i = 0; i < rec.n; i++)
			buf_printf(&out, "%s|", rec.fields[i]);
		buf_addc(&out, '/');
		csv_record_finish(&rec);
	}
	if (got < 0)
		buf_printf(&out, "error %s", err.msg);
	s = util_strdup(buf_cstr(&out));
	buf_finish(&out);
	return s;
}

static void
test_stream(void)
{
	struct buf in;
	struct csv_reader r;
	struct cimic_error err;
	char *mem, *streamed, *again;
	FILE *f;

	/* records that straddle the 64 KiB chunks: quoted line breaks, CRLF split, a BOM */
	buf_init(&in);
	buf_adds(&in, "\xEF\xBB\xBFid,text\r\n");
	for (int i = 0; in.len < 300000; i++) {
		buf_printf(&in, "%d,\"line one of %d\r\nline two, \"\"quoted\"\"\"\r\n", i, i);
		if (i % 7 == 0)
			buf_printf(&in, "%d,%*s\r\n", i, 1000 + i % 300, "x");
	}
	mem = (csv_reader_init(&r, (const char *)in.data, in.len), records_of(&r));
	f = fmemopen(in.data, in.len, "rb");
	if (!ok(f != NULL && csv_reader_open(&r, f, &err) == 0, "a stream opens"))
		return;
	streamed = records_of(&r);
	is_int(csv_reader_offset(&r), in.len, "every byte read");
	ok(csv_reader_rewind(&r, &err) == 0, "rewinds");
	again = records_of(&r);
	csv_reader_finish(&r);
	fclose(f);
	ok(strcmp(mem, streamed) == 0, "streamed records equal the buffer's (%zu bytes)", strlen(mem));
	ok(strcmp(again, streamed) == 0, "and again after a rewind");
	ok(strstr(mem, "error") == NULL, "no error");
	free(mem);
	free(streamed);
	free(again);
	buf_finish(&in);
}

/* ---- imports into stores ---- */

static long
ops_in(struct store *st)
{
	long entries = 0, ops = 0;
	struct cimic_error err;

	oplog_stats(st, &entries, &ops, &err);
	return ops;
}

static int
import_text(struct store *st, const char *text, const struct formats_import_opts *base,
	    struct formats_import_report *rep)
{
	struct formats_import_opts o = *base;
	struct cimic_error err;
	int rc;

	if (o.format == 0)
		o.format = FORMAT_HXL;
	o.now_ms = 1795000000000LL;
	rc = formats_import(st, &o, text, strlen(text), rep, &err);
	if (rc != 0)
		tap_diag("import: %s", err.msg);
	return rc;
}

struct found {
	int n;
	struct model_record rec;
};

/* The one record with this id at the source (f->n says how many). */
static void
by_source_id(struct store *st, const char *source, const char *sid, struct found *f)
{
	unsigned char id[CIMIC_ID_BYTES];
	struct cimic_error err;

	memset(f, 0, sizeof *f);
	io_source_id(MODEL_INCIDENT, source, sid, id);
	model_record_init(&f->rec, MODEL_INCIDENT);
	if (model_get(st, MODEL_INCIDENT, id, &f->rec, &err) == 0)
		f->n = 1;
}

static const char *
text_of(const struct model_record *r, const char *name)
{
	const struct model_value *v = model_record_get(r, name);
	return v && v->type == MV_TEXT ? v->s : "";
}

static long
int_of(const struct model_record *r, const char *name)
{
	const struct model_value *v = model_record_get(r, name);
	return v && v->type == MV_INT ? (long)v->i : -1;
}

static const char tracker[] =
	"Event ID,Date,Event type,Description,Location,Killed,Perpetrator\n"
	"#meta+id,#date+occurred,#event+type,#description,#loc+name,#affected+killed,#x_perpetrator\n"
	"EVT-2291,2026-03-14 09:30,Shelling,School roof damaged,Izium,0,unknown\n"
	"EVT-2292,14.03.2026 10:00,UXO,Mine found near the well,Balakliia,0,\n"
	"EVT-2291,,,,,1,\n";

static void
test_foreign_ids(void)
{
	struct formats_import_opts o = { .source = "tracker" };
	struct formats_import_report rep;
	struct found f;
	char *dir, *dir2;
	struct store *st = test_store("A", NODE_FIELD, &dir), *other = test_store("B", NODE_FIELD, &dir2);
	long before;

	ok(import_text(st, tracker, &o, &rep) == 0, "a file with the source's own ids imports");
	is_int(rep.created, 2, "two records for three rows");
	is_int(rep.repeated, 1, "one row repeats an id");
	ok(strstr(rep.ignored, "#x_perpetrator (Perpetrator)") != NULL, "unmapped column named: %s",
	   rep.ignored);
	ok(rep.source_used && strcmp(rep.source, "tracker") == 0, "the source is named");
	by_source_id(st, "tracker", "EVT-2291", &f);
	if (ok(f.n == 1, "EVT-2291 is the record (kind, source, id) names")) {
		is_str(text_of(&f.rec, "source"), "tracker", "source kept");
		is_str(text_of(&f.rec, "source_id"), "EVT-2291", "the source's id kept");
		is_int(int_of(&f.rec, "killed"), 1, "the repeated row's correction wins");
		is_str(text_of(&f.rec, "description"), "School roof damaged\n\nEvent type: Shelling",
		       "a type cimic has no code for is kept in the description");
		is_str(text_of(&f.rec, "type"), "other", "... and the type is the default");
		is_str(text_of(&f.rec, "title"), "School roof damaged", "title from the description");
	}
	model_record_finish(&f.rec);
	by_source_id(st, "tracker", "EVT-2292", &f);
	ok(f.n == 1 && strcmp(text_of(&f.rec, "type"), "uxo") == 0, "'UXO' is the uxo code");
	model_record_finish(&f.rec);
	before = ops_in(st);
	ok(import_text(st, tracker, &o, &rep) == 0, "re-import");
	is_int(rep.unchanged, 2, "re-import: both unchanged");
	is_int(ops_in(st) - before, 0, "re-import: no op");
	ok(import_text(other, tracker, &o, &rep) == 0 && rep.created == 2, "another unit imports it");
	by_source_id(other, "tracker", "EVT-2291", &f);
	ok(f.n == 1, "... and makes the same record id (the two replicas meet on sync)");
	model_record_finish(&f.rec);
	store_close(other);
	test_rmdir(dir2);
	store_close(st);
	test_rmdir(dir);
}

static void
test_corrections(void)
{
	static const char first[] =
		"#meta+id,#event+name,#affected+injured,#loc+name\n"
		"A-1,Bridge hit,2,Izium\nA-2,Power cut,0,Kupiansk\n";
	static const char corrected[] =
		"#meta+id,#event+name,#affected+injured,#loc+name\n"
		"A-1,Bridge hit,5,Izium\nA-2,Power cut,0,Kupiansk\nA-3,Water off,,Sumy\n";
	struct formats_import_opts o = { .source = "s" }, dry = { .source = "s", .dry_run = true };
	struct formats_import_report rep;
	struct found f;
	char *dir;
	struct store *st = test_store("A", NODE_FIELD, &dir);
	long before;
	int64_t updated;

	import_text(st, first, &o, &rep);
	by_source_id(st, "s", "A-2", &f);
	updated = f.rec.updated_ms;
	model_record_finish(&f.rec);
	before = ops_in(st);
	ok(import_text(st, corrected, &dry, &rep) == 0, "dry run of a corrected file");
	ok(rep.created == 1 && rep.updated == 1 && rep.unchanged == 1,
	   "dry run reports 1 new, 1 updated, 1 unchanged (%ld, %ld, %ld)", rep.created, rep.updated,
	   rep.unchanged);
	is_int(ops_in(st) - before, 0, "dry run: nothing written");
	ok(import_text(st, corrected, &o, &rep) == 0 && rep.updated == 1 && rep.created == 1,
	   "the corrected file imports");
	/* the new record: title, settlement, source, source_id, and the type and status defaults */
	is_int(ops_in(st) - before, 1 + 6, "one op for the correction, six for the new record");
	by_source_id(st, "s", "A-1", &f);
	is_int(int_of(&f.rec, "injured"), 5, "corrected in place");
	model_record_finish(&f.rec);
	by_source_id(st, "s", "A-2", &f);
	ok(f.rec.updated_ms == updated, "the unchanged record keeps its update time");
	model_record_finish(&f.rec);
	store_close(st);
	test_rmdir(dir);
}

static void
test_fingerprints(void)
{
	static const char no_ids[] =
		"Title,When,Where,Notes\n"
		"#event+name,#date,#geo+coord,#description\n"
		"Gas leak,2026-02-01 08:00,48.5 37.5,first report\n"
		"Gas leak,2026-02-01 08:00,48.5 37.5,second report\n"
		"Road closed,2026-02-01 09:00,POINT(37.6 48.6),\n";
	struct formats_import_opts o = { .source = "no-ids.csv" };
	struct formats_import_report rep;
	char *dir;
	struct store *st = test_store("A", NODE_FIELD, &dir);
	long before;

	ok(import_text(st, no_ids, &o, &rep) == 0 && rep.created == 2 && rep.repeated == 1,
	   "without ids, rows sharing a fingerprint are one record");
	before = ops_in(st);
	ok(import_text(st, no_ids, &o, &rep) == 0 && rep.unchanged == 2 && rep.updated == 0,
	   "re-import: unchanged (%ld updated)", rep.updated);
	is_int(ops_in(st) - before, 0, "re-import without ids: no op");
	store_close(st);
	test_rmdir(dir);
}

/* Titles made of a type and a place, cut at characters, never inside one. */
static void
test_composed_title(void)
{
	static const char file[] =
		"#meta+id,#event+type,#loc+name\n"
		"T-1,Обстріл житлового кварталу з реактивних систем залпового вогню вночі,"
		"Куп’янськ-Вузловий Куп’янського району Харківської області\n";
	struct formats_import_opts o = { .source = "t" };
	struct formats_import_report rep;
	struct found f;
	char *dir;
	struct store *st = test_store("A", NODE_FIELD, &dir);
	const char *title;

	ok(import_text(st, file, &o, &rep) == 0 && rep.created == 1, "a row with a type and a place only");
	by_source_id(st, "t", "T-1", &f);
	title = text_of(&f.rec, "title");
	ok(util_utf8_valid(title, strlen(title)) && strstr(title, " — ") != NULL &&
	   strncmp(title, "Обстріл", strlen("Обстріл")) == 0, "title from type and place: %s", title);
	model_record_finish(&f.rec);
	store_close(st);
	test_rmdir(dir);
}

static void
test_bad_rows(void)
{
	static const char bad[] =
		"#meta+id,#event+name,#date,#geo+lat,#geo+lon\n"
		"B-1,ok,2026-01-01,48.1,37.1\n"
		"B-2,bad date,2026-13-01,48.1,37.1\n"
		"B-3,bad latitude,2026-01-01,98.1,37.1\n"
		"B-4,ok too,2026-01-02,48.2,37.2\n";
	struct formats_import_opts o = { .source = "b" }, skip = { .source = "b", .skip_bad = true };
	struct formats_import_report rep;
	struct cimic_error err;
	char *dir;
	struct store *st = test_store("A", NODE_FIELD, &dir);

	o.format = FORMAT_HXL;
	o.now_ms = 1;
	is_int(formats_import(st, &o, bad, strlen(bad), &rep, &err), -1, "bad rows refuse the file");
	is_int(err.code, CIMIC_EDATA, "... as bad data (65)");
	ok(strncmp(err.msg, "line 3: when: ", 14) == 0 && strstr(err.msg, "(and 1 more row refused)"),
	   "one line naming the first: %s", err.msg);
	ok(rep.nrefusals == 2 && rep.refusals[0].line == 3 && rep.refusals[1].line == 4 &&
	   strncmp(rep.refusals[1].reason, "location", 8) == 0,
	   "the report lists both with lines and reasons");
	is_int(ops_in(st), 0, "nothing written");
	formats_import_report_finish(&rep);
	ok(import_text(st, bad, &skip, &rep) == 0 && rep.created == 2 && rep.skipped == 2,
	   "--skip-bad imports the rest and counts what it skipped");
	formats_import_report_finish(&rep);
	store_close(st);
	test_rmdir(dir);
}

static void
test_keep_and_contacts(void)
{
	static const char file[] =
		"ID,Title,Contact,Phone,Confidence,Notes\n"
		"#meta+id,#event+name,#contact+name,#contact+phone,#x_confidence,#x_notes\n"
		"K-1,Shelter full,Olena Koval,+380 67 111 2201,high,call first\n"
		"K-2,Shelter needs beds,Olena Koval,067 111 2201,low,\n";
	struct formats_import_opts o = { .source = "k", .keep_unmapped = true };
	struct formats_import_report rep;
	struct found f;
	char *dir;
	struct store *st = test_store("A", NODE_FIELD, &dir);
	long before;

	ok(import_text(st, file, &o, &rep) == 0 && rep.kept_unmapped, "--keep-unmapped");
	by_source_id(st, "k", "K-1", &f);
	is_str(text_of(&f.rec, "description"), "Confidence: high\nNotes: call first",
	       "the unmapped cells are lines of the description");
	model_record_finish(&f.rec);
	is_int(rep.contacts_created, 1, "one contact person for both rows (same phone)");
	is_int(rep.links_created, 2, "linked to both incidents");
	before = ops_in(st);
	ok(import_text(st, file, &o, &rep) == 0 && rep.contacts_created == 0 && rep.links_created == 0,
	   "re-import: no new contact, no new link");
	is_int(ops_in(st) - before, 0, "re-import with contact persons: no op");
	store_close(st);
	test_rmdir(dir);
}

/* A cimic export's own ids stay cimic ids; the source reference travels beside them. */
static void
test_round_trip(void)
{
	struct formats_import_opts o = { .source = "tracker" };
	struct formats_export_opts eo = { .format = FORMAT_CSV, .what = MODEL_INCIDENT };
	struct formats_import_report rep;
	struct cimic_error err;
	struct found f;
	struct buf out;
	char *dir, *dir2;
	struct store *a = test_store("A", NODE_FIELD, &dir), *b = test_store("B", NODE_FIELD, &dir2);

	import_text(a, tracker, &o, &rep);
	buf_init(&out);
	ok(formats_export(a, &eo, &out, &err) == 0, "CSV export");
	o.format = FORMAT_CSV;
	o.source = "export.csv";
	ok(import_text(b, buf_cstr(&out), &o, &rep) == 0 && rep.created == 2, "imports elsewhere");
	ok(!rep.source_used, "the rows name their own source");
	by_source_id(b, "tracker", "EVT-2291", &f);
	ok(f.n == 1 && strcmp(text_of(&f.rec, "source"), "tracker") == 0,
	   "same record id, same source reference");
	model_record_finish(&f.rec);
	buf_finish(&out);
	store_close(b);
	test_rmdir(dir2);
	store_close(a);
	test_rmdir(dir);
}

int
main(void)
{
	if (sodium_init() < 0)
		return 99;
	test_times();
	test_values();
	test_headers();
	test_stream();
	test_foreign_ids();
	test_corrections();
	test_fingerprints();
	test_composed_title();
	test_bad_rows();
	test_keep_and_contacts();
	test_round_trip();
	return done_testing();
}
