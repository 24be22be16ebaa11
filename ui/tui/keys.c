/*
 * keys.c - the key table, action names, and the Ukrainian-layout map.
 *
 * Frequent actions are single letters with an arrow or function-key
 * alias; function keys are only ever aliases, because terminal
 * emulators take F1 and F10 for themselves.  Destructive keys are
 * shifted letters or Delete, never a Ctrl chord next to a common key.
 * On the Ukrainian layout the '/' key types '.' and '?' types ',', so
 * '.' and ',' are bound to search and help as well.
 */
#include <curses.h>
#include <stdio.h>
#include <string.h>

#include "cimic/i18n.h"
#include "keys.h"

#define CTRL(c) ((c) & 0x1f)

struct action_info {
	const char *name;     /* ':' command, stable English */
	const char *help;     /* N_() */
};

static const struct action_info actions[ACT_COUNT] = {
	[ACT_NONE] = { "", "" },
	[ACT_QUIT] = { "quit", N_("Quit (or go back from a pushed screen)") },
	[ACT_BACK] = { "back", N_("Back / cancel") },
	[ACT_HELP] = { "help", N_("Help: the keys of this screen") },
	[ACT_SEARCH] = { "search", N_("Search everything (Cyrillic and Latin)") },
	[ACT_COMMAND] = { "command", N_("Command line (:incidents, :theme night, :autolock 300...)") },
	[ACT_QUICK] = { "capture", N_("Quick capture: new incident, time and place filled in") },
	[ACT_NEW] = { "new", N_("New record of this screen") },
	[ACT_EDIT] = { "edit", N_("Edit the record") },
	[ACT_ARCHIVE] = { "archive", N_("Archive (or restore) the record; u undoes it") },
	[ACT_UNDO] = { "undo", N_("Undo the last change") },
	[ACT_OPEN] = { "open", N_("Open / choose") },
	[ACT_UP] = { "up", N_("Up") },
	[ACT_DOWN] = { "down", N_("Down") },
	[ACT_PGUP] = { "pageup", N_("Page up") },
	[ACT_PGDN] = { "pagedown", N_("Page down") },
	[ACT_TOP] = { "top", N_("First line") },
	[ACT_BOTTOM] = { "bottom", N_("Last line") },
	[ACT_LEFT] = { "left", N_("Previous choice") },
	[ACT_RIGHT] = { "right", N_("Next choice") },
	[ACT_SORT] = { "sort", N_("Change the sort order") },
	[ACT_FILTER_TYPE] = { "type", N_("Filter by type or category") },
	[ACT_FILTER_STATUS] = { "status", N_("Filter by status") },
	[ACT_FILTER_SEVERITY] = { "severity", N_("Filter by lowest severity") },
	[ACT_SHOW_ARCHIVED] = { "archived", N_("Show or hide archived records") },
	[ACT_CLEAR_FILTER] = { "clear", N_("Clear the filters") },
	[ACT_LINK] = { "link", N_("Link an incident and a contact") },
	[ACT_UNLINK] = { "unlink", N_("Remove the selected link") },
	[ACT_THEME] = { "theme", N_("Next theme: day, night, monochrome, terminal") },
	[ACT_LOCK] = { "lock", N_("Lock now") },
	[ACT_BLACKOUT] = { "blackout", N_("Blank the screen until a key is pressed") },
	[ACT_REFRESH] = { "refresh", N_("Redraw the screen") },
	[ACT_SCR_INCIDENTS] = { "incidents", N_("Incidents") },
	[ACT_SCR_CONTACTS] = { "contacts", N_("Contacts") },
	[ACT_SCR_SYNC] = { "sync", N_("Sync: USB mailbox") },
	[ACT_SCR_CONFLICTS] = { "conflicts", N_("Conflicts") },
	[ACT_SCR_ROSTER] = { "roster", N_("Roster (HQ)") },
	[ACT_SCR_REPORTS] = { "reports", N_("Reports (SITREP)") },
	[ACT_NEXT_SCREEN] = { "next", N_("Next screen") },
	[ACT_SAVE] = { "save", N_("Save") },
	[ACT_CANCEL] = { "cancel", N_("Leave the form (asks first when something was typed)") },
	[ACT_KEEP_DRAFT] = { "draft", N_("Leave the form and keep what was typed as a draft") },
	[ACT_SUSPEND] = { "suspend", N_("Suspend to the shell (fg comes back)") },
	[ACT_FULL_FORM] = { "full", N_("Quick capture: open the full incident form with what was typed") },
	[ACT_PICK] = { "pick", N_("Choose from the list") },
	[ACT_RESOLVE] = { "resolve", N_("Keep the chosen value (resolve)") },
	[ACT_ENROL] = { "enrol", N_("Enrol a node") },
	[ACT_REVOKE] = { "revoke", N_("Revoke a node") },
	[ACT_RUN] = { "run", N_("Exchange with the mailbox now") },
	[ACT_DIR] = { "dir", N_("Type the mailbox directory") },
	[ACT_DETECT] = { "media", N_("Pick mounted removable media") },
	[ACT_PREVIEW] = { "preview", N_("Build the report again (preview)") },
	[ACT_WRITE] = { "write", N_("Save the report to a file") },
	[ACT_PERIOD] = { "period", N_("Choose the start of the report period") },
	[ACT_FORMAT] = { "format", N_("Text or Markdown") },
	[ACT_NET] = { "net", N_("Network link session with HQ (:net HOST:PORT)") },
	[ACT_SERVE] = { "serve", N_("Serve the link here (:serve ADDR:PORT), or stop (:serve stop)") },
	[ACT_FILTER_UNIT] = { "unit", N_("Filter by the unit that created the record (:unit NAME)") },
	[ACT_FILTER_PLACE] = { "settlement", N_("Filter by settlement (:settlement NAME)") },
	[ACT_FILTER_AREA] = { "area", N_("Filter by area (:area SOUTH,WEST,NORTH,EAST)") },
	[ACT_FILTER_SINCE] = { "since", N_("Filter by time: since when (:since WHEN)") },
	[ACT_SCR_DUPLICATES] = { "duplicates",
				 N_("Duplicates (HQ): pairs side by side (:duplicates incidents for incidents)") },
	[ACT_MERGE] = { "merge", N_("Merge the right one into the left one (typed confirmation)") },
	[ACT_DISMISS] = { "dismiss", N_("Not the same: do not propose this pair again") },
	[ACT_SWAP] = { "swap", N_("Swap which one stays") },
};

