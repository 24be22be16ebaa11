/*
 * mailbox.c - one `cimic sync DIR` run (see mailbox.h).
 *
 * Files are taken in name order so that two runs over the same drive
 * do the same thing.  Outgoing bundles are named by recipient key id
 * and a random tag, never by sender: the sender stays hidden from
 * whoever carries the drive.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "bundle_format.h"
#include "cimic/i18n.h"
#include "cimic/mailbox.h"
#include "cimic/peerstate.h"
#include "cimic/store.h"
#include "cimic/util.h"
#include "bundle_private.h"
#include "exchange_private.h"

#define MAILBOX_MAX_FILES 100000

struct names {
	char **v;       /* owned, each owned */
	size_t n, cap;
};

static void
names_free(struct names *ns)
{
	for (size_t i = 0; i < ns->n; i++)
		free(ns->v[i]);
	free(ns->v);
}

static int
names_add(struct names *ns, const char *name)
{
	if (ns->n == ns->cap) {
		size_t cap = ns->cap ? ns->cap * 2 : 32;
		char **p = realloc(ns->v, cap * sizeof *p);
		if (p == NULL)
			return -1;
		ns->v = p;
		ns->cap = cap;
	}
	if ((ns->v[ns->n] = util_strdup(name)) == NULL)
		return -1;
	ns->n++;
	return 0;
}

static int
name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static bool
wanted(const char *dir, const char *name)
{
	size_t n = strlen(name);
	struct stat sb;
	char *path;
	bool ok;

	if (name[0] == '.' || (n > 5 && strcmp(name + n - 5, ".part") == 0))
		return false;
	if ((path = util_aprintf("%s/%s", dir, name)) == NULL)
		return false;
	ok = stat(path, &sb) == 0 && S_ISREG(sb.st_mode);
	free(path);
	return ok;
}

static int
list_dir(const char *dir, struct names *ns, struct cimic_error *err)
{
	DIR *d = opendir(dir);
	struct dirent *de;

	if (d == NULL)
		return cimic_error_set(err, errno == ENOENT ? CIMIC_ENOINPUT : CIMIC_EIO,
				       _("cannot read %s: %s"), dir, strerror(errno));
	while ((de = readdir(d)) != NULL) {
		if (!wanted(dir, de->d_name))
			continue;
		if (ns->n >= MAILBOX_MAX_FILES || names_add(ns, de->d_name) != 0) {
			closedir(d);
			return cimic_error_set(err, CIMIC_EFAIL, _("too many files in %s"), dir);
		}
	}
	closedir(d);
	if (ns->n > 1)
		qsort(ns->v, ns->n, sizeof *ns->v, name_cmp);
	return 0;
}

static bool
has_magic(const char *path)
{
	unsigned char m[BUNDLE_MAGIC_BYTES];
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	bool yes;

	if (fd < 0)
		return false;
	yes = read(fd, m, sizeof m) == (ssize_t)sizeof m && memcmp(m, BUNDLE_MAGIC, sizeof m) == 0;
	close(fd);
	return yes;
}

static void
report(mailbox_cb cb, void *arg, struct mailbox_summary *sum, struct mailbox_item *it)
{
	sum->count[it->status]++;
	if (it->err != NULL && sum->first_error == 0)
		sum->first_error = it->err->code ? it->err->code : CIMIC_EFAIL;
	if (cb != NULL)
		cb(it, arg);
}

/* Decides what one file is and imports it when it is ours. */
static void
take_file(struct store *st, const char *dir, const char *name, mailbox_cb cb, void *arg,
	  struct mailbox_summary *sum)
{
	unsigned char kid[IDENTITY_KEYID_BYTES];
	struct mailbox_item it = { .file = name };
	struct exchange_result res;
	struct bundle_header h;
	struct cimic_error e;
	char *path = util_aprintf("%s/%s", dir, name);

