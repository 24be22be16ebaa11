/*
 * json.c - a small, bounded JSON reader (RFC 8259) for importing our own
 * JSON exports.
 *
 * Depth is capped at JSON_MAX_DEPTH, strings at FORMATS_MAX_FIELD bytes,
 * arrays and objects at FORMATS_MAX_RECORDS members; numbers are kept as
 * the text written so no locale or double rounding touches them.  Every
 * error says on which line it happened.
 */
#include <stdlib.h>
#include <string.h>

#include "cimic/formats.h"
#include "cimic/i18n.h"

struct json_in {
	const char *p, *end;
	size_t line;
	struct cimic_error *err;
};

static int json_value_read(struct json_in *in, struct json_value *v, int depth);

static void
json_blank(struct json_in *in)
{
	while (in->p < in->end && (*in->p == ' ' || *in->p == '\t' || *in->p == '\n' ||
				   *in->p == '\r')) {
		if (*in->p == '\n')
			in->line++;
		in->p++;
	}
}

static int
json_fail(struct json_in *in, const char *why)
{
	return cimic_error_set(in->err, CIMIC_EDATA, _("line %zu: %s"), in->line, why);
}

static int
json_hex4(struct json_in *in, unsigned *out)
{
	*out = 0;
	if (in->end - in->p < 4)
		return -1;
	for (int i = 0; i < 4; i++) {
		char c = *in->p++;
		*out <<= 4;
		if (c >= '0' && c <= '9')
			*out |= (unsigned)(c - '0');
		else if ((c | 32) >= 'a' && (c | 32) <= 'f')
			*out |= (unsigned)((c | 32) - 'a' + 10);
		else
			return -1;
	}
	return 0;
}

/* \uXXXX, with a surrogate pair when there is one. */
static int
json_unicode(struct json_in *in, struct buf *b)
{
	unsigned c, lo;

	if (json_hex4(in, &c) != 0)
		return json_fail(in, _("bad \\u escape"));
	if (c >= 0xD800 && c <= 0xDBFF) {
		if (in->end - in->p < 6 || in->p[0] != '\\' || in->p[1] != 'u')
			return json_fail(in, _("lone surrogate in \\u escape"));
		in->p += 2;
		if (json_hex4(in, &lo) != 0 || lo < 0xDC00 || lo > 0xDFFF)
			return json_fail(in, _("lone surrogate in \\u escape"));
		c = 0x10000 + ((c - 0xD800) << 10) + (lo - 0xDC00);
	} else if (c >= 0xDC00 && c <= 0xDFFF) {
		return json_fail(in, _("lone surrogate in \\u escape"));
	}
	if (c == 0)
		return json_fail(in, _("NUL character in a string"));
	buf_utf8(b, c);
	return 0;
}

static int
json_escape(struct json_in *in, struct buf *b)
{
	static const char from[] = "\"\\/bfnrt", to[] = "\"\\/\b\f\n\r\t";
	const char *k;

	if (in->p >= in->end)
		return json_fail(in, _("string is never closed"));
	if (*in->p == 'u') {
		in->p++;
		return json_unicode(in, b);
	}
	k = strchr(from, *in->p);
	if (k == NULL || *in->p == '\0')
		return json_fail(in, _("bad escape in a string"));
	buf_addc(b, (unsigned char)to[k - from]);
	in->p++;
	return 0;
}

/* Reads a string (the opening quote is at in->p). OUT *out: caller frees. */
static int
json_string(struct json_in *in, char **out)
{
	struct buf b;
	int rc = -1;

	buf_init(&b);
	in->p++;
	for (;;) {
		if (in->p >= in->end) {
			json_fail(in, _("string is never closed"));
			break;
		}
		unsigned char c = (unsigned char)*in->p;
		if (c == '"') {
			in->p++;
			rc = 0;
			break;
		}
		if (c < 0x20) {
			json_fail(in, _("control character in a string"));
			break;
		}
		in->p++;
		if (c == '\\' ? json_escape(in, &b) != 0 : (buf_addc(&b, c), 0))
			break;
		if (b.len > FORMATS_MAX_FIELD) {
			json_fail(in, _("string too long"));
			break;
		}
	}
	if (rc == 0 && !util_utf8_valid(b.len ? (const char *)b.data : "", b.len))
		rc = json_fail(in, _("string is not UTF-8"));
	if (rc == 0 && (*out = util_strndup(b.len ? (const char *)b.data : "", b.len)) == NULL)
		rc = cimic_error_set(in->err, CIMIC_EFAIL, _("out of memory"));
	buf_finish(&b);
	return rc;
}

static int
json_number(struct json_in *in, struct json_value *v)
{
	const char *s = in->p;

	if (in->p < in->end && *in->p == '-')
		in->p++;
	if (in->p >= in->end || *in->p < '0' || *in->p > '9')
		return json_fail(in, _("unexpected character"));
	while (in->p < in->end && strchr("0123456789+-.eE", *in->p) && *in->p)
		in->p++;
	if (in->p - s > 64)
		return json_fail(in, _("number too long"));
	v->type = JSON_NUMBER;
	v->s = util_strndup(s, (size_t)(in->p - s));
	return v->s ? 0 : cimic_error_set(in->err, CIMIC_EFAIL, _("out of memory"));
}

