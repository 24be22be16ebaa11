/*
 * value.h - the value an op carries and a record field holds.
 *
 * It sits at the base so that the op log (which stores values) and the
 * model (which gives them meaning through its field table) share it
 * without the log depending on the model.
 */
#ifndef CIMIC_VALUE_H
#define CIMIC_VALUE_H

#include <stdint.h>

/* The record kinds; the op log's table numbers for them are the same. */
enum model_kind {
	MODEL_CONTACT = 1,
	MODEL_INCIDENT = 2,
	MODEL_LINK = 3,
};

enum model_vtype { MV_NULL = 0, MV_INT = 1, MV_TEXT = 2 };

/* Unset (MV_NULL), an integer (MV_INT) or UTF-8 text (MV_TEXT). */
struct model_value {
	enum model_vtype type;
	int64_t i;
	char *s;          /* MV_TEXT: owned by the struct holding it */
};

/* Frees the text and clears v; NULL is a no-op. */
void model_value_finish(struct model_value *v);

#endif
