/* test-vcard.c - vCard reader (2.1/3.0/4.0 files from phones and mail clients) and 4.0 writer. */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cimic/formats.h"
#include "tap.h"

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

struct file_case {
	const char *file;
	size_t cards;
	const char *prop;        /* property of the first card to check, or NULL */
	int component;
	const char *value;
};

static const struct file_case file_cases[] = {
	{ "John_Doe_ANDROID.vcf", 6, "EMAIL", -1, "john.doe@company.com" },
	{ "John_Doe_BLACK_BERRY.vcf", 1, "FN", -1, "John Doe" },
	{ "John_Doe_EVOLUTION.vcf", 1, "N", 0, "Doe" },
	{ "John_Doe_GMAIL.vcf", 1, "ADR", 2, NULL },
	{ "John_Doe_IPHONE.vcf", 1, "FN", -1, NULL },
	{ "John_Doe_LOTUS_NOTES.vcf", 1, "FN", -1, NULL },
	{ "John_Doe_MAC_ADDRESS_BOOK.vcf", 1, "FN", -1, NULL },
	{ "John_Doe_MS_OUTLOOK.vcf", 1, "LABEL", -1, "Cresent moon drive\r\nAlbaney, New York  12345" },
	{ "fullcontact.vcf", 1, "VERSION", -1, "4.0" },
	{ "gmail-list.vcf", 3, "EMAIL", -1, NULL },
	{ "gmail-single.vcf", 1, "FN", -1, NULL },
	{ "gmail-single2.vcf", 1, "FN", -1, NULL },
	{ "outlook-2003.vcf", 1, "NOTE", -1,
	  "This is the note field!!\r\nSecond line\r\n\r\nThird line is empty\r\n" },
	{ "outlook-2003.vcf", 1, "ORG", 0, "Company, The" },
	{ "outlook-2007.vcf", 1, "FN", -1, NULL },
	{ "rfc2426-example.vcf", 2, "FN", -1, "Frank Dawson" },
	{ "rfc6350-example.vcf", 1, "FN", -1, "Simon Perreault" },
	{ "thunderbird-MoreFunctionsForAddressBook-extension.vcf", 1, "FN", -1, "John Doe" },
};

static void
test_file(const char *dir, const struct file_case *c)
{
	struct vcard_doc doc;
	struct cimic_error err;
	const struct vcard_prop *p;
	char path[4096];
	size_t len = 0;
	char *data, *v;

	snprintf(path, sizeof path, "%s/vcard/%s", dir, c->file);
	data = slurp(path, &len);
	if (!ok(data != NULL, "%s readable", c->file))
		return;
	if (!ok(vcard_read(data, len, &doc, &err) == 0, "%s reads", c->file)) {
		tap_diag("%s", err.msg);
		free(data);
		return;
	}
	is_int(doc.ncards, c->cards, "%s: %zu cards", c->file, c->cards);
	p = vcard_find(&doc.cards[0], c->prop);
	ok(p != NULL, "%s: has %s", c->file, c->prop);
	if (p && c->value) {
		v = vcard_component(p->value, c->component);
		is_str(v, c->value, "%s: %s decoded", c->file, c->prop);
		free(v);
	}
	vcard_doc_finish(&doc);
	free(data);
}

/* Every .vcf in the folder must read (none of the samples is malformed). */
static void
test_every_file(const char *dir)
{
	char path[4096];
	struct dirent *e;
	DIR *d;
	int seen = 0;

	snprintf(path, sizeof path, "%s/vcard", dir);
	d = opendir(path);
	if (!ok(d != NULL, "vcard folder opens"))
		return;
	while ((e = readdir(d)) != NULL) {
		struct vcard_doc doc;
		struct cimic_error err;
		size_t len = 0;
		char *data;
		if (strstr(e->d_name, ".vcf") == NULL)
			continue;
		snprintf(path, sizeof path, "%s/vcard/%s", dir, e->d_name);
		data = slurp(path, &len);
		seen++;
		if (!ok(data && vcard_read(data, len, &doc, &err) == 0, "%s reads", e->d_name))
			tap_diag("%s", err.msg);
		else
			vcard_doc_finish(&doc);
		free(data);
	}
	closedir(d);
	is_int(seen, 17, "all 17 sample files tried");
}

