/*
 * publish_none.c - publish.h in a build without libpq (meson option
 * 'publish' disabled, or libpq-dev missing): the command is there and
 * says why it cannot run (exit 69); --status still reads the store.
 */
#include <string.h>

#include "cimic/i18n.h"
#include "cimic/publish.h"

static int
unavailable(struct cimic_error *err)
{
	return cimic_error_set(err, CIMIC_EUNAVAIL, _("this cimic was built without PostgreSQL "
						      "support (libpq): rebuild it with libpq-dev"));
}

int
publish_target_parse(const char *conninfo, struct publish_target_info *out,
		     struct cimic_error *err)
{
	memset(out, 0, sizeof *out);
	return unavailable(err);
}

int
publish_run(struct store *st, const char *conninfo, struct publish_stats *stats,
	    struct cimic_error *err)
{
	memset(stats, 0, sizeof *stats);
	return unavailable(err);
}
