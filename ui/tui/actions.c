/*
 * actions.c - the screen stack, messages, dispatch of events to
 * actions, and the actions every screen shares (quit, help, search,
 * command line, quick capture, screens, theme, lock, undo).
 *
 * Only actions change state, and they change it through the core API
 * (model.h, oplog.h): keys never reach the store directly.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wctype.h>

#include "cimic/duplicates.h"
#include "cimic/i18n.h"
#include "cimic/oplog.h"
#include "cimic/store.h"
#include "cli/cli.h"
#include "dialog.h"
#include "tui-app.h"

/* Top-level screens in the order of their number keys and of Tab. */
static const struct screen *const top_screens[] = {
	&screen_incidents, &screen_contacts, &screen_sync, &screen_conflicts, &screen_roster,
	&screen_reports,
};
#define NTOP (sizeof top_screens / sizeof top_screens[0])

const struct screen *
app_screen(const struct app *app)
{
	return app->depth > 0 ? app->stack[app->depth - 1] : &screen_incidents;
}

void
app_push(struct app *app, const struct screen *s)
{
	if (app->depth == APP_STACK)
		app->depth--;   /* drop the top rather than grow without bound */
	app->stack[app->depth++] = s;
	if (s->enter)
		s->enter(app);
}

void
app_pop(struct app *app)
{
	if (app->depth > 1) {
		app->depth--;
		if (app_screen(app)->enter)
			app_screen(app)->enter(app);
	}
}

void
app_switch(struct app *app, const struct screen *s)
{
	app->depth = 0;
	app_push(app, s);
}

static void vmessage(struct app *app, bool error, const char *fmt, va_list ap)
	__attribute__((format(printf, 3, 0)));

static void
vmessage(struct app *app, bool error, const char *fmt, va_list ap)
{
	vsnprintf(app->msg, sizeof app->msg, fmt, ap);
	app->msg_error = error;
}

void
app_message(struct app *app, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmessage(app, false, fmt, ap);
	va_end(ap);
}

void
app_error(struct app *app, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmessage(app, true, fmt, ap);
	va_end(ap);
}

void
app_record_title(const struct model_record *r, char *buf, size_t n)
{
	const struct model_value *v = model_record_get(r, r->kind == MODEL_CONTACT ? "name" : "title");

	snprintf(buf, n, "%s", v && v->type == MV_TEXT ? v->s : "?");
}

void
app_dispatch(struct app *app, const struct tui_event *ev)
{
	const struct screen *s = app_screen(app);
	enum key_ctx ctxs[4];
	size_t n = 0;
	enum action a;

	if (ev->type != EV_CHAR && ev->type != EV_KEY)
		return;
	app->msg[0] = '\0';
	ctxs[n++] = s->ctx;
	ctxs[n++] = CTX_ANYWHERE;
	if (s->nav)
		ctxs[n++] = CTX_NAV;
	ctxs[n++] = CTX_GLOBAL;
	a = keys_lookup(ctxs, n, ev->type == EV_CHAR ? KT_CHAR : KT_KEY, ev->code, s->text_entry);
	if (a == ACT_NONE) {
		if (s->input)
			s->input(app, ev);
		return;
	}
	if (s->action && s->action(app, a) == R_DONE)
		return;
	app_global_action(app, a);
}

static void
next_screen(struct app *app)
{
	const struct screen *cur = app->stack[0];

	for (size_t i = 0; i < NTOP; i++)
		if (top_screens[i] == cur) {
			app_switch(app, top_screens[(i + 1) % NTOP]);
			return;
		}
	app_switch(app, top_screens[0]);
}

static void
switch_theme(struct app *app, const char *name)
{
	if (!theme_apply(name)) {
		app_error(app, _("Unknown theme '%s': day, night, mono or terminal"), name);
		return;
	}
	snprintf(app->cfg.theme, sizeof app->cfg.theme, "%s", name);
	config_save(&app->cfg);
	clearok(curscr, TRUE);
	app_message(app, _("Theme: %s"), _(theme_label(name)));
}

/* Blank screen (light discipline) until a key is pressed. */
static void
blackout(struct app *app)
{
	struct tui_event ev;
	attr_t saved = getbkgd(stdscr);

	bkgdset(' ');
	do {
		erase();
		curs_set(0);
		refresh();
		app_event(app, &ev);
	} while (ev.type == EV_TICK || ev.type == EV_RESIZE);
	bkgdset(saved);
	clearok(curscr, TRUE);
}

