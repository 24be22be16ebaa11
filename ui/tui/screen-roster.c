/*
 * screen-roster.c - the nodes this store knows: at HQ the units it
 * enrolled, at a field unit its HQ and the fellow units HQ's roster
 * named.  Per node: unit, role, fingerprint, when bundles last came in
 * and went out, what it acknowledged of this node's log, revocation and
 * fork alarms.
 *
 * Enrolling (`a`, `:enrol`) takes the identity string pasted from the
 * other laptop's `cimic id`, shows its unit and fingerprint, and asks
 * for the fingerprint as the other side reads it aloud: only when the
 * two agree is the node added (roster_add, as `peer add` does).
 * Revoking (`R`, `:revoke`) asks for a typed word, never y/n; the word
 * is accepted in either keyboard layout.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cimic/i18n.h"
#include "cimic/oplog.h"
#include "cimic/peerstate.h"
#include "cimic/roster.h"
#include "cimic/store.h"
#include "cimic/timefmt.h"
#include "dialog.h"
#include "tui-app.h"

#define MAX_NODES 512

struct node_row {
	struct roster_node n;
	char fp[24];
	uint64_t acked_own;       /* of this node's log */
	uint64_t held;            /* its log, as far as this store holds it */
	long quarantined;
	bool fork;
};

static struct {
	struct node_row *rows;    /* owned, MAX_NODES */
	int n, sel, top;
	uint64_t own_seq;
} ro;

static int
add_node(const struct roster_node *n, void *arg)
{
	struct app *app = arg;
	struct node_row *r;
	struct cimic_error err;
	const unsigned char *me = store_identity(app->st)->pub.sign_pk;

	if (ro.n == MAX_NODES)
		return 1;
	r = &ro.rows[ro.n++];
	memset(r, 0, sizeof *r);
	r->n = *n;
	identity_fingerprint(n->pub.sign_pk, r->fp, sizeof r->fp);
	r->acked_own = peerstate_acked(app->st, n->pub.sign_pk, me);
	if (oplog_vv_get(app->st, n->pub.sign_pk, &r->held, NULL, &err) != 0)
		r->held = 0;
	r->quarantined = peerstate_quarantined_of(app->st, n->pub.sign_pk);
	r->fork = peerstate_fork_seen(app->st, n->pub.sign_pk);
	return 0;
}

static void
reload(struct app *app)
{
	struct cimic_error err;
	unsigned char keep[IDENTITY_PK_BYTES];
	bool had = ro.n > 0 && ro.sel < ro.n;

	if (had)
		memcpy(keep, ro.rows[ro.sel].n.pub.sign_pk, sizeof keep);
	if (ro.rows == NULL && (ro.rows = calloc(MAX_NODES, sizeof *ro.rows)) == NULL)
		return;
	ro.n = 0;
	if (roster_each(app->st, add_node, app, &err) < 0)
		app_error(app, "%s", err.msg);
	if (oplog_vv_get(app->st, store_identity(app->st)->pub.sign_pk, &ro.own_seq, NULL, &err) != 0)
		ro.own_seq = 0;
	for (int i = 0; had && i < ro.n; i++)
		if (memcmp(ro.rows[i].n.pub.sign_pk, keep, sizeof keep) == 0)
			ro.sel = i;
	if (ro.sel >= ro.n)
		ro.sel = ro.n ? ro.n - 1 : 0;
}

/* ---- drawing ---- */

static void
when_text(int64_t ms, char *buf, size_t n)
{
	if (ms <= 0)
		snprintf(buf, n, "%s", _("never"));
	else
		timefmt_dtg(ms, buf, n);
}

static void
status_text(const struct app *app, const struct node_row *r, char *buf, size_t n)
{
	size_t k = 0;

	buf[0] = '\0';
	if (r->fork)
		k += (size_t)snprintf(buf, n, "%s ", _("FORK!"));
	if (r->n.revoked)
		snprintf(buf + k, n - k, _("revoked after %llu"), (unsigned long long)r->n.revoked_after);
	else if (r->n.peer && r->n.pub.role == NODE_HQ && store_identity(app->st)->pub.role == NODE_FIELD)
		snprintf(buf + k, n - k, "%s", _("our HQ"));
	else if (r->n.peer)
		snprintf(buf + k, n - k, "%s", _("exchanges with us"));
	else
		snprintf(buf + k, n - k, "%s", _("via HQ's roster"));
}

