/*
 * tui-app.h - what the screens of the terminal interface share.
 *
 * The model is tmux's and htop's: a key becomes a named action through
 * one table (keys.c); the current screen gets the action first, then
 * the global handler (actions.c); only actions call the core.  Each
 * screen exports a struct screen with draw and key functions.  One loop
 * (tui.c) draws the frame, reads one event and dispatches it.
 *
 * Everything draws on stdscr, recomputing its layout from LINES/COLS on
 * every draw, so a resize (KEY_RESIZE, delivered by ncurses itself)
 * needs nothing but a redraw.  Dialogs (dialog.c) run their own small
 * loops, but read events through app_event() like the main loop, so
 * auto-lock and quit reach them too.
 *
 * Ownership: struct app is owned by tui_main(); screens keep their own
 * state in static storage of their file (one instance per screen).
 */
#ifndef CIMIC_UI_TUI_APP_H
#define CIMIC_UI_TUI_APP_H

#include <curses.h>
#include <stdbool.h>
#include <stdint.h>

#include "cimic/link.h"
#include "cimic/model.h"
#include "keys.h"
#include "theme.h"

struct cli;
struct store;

/* A rectangle of the screen. */
struct rect {
	int y, x, h, w;
};

enum ev_type { EV_NONE, EV_CHAR, EV_KEY, EV_RESIZE, EV_TICK, EV_QUIT };

struct tui_event {
	enum ev_type type;
	wint_t code;        /* EV_CHAR: the character; EV_KEY: a KEY_* code */
};

/* Return values of screen input/action functions. */
enum { R_PASS = -1, R_DONE = 0 };

struct app;

struct screen {
	const char *title;                     /* N_() */
	enum key_ctx ctx;
	bool text_entry;                       /* characters are text, not commands */
	bool nav;                              /* uses the movement keys */
	void (*enter)(struct app *app);        /* shown (again): reload data */
	void (*draw)(struct app *app, struct rect r);
	int (*input)(struct app *app, const struct tui_event *ev);   /* before the key table, or NULL */
	int (*action)(struct app *app, enum action a);
	const enum action *hints;              /* bottom bar, ACT_NONE terminated */
	/* Another process (or the link server here) changed the store: reload, keeping the
	   selection.  NULL: nothing shown here depends on it (a form keeps what was typed). */
	void (*changed)(struct app *app);
	/* About once a second while this screen is on top, or NULL. */
	void (*tick)(struct app *app);
};

struct tui_config {
	char theme[16];
	int autolock_s;            /* 0: never */
	bool mouse;
	char mailbox[512];         /* last USB mailbox directory */
	char link[128];            /* last HOST:PORT of :net */
	char serve[128];           /* last ADDR:PORT of :serve */
};

struct tui_serve;

/* A link session the server here ran or is running (for the Sync screen). */
struct tui_session {
	struct link_stats s;
	bool live;
	int64_t ended_ms;
};

#define APP_STACK 8
#define APP_UNDO 32

enum undo_kind { UNDO_ARCHIVE, UNDO_RESTORE, UNDO_EDIT, UNDO_CREATE, UNDO_MERGE, UNDO_DISMISS };

/* One step that `u` can take back. */
struct undo_step {
	enum undo_kind what;
	enum model_kind kind;
	unsigned char id[CIMIC_ID_BYTES];  /* UNDO_MERGE: the one merged in */
	unsigned char other[CIMIC_ID_BYTES];  /* UNDO_MERGE: the one that stayed; UNDO_DISMISS: the pair's other */
	struct model_change before;    /* UNDO_EDIT: the old values of the changed fields */
};

struct app {
	struct cli *cli;
	struct store *st;
	struct tui_config cfg;
	const struct screen *stack[APP_STACK];
	int depth;
	char msg[512];
	bool msg_error;
	int64_t last_input_ms;
	bool quit;
	bool wiped;                /* :wipe destroyed the key; say so after endwin */
	bool locked;
	bool cursor;               /* show the terminal cursor at cursor_y/x */
	int cursor_y, cursor_x;
	struct undo_step undo[APP_UNDO];
	int nundo;
	int64_t opened_ms;         /* when the store opened (startup timing log) */
	const char *cmd_arg;       /* while a ':' command runs: what followed its name, or NULL */
	uint64_t store_seen;       /* store_change_counter() at the last refresh */
	int64_t store_checked_ms;
	struct tui_serve *serve;   /* owned: the link server here, or NULL (serve.c) */
};

