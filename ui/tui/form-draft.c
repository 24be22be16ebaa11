/*
 * form-draft.c - drafts of the record form: what was typed, kept in the
 * store's meta table (inside the encrypted database) so that Esc, the
 * idle lock, Ctrl-Z, quitting, a signal or a killed process lose at most
 * the last two seconds of typing.  The next form of the same record (or
 * the next new one) offers the draft back.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cimic/i18n.h"
#include "cimic/store.h"
#include "cimic/timefmt.h"
#include "cimic/util.h"
#include "dialog.h"
#include "form.h"

/* "tui.draft.incident.new" or "tui.draft.contact.<id hex>". */
static void
draft_key(char *buf, size_t n)
{
	int k = snprintf(buf, n, DRAFT_PREFIX "%s.", form.kind == MODEL_CONTACT ? "contact" : "incident");

	if (!form.editing) {
		snprintf(buf + k, n - (size_t)k, "new");
		return;
	}
	for (size_t i = 0; i < CIMIC_ID_BYTES && (size_t)k + 3 < n; i++)
		k += snprintf(buf + k, n - (size_t)k, "%02x", form.id[i]);
}

/* Has anything been typed or chosen since the form opened? */
bool
form_changed(void)
{
	for (size_t i = 0; i < form.n; i++) {
		const struct ffield *ff = &form.ff[i];
		if (ff->f->type == FT_CODE ? ff->code != ff->orig_code : lineedit_dirty(&ff->le))
			return true;
	}
	return false;
}

static void
put_escaped(struct buf *b, const char *s)
{
	for (; s && *s; s++) {
		if (*s == '\\' || *s == '\n') {
			buf_addc(b, '\\');
			buf_addc(b, *s == '\n' ? 'n' : '\\');
		} else {
			buf_addc(b, (unsigned char)*s);
		}
	}
}

/*
 * The draft text: "quick=0|1" then one "name=value" line per field (\n
 * and \\ escaped).  NULL when memory runs out: never a draft cut short.
 */
char *
draft_text(void)
{
	struct buf b;
	char *out;

	buf_init(&b);
	buf_printf(&b, "quick=%d\n", form.quick ? 1 : 0);
	for (size_t i = 0; i < form.n; i++) {
		const struct ffield *ff = &form.ff[i];
		char *v = ff->f->type == FT_CODE ? util_strdup(ff->code >= 0 ? ff->f->codes->items[ff->code].code : "")
						 : lineedit_utf8(&ff->le);
		if (v == NULL)
			b.failed = true;
		put_escaped(&b, ff->f->name);
		buf_addc(&b, '=');
		put_escaped(&b, v);
		buf_addc(&b, '\n');
		free(v);
	}
	out = b.failed ? NULL : util_strdup(buf_cstr(&b));
	buf_finish(&b);
	return out;
}

void
draft_write(struct app *app)
{
	char key[128], *t;
	struct cimic_error err;

	if (app->st == NULL || store_in_transaction(app->st))
		return;
	draft_key(key, sizeof key);
	if ((t = draft_text()) == NULL)
		return;
	if (store_meta_set(app->st, key, t, &err) == 0) {
		form.draft_dirty = false;
		form.draft_ms = timefmt_now_ms();
	} else {
		app_error(app, "%s", err.msg);
	}
	free(t);
}

void
draft_drop(struct app *app)
{
	char key[128], *old;
	struct cimic_error err;

	draft_key(key, sizeof key);
	if ((old = store_meta_get(app->st, key)) != NULL && *old)
		store_meta_set(app->st, key, "", &err);
	free(old);
	form.draft_ms = 0;
}

/* Called before the lock, Ctrl-Z and quitting: what was typed goes into a draft. */
void
form_keep_draft(struct app *app)
{
	if (form.active && app_screen(app) == &screen_form && form_changed())
		draft_write(app);
}

/* Unescapes a value in place. */
static void
unescape(char *s)
{
	char *o = s;

	for (; *s; s++) {
		if (*s == '\\' && s[1]) {
			s++;
			*o++ = *s == 'n' ? '\n' : *s;
		} else {
			*o++ = *s;
		}
	}
	*o = '\0';
}

/* Puts the draft's values into the fields (as typed: they count as changes). */
void
draft_apply(char *text)
{
	for (char *line = text, *next; line && *line; line = next) {
		char *eq;
		struct ffield *ff;
		if ((next = strchr(line, '\n')) != NULL)
			*next++ = '\0';
		if ((eq = strchr(line, '=')) == NULL)
			continue;
		*eq = '\0';
		unescape(eq + 1);
		if ((ff = field_named(line)) == NULL)
			continue;
		if (ff->f->type == FT_CODE)
			ff->code = code_index(ff->f->codes, eq + 1);
		else
			lineedit_replace(&ff->le, eq + 1);
	}
}

/* Does the draft hold a value the quick form has no field for? */
bool
draft_needs_full(const char *text)
{
	if (strncmp(text, "quick=0", 7) == 0)
		return true;
	for (const char *line = text; line && *line; line = strchr(line, '\n') ? strchr(line, '\n') + 1 : NULL) {
		bool quick = false;
		size_t n = strcspn(line, "=\n");
		for (size_t k = 0; quick_fields[k]; k++)
			quick = quick || (strlen(quick_fields[k]) == n && strncmp(quick_fields[k], line, n) == 0);
		if (!quick && strncmp(line, "quick=", 6) != 0 && line[n] == '=' && line[n + 1] != '\n' && line[n + 1])
			return true;
	}
	return false;
}

/* A kept draft of this form: offer it back (Enter takes it). */
char *
draft_offer(struct app *app)
{
	char key[128], *d;
	const char *labels[2] = { _("Continue the draft"), _("Start afresh (the draft is dropped)") };

	draft_key(key, sizeof key);
	if ((d = store_meta_get(app->st, key)) == NULL || *d == '\0') {
		free(d);
		return NULL;
	}
	if (dialog_pick(app, _("What you typed last time was kept as a draft"), labels, 2, 0) == 1) {
		struct cimic_error err;
		store_meta_set(app->st, key, "", &err);
		free(d);
		return NULL;
	}
	return d;
}
