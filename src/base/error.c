/* error.c - filling struct cimic_error. */
#include <stdio.h>
#include <string.h>

#include "cimic/error.h"

static int cimic_error_vset(struct cimic_error *err, int code, const char *fmt, va_list ap)
	__attribute__((format(printf, 3, 0)));

static int
cimic_error_vset(struct cimic_error *err, int code, const char *fmt, va_list ap)
{
	if (err == NULL)
		return -1;
	err->code = code;
	vsnprintf(err->msg, sizeof err->msg, fmt, ap);
	return -1;
}

int
cimic_error_set(struct cimic_error *err, int code, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	cimic_error_vset(err, code, fmt, ap);
	va_end(ap);
	return -1;
}

int
cimic_error_prefix(struct cimic_error *err, const char *fmt, ...)
{
	char head[256], old[sizeof err->msg];
	va_list ap;

	if (err == NULL)
		return -1;
	va_start(ap, fmt);
	vsnprintf(head, sizeof head, fmt, ap);
	va_end(ap);
	memcpy(old, err->msg, sizeof old);
	snprintf(err->msg, sizeof err->msg, "%s: %s", head, old);
	return -1;
}

void
cimic_error_clear(struct cimic_error *err)
{
	if (err == NULL)
		return;
	err->code = CIMIC_OK;
	err->msg[0] = '\0';
}
