/* bundle_private.h - private to sync/: file-level helpers shared by the bundle reader parts. */
#ifndef CIMIC_SYNC_BUNDLE_PRIVATE_H
#define CIMIC_SYNC_BUNDLE_PRIVATE_H

#include <stdint.h>

#include "bundle_format.h"

/*
 * Opens a bundle to read: non-blocking, so a FIFO or a device put where
 * a bundle should be cannot hang the reader, and refused (66, with what
 * it is) unless it is a regular file.  Returns the fd or -1 with err.
 */
int bundle_open_input(const char *path, struct cimic_error *err);
/* Reads exactly n bytes at off (CIMIC_EDATA "truncated" at end of file). */
int bundle_pread(int fd, void *p, size_t n, uint64_t off, struct cimic_error *err);
/* File size, checked against the smallest and largest possible bundle. */
int bundle_file_size(int fd, uint64_t *size, struct cimic_error *err);
/* Parses the cleartext header into h; raw (BUNDLE_HEADER_BYTES(16) bytes) gets its bytes. */
int bundle_parse_header(int fd, uint64_t size, struct bundle_header *h, unsigned char *raw,
			size_t *rawlen, struct cimic_error *err);
/* Pass 0: trailer hash, then header. */
int bundle_check_fd(int fd, struct bundle_header *h, unsigned char *raw, size_t *rawlen,
		    struct cimic_error *err);

#endif