/* TRANSLATORS: short labels of the bottom hint bar; keep them to one word if you can. */
static const char *const hints[ACT_COUNT] = {
	[ACT_QUIT] = N_("Quit"), [ACT_BACK] = N_("Back"), [ACT_HELP] = N_("Help"), [ACT_SEARCH] = N_("Search"),
	[ACT_COMMAND] = N_("Command"), [ACT_QUICK] = N_("Capture"), [ACT_NEW] = N_("New"),
	[ACT_EDIT] = N_("Edit"), [ACT_ARCHIVE] = N_("Archive"), [ACT_UNDO] = N_("Undo"),
	[ACT_OPEN] = N_("Open"), [ACT_SORT] = N_("Sort"), [ACT_FILTER_TYPE] = N_("Type"),
	[ACT_FILTER_STATUS] = N_("Status"), [ACT_SHOW_ARCHIVED] = N_("Archived"), [ACT_LINK] = N_("Link"),
	[ACT_UNLINK] = N_("Unlink"), [ACT_THEME] = N_("Theme"), [ACT_LOCK] = N_("Lock"),
	[ACT_SAVE] = N_("Save"), [ACT_CANCEL] = N_("Cancel"), [ACT_PICK] = N_("Choose"),
	[ACT_KEEP_DRAFT] = N_("Draft"), [ACT_SUSPEND] = N_("Suspend"), [ACT_FULL_FORM] = N_("Full form"),
	[ACT_RESOLVE] = N_("Resolve"), [ACT_ENROL] = N_("Enrol"), [ACT_REVOKE] = N_("Revoke"),
	[ACT_RUN] = N_("Exchange"), [ACT_DIR] = N_("Directory"), [ACT_DETECT] = N_("Media"),
	[ACT_PREVIEW] = N_("Rebuild"), [ACT_PERIOD] = N_("Period"), [ACT_FORMAT] = N_("Format"), [ACT_WRITE] = N_("Save"), [ACT_LEFT] = N_("Choice"),
	[ACT_NEXT_SCREEN] = N_("Screens"), [ACT_FILTER_SEVERITY] = N_("Severity"),
	[ACT_CLEAR_FILTER] = N_("Clear"), [ACT_PGDN] = N_("More"), [ACT_PGUP] = N_("Back page"),
	[ACT_UP] = N_("Up"), [ACT_DOWN] = N_("Down"), [ACT_TOP] = N_("Top"), [ACT_BOTTOM] = N_("End"),
	[ACT_RIGHT] = N_("Choice"), [ACT_BLACKOUT] = N_("Blackout"), [ACT_REFRESH] = N_("Redraw"),
	[ACT_SCR_INCIDENTS] = N_("Incidents"), [ACT_SCR_CONTACTS] = N_("Contacts"),
	[ACT_SCR_SYNC] = N_("Sync"), [ACT_SCR_CONFLICTS] = N_("Conflicts"),
	[ACT_SCR_ROSTER] = N_("Roster"), [ACT_SCR_REPORTS] = N_("Reports"),
	[ACT_NET] = N_("Net"), [ACT_SERVE] = N_("Serve"), [ACT_FILTER_UNIT] = N_("Unit"),
	[ACT_FILTER_PLACE] = N_("Place"), [ACT_FILTER_AREA] = N_("Area"), [ACT_FILTER_SINCE] = N_("Since"),
	[ACT_SCR_DUPLICATES] = N_("Duplicates"), [ACT_MERGE] = N_("Merge"), [ACT_DISMISS] = N_("Dismiss"),
	[ACT_SWAP] = N_("Swap"),
};

