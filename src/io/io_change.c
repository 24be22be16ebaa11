/*
 * io_change.c - one row of text slots into a prepared record: its
 * values, its key, and an incident's contact person.
 *
 * Values go through model_change_parse(), the same validation as the
 * command line, so a file cannot store what `cimic contact add` would
 * refuse; io_values.c first turns the forms files use into the forms the
 * model reads.  What files need on top:
 *  - lat and lon columns (or one coordinates cell, or MGRS) become the
 *    location; a one-line field given several lines (a vCard address)
 *    has its line breaks turned into ", ";
 *  - a code the lists do not know (an event type "Shelling") leaves the
 *    field alone (a new record gets the default) and is kept as a
 *    "Column: value" line of the description or notes, as are unmapped
 *    columns when asked;
 *  - an incident without a time of its own takes the reported time; one
 *    without a title takes the first line of its description, else its
 *    type and place as the file wrote them, else its organisation; a
 *    contact without a name takes its organisation, e-mail or phone.
 * Nothing here depends on the clock or the locale, so the same row is
 * always the same record with the same values.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "cimic/i18n.h"
#include "cimic/search.h"
#include "io.h"

#define IO_TITLE_MAX 120

void
io_prepared_init(struct io_prepared *p, enum model_kind kind)
{
	memset(p, 0, sizeof *p);
	model_change_init(&p->c, kind);
	model_change_init(&p->contact, MODEL_CONTACT);
}

void
io_prepared_finish(struct io_prepared *p)
{
	model_change_finish(&p->c);
	model_change_finish(&p->contact);
}

/* Copy of text with blanks around removed; NULL when nothing is left. OUT: caller frees. */
static char *
io_trimmed(const char *text)
{
	char *copy, *t;

	if (text == NULL)
		return NULL;
	copy = util_strdup(text);
	if (copy == NULL)
		return NULL;
	t = util_trim(copy);
	memmove(copy, t, strlen(t) + 1);
	if (copy[0] == '\0') {
		free(copy);
		return NULL;
	}
	return copy;
}

/* Copy of text with each run of line breaks replaced by ", ". OUT: caller frees. */
static char *
io_one_line(const char *text)
{
	struct buf b;
	char *out;

	buf_init(&b);
	for (const char *p = text; *p; p++) {
		if (*p != '\r' && *p != '\n') {
			buf_addc(&b, (unsigned char)*p);
			continue;
		}
		while (p[1] == '\r' || p[1] == '\n')
			p++;
		if (p[1] != '\0' && b.len > 0)
			buf_adds(&b, ", ");
	}
	out = b.failed ? NULL : util_strndup(b.len ? (const char *)b.data : "", b.len);
	buf_finish(&b);
	return out;
}

static const char *
io_flag_text(const char *text)
{
	static const char *const yes[] = { "1", "true", "yes", "y", "так" };
	static const char *const no[] = { "0", "false", "no", "n", "ні", "" };

	for (size_t i = 0; i < sizeof yes / sizeof yes[0]; i++)
		if (strcmp(text, yes[i]) == 0)
			return "1";
	for (size_t i = 0; i < sizeof no / sizeof no[0]; i++)
		if (strcmp(text, no[i]) == 0)
			return "0";
	return text;
}

/* The column name a kept line starts with: the file's own, else the field's. */
static const char *
io_label(const struct io_row *row, int slot, const char *fallback)
{
	return row->labels && row->labels[slot] ? row->labels[slot] : fallback;
}

static void
io_keep_line(struct buf *kept, const char *label, const char *value)
{
	if (kept->len)
		buf_addc(kept, '\n');
	buf_printf(kept, "%s: %s", label, value);
}

/* A code field: the file's word for a code, else the value is kept as text. */
static int
io_put_code(struct io_prepared *p, const struct model_field *f,
		  const struct io_row *row, int slot, struct buf *kept, struct cimic_error *err)
{
	char *text = io_trimmed(row->slot[slot]);
	const char *code;
	int rc = 0;

	if (text == NULL)
		return 0;   /* an empty cell leaves the code alone: a new record gets the default */
	code = io_code_find(f->codes, text);
	if (code != NULL) {
		rc = model_change_parse(&p->c, f->name, code, 0, err);
	} else {
		io_keep_line(kept, io_label(row, slot, f->name), text);
		p->kept_values++;
	}
	free(text);
	return rc;
}

