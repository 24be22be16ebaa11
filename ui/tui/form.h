/*
 * form.h - what the record form (screen-form.c) and its drafts
 * (form-draft.c) share: the fields being edited and the form's state.
 */
#ifndef CIMIC_TUI_FORM_H
#define CIMIC_TUI_FORM_H

#include <stdbool.h>
#include <stdint.h>

#include "cimic/model.h"
#include "lineedit.h"
#include "tui-app.h"

struct ffield {
	const struct model_field *f;
	struct lineedit le;
	int code, orig_code;       /* FT_CODE: index in the code list, -1 unset */
	char err[256];
	char hint[256];
};

#define DRAFT_PREFIX "tui.draft."
#define DRAFT_EVERY_MS 2000

struct form {
	bool active;
	enum model_kind kind;
	bool editing, quick;
	bool draft_dirty;          /* typed since the draft was last written */
	int64_t draft_ms;          /* when it was last written (0: never) */
	char place_mgrs[40];       /* the location the settlement filled in (may be replaced silently) */
	unsigned char id[CIMIC_ID_BYTES];
	struct model_record orig;
	struct ffield ff[MODEL_MAX_FIELDS];
	size_t n, focus, top;
};
extern struct form form;

/* The fields the quick-capture form shows, NULL-terminated. */
extern const char *const quick_fields[];

/* screen-form.c */
struct ffield *field_named(const char *name);
/* The index of code in the list, or -1. */
int code_index(const struct code_list *cl, const char *code);

/* form-draft.c: what was typed, kept in the store's meta table. */
bool form_changed(void);
char *draft_text(void);
void draft_write(struct app *app);
void draft_drop(struct app *app);
void draft_apply(char *text);
bool draft_needs_full(const char *text);
char *draft_offer(struct app *app);

#endif