#define C(ctx, ch, a) { ctx, KT_CHAR, ch, a }
#define K(ctx, k, a) { ctx, KT_KEY, k, a }

static const struct key_binding table[] = {
	/* everywhere, even while typing */
	K(CTX_ANYWHERE, KEY_F(1), ACT_HELP),
	K(CTX_ANYWHERE, KEY_F(12), ACT_LOCK), C(CTX_ANYWHERE, CTRL('z'), ACT_SUSPEND),
	/* outside text entry */
	C(CTX_GLOBAL, '?', ACT_HELP), C(CTX_GLOBAL, ',', ACT_HELP),
	C(CTX_GLOBAL, '/', ACT_SEARCH), C(CTX_GLOBAL, '.', ACT_SEARCH), K(CTX_GLOBAL, KEY_F(3), ACT_SEARCH),
	C(CTX_GLOBAL, ':', ACT_COMMAND),
	C(CTX_GLOBAL, 'n', ACT_NEW), C(CTX_GLOBAL, 'i', ACT_QUICK), K(CTX_GLOBAL, KEY_F(4), ACT_QUICK),
	C(CTX_GLOBAL, 'u', ACT_UNDO),
	C(CTX_GLOBAL, 'q', ACT_QUIT), K(CTX_GLOBAL, KEY_F(10), ACT_QUIT), C(CTX_GLOBAL, CTRL('c'), ACT_QUIT),
	C(CTX_GLOBAL, 27, ACT_BACK),
	C(CTX_GLOBAL, '1', ACT_SCR_INCIDENTS), C(CTX_GLOBAL, '2', ACT_SCR_CONTACTS),
	C(CTX_GLOBAL, '3', ACT_SCR_SYNC), C(CTX_GLOBAL, '4', ACT_SCR_CONFLICTS),
	C(CTX_GLOBAL, '5', ACT_SCR_ROSTER), C(CTX_GLOBAL, '6', ACT_SCR_REPORTS),
	C(CTX_GLOBAL, '\t', ACT_NEXT_SCREEN),
	C(CTX_GLOBAL, 'T', ACT_THEME), C(CTX_GLOBAL, 'L', ACT_LOCK), C(CTX_GLOBAL, 'B', ACT_BLACKOUT),
	C(CTX_GLOBAL, CTRL('l'), ACT_REFRESH),
	/* moving */
	K(CTX_NAV, KEY_UP, ACT_UP), C(CTX_NAV, 'k', ACT_UP),
	K(CTX_NAV, KEY_DOWN, ACT_DOWN), C(CTX_NAV, 'j', ACT_DOWN),
	K(CTX_NAV, KEY_PPAGE, ACT_PGUP), C(CTX_NAV, CTRL('b'), ACT_PGUP),
	K(CTX_NAV, KEY_NPAGE, ACT_PGDN), C(CTX_NAV, CTRL('f'), ACT_PGDN), C(CTX_NAV, ' ', ACT_PGDN),
	K(CTX_NAV, KEY_HOME, ACT_TOP), C(CTX_NAV, 'g', ACT_TOP),
	K(CTX_NAV, KEY_END, ACT_BOTTOM), C(CTX_NAV, 'G', ACT_BOTTOM),
	C(CTX_NAV, '\n', ACT_OPEN), C(CTX_NAV, '\r', ACT_OPEN), K(CTX_NAV, KEY_ENTER, ACT_OPEN),
	K(CTX_NAV, KEY_LEFT, ACT_LEFT), K(CTX_NAV, KEY_RIGHT, ACT_RIGHT),
	/* lists */
	C(CTX_LIST, 'e', ACT_EDIT), C(CTX_LIST, 'D', ACT_ARCHIVE), K(CTX_LIST, KEY_DC, ACT_ARCHIVE),
	C(CTX_LIST, 's', ACT_SORT), C(CTX_LIST, 't', ACT_FILTER_TYPE), C(CTX_LIST, 'f', ACT_FILTER_STATUS),
	C(CTX_LIST, 'v', ACT_FILTER_SEVERITY), C(CTX_LIST, 'A', ACT_SHOW_ARCHIVED),
	C(CTX_LIST, 'x', ACT_CLEAR_FILTER), C(CTX_LIST, 'U', ACT_FILTER_UNIT), C(CTX_LIST, 'p', ACT_FILTER_PLACE),
	C(CTX_LIST, 'a', ACT_FILTER_AREA), C(CTX_LIST, 'w', ACT_FILTER_SINCE),
	C(CTX_LIST, 'M', ACT_SCR_DUPLICATES),
	/* detail */
	C(CTX_DETAIL, 'e', ACT_EDIT), C(CTX_DETAIL, 'D', ACT_ARCHIVE), K(CTX_DETAIL, KEY_DC, ACT_ARCHIVE),
	C(CTX_DETAIL, 'l', ACT_LINK), C(CTX_DETAIL, 'x', ACT_UNLINK),
	/* forms */
	C(CTX_FORM, CTRL('s'), ACT_SAVE), K(CTX_FORM, KEY_F(2), ACT_SAVE),
	C(CTX_FORM, 27, ACT_CANCEL), C(CTX_FORM, CTRL('c'), ACT_KEEP_DRAFT),
	C(CTX_FORM, CTRL('o'), ACT_FULL_FORM), K(CTX_FORM, KEY_F(6), ACT_FULL_FORM),
	C(CTX_FORM, CTRL('p'), ACT_PICK), K(CTX_FORM, KEY_F(5), ACT_PICK),
	/* search */
	C(CTX_SEARCH, 27, ACT_BACK), K(CTX_SEARCH, KEY_UP, ACT_UP), K(CTX_SEARCH, KEY_DOWN, ACT_DOWN),
	C(CTX_SEARCH, '\n', ACT_OPEN), C(CTX_SEARCH, '\r', ACT_OPEN), K(CTX_SEARCH, KEY_ENTER, ACT_OPEN),
	K(CTX_SEARCH, KEY_PPAGE, ACT_PGUP), K(CTX_SEARCH, KEY_NPAGE, ACT_PGDN),
	/* sync, conflicts, roster, reports */
	C(CTX_SYNC, 'r', ACT_RUN), K(CTX_SYNC, KEY_F(5), ACT_RUN), C(CTX_SYNC, 'd', ACT_DIR),
	C(CTX_SYNC, 'm', ACT_DETECT), C(CTX_SYNC, 'l', ACT_NET), C(CTX_SYNC, 'S', ACT_SERVE),
	C(CTX_CONFLICTS, 'r', ACT_RESOLVE), C(CTX_CONFLICTS, 'e', ACT_EDIT),
	C(CTX_ROSTER, 'a', ACT_ENROL), C(CTX_ROSTER, 'R', ACT_REVOKE),
	C(CTX_REPORTS, 'r', ACT_PREVIEW), C(CTX_REPORTS, 'w', ACT_WRITE), C(CTX_REPORTS, 'p', ACT_PERIOD),
	C(CTX_REPORTS, 'm', ACT_FORMAT),
	C(CTX_DUPLICATES, 'm', ACT_MERGE), C(CTX_DUPLICATES, 'd', ACT_DISMISS),
	C(CTX_DUPLICATES, 'w', ACT_SWAP), K(CTX_DUPLICATES, KEY_LEFT, ACT_SWAP),
	K(CTX_DUPLICATES, KEY_RIGHT, ACT_SWAP),
};