static int
io_put_time(struct io_prepared *p, const struct model_field *f, const char *text,
		  struct cimic_error *err)
{
	struct model_value v = { MV_NULL, 0, NULL };

	if (text[strspn(text, " \t")] != '\0') {
		if (io_time_parse(text, &v.i, err) != 0)
			return cimic_error_prefix(err, "%s", f->name);
		v.type = MV_INT;
	}
	return model_change_put(&p->c, f->name, &v, err);
}

static int
io_put(struct io_prepared *p, const struct model_field *f,
	     const struct io_row *row, int slot, struct buf *kept, struct cimic_error *err)
{
	const char *text = row->slot[slot];
	char *owned = NULL;
	int rc;

	if (f->type == FT_CODE)
		return io_put_code(p, f, row, slot, kept, err);
	if (f->type == FT_TIME)
		return io_put_time(p, f, text, err);
	if (f->type == FT_FLAG)
		text = io_flag_text(text);
	else if (f->type == FT_INT && (owned = io_count_text(text)) == NULL)
		return cimic_error_set(err, CIMIC_EFAIL, _("out of memory"));
	else if (f->type == FT_LOCATION && (owned = io_coord_text(text)) == NULL)
		return cimic_error_set(err, CIMIC_EFAIL, _("out of memory"));
	else if (f->type == FT_TEXT && strpbrk(text, "\r\n") != NULL &&
		 (owned = io_one_line(text)) == NULL)
		return cimic_error_set(err, CIMIC_EFAIL, _("out of memory"));
	rc = model_change_parse(&p->c, f->name, owned ? owned : text, 0, err);
	free(owned);
	return rc;
}

/* Location from the location slot, else lat and lon, else one coordinates cell, else MGRS. */
static int
io_location(struct io_prepared *p, const struct io_row *row,
		  struct cimic_error *err)
{
	struct model_change *c = &p->c;
	int loc = model_record_index(c->kind, "location");
	char *lat = io_trimmed(row->slot[SLOT_LAT]), *lon = io_trimmed(row->slot[SLOT_LON]);
	char *coord = io_trimmed(row->slot[SLOT_COORD]), *text = NULL;
	int rc = 0;

	if (row->slot[loc] != NULL) {
		/* the location field itself */
	} else if (lat && lon) {
		char *a = io_degree_text(lat), *b = io_degree_text(lon);
		text = a && b ? util_aprintf("%.64s,%.64s", a, b) : NULL;
		free(a);
		free(b);
		rc = text ? model_change_parse(c, "location", text, 0, err)
			  : cimic_error_set(err, CIMIC_EFAIL, _("out of memory"));
	} else if (lat || lon) {
		rc = cimic_error_set(err, CIMIC_EDATA, _("location: latitude without longitude or the "
				     "reverse"));
	} else if (coord && strpbrk(coord, "0123456789") == NULL) {
		/* a place name in a "location" column */
		if (c->v[model_record_index(c->kind, "settlement")].type == MV_NULL)
			rc = model_change_parse(c, "settlement", coord, 0, err);
	} else if (coord) {
		text = io_coord_text(coord);
		rc = text ? model_change_parse(c, "location", text, 0, err)
			  : cimic_error_set(err, CIMIC_EFAIL, _("out of memory"));
	} else if (row->slot[SLOT_MGRS] && row->slot[SLOT_MGRS][0]) {
		rc = model_change_parse(c, "location", row->slot[SLOT_MGRS], 0, err);
	}
	free(text);
	free(lat);
	free(lon);
	free(coord);
	return rc;
}

/* First line of text, cut at a character boundary (with "…" when cut). OUT: caller frees. */
static char *
io_first_line(const char *text)
{
	size_t n = strcspn(text, "\r\n");

	if (n <= IO_TITLE_MAX)
		return util_strndup(text, n);
	n = IO_TITLE_MAX - 3;
	while (n > 0 && ((unsigned char)text[n] & 0xC0) == 0x80)
		n--;
	while (n > 0 && text[n - 1] == ' ')
		n--;
	return util_aprintf("%.*s…", (int)n, text);
}

static const char *
io_text_of(const struct model_change *c, const char *name)
{
	int i = model_record_index(c->kind, name);

	return i >= 0 && c->v[i].type == MV_TEXT && c->v[i].s[0] ? c->v[i].s : NULL;
}

