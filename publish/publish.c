/*
 * publish.c - one run of `cimic publish` (publish.h).
 *
 *   1. connect; BEGIN; lock, check and migrate the schema (pg_schema.c),
 *      learn the database's id;
 *   2. the watermark: the lower of what the store says this database
 *      holds (pubstate) and what the database says it holds from this HQ
 *      (cimic.publishers: lower when the database was restored from a
 *      backup); a database the store has never seen gets everything;
 *   3. in one read transaction of the store: the current change seq, then
 *      the contacts, incidents and links changed since the watermark,
 *      their open conflicts, this HQ and the nodes that changed, and the
 *      code lists, through temporary tables and one upsert each;
 *   4. COMMIT; only then the store records the new watermark.
 *
 * Any failure before the COMMIT rolls the database back and leaves the
 * store as it was; a failure to record the watermark after it costs only
 * a resend, which changes nothing in the database.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cimic/i18n.h"
#include "cimic/pubstate.h"
#include "cimic/store.h"
#include "cimic/timefmt.h"
#include "publish_private.h"

static double
now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static void
publisher_of(struct store *st, struct pg_publisher *who)
{
	const struct node_identity *me = store_identity(st);

	pg_key_hex(me->pub.sign_pk, who->key);
	who->unit = me->pub.unit;
	identity_fingerprint(me->pub.sign_pk, who->fingerprint, sizeof who->fingerprint);
}

/* Step 2: where this run starts; *known: the store has published here before. */
static int
watermark(struct pub_run *run, struct pubstate_target *t, bool *known, struct cimic_error *err)
{
	int64_t held;
	bool same_version;
	int found;

	if (pg_tables_publisher_get(run->pg, &run->who, &held, &same_version, err) != 0)
		return -1;
	if ((found = pubstate_get(run->st, run->pg->database_id, t, err)) < 0)
		return -1;
	*known = found == 1;
	run->from = 0;
	if (found == 1)
		run->from = t->seq < held ? t->seq : held;
	if (run->from > run->to)
		run->from = 0;   /* the store went back (restored): send everything */
	run->refresh = run->from == 0 || !same_version;
	return 0;
}

/* Step 3, inside the store's read transaction. */
static int
send_all(struct pub_run *run, struct cimic_error *err)
{
	if (pg_tables_create(run->pg, err) != 0)
		return -1;
	if (run->to > run->from)
		for (enum model_kind k = MODEL_CONTACT; k <= MODEL_LINK; k++)
			if (publish_send_records(run, k, err) != 0)
				return -1;
	if (publish_send_conflicts(run, err) != 0 || publish_send_units(run, err) != 0 ||
	    (run->refresh && publish_send_codes(run, err) != 0))
		return -1;
	return pg_tables_publisher(run->pg, &run->who, run->to, err);
}

static int
transaction(struct pub_run *run, struct pubstate_target *t, bool *known, struct cimic_error *err)
{
	int rc;

	if (pg_exec(run->pg, _("cannot begin a transaction"), "BEGIN", err) != 0 ||
	    pg_schema_ensure(run->pg, run->stats, err) != 0)
		return -1;
	if (pubstate_read_begin(run->st, &run->to, err) != 0)
		return -1;
	rc = watermark(run, t, known, err);
	if (rc == 0) {
		run->stats->from_seq = run->from;
		run->stats->to_seq = run->to;
		rc = send_all(run, err);
	}
	pubstate_read_end(run->st);
	if (rc != 0)
		return -1;
	return pg_exec(run->pg, _("cannot commit"), "COMMIT", err);
}

/* Step 4. */
static int
record_watermark(struct pub_run *run, struct pubstate_target *t, bool known,
		 struct cimic_error *err)
{
	long rows = 0;

	for (int i = 0; i < PUB_NTABLES; i++)
		rows += run->stats->sent[i];
	if (known && t->seq == run->to && strcmp(t->label, run->pg->label) == 0)
		return 0;   /* nothing new: the store stays as it is */
	snprintf(t->target, sizeof t->target, "%s", run->pg->database_id);
	snprintf(t->label, sizeof t->label, "%s", run->pg->label);
	t->seq = run->to;
	t->published_ms = timefmt_now_ms();
	t->rows = rows;
	if (pubstate_set(run->st, t, err) != 0)
		return cimic_error_prefix(err, _("published to %s, but the store could not record "
						 "it (the next run sends the same rows again)"),
					  run->pg->label);
	return 0;
}

int
publish_run(struct store *st, const char *conninfo, struct publish_stats *stats,
	    struct cimic_error *err)
{
	struct publish_target_info info;
	struct pubstate_target t;
	struct pg pg;
	struct pub_run run = { .st = st, .pg = &pg, .stats = stats };
	double t0 = now_s();
	bool known = false;
	int rc;

	memset(stats, 0, sizeof *stats);
	memset(&t, 0, sizeof t);
	if (publish_target_parse(conninfo, &info, err) != 0)
		return -1;
	snprintf(stats->label, sizeof stats->label, "%s", info.label);
	publisher_of(st, &run.who);
	if (pg_connect(&pg, conninfo, info.label, err) != 0)
		return -1;
	rc = transaction(&run, &t, &known, err);
	if (rc != 0 && PQstatus(pg.conn) == CONNECTION_OK)
		PQclear(PQexec(pg.conn, "ROLLBACK"));
	pg_close(&pg);
	free(run.conflicted);
	stats->seconds = now_s() - t0;
	if (rc != 0)
		return -1;
	return record_watermark(&run, &t, known, err);
}
