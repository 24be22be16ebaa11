/*
 * codes.h - the fixed code lists of DESIGN.md section 6.
 *
 * Codes are stable ASCII identifiers stored in the op log; labels are
 * translated at display time (English msgid, Ukrainian in po/uk.po).
 */
#ifndef CIMIC_CODES_H
#define CIMIC_CODES_H

#include <stdbool.h>
#include <stddef.h>

struct code_item {
	const char *code;    /* stable, e.g. "civilian_harm" */
	const char *label;   /* N_() English label; translate with _() */
};

struct code_list {
	const char *name;              /* "incident type" ... (N_()) */
	const struct code_item *items;
	size_t count;
	const char *fallback;          /* default code */
};

extern const struct code_list codes_incident_type;
extern const struct code_list codes_incident_status;
extern const struct code_list codes_contact_category;
extern const struct code_list codes_node_role;

/* The item for a code, or NULL. Matching is exact on the code, or
 * case-insensitive on the English or translated label. */
const struct code_item *codes_find(const struct code_list *list, const char *text);
/* Translated label of a code (the code itself when unknown). */
const char *codes_label(const struct code_list *list, const char *code);
/* "a, b, c" list of codes for error messages. OUT: caller frees. */
char *codes_join(const struct code_list *list);

#endif
