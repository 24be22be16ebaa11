/*
 * io_change.c - one row of text slots into a model change.
 *
 * Values go through model_change_parse(), the same validation as the
 * command line, so a file cannot store what `cimic contact add` would
 * refuse.  What files need on top: lat and lon columns (or MGRS) become
 * the location; a one-line field given several lines (a vCard address)
 * has its line breaks turned into ", "; a contact without a name takes
 * its organisation, e-mail or phone as the name, and an incident
 * without a title the first line of its description.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cimic/i18n.h"
#include "io.h"

#define EXCHANGE_TITLE_MAX 120

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

static int
io_put(struct model_change *c, const struct model_field *f, const char *text, int64_t now_ms,
	     struct cimic_error *err)
{
	char *flat = NULL;
	int rc;

	if (f->type == FT_TEXT && strpbrk(text, "\r\n") != NULL) {
		flat = io_one_line(text);
		if (flat == NULL)
			return cimic_error_set(err, CIMIC_EFAIL, _("out of memory"));
		text = flat;
	}
	if (f->type == FT_FLAG)
		text = io_flag_text(text);
	rc = model_change_parse(c, f->name, text, now_ms, err);
	free(flat);
	return rc;
}

/* Location from the location slot, else lat and lon, else MGRS. */
static int
io_location(struct model_change *c, const struct io_row *row, int64_t now_ms,
		  struct cimic_error *err)
{
	int loc = model_record_index(c->kind, "location");
	char text[160];

	if (row->slot[loc] != NULL)
		return 0;
	if (row->slot[SLOT_LAT] && row->slot[SLOT_LON] && row->slot[SLOT_LAT][0] &&
	    row->slot[SLOT_LON][0]) {
		snprintf(text, sizeof text, "%.64s,%.64s", row->slot[SLOT_LAT], row->slot[SLOT_LON]);
		return model_change_parse(c, "location", text, now_ms, err);
	}
	if ((row->slot[SLOT_LAT] && row->slot[SLOT_LAT][0]) ||
	    (row->slot[SLOT_LON] && row->slot[SLOT_LON][0]))
		return cimic_error_set(err, CIMIC_EDATA, _("latitude without longitude or the reverse"));
	if (row->slot[SLOT_MGRS])
		return model_change_parse(c, "location", row->slot[SLOT_MGRS], now_ms, err);
	return 0;
}

/* First line of text, cut at a character boundary. OUT: caller frees. */
static char *
io_first_line(const char *text)
{
	size_t n = strcspn(text, "\r\n");

	if (n > EXCHANGE_TITLE_MAX) {
		n = EXCHANGE_TITLE_MAX;
		while (n > 0 && ((unsigned char)text[n] & 0xC0) == 0x80)
			n--;
	}
	return util_strndup(text, n);
}

static bool
io_filled(const struct model_change *c, const char *name)
{
	int i = model_record_index(c->kind, name);

	return c->v[i].type != MV_NULL;
}

static const char *
io_first_filled(const struct model_change *c, const char *const *names)
{
	for (; *names; names++)
		if (io_filled(c, *names))
			return c->v[model_record_index(c->kind, *names)].s;
	return NULL;
}

/* Fills the name or title from other fields when the file has none. */
static int
io_fallback(struct model_change *c, int64_t now_ms, struct cimic_error *err)
{
	static const char *const contact_from[] = { "org", "email", "phone", NULL };
	static const char *const incident_from[] = { "description", NULL };
	bool contact = c->kind == MODEL_CONTACT;
	const char *need = contact ? "name" : "title";
	const char *from;
	char *text;
	int rc;

	if (io_filled(c, need))
		return 0;
	from = io_first_filled(c, contact ? contact_from : incident_from);
	if (from == NULL)
		return cimic_error_set(err, CIMIC_EDATA, contact
				       ? _("a contact needs a name (or an organisation, e-mail or phone)")
				       : _("an incident needs a title (or a description)"));
	text = io_first_line(from);
	if (text == NULL)
		return cimic_error_set(err, CIMIC_EFAIL, _("out of memory"));
	rc = model_change_parse(c, need, text, now_ms, err);
	free(text);
	return rc;
}

int
io_change(enum model_kind kind, const struct io_row *row, int64_t now_ms,
		struct model_change *c, bool *has_id, unsigned char id[CIMIC_ID_BYTES],
		struct cimic_error *err)
{
	size_t n;
	const struct model_field *f = model_fields(kind, &n);
	const char *idtext = row->slot[SLOT_ID];

	*has_id = idtext != NULL && idtext[0] != '\0';
	if (*has_id && !util_unhex(idtext, id, CIMIC_ID_BYTES))
		return cimic_error_set(err, CIMIC_EDATA, _("id '%.40s' is not a cimic record id "
				       "(32 hex digits)"), idtext);
	for (size_t i = 0; i < n; i++) {
		if (row->slot[i] == NULL || f[i].type == FT_REF)
			continue;
		if (io_put(c, &f[i], row->slot[i], now_ms, err) != 0)
			return -1;
	}
	if (io_location(c, row, now_ms, err) != 0)
		return -1;
	return io_fallback(c, now_ms, err);
}
