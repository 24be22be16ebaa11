/*
 * test-formats.c - import and export against real stores: round trips
 * (export, import into a fresh store, same records), idempotent
 * re-import, archived records, malformed files that import nothing, and
 * every shared HXL and vCard sample.
 */
#include <dirent.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cimic/formats.h"
#include "cimic/model.h"
#include "cimic/oplog.h"
#include "io.h"
#include "support.h"
#include "tap.h"

#define T0 1795000000123LL   /* a time with milliseconds */

struct seed {
	const char *kind;
	const char *fields[16][2];
};

static const struct seed seeds[] = {
	{ "contact", { { "name", "Олена Коваль" }, { "org", "Слов'янська МВА, відділ \"ЦВС\"" },
		       { "position", "head, civil protection" }, { "category", "military_administration" },
		       { "phone", "+380 67 123 4567" }, { "email", "olena@example.ua" },
		       { "radio", "Ch 12; call sign BERKUT" }, { "address", "вул. Соборна, 1" },
		       { "settlement", "Слов’янськ" }, { "location", "48.852000,37.605000" },
		       { "notes", "Line one\nline two, with comma; and semicolon \\ backslash" },
		       { "tag", "water,priority" } } },
	{ "contact", { { "name", "Ivan Petrenko" }, { "phone", "067-000-11-22" } } },
	{ "contact", { { "name", "Archived Person" }, { "org", "Old NGO" } } },
	{ "incident", { { "title", "Shelling of water station" }, { "type", "infrastructure_damage" },
			{ "severity", "4" }, { "status", "verified" }, { "when", "2026-11-24T13:30:00.123Z" },
			{ "location", "48.737000,37.584000" }, { "settlement", "Краматорськ" },
			{ "description", "Pumps down.\n\"Quoted\", commas, and ʼapostrophesʼ" },
			{ "killed", "0" }, { "injured", "3" }, { "displaced", "120" }, { "affected", "15000" },
			{ "reliability", "B" }, { "credibility", "2" },
			{ "followup", "2026-11-26T08:00:00Z" } } },
	{ "incident", { { "title", "Evacuation request" }, { "type", "evacuation" },
			{ "when", "241330ZNOV26" } } },
};

static void
seed_store(struct store *st, unsigned char ids[][CIMIC_ID_BYTES])
{
	struct cimic_error err;
	struct oplog_txn *txn;

	if (oplog_begin(st, &txn, &err) != 0)
		exit(99);
	for (size_t i = 0; i < sizeof seeds / sizeof seeds[0]; i++) {
		enum model_kind kind = strcmp(seeds[i].kind, "contact") == 0 ? MODEL_CONTACT
									   : MODEL_INCIDENT;
		struct model_change c;
		model_change_init(&c, kind);
		for (size_t f = 0; f < 16 && seeds[i].fields[f][0]; f++)
			if (model_change_parse(&c, seeds[i].fields[f][0], seeds[i].fields[f][1], T0,
					       &err) != 0) {
				fprintf(stderr, "# seed: %s\n", err.msg);
				exit(99);
			}
		if (model_create(txn, &c, ids[i], &err) != 0)
			exit(99);
		model_change_finish(&c);
	}
	if (model_link(txn, ids[3], ids[0], true, &err) != 0 || oplog_commit(txn, &err) != 0) {
		fprintf(stderr, "# seed: %s\n", err.msg);
		exit(99);
	}
	if (oplog_begin(st, &txn, &err) != 0 || model_archive(txn, MODEL_CONTACT, ids[2], true, &err) != 0 ||
	    oplog_commit(txn, &err) != 0)
		exit(99);
}

/* Are the user-visible values of a record the same in both stores? */
static bool
same_record(struct store *a, struct store *b, enum model_kind kind, const unsigned char *id,
	    const char *what)
{
	struct model_record ra, rb;
	struct cimic_error err;
	size_t n;
	const struct model_field *f = model_fields(kind, &n);
	bool same = true;

	model_record_init(&ra, kind);
	model_record_init(&rb, kind);
	if (model_get(a, kind, id, &ra, &err) != 0 || model_get(b, kind, id, &rb, &err) != 0) {
		tap_diag("%s: record missing: %s", what, err.msg);
		return false;
	}
	for (size_t i = 0; i < n; i++) {
		const struct model_value *x = &ra.v[i], *y = &rb.v[i];
		bool eq = x->type == y->type && (x->type != MV_INT || x->i == y->i) &&
			  (x->type != MV_TEXT || strcmp(x->s, y->s) == 0);
		if (!eq) {
			tap_diag("%s: field %s differs: '%s' vs '%s'", what, f[i].name,
				 x->type == MV_TEXT ? x->s : "(int/null)", y->type == MV_TEXT ? y->s : "(int/null)");
			same = false;
		}
	}
	model_record_finish(&ra);
	model_record_finish(&rb);
	return same;
}

