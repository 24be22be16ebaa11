/*
 * io_values.c - the forms values take in other organisations' files,
 * made canonical before the model checks them.
 *
 * The command line accepts what an officer types; files bring what
 * spreadsheets and trackers write: "01.12.2026 22:10", "1 March 2015",
 * "1 200", "12.0" (a count from pandas), "48,5" in a latitude column,
 * "POINT(37.5 48.5)", event types and statuses in their own words.  Each
 * is turned into the form the model reads, or left alone so that the
 * model's own message names the problem.  Nothing here depends on the
 * locale or on the time of the import: the same file always means the
 * same records.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cimic/i18n.h"
#include "cimic/search.h"
#include "cimic/timefmt.h"
#include "io.h"

/* ---- words ---- */

char *
io_words(const char *text)
{
	char *folded = search_fold(text), *out;
	size_t n = 0;
	bool space = false;

	if (folded == NULL)
		return NULL;
	out = folded;
	for (const char *p = folded; *p; p++) {
		char c = *p;
		if (c == '(' || c == '[')
			break;   /* "Killed (people)": the words before the note */
		if (c == '_' || c == '-' || c == '.' || c == '/' || c == ' ' || c == '\t' ||
		    c == ':' || c == '*' || c == '?' || c == '#' || c == '\r' || c == '\n') {
			space = n > 0;
			continue;
		}
		if (space)
			out[n++] = ' ';
		space = false;
		out[n++] = c;
	}
	out[n] = '\0';
	return out;
}

/* Is `words` one of the '|'-separated entries of list? */
bool
io_words_in(const char *words, const char *list)
{
	size_t n = strlen(words);

	for (const char *p = list; *p;) {
		size_t len = strcspn(p, "|");
		if (len == n && strncmp(p, words, n) == 0)
			return true;
		p += len;
		if (*p == '|')
			p++;
	}
	return false;
}

int
io_cut(const char *text, size_t max)
{
	size_t n = strnlen(text, max + 1);

	if (n > max) {
		n = max;
		while (n > 0 && ((unsigned char)text[n] & 0xC0) == 0x80)
			n--;
	}
	return (int)n;
}

/* ---- codes ---- */

struct io_synonyms {
	const struct code_list *list;
	const char *code;
	const char *words;   /* io_words() forms, '|'-separated */
};

static const struct io_synonyms synonyms[] = {
	{ &codes_incident_type, "civilian_harm", "civilian casualties|casualties|civilian harm|"
	  "harm to civilians|жертви серед цивільних|цивільні жертви|шкода цивільним" },
	{ &codes_incident_type, "infrastructure_damage", "damage|infrastructure|destruction|"
	  "infrastructure damage|damage to infrastructure|пошкодження|руйнування|"
	  "пошкодження інфраструктури" },
	{ &codes_incident_type, "utility_outage", "outage|power outage|blackout|water outage|"
	  "gas outage|no power|no water|utilities|відключення|знеструмлення|"
	  "відключення світла|відключення води" },
	{ &codes_incident_type, "evacuation", "evacuation|evacuation request|евакуація" },
	{ &codes_incident_type, "displacement", "displacement|idp|idps|displaced|переміщення|впо" },
	{ &codes_incident_type, "humanitarian_access", "access|humanitarian access|access constraint|"
	  "access constraints|гуманітарний доступ|доступ" },
	{ &codes_incident_type, "shelter", "shelter|shelters|nfi|укриття|прихисток|житло" },
	{ &codes_incident_type, "medical", "medical|health|healthcare|медична допомога|медицина|"
	  "охорона здоровя" },
	{ &codes_incident_type, "food_water", "food|water|food and water|food security|wash|"
	  "вода|їжа|продовольство|харчування" },
	{ &codes_incident_type, "uxo", "uxo|erw|eo|explosive ordnance|explosive remnants of war|"
	  "landmine|landmines|mine|mines|вно|вибухонебезпечні предмети|міна|міни|розмінування" },
	{ &codes_incident_type, "other", "other|інше|інше питання" },
	{ &codes_incident_status, "reported", "open|new|reported|unverified|відкрито|нове|"
	  "повідомлено|не перевірено" },
	{ &codes_incident_status, "verified", "verified|confirmed|підтверджено|перевірено" },
	{ &codes_incident_status, "in_progress", "ongoing|in progress|active|in work|"
	  "в роботі|у роботі|триває|виконується" },
	{ &codes_incident_status, "resolved", "resolved|done|fixed|completed|вирішено|виконано|"
	  "усунуто" },
	{ &codes_incident_status, "closed", "closed|archived|закрито" },
	{ &codes_contact_category, "local_authority", "local authority|local government|"
	  "municipality|hromada|громада|місцева влада|ова|міська рада|сільська рада" },
	{ &codes_contact_category, "military_administration", "military administration|"
	  "військова адміністрація|ова|рва|мва" },
	{ &codes_contact_category, "utility", "utility|utilities|комунальне підприємство|"
	  "комунальні послуги" },
	{ &codes_contact_category, "health", "health|healthcare|hospital|medical|охорона здоровя|"
	  "медицина|лікарня" },
	{ &codes_contact_category, "education", "education|school|освіта|школа" },
	{ &codes_contact_category, "emergency_service", "emergency service|emergency|rescue|"
	  "дснс|рятувальники" },
	{ &codes_contact_category, "police", "police|поліція" },
	{ &codes_contact_category, "ngo", "ngo|ingo|nngo|csos|cso|нуо|го|громадська організація" },
	{ &codes_contact_category, "un_agency", "un|un agency|united nations|оон|агенція оон" },
	{ &codes_contact_category, "religious", "religious|church|релігійна організація|церква" },
	{ &codes_contact_category, "volunteer", "volunteer|volunteers|волонтер|волонтери" },
	{ &codes_contact_category, "business", "business|private sector|company|бізнес|компанія" },
	{ &codes_contact_category, "shelter", "shelter|shelter cnfi|укриття|прихисток" },
	{ &codes_contact_category, "media", "media|press|змі|медіа" },
	{ &codes_contact_category, "other", "other|інше" },
};