static int
json_word(struct json_in *in, struct json_value *v)
{
	static const struct { const char *w; enum json_type t; bool b; } words[] = {
		{ "true", JSON_BOOL, true }, { "false", JSON_BOOL, false }, { "null", JSON_NULL, false },
	};

	for (size_t i = 0; i < 3; i++) {
		size_t n = strlen(words[i].w);
		if ((size_t)(in->end - in->p) >= n && memcmp(in->p, words[i].w, n) == 0) {
			in->p += n;
			v->type = words[i].t;
			v->b = words[i].b;
			return 0;
		}
	}
	return json_fail(in, _("unexpected character"));
}

/* Grows an array or object by one member. */
static struct json_value *
json_push(struct json_in *in, struct json_value *v, bool keyed)
{
	struct json_value *items;
	char **keys;

	if (v->n >= FORMATS_MAX_RECORDS) {
		json_fail(in, _("too many members"));
		return NULL;
	}
	items = realloc(v->items, (v->n + 1) * sizeof *items);
	if (items)
		v->items = items;
	keys = keyed ? realloc(v->keys, (v->n + 1) * sizeof *keys) : NULL;
	if (keys)
		v->keys = keys;
	if (items == NULL || (keyed && keys == NULL)) {
		cimic_error_set(in->err, CIMIC_EFAIL, _("out of memory"));
		return NULL;
	}
	memset(&v->items[v->n], 0, sizeof *items);
	if (keyed)
		v->keys[v->n] = NULL;
	return &v->items[v->n++];
}

/* Array or object body: members until the closing bracket. */
static int
json_members(struct json_in *in, struct json_value *v, int depth, bool keyed, char close)
{
	in->p++;
	json_blank(in);
	if (in->p < in->end && *in->p == close) {
		in->p++;
		return 0;
	}
	for (;;) {
		struct json_value *m = json_push(in, v, keyed);
		if (m == NULL)
			return -1;
		json_blank(in);
		if (keyed) {
			if (in->p >= in->end || *in->p != '"')
				return json_fail(in, _("expected a member name"));
			if (json_string(in, &v->keys[v->n - 1]) != 0)
				return -1;
			json_blank(in);
			if (in->p >= in->end || *in->p++ != ':')
				return json_fail(in, _("expected ':'"));
		}
		if (json_value_read(in, m, depth + 1) != 0)
			return -1;
		json_blank(in);
		if (in->p < in->end && *in->p == ',') {
			in->p++;
			continue;
		}
		if (in->p < in->end && *in->p == close) {
			in->p++;
			return 0;
		}
		return json_fail(in, keyed ? _("expected ',' or '}'") : _("expected ',' or ']'"));
	}
}

static int
json_value_read(struct json_in *in, struct json_value *v, int depth)
{
	memset(v, 0, sizeof *v);
	json_blank(in);
	v->line = in->line;
	if (depth > JSON_MAX_DEPTH)
		return json_fail(in, _("nested too deeply"));
	if (in->p >= in->end)
		return json_fail(in, _("unexpected end of input"));
	switch (*in->p) {
	case '{':
		v->type = JSON_OBJECT;
		return json_members(in, v, depth, true, '}');
	case '[':
		v->type = JSON_ARRAY;
		return json_members(in, v, depth, false, ']');
	case '"':
		v->type = JSON_STRING;
		return json_string(in, &v->s);
	case 't': case 'f': case 'n':
		return json_word(in, v);
	default:
		return json_number(in, v);
	}
}

int
json_parse(const char *data, size_t len, struct json_value *out, struct cimic_error *err)
{
	struct json_in in = { data, data + len, 1, err };

	if (len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0)
		in.p += 3;
	if (json_value_read(&in, out, 0) != 0)
		goto fail;
	json_blank(&in);
	if (in.p != in.end) {
		json_fail(&in, _("text after the JSON document"));
		goto fail;
	}
	return 0;
fail:
	json_value_finish(out);
	return -1;
}

void
json_value_finish(struct json_value *v)
{
	if (v == NULL)
		return;
	for (size_t i = 0; i < v->n; i++) {
		json_value_finish(&v->items[i]);
		if (v->keys)
			free(v->keys[i]);
	}
	free(v->items);
	free(v->keys);
	free(v->s);
	memset(v, 0, sizeof *v);
}

const struct json_value *
json_get(const struct json_value *obj, const char *key)
{
	if (obj == NULL || obj->type != JSON_OBJECT)
		return NULL;
	for (size_t i = 0; i < obj->n; i++)
		if (obj->keys[i] && strcmp(obj->keys[i], key) == 0)
			return &obj->items[i];
	return NULL;
}