static int
export_to(struct store *st, enum formats_kind format, enum model_kind what, bool archived,
	  struct buf *out)
{
	struct formats_export_opts o = { format, what, archived };
	struct cimic_error err;

	buf_init(out);
	if (formats_export(st, &o, out, &err) != 0) {
		tap_diag("export: %s", err.msg);
		return -1;
	}
	return 0;
}

static int
import_into(struct store *st, enum formats_kind format, enum model_kind what, const struct buf *in,
	    struct formats_import_report *rep, struct cimic_error *err)
{
	struct formats_import_opts o = { .format = format, .what = what, .now_ms = T0 };

	return formats_import(st, &o, (const char *)in->data, in->len, rep, err);
}

static long
entry_count(struct store *st)
{
	long entries = 0, ops = 0;
	struct cimic_error err;

	oplog_stats(st, &entries, &ops, &err);
	return entries;
}

struct trip {
	const char *name;
	enum formats_kind format;
	enum model_kind what;
	bool archived;
	size_t first, last;     /* seeds that must come back */
};

static const struct trip trips[] = {
	{ "JSON", FORMAT_JSON, 0, true, 0, 4 },
	{ "HXL contacts", FORMAT_HXL, MODEL_CONTACT, true, 0, 2 },
	{ "HXL incidents", FORMAT_HXL, MODEL_INCIDENT, false, 3, 4 },
	{ "CSV contacts", FORMAT_CSV, MODEL_CONTACT, true, 0, 2 },
	{ "CSV incidents", FORMAT_CSV, MODEL_INCIDENT, false, 3, 4 },
	{ "vCard", FORMAT_VCARD, MODEL_CONTACT, true, 0, 2 },
};

static void
test_round_trip(struct store *a, unsigned char ids[][CIMIC_ID_BYTES], const struct trip *t)
{
	struct formats_import_report rep;
	struct cimic_error err;
	struct buf out;
	char *dir;
	struct store *b = test_store("B", NODE_FIELD, &dir);
	long entries;
	bool all = true;

	if (export_to(a, t->format, t->what, t->archived, &out) != 0)
		return;
	if (!ok(import_into(b, t->format, t->what, &out, &rep, &err) == 0, "%s: imports", t->name)) {
		tap_diag("%s", err.msg);
		goto out;
	}
	is_int(rep.created, (long)(t->last - t->first + 1), "%s: %ld records created", t->name,
	       (long)(t->last - t->first + 1));
	for (size_t i = t->first; i <= t->last; i++)
		all &= same_record(a, b, i < 3 ? MODEL_CONTACT : MODEL_INCIDENT, ids[i], t->name);
	ok(all, "%s: same records, same ids", t->name);
	entries = entry_count(b);
	ok(import_into(b, t->format, t->what, &out, &rep, &err) == 0, "%s: imports again", t->name);
	is_int(rep.created, 0, "%s: re-import creates nothing", t->name);
	is_int(entry_count(b), entries, "%s: re-import writes no entry", t->name);
out:
	buf_finish(&out);
	store_close(b);
	test_rmdir(dir);
}

static void
test_archived_left_out(struct store *a)
{
	struct buf out;

	if (export_to(a, FORMAT_JSON, 0, false, &out) != 0)
		return;
	ok(strstr(buf_cstr(&out), "Archived Person") == NULL, "archived contact left out of JSON");
	buf_finish(&out);
	if (export_to(a, FORMAT_HXL, MODEL_CONTACT, false, &out) != 0)
		return;
	ok(strstr(buf_cstr(&out), "Archived Person") == NULL, "archived contact left out of HXL");
	ok(strstr(buf_cstr(&out), "#x_archived") == NULL, "no archived column unless asked");
	ok(strstr(buf_cstr(&out), "#contact+name") != NULL && strstr(buf_cstr(&out), "#contact+phone"),
	   "HXL hashtag row written");
	buf_finish(&out);
	if (export_to(a, FORMAT_VCARD, MODEL_CONTACT, true, &out) != 0)
		return;
	ok(strstr(buf_cstr(&out), "Archived Person") != NULL, "archived contact in when asked");
	buf_finish(&out);
}

