/* demo.h - a realistic demonstration data set (Ukrainian contacts and incidents). */
#ifndef CIMIC_DEMO_H
#define CIMIC_DEMO_H

#include "cimic/error.h"

struct store;

/* Fills the store with demonstration contacts, incidents and links, in one transaction. */
int demo_fill(struct store *st, long *contacts, long *incidents, struct cimic_error *err);

#endif