/* ---- tui.c ---- */
/* Reads the next event (ticks every second; handles auto-lock and signals). */
void app_event(struct app *app, struct tui_event *ev);
/* Draws the whole frame (title, current screen, message, hints) without refresh. */
void app_draw(struct app *app);
/* Draws the frame and sends it to the terminal. */
void app_paint(struct app *app);
/* Locks now: blank screen, then the unlock prompt until the passphrase is right. */
void app_lock(struct app *app);
/* Ctrl-Z: keeps a draft, gives the terminal back to the shell, and redraws on fg. */
void app_suspend(struct app *app);
/* Appends a line to $CIMIC_LOG when set (never secrets). */
void app_log(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* ---- actions.c ---- */
const struct screen *app_screen(const struct app *app);
void app_push(struct app *app, const struct screen *s);
void app_pop(struct app *app);
/* Replaces the whole stack with one top-level screen. */
void app_switch(struct app *app, const struct screen *s);
void app_message(struct app *app, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void app_error(struct app *app, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Dispatches one event to the current screen and the global actions. */
void app_dispatch(struct app *app, const struct tui_event *ev);
/* Runs a global action (quit, help, search, screens, theme, lock, undo). */
int app_global_action(struct app *app, enum action a);
/* Runs a ':' command line. */
void app_command(struct app *app, const char *line);
/* Remembers a step for `u`; takes ownership of *before when given. */
void app_undo_push(struct app *app, enum undo_kind what, enum model_kind kind,
		   const unsigned char id[CIMIC_ID_BYTES], struct model_change *before);
/* Remembers a merge (id merged into other) or a dismissal (of the pair id, other). */
void app_undo_push_pair(struct app *app, enum undo_kind what, enum model_kind kind,
			const unsigned char id[CIMIC_ID_BYTES], const unsigned char other[CIMIC_ID_BYTES]);
/* Archives or restores a record, with a message and an undo step. */
int app_archive(struct app *app, enum model_kind kind, const unsigned char id[CIMIC_ID_BYTES],
		bool archived);
/* Opens the detail view of a record. */
void app_open_record(struct app *app, enum model_kind kind, const unsigned char id[CIMIC_ID_BYTES]);
/* Opens a form: new record (id NULL) or edit; quick = the quick-capture incident form. */
void app_open_form(struct app *app, enum model_kind kind, const unsigned char *id, bool quick);
/* Title (name of a contact, title of an incident) of a record, into buf. */
void app_record_title(const struct model_record *r, char *buf, size_t n);

/* ---- serve.c: the link server inside the interface ---- */
int tui_serve_start(struct app *app, const char *hostport, struct cimic_error *err);
void tui_serve_stop(struct app *app);
/* The address served on, or NULL when not serving. */
const char *tui_serve_address(const struct app *app);
void tui_serve_counts(const struct app *app, long *finished, long *failed);
/* Open sessions first, then the ones that ended, newest first; returns how many. */
int tui_serve_sessions(const struct app *app, struct tui_session *out, int max);
/* Serves for up to wait_ms or until the terminal has input (then true). */
bool tui_serve_wait(struct app *app, int wait_ms);

/* ---- config.c ---- */
void config_load(struct tui_config *cfg);
int config_save(const struct tui_config *cfg);

/* ---- text.c: UTF-8 text on stdscr, measured with wcwidth ---- */
int text_width(const char *s);
/* Draws s clipped to w columns ('…' when cut); returns the columns used. */
int text_draw(int y, int x, int w, const char *s, attr_t attr);
/* Draws s padded with blanks to exactly w columns. */
void text_draw_padded(int y, int x, int w, const char *s, attr_t attr);
/* Blanks w columns. */
void text_fill(int y, int x, int w, attr_t attr);
/* Draws s right-aligned so that it ends at column x + w. */
void text_draw_right(int y, int x, int w, const char *s, attr_t attr);
/* Lines and boxes drawn with Unicode box-drawing characters. */
void text_hline(int y, int x, int w, attr_t attr);
void text_vline(int y, int x, int h, attr_t attr);
void text_box(int y, int x, int h, int w, attr_t attr);
/* Cuts text into lines of at most w columns (word wrap); calls cb for each line. */
void text_wrap(const char *s, int w, void (*cb)(const char *line, void *arg), void *arg);

/* ---- the screens ---- */
extern const struct screen screen_incidents, screen_contacts, screen_detail, screen_form,
	screen_search, screen_help, screen_sync, screen_conflicts, screen_roster, screen_reports,
	screen_duplicates;

/* screen-unlock.c / screen-setup.c: run before the main loop; 0 when the store is open. */
int unlock_run(struct app *app, bool relock);
int setup_run(struct app *app);

/* screen-detail.c / screen-form.c / screen-help.c entry points. */
void detail_show(struct app *app, enum model_kind kind, const unsigned char id[CIMIC_ID_BYTES]);
int form_start(struct app *app, enum model_kind kind, const unsigned char *id, bool quick);
/* An open form with changes writes its draft (before the lock, Ctrl-Z, quitting). */
void form_keep_draft(struct app *app);
void help_show(struct app *app, const struct screen *of);
/* screen-duplicates.c: the candidate pairs of contacts or incidents. */
void duplicates_show(struct app *app, enum model_kind kind);
void search_start(struct app *app, const char *query);
/* Searches records of `kind` for words, lets the user pick one, links it (one id given, the other picked). */
void search_pick_and_link(struct app *app, enum model_kind kind, const char *words,
			  const unsigned char *incident, const unsigned char *contact);
/* sync-link.c: one link session with progress (hostport NULL: ask for it). */
void tui_sync_link(struct app *app, const char *hostport);
/* The last link session's summary line ("" before any), for the Sync screen. */
const char *tui_sync_link_last(bool *failed);

#endif
