/*
 * scopestate.c - each field unit's scope and the records HQ shared with
 * it (see scopestate.h).  Tables scopes and shares: HQ's local memory,
 * never replicated.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cimic/gazetteer.h"
#include "cimic/i18n.h"
#include "cimic/roster.h"
#include "cimic/scopestate.h"
#include "cimic/timefmt.h"
#include "store_private.h"

int
scope_get(struct store *st, const unsigned char node[32], struct scope *out,
	  struct cimic_error *err)
{
	static const char sql[] =
		"SELECT kind, south, west, north, east, oblast FROM scopes WHERE node=?";
	sqlite3_stmt *s = store_stmt(st, sql);
	const unsigned char *ob;
	int rc;

	memset(out, 0, sizeof *out);
	out->kind = SCOPE_OWN;
	if (s == NULL)
		return store_sqlite_error(st, _("cannot read a unit's scope"), err);
	sqlite3_bind_blob(s, 1, node, 32, SQLITE_STATIC);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		out->kind = (enum scope_kind)sqlite3_column_int(s, 0);
		out->area.south = sqlite3_column_double(s, 1);
		out->area.west = sqlite3_column_double(s, 2);
		out->area.north = sqlite3_column_double(s, 3);
		out->area.east = sqlite3_column_double(s, 4);
		ob = sqlite3_column_text(s, 5);
		snprintf(out->oblast, sizeof out->oblast, "%s", ob ? (const char *)ob : "");
		if (out->kind != SCOPE_AREA && out->kind != SCOPE_OBLAST)
			out->kind = SCOPE_OWN;
	}
	sqlite3_reset(s);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return store_sqlite_error(st, _("cannot read a unit's scope"), err);
	return 0;
}

/* HQ sets scopes, and only of field units it knows. */
static int
check_unit(struct store *st, const unsigned char node[32], struct cimic_error *err)
{
	struct roster_node n;

	if (st->id.pub.role != NODE_HQ)
		return cimic_error_set(err, CIMIC_EUSAGE,
				       _("only HQ decides what a unit receives"));
	if (!roster_get(st, node, &n))
		return cimic_error_set(err, CIMIC_ENOINPUT, _("no such unit (see 'cimic peer list')"));
	if (n.pub.role != NODE_FIELD)
		return cimic_error_set(err, CIMIC_EUSAGE,
				       _("'%s' is an HQ: it receives everything, a scope is for field units"),
				       n.name);
	return 0;
}

int
scope_set(struct store *st, const unsigned char node[32], const struct scope *sc,
	  struct cimic_error *err)
{
	static const char sql[] =
		"INSERT INTO scopes(node, kind, south, west, north, east, oblast, changed)"
		" VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) ON CONFLICT(node) DO UPDATE SET"
		" kind=?2, south=?3, west=?4, north=?5, east=?6, oblast=?7, changed=?8";
	sqlite3_stmt *s;
	int rc;

	if (check_unit(st, node, err) != 0)
		return -1;
	if ((s = store_stmt(st, sql)) == NULL)
		return store_sqlite_error(st, _("cannot save a unit's scope"), err);
	sqlite3_bind_blob(s, 1, node, 32, SQLITE_STATIC);
	sqlite3_bind_int(s, 2, (int)sc->kind);
	if (sc->kind == SCOPE_AREA) {
		sqlite3_bind_double(s, 3, sc->area.south);
		sqlite3_bind_double(s, 4, sc->area.west);
		sqlite3_bind_double(s, 5, sc->area.north);
		sqlite3_bind_double(s, 6, sc->area.east);
	}
	if (sc->kind == SCOPE_OBLAST)
		sqlite3_bind_text(s, 7, sc->oblast, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 8, timefmt_now_ms());
	rc = sqlite3_step(s);
	sqlite3_reset(s);
	sqlite3_clear_bindings(s);
	if (rc != SQLITE_DONE)
		return store_sqlite_error(st, _("cannot save a unit's scope"), err);
	return 0;
}

/* Drops a trailing "oblast"/"область"/"obl." word (already keyed). */
static void
strip_oblast_word(char *key)
{
	static const char *const words[] = { "oblast", "oblasti", "obl", "region" };
	size_t n = strlen(key), w;

	for (size_t i = 0; i < sizeof words / sizeof words[0]; i++) {
		w = strlen(words[i]);
		if (n > w + 3 && strcmp(key + n - w, words[i]) == 0) {
			key[n - w] = '\0';
			return;
		}
	}
}

/* The adjective's stem: "cherkaska" -> "cherka", "zaporizka" -> "zapori". */
static size_t
stem_len(const char *key)
{
	size_t n = strlen(key);

	if (n > 5 && strcmp(key + n - 3, "ska") == 0)
		return n - 3;
	if (n > 4 && strcmp(key + n - 2, "ka") == 0)
		return n - 2;
	return n;
}

