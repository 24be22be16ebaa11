/*
 * merged.c - what a record shows with the records merged into it
 * (duplicates.h).
 *
 * Merging writes only merged_into on the loser, so this view is computed
 * on every read: the winner's empty user fields take the first merged
 * record's value, and every other value a merged record holds that the
 * winner does not show is listed as an alternative (phones, e-mails,
 * notes, a second casualty figure: side by side, never summed).
 */
#include <stdlib.h>
#include <string.h>

#include "cimic/duplicates.h"
#include "cimic/i18n.h"

struct merged_walk {
	struct model_record *rec;
	struct model_merged_view *view;
	bool oom;
};

static bool
same_value(const struct model_value *a, const struct model_value *b)
{
	if (a->type != b->type)
		return false;
	if (a->type == MV_INT)
		return a->i == b->i;
	return a->type == MV_NULL || strcmp(a->s, b->s) == 0;
}

static bool
known_alternative(const struct model_merged_view *view, size_t field, const char *text)
{
	for (size_t i = 0; i < view->nalts; i++)
		if (view->alts[i].field == field && strcmp(view->alts[i].text, text) == 0)
			return true;
	return false;
}

static int
add_alternative(struct merged_walk *w, size_t field, const struct model_field *f,
		const struct model_value *v, const unsigned char from[CIMIC_ID_BYTES])
{
	struct model_merged_view *view = w->view;
	struct model_alternative *a;
	size_t cap = view->nalts;
	char *text = model_value_text(f, v, true);

	if (text == NULL)
		return -1;
	if (known_alternative(view, field, text)) {
		free(text);
		return 0;
	}
	if ((a = util_grow(view->alts, &cap, view->nalts + 1, sizeof *a)) == NULL) {
		free(text);
		return -1;
	}
	view->alts = a;
	a[view->nalts].field = field;
	a[view->nalts].text = text;
	memcpy(a[view->nalts++].from, from, CIMIC_ID_BYTES);
	return 0;
}

static int
take_field(struct merged_walk *w, const struct model_record *loser, size_t i,
	   const struct model_field *f)
{
	struct model_value *mine = &w->rec->v[i];
	const struct model_value *theirs = &loser->v[i];

	if (theirs->type == MV_NULL || same_value(mine, theirs))
		return 0;
	if (f->type == FT_CODE && mine->type != MV_NULL && theirs->type == MV_TEXT &&
	    strcmp(theirs->s, "other") == 0)
		return 0;   /* the default code says nothing the winner's lacks */
	if (mine->type == MV_NULL) {
		*mine = *theirs;
		if (theirs->type == MV_TEXT && (mine->s = util_strdup(theirs->s)) == NULL) {
			mine->type = MV_NULL;
			return -1;
		}
		w->view->filled[i] = true;
		if (f->type == FT_LOCATION && loser->has_location) {
			w->rec->has_location = true;
			w->rec->lat = loser->lat;
			w->rec->lon = loser->lon;
		}
		return 0;
	}
	return add_alternative(w, i, f, theirs, loser->id);
}

static int
merged_one(const struct model_record *loser, void *arg)
{
	struct merged_walk *w = arg;
	struct model_merged_view *view = w->view;
	size_t n, cap = view->nfrom;
	const struct model_field *f = model_fields(loser->kind, &n);
	unsigned char (*from)[CIMIC_ID_BYTES];

	if ((from = util_grow(view->from, &cap, view->nfrom + 1, sizeof *from)) == NULL) {
		w->oom = true;
		return 1;
	}
	view->from = from;
	memcpy(from[view->nfrom++], loser->id, CIMIC_ID_BYTES);
	for (size_t i = 0; i < n; i++)
		if (f[i].user && take_field(w, loser, i, &f[i]) != 0) {
			w->oom = true;
			return 1;
		}
	return 0;
}

int
model_merged_view(struct store *st, struct model_record *rec, struct model_merged_view *view,
		  struct cimic_error *err)
{
	struct model_query q = { .kind = rec->kind, .include_archived = true,
				 .merged_into = rec->id, .sort = SORT_OLDEST };
	struct merged_walk w = { rec, view, false };
	int rc;

	memset(view, 0, sizeof *view);
	if (rec->kind != MODEL_CONTACT && rec->kind != MODEL_INCIDENT)
		return 0;
	rc = model_list(st, &q, merged_one, &w, err);
	if (w.oom)
		return cimic_error_set(err, CIMIC_EFAIL, _("out of memory"));
	return rc;
}

void
model_merged_view_finish(struct model_merged_view *view)
{
	if (view == NULL)
		return;
	for (size_t i = 0; i < view->nalts; i++)
		free(view->alts[i].text);
	free(view->alts);
	free(view->from);
	memset(view, 0, sizeof *view);
}