static const char *const ctx_titles[CTX_COUNT] = {
	[CTX_GLOBAL] = N_("Everywhere"),
	[CTX_ANYWHERE] = N_("Even while typing"),
	[CTX_NAV] = N_("Moving"),
	[CTX_LIST] = N_("Lists"),
	[CTX_DETAIL] = N_("Record"),
	[CTX_FORM] = N_("Forms (readline keys: ^A ^E ^B ^F ^K ^U ^W ^Y, Tab/Enter next field)"),
	[CTX_SEARCH] = N_("Search"),
	[CTX_HELP] = N_("Help"),
	[CTX_SYNC] = N_("Sync"),
	[CTX_CONFLICTS] = N_("Conflicts"),
	[CTX_ROSTER] = N_("Roster"),
	[CTX_REPORTS] = N_("Reports"),
	[CTX_DUPLICATES] = N_("Duplicates"),
};

/* Ukrainian ЙЦУКЕН layout: the character each Latin key types. */
static const struct { wint_t latin, cyr; } layout[] = {
	{ 'q', L'й' }, { 'w', L'ц' }, { 'e', L'у' }, { 'r', L'к' }, { 't', L'е' }, { 'y', L'н' },
	{ 'u', L'г' }, { 'i', L'ш' }, { 'o', L'щ' }, { 'p', L'з' }, { '[', L'х' }, { ']', L'ї' },
	{ 'a', L'ф' }, { 's', L'і' }, { 'd', L'в' }, { 'f', L'а' }, { 'g', L'п' }, { 'h', L'р' },
	{ 'j', L'о' }, { 'k', L'л' }, { 'l', L'д' }, { ';', L'ж' }, { '\'', L'є' }, { 'z', L'я' },
	{ 'x', L'ч' }, { 'c', L'с' }, { 'v', L'м' }, { 'b', L'и' }, { 'n', L'т' }, { 'm', L'ь' },
	{ 'Q', L'Й' }, { 'W', L'Ц' }, { 'E', L'У' }, { 'R', L'К' }, { 'T', L'Е' }, { 'Y', L'Н' },
	{ 'U', L'Г' }, { 'I', L'Ш' }, { 'O', L'Щ' }, { 'P', L'З' }, { '{', L'Х' }, { '}', L'Ї' },
	{ 'A', L'Ф' }, { 'S', L'І' }, { 'D', L'В' }, { 'F', L'А' }, { 'G', L'П' }, { 'H', L'Р' },
	{ 'J', L'О' }, { 'K', L'Л' }, { 'L', L'Д' }, { ':', L'Ж' }, { '"', L'Є' }, { 'Z', L'Я' },
	{ 'X', L'Ч' }, { 'C', L'С' }, { 'V', L'М' }, { 'B', L'И' }, { 'N', L'Т' }, { 'M', L'Ь' },
	{ '<', L'Б' }, { '>', L'Ю' },
};