static const char *
io_first_filled(const struct model_change *c, const char *const *names)
{
	for (; *names; names++)
		if (io_text_of(c, *names))
			return io_text_of(c, *names);
	return NULL;
}

/* "Shelling — Kupiansk": the type and the place as the file wrote them. OUT: caller frees. */
static char *
io_type_and_place(const struct model_change *c, const struct io_row *row)
{
	static const char *const places[] = { "settlement", "raion", "oblast", NULL };
	char *type = io_trimmed(row->slot[model_record_index(MODEL_INCIDENT, "type")]);
	const char *place = io_first_filled(c, places);
	char *title;

	if (type == NULL && place == NULL)
		return NULL;
	if (type && place)
		title = util_aprintf("%.*s — %.*s", io_cut(type, 60), type, io_cut(place, 60), place);
	else
		title = util_aprintf("%.*s", io_cut(type ? type : place, IO_TITLE_MAX),
				     type ? type : place);
	free(type);
	return title;
}

const char *
io_needs(enum model_kind kind)
{
	return kind == MODEL_CONTACT ? _("a contact needs a name (or an organisation, e-mail or phone)")
				     : _("an incident needs a title (or a description)");
}

/* Fills the name or title from other fields when the file has none. */
static int
io_fallback(struct io_prepared *p, const struct io_row *row,
		  struct cimic_error *err)
{
	static const char *const contact_from[] = { "org", "email", "phone", NULL };
	static const char *const org[] = { "org", NULL };
	struct model_change *c = &p->c;
	bool contact = c->kind == MODEL_CONTACT;
	const char *from;
	char *text = NULL;
	int rc;

	if (io_text_of(c, contact ? "name" : "title"))
		return 0;
	if (contact) {
		from = io_first_filled(c, contact_from);
	} else if ((from = io_text_of(c, "description")) == NULL &&
		   (text = io_type_and_place(c, row)) == NULL) {
		from = io_first_filled(c, org);
	}
	if (from == NULL && text == NULL) {
		/* a row naming its record may be completed by another row of that record */
		if (p->key_kind == KEY_CIMIC || p->key_kind == KEY_FOREIGN) {
			p->incomplete = true;
			return 0;
		}
		return cimic_error_set(err, CIMIC_EDATA, "%s", io_needs(c->kind));
	}
	if (text == NULL)
		text = io_first_line(from);
	if (text == NULL)
		return cimic_error_set(err, CIMIC_EFAIL, _("out of memory"));
	rc = model_change_parse(c, contact ? "name" : "title", text, 0, err);
	free(text);
	return rc;
}

/* An incident without a time of its own happened when it was reported, as far as we know. */
static int
io_when(struct io_prepared *p)
{
	int when = model_record_index(MODEL_INCIDENT, "when");
	int reported = model_record_index(MODEL_INCIDENT, "reported");

	if (p->c.v[when].type != MV_NULL || p->c.v[reported].type != MV_INT)
		return 0;
	p->c.v[when] = p->c.v[reported];
	p->c.set[when] = true;
	return 0;
}

/* Kept lines go below the description or notes the file gave. */
static int
io_kept(struct io_prepared *p, const struct io_row *row, struct buf *kept,
	      struct cimic_error *err)
{
	const char *field = p->c.kind == MODEL_CONTACT ? "notes" : "description";
	const char *have = io_text_of(&p->c, field);
	char *text;
	int rc;

	if (row->slot[SLOT_KEPT] && row->slot[SLOT_KEPT][0]) {
		if (kept->len)
			buf_addc(kept, '\n');
		buf_adds(kept, row->slot[SLOT_KEPT]);
	}
	if (kept->failed)
		return cimic_error_set(err, CIMIC_EFAIL, _("out of memory"));
	if (kept->len == 0)
		return 0;
	text = have ? util_aprintf("%s\n\n%s", have, buf_cstr(kept)) : util_strdup(buf_cstr(kept));
	if (text == NULL)
		return cimic_error_set(err, CIMIC_EFAIL, _("out of memory"));
	rc = model_change_parse(&p->c, field, text, 0, err);
	free(text);
	return rc;
}

