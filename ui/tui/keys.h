/*
 * keys.h - the one table from keys to named actions.
 *
 * Every key of the interface is a row here: context, key, action.  The
 * dispatcher, the bottom hint bar, the ':' command line (which takes
 * action names) and the '?' help screen all read this table, so help
 * can never leave a binding out.  Letters typed on the Ukrainian
 * (ЙЦУКЕН) layout are mapped back to the Latin key at the same place
 * before lookup, in command contexts only, never inside text fields.
 */
#ifndef CIMIC_UI_KEYS_H
#define CIMIC_UI_KEYS_H

#include <stdbool.h>
#include <stddef.h>
#include <wchar.h>

enum key_ctx {
	CTX_GLOBAL,      /* everywhere outside text entry */
	CTX_ANYWHERE,    /* even in text entry (function keys) */
	CTX_NAV,         /* moving in lists */
	CTX_LIST,        /* incidents and contacts lists */
	CTX_DETAIL,
	CTX_FORM,
	CTX_SEARCH,
	CTX_HELP,
	CTX_SYNC,
	CTX_CONFLICTS,
	CTX_ROSTER,
	CTX_REPORTS,
	CTX_DUPLICATES,
	CTX_COUNT,
};

enum action {
	ACT_NONE = 0,
	ACT_QUIT, ACT_BACK, ACT_HELP, ACT_SEARCH, ACT_COMMAND, ACT_QUICK, ACT_NEW, ACT_EDIT, ACT_ARCHIVE, ACT_UNDO,
	ACT_OPEN, ACT_UP, ACT_DOWN, ACT_PGUP, ACT_PGDN, ACT_TOP, ACT_BOTTOM, ACT_LEFT, ACT_RIGHT,
	ACT_SORT, ACT_FILTER_TYPE, ACT_FILTER_STATUS, ACT_FILTER_SEVERITY, ACT_SHOW_ARCHIVED, ACT_CLEAR_FILTER,
	ACT_LINK, ACT_UNLINK, ACT_THEME, ACT_LOCK, ACT_BLACKOUT, ACT_REFRESH,
	ACT_SCR_INCIDENTS, ACT_SCR_CONTACTS, ACT_SCR_SYNC, ACT_SCR_CONFLICTS, ACT_SCR_ROSTER, ACT_SCR_REPORTS,
	ACT_NEXT_SCREEN,
	ACT_SAVE, ACT_CANCEL, ACT_PICK, ACT_KEEP_DRAFT, ACT_SUSPEND, ACT_FULL_FORM,
	ACT_RESOLVE, ACT_ENROL, ACT_REVOKE, ACT_RUN, ACT_DIR, ACT_DETECT, ACT_PREVIEW, ACT_WRITE, ACT_PERIOD, ACT_FORMAT,
	ACT_NET, ACT_SERVE, ACT_FILTER_UNIT, ACT_FILTER_PLACE, ACT_FILTER_AREA, ACT_FILTER_SINCE,
	ACT_SCR_DUPLICATES, ACT_MERGE, ACT_DISMISS, ACT_SWAP,
	ACT_COUNT,
};

enum key_type { KT_CHAR, KT_KEY };

struct key_binding {
	enum key_ctx ctx;
	enum key_type type;
	wint_t code;          /* character or KEY_* */
	enum action action;
};

/* N_() one-word label for the hint bar. */
const char *keys_action_hint(enum action a);
/* Action name (stable, English: the ':' command) and N_() help text. */
const char *keys_action_name(enum action a);
const char *keys_action_help(enum action a);
/* Action named by a ':' command word, or ACT_NONE. */
enum action keys_action_by_name(const char *name);

/*
 * Looks up a key in the contexts given (in order).  `text_entry` limits
 * the lookup to the screen's own context and CTX_ANYWHERE, and turns
 * off the Ukrainian-layout mapping.
 */
enum action keys_lookup(const enum key_ctx *ctxs, size_t n, enum key_type type, wint_t code,
			bool text_entry);

/* The Latin key at the place of a Ukrainian-layout character (or wc itself). */
wint_t keys_latin(wint_t wc);
/* The Ukrainian-layout character on the key of a Latin character, or 0. */
wint_t keys_cyrillic(wint_t c);

/* "q", "^S", "Enter", "PgDn", "F1"... for help and hints. buf >= 16. */
void keys_name(enum key_type type, wint_t code, char *buf, size_t n);
/* First key of an action in a context (for hints), into buf; false when unbound. */
bool keys_first(enum key_ctx ctx, enum action a, char *buf, size_t n);

/* The bindings, for the help screen. *n receives the count. */
const struct key_binding *keys_table(size_t *n);
/* N_() title of a context for the help screen. */
const char *keys_ctx_title(enum key_ctx ctx);

#endif
