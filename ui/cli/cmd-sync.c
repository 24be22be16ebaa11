/*
 * cmd-sync.c - `cimic sync DIR`: exchange bundles through a directory
 * (a USB drive) shared with couriers, HQ and other units.
 */
#include <string.h>

#include "cimic/i18n.h"
#include "cimic/mailbox.h"
#include "commands.h"

static void
sync_help(void)
{
	printf("%s", _("Usage: cimic sync DIR\n"
		       "       cimic sync --link HOST:PORT (see 'cimic sync --link --help')\n"
		       "Imports every bundle in DIR addressed to this node, leaves bundles for\n"
		       "other nodes alone, then writes one bundle for each peer into DIR.\n"
		       "Running it again changes nothing until there is something new.\n"));
}

static void
print_item(const struct mailbox_item *it, void *arg)
{
	bool *verbose = arg;
	char hash[2 * BUNDLE_HASH_BYTES + 1];

	switch (it->status) {
	case MAILBOX_IMPORTED:
		printf(_("  in   %s: from %s, %ld new, %ld already held, %ld conflicts opened\n"),
		       cli_safe(it->file), cli_safe(it->in->sender_name), it->in->entries_new, it->in->entries_dup,
		       it->in->conflicts_opened);
		break;
	case MAILBOX_REFUSED:
		printf(_("  REFUSED %s: %s\n"), cli_safe(it->file), cli_safe(it->err->msg));
		break;
	case MAILBOX_WRITTEN:
		/* the hash is what the courier compares with 'bundle verify' at the other end */
		util_hex(it->out->hdr.hash, sizeof it->out->hdr.hash, hash);
		printf(P_("  out  %s: for %s, %ld entry, %llu bytes, BLAKE2b %s\n",
			  "  out  %s: for %s, %ld entries, %llu bytes, BLAKE2b %s\n", it->out->entries),
		       cli_safe(it->file), cli_safe(it->peer), it->out->entries,
		       (unsigned long long)it->out->hdr.size, hash);
		break;
	case MAILBOX_WRITE_FAILED:
		printf(_("  FAILED to write for %s: %s\n"), cli_safe(it->peer), cli_safe(it->err->msg));
		break;
	default:
		if (*verbose)
			printf("  %s\n", cli_safe(it->file));
		break;
	}
}

int
cmd_sync(struct cli *cli, int argc, char **argv)
{
	struct mailbox_summary sum;
	struct cimic_error err;
	bool verbose = false;
	int rc;

	cli->cmd = "sync";
	if (cli_sync_wants_link(argc, argv))
		return cmd_sync_link(cli, argc, argv);
	if (cli_wants_help(argc, argv)) {
		sync_help();
		return 0;
	}
	if (argc != 2 || argv[1][0] == '-')
		return cli_usage(cli, _("expected 'sync DIR'"));
	if ((rc = cli_open(cli)) != 0)
		return rc;
	if (mailbox_sync(cli->st, argv[1], print_item, &verbose, &sum, &err) != 0)
		return cli_fail(cli, &err);
	printf(_("sync %s: %d imported (%ld new entries, %ld conflicts opened), %d already imported, "
		 "%d refused, %d for other nodes left alone; %d written, %d unchanged\n"),
	       cli_safe(argv[1]), sum.count[MAILBOX_IMPORTED], sum.entries_new, sum.conflicts_opened,
	       sum.count[MAILBOX_ALREADY], sum.count[MAILBOX_REFUSED], sum.count[MAILBOX_OTHER],
	       sum.count[MAILBOX_WRITTEN], sum.count[MAILBOX_UNCHANGED]);
	if (sum.quarantined > 0)
		printf(P_("%ld entry of a revoked node quarantined\n",
			  "%ld entries of revoked nodes quarantined\n", sum.quarantined),
		       sum.quarantined);
	return sum.first_error;
}
