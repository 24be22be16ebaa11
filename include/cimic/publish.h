/*
 * publish.h - the merged picture into PostgreSQL/PostGIS (DESIGN.md
 * section 9; the library in publish/, built when libpq is present).
 *
 * publish_run() writes what changed in this store since the last
 * successful run to one database into its `cimic` schema, in one
 * PostgreSQL transaction: contacts, incidents and links (keyed by record
 * id, a point geometry in EPSG:4326), the units, the open conflicts and
 * the code lists with English and Ukrainian labels.  It creates or
 * migrates the schema first, and refuses a `cimic` schema that cimic did
 * not make.  Rows are upserted only when the incoming version is newer
 * (or the same version from the same HQ with a different presentation),
 * so a second run changes nothing and several HQs publishing one record
 * leave the values of the one holding the most ops.  The watermark in
 * the store (pubstate.h) moves only after the database committed; on
 * any failure neither the database nor the store changes.
 *
 * The connection string is libpq's (a postgresql:// URI or key=value
 * words): services, passfiles, PG* variables and TLS settings (sslmode,
 * sslrootcert...) are libpq's own.  No message ever holds the password.
 * In a build without libpq both functions fail with CIMIC_EUNAVAIL.
 */
#ifndef CIMIC_PUBLISH_H
#define CIMIC_PUBLISH_H

#include <stdbool.h>
#include <stdint.h>

#include "cimic/error.h"

struct store;

struct publish_target_info {
	bool has_password;       /* the connection string holds a password */
	char label[256];         /* user@host:port/db or service=NAME, never the password */
};

/*
 * Parses a connection string without connecting.  CIMIC_EUSAGE (with
 * libpq's reason, the password masked) when libpq cannot parse it.
 */
int publish_target_parse(const char *conninfo, struct publish_target_info *out,
			 struct cimic_error *err);

enum publish_table { PUB_CONTACTS, PUB_INCIDENTS, PUB_LINKS, PUB_UNITS, PUB_CONFLICTS, PUB_NTABLES };

struct publish_stats {
	char label[256];               /* where: no password */
	char database_id[40];          /* the database's cimic id */
	bool created;                  /* the schema was created by this run */
	int schema_from, schema_to;    /* schema version before and after */
	int64_t from_seq, to_seq;      /* changes sent: seq in (from_seq, to_seq] */
	long sent[PUB_NTABLES];        /* rows sent */
	long written[PUB_NTABLES];     /* rows inserted or changed in the database */
	double seconds;
};

/*
 * One run.  Exit codes in err: CIMIC_EUNAVAIL when the server cannot be
 * reached or PostGIS is missing, CIMIC_EPERM when the role may not do
 * what is needed, CIMIC_ECANTCREAT when the schema belongs to something
 * else or to a newer cimic, CIMIC_ETEMPFAIL when the server asked to try
 * again, CIMIC_EIO when the database was written but the store could not
 * record it (the next run sends the same rows again).
 */
int publish_run(struct store *st, const char *conninfo, struct publish_stats *stats,
		struct cimic_error *err);

#endif
