/*
 * scopestate.h - what HQ sends each field unit (DESIGN.md section 3,
 * need-to-know replication): the unit's scope and the records HQ shared
 * with it.  Local to HQ's store, never replicated; set with
 * `peer scope NAME --area S,W,N,E|OBLAST|--own` and `share ID... --with NAME`.
 */
#ifndef CIMIC_SCOPESTATE_H
#define CIMIC_SCOPESTATE_H

#include <stddef.h>

#include "cimic/error.h"
#include "cimic/geo.h"
#include "cimic/model.h"

struct store;

enum scope_kind { SCOPE_OWN = 0, SCOPE_AREA = 1, SCOPE_OBLAST = 2 };

struct scope {
	enum scope_kind kind;
	struct geo_area area;      /* SCOPE_AREA */
	char oblast[128];          /* SCOPE_OBLAST: the gazetteer's admin1 name */
};

/* The unit's scope; a unit never given one has SCOPE_OWN. */
int scope_get(struct store *st, const unsigned char node[32], struct scope *out,
	      struct cimic_error *err);

/*
 * Sets a field unit's scope (HQ only: CIMIC_EUSAGE at a field unit or for
 * a node that is not a field unit).
 */
int scope_set(struct store *st, const unsigned char node[32], const struct scope *sc,
	      struct cimic_error *err);

/*
 * The gazetteer's admin1 name an oblast name means, Ukrainian or English,
 * with or without "oblast"/"область": the folded names compared, else the
 * one admin1 whose stem the name starts with.  CIMIC_ENOINPUT when none
 * or several match, or the gazetteer is empty.
 */
int scope_resolve_oblast(struct store *st, const char *name, char *out, size_t n,
			 struct cimic_error *err);

/* Puts a record into a field unit's scope (HQ only).  Returns 1 when new, 0 when held. */
int scope_share(struct store *st, const unsigned char node[32], enum model_kind kind,
		const unsigned char id[CIMIC_ID_BYTES], struct cimic_error *err);

/* Number of records shared with a unit, -1 on error. */
long scope_shared_count(struct store *st, const unsigned char node[32]);

/* "own", "area S,W,N,E" or "oblast NAME" (untranslated: also the JSON form). */
void scope_describe(const struct scope *sc, char *buf, size_t n);

#endif
