/* cmd-share.c - `cimic share ID... --with NAME` (HQ): records into a unit's scope. */
#include <string.h>

#include "cimic/i18n.h"
#include "cimic/roster.h"
#include "cimic/scopestate.h"
#include "commands.h"

int
cmd_share(struct cli *cli, int argc, char **argv)
{
	unsigned char id[CIMIC_ID_BYTES];
	const char *with = NULL;
	struct roster_node n;
	struct cimic_error err;
	enum model_kind kind;
	int rc, ids = 0, added = 0, i;

	if (cli_wants_help(argc, argv)) {
		printf("%s", _("Usage: cimic share ID... --with NAME\n"
			       "HQ puts records (incidents or contacts, a unique id prefix) into the\n"
			       "field unit's scope; 'peer list' counts them.  Bundles do not honour\n"
			       "scopes yet (see cimic(1)).\n"));
		return 0;
	}
	cli->cmd = "share";
	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--with") == 0 && i + 1 < argc)
			with = argv[++i];
		else if (argv[i][0] == '-')
			return cli_usage(cli, _("unknown or incomplete option '%s'"), argv[i]);
		else
			ids++;
	}
	if (with == NULL || ids == 0)
		return cli_usage(cli, _("expected 'share ID... --with NAME'"));
	if ((rc = cli_open(cli)) != 0)
		return rc;
	if (store_identity(cli->st)->pub.role != NODE_HQ) {
		cimic_error_set(&err, CIMIC_EUSAGE, _("only HQ decides what a unit receives"));
		return cli_fail(cli, &err);
	}
	if (roster_find(cli->st, with, &n, &err) != 0)
		return cli_fail(cli, &err);
	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--with") == 0) {
			i++;
			continue;
		}
		kind = MODEL_INCIDENT;
		if (model_resolve_id(cli->st, kind, argv[i], id, &err) != 0) {
			kind = MODEL_CONTACT;
			if (err.code != CIMIC_ENOINPUT ||
			    model_resolve_id(cli->st, kind, argv[i], id, &err) != 0)
				return cli_fail(cli, &err);
		}
		if ((rc = scope_share(cli->st, n.pub.sign_pk, kind, id, &err)) < 0)
			return cli_fail(cli, &err);
		added += rc;
	}
	printf(_("shared %d records with %s (%d already were)\n"),
	       added, cli_safe(n.name), ids - added);
	return 0;
}
