/* test-hxl.c - HXL hashtag rows: parsing, matching and the libhxl sample files. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cimic/formats.h"
#include "formats_private.h"
#include "tap.h"

struct tag_case {
	const char *cell;
	bool valid;
	const char *formatted;
};

static const struct tag_case tag_cases[] = {
	{ "#adm1+name", true, "#adm1+name" },
	{ " #sector+list", true, "#sector+list" },
	{ "#Affected +F + Children ", true, "#affected+f+children" },
	{ "#x_mgrs", true, "#x_mgrs" },
	{ "sector+es", false, NULL },
	{ "#", false, NULL },
	{ "#1abc", false, NULL },
	{ "#org+", false, NULL },
	{ "#org name", false, NULL },
	{ "#a+b+c+d+e+f+g+h+i+j", false, NULL },
	{ "", false, NULL },
};

static void
test_tagspecs(void)
{
	struct hxl_tagspec spec, pattern;
	char buf[128];

	for (size_t i = 0; i < sizeof tag_cases / sizeof tag_cases[0]; i++) {
		const struct tag_case *c = &tag_cases[i];
		bool got = hxl_tagspec_parse(c->cell, &spec);
		is_int(got, c->valid, "'%s' %s", c->cell, c->valid ? "parses" : "refused");
		if (got && c->formatted) {
			hxl_tagspec_format(&spec, buf, sizeof buf);
			is_str(buf, c->formatted, "'%s' formats back", c->cell);
		}
	}
	hxl_tagspec_parse("#affected+killed+f", &spec);
	hxl_tagspec_parse("#affected+killed", &pattern);
	ok(hxl_tagspec_match(&pattern, &spec), "pattern attrs are a subset of the column's");
	hxl_tagspec_parse("#affected+injured", &pattern);
	ok(!hxl_tagspec_match(&pattern, &spec), "different attribute does not match");
	hxl_tagspec_parse("#affected", &pattern);
	ok(hxl_tagspec_match(&pattern, &spec), "bare tag matches any attributes");
	hxl_tagspec_parse("#org", &pattern);
	ok(!hxl_tagspec_match(&pattern, &spec), "different tag does not match");
}

static char *
slurp(const char *dir, const char *name, size_t *len)
{
	char path[4096];
	FILE *f;
	char *data;

	snprintf(path, sizeof path, "%s/hxl/%s", dir, name);
	f = fopen(path, "rb");
	if (f == NULL)
		return NULL;
	data = malloc(1 << 20);
	*len = fread(data, 1, 1 << 20, f);
	fclose(f);
	return data;
}

struct file_case {
	const char *file;
	int tag_line;        /* 0: must be refused */
	size_t rows;
	const char *first_tag;   /* formatted tag of the first tagged column */
	const char *refused_line;/* start of the refusal message */
};

static const struct file_case file_cases[] = {
	{ "input-valid.csv", 3, 4, "#sector+es", NULL },
	{ "input-fuzzy.csv", 3, 4, "#sector+es", NULL },
	{ "input-simple.csv", 2, 8, "#sector", NULL },
	{ "input-multiline.csv", 1, 1, "#description", NULL },
	{ "input-multiple-headers.csv", 3, 2, "#org", NULL },
	{ "append-source-1.csv", 2, 2, "#org", NULL },
	{ "input-invalid.csv", 0, 0, NULL, "line 7: no HXL hashtag row" },
	{ "input-untagged.csv", 0, 0, NULL, "line 6: no HXL hashtag row" },
	{ "input-valid-latin1.csv", 0, 0, NULL, "line 1: text is not UTF-8" },
};

static void
test_file(const char *dir, const struct file_case *c)
{
	struct hxl_doc doc;
	struct cimic_error err;
	char buf[128];
	size_t len = 0;
	char *data = slurp(dir, c->file, &len);
	int rc;

	if (!ok(data != NULL, "%s readable", c->file))
		return;
	rc = hxl_read(data, len, &doc, &err);
	if (c->tag_line == 0) {
		is_int(rc, -1, "%s refused", c->file);
		ok(rc < 0 && strncmp(err.msg, c->refused_line, strlen(c->refused_line)) == 0,
		   "%s: %s", c->file, err.msg);
		free(data);
		return;
	}
	if (!ok(rc == 0, "%s reads", c->file)) {
		tap_diag("%s", err.msg);
		free(data);
		return;
	}
	is_int(doc.tag_line, c->tag_line, "%s: hashtag row on line %d", c->file, c->tag_line);
	is_int(doc.nrows, c->rows, "%s: %zu data rows", c->file, c->rows);
	for (size_t i = 0; i < doc.ncols; i++)
		if (doc.tagged[i]) {
			hxl_tagspec_format(&doc.cols[i], buf, sizeof buf);
			is_str(buf, c->first_tag, "%s: first tag", c->file);
			break;
		}
	if (strcmp(c->file, "input-multiline.csv") == 0)
		is_str(doc.rows[0].fields[0], "Line 1\nLine 2\nLine 3", "multi-line cell kept");
	if (strcmp(c->file, "input-valid.csv") == 0)
		is_str(doc.headers[3], "Organización", "text header above the tag kept");
	hxl_doc_finish(&doc);
	free(data);
}

int
main(void)
{
	const char *dir = tap_shared_data();

	if (dir == NULL) {
		printf("1..0 # SKIP CIMIC_SHARED_DATA is not set\n");
		return 77;
	}
	test_tagspecs();
	for (size_t i = 0; i < sizeof file_cases / sizeof file_cases[0]; i++)
		test_file(dir, &file_cases[i]);
	return done_testing();
}
