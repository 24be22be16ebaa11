/*
 * vcard.c - vCard reader (2.1 as phones write it, 3.0, 4.0) and the
 * content-line writer for 4.0.
 *
 * Reading goes in two steps.  Physical lines are joined into content
 * lines: a line starting with a blank continues the previous one
 * (RFC 6350 3.2), and in a QUOTED-PRINTABLE value a line ending in '='
 * continues on the next (the soft line break of vCard 2.1).  Each
 * content line is then split into group, name, parameters and value;
 * QUOTED-PRINTABLE is decoded and CHARSET converted to UTF-8 so the
 * value holds UTF-8 text with the vCard escapes still in place
 * (structured values need them to split on ';').
 *
 * Errors name the physical line a content line starts on.  Limits:
 * FORMATS_MAX_LINE per content line, VCARD_MAX_PROPS per card,
 * FORMATS_MAX_RECORDS cards.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cimic/formats.h"
#include "cimic/i18n.h"
#include "vcard_text.h"

#define VCARD_MAX_PROPS 2000

struct vcard_lines {
	const char *p, *end;
	size_t line;          /* physical line of p */
};

/* Next physical line without its line end. false at end of input. */
static bool
vcard_next_physical(struct vcard_lines *in, const char **s, size_t *n)
{
	const char *start = in->p;

	if (in->p >= in->end)
		return false;
	while (in->p < in->end && *in->p != '\r' && *in->p != '\n')
		in->p++;
	*s = start;
	*n = (size_t)(in->p - start);
	/* CR CR LF (a file converted to CRLF twice) is one line end */
	if (in->end - in->p >= 3 && memcmp(in->p, "\r\r\n", 3) == 0)
		in->p++;
	if (in->p < in->end && *in->p == '\r')
		in->p++;
	if (in->p < in->end && *in->p == '\n')
		in->p++;
	in->line++;
	return true;
}

static bool
vcard_peek_blank_start(const struct vcard_lines *in)
{
	return in->p < in->end && (*in->p == ' ' || *in->p == '\t');
}

/* Does the name-and-parameters part of a content line ask for QUOTED-PRINTABLE? */
static bool
vcard_is_qp(const unsigned char *s, size_t n)
{
	static const char key[] = "QUOTED-PRINTABLE";
	size_t k = sizeof key - 1;

	for (size_t i = 0; i < n && s[i] != ':'; i++)
		if (n - i >= k && strncasecmp((const char *)s + i, key, k) == 0)
			return true;
	return false;
}

/*
 * Joins physical lines into one content line in out.  *line gets the
 * first physical line's number.  0 at end of input, 1 with a line, -1.
 */
static int
vcard_next_content(struct vcard_lines *in, struct buf *out, size_t *line, struct cimic_error *err)
{
	const char *s;
	size_t n;

	out->len = 0;
	do {
		if (!vcard_next_physical(in, &s, &n))
			return 0;
	} while (n == 0);
	*line = in->line;
	buf_add(out, s, n);
	for (;;) {
		bool qp_soft = out->len > 0 && out->data[out->len - 1] == '=' &&
			       vcard_is_qp(out->data, out->len);
		if (qp_soft && in->p < in->end) {
			out->len--;
		} else if (!vcard_peek_blank_start(in)) {
			break;
		}
		vcard_next_physical(in, &s, &n);
		if (!qp_soft && n > 0) {
			s++;
			n--;
		}
		buf_add(out, s, n);
		if (out->len > FORMATS_MAX_LINE)
			return cimic_error_set(err, CIMIC_EDATA,
					       _("line %zu: content line longer than %u bytes"), *line,
					       FORMATS_MAX_LINE);
	}
	if (out->failed)
		return cimic_error_set(err, CIMIC_EFAIL, _("out of memory"));
	return 1;
}

static void
vcard_prop_finish(struct vcard_prop *p)
{
	free(p->group);
	free(p->name);
	for (size_t i = 0; i < p->nparams; i++) {
		free(p->params[i].name);
		free(p->params[i].value);
	}
	free(p->value);
	memset(p, 0, sizeof *p);
}