const char *
io_code_find(const struct code_list *list, const char *text)
{
	const struct code_item *it = codes_find(list, text);
	const char *found = NULL;
	char *words;

	if (it != NULL)
		return it->code;
	words = io_words(text);
	if (words == NULL || words[0] == '\0') {
		free(words);
		return NULL;
	}
	for (size_t i = 0; i < list->count && found == NULL; i++) {
		char *code = io_words(list->items[i].code), *label = io_words(list->items[i].label);
		if ((code && strcmp(code, words) == 0) || (label && strcmp(label, words) == 0))
			found = list->items[i].code;
		free(code);
		free(label);
	}
	for (size_t i = 0; i < sizeof synonyms / sizeof synonyms[0] && found == NULL; i++)
		if (synonyms[i].list == list && io_words_in(words, synonyms[i].words))
			found = synonyms[i].code;
	free(words);
	return found;
}

/* ---- counts and coordinates ---- */

/* Length of a digit-group separator at p (blank, no-break or thin space), or 0. */
static size_t
io_group_space(const char *p)
{
	if (*p == ' ')
		return 1;
	if (strncmp(p, "\xC2\xA0", 2) == 0)
		return 2;
	if (strncmp(p, "\xE2\x80\xAF", 3) == 0 || strncmp(p, "\xE2\x80\x89", 3) == 0)
		return 3;
	return 0;
}

/* "1,234,567": commas every three digits. */
static bool
io_comma_groups(const char *s)
{
	size_t lead = strspn(s, "0123456789");

	if (lead == 0 || lead > 3 || s[lead] != ',')
		return false;
	for (s += lead; *s == ','; s += 4)
		if (strspn(s + 1, "0123456789") < 3 || (s[4] != ',' && s[4] != '\0' && s[4] != '.'))
			return false;
	return *s == '\0' || *s == '.';
}

char *
io_count_text(const char *text)
{
	struct buf b;
	char *out, *dot;
	bool commas = io_comma_groups(text);

	buf_init(&b);
	for (const char *p = text; *p;) {
		size_t sp = io_group_space(p);
		if (sp && b.len > 0 && p[sp] >= '0' && p[sp] <= '9') {
			p += sp;
			continue;
		}
		if (*p == ',' && commas) {
			p++;
			continue;
		}
		buf_addc(&b, (unsigned char)*p++);
	}
	out = b.failed ? NULL : util_strdup(buf_cstr(&b));
	buf_finish(&b);
	/* "12.0", "12.00": a whole number written as a float */
	if (out && (dot = strchr(out, '.')) != NULL && dot > out &&
	    strspn(out, "0123456789") == (size_t)(dot - out) && dot[1] != '\0' &&
	    strspn(dot + 1, "0") == strlen(dot + 1))
		*dot = '\0';
	return out;
}

