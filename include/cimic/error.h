/*
 * error.h - how the core reports failure.
 *
 * Core functions return 0 on success and -1 on failure, filling a
 * caller-owned struct cimic_error.  The code is a sysexits(3) value so
 * that ui/ can turn it into the process exit status unchanged; the
 * message is one translated line without the "cimic: " prefix.
 */
#ifndef CIMIC_ERROR_H
#define CIMIC_ERROR_H

#include <stdarg.h>

enum cimic_status {
	CIMIC_OK = 0,
	CIMIC_EFAIL = 1,       /* anything else */
	CIMIC_EUSAGE = 64,     /* bad command line */
	CIMIC_EDATA = 65,      /* malformed, truncated or tampered input */
	CIMIC_ENOINPUT = 66,   /* no such input file or record */
	CIMIC_ECANTCREAT = 73, /* cannot create output */
	CIMIC_EIO = 74,        /* I/O error */
	CIMIC_ETEMPFAIL = 75,  /* temporary failure: the store stayed busy too long */
	CIMIC_EPERM = 77,      /* wrong passphrase, untrusted or revoked signer */
};

struct cimic_error {
	int code;        /* enum cimic_status */
	char msg[512];   /* one line, translated, no trailing newline */
};

/* Sets code and message; returns -1 so callers can `return cimic_error_set(...)`. */
int cimic_error_set(struct cimic_error *err, int code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* Prefixes the existing message with "what: ", keeping the code. */
int cimic_error_prefix(struct cimic_error *err, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void cimic_error_clear(struct cimic_error *err);

#endif