static void
draw_header(struct app *app, struct rect r)
{
	const struct node_identity *me = store_identity(app->st);
	char fp[24], line[256];

	identity_fingerprint(me->pub.sign_pk, fp, sizeof fp);
	if (me->pub.role == NODE_HQ)
		snprintf(line, sizeof line, P_("%d enrolled node · this HQ: %s, fingerprint %s",
					       "%d enrolled nodes · this HQ: %s, fingerprint %s", ro.n),
			 ro.n, me->pub.unit, fp);
	else
		snprintf(line, sizeof line, P_("%d node: our HQ and the units it enrolled · this unit: %s, %s",
					       "%d nodes: our HQ and the units it enrolled · this unit: %s, %s",
					       ro.n), ro.n, me->pub.unit, fp);
	text_draw(r.y, r.x + 1, r.w - 1, line, theme_attr(TH_DIM));
}

/* Below 76 columns the fingerprint moves to the detail lines only. */
#define FP_MIN_COLS 76

static void
draw_row(struct app *app, const struct node_row *nr, int y, struct rect r, bool on, bool wide)
{
	attr_t a = theme_attr(on ? TH_SELECTED : nr->n.revoked ? TH_DIM : nr->fork ? TH_ERROR : TH_NORMAL);
	char acked[40], status[96], in[16], out[16];
	int x = r.x + 2;

	text_fill(y, r.x, r.w, a);
	text_draw(y, r.x, 1, on ? ">" : " ", a);
	text_draw(y, x, 12, nr->n.name, a);
	text_draw(y, x += 13, 12, nr->n.pub.unit, a);
	text_draw(y, x += 13, 5, nr->n.pub.role == NODE_HQ ? "HQ" : _("field"), a);
	x += 6;
	if (r.w >= FP_MIN_COLS) {
		text_draw(y, x, 19, nr->fp, a);
		x += 20;
	}
	if (wide) {
		when_text(nr->n.last_in_ms, in, sizeof in);
		when_text(nr->n.last_out_ms, out, sizeof out);
		text_draw(y, x, 12, in, a);
		text_draw(y, x += 13, 12, out, a);
		x += 13;
	}
	snprintf(acked, sizeof acked, "%llu/%llu", (unsigned long long)nr->acked_own,
		 (unsigned long long)ro.own_seq);
	text_draw(y, x, 7, acked, a);
	status_text(app, nr, status, sizeof status);
	text_draw(y, x + 8, r.x + r.w - x - 8, status, a);
}

static void
draw_titles(struct rect r, int y, bool wide)
{
	attr_t a = theme_attr(TH_HEADER);
	int x = r.x + 2;

	text_draw(y, x, 12, _("Name"), a);
	text_draw(y, x += 13, 12, _("Unit"), a);
	text_draw(y, x += 13, 5, _("Role"), a);
	x += 6;
	if (r.w >= FP_MIN_COLS) {
		text_draw(y, x, 19, _("Fingerprint"), a);
		x += 20;
	}
	if (wide) {
		text_draw(y, x, 12, _("Last in"), a);
		text_draw(y, x += 13, 12, _("Last out"), a);
		x += 13;
	}
	/* TRANSLATORS: column: how much of this node's log the peer acknowledged */
	text_draw(y, x, 7, _("Acked"), a);
	text_draw(y, x + 8, r.x + r.w - x - 8, _("Status"), a);
}

struct ack_line {
	struct app *app;
	char *buf;
	size_t n, k;
	int items;
};

static int
ack_part(const unsigned char author[32], uint64_t seq, void *arg)
{
	struct ack_line *l = arg;
	struct roster_node who;
	const char *name = "?";
	char fp[24];

	if (memcmp(author, store_identity(l->app->st)->pub.sign_pk, 32) == 0)
		name = store_identity(l->app->st)->pub.unit;
	else if (roster_get(l->app->st, author, &who))
		name = who.name;
	else {
		identity_fingerprint(author, fp, sizeof fp);
		name = fp;
	}
	if (l->k < l->n)
		l->k += (size_t)snprintf(l->buf + l->k, l->n - l->k, "%s%s %llu", l->items ? " · " : " ",
					 name, (unsigned long long)seq);
	l->items++;
	return 0;
}

