/*
 * sync-mailbox.c - the USB mailbox as the Sync screen uses it: what a
 * directory holds (before anything is applied), removable drives, and
 * one exchange with a progress bar that reports every bundle in and out.
 *
 * The exchange is mailbox_sync(), the same as `cimic sync DIR`; this
 * file only turns its per-file reports into lines an officer reads and
 * a courier compares (the full hash of each bundle written, grouped).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cimic/bundle.h"
#include "cimic/i18n.h"
#include "cimic/roster.h"
#include "cimic/store.h"
#include "dialog.h"
#include "sync-mailbox.h"

static void
add_target(struct mailbox_view *v, const char *name)
{
	for (int i = 0; i < v->ntargets; i++)
		if (strcmp(v->targets[i].name, name) == 0) {
			v->targets[i].n++;
			return;
		}
	if (v->ntargets < MAILBOX_VIEW_TARGETS) {
		snprintf(v->targets[v->ntargets].name, sizeof v->targets[0].name, "%s", name);
		v->targets[v->ntargets++].n = 1;
	}
}

static void
on_scanned(const struct mailbox_entry *e, void *arg)
{
	struct mailbox_view *v = arg;

	v->files++;
	switch (e->what) {
	case MAILBOX_FOR_ME: v->for_me++; break;
	case MAILBOX_FOR_ME_APPLIED: v->for_me_applied++; break;
	case MAILBOX_FOR_PEER: v->for_others++; add_target(v, e->to); break;
	case MAILBOX_FOR_UNKNOWN: v->for_others++; v->for_unknown++; break;
	case MAILBOX_DAMAGED: v->damaged++; break;
	case MAILBOX_NOT_A_BUNDLE: v->other_files++; break;
	}
}

int
mailbox_view_scan(struct app *app, const char *dir, struct mailbox_view *v)
{
	struct cimic_error err;
	struct stat sb;

	memset(v, 0, sizeof *v);
	if (dir == NULL || *dir == '\0')
		return -1;
	if (stat(dir, &sb) != 0 || !S_ISDIR(sb.st_mode)) {
		snprintf(v->error, sizeof v->error, _("%s is not there (drive not mounted?)"), dir);
		return -1;
	}
	v->mtime = sb.st_mtime;
	if (mailbox_scan(app->st, dir, on_scanned, v, &err) != 0) {
		snprintf(v->error, sizeof v->error, "%s", err.msg);
		return -1;
	}
	v->ok = true;
	return 0;
}

/* ---- removable drives ---- */

/* /proc/mounts escapes blanks as \040 (octal); undoes that in place. */
static void
unescape_mount(char *s)
{
	char *w = s;

	for (char *p = s; *p; p++) {
		if (p[0] == '\\' && p[1] >= '0' && p[1] <= '3' && p[2] >= '0' && p[2] <= '7' &&
		    p[3] >= '0' && p[3] <= '7') {
			*w++ = (char)((p[1] - '0') * 64 + (p[2] - '0') * 8 + (p[3] - '0'));
			p += 3;
		} else {
			*w++ = *p;
		}
	}
	*w = '\0';
}

int
mailbox_find_media(char paths[][MAILBOX_PATH_MAX], int max)
{
	FILE *f = fopen("/proc/self/mounts", "r");
	char line[1024], dev[512], mnt[MAILBOX_PATH_MAX];
	int n = 0;

	if (f == NULL)
		return 0;
	while (n < max && fgets(line, sizeof line, f)) {
		if (sscanf(line, "%511s %1023s", dev, mnt) != 2)
			continue;
		unescape_mount(mnt);
		if (strncmp(mnt, "/media/", 7) == 0 || strncmp(mnt, "/run/media/", 11) == 0)
			snprintf(paths[n++], MAILBOX_PATH_MAX, "%s", mnt);
	}
	fclose(f);
	return n;
}

/* ---- one exchange ---- */

struct run {
	struct app *app;
	const char *dir;
	struct mailbox_log *log;
	int done, total;
	int others, not_bundles;
};

void
mailbox_log_clear(struct mailbox_log *log)
{
	for (int i = 0; i < log->n; i++)
		free(log->lines[i]);
	log->n = 0;
}

static void
log_add(struct mailbox_log *log, enum mailbox_line kind, const char *text)
{
	if (log->n < MAILBOX_LOG_LINES && (log->lines[log->n] = util_strdup(text)) != NULL)
		log->kind[log->n++] = kind;
}

/* The hash a courier compares with `cimic bundle verify`, in groups of 8. */
static void
log_hash(struct mailbox_log *log, const unsigned char hash[BUNDLE_HASH_BYTES])
{
	char hex[2 * BUNDLE_HASH_BYTES + 1], line[128];
	size_t k;

	util_hex(hash, BUNDLE_HASH_BYTES, hex);
	k = (size_t)snprintf(line, sizeof line, "      %s ", _("hash"));
	for (size_t i = 0; i < 2 * BUNDLE_HASH_BYTES && k + 10 < sizeof line; i += 8)
		k += (size_t)snprintf(line + k, sizeof line - k, " %.8s", hex + i);
	log_add(log, LINE_HASH, line);
}

