/*
 * io_vcard.c - contacts as vCard 4.0, and vCards (2.1, 3.0, 4.0)
 * as contacts.
 *
 * Export: one card per contact, UTF-8, CRLF, folded at 75 octets (see
 * vcard_write.c).  UID is the record id as urn:uuid, so a card comes
 * back to the same record; fields vCard has no property for travel as
 * X-CIMIC-* (category, radio, archived).
 *
 * Import: FN (else N) is the name, ORG the organisation, TITLE (else
 * ROLE) the position, every TEL and EMAIL joined with ", ", the first
 * ADR split into address and settlement (its locality), GEO the location,
 * NOTEs the notes, CATEGORIES the tags.  A card whose UID is not one of
 * ours gets an id derived from that UID (BLAKE2b), so re-importing the
 * same file updates the same records.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <sodium.h>

#include "cimic/i18n.h"
#include "io.h"

/* ---- import ---- */

static const char *const vcard_known[] = {
	"VERSION", "FN", "N", "ORG", "TITLE", "ROLE", "TEL", "EMAIL", "ADR", "GEO", "NOTE",
	"CATEGORIES", "UID", "PRODID", "REV", "X-CIMIC-CATEGORY", "X-CIMIC-RADIO",
	"X-CIMIC-ARCHIVED", NULL,
};

static bool
io_vcard_known(const char *name)
{
	for (const char *const *k = vcard_known; *k; k++)
		if (strcmp(*k, name) == 0)
			return true;
	return false;
}

/* Joins components (or whole values) with sep, skipping empty ones. */
static void
io_join(struct buf *b, const char *text, const char *sep)
{
	if (text == NULL || text[0] == '\0')
		return;
	if (b->len)
		buf_adds(b, sep);
	buf_adds(b, text);
}

static int
io_set_buf(struct io_row *row, int slot, struct buf *b, struct cimic_error *err)
{
	int rc = 0;

	if (b->failed)
		rc = cimic_error_set(err, CIMIC_EFAIL, _("out of memory"));
	else if (b->len)
		rc = io_row_set(row, slot, (const char *)b->data, b->len, err);
	buf_finish(b);
	return rc;
}

/* Components listed in `which` of a structured value, joined. */
static void
io_components(struct buf *b, const char *value, const int *which, size_t n, const char *sep)
{
	for (size_t i = 0; i < n; i++) {
		char *c = vcard_component(value, which[i]);
		io_join(b, c, sep);
		free(c);
	}
}

/* Every value of a property, unescaped; TEL "tel:" URIs lose the scheme. */
static void
io_all(struct buf *b, const struct vcard_card *card, const char *name, const char *sep)
{
	for (int pass = 0; pass < 2; pass++)   /* preferred values first */
		for (size_t i = 0; i < card->nprops; i++) {
			const struct vcard_prop *p = &card->props[i];
			bool pref = vcard_has_type(p, "PREF") || vcard_param(p, "PREF");
			if (strcmp(p->name, name) != 0 || pref != (pass == 0))
				continue;
			char *v = vcard_component(p->value, -1);
			const char *s = v && strncasecmp(v, "tel:", 4) == 0 ? v + 4 : v;
			io_join(b, s, sep);
			free(v);
		}
}

static int
io_vcard_name(const struct vcard_card *card, struct io_row *row, int slot,
		    struct cimic_error *err)
{
	static const int order[] = { 3, 1, 2, 0, 4 };   /* prefix given additional family suffix */
	const struct vcard_prop *fn = vcard_find(card, "FN"), *n = vcard_find(card, "N");
	struct buf b;

	buf_init(&b);
	if (fn) {
		char *v = vcard_component(fn->value, -1);
		io_join(&b, v, " ");
		free(v);
	}
	if (b.len == 0 && n)
		io_components(&b, n->value, order, 5, " ");
	return io_set_buf(row, slot, &b, err);
}

static int
io_vcard_adr(const struct vcard_card *card, struct io_row *row, enum model_kind kind,
		   struct cimic_error *err)
{
	static const int street[] = { 0, 1, 2, 4, 5, 6 };
	const struct vcard_prop *adr = vcard_find(card, "ADR");
	struct buf b;
	char *locality;
	int rc;