static void
draw_detail(struct app *app, struct rect r)
{
	const struct node_row *nr = &ro.rows[ro.sel];
	struct cimic_error err;
	struct ack_line al = { app, NULL, 0, 0, 0 };
	char line[768], in[16], out[16], added[16];
	int i = 0;

	when_text(nr->n.last_in_ms, in, sizeof in);
	when_text(nr->n.last_out_ms, out, sizeof out);
	when_text(nr->n.added_ms, added, sizeof added);
	snprintf(line, sizeof line, _("%s · unit %s · %s · added here %s"), nr->n.name, nr->n.pub.unit,
		 nr->n.pub.role == NODE_HQ ? _("HQ") : _("field unit"), added);
	text_draw(r.y + i++, r.x, r.w, line, theme_attr(TH_HEADER));
	snprintf(line, sizeof line, _("Fingerprint %s · its log held here up to seq %llu · last in %s, last out %s"),
		 nr->fp, (unsigned long long)nr->held, in, out);
	text_draw(r.y + i++, r.x, r.w, line, theme_attr(TH_NORMAL));
	al.buf = line;
	al.n = sizeof line;
	al.k = (size_t)snprintf(line, sizeof line, "%s", _("It acknowledged:"));
	peerstate_acks_each(app->st, nr->n.pub.sign_pk, ack_part, &al, &err);
	if (al.items == 0)
		snprintf(line + al.k, sizeof line - al.k, " %s", _("nothing yet"));
	if (i < r.h)
		text_draw(r.y + i++, r.x, r.w, line, theme_attr(TH_NORMAL));
	if (nr->n.revoked && i < r.h) {
		snprintf(line, sizeof line, _("REVOKED: its entries after seq %llu are refused; %ld held back here"),
			 (unsigned long long)nr->n.revoked_after, nr->quarantined);
		text_draw(r.y + i++, r.x, r.w, line, theme_attr(TH_ERROR));
	}
	if (nr->fork && i < r.h)
		text_draw(r.y + i++, r.x, r.w,
			  _("FORK: two different entries with one seq of its log were seen here (a copied laptop?); HQ must decide"),
			  theme_attr(TH_ERROR));
}

static void
draw(struct app *app, struct rect r)
{
	bool wide = r.w >= 110;
	int detail = r.h >= 16 ? 6 : 0, rows = r.h - 2 - detail;

	if (app->st == NULL || ro.rows == NULL)
		return;
	draw_header(app, r);
	if (ro.n == 0) {
		text_draw(r.y + 2, r.x + 2, r.w - 4,
			  store_identity(app->st)->pub.role == NODE_HQ
				  ? _("No node enrolled yet: a (or :enrol) adds one from its identity string.")
				  : _("No HQ yet: a (or :enrol) adds it from the identity string HQ gives you."),
			  theme_attr(TH_DIM));
		return;
	}
	draw_titles(r, r.y + 1, wide);
	if (ro.sel < ro.top)
		ro.top = ro.sel;
	if (rows > 0 && ro.sel >= ro.top + rows)
		ro.top = ro.sel - rows + 1;
	for (int i = 0; i < rows && ro.top + i < ro.n; i++)
		draw_row(app, &ro.rows[ro.top + i], r.y + 2 + i, r, ro.top + i == ro.sel, wide);
	if (detail > 0) {
		text_hline(r.y + r.h - detail, r.x, r.w, theme_attr(TH_DIM));
		draw_detail(app, (struct rect){ r.y + r.h - detail + 1, r.x + 2, detail - 1, r.w - 4 });
	}
}

/* ---- enrol ---- */

/* The fingerprint as typed (dashes, blanks, case and keyboard layout ignored) equals fp? */
static bool
same_fingerprint(const char *typed, const char *fp)
{
	char a[64], b[64];
	size_t ka = 0, kb = 0;

	for (const char *p = fp; *p && kb + 1 < sizeof b; p++)
		if (isxdigit((unsigned char)*p))
			b[kb++] = (char)tolower((unsigned char)*p);
	b[kb] = '\0';
	for (const char *p = typed; *p && ka + 1 < sizeof a; p++)
		if (*p != '-' && *p != ' ')
			a[ka++] = *p;
	a[ka] = '\0';
	return kb > 0 && dialog_same_word(a, b);
}

static int
ask_identity(struct app *app, char **identity, struct node_public *pub)
{
	struct cimic_error err;

	if (app->cmd_arg != NULL)
		*identity = util_strdup(app->cmd_arg);
	else if (dialog_prompt(app, _("Identity string (from 'cimic id' on the other laptop): "), "",
			       identity) != 0)
		return -1;
	if (*identity == NULL)
		return -1;
	util_trim(*identity);
	if (identity_parse(*identity, pub, &err) != 0) {
		app_error(app, _("Not enrolled: %s"), err.msg);
		return -1;
	}
	return 0;
}

static bool
compare_aloud(struct app *app, const struct node_public *pub, const char *fp)
{
	char l0[256], l1[128], *typed = NULL;
	const char *lines[5];
	bool same;

	snprintf(l0, sizeof l0, _("%s · %s"), pub->unit, pub->role == NODE_HQ ? _("HQ") : _("field unit"));
	snprintf(l1, sizeof l1, _("Fingerprint here:  %s"), fp);
	lines[0] = l0;
	lines[1] = l1;
	lines[2] = "";
	lines[3] = _("Ask the other side to read aloud the fingerprint 'cimic id' shows there,");
	lines[4] = _("and type what you hear. Only when the two agree is the node enrolled.");
	if (dialog_prompt_box(app, _("Enrol a node"), lines, 5, _("Fingerprint read aloud: "), "", &typed) != 0)
		return false;
	same = same_fingerprint(typed, fp);
	free(typed);
	if (!same)
		app_error(app, "%s", _("Not enrolled: the fingerprints differ. This identity may not be theirs."));
	return same;
}

