/* commands.c - the table of subcommands (one file each, like tmux's cmd-*.c). */
#include <string.h>

#include "cimic/i18n.h"
#include "commands.h"


const struct cli_command cli_commands[] = {
	{ "init", cmd_init, N_("create a new store and node identity") },
	{ "id", cmd_id, N_("print this node's identity string and fingerprint") },
	{ "contact", cmd_contact, N_("add, list, show, edit, archive, merge contacts") },
	{ "incident", cmd_incident, N_("add, list, show, edit, archive incidents") },
	{ "link", cmd_link, N_("link an incident and a contact, or unlink them") },
	{ "search", cmd_search, N_("full-text search in Ukrainian and English") },
	{ "peer", cmd_peer, N_("add, list or revoke the nodes this one exchanges bundles with") },
	{ "share", cmd_share, N_("put records into a field unit's scope (HQ)") },
	{ "bundle", cmd_bundle, N_("create, import, inspect or verify bundle files") },
	{ "sync", cmd_sync, N_("exchange bundles through a directory (USB drive)") },
	{ "serve", cmd_serve, N_("answer 'sync --link' from enrolled nodes over the network") },
	{ "conflicts", cmd_conflicts, N_("list, show and resolve concurrent edits") },
	{ "review", cmd_review, N_("archives and merges of others' records waiting for HQ") },
	{ "check", cmd_check, N_("verify every page, entry and signature of the store") },
	{ "passwd", cmd_passwd, N_("change the passphrase") },
	{ "wipe", cmd_wipe, N_("destroy the key so the store can never be read (panic)") },
	{ "export", cmd_export, N_("write contacts and incidents as CSV, HXL, GeoJSON, vCard or JSON") },
	{ "import", cmd_import, N_("read CSV, HXL, vCard, JSON, or a GeoNames gazetteer") },
	{ "publish", cmd_publish, N_("write the merged picture into PostgreSQL/PostGIS (HQ)") },
	{ "report", cmd_report, N_("write the SITREP for a period") },
	{ "demo", cmd_demo, N_("create a store filled with demonstration data") },
	{ NULL, NULL, NULL },
};

const struct cli_command *
cli_find(const char *name)
{
	for (const struct cli_command *c = cli_commands; c->name != NULL; c++)
		if (strcmp(c->name, name) == 0)
			return c;
	return NULL;
}