static void
log_in(struct run *r, const struct mailbox_item *it)
{
	const struct exchange_result *in = it->in;
	char line[768];
	size_t k;

	if (it->status == MAILBOX_ALREADY) {
		snprintf(line, sizeof line, _("in   %s: already imported"), it->file);
		log_add(r->log, LINE_DIM, line);
		return;
	}
	k = (size_t)snprintf(line, sizeof line, _("in   %s from %s: %ld new"), it->file, in->sender_name,
			     in->entries_new);
	if (in->conflicts_opened > 0 && k < sizeof line)
		k += (size_t)snprintf(line + k, sizeof line - k, _(", %ld conflicts"), in->conflicts_opened);
	/* TRANSLATORS: held back = entries of a revoked node kept aside, never applied */
	if (in->quarantined > 0 && k < sizeof line)
		k += (size_t)snprintf(line + k, sizeof line - k, _(", %ld held back"), in->quarantined);
	if (in->skipped > 0 && k < sizeof line)
		k += (size_t)snprintf(line + k, sizeof line - k, _(", %ld waiting for enrolment"), in->skipped);
	if (in->entries_dup > 0 && k < sizeof line)
		snprintf(line + k, sizeof line - k, _(", %ld already held"), in->entries_dup);
	log_add(r->log, LINE_OK, line);
}

static void
log_out(struct run *r, const struct mailbox_item *it)
{
	struct bundle_header h;
	struct cimic_error err;
	char line[768], *path;

	if (it->status == MAILBOX_WRITE_FAILED) {
		snprintf(line, sizeof line, _("out  for %s FAILED: %s"), it->peer, it->err->msg);
		log_add(r->log, LINE_ERROR, line);
		return;
	}
	if (it->status == MAILBOX_WRITTEN) {
		snprintf(line, sizeof line, P_("out  %s for %s: %ld entry, %llu bytes",
					       "out  %s for %s: %ld entries, %llu bytes", it->out->entries),
			 it->file, it->peer, it->out->entries, (unsigned long long)it->out->hdr.size);
		log_add(r->log, LINE_OK, line);
		log_hash(r->log, it->out->hdr.hash);
		return;
	}
	snprintf(line, sizeof line, _("out  %s for %s: unchanged since the last run"), it->file, it->peer);
	log_add(r->log, LINE_DIM, line);
	path = util_aprintf("%s/%s", r->dir, it->file);
	if (path != NULL && bundle_check(path, &h, &err) == 0)
		log_hash(r->log, h.hash);
	free(path);
}

static void
on_item(const struct mailbox_item *it, void *arg)
{
	struct run *r = arg;
	char line[768], title[128];

	r->done++;
	switch (it->status) {
	case MAILBOX_IMPORTED: case MAILBOX_ALREADY: log_in(r, it); break;
	case MAILBOX_REFUSED:
		snprintf(line, sizeof line, _("in   %s REFUSED: %s"), it->file, it->err->msg);
		log_add(r->log, LINE_ERROR, line);
		break;
	case MAILBOX_OTHER: r->others++; break;
	case MAILBOX_NOT_BUNDLE: r->not_bundles++; break;
	case MAILBOX_WRITTEN: case MAILBOX_UNCHANGED: case MAILBOX_WRITE_FAILED: log_out(r, it); break;
	}
	snprintf(title, sizeof title, _("Exchanging with %s"), r->dir);
	snprintf(line, sizeof line, _("%d of %d: %s"), r->done, r->total,
		 it->file ? it->file : it->peer ? it->peer : "");
	dialog_progress(r->app, title, r->total > 0 ? (double)r->done / r->total : 1.0, line);
}

static int
count_peer(const struct roster_node *n, void *arg)
{
	if (n->peer && !n->revoked)
		(*(int *)arg)++;
	return 0;
}

int
mailbox_view_run(struct app *app, const char *dir, const struct mailbox_view *before,
		 struct mailbox_log *log)
{
	struct run r = { .app = app, .dir = dir, .log = log };
	struct mailbox_summary sum;
	struct cimic_error err;
	char line[512];
	int peers = 0;

	mailbox_log_clear(log);
	roster_each(app->st, count_peer, &peers, &err);
	r.total = before->files + peers;
	dialog_progress(app, _("Exchanging"), 0, dir);
	if (mailbox_sync(app->st, dir, on_item, &r, &sum, &err) != 0) {
		snprintf(line, sizeof line, _("The exchange failed: %s"), err.msg);
		log_add(log, LINE_ERROR, line);
		app_error(app, "%s", line);
		return -1;
	}
	if (r.others > 0 || r.not_bundles > 0) {
		snprintf(line, sizeof line, _("left alone: %d bundles for other nodes, %d other files"),
			 r.others, r.not_bundles);
		log_add(log, LINE_DIM, line);
	}
	app_message(app, _("Exchange done: %d imported (%ld new entries), %d refused; %d written, %d unchanged."),
		    sum.count[MAILBOX_IMPORTED], sum.entries_new, sum.count[MAILBOX_REFUSED],
		    sum.count[MAILBOX_WRITTEN], sum.count[MAILBOX_UNCHANGED]);
	app_log("mailbox %s: %d imported, %d refused, %d written", dir, sum.count[MAILBOX_IMPORTED],
		sum.count[MAILBOX_REFUSED], sum.count[MAILBOX_WRITTEN]);
	return sum.first_error ? -1 : 0;
}