static void
enrol(struct app *app)
{
	const struct node_identity *me = store_identity(app->st);
	struct node_public pub;
	struct roster_node n;
	struct oplog_txn *txn;
	struct cimic_error err;
	char *identity = NULL, *name = NULL, fp[24];

	if (ask_identity(app, &identity, &pub) != 0)
		goto out;
	identity_fingerprint(pub.sign_pk, fp, sizeof fp);
	if (!compare_aloud(app, &pub, fp))
		goto out;
	if (dialog_prompt(app, _("Name for it here: "), pub.unit, &name) != 0 || !*util_trim(name))
		goto out;
	if (oplog_begin(app->st, &txn, &err) != 0)
		goto fail;
	if (roster_add(txn, identity, name, pub.role == NODE_HQ && me->pub.role == NODE_FIELD, &n, &err) != 0) {
		oplog_abort(txn);
		goto fail;
	}
	if (oplog_commit(txn, &err) != 0)
		goto fail;
	app_message(app, _("Enrolled %s: unit %s, fingerprint %s."), n.name, n.pub.unit, fp);
	reload(app);
	goto out;
fail:
	app_error(app, _("Not enrolled: %s"), err.msg);
out:
	free(identity);
	free(name);
}

/* ---- revoke ---- */

static int
pick_node(struct app *app, struct roster_node *out)
{
	struct cimic_error err;

	if (app->cmd_arg != NULL) {
		if (roster_find(app->st, app->cmd_arg, out, &err) != 0) {
			app_error(app, "%s", err.msg);
			return -1;
		}
		return 0;
	}
	if (ro.n == 0) {
		app_message(app, "%s", _("No node to revoke."));
		return -1;
	}
	*out = ro.rows[ro.sel].n;
	return 0;
}

static void
revoke(struct app *app)
{
	struct roster_node n;
	struct oplog_txn *txn;
	struct cimic_error err;
	char question[512], fp[24];

	if (pick_node(app, &n) != 0)
		return;
	if (n.revoked) {
		app_message(app, _("%s is already revoked."), n.name);
		return;
	}
	identity_fingerprint(n.pub.sign_pk, fp, sizeof fp);
	snprintf(question, sizeof question,
		 _("Revoke %s (%s, %s)? What it wrote after the last entry held here is refused, and so are its bundles."),
		 n.name, n.pub.unit, fp);
	/* TRANSLATORS: the word typed to confirm a revocation; any keyboard layout works */
	if (!dialog_confirm_word(app, question, _("REVOKE"))) {
		app_message(app, "%s", _("Not revoked."));
		return;
	}
	if (oplog_begin(app->st, &txn, &err) != 0)
		goto fail;
	if (roster_revoke(txn, n.pub.sign_pk, &n, &err) != 0) {
		oplog_abort(txn);
		goto fail;
	}
	if (oplog_commit(txn, &err) != 0)
		goto fail;
	app_message(app, _("Revoked %s: its entries up to seq %llu stay; later ones and its bundles are refused."),
		    n.name, (unsigned long long)n.revoked_after);
	app_log("revoked %s after seq %llu", n.name, (unsigned long long)n.revoked_after);
	reload(app);
	return;
fail:
	app_error(app, _("Not revoked: %s"), err.msg);
}

static int
action(struct app *app, enum action a)
{
	switch (a) {
	case ACT_UP: if (ro.sel > 0) ro.sel--; break;
	case ACT_DOWN: if (ro.sel + 1 < ro.n) ro.sel++; break;
	case ACT_PGUP: ro.sel = ro.sel > 10 ? ro.sel - 10 : 0; break;
	case ACT_PGDN: ro.sel = ro.sel + 10 < ro.n ? ro.sel + 10 : (ro.n ? ro.n - 1 : 0); break;
	case ACT_TOP: ro.sel = 0; break;
	case ACT_BOTTOM: ro.sel = ro.n ? ro.n - 1 : 0; break;
	case ACT_ENROL: case ACT_NEW: enrol(app); break;
	case ACT_REVOKE: revoke(app); break;
	default: return R_PASS;
	}
	return R_DONE;
}

static const enum action hints[] = { ACT_ENROL, ACT_REVOKE, ACT_UP, ACT_NEXT_SCREEN, ACT_QUIT, ACT_NONE };

const struct screen screen_roster = {
	.title = N_("Roster"),
	.ctx = CTX_ROSTER,
	.nav = true,
	.enter = reload,
	.draw = draw,
	.action = action,
	.hints = hints,
	.changed = reload,
};
