/*
 * storehold.c - a second process for the shared-store tests: opens the
 * store in DIR with $CIMIC_PASSPHRASE, takes the write lock (BEGIN
 * IMMEDIATE), prints "held" and keeps the lock for SECONDS before it
 * commits and exits.  With -r it holds a connection open without a
 * transaction instead, reading the schema every 50 ms until SECONDS
 * pass or SIGTERM comes, so that a long-lived reader sits beside the
 * commands under test; it then prints "reads N".
 *
 *   storehold [-r] DIR SECONDS
 *
 * Test helper only.
 */
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <sqlite3.h>

#include "cimic/store.h"
#include "store_private.h"   /* store_db: the raw connection, for holding locks */

static volatile sig_atomic_t stop;

static void
on_term(int sig)
{
	(void)sig;
	stop = 1;
}

static double
now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static int
read_loop(struct store *st, double seconds)
{
	double end = now() + seconds;
	sqlite3_stmt *s = NULL;
	long reads = 0;

	if (sqlite3_prepare_v2(store_db(st), "SELECT count(*) FROM sqlite_schema", -1, &s,
			       NULL) != SQLITE_OK)
		return 1;
	while (now() < end && !stop) {
		if (sqlite3_step(s) != SQLITE_ROW) {
			fprintf(stderr, "storehold: read failed: %s\n", sqlite3_errmsg(store_db(st)));
			sqlite3_finalize(s);
			return 1;
		}
		sqlite3_reset(s);
		reads++;
		usleep(50000);
	}
	sqlite3_finalize(s);
	printf("reads %ld\n", reads);
	return 0;
}

int
main(int argc, char **argv)
{
	const char *pass = getenv("CIMIC_PASSPHRASE");
	bool reader = argc == 4 && strcmp(argv[1], "-r") == 0;
	struct cimic_error err;
	struct store *st;
	int rc = 0;

	if ((argc != 3 && !reader) || pass == NULL) {
		fprintf(stderr, "usage: CIMIC_PASSPHRASE=... storehold [-r] DIR SECONDS\n");
		return 64;
	}
	if (store_open(argv[argc - 2], pass, strlen(pass), &st, &err) != 0) {
		fprintf(stderr, "storehold: %s\n", err.msg);
		return err.code;
	}
	if (reader) {
		signal(SIGTERM, on_term);
		printf("open\n");
		fflush(stdout);
		rc = read_loop(st, atof(argv[3]));
	} else if (store_begin(st, &err) != 0) {
		fprintf(stderr, "storehold: %s\n", err.msg);
		rc = err.code;
	} else {
		printf("held\n");
		fflush(stdout);
		usleep((useconds_t)(atof(argv[2]) * 1e6));
		rc = store_commit(st, &err) == 0 ? 0 : err.code;
	}
	store_close(st);
	return rc;
}