char *
io_degree_text(const char *text)
{
	const char *comma = strchr(text, ',');
	char *out = util_strdup(text);

	if (out && comma && strchr(comma + 1, ',') == NULL && strchr(text, '.') == NULL)
		out[comma - text] = '.';
	return out;
}

/* The next number-looking token of s (digits, sign, point, exponent); its length. */
static size_t
io_number_token(const char **s)
{
	size_t n;

	*s += strspn(*s, " ;\t");
	n = strspn(*s, "+-0123456789.eE");
	return strpbrk(*s, "0123456789") != NULL && n > 0 ? n : 0;
}

char *
io_coord_text(const char *text)
{
	const char *s = text, *a, *b;
	size_t na, nb;
	bool wkt = strncasecmp(s, "point", 5) == 0;

	if (wkt) {
		s += 5 + strspn(s + 5, " ");
		if (*s++ != '(')
			return util_strdup(text);
	}
	if (strchr(s, ',') != NULL || strspn(s, "+-0123456789.eE ;\t)") != strlen(s))
		return util_strdup(text);
	a = s;
	if ((na = io_number_token(&a)) == 0)
		return util_strdup(text);
	b = a + na;
	if (strspn(b, " ;\t") == 0 || (nb = io_number_token(&b)) == 0)
		return util_strdup(text);
	s = b + nb;
	s += strspn(s, " ");
	if (*s != (wkt ? ')' : '\0') || (wkt && s[1 + strspn(s + 1, " ")] != '\0'))
		return util_strdup(text);
	/* WKT is "lon lat"; everything else here "lat lon" */
	return wkt ? util_aprintf("%.*s,%.*s", (int)nb, b, (int)na, a)
		   : util_aprintf("%.*s,%.*s", (int)na, a, (int)nb, b);
}

/* ---- dates ---- */

struct io_date {
	int year, month, day, hour, minute, second;
	bool utc;
};

static bool
io_number(const char **s, int min_digits, int max_digits, int *out)
{
	int n = 0, v = 0;

	while (n < max_digits && (*s)[n] >= '0' && (*s)[n] <= '9')
		v = v * 10 + ((*s)[n++] - '0');
	if (n < min_digits)
		return false;
	*s += n;
	*out = v;
	return true;
}

/* " 13:30", "T13:30:05", ", 13:30" or nothing, then " UTC"/" GMT"/"Z" or nothing. */
static bool
io_time_of_day(const char *s, struct io_date *d)
{
	while (*s == ' ' || *s == ',')
		s++;
	if (*s == 'T' || *s == 't')
		s++;
	if (*s >= '0' && *s <= '9') {
		if (!io_number(&s, 1, 2, &d->hour) || *s++ != ':' || !io_number(&s, 2, 2, &d->minute))
			return false;
		if (*s == ':' && (s++, !io_number(&s, 2, 2, &d->second)))
			return false;
	}
	while (*s == ' ')
		s++;
	if (strcasecmp(s, "utc") == 0 || strcasecmp(s, "gmt") == 0 || strcasecmp(s, "z") == 0) {
		d->utc = true;
		return true;
	}
	return *s == '\0';
}

static const char *const months_en[] = { "january", "february", "march", "april", "may", "june",
	"july", "august", "september", "october", "november", "december" };
static const char *const months_uk[] = { "січня|січень", "лютого|лютий", "березня|березень",
	"квітня|квітень", "травня|травень", "червня|червень", "липня|липень", "серпня|серпень",
	"вересня|вересень", "жовтня|жовтень", "листопада|листопад", "грудня|грудень" };

/* Month named by the word at *s (English in full or 3 letters, Ukrainian); advances past it. */
static int
io_month_word(const char **s)
{
	size_t n = strcspn(*s, " ,.-/0123456789");
	char word[48], *folded;
	int month = 0;

	if (n == 0 || n >= sizeof word)
		return 0;
	memcpy(word, *s, n);
	word[n] = '\0';
	folded = search_fold(word);
	for (int i = 0; folded && i < 12 && month == 0; i++) {
		size_t len = strlen(folded);
		if (strcmp(folded, months_en[i]) == 0 ||
		    (len >= 3 && len <= 4 && strncmp(folded, months_en[i], len) == 0 &&
		     (len == 3 || strcmp(folded, "sept") == 0)) ||
		    io_words_in(folded, months_uk[i]))
			month = i + 1;
	}
	free(folded);
	if (month)
		*s += n;
	return month;
}

