/* cmd-id.c - `cimic id [--json]`: identity string and fingerprint. */
#include <string.h>

#include "cimic/bundle.h"
#include "cimic/i18n.h"
#include "commands.h"

int
cmd_id(struct cli *cli, int argc, char **argv)
{
	const struct node_identity *id;
	struct cimic_error err;
	char s[IDENTITY_STRING_MAX], fp[24];
	bool json = argc == 2 && strcmp(argv[1], "--json") == 0;
	int rc;

	if (cli_wants_help(argc, argv)) {
		printf("%s", _("Usage: cimic id [--json]\n"
			       "Prints this node's identity string (give it to HQ or a peer for 'cimic peer add')\n"
			       "and its fingerprint, to compare by voice or on paper.\n"));
		return 0;
	}
	if (argc > 1 && !json)
		return cli_usage(cli, _("unexpected argument '%s'"), argv[1]);
	if ((rc = cli_open(cli)) != 0)
		return rc;
	id = store_identity(cli->st);
	if (identity_string(id, s, sizeof s, &err) != 0)
		return cli_fail(cli, &err);
	identity_fingerprint(id->pub.sign_pk, fp, sizeof fp);
	if (json) {
		unsigned char rid[IDENTITY_KEYID_BYTES];
		char rhex[2 * IDENTITY_KEYID_BYTES + 1];
		struct buf b;
		/* the id bundles for this node carry in clear (and in mailbox file names) */
		bundle_recipient_id(id->pub.sign_pk, rid);
		util_hex(rid, sizeof rid, rhex);
		buf_init(&b);
		buf_adds(&b, "{\"unit\":");
		buf_json_str(&b, id->pub.unit);
		buf_printf(&b, ",\"role\":\"%s\",\"fingerprint\":\"%s\",\"recipient_id\":\"%s\","
			   "\"identity\":\"%s\"}\n", identity_role_name(id->pub.role), fp, rhex, s);
		fwrite(b.data, 1, b.len, stdout);
		buf_finish(&b);
		return 0;
	}
	printf("%s\n", s);
	printf(_("Unit: %s (%s)\nFingerprint: %s\n"), cli_safe(id->pub.unit), identity_role_name(id->pub.role), fp);
	return 0;
}