struct bad_case {
	const char *name;
	const char *in;
	const char *msg;
};

static const struct bad_case bad_cases[] = {
	{ "missing END", "BEGIN:VCARD\r\nVERSION:4.0\r\nFN:A\r\n",
	  "line 1: the card begun here has no END:VCARD" },
	{ "missing END before next card", "BEGIN:VCARD\nFN:A\nBEGIN:VCARD\nFN:B\nEND:VCARD\n",
	  "line 3: BEGIN:VCARD inside the card of line 1 (missing END:VCARD)" },
	{ "no colon", "BEGIN:VCARD\nFN:A\nJUNK\nEND:VCARD\n",
	  "line 3: not a vCard property line (NAME:value)" },
	{ "outside a card", "FN:A\n", "line 1: FN outside BEGIN:VCARD ... END:VCARD" },
	{ "empty file", "", "line 1: no BEGIN:VCARD in the file" },
	{ "open parameter quote", "BEGIN:VCARD\nTEL;TYPE=\"cell:1\nEND:VCARD\n",
	  "line 2: parameter quote is never closed" },
	{ "unknown charset", "BEGIN:VCARD\nFN;CHARSET=X-NO-SUCH-PAGE:\xF0\xF2\nEND:VCARD\n",
	  "line 2: FN is not UTF-8 and names no known CHARSET" },
	{ "bad UTF-8 with no charset", "BEGIN:VCARD\nVERSION:4.0\nFN:\xC3\x28\nEND:VCARD\n", NULL },
};

static void
test_bad(void)
{
	for (size_t i = 0; i < sizeof bad_cases / sizeof bad_cases[0]; i++) {
		const struct bad_case *c = &bad_cases[i];
		struct vcard_doc doc;
		struct cimic_error err;
		int rc = vcard_read(c->in, strlen(c->in), &doc, &err);

		if (c->msg == NULL) {
			/* no charset on invalid UTF-8: read as ISO-8859-1, as 2.1 implies */
			ok(rc == 0, "%s: read as Latin-1", c->name);
			if (rc == 0)
				vcard_doc_finish(&doc);
			continue;
		}
		is_int(rc, -1, "%s refused", c->name);
		is_int(err.code, CIMIC_EDATA, "%s: CIMIC_EDATA", c->name);
		is_str(err.msg, c->msg, "%s: message", c->name);
	}
}

static void
test_cp1251(void)
{
	const char *in = "BEGIN:VCARD\r\nVERSION:2.1\r\n"
			 "FN;CHARSET=WINDOWS-1251;ENCODING=QUOTED-PRINTABLE:=CA=E8=BF=E2\r\nEND:VCARD\r\n";
	struct vcard_doc doc;
	struct cimic_error err;

	if (!ok(vcard_read(in, strlen(in), &doc, &err) == 0, "Windows-1251 card reads"))
		return;
	is_str(vcard_find(&doc.cards[0], "FN")->value, "Київ", "converted to UTF-8");
	vcard_doc_finish(&doc);
}

