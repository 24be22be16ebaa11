/*
 * screen-unlock.c - the passphrase prompt, at start and after a lock.
 *
 * It paints the whole terminal itself and never calls app_draw(), so a
 * locked session shows nothing of the records beneath.  The passphrase
 * is never echoed, lives in a wiping line editor, and is copied only to
 * sodium_malloc memory for the core.  At start it opens the store; when
 * re-locking it only checks the passphrase against the keyfile
 * (vault_unlock), because the store stays open underneath.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "cimic/i18n.h"
#include "cimic/store.h"
#include "cimic/timefmt.h"
#include "cimic/vault.h"
#include "cli/cli.h"
#include "dialog.h"
#include "tui-app.h"

#define PASS_MAX 1024

static void
draw(struct app *app, struct lineedit *le, bool relock, const char *status, bool error)
{
	int w = COLS > 64 ? 60 : COLS - 4, x = (COLS - w) / 2, y = LINES / 2 - 3;
	char line[600];

	app->cursor = false;
	erase();
	if (w < 20 || y < 1) {
		text_draw(0, 0, COLS, _("Passphrase:"), theme_attr(TH_NORMAL));
		dialog_draw_edit(app, le, 0, text_width(_("Passphrase:")) + 1, 10, theme_attr(TH_FIELD));
		return;
	}
	text_fill(0, 0, COLS, theme_attr(TH_TITLE));
	text_draw(0, 1, COLS - 2, relock ? _("cimic · locked") : _("cimic · unlock"),
		  theme_attr(TH_TITLE));
	snprintf(line, sizeof line, _("Store: %s"), app->cli->dir);
	text_draw(y, x, w, line, theme_attr(TH_DIM));
	text_draw(y + 2, x, w, relock ? _("Locked. Enter the passphrase to continue.") :
		  _("Enter the passphrase of this store."), theme_attr(TH_NORMAL));
	text_draw(y + 4, x, w, _("Passphrase:"), theme_attr(TH_HEADER));
	dialog_draw_edit(app, le, y + 4, x + text_width(_("Passphrase:")) + 1, 16, theme_attr(TH_FIELD));
	if (status)
		text_draw(y + 6, x, w, status, theme_attr(error ? TH_ERROR : TH_OK));
	text_draw(LINES - 1, 1, COLS - 2, _("Enter: unlock   Esc: clear   F10: quit"),
		  theme_attr(TH_DIM));
}

static void
paint(struct app *app, struct lineedit *le, bool relock, const char *status, bool error)
{
	draw(app, le, relock, status, error);
	curs_set(app->cursor && !theme_is_dark() ? 1 : 0);
	if (app->cursor)
		move(app->cursor_y, app->cursor_x);
	refresh();
}

/* Tries the passphrase; 0 when right. */
static int
try_pass(struct app *app, bool relock, const char *pass, size_t len, struct cimic_error *err)
{
	char *keyfile;
	unsigned char *key = NULL;
	int rc;

	if (!relock) {
		rc = store_open(app->cli->dir, pass, len, &app->st, err);
		if (rc == 0)
			app->opened_ms = timefmt_now_ms();
		return rc;
	}
	keyfile = util_aprintf("%s/%s", app->cli->dir, STORE_KEYFILE_NAME);
	if (keyfile == NULL)
		return cimic_error_set(err, CIMIC_EFAIL, "%s", _("out of memory"));
	rc = vault_unlock(keyfile, pass, len, &key, err);
	vault_key_free(key);
	free(keyfile);
	return rc;
}

static int
submit(struct app *app, struct lineedit *le, bool relock, char *status, size_t n, bool *error)
{
	struct cimic_error err;
	char *pass = sodium_malloc(PASS_MAX);
	size_t len = 0;
	int64_t t0;
	int rc = -1;

	if (pass == NULL || lineedit_utf8_into(le, pass, PASS_MAX, &len) != 0 || len == 0) {
		sodium_free(pass);
		return -1;
	}
	paint(app, le, relock, _("Checking the passphrase..."), false);
	t0 = timefmt_now_ms();
	rc = try_pass(app, relock, pass, len, &err);
	sodium_free(pass);
	lineedit_clear(le);
	if (rc == 0) {
		app_log("unlocked in %lld ms (key derivation and open)", (long long)(timefmt_now_ms() - t0));
		return 0;
	}
	*error = true;
	snprintf(status, n, "%s", err.code == CIMIC_EPERM ? _("Wrong passphrase. Try again.") : err.msg);
	app_log("unlock failed (%d)", err.code);
	return -1;
}

int
unlock_run(struct app *app, bool relock)
{
	struct lineedit le;
	struct tui_event ev;
	char status[512] = "";
	bool error = false;
	int rc = -1;

	lineedit_init(&le, PASS_MAX / 4, true);
	for (;;) {
		paint(app, &le, relock, status[0] ? status : NULL, error);
		app_event(app, &ev);
		if (ev.type == EV_QUIT || (ev.type == EV_KEY && ev.code == KEY_F(10))) {
			app->quit = true;
			break;
		}
		if (ev.type == EV_CHAR && ev.code == 27) {
			lineedit_clear(&le);
			continue;
		}
		enum le_result r = dialog_edit(&le, &ev);
		if (r == LE_ACCEPT && (rc = submit(app, &le, relock, status, sizeof status, &error)) == 0)
			break;
	}
	lineedit_finish(&le);
	curs_set(0);
	clearok(curscr, TRUE);
	return rc;
}