	if (adr == NULL)
		return 0;
	buf_init(&b);
	io_components(&b, adr->value, street, 6, ", ");
	rc = io_set_buf(row, model_record_index(kind, "address"), &b, err);
	locality = vcard_component(adr->value, 3);
	if (rc == 0 && locality && locality[0])
		rc = io_row_set(row, model_record_index(kind, "settlement"), locality,
				      strlen(locality), err);
	free(locality);
	return rc;
}

/* GEO: 4.0 "geo:50.45,30.52;u=10" or 3.0 "50.45;30.52". */
static int
io_vcard_geo(const struct vcard_card *card, struct io_row *row, enum model_kind kind,
		   struct cimic_error *err)
{
	const struct vcard_prop *geo = vcard_find(card, "GEO");
	char text[128];
	const char *v;
	size_t n;

	if (geo == NULL)
		return 0;
	v = strncasecmp(geo->value, "geo:", 4) == 0 ? geo->value + 4 : geo->value;
	n = strcspn(v, strncasecmp(geo->value, "geo:", 4) == 0 ? ";?" : "");
	snprintf(text, sizeof text, "%.*s", (int)(n < 100 ? n : 100), v);
	if (strchr(text, ',') == NULL && strchr(text, ';'))
		*strchr(text, ';') = ',';
	return io_row_set(row, model_record_index(kind, "location"), text, strlen(text), err);
}

/* UID: ours ("urn:uuid:" + the id) or a foreign one hashed into an id. */
static int
io_vcard_uid(const struct vcard_card *card, struct io_row *row, struct cimic_error *err)
{
	const struct vcard_prop *uid = vcard_find(card, "UID");
	unsigned char id[CIMIC_ID_BYTES];
	char hex[CIMIC_ID_HEX], digits[64];
	size_t n = 0;

	if (uid == NULL || uid->value[0] == '\0')
		return 0;
	if (strncasecmp(uid->value, "urn:uuid:", 9) == 0)
		for (const char *p = uid->value + 9; *p && n + 1 < sizeof digits; p++)
			if (*p != '-')
				digits[n++] = *p;
	digits[n] = '\0';
	if (!util_unhex(digits, id, sizeof id))
		crypto_generichash(id, sizeof id, (const unsigned char *)uid->value,
				   strlen(uid->value), (const unsigned char *)"cimic-vcard-uid", 15);
	util_hex(id, sizeof id, hex);
	return io_row_set(row, SLOT_ID, hex, strlen(hex), err);
}

static int
io_vcard_simple(const struct vcard_card *card, struct io_row *row,
		      enum model_kind kind, struct cimic_error *err)
{
	static const struct { const char *prop, *field, *sep; } simple[] = {
		{ "TEL", "phone", ", " }, { "EMAIL", "email", ", " }, { "NOTE", "notes", "\n" },
		{ "TITLE", "position", "; " }, { "ROLE", "position", "; " },
		{ "CATEGORIES", "tag", "," }, { "X-CIMIC-CATEGORY", "category", "" },
		{ "X-CIMIC-RADIO", "radio", ", " }, { "X-CIMIC-ARCHIVED", "archived", "" },
	};
	static const int org_parts[] = { 0, 1, 2, 3, 4, 5, 6, 7 };
	const struct vcard_prop *org = vcard_find(card, "ORG");
	struct buf b;

	for (size_t i = 0; i < sizeof simple / sizeof simple[0]; i++) {
		buf_init(&b);
		io_all(&b, card, simple[i].prop, simple[i].sep);
		if (io_set_buf(row, model_record_index(kind, simple[i].field), &b, err) != 0)
			return -1;
	}
	buf_init(&b);
	if (org)
		io_components(&b, org->value, org_parts, 8, ", ");
	return io_set_buf(row, model_record_index(kind, "org"), &b, err);
}

static int
io_vcard_card(const struct vcard_card *card, struct io_rows *rs, struct cimic_error *err)
{
	struct io_row *row = io_rows_add(rs, card->line, err);

	if (row == NULL)
		return -1;
	for (size_t i = 0; i < card->nprops; i++)
		if (!io_vcard_known(card->props[i].name))
			io_ignore(rs, card->props[i].name);
	if (io_vcard_uid(card, row, err) != 0 ||
	    io_vcard_name(card, row, model_record_index(rs->kind, "name"), err) != 0 ||
	    io_vcard_simple(card, row, rs->kind, err) != 0 ||
	    io_vcard_adr(card, row, rs->kind, err) != 0 ||
	    io_vcard_geo(card, row, rs->kind, err) != 0)
		return -1;
	return 0;
}

