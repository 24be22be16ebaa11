/* test-gazetteer.c - GeoNames parsing, name keys, import and lookup. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cimic/formats.h"
#include "cimic/gazetteer.h"
#include "gazetteer_private.h"
#include "support.h"
#include "tap.h"

struct key_case {
	const char *a, *b;     /* must share a key */
};

static const struct key_case same_key[] = {
	{ "Слов'янськ", "Слов’янськ" },
	{ "Слов'янськ", "Словʼянськ" },
	{ "Слов'янськ", "Sloviansk" },
	{ "Слов'янськ", "Slovyansk" },
	{ "Київ", "Kyiv" },
	{ "Київ", "Kiev" },
	{ "Київ", "КИЇВ" },
	{ "Харків", "Kharkiv" },
	{ "Харків", "Harkiv" },
	{ "Запоріжжя", "Zaporizhzhia" },
	{ "Запоріжжя", "Zaporizhia" },
	{ "Бoгатирівка", "Богатирівка" },        /* Latin o inside */
	{ "Церкoвна", "Церковна" },
	{ "Будищe", "Будище" },
	{ "Олександрі́йське", "Олександрійське" }, /* stress mark */
	{ "Чорноморськ (Чорноморська міська рада)", "Чорноморськ" },
	{ "Івано-Франківськ", "Ivano Frankivsk" },
	{ "Ї\xcc\x88жакевич", "Їжакевич" },
	{ "Гола Пристань", "Hola Prystan" },
	{ "Біла Церква", "Bila Tserkva" },
};

static const struct key_case other_key[] = {
	{ "Київ", "Харків" },
	{ "Sloviansk", "Slavutych" },
};

static void
test_keys(void)
{
	char *r;

	for (size_t i = 0; i < sizeof same_key / sizeof same_key[0]; i++) {
		char *a = gazetteer_key(same_key[i].a), *b = gazetteer_key(same_key[i].b);
		if (!ok(a && b && strcmp(a, b) == 0, "'%s' and '%s' share a key", same_key[i].a,
			same_key[i].b))
			tap_diag("'%s' vs '%s'", a, b);
		free(a);
		free(b);
	}
	for (size_t i = 0; i < sizeof other_key / sizeof other_key[0]; i++) {
		char *a = gazetteer_key(other_key[i].a), *b = gazetteer_key(other_key[i].b);
		ok(a && b && strcmp(a, b) != 0, "'%s' and '%s' differ", other_key[i].a, other_key[i].b);
		free(a);
		free(b);
	}
	r = gazetteer_romanised("Згурівка");
	is_str(r, "zghurivka", "KMU: зг -> zgh");
	free(r);
	r = gazetteer_romanised("Ясіня Єнакієве Юрівка Їжакевич Йосипівка");
	is_str(r, "yasinia yenakiieve yurivka yizhakevych yosypivka", "KMU: word-initial forms");
	free(r);
	r = gazetteer_fold("Бoгатирівка");
	is_str(r, "богатирівка", "fold: Latin look-alike replaced, lower case");
	free(r);
	r = gazetteer_fold("Slovo Sloviansk");
	is_str(r, "slovo sloviansk", "fold: Latin words stay Latin");
	free(r);
}

static int
count_row(const struct gazetteer_row *row, void *arg)
{
	long *n = arg;

	(*n)++;
	return row->lat >= 44 && row->lat <= 53 ? 0 : -1;
}

static char *
slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *data;
	long size;

	if (f == NULL)
		return NULL;
	fseek(f, 0, SEEK_END);
	size = ftell(f);
	rewind(f);
	data = malloc((size_t)size + 1);
	*len = fread(data, 1, (size_t)size, f);
	fclose(f);
	return data;
}

struct bad_case {
	const char *name;
	const char *in;
	const char *msg;
};

static const struct bad_case bad_cases[] = {
	{ "too few columns", "UA\t1\tA\tB\t01\tC\t\t\t\t49.1\t32.1\t4\nUA\t2\tX\t49.1\n",
	  "line 2: 4 tab-separated columns; a GeoNames dump has 12 (postal codes) or 19 (gazetteer)" },
	{ "comma decimal", "UA\t1\tA\tB\t01\tC\t\t\t\t49,1\t32.1\t4\n",
	  "line 1: latitude '49,1' is not a number from -90 to 90" },
	{ "latitude out of range", "UA\t1\tA\tB\t01\tC\t\t\t\t91\t32.1\t4\n",
	  "line 1: latitude '91' is not a number from -90 to 90" },
	{ "bad accuracy", "UA\t1\tA\tB\t01\tC\t\t\t\t49\t32.1\t9\n",
	  "line 1: accuracy '9' is not 1 to 6" },
	{ "no name", "UA\t1\t\tB\t01\tC\t\t\t\t49\t32.1\t4\n",
	  "line 1: place name empty or longer than 200 bytes" },
	{ "not UTF-8", "UA\t1\t\xC4\xE0\tB\t01\tC\t\t\t\t49\t32.1\t4\n", "line 1: text is not UTF-8" },
	{ "empty", "", "line 1: empty file: no places" },
	{ "hex number", "UA\t1\tA\tB\t01\tC\t\t\t\t0x10\t32.1\t4\n",
	  "line 1: latitude '0x10' is not a number from -90 to 90" },
};