static void
undo_last(struct app *app)
{
	struct undo_step *u;
	struct oplog_txn *txn;
	struct cimic_error err;
	int rc;

	if (app->nundo == 0) {
		app_message(app, "%s", _("Nothing to undo."));
		return;
	}
	u = &app->undo[--app->nundo];
	if (oplog_begin(app->st, &txn, &err) != 0) {
		app_error(app, "%s", err.msg);
		return;
	}
	if (u->what == UNDO_EDIT)
		rc = model_update(txn, u->id, &u->before, &err);
	else if (u->what == UNDO_MERGE)
		rc = model_unmerge_record(txn, u->kind, u->id, &err);
	else if (u->what == UNDO_DISMISS)
		rc = dup_dismiss(txn, u->kind, u->id, u->other, false, &err);
	else
		rc = model_archive(txn, u->kind, u->id, u->what != UNDO_ARCHIVE, &err);
	if (rc != 0 || oplog_commit(txn, &err) != 0) {
		if (rc != 0)
			oplog_abort(txn);
		app_error(app, _("Undo failed: %s"), err.msg);
	} else {
		app_message(app, "%s", u->what == UNDO_ARCHIVE ? _("Undone: the record is back.") :
			    u->what == UNDO_EDIT ? _("Undone: the old values are back.") :
			    u->what == UNDO_MERGE ? _("Undone: both records are back as they were.") :
			    u->what == UNDO_DISMISS ? _("Undone: the pair may be proposed again.") :
			    _("Undone: the record is archived."));
	}
	model_change_finish(&u->before);
	if (app_screen(app)->enter)
		app_screen(app)->enter(app);
}

void
app_undo_push_pair(struct app *app, enum undo_kind what, enum model_kind kind,
		   const unsigned char id[CIMIC_ID_BYTES], const unsigned char other[CIMIC_ID_BYTES])
{
	app_undo_push(app, what, kind, id, NULL);
	memcpy(app->undo[app->nundo - 1].other, other, CIMIC_ID_BYTES);
}

void
app_undo_push(struct app *app, enum undo_kind what, enum model_kind kind,
	      const unsigned char id[CIMIC_ID_BYTES], struct model_change *before)
{
	struct undo_step *u;

	if (app->nundo == APP_UNDO) {
		model_change_finish(&app->undo[0].before);
		memmove(app->undo, app->undo + 1, (APP_UNDO - 1) * sizeof app->undo[0]);
		app->nundo--;
	}
	u = &app->undo[app->nundo++];
	u->what = what;
	u->kind = kind;
	memcpy(u->id, id, CIMIC_ID_BYTES);
	if (before) {
		u->before = *before;
		model_change_init(before, kind);
	} else {
		model_change_init(&u->before, kind);
	}
}

int
app_archive(struct app *app, enum model_kind kind, const unsigned char id[CIMIC_ID_BYTES],
	    bool archived)
{
	struct oplog_txn *txn;
	struct cimic_error err;
	struct model_record r;
	char title[128] = "";

	model_record_init(&r, kind);
	if (model_get(app->st, kind, id, &r, &err) == 0)
		app_record_title(&r, title, sizeof title);
	model_record_finish(&r);
	if (oplog_begin(app->st, &txn, &err) != 0 ||
	    (model_archive(txn, kind, id, archived, &err) != 0 && (oplog_abort(txn), 1)) ||
	    oplog_commit(txn, &err) != 0) {
		app_error(app, "%s", err.msg);
		return -1;
	}
	app_undo_push(app, archived ? UNDO_ARCHIVE : UNDO_RESTORE, kind, id, NULL);
	if (archived)
		app_message(app, _("Archived «%s». Press u to undo."), title);
	else
		app_message(app, _("Restored «%s». Press u to undo."), title);
	return 0;
}

void
app_open_record(struct app *app, enum model_kind kind, const unsigned char id[CIMIC_ID_BYTES])
{
	detail_show(app, kind, id);
}

void
app_open_form(struct app *app, enum model_kind kind, const unsigned char *id, bool quick)
{
	form_start(app, kind, id, quick);
}

/*
 * Panic wipe from the interface: typed confirmation (never y/n), then the
 * keyfile is destroyed, the store closed and the program leaves.  The
 * word to type is translated, so it is typed in the officer's layout.
 */
static void
panic_wipe(struct app *app)
{
	struct cimic_error err;
	const char *word = _("WIPE");
	int rc;

	if (!dialog_confirm_word(app, _("Panic wipe, for good."), word))
		return;
	/* the key first; the store is then closed without a checkpoint */
	rc = store_wipe(app->cli->dir, &err);
	store_close_now(app->st);
	app->st = NULL;
	app->cli->st = NULL;
	if (rc != 0) {
		snprintf(app->msg, sizeof app->msg, "%s", err.msg);
		app->msg_error = true;
	} else {
		snprintf(app->msg, sizeof app->msg,
			 _("Wiped: the key of %s is destroyed; its data can never be read again."),
			 app->cli->dir);
	}
	app->wiped = true;
	app->quit = true;
}

static void
command_prompt(struct app *app)
{
	char *line = NULL;

	if (dialog_prompt(app, ":", "", &line) == 0)
		app_command(app, line);
	free(line);
}

/*
 * A command word typed with the Ukrainian layout on ("кгт" for "run")
 * is read as the Latin keys it was typed on.  OUT: buf.
 */
