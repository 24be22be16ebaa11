/*
 * value.c - op and field values (cimic/value.h).
 */
#include <stdlib.h>
#include <string.h>

#include "cimic/value.h"

void
model_value_finish(struct model_value *v)
{
	if (v == NULL)
		return;
	free(v->s);
	memset(v, 0, sizeof *v);
}
