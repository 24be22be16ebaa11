/*
 * labels.c - the English and Ukrainian labels that published rows carry.
 *
 * A database serves readers in both languages whatever the locale of the
 * HQ machine that wrote it, so the Ukrainian labels do not come from
 * gettext at run time: publish/labels-uk.py takes them from po/uk.po at
 * build time (publish_labels_uk.c).  The English label is the msgid.
 */
#include <stdlib.h>
#include <string.h>

#include "publish_private.h"

static int
label_cmp(const void *key, const void *item)
{
	return strcmp(key, ((const struct publish_label *)item)->msgid);
}

const char *
publish_label_uk(const char *msgid)
{
	const struct publish_label *l = bsearch(msgid, publish_labels_uk, publish_labels_uk_count,
						sizeof *l, label_cmp);

	return l ? l->uk : msgid;
}

bool
publish_labels_complete(const struct code_list *codes)
{
	for (size_t i = 0; i < codes->count; i++)
		if (bsearch(codes->items[i].label, publish_labels_uk, publish_labels_uk_count,
			    sizeof publish_labels_uk[0], label_cmp) == NULL)
			return false;
	return true;
}
