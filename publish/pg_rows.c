/*
 * pg_rows.c - records and code lists as COPY rows.
 *
 * A record's digest covers what every replica holding the same ops
 * computes alike: id, field values, first and last op times, creator,
 * open conflicts and ops held; not the unit's name or the labels, which
 * depend on what a store knows of its peers and on the catalogue it was
 * built with.  With `updated` and `ops` it orders versions (pg_tables.c).
 */
#include <stdio.h>
#include <string.h>

#include <sodium.h>

#include "cimic/identity.h"
#include "cimic/i18n.h"
#include "publish_private.h"

#define DIGEST_BYTES 16

void
pg_key_hex(const unsigned char sign_pk[32], char out[17])
{
	unsigned char kid[IDENTITY_KEYID_BYTES];

	identity_key_id(sign_pk, kid);
	util_hex(kid, sizeof kid, out);
}

static void
hash_i64(crypto_generichash_state *h, int64_t v)
{
	unsigned char b[8];

	for (int i = 0; i < 8; i++)
		b[i] = (unsigned char)((uint64_t)v >> (8 * i));
	crypto_generichash_update(h, b, sizeof b);
}

static void
record_digest(const struct model_record *rec, unsigned char out[DIGEST_BYTES])
{
	crypto_generichash_state h;
	size_t n;
	const struct model_field *f = model_fields(rec->kind, &n);

	crypto_generichash_init(&h, (const unsigned char *)"cimic-publish-v1", 16, DIGEST_BYTES);
	crypto_generichash_update(&h, rec->id, CIMIC_ID_BYTES);
	for (size_t i = 0; i < n; i++) {
		const struct model_value *v = &rec->v[i];
		unsigned char tag[2] = { f[i].id, (unsigned char)v->type };
		crypto_generichash_update(&h, tag, sizeof tag);
		if (v->type == MV_INT) {
			hash_i64(&h, v->i);
		} else if (v->type == MV_TEXT) {
			hash_i64(&h, (int64_t)strlen(v->s));
			crypto_generichash_update(&h, (const unsigned char *)v->s, strlen(v->s));
		}
	}
	hash_i64(&h, rec->created_ms);
	hash_i64(&h, rec->updated_ms);
	crypto_generichash_update(&h, rec->author, sizeof rec->author);
	hash_i64(&h, rec->conflicts);
	hash_i64(&h, rec->ops);
	crypto_generichash_final(&h, out, DIGEST_BYTES);
}

static void
field_value(struct pg_copy *c, const struct model_field *f, const struct model_value *v)
{
	if (f->type == FT_FLAG)
		pg_copy_bool(c, v->type == MV_INT && v->i != 0);
	else if (v->type == MV_NULL)
		pg_copy_null(c);
	else if (v->type == MV_INT && f->type == FT_TIME)
		pg_copy_time(c, v->i);
	else if (v->type == MV_INT)
		pg_copy_int(c, v->i);
	else
		pg_copy_text(c, v->s);
}

/* The English label of a code value (the catalogue's msgid), or NULL. */
static const char *
label_of(const struct model_field *f, const struct model_value *v)
{
	const struct code_item *it;

	if (f->codes == NULL || v->type != MV_TEXT)
		return NULL;
	for (size_t i = 0; i < f->codes->count; i++) {
		it = &f->codes->items[i];
		if (strcmp(it->code, v->s) == 0)
			return it->label;
	}
	return NULL;
}

/* "lat" or "lon" out of the canonical "lat,lon" text (always with '.'). */
static void
coordinate(struct pg_copy *c, const struct model_value *v, bool lon)
{
	char part[48];
	const char *comma = v->type == MV_TEXT ? strchr(v->s, ',') : NULL;

	if (comma == NULL) {
		pg_copy_null(c);
		return;
	}
	if (lon)
		snprintf(part, sizeof part, "%s", comma + 1);
	else
		snprintf(part, sizeof part, "%.*s", (int)(comma - v->s), v->s);
	pg_copy_text(c, part);
}

static void
column_value(struct pg_copy *c, const struct model_record *rec, const struct pg_column *col,
	     const unsigned char digest[DIGEST_BYTES])
{
	static const unsigned char nobody[32];
	const struct model_field *f = model_fields(rec->kind, &(size_t){ 0 }) + col->field;
	const struct model_value *v = &rec->v[col->field];
	const char *label;
	char hex[CIMIC_ID_HEX];

	switch (col->source) {
	case PGC_ID:
		util_hex(rec->id, CIMIC_ID_BYTES, hex);
		pg_copy_text(c, hex);
		break;
	case PGC_FIELD: field_value(c, f, v); break;
	case PGC_LABEL_EN: pg_copy_text(c, label_of(f, v)); break;
	case PGC_LABEL_UK:
		label = label_of(f, v);
		pg_copy_text(c, label ? publish_label_uk(label) : NULL);
		break;
	case PGC_LAT: coordinate(c, v, false); break;
	case PGC_LON: coordinate(c, v, true); break;
	case PGC_CREATED: pg_copy_time(c, rec->created_ms); break;
	case PGC_UPDATED: pg_copy_time(c, rec->updated_ms); break;
	case PGC_UNIT: pg_copy_text(c, rec->author_unit[0] ? rec->author_unit : NULL); break;
	case PGC_UNIT_KEY:
		if (memcmp(rec->author, nobody, sizeof nobody) == 0) {
			pg_copy_null(c);
		} else {
			pg_key_hex(rec->author, hex);
			pg_copy_text(c, hex);
		}
		break;
	case PGC_CONFLICTS: pg_copy_int(c, rec->conflicts); break;
	case PGC_OPS: pg_copy_int(c, rec->ops); break;
	case PGC_DIGEST: pg_copy_bytea(c, digest, DIGEST_BYTES); break;
	}
}

int
pg_record_row(struct pg_copy *c, const struct model_record *rec, const struct pg_column *cols,
	      size_t ncols, struct cimic_error *err)
{
	unsigned char digest[DIGEST_BYTES];

	record_digest(rec, digest);
	for (size_t i = 0; i < ncols; i++)
		column_value(c, rec, &cols[i], digest);
	return pg_copy_row(c, err);
}

int
pg_code_rows(struct pg_copy *c, const char *list, const struct code_list *codes,
	     struct cimic_error *err)
{
	for (size_t i = 0; i < codes->count; i++) {
		pg_copy_text(c, list);
		pg_copy_text(c, codes->items[i].code);
		pg_copy_text(c, codes->items[i].label);
		pg_copy_text(c, publish_label_uk(codes->items[i].label));
		if (pg_copy_row(c, err) != 0)
			return -1;
	}
	return 0;
}
