/*
 * sync-mailbox.h - the USB mailbox for the Sync screen (sync-mailbox.c):
 * what a directory holds, removable drives, one exchange with progress.
 */
#ifndef CIMIC_UI_SYNC_MAILBOX_H
#define CIMIC_UI_SYNC_MAILBOX_H

#include <stdbool.h>
#include <time.h>

#include "cimic/mailbox.h"
#include "tui-app.h"

#define MAILBOX_VIEW_TARGETS 12
#define MAILBOX_LOG_LINES 256
#define MAILBOX_PATH_MAX 1024

/* What waits in the directory (nothing applied). */
struct mailbox_view {
	bool ok;
	char error[512];             /* when !ok */
	time_t mtime;                /* of the directory when scanned */
	int files, for_me, for_me_applied, for_others, for_unknown, damaged, other_files;
	struct {
		char name[ROSTER_NAME_MAX + 1];
		int n;
	} targets[MAILBOX_VIEW_TARGETS];   /* bundles for others, by the name known here */
	int ntargets;
};

int mailbox_view_scan(struct app *app, const char *dir, struct mailbox_view *v);

/* Mount points under /media and /run/media; returns how many (at most max). */
int mailbox_find_media(char paths[][MAILBOX_PATH_MAX], int max);

enum mailbox_line { LINE_OK, LINE_DIM, LINE_ERROR, LINE_HASH };

/* What the last exchange did, one line a bundle (and a hash line under each written one). */
struct mailbox_log {
	char *lines[MAILBOX_LOG_LINES];   /* owned */
	enum mailbox_line kind[MAILBOX_LOG_LINES];
	int n;
};

void mailbox_log_clear(struct mailbox_log *log);
/* Runs the exchange with a progress bar; -1 when something failed (the log says what). */
int mailbox_view_run(struct app *app, const char *dir, const struct mailbox_view *before,
		     struct mailbox_log *log);

#endif
