/* main.c - composition root. */
#include <locale.h>
#include <stdio.h>

#include "cimic/i18n.h"

int
main(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	setlocale(LC_ALL, "");
	bindtextdomain(GETTEXT_PACKAGE, LOCALEDIR);
	textdomain(GETTEXT_PACKAGE);
	puts(_("cimic: nothing here yet"));
	return 0;
}
