/*
 * tap.h - a tiny Test Anything Protocol helper for unit tests.
 *
 * ok(cond, fmt, ...) prints one TAP line; done_testing() prints the plan
 * and returns the exit status (0 when every check passed).
 */
#ifndef CIMIC_TAP_H
#define CIMIC_TAP_H

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int tap_count;
static int tap_failed;

static inline int tap_ok(int cond, const char *file, int line, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
static inline void tap_diag(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static inline int
tap_ok(int cond, const char *file, int line, const char *fmt, ...)
{
	va_list ap;

	tap_count++;
	printf("%sok %d - ", cond ? "" : "not ", tap_count);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	if (!cond) {
		tap_failed++;
		printf("#   failed at %s:%d\n", file, line);
	}
	fflush(stdout);
	return cond;
}

#define ok(cond, ...) tap_ok(!!(cond), __FILE__, __LINE__, __VA_ARGS__)
#define is_int(a, b, ...) do { long long a_ = (a), b_ = (b); \
	if (!ok(a_ == b_, __VA_ARGS__)) printf("#   got %lld, expected %lld\n", a_, b_); } while (0)
/* b, the expected string, is never NULL */
#define is_str(a, b, ...) do { const char *a_ = (a), *b_ = (b); \
	if (!ok(a_ && strcmp(a_, b_) == 0, __VA_ARGS__)) \
		printf("#   got '%s', expected '%s'\n", a_ ? a_ : "(null)", b_); } while (0)

static inline void
tap_diag(const char *fmt, ...)
{
	va_list ap;

	printf("# ");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
}

static inline int
done_testing(void)
{
	printf("1..%d\n", tap_count);
	return tap_failed ? 1 : 0;
}

/* Path of a file in ../shared/data, or NULL (then the test skips with 77). */
static inline const char *
tap_shared_data(void)
{
	const char *d = getenv("CIMIC_SHARED_DATA");
	return d;
}

#endif