static void
test_parse(const char *dir)
{
	enum gazetteer_layout layout;
	struct cimic_error err;
	char path[4096];
	size_t len = 0;
	long n = 0;
	char *data;

	snprintf(path, sizeof path, "%s/places/geonames-postal-UA.txt", dir);
	data = slurp(path, &len);
	if (!ok(data != NULL, "postal dump readable"))
		return;
	is_int(gazetteer_parse(data, len, count_row, &n, &layout, &err), 0, "postal dump parses");
	is_int(n, 29571, "all 29,571 rows");
	is_int(layout, GAZETTEER_POSTAL, "postal layout detected");
	free(data);
	for (size_t i = 0; i < sizeof bad_cases / sizeof bad_cases[0]; i++) {
		const struct bad_case *c = &bad_cases[i];
		n = 0;
		is_int(gazetteer_parse(c->in, strlen(c->in), count_row, &n, &layout, &err), -1,
		       "%s refused", c->name);
		is_str(err.msg, c->msg, "%s: message", c->name);
	}
	{
		const char *full = "703448\tKyiv\tKyiv\tKiev,Kijow,Київ,Киев\t50.45466\t30.5238\tP\tPPLC"
				   "\tUA\t\t12\t\t\t\t2797553\t\t187\tEurope/Kyiv\t2024-01-01\n"
				   "1\tDnipro River\tDnipro\t\t46.5\t32.3\tH\tSTM\tUA\t\t\t\t\t\t0\t\t0"
				   "\tEurope/Kyiv\t2024-01-01\n";
		n = 0;
		is_int(gazetteer_parse(full, strlen(full), count_row, &n, &layout, &err), 0,
		       "full dump parses");
		is_int(layout, GAZETTEER_FULL, "full layout detected");
		is_int(n, 1, "feature class H skipped, P kept");
	}
}

struct lookup_case {
	const char *query;
	const char *name;      /* expected first result */
	const char *admin1;
};

static const struct lookup_case lookups[] = {
	{ "Київ", "Київ", "Kyiv" },
	{ "Kyiv", "Київ", "Kyiv" },
	{ "KIEV", "Київ", "Kyiv" },
	{ "Слов'янськ", "Слов'янськ", "Donetska" },
	{ "Слов’янськ", "Слов'янськ", "Donetska" },
	{ "Словʼянськ", "Слов'янськ", "Donetska" },
	{ "Sloviansk", "Слов'янськ", "Donetska" },
	{ "Slovyansk", "Слов'янськ", "Donetska" },
	{ "Kharkiv", "Харків", "Kharkivska" },
	{ "Запоріжжя", "Запоріжжя", "Zaporizka" },
	{ "Богатирівка", "Бoгатирівка", NULL },     /* stored with a Latin o */
	{ "Чорноморськ", "Чорноморськ (Чорноморська міська рада)", "Odeska" },
	{ "Ivano-Frankivsk", "Івано-Франківськ", "Ivano-Frankivska" },
	{ "Kramatorsk", "Краматорськ", "Donetska" },
};

static void
test_store_import(const char *shared)
{
	struct gazetteer_import_stats stats;
	struct gazetteer_place places[8];
	struct cimic_error err;
	struct timespec t0, t1;
	char path[4096], *dir;
	size_t len = 0, n;
	struct store *st = test_store("G", NODE_FIELD, &dir);
	char *data;
	double secs;

	snprintf(path, sizeof path, "%s/places/geonames-postal-UA.txt", shared);
	data = slurp(path, &len);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	is_int(gazetteer_import(st, data, len, &stats, &err), 0, "postal dump imports");
	clock_gettime(CLOCK_MONOTONIC, &t1);
	secs = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	tap_diag("imported %ld rows in %d ms", stats.rows, (int)(secs * 1000));
	is_int(stats.rows, 29571, "29,571 rows read");
	is_int(gazetteer_count(st), 29571, "29,571 places stored");
	ok(gazetteer_import(st, data, len, &stats, &err) == 0 && gazetteer_count(st) == 29571,
	   "importing again keeps one copy");
	ok(gazetteer_import(st, "UA\t1\tA\tB\t01\tC\t\t\t\t91\t32\t4\n", 31, &stats, &err) != 0 &&
	   gazetteer_count(st) == 29571, "a malformed file changes nothing");
	for (size_t i = 0; i < sizeof lookups / sizeof lookups[0]; i++) {
		const struct lookup_case *c = &lookups[i];
		int rc = gazetteer_lookup(st, c->query, false, places, 8, &n, &err);
		if (!ok(rc == 0 && n > 0 && strcmp(places[0].name, c->name) == 0 &&
			(c->admin1 == NULL || strcmp(places[0].admin1, c->admin1) == 0),
			"'%s' finds %s", c->query, c->name))
			tap_diag("got %zu: %s (%s)", n, n ? places[0].name : "-", n ? places[0].admin1 : "-");
	}
	gazetteer_lookup(st, "Київ", false, places, 8, &n, &err);
	ok(n > 0 && places[0].postcodes > 100 && places[0].lat > 50.3 && places[0].lat < 50.6 &&
	   places[0].lon > 30.3 && places[0].lon < 30.8, "Kyiv: coordinates, postcodes grouped (%d)",
	   n ? places[0].postcodes : 0);
	gazetteer_lookup(st, "Слов", true, places, 8, &n, &err);
	ok(n > 0, "prefix lookup finds %zu places", n);
	gazetteer_lookup(st, "Nowhereville", false, places, 8, &n, &err);
	is_int(n, 0, "no match is an empty result");
	free(data);
	store_close(st);
	test_rmdir(dir);
}

int
main(void)
{
	const char *dir = tap_shared_data();

	if (dir == NULL) {
		printf("1..0 # SKIP CIMIC_SHARED_DATA is not set\n");
		return 77;
	}
	if (sodium_init() < 0)
		return 99;
	test_keys();
	test_parse(dir);
	test_store_import(dir);
	return done_testing();
}