	identity_key_id(store_identity(st)->pub.sign_pk, kid);
	if (path == NULL || !has_magic(path)) {
		it.status = MAILBOX_NOT_BUNDLE;
	} else if (bundle_peek(path, &h, &e) != 0 || (bundle_is_for(&h, kid) && bundle_check(path, &h, &e) != 0)) {
		it.status = MAILBOX_REFUSED;
		it.err = &e;
	} else if (!bundle_is_for(&h, kid)) {
		it.status = MAILBOX_OTHER;
	} else if (peerstate_seen(st, h.hash)) {
		it.status = MAILBOX_ALREADY;
	} else if (exchange_import(st, path, &res, &e) != 0) {
		it.status = MAILBOX_REFUSED;
		it.err = &e;
	} else {
		it.status = MAILBOX_IMPORTED;
		it.in = &res;
		sum->entries_new += res.entries_new;
		sum->conflicts_opened += res.conflicts_opened;
		sum->quarantined += res.quarantined;
	}
	report(cb, arg, sum, &it);
	free(path);
}

static int
collect_peer(const struct roster_node *n, void *arg)
{
	struct roster_node **v = arg;
	size_t k = 0;

	if (!n->peer || n->revoked)
		return 0;
	while ((*v)[k].name[0] != '\0')
		k++;
	if (k + 1 >= 256)
		return 0;   /* far more peers than any unit has; the rest wait for the next run */
	(*v)[k] = *n;
	return 0;
}

static bool
file_exists(const char *dir, const char *name)
{
	char *path = util_aprintf("%s/%s", dir, name);
	bool yes = path != NULL && access(path, F_OK) == 0;

	free(path);
	return yes;
}

static char *
new_name(const struct roster_node *n)
{
	unsigned char kid[IDENTITY_KEYID_BYTES], tag[8];
	char khex[2 * sizeof kid + 1], thex[2 * sizeof tag + 1];

	identity_key_id(n->pub.sign_pk, kid);
	randombytes_buf(tag, sizeof tag);
	util_hex(kid, sizeof kid, khex);
	util_hex(tag, sizeof tag, thex);
	return util_aprintf("cimic-%s-%s.cmb", khex, thex);
}

static int
remember(struct store *st, const struct roster_node *n, const char *name,
	 const unsigned char key[PEERSTATE_KEY_BYTES], struct cimic_error *err)
{
	if (store_begin(st, err) != 0)
		return -1;
	if (peerstate_outbox_set(st, n->pub.sign_pk, name, key, err) != 0) {
		store_rollback(st);
		return -1;
	}
	return store_commit(st, err);
}

/* Writes (or keeps) the bundle for one peer. */
static void
give_peer(struct store *st, const char *dir, const struct roster_node *n, mailbox_cb cb, void *arg,
	  struct mailbox_summary *sum)
{
	unsigned char key[PEERSTATE_KEY_BYTES], old_key[PEERSTATE_KEY_BYTES];
	struct mailbox_item it = { .peer = n->name };
	struct exchange_out out;
	struct cimic_error e;
	char *old = NULL, *name = NULL, *path = NULL;
	bool has_key;

	if (exchange_content_key(st, n->pub.sign_pk, key, &e) != 0 ||
	    peerstate_outbox_get(st, n->pub.sign_pk, &old, old_key, &has_key) != 0)
		goto failed;
	if (has_key && old != NULL && memcmp(key, old_key, sizeof key) == 0 && file_exists(dir, old)) {
		it.status = MAILBOX_UNCHANGED;
		it.file = old;
		goto done;
	}
	if ((name = new_name(n)) == NULL || (path = util_aprintf("%s/%s", dir, name)) == NULL) {
		cimic_error_set(&e, CIMIC_EFAIL, _("out of memory"));
		goto failed;
	}
	if (exchange_create(st, n->pub.sign_pk, path, &out, &e) != 0 ||
	    remember(st, n, name, out.key, &e) != 0)
		goto failed;
	if (old != NULL && strcmp(old, name) != 0 && file_exists(dir, old)) {
		char *op = util_aprintf("%s/%s", dir, old);
		if (op != NULL)
			unlink(op);   /* superseded: the new bundle holds all it held */
		free(op);
	}
	it.status = MAILBOX_WRITTEN;
	it.file = name;
	it.out = &out;
	goto done;
failed:
	it.status = MAILBOX_WRITE_FAILED;
	it.file = name;
	it.err = &e;
done:
	report(cb, arg, sum, &it);
	free(old);
	free(name);
	free(path);
}

