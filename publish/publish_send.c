/*
 * publish_send.c - what a run reads from the store and sends.
 *
 * Records come from one change listing per kind (model_list with
 * changed_after / changed_upto, in the run's read transaction) and go
 * straight into a COPY, so memory stays flat however many there are.
 * Only the ids of records with open conflicts are kept, to send their
 * conflicts once the records are in.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cimic/i18n.h"
#include "cimic/oplog.h"
#include "cimic/pubstate.h"
#include "cimic/roster.h"
#include "cimic/store.h"
#include "cimic/timefmt.h"
#include "publish_private.h"

struct record_sink {
	struct pub_run *run;
	struct pg_copy copy;
	struct pg_column cols[PG_MAX_COLUMNS];
	size_t ncols;
	struct cimic_error *err;
};

static int
note_conflicted(struct pub_run *run, const struct model_record *rec)
{
	const char *name = rec->kind == MODEL_CONTACT ? "name" : "title";
	const struct model_value *v = rec->kind == MODEL_LINK ? NULL : model_record_get(rec, name);
	struct pub_conflicted *c;
	void *grown = util_grow(run->conflicted, &run->capconflicted, run->nconflicted + 1,
				sizeof *run->conflicted);

	if (grown == NULL)
		return -1;
	run->conflicted = grown;
	c = &run->conflicted[run->nconflicted++];
	memcpy(c->id, rec->id, CIMIC_ID_BYTES);
	c->kind = rec->kind;
	snprintf(c->title, sizeof c->title, "%s", v && v->type == MV_TEXT ? v->s : "");
	return 0;
}

static int
record_out(const struct model_record *rec, void *arg)
{
	struct record_sink *k = arg;

	if (pg_record_row(&k->copy, rec, k->cols, k->ncols, k->err) != 0)
		return -1;
	if (rec->conflicts > 0 && note_conflicted(k->run, rec) != 0)
		return cimic_error_set(k->err, CIMIC_EFAIL, _("out of memory"));
	return 0;
}

int
publish_send_records(struct pub_run *run, enum model_kind kind, struct cimic_error *err)
{
	struct model_query q = { .kind = kind, .changed_after = run->from, .changed_upto = run->to };
	struct record_sink k = { .run = run, .err = err };
	enum publish_table t = kind == MODEL_CONTACT ? PUB_CONTACTS
			     : kind == MODEL_INCIDENT ? PUB_INCIDENTS : PUB_LINKS;
	char *sql = pg_tables_copy_sql(kind);
	int rc;

	if (sql == NULL)
		return cimic_error_set(err, CIMIC_EFAIL, _("out of memory"));
	k.ncols = pg_columns(kind, k.cols);
	rc = pg_copy_begin(&k.copy, run->pg, sql, err);
	free(sql);
	if (rc != 0)
		return -1;
	if (model_list(run->st, &q, record_out, &k, err) != 0) {
		pg_copy_abort(&k.copy);
		return -1;
	}
	run->stats->sent[t] = k.copy.rows;
	if (pg_copy_finish(&k.copy, err) != 0)
		return -1;
	return pg_tables_upsert(run->pg, kind, &run->who, &run->stats->written[t], err);
}

/* ---- conflicts ---- */

struct conflict_sink {
	struct pub_run *run;
	struct pg_copy copy;
	struct cimic_error *err;
};

static int
conflicted_cmp(const void *a, const void *b)
{
	return memcmp(((const struct pub_conflicted *)a)->id, ((const struct pub_conflicted *)b)->id,
		      CIMIC_ID_BYTES);
}

static void
author_name(struct store *st, const unsigned char author[32], char *out, size_t n)
{
	struct roster_node node;

	if (memcmp(author, store_identity(st)->pub.sign_pk, 32) == 0)
		snprintf(out, n, "%s", store_identity(st)->pub.unit);
	else if (roster_get(st, author, &node))
		snprintf(out, n, "%s", node.pub.unit);
	else
		identity_fingerprint(author, out, n);
}

/* The heads of a field as `conflicts show --json` gives them. */
static int
heads_json(struct store *st, const struct oplog_conflict *c, const struct model_field *f,
	   struct buf *b, struct cimic_error *err)
{
	struct oplog_head *h = NULL;
	char who[80], opid[2 * OPLOG_OPID_BYTES + 1], when[40];
	size_t n = 0;

	if (oplog_heads(st, c->tbl, c->row, c->field, &h, &n, err) != 0)
		return -1;
	buf_addc(b, '[');
	for (size_t i = 0; i < n; i++) {
		char *text = model_value_text(f, &h[i].v, false);
		author_name(st, h[i].author, who, sizeof who);
		util_hex(h[i].opid, OPLOG_OPID_BYTES, opid);
		timefmt_iso_utc(oplog_hlc_ms(h[i].hlc), when, sizeof when);
		buf_adds(b, i ? ",{\"value\":" : "{\"value\":");
		buf_json_str(b, text ? text : "");
		buf_adds(b, ",\"author\":");
		buf_json_str(b, who);
		buf_printf(b, ",\"op\":\"%s\",\"when\":\"%s\",\"shown\":%s}", opid, when,
			   h[i].shown ? "true" : "false");
		free(text);
	}
	buf_addc(b, ']');
	oplog_heads_free(h, n);
	return 0;
}