static const char *
io_skip(const char *s, const char *chars)
{
	return s + strspn(s, chars);
}

/* "1 March 2015", "01-Mar-2015", "1 березня 2015 р.", "March 1, 2015". */
static bool
io_date_words(const char *s, struct io_date *d)
{
	if (*s >= '0' && *s <= '9') {
		if (!io_number(&s, 1, 2, &d->day))
			return false;
		s = io_skip(s, " -.");
		if ((d->month = io_month_word(&s)) == 0)
			return false;
		s = io_skip(s, " -.,");
	} else {
		if ((d->month = io_month_word(&s)) == 0)
			return false;
		s = io_skip(s, " ");
		if (!io_number(&s, 1, 2, &d->day))
			return false;
		s = io_skip(s, " ,");
	}
	if (!io_number(&s, 4, 4, &d->year))
		return false;
	if (strncmp(s, " р.", 4) == 0 || strncmp(s, " року", 9) == 0)
		s += s[3] == '.' ? 4 : 9;
	return io_time_of_day(s, d);
}

/* "24.11.2026", "24/11/2026", "2026/11/24", with a time of day or none. */
static int
io_date_digits(const char *s, struct io_date *d, struct cimic_error *err)
{
	const char *start = s;
	int a, b, c;
	char sep;

	if (!io_number(&s, 1, 4, &a) || (*s != '.' && *s != '/'))
		return 0;
	sep = *s++;
	if (!io_number(&s, 1, 2, &b) || *s++ != sep || !io_number(&s, 1, 4, &c))
		return 0;
	if (s - start < 8 || !io_time_of_day(s, d))
		return 0;
	if (a > 31 && sep == '/') {                 /* 2026/11/24 */
		d->year = a, d->month = b, d->day = c;
	} else if (c < 1000) {
		return 0;
	} else if (sep == '.' || a > 12 || a == b) { /* 24.11.2026, 24/11/2026 */
		d->day = a, d->month = b, d->year = c;
	} else if (b > 12) {
		d->month = a, d->day = b, d->year = c;  /* 11/24/2026 */
	} else {
		return cimic_error_set(err, CIMIC_EDATA, _("'%s' could be either day/month or "
				       "month/day: write it as YYYY-MM-DD"), start);
	}
	return 1;
}

static int
io_date_to_ms(const struct io_date *d, const char *text, int64_t *ms, struct cimic_error *err)
{
	char iso[48];

	snprintf(iso, sizeof iso, "%04d-%02d-%02dT%02d:%02d:%02d%s", d->year, d->month, d->day,
		 d->hour, d->minute, d->second, d->utc ? "Z" : "");
	if (timefmt_parse(iso, 0, ms, err) != 0)
		return cimic_error_set(err, CIMIC_EDATA, _("no such date or time: %s"), text);
	return 0;
}

int
io_time_parse(const char *text, int64_t *ms, struct cimic_error *err)
{
	struct io_date d;
	char trimmed[80], *t;
	size_t n;
	int rc;

	snprintf(trimmed, sizeof trimmed, "%s", text);
	t = util_trim(trimmed);
	n = strlen(t);
	if (n > 4 && (strcasecmp(t + n - 4, " utc") == 0 || strcasecmp(t + n - 4, " gmt") == 0)) {
		char iso[80];
		t[n - 4] = '\0';
		snprintf(iso, sizeof iso, "%sZ", t);
		if (strchr(t, '-') == t + 4 && timefmt_parse(iso, 0, ms, err) == 0)
			return 0;
		t[n - 4] = ' ';
	}
	if (strcasecmp(t, "now") == 0)
		return cimic_error_set(err, CIMIC_EDATA, _("'%s' is not a date: a file needs real "
				       "dates, not times relative to the import"), t);
	memset(&d, 0, sizeof d);
	if (io_date_words(t, &d))
		return io_date_to_ms(&d, t, ms, err);
	memset(&d, 0, sizeof d);
	if ((rc = io_date_digits(t, &d, err)) != 0)
		return rc < 0 ? -1 : io_date_to_ms(&d, t, ms, err);
	return timefmt_parse(t, 0, ms, err);
}