static void
vcard_card_finish(struct vcard_card *c)
{
	for (size_t i = 0; i < c->nprops; i++)
		vcard_prop_finish(&c->props[i]);
	free(c->props);
	memset(c, 0, sizeof *c);
}

void
vcard_doc_finish(struct vcard_doc *doc)
{
	if (doc == NULL)
		return;
	for (size_t i = 0; i < doc->ncards; i++)
		vcard_card_finish(&doc->cards[i]);
	free(doc->cards);
	doc->cards = NULL;
	doc->ncards = 0;
}

static char *
vcard_upper_dup(const char *s, size_t n)
{
	char *d = util_strndup(s, n);

	for (size_t i = 0; d && d[i]; i++)
		d[i] = (char)toupper((unsigned char)d[i]);
	return d;
}

static bool
vcard_name_char(char c)
{
	return isalnum((unsigned char)c) || c == '-' || c == '_';
}

/* One parameter at *sp ("TYPE=a,b", "CHARSET=\"x\"" or a bare 2.1 "CELL"). */
static int
vcard_parse_param(const char **sp, struct vcard_prop *p, size_t line, struct cimic_error *err)
{
	const char *s = *sp, *start = s;
	struct vcard_param *pa;
	struct buf v;

	if (p->nparams >= VCARD_MAX_PARAMS)
		return cimic_error_set(err, CIMIC_EDATA, _("line %zu: more than %d parameters"), line,
				       VCARD_MAX_PARAMS);
	while (vcard_name_char(*s))
		s++;
	pa = &p->params[p->nparams++];
	buf_init(&v);
	if (*s == '=') {
		pa->name = vcard_upper_dup(start, (size_t)(s - start));
		s++;
	} else {
		s = start;
	}
	while (*s && *s != ';' && *s != ':') {
		if (*s == '"') {
			const char *q = strchr(s + 1, '"');
			if (q == NULL) {
				buf_finish(&v);
				return cimic_error_set(err, CIMIC_EDATA,
						       _("line %zu: parameter quote is never closed"), line);
			}
			buf_add(&v, s + 1, (size_t)(q - s - 1));
			s = q + 1;
		} else {
			buf_addc(&v, (unsigned char)*s++);
		}
	}
	pa->value = util_strndup(v.len ? (const char *)v.data : "", v.len);
	buf_finish(&v);
	*sp = s;
	return 0;
}

/* Splits "group.NAME;params:value" (NUL-terminated text) into p. */
static int
vcard_parse_line(const char *text, size_t line, struct vcard_prop *p, struct cimic_error *err)
{
	const char *s = text, *name = text, *dot = NULL;

	memset(p, 0, sizeof *p);
	p->line = line;
	while (vcard_name_char(*s) || *s == '.') {
		if (*s == '.')
			dot = s;
		s++;
	}
	if (dot) {
		p->group = util_strndup(text, (size_t)(dot - text));
		name = dot + 1;
	}
	if (s == name || (*s != ';' && *s != ':'))
		return cimic_error_set(err, CIMIC_EDATA,
				       _("line %zu: not a vCard property line (NAME:value)"), line);
	p->name = vcard_upper_dup(name, (size_t)(s - name));
	while (*s == ';') {
		s++;
		if (vcard_parse_param(&s, p, line, err) < 0)
			return -1;
	}
	if (*s != ':')
		return cimic_error_set(err, CIMIC_EDATA, _("line %zu: property has no ':'"), line);
	p->value = util_strdup(s + 1);
	if (p->name == NULL || p->value == NULL)
		return cimic_error_set(err, CIMIC_EFAIL, _("out of memory"));
	return 0;
}