/* An incident's contact person: name, phone, e-mail as the file gives them. */
static int
io_contact(struct io_prepared *p, const struct io_row *row,
		 struct cimic_error *err)
{
	static const struct { int slot; const char *field; } parts[] = {
		{ SLOT_CONTACT_NAME, "name" }, { SLOT_CONTACT_PHONE, "phone" },
		{ SLOT_CONTACT_EMAIL, "email" },
	};
	static const char *const name_from[] = { "email", "phone", NULL };
	int rc = 0;

	for (size_t i = 0; i < sizeof parts / sizeof parts[0] && rc == 0; i++) {
		char *text = io_trimmed(row->slot[parts[i].slot]);
		if (text) {
			p->has_contact = true;
			rc = model_change_parse(&p->contact, parts[i].field, text, 0, err);
		}
		free(text);
	}
	if (rc != 0 || !p->has_contact || io_text_of(&p->contact, "name"))
		return rc != 0 ? cimic_error_prefix(err, _("contact")) : 0;
	return model_change_parse(&p->contact, "name", io_first_filled(&p->contact, name_from),
				  0, err);
}

void
io_source_id(enum model_kind kind, const char *source, const char *source_id,
		   unsigned char id[CIMIC_ID_BYTES])
{
	crypto_generichash_state h;
	unsigned char k = (unsigned char)kind, zero = 0;

	crypto_generichash_init(&h, (const unsigned char *)"cimic-source-ref", 16, CIMIC_ID_BYTES);
	crypto_generichash_update(&h, &k, 1);
	crypto_generichash_update(&h, (const unsigned char *)source, strlen(source));
	crypto_generichash_update(&h, &zero, 1);
	crypto_generichash_update(&h, (const unsigned char *)source_id, strlen(source_id));
	crypto_generichash_final(&h, id, CIMIC_ID_BYTES);
}

/* The key of the row's ids: a cimic id, the source's id, or none (0). */
static int
io_key_of(const struct io_ctx *ctx, struct io_prepared *p,
		const struct io_row *row, struct cimic_error *err)
{
	enum model_kind kind = p->c.kind;
	char *id = io_trimmed(row->slot[SLOT_ID]);
	char *sid = io_trimmed(row->slot[model_record_index(kind, "source_id")]);
	char *src = io_trimmed(row->slot[model_record_index(kind, "source")]);
	const char *source = src ? src : ctx->source ? ctx->source : "";
	int rc = 0;

	if (id && util_unhex(id, p->key, CIMIC_ID_BYTES)) {
		p->key_kind = KEY_CIMIC;
	} else if (sid || id) {
		p->key_kind = KEY_FOREIGN;
		p->default_source = src == NULL;
		io_source_id(kind, source, sid ? sid : id, p->key);
		rc = model_change_parse(&p->c, "source", source, 0, err);
		if (rc == 0)
			rc = model_change_parse(&p->c, "source_id", sid ? sid : id, 0, err);
	}
	free(id);
	free(sid);
	free(src);
	return rc;
}

int
io_prepare(const struct io_ctx *ctx, enum model_kind kind,
		 const struct io_row *row, struct io_prepared *p,
		 struct cimic_error *err)
{
	size_t n;
	const struct model_field *f = model_fields(kind, &n);
	struct buf kept;
	int rc = -1;

	buf_init(&kept);
	if (io_key_of(ctx, p, row, err) != 0)
		goto out;
	for (size_t i = 0; i < n; i++) {
		if (row->slot[i] == NULL || f[i].type == FT_REF ||
		    (p->key_kind == KEY_FOREIGN && (strcmp(f[i].name, "source") == 0 ||
						    strcmp(f[i].name, "source_id") == 0)))
			continue;
		if (io_put(p, &f[i], row, (int)i, &kept, err) != 0)
			goto out;
	}
	if (io_location(p, row, err) != 0 ||
	    (kind == MODEL_INCIDENT && io_when(p) != 0) ||
	    io_fallback(p, row, err) != 0 || io_kept(p, row, &kept, err) != 0 ||
	    (kind == MODEL_INCIDENT && io_contact(p, row, err) != 0))
		goto out;
	if (p->key_kind == 0) {
		p->key_kind = KEY_FINGERPRINT;
		io_fingerprint(kind, p->c.v, p->key);
	}
	rc = 0;
out:
	buf_finish(&kept);
	return rc;
}
