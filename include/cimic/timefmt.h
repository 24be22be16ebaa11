/*
 * timefmt.h - times as officers read and write them.
 *
 * Internally every time is Unix milliseconds UTC (int64_t).  Input is
 * ISO 8601 (with or without zone offset; without one it is local
 * Europe/Kyiv time), a military DTG "DDHHMMZMONYY" (zone letter Z, or
 * other NATO letters A-Z without J), or "now".  Output is DTG (English month letters under every locale)
 * and local time in Europe/Kyiv, side by side.
 */
#ifndef CIMIC_TIMEFMT_H
#define CIMIC_TIMEFMT_H

#include <stddef.h>
#include <stdint.h>

#include "cimic/error.h"

/* Parses ISO 8601, DTG or "now".  `now_ms` is the reference for "now". */
int timefmt_parse(const char *text, int64_t now_ms, int64_t *out_ms, struct cimic_error *err);

/* "241330ZNOV26" (UTC). buf >= 16 bytes. */
void timefmt_dtg(int64_t ms, char *buf, size_t bufsize);

/* "2026-11-24T13:30:00Z" (UTC, seconds). buf >= 32 bytes. */
void timefmt_iso_utc(int64_t ms, char *buf, size_t bufsize);

/* "2026-11-24 15:30 EET" local Europe/Kyiv (DST per EU rules). buf >= 32. */
void timefmt_local(int64_t ms, char *buf, size_t bufsize);

/* Current wall-clock time in Unix milliseconds. */
int64_t timefmt_now_ms(void);

#endif