static size_t
common_prefix(const char *a, const char *b)
{
	size_t i = 0;

	while (a[i] != '\0' && a[i] == b[i])
		i++;
	return i;
}

int
scope_resolve_oblast(struct store *st, const char *name, char *out, size_t n,
		     struct cimic_error *err)
{
	static const char sql[] =
		"SELECT DISTINCT admin1 FROM places WHERE admin1 IS NOT NULL AND admin1<>''";
	sqlite3_stmt *s = store_stmt(st, sql);
	char *q = gazetteer_key(name), *k;
	char best[128] = "";
	size_t best_len = 0, lcp, stem, ql, need;
	int ties = 0, rc;
	bool exact = false;

	if (q == NULL)
		return cimic_error_set(err, CIMIC_EFAIL, _("out of memory"));
	if (s == NULL) {
		free(q);
		return store_sqlite_error(st, _("cannot read the gazetteer"), err);
	}
	strip_oblast_word(q);
	ql = strlen(q);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW && !exact) {
		const char *a = (const char *)sqlite3_column_text(s, 0);

		if ((k = gazetteer_key(a)) == NULL)
			continue;
		if (ql > 0 && strcmp(k, q) == 0) {
			snprintf(best, sizeof best, "%s", a);
			exact = true;
			ties = 0;
		} else {
			stem = stem_len(k);
			lcp = common_prefix(k, q);
			if (lcp > stem)
				lcp = stem;
			need = (stem < ql ? stem : ql);
			need = need > 6 ? need - 2 : need;
			if (need < 3)
				need = 3;
			if (lcp >= need && lcp > best_len) {
				best_len = lcp;
				snprintf(best, sizeof best, "%s", a);
				ties = 0;
			} else if (lcp >= need && lcp == best_len) {
				ties++;
			}
		}
		free(k);
	}
	sqlite3_reset(s);
	free(q);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return store_sqlite_error(st, _("cannot read the gazetteer"), err);
	if (best[0] == '\0' || ties > 0)
		return cimic_error_set(err, CIMIC_ENOINPUT,
				       best[0] == '\0'
					       ? _("no oblast called '%s' in the gazetteer (import one with 'cimic import --format geonames')")
					       : _("'%s' names several oblasts; give its full name"),
				       name);
	snprintf(out, n, "%s", best);
	return 0;
}

int
scope_share(struct store *st, const unsigned char node[32], enum model_kind kind,
	    const unsigned char id[CIMIC_ID_BYTES], struct cimic_error *err)
{
	static const char sql[] =
		"INSERT OR IGNORE INTO shares(node, tbl, row, added) VALUES(?1, ?2, ?3, ?4)";
	sqlite3_stmt *s;
	int rc;

	if (check_unit(st, node, err) != 0)
		return -1;
	if ((s = store_stmt(st, sql)) == NULL)
		return store_sqlite_error(st, _("cannot share a record"), err);
	sqlite3_bind_blob(s, 1, node, 32, SQLITE_STATIC);
	sqlite3_bind_int(s, 2, (int)kind);
	sqlite3_bind_blob(s, 3, id, CIMIC_ID_BYTES, SQLITE_STATIC);
	sqlite3_bind_int64(s, 4, timefmt_now_ms());
	rc = sqlite3_step(s);
	sqlite3_reset(s);
	if (rc != SQLITE_DONE)
		return store_sqlite_error(st, _("cannot share a record"), err);
	return sqlite3_changes(st->db) > 0 ? 1 : 0;
}

long
scope_shared_count(struct store *st, const unsigned char node[32])
{
	static const char sql[] = "SELECT count(*) FROM shares WHERE node=?";
	sqlite3_stmt *s = store_stmt(st, sql);
	long n = -1;

	if (s == NULL)
		return -1;
	sqlite3_bind_blob(s, 1, node, 32, SQLITE_STATIC);
	if (sqlite3_step(s) == SQLITE_ROW)
		n = (long)sqlite3_column_int64(s, 0);
	sqlite3_reset(s);
	return n;
}

void
scope_describe(const struct scope *sc, char *buf, size_t n)
{
	if (sc->kind == SCOPE_AREA)
		snprintf(buf, n, "area %.4f,%.4f,%.4f,%.4f", sc->area.south, sc->area.west,
			 sc->area.north, sc->area.east);
	else if (sc->kind == SCOPE_OBLAST)
		snprintf(buf, n, "oblast %s", sc->oblast);
	else
		snprintf(buf, n, "own");
}