/* GeoJSON parses, has [lon, lat] and '.' decimals, also under a comma locale. */
static void
test_geojson(struct store *a)
{
	const char *locales[] = { "uk_UA.UTF-8", "de_DE.UTF-8", "ru_RU.UTF-8", NULL };
	const char *used = "C";
	struct json_value doc;
	struct cimic_error err;
	struct buf out;
	const struct json_value *features, *coords;

	for (size_t i = 0; locales[i]; i++)
		if (setlocale(LC_ALL, locales[i])) {
			used = locales[i];
			break;
		}
	/* glibc here may lack uk_UA: tests/e2e builds it with localedef and sets LOCPATH */
	tap_diag("GeoJSON written under locale %s (decimal point '%s')", used,
		 localeconv()->decimal_point);
	if (export_to(a, FORMAT_GEOJSON, 0, false, &out) != 0)
		return;
	setlocale(LC_ALL, "C");
	if (!ok(json_parse((const char *)out.data, out.len, &doc, &err) == 0, "GeoJSON is JSON")) {
		tap_diag("%s", err.msg);
		buf_finish(&out);
		return;
	}
	is_str(json_get(&doc, "type")->s, "FeatureCollection", "a FeatureCollection");
	features = json_get(&doc, "features");
	is_int(features ? (long)features->n : -1, 2, "two located records");
	coords = json_get(json_get(&features->items[0], "geometry"), "coordinates");
	ok(coords && coords->n == 2, "Point with two numbers");
	if (coords && coords->n == 2) {
		is_str(coords->items[0].s, "37.58400", "longitude first");
		is_str(coords->items[1].s, "48.73700", "latitude second");
	}
	json_value_finish(&doc);
	buf_finish(&out);
}

struct bad_case {
	const char *name;
	enum formats_kind format;
	enum model_kind what;
	const char *in;
	const char *msg;
};

static const struct bad_case bad_cases[] = {
	{ "CSV bad severity", FORMAT_CSV, 0, "title,severity\nok,2\nbad,9\n",
	  "line 3: severity: '9' is not a whole number from 1 to 5" },
	{ "CSV unclosed quote", FORMAT_CSV, 0, "name,phone\nA,1\n\"B,2\n", "line 3: quoted field is never closed" },
	{ "CSV no known column", FORMAT_CSV, 0, "foo,bar\n1,2\n",
	  "line 1: cannot tell whether the file holds contacts or incidents; say --what contacts or --what incidents" },
	{ "CSV contact without name", FORMAT_CSV, MODEL_CONTACT, "name,radio\nA,1\n,ch 5\n",
	  "line 3: a contact needs a name (or an organisation, e-mail or phone)" },
	{ "CSV bad date", FORMAT_CSV, 0, "title,date\nA,2026-01-02\nB,tomorrow\n",
	  "line 3: when: not a date or time" },
	{ "CSV relative date", FORMAT_CSV, 0, "title,date\nA,now\n",
	  "line 2: when: 'now' is not a date" },
	{ "CSV ambiguous date", FORMAT_CSV, 0, "title,date\nA,03/04/2026\n",
	  "line 2: when: '03/04/2026' could be either day/month or month/day" },
	{ "HXL bad count", FORMAT_HXL, 0, "Title,Killed\n#event+name,#affected+killed\nA,many\n",
	  "line 3: killed: 'many' is not a whole number" },
	{ "HXL bad latitude", FORMAT_HXL, 0, "#event+name,#geo+lat,#geo+lon\nA,48.5,37.1\nB,north,37\n",
	  "line 3: location" },
	{ "HXL lat without lon", FORMAT_HXL, 0, "#event+name,#geo+lat,#affected+killed\nA,48.5,1\n",
	  "line 2: location: latitude without longitude or the reverse" },
	{ "vCard missing END", FORMAT_VCARD, 0, "BEGIN:VCARD\r\nVERSION:4.0\r\nFN:A\r\nBEGIN:VCARD\r\nFN:B\r\nEND:VCARD\r\n",
	  "line 4: BEGIN:VCARD inside the card of line 1 (missing END:VCARD)" },
	{ "vCard no name", FORMAT_VCARD, 0, "BEGIN:VCARD\nVERSION:3.0\nNOTE:x\nEND:VCARD\n",
	  "line 1: a contact needs a name (or an organisation, e-mail or phone)" },
	{ "JSON truncated", FORMAT_JSON, 0, "{\"format\": \"cimic-export\", \"contacts\": [\n{\"name\": \"A\"},\n",
	  "line 3: unexpected end of input" },
	{ "JSON not ours", FORMAT_JSON, 0, "[1, 2]", "line 1: not a cimic export" },
	{ "JSON bad field", FORMAT_JSON, 0, "{\"format\": \"cimic-export\",\n \"incidents\": [\n{\"title\": \"x\", \"killed\": -1}]}",
	  "line 3: killed: '-1' is not a whole number" },
};

