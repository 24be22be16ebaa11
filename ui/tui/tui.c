/* tui.c - entry of the terminal interface. */
#include <stdio.h>

#include "cimic/i18n.h"
#include "cli/cli.h"
#include "tui.h"

int
tui_main(struct cli *cli, bool demo)
{
	int rc;

	if (demo && (rc = cli_demo_create(cli)) != 0)
		return rc;
	fprintf(stderr, "%s\n", _("cimic: the terminal interface is not part of this build yet; see 'cimic --help'"));
	return CIMIC_EUSAGE;
}