int
mailbox_sync(struct store *st, const char *dir, mailbox_cb cb, void *arg,
	     struct mailbox_summary *sum, struct cimic_error *err)
{
	struct names ns = { 0 };
	struct roster_node *peers = calloc(256, sizeof *peers);

	memset(sum, 0, sizeof *sum);
	if (peers == NULL)
		return cimic_error_set(err, CIMIC_EFAIL, _("out of memory"));
	if (list_dir(dir, &ns, err) != 0)
		goto fail;
	for (size_t i = 0; i < ns.n; i++)
		take_file(st, dir, ns.v[i], cb, arg, sum);
	/* peers after the imports: a roster entry just applied may have revoked one */
	if (roster_each(st, collect_peer, &peers, err) != 0)
		goto fail;
	for (size_t k = 0; k < 256 && peers[k].name[0] != '\0'; k++)
		give_peer(st, dir, &peers[k], cb, arg, sum);
	names_free(&ns);
	free(peers);
	return 0;
fail:
	names_free(&ns);
	free(peers);
	return -1;
}

/* ---- what is waiting (nothing applied, nothing written) ---- */

struct known {
	struct roster_node *v;    /* owned */
	size_t n, cap;
};

static int
collect_known(const struct roster_node *n, void *arg)
{
	struct known *k = arg;

	if (k->n == k->cap) {
		size_t cap = k->cap ? k->cap * 2 : 32;
		struct roster_node *p = realloc(k->v, cap * sizeof *p);
		if (p == NULL)
			return 1;
		k->v = p;
		k->cap = cap;
	}
	k->v[k->n++] = *n;
	return 0;
}

/* Names the first recipient this store knows; false when it knows none. */
static bool
known_recipient(const struct known *k, const struct bundle_header *h, char *name, size_t n)
{
	unsigned char kid[IDENTITY_KEYID_BYTES];

	for (size_t i = 0; i < k->n; i++) {
		identity_key_id(k->v[i].pub.sign_pk, kid);
		if (bundle_is_for(h, kid)) {
			snprintf(name, n, "%s", k->v[i].name);
			return true;
		}
	}
	return false;
}

static void
scan_file(struct store *st, const struct known *k, const char *dir, const char *name,
	  mailbox_scan_cb cb, void *arg)
{
	unsigned char kid[IDENTITY_KEYID_BYTES];
	struct mailbox_entry e = { .file = name };
	struct bundle_header h;
	struct cimic_error err;
	struct stat sb;
	char *path = util_aprintf("%s/%s", dir, name);

	if (path == NULL)
		return;
	identity_key_id(store_identity(st)->pub.sign_pk, kid);
	if (stat(path, &sb) == 0)
		e.size = (uint64_t)sb.st_size;
	if (!has_magic(path))
		e.what = MAILBOX_NOT_A_BUNDLE;
	else if (bundle_peek(path, &h, &err) != 0)
		e.what = MAILBOX_DAMAGED;
	else if (bundle_is_for(&h, kid))
		e.what = bundle_check(path, &h, &err) != 0 ? MAILBOX_DAMAGED
			 : peerstate_seen(st, h.hash) ? MAILBOX_FOR_ME_APPLIED : MAILBOX_FOR_ME;
	else
		e.what = known_recipient(k, &h, e.to, sizeof e.to) ? MAILBOX_FOR_PEER : MAILBOX_FOR_UNKNOWN;
	cb(&e, arg);
	free(path);
}

int
mailbox_scan(struct store *st, const char *dir, mailbox_scan_cb cb, void *arg, struct cimic_error *err)
{
	struct names ns = { 0 };
	struct known k = { 0 };
	int rc = -1;

	if (list_dir(dir, &ns, err) != 0)
		goto out;
	if (roster_each(st, collect_known, &k, err) < 0)
		goto out;
	for (size_t i = 0; i < ns.n; i++)
		scan_file(st, &k, dir, ns.v[i], cb, arg);
	rc = 0;
out:
	names_free(&ns);
	free(k.v);
	return rc;
}