static int
conflict_out(const struct oplog_conflict *c, void *arg)
{
	struct conflict_sink *k = arg;
	struct pub_run *run = k->run;
	const struct pub_conflicted *rec;
	const struct model_field *f;
	struct pub_conflicted key;
	char hex[CIMIC_ID_HEX], id[CIMIC_ID_HEX + 48];
	struct buf values;
	int rc;

	memcpy(key.id, c->row, CIMIC_ID_BYTES);
	rec = bsearch(&key, run->conflicted, run->nconflicted, sizeof key, conflicted_cmp);
	if (rec == NULL || c->tbl != (unsigned)rec->kind ||
	    (f = model_field_by_id(rec->kind, c->field)) == NULL)
		return 0;
	buf_init(&values);
	if (heads_json(run->st, c, f, &values, k->err) != 0) {
		buf_finish(&values);
		return -1;
	}
	util_hex(c->row, CIMIC_ID_BYTES, hex);
	snprintf(id, sizeof id, "%.8s/%s", hex, f->name);
	pg_copy_text(&k->copy, hex);
	pg_copy_text(&k->copy, f->name);
	pg_copy_text(&k->copy, id);
	pg_copy_text(&k->copy, model_kind_name(rec->kind));
	pg_copy_text(&k->copy, rec->title);
	pg_copy_text(&k->copy, buf_cstr(&values));
	pg_copy_time(&k->copy, oplog_hlc_ms(c->opened_hlc));
	rc = values.failed ? cimic_error_set(k->err, CIMIC_EFAIL, _("out of memory"))
			   : pg_copy_row(&k->copy, k->err);
	buf_finish(&values);
	return rc;
}

int
publish_send_conflicts(struct pub_run *run, struct cimic_error *err)
{
	static const char sql[] =
		"COPY pg_temp.in_conflicts (record, field, id, kind, title, \"values\", opened)"
		" FROM STDIN";
	struct conflict_sink k = { .run = run, .err = err };

	if (run->nconflicted > 0) {
		qsort(run->conflicted, run->nconflicted, sizeof *run->conflicted, conflicted_cmp);
		if (pg_copy_begin(&k.copy, run->pg, sql, err) != 0)
			return -1;
		if (oplog_conflicts(run->st, conflict_out, &k, err) != 0) {
			pg_copy_abort(&k.copy);
			return -1;
		}
		run->stats->sent[PUB_CONFLICTS] = k.copy.rows;
		if (pg_copy_finish(&k.copy, err) != 0)
			return -1;
	}
	/* run even with none to send: the records written may have lost theirs */
	return pg_tables_conflicts(run->pg, &run->who, &run->stats->written[PUB_CONFLICTS], err);
}

/* ---- units and codes ---- */

struct unit_sink {
	struct pub_run *run;
	struct pg_copy copy;
	struct cimic_error *err;
};

static int
unit_row(struct pg_copy *c, const struct node_public *pub, const char *name, bool revoked,
	 struct cimic_error *err)
{
	const char *role = identity_role_name(pub->role);
	const struct code_item *it = codes_find(&codes_node_role, role);
	char key[17], fp[24];

	pg_key_hex(pub->sign_pk, key);
	identity_fingerprint(pub->sign_pk, fp, sizeof fp);
	pg_copy_text(c, key);
	pg_copy_text(c, pub->unit);
	pg_copy_text(c, role);
	pg_copy_text(c, it ? it->label : NULL);
	pg_copy_text(c, it ? publish_label_uk(it->label) : NULL);
	pg_copy_text(c, fp);
	pg_copy_text(c, name && *name ? name : NULL);
	pg_copy_bool(c, revoked);
	return pg_copy_row(c, err);
}

static int
node_out(const unsigned char sign_pk[IDENTITY_PK_BYTES], void *arg)
{
	struct unit_sink *k = arg;
	struct roster_node n;
	int found = roster_lookup(k->run->st, sign_pk, &n, k->err);

	if (found <= 0)
		return found;   /* a key the store no longer names: nothing to say */
	return unit_row(&k->copy, &n.pub, n.name, n.revoked, k->err);
}

int
publish_send_units(struct pub_run *run, struct cimic_error *err)
{
	static const char sql[] = "COPY pg_temp.in_units (key, unit, role, role_en, role_uk,"
				  " fingerprint, name, revoked) FROM STDIN";
	const struct node_identity *me = store_identity(run->st);
	struct unit_sink k = { .run = run, .err = err };

	if (pg_copy_begin(&k.copy, run->pg, sql, err) != 0)
		return -1;
	if ((run->refresh && unit_row(&k.copy, &me->pub, NULL, false, err) != 0) ||
	    (run->to > run->from &&
	     pubstate_changed_nodes(run->st, run->from, run->to, node_out, &k, err) != 0)) {
		pg_copy_abort(&k.copy);
		return -1;
	}
	run->stats->sent[PUB_UNITS] = k.copy.rows;
	if (pg_copy_finish(&k.copy, err) != 0)
		return -1;
	return pg_tables_units(run->pg, &run->who, &run->stats->written[PUB_UNITS], err);
}

int
publish_send_codes(struct pub_run *run, struct cimic_error *err)
{
	static const char sql[] = "COPY pg_temp.in_codes (list, code, label_en, label_uk) FROM STDIN";
	struct pg_copy c;

	if (pg_copy_begin(&c, run->pg, sql, err) != 0)
		return -1;
	if (pg_code_rows(&c, "type", &codes_incident_type, err) != 0 ||
	    pg_code_rows(&c, "status", &codes_incident_status, err) != 0 ||
	    pg_code_rows(&c, "category", &codes_contact_category, err) != 0 ||
	    pg_code_rows(&c, "role", &codes_node_role, err) != 0) {
		pg_copy_abort(&c);
		return -1;
	}
	if (pg_copy_finish(&c, err) != 0)
		return -1;
	return pg_tables_codes(run->pg, err);
}