wint_t
keys_latin(wint_t wc)
{
	if (wc < 0x80)
		return wc;
	for (size_t i = 0; i < sizeof layout / sizeof layout[0]; i++)
		if (layout[i].cyr == wc)
			return layout[i].latin;
	/* б and ю sit on the ',' and '.' keys: search and help aliases there already */
	if (wc == L'б')
		return ',';
	if (wc == L'ю')
		return '.';
	return wc;
}

wint_t
keys_cyrillic(wint_t c)
{
	for (size_t i = 0; i < sizeof layout / sizeof layout[0]; i++)
		if (layout[i].latin == c)
			return layout[i].cyr;
	return 0;
}

const char *
keys_action_name(enum action a)
{
	return a < ACT_COUNT && actions[a].name ? actions[a].name : "";
}

const char *
keys_action_help(enum action a)
{
	return a < ACT_COUNT && actions[a].help ? actions[a].help : "";
}

const char *
keys_action_hint(enum action a)
{
	return a < ACT_COUNT && hints[a] ? hints[a] : keys_action_name(a);
}

enum action
keys_action_by_name(const char *name)
{
	for (int a = 1; a < ACT_COUNT; a++)
		if (actions[a].name && strcmp(actions[a].name, name) == 0)
			return (enum action)a;
	return ACT_NONE;
}

