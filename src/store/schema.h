/* schema.h - private to src/: schema creation and migrations. */
#ifndef CIMIC_SRC_SCHEMA_H
#define CIMIC_SRC_SCHEMA_H

#include <sqlite3.h>

#include "cimic/error.h"

/* PRAGMA user_version, or -1. */
int schema_version(sqlite3 *db);
/* Brings the database to the current version inside the caller's transaction. */
int schema_migrate(sqlite3 *db, struct cimic_error *err);

#endif