static void
command_word(const char *word, char *buf, size_t n)
{
	wchar_t w[64];
	size_t len = mbstowcs(w, word, 63);

	snprintf(buf, n, "%s", word);
	if (len == (size_t)-1)
		return;
	w[len] = 0;
	for (size_t i = 0; i < len; i++)
		w[i] = (wchar_t)towlower(keys_latin(towlower((wint_t)w[i])));
	if (wcstombs(buf, w, n) == (size_t)-1)
		snprintf(buf, n, "%s", word);
}

/* Actions that belong to one screen: a ':' command for them goes there first. */
static const struct screen *
home_of(enum action a)
{
	switch (a) {
	case ACT_DIR: case ACT_RUN: case ACT_DETECT: case ACT_SERVE: return &screen_sync;
	case ACT_ENROL: case ACT_REVOKE: return &screen_roster;
	default: return NULL;
	}
}

static void
run_action(struct app *app, enum action a)
{
	const struct screen *s = app_screen(app), *home = home_of(a);

	if (home != NULL && s != home) {
		app_switch(app, home);
		s = home;
	}
	if (!(s->action && s->action(app, a) == R_DONE))
		app_global_action(app, a);
}

void
app_command(struct app *app, const char *line)
{
	char typed[64] = "", word[64], arg[448] = "";
	enum action a;

	if (sscanf(line, " %63s %447[^\n]", typed, arg) < 1)
		return;
	command_word(typed, word, sizeof word);
	util_trim(arg);
	if (strcmp(word, "q") == 0 || strcmp(word, "quit") == 0) {
		app->quit = true;
	} else if (strcmp(word, "theme") == 0 && arg[0]) {
		char name[64];
		command_word(arg, name, sizeof name);   /* "тшпре" typed on the Ukrainian layout is "night" */
		switch_theme(app, theme_apply(arg) ? arg : name);
	} else if (strcmp(word, "autolock") == 0 && arg[0]) {
		app->cfg.autolock_s = atoi(arg) < 0 ? 0 : atoi(arg);
		config_save(&app->cfg);
		app_message(app, _("Auto-lock after %d s idle (0: never)."), app->cfg.autolock_s);
	} else if (strcmp(word, "search") == 0) {
		search_start(app, arg);
	} else if (strcmp(word, "wipe") == 0) {
		panic_wipe(app);
	} else if ((a = keys_action_by_name(word)) != ACT_NONE && a != ACT_COMMAND) {
		app->cmd_arg = arg[0] ? arg : NULL;
		run_action(app, a);
		app->cmd_arg = NULL;
	} else {
		app_error(app, _("Unknown command '%s'; press ? for the list."), typed);
	}
}

/* `:duplicates [incidents]`, or M on a list: the duplicates of that list's records. */
static void
open_duplicates(struct app *app)
{
	const char *arg = app->cmd_arg;
	bool incidents = arg ? (arg[0] == 'i' || strncmp(arg, "інц", strlen("інц")) == 0)
			     : app_screen(app) == &screen_incidents;

	duplicates_show(app, incidents ? MODEL_INCIDENT : MODEL_CONTACT);
}

int
app_global_action(struct app *app, enum action a)
{
	switch (a) {
	case ACT_QUIT:
		if (app->depth > 1)
			app_pop(app);
		else
			app->quit = true;
		break;
	case ACT_BACK: app_pop(app); break;
	case ACT_HELP: help_show(app, app_screen(app)); break;
	case ACT_SEARCH: search_start(app, NULL); break;
	case ACT_COMMAND: command_prompt(app); break;
	case ACT_QUICK: case ACT_NEW: app_open_form(app, MODEL_INCIDENT, NULL, true); break;
	case ACT_UNDO: undo_last(app); break;
	case ACT_SCR_INCIDENTS: app_switch(app, &screen_incidents); break;
	case ACT_SCR_CONTACTS: app_switch(app, &screen_contacts); break;
	case ACT_SCR_SYNC: app_switch(app, &screen_sync); break;
	case ACT_SCR_CONFLICTS: app_switch(app, &screen_conflicts); break;
	case ACT_SCR_ROSTER: app_switch(app, &screen_roster); break;
	case ACT_SCR_REPORTS: app_switch(app, &screen_reports); break;
	case ACT_NEXT_SCREEN: next_screen(app); break;
	case ACT_THEME: switch_theme(app, theme_next()); break;
	case ACT_LOCK: app_lock(app); break;
	case ACT_SUSPEND: app_suspend(app); break;
	case ACT_BLACKOUT: blackout(app); break;
	case ACT_REFRESH: clearok(curscr, TRUE); break;
	case ACT_NET: tui_sync_link(app, app->cmd_arg); break;
	case ACT_SCR_DUPLICATES: open_duplicates(app); break;
	case ACT_NONE: break;
	default:
		app_message(app, "%s", _("Not available on this screen; press ? for its keys."));
		return R_PASS;
	}
	return R_DONE;
}