static enum action
find(enum key_ctx ctx, enum key_type type, wint_t code)
{
	for (size_t i = 0; i < sizeof table / sizeof table[0]; i++)
		if (table[i].ctx == ctx && table[i].type == type && table[i].code == code)
			return table[i].action;
	return ACT_NONE;
}

enum action
keys_lookup(const enum key_ctx *ctxs, size_t n, enum key_type type, wint_t code, bool text_entry)
{
	enum action a;

	if (type == KT_CHAR && !text_entry)
		code = keys_latin(code);
	for (size_t i = 0; i < n; i++) {
		if (text_entry && i > 0 && ctxs[i] != CTX_ANYWHERE)
			continue;
		if ((a = find(ctxs[i], type, code)) != ACT_NONE)
			return a;
	}
	return ACT_NONE;
}

void
keys_name(enum key_type type, wint_t code, char *buf, size_t n)
{
	static const struct { wint_t code; const char *name; } named[] = {
		{ KEY_UP, "Up" }, { KEY_DOWN, "Down" }, { KEY_LEFT, "Left" }, { KEY_RIGHT, "Right" },
		{ KEY_PPAGE, "PgUp" }, { KEY_NPAGE, "PgDn" }, { KEY_HOME, "Home" }, { KEY_END, "End" },
		{ KEY_DC, "Del" }, { KEY_ENTER, "Enter" },
	};

	if (type == KT_KEY) {
		for (size_t i = 0; i < sizeof named / sizeof named[0]; i++)
			if (named[i].code == code) {
				snprintf(buf, n, "%s", named[i].name);
				return;
			}
		if (code >= KEY_F(1) && code <= KEY_F(12))
			snprintf(buf, n, "F%d", (int)(code - KEY_F0));
		else
			snprintf(buf, n, "#%d", (int)code);
		return;
	}
	if (code == 27)
		snprintf(buf, n, "Esc");
	else if (code == '\n' || code == '\r')
		snprintf(buf, n, "Enter");
	else if (code == '\t')
		snprintf(buf, n, "Tab");
	else if (code == ' ')
		snprintf(buf, n, "Space");
	else if (code < 32)
		snprintf(buf, n, "^%c", (char)(code + '@'));
	else
		snprintf(buf, n, "%lc", (wint_t)code);
}

bool
keys_first(enum key_ctx ctx, enum action a, char *buf, size_t n)
{
	for (size_t i = 0; i < sizeof table / sizeof table[0]; i++)
		if (table[i].ctx == ctx && table[i].action == a) {
			keys_name(table[i].type, table[i].code, buf, n);
			return true;
		}
	return false;
}

const struct key_binding *
keys_table(size_t *n)
{
	*n = sizeof table / sizeof table[0];
	return table;
}

const char *
keys_ctx_title(enum key_ctx ctx)
{
	return ctx < CTX_COUNT ? ctx_titles[ctx] : "";
}