static void
test_bad(void)
{
	char *dir;
	struct store *st = test_store("C", NODE_FIELD, &dir);

	for (size_t i = 0; i < sizeof bad_cases / sizeof bad_cases[0]; i++) {
		const struct bad_case *c = &bad_cases[i];
		struct formats_import_opts o = { .format = c->format, .what = c->what, .now_ms = T0 };
		struct formats_import_report rep;
		struct cimic_error err;
		long before = entry_count(st);
		int rc = formats_import(st, &o, c->in, strlen(c->in), &rep, &err);

		is_int(rc, -1, "%s: refused", c->name);
		is_int(err.code, CIMIC_EDATA, "%s: bad input data (65)", c->name);
		ok(strncmp(err.msg, c->msg, strlen(c->msg)) == 0 && !strchr(err.msg, '\n'),
		   "%s: %s", c->name, err.msg);
		is_int(entry_count(st), before, "%s: nothing imported", c->name);
		formats_import_report_finish(&rep);
	}
	store_close(st);
	test_rmdir(dir);
}

static char *
slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *data;

	if (f == NULL)
		return NULL;
	data = malloc(1 << 20);
	*len = fread(data, 1, 1 << 20, f);
	fclose(f);
	return data;
}

/* Every sample imports, or is refused with one line naming a line. */
static void
test_samples(const char *shared, const char *sub, enum formats_kind format)
{
	char path[4096];
	struct dirent *e;
	DIR *d;

	snprintf(path, sizeof path, "%s/%s", shared, sub);
	d = opendir(path);
	if (!ok(d != NULL, "%s samples", sub))
		return;
	while ((e = readdir(d)) != NULL) {
		const char *ext = strrchr(e->d_name, '.');
		struct formats_import_opts o = { .format = format, .now_ms = T0 };
		struct formats_import_report rep;
		struct cimic_error err;
		size_t len = 0;
		char *dir, *data;
		struct store *st;
		int rc;
		if (ext == NULL || (strcmp(ext, ".csv") != 0 && strcmp(ext, ".vcf") != 0))
			continue;
		snprintf(path, sizeof path, "%s/%s/%s", shared, sub, e->d_name);
		data = slurp(path, &len);
		st = test_store("S", NODE_FIELD, &dir);
		rc = formats_import(st, &o, data, len, &rep, &err);
		if (rc == 0)
			ok(rep.created > 0, "%s: imported %ld (ignored: %s)", e->d_name, rep.created,
			   rep.ignored[0] ? rep.ignored : "nothing");
		else
			ok(err.code == CIMIC_EDATA && strncmp(err.msg, "line ", 5) == 0,
			   "%s: refused: %s", e->d_name, err.msg);
		free(data);
		store_close(st);
		test_rmdir(dir);
	}
	closedir(d);
}

int
main(void)
{
	const char *shared = tap_shared_data();
	unsigned char ids[8][CIMIC_ID_BYTES];
	char *dir;
	struct store *a;

	if (shared == NULL) {
		printf("1..0 # SKIP CIMIC_SHARED_DATA is not set\n");
		return 77;
	}
	if (sodium_init() < 0)
		return 99;
	a = test_store("A", NODE_FIELD, &dir);
	seed_store(a, ids);
	for (size_t i = 0; i < sizeof trips / sizeof trips[0]; i++)
		test_round_trip(a, ids, &trips[i]);
	test_archived_left_out(a);
	test_geojson(a);
	test_bad();
	test_samples(shared, "hxl", FORMAT_HXL);
	test_samples(shared, "vcard", FORMAT_VCARD);
	store_close(a);
	test_rmdir(dir);
	return done_testing();
}