/* Legacy code pages go through iconv: the euro sign of CP1252, KOI8-U, an unassigned byte. */
static void
test_code_pages(void)
{
	static const struct {
		const char *charset, *bytes, *utf8;
	} cases[] = {
		{ "WINDOWS-1252", "\x80 5 Caf\xE9", "€ 5 Café" },
		{ "KOI8-U", "\xEB\xC9\xA7\xD7", "Київ" },
		{ "KOI8-U", "\xE7\xC1\xCC\xC9\xDE\xC9\xCE\xC1 \xBD", "Галичина Ґ" },
		{ "CP866", "\x8A\xA8\xF5\xA2", "Київ" },
		{ "WINDOWS-1252", "a\x81" "b", "a\xEF\xBF\xBD" "b" },   /* 0x81 is unassigned */
	};

	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char in[256];
		struct vcard_doc doc;
		struct cimic_error err;
		snprintf(in, sizeof in, "BEGIN:VCARD\r\nVERSION:2.1\r\nFN;CHARSET=%s:%s\r\nEND:VCARD\r\n",
			 cases[i].charset, cases[i].bytes);
		if (!ok(vcard_read(in, strlen(in), &doc, &err) == 0, "%s card %zu reads",
			cases[i].charset, i))
			continue;
		is_str(vcard_find(&doc.cards[0], "FN")->value, cases[i].utf8, "%s card %zu decoded",
		       cases[i].charset, i);
		vcard_doc_finish(&doc);
	}
}

/* Unfolds b as a reader would: CRLF + one blank removed. */
static void
check_folding(const char *name, const char *value)
{
	struct buf b, unfolded;
	const char *s;
	size_t linelen = 0;
	bool short_lines = true, whole_chars = true;

	buf_init(&b);
	buf_init(&unfolded);
	vcard_write_line(&b, "NOTE", value, true);
	s = buf_cstr(&b);
	for (size_t i = 0; i < b.len; i++) {
		if (s[i] == '\r' && s[i + 1] == '\n') {
			if (i + 2 < b.len && ((unsigned char)s[i + 3] & 0xC0) == 0x80)
				whole_chars = false;
			if (linelen > 75)
				short_lines = false;
			linelen = 0;
			i++;
			if (i + 1 < b.len)
				i++;   /* the continuation blank */
			continue;
		}
		linelen++;
		buf_addc(&unfolded, (unsigned char)s[i]);
	}
	ok(short_lines, "%s: no line over 75 octets", name);
	ok(whole_chars, "%s: no fold inside a character", name);
	ok(b.len >= 2 && memcmp(s + b.len - 2, "\r\n", 2) == 0, "%s: ends in CRLF", name);
	{
		char *back = vcard_component(buf_cstr(&unfolded) + 5, -1);
		is_str(back, value, "%s: unfolds and unescapes to the value", name);
		free(back);
	}
	buf_finish(&b);
	buf_finish(&unfolded);
}

static void
test_writer(void)
{
	struct buf b;

	buf_init(&b);
	vcard_write_line(&b, "FN", "Doe, John; \\ jr", true);
	is_str(buf_cstr(&b), "FN:Doe\\, John\\; \\\\ jr\r\n", "escapes , ; \\");
	buf_finish(&b);
	check_folding("ASCII", "0123456789012345678901234567890123456789012345678901234567890123456789"
			       "0123456789012345678901234567890123456789012345678901234567890123456789");
	check_folding("Cyrillic", "Слов’янська міська військова адміністрація, відділ цивільно-"
				  "військового співробітництва, багато тексту для згортання рядків");
	check_folding("emoji", "😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀");
	check_folding("newlines", "line one\nline two\nline three, with a comma; and a semicolon");
	for (int n = 60; n < 160; n++) {
		char v[512];
		int k = 0;
		for (int i = 0; i < n; i++)
			k += snprintf(v + k, sizeof v - (size_t)k, i % 3 ? "ж" : "a");
		check_folding("sliding", v);
	}
}

int
main(void)
{
	const char *dir = tap_shared_data();

	if (dir == NULL) {
		printf("1..0 # SKIP CIMIC_SHARED_DATA is not set\n");
		return 77;
	}
	for (size_t i = 0; i < sizeof file_cases / sizeof file_cases[0]; i++)
		test_file(dir, &file_cases[i]);
	test_every_file(dir);
	test_bad();
	test_cp1251();
	test_code_pages();
	test_writer();
	return done_testing();
}