int
io_read_vcard(const char *data, size_t len, struct io_rows *rs, struct cimic_error *err)
{
	struct vcard_doc doc;
	int rc = 0;

	rs->kind = MODEL_CONTACT;
	if (vcard_read(data, len, &doc, err) != 0)
		return -1;
	for (size_t i = 0; i < doc.ncards && rc == 0; i++)
		rc = io_vcard_card(&doc.cards[i], rs, err);
	vcard_doc_finish(&doc);
	return rc;
}

/* ---- export ---- */

static const char *
io_text(const struct model_record *rec, const char *name)
{
	const struct model_value *v = model_record_get(rec, name);

	return v && v->type == MV_TEXT ? v->s : NULL;
}

static void
io_vcard_put(struct buf *out, const char *prop, const char *value)
{
	if (value && value[0])
		vcard_write_line(out, prop, value, true);
}

static void
io_vcard_uid_line(struct buf *out, const unsigned char id[CIMIC_ID_BYTES])
{
	char hex[CIMIC_ID_HEX], uuid[48];

	util_hex(id, CIMIC_ID_BYTES, hex);
	snprintf(uuid, sizeof uuid, "urn:uuid:%.8s-%.4s-%.4s-%.4s-%.12s", hex, hex + 8, hex + 12,
		 hex + 16, hex + 20);
	vcard_write_line(out, "UID", uuid, false);
}

static void
io_vcard_structured(struct buf *out, const char *prop, const char *const *parts, size_t n)
{
	struct buf v;

	buf_init(&v);
	for (size_t i = 0; i < n; i++) {
		if (i)
			buf_addc(&v, ';');
		if (parts[i])
			vcard_escape(&v, parts[i]);
	}
	vcard_write_line(out, prop, buf_cstr(&v), false);
	buf_finish(&v);
}

static int
io_vcard_contact(const struct model_record *rec, void *arg)
{
	struct buf *out = arg;
	const char *name = io_text(rec, "name"), *loc = io_text(rec, "location");
	const char *n[5] = { name, NULL, NULL, NULL, NULL };
	const char *adr[7] = { NULL, NULL, io_text(rec, "address"), io_text(rec, "settlement"),
			       NULL, NULL, NULL };
	char geo[96];

	buf_adds(out, "BEGIN:VCARD\r\nVERSION:4.0\r\n");
	io_vcard_uid_line(out, rec->id);
	io_vcard_put(out, "FN", name ? name : "");
	io_vcard_structured(out, "N", n, 5);
	io_vcard_put(out, "ORG", io_text(rec, "org"));
	io_vcard_put(out, "TITLE", io_text(rec, "position"));
	io_vcard_put(out, "TEL;VALUE=text", io_text(rec, "phone"));
	io_vcard_put(out, "EMAIL", io_text(rec, "email"));
	if (adr[2] || adr[3])
		io_vcard_structured(out, "ADR", adr, 7);
	if (loc) {
		snprintf(geo, sizeof geo, "geo:%s", loc);
		vcard_write_line(out, "GEO", geo, false);
	}
	io_vcard_put(out, "NOTE", io_text(rec, "notes"));
	io_vcard_put(out, "CATEGORIES", io_text(rec, "tag"));
	io_vcard_put(out, "X-CIMIC-CATEGORY", io_text(rec, "category"));
	io_vcard_put(out, "X-CIMIC-RADIO", io_text(rec, "radio"));
	if (rec->archived)
		vcard_write_line(out, "X-CIMIC-ARCHIVED", "1", false);
	buf_adds(out, "END:VCARD\r\n");
	return 0;
}

int
io_export_vcard(struct store *st, const struct formats_export_opts *o, struct buf *out,
		      struct cimic_error *err)
{
	struct model_query q = { .kind = MODEL_CONTACT, .include_archived = o->include_archived,
				 .sort = SORT_OLDEST };

	if (o->what && o->what != MODEL_CONTACT)
		return cimic_error_set(err, CIMIC_EUSAGE, _("vCard holds contacts only"));
	if (model_list(st, &q, io_vcard_contact, out, err) != 0)
		return -1;
	return out->failed ? cimic_error_set(err, CIMIC_EFAIL, _("out of memory")) : 0;
}