/* Decodes QUOTED-PRINTABLE and converts CHARSET so p->value is UTF-8. */
static int
vcard_decode_value(struct vcard_prop *p, struct cimic_error *err)
{
	const char *enc = vcard_param(p, "ENCODING");
	const char *cs = vcard_param(p, "CHARSET");
	bool qp = (enc && strcasecmp(enc, "QUOTED-PRINTABLE") == 0) ||
		  vcard_has_type(p, "QUOTED-PRINTABLE");
	char *text;

	if (qp)
		vcard_text_qp_decode(p->value);
	if (enc && (strcasecmp(enc, "BASE64") == 0 || strcasecmp(enc, "B") == 0))
		return 0;   /* binary (PHOTO, KEY): kept as written, never imported */
	if (vcard_has_type(p, "BASE64"))
		return 0;
	if (util_utf8_valid(p->value, strlen(p->value)))
		return 0;
	text = vcard_text_to_utf8(p->value, cs);
	if (text == NULL)
		return cimic_error_set(err, CIMIC_EDATA,
				       _("line %zu: %s is not UTF-8 and names no known CHARSET"),
				       p->line, p->name);
	free(p->value);
	p->value = text;
	return 0;
}

static int
vcard_add_prop(struct vcard_card *c, struct vcard_prop *p, struct cimic_error *err)
{
	struct vcard_prop *grown;

	if (c->nprops >= VCARD_MAX_PROPS)
		return cimic_error_set(err, CIMIC_EDATA, _("line %zu: more than %d properties in a card"),
				       p->line, VCARD_MAX_PROPS);
	grown = realloc(c->props, (c->nprops + 1) * sizeof *grown);
	if (grown == NULL)
		return cimic_error_set(err, CIMIC_EFAIL, _("out of memory"));
	c->props = grown;
	c->props[c->nprops++] = *p;
	memset(p, 0, sizeof *p);
	return 0;
}

/* Is p "name:value" (value case-insensitive, trailing blanks ignored)? */
static bool
vcard_is(const struct vcard_prop *p, const char *name, const char *value)
{
	size_t n = strlen(value), m = strlen(p->value);

	while (m > n && (p->value[m - 1] == ' ' || p->value[m - 1] == '\t'))
		m--;
	return p->group == NULL && strcmp(p->name, name) == 0 && m == n &&
	       strncasecmp(p->value, value, n) == 0;
}

static int
vcard_add_card(struct vcard_doc *doc, size_t line, struct cimic_error *err)
{
	struct vcard_card *grown;

	if (doc->ncards >= FORMATS_MAX_RECORDS)
		return cimic_error_set(err, CIMIC_EDATA, _("line %zu: more than %d cards"), line,
				       FORMATS_MAX_RECORDS);
	grown = realloc(doc->cards, (doc->ncards + 1) * sizeof *grown);
	if (grown == NULL)
		return cimic_error_set(err, CIMIC_EFAIL, _("out of memory"));
	doc->cards = grown;
	memset(&doc->cards[doc->ncards], 0, sizeof *grown);
	doc->cards[doc->ncards].line = line;
	doc->ncards++;
	return 0;
}

/* Handles one property: BEGIN, END or a property of the open card. */
static int
vcard_take(struct vcard_doc *doc, struct vcard_prop *p, struct vcard_card **open,
	   struct cimic_error *err)
{
	if (vcard_is(p, "BEGIN", "VCARD")) {
		if (*open)
			return cimic_error_set(err, CIMIC_EDATA,
					       _("line %zu: BEGIN:VCARD inside the card of line %zu "
						 "(missing END:VCARD)"), p->line, (*open)->line);
		if (vcard_add_card(doc, p->line, err) < 0)
			return -1;
		*open = &doc->cards[doc->ncards - 1];
		return 0;
	}
	if (*open == NULL)
		return cimic_error_set(err, CIMIC_EDATA,
				       _("line %zu: %s outside BEGIN:VCARD ... END:VCARD"), p->line,
				       p->name);
	if (vcard_is(p, "END", "VCARD")) {
		*open = NULL;
		return 0;
	}
	if (strcmp(p->name, "VERSION") == 0)
		snprintf((*open)->version, sizeof (*open)->version, "%s", p->value);
	if (vcard_decode_value(p, err) < 0)
		return -1;
	return vcard_add_prop(*open, p, err);
}

