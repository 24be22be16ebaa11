/*
 * mailbox.h - `cimic sync DIR`: a directory (a USB drive) as a shared
 * mailbox between field units, couriers and HQ.
 *
 * One run imports every bundle in DIR addressed to this node (each in
 * its own transaction; files already applied are skipped by their
 * hash), leaves bundles for other nodes and files that are not bundles
 * untouched, and never deletes a refused bundle.  Then it writes one
 * bundle per peer (.part, fsync, rename), replacing the bundle it wrote
 * for that peer last time, which the new one supersedes.  When nothing
 * changed since that bundle was written and it is still in DIR, it
 * writes nothing: running sync twice changes nothing the second time.
 */
#ifndef CIMIC_MAILBOX_H
#define CIMIC_MAILBOX_H

#include "cimic/error.h"
#include "cimic/exchange.h"

struct store;

enum mailbox_status {
	MAILBOX_IMPORTED,     /* a bundle for this node, applied now */
	MAILBOX_ALREADY,      /* a bundle for this node, applied before */
	MAILBOX_OTHER,        /* a bundle for other nodes: left alone */
	MAILBOX_REFUSED,      /* damaged, forged, from a revoked node...: left in place */
	MAILBOX_NOT_BUNDLE,   /* some other file: left alone */
	MAILBOX_WRITTEN,      /* an outgoing bundle written for a peer */
	MAILBOX_UNCHANGED,    /* the bundle already in DIR for that peer is current */
	MAILBOX_WRITE_FAILED,
};

struct mailbox_item {
	enum mailbox_status status;
	const char *file;                     /* name inside DIR */
	const char *peer;                     /* outgoing: peer name */
	const struct exchange_result *in;     /* IMPORTED / ALREADY (when known) */
	const struct exchange_out *out;       /* WRITTEN */
	const struct cimic_error *err;        /* REFUSED / WRITE_FAILED */
};

typedef void (*mailbox_cb)(const struct mailbox_item *item, void *arg);

struct mailbox_summary {
	int count[MAILBOX_WRITE_FAILED + 1];
	long entries_new, conflicts_opened, quarantined;
	int first_error;                      /* exit status of the first failure, 0 if none */
};

/* Runs one mailbox exchange; cb (optional) hears about every file. */
int mailbox_sync(struct store *st, const char *dir, mailbox_cb cb, void *arg,
		 struct mailbox_summary *sum, struct cimic_error *err);

/*
 * What a directory holds, without applying or writing anything: for the
 * sync screen before the exchange runs.  Bundles for this node are
 * checked against their trailer (so a damaged copy shows before the
 * run); bundles for others are named by the first recipient this store
 * knows (the key ids in the clear never name the sender).
 */
enum mailbox_waiting {
	MAILBOX_FOR_ME,           /* for this node, not applied yet */
	MAILBOX_FOR_ME_APPLIED,   /* for this node, applied before */
	MAILBOX_FOR_PEER,         /* for a node this store knows: `to` names it */
	MAILBOX_FOR_UNKNOWN,      /* for nodes this store does not know */
	MAILBOX_DAMAGED,          /* looks like a bundle, does not check */
	MAILBOX_NOT_A_BUNDLE,
};

struct mailbox_entry {
	enum mailbox_waiting what;
	const char *file;                   /* name inside DIR */
	uint64_t size;
	char to[ROSTER_NAME_MAX + 1];       /* MAILBOX_FOR_PEER */
};

typedef void (*mailbox_scan_cb)(const struct mailbox_entry *e, void *arg);
int mailbox_scan(struct store *st, const char *dir, mailbox_scan_cb cb, void *arg,
		 struct cimic_error *err);

#endif