int
vcard_read(const char *data, size_t len, struct vcard_doc *doc, struct cimic_error *err)
{
	struct vcard_lines in = { data, data + len, 0 };
	struct vcard_card *open = NULL;
	struct vcard_prop prop;
	struct buf content;
	size_t line = 0;
	int got;

	memset(doc, 0, sizeof *doc);
	memset(&prop, 0, sizeof prop);
	buf_init(&content);
	if (len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0)
		in.p += 3;
	if (memchr(data, '\0', len))
		got = cimic_error_set(err, CIMIC_EDATA, _("line %zu: NUL byte in text"),
				      vcard_text_line_of(data, (const char *)memchr(data, '\0', len)));
	else
		while ((got = vcard_next_content(&in, &content, &line, err)) > 0) {
			if (vcard_parse_line(buf_cstr(&content), line, &prop, err) < 0 ||
			    vcard_take(doc, &prop, &open, err) < 0) {
				got = -1;
				break;
			}
			vcard_prop_finish(&prop);
		}
	if (got == 0 && open)
		got = cimic_error_set(err, CIMIC_EDATA,
				      _("line %zu: the card begun here has no END:VCARD"), open->line);
	if (got == 0 && doc->ncards == 0)
		got = cimic_error_set(err, CIMIC_EDATA, _("line %zu: no BEGIN:VCARD in the file"),
				      in.line ? in.line : 1);
	vcard_prop_finish(&prop);
	buf_finish(&content);
	if (got < 0) {
		vcard_doc_finish(doc);
		return -1;
	}
	return 0;
}

const struct vcard_prop *
vcard_find(const struct vcard_card *card, const char *name)
{
	for (size_t i = 0; i < card->nprops; i++)
		if (strcmp(card->props[i].name, name) == 0)
			return &card->props[i];
	return NULL;
}

const char *
vcard_param(const struct vcard_prop *prop, const char *name)
{
	for (size_t i = 0; i < prop->nparams; i++)
		if (prop->params[i].name && strcasecmp(prop->params[i].name, name) == 0)
			return prop->params[i].value;
	return NULL;
}

/* Is `type` one of the ','-separated items of list? */
static bool
vcard_list_has(const char *list, const char *type)
{
	size_t n = strlen(type);

	for (const char *s = list; *s;) {
		const char *e = strchr(s, ',');
		size_t len = e ? (size_t)(e - s) : strlen(s);
		if (len == n && strncasecmp(s, type, n) == 0)
			return true;
		if (e == NULL)
			break;
		s = e + 1;
	}
	return false;
}

bool
vcard_has_type(const struct vcard_prop *prop, const char *type)
{
	for (size_t i = 0; i < prop->nparams; i++) {
		const struct vcard_param *pa = &prop->params[i];
		if (pa->name == NULL || strcmp(pa->name, "TYPE") == 0)
			if (vcard_list_has(pa->value, type))
				return true;
	}
	return false;
}

char *
vcard_component(const char *value, int index)
{
	struct buf out;
	char *res;
	int at = 0;

	buf_init(&out);
	for (const char *s = value; *s; s++) {
		bool mine = index < 0 || at == index;
		if (*s == '\\' && s[1]) {
			s++;
			if (mine)
				buf_addc(&out, (*s == 'n' || *s == 'N') ? '\n' : (unsigned char)*s);
		} else if (*s == ';' && index >= 0) {
			if (at++ == index)
				break;
		} else if (mine) {
			buf_addc(&out, (unsigned char)*s);
		}
	}
	if (index >= 0 && at < index) {
		buf_finish(&out);
		return NULL;
	}
	res = util_strndup(out.len ? (const char *)out.data : "", out.len);
	buf_finish(&out);
	return res;
}
