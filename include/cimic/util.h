/* util.h - small helpers shared by every layer: ids, hex, strings, files. */
#ifndef CIMIC_UTIL_H
#define CIMIC_UTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cimic/error.h"

#define CIMIC_ID_BYTES 16
#define CIMIC_ID_HEX (CIMIC_ID_BYTES * 2 + 1)

/* Lower-case hex of n bytes into out (2n+1 bytes). */
void util_hex(const unsigned char *in, size_t n, char *out);
/* Parses exactly 2n hex digits; false on anything else. */
bool util_unhex(const char *in, unsigned char *out, size_t n);

/* Random 128-bit row id. */
void util_new_id(unsigned char id[CIMIC_ID_BYTES]);

/* strdup that aborts on out-of-memory is not used: returns NULL and the caller reports. */
char *util_strdup(const char *s);
char *util_strndup(const char *s, size_t n);
/* printf into a fresh buffer. OUT: caller frees. */
char *util_aprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/*
 * Decodes the UTF-8 character at s (n bytes available): returns its
 * length (1..4) and sets *cp, or returns 0 when the bytes there are not
 * valid UTF-8 (overlong, surrogate, truncated, stray continuation).
 */
size_t util_utf8_next(const char *s, size_t n, uint32_t *cp);
/* Is s valid UTF-8 (no overlongs, no surrogates)? */
bool util_utf8_valid(const char *s, size_t n);

/* Trims ASCII blanks in place, returns s. */
char *util_trim(char *s);

/* Writes data to path atomically: temp file, fsync, rename, fsync directory. */
int util_write_atomic(const char *path, const void *data, size_t len, int mode,
		      struct cimic_error *err);

/*
 * Output paths (DESIGN.md section 6).  A new name or a regular file is
 * written atomically: a temporary file beside it, fsync, rename, fsync of
 * the directory.  A FIFO, a character device (/dev/null, a terminal) and
 * "-" (standard output) are written in place and never replaced by a
 * rename.  A symbolic link is refused (CIMIC_ECANTCREAT), so a link
 * planted where a report is expected cannot redirect it; so are a
 * directory, a block device and a socket.
 */
enum util_output {
	UTIL_OUTPUT_FILE,       /* temp, fsync, rename */
	UTIL_OUTPUT_IN_PLACE,   /* FIFO, character device, "-" */
};
/* What writing to path would be; -1 with err (73) for what is refused. */
int util_output_kind(const char *path, enum util_output *kind, struct cimic_error *err);
/* Opens an in-place output for writing (checked again once open). OUT *fd: caller closes. */
int util_output_open(const char *path, int *fd, struct cimic_error *err);
/* Writes all n bytes to fd, through short writes and EINTR; -1 with errno. */
int util_write_all(int fd, const void *data, size_t n);
/* The whole output at path, by its kind (see above). */
int util_write_output(const char *path, const void *data, size_t len, int mode,
		      struct cimic_error *err);

/* fsyncs the directory holding path, so a rename or unlink in it is durable. */
int util_fsync_dir_of(const char *path);

/* mkdir -p with the given mode for missing components. */
int util_mkdirs(const char *path, int mode, struct cimic_error *err);

/* Growing byte buffer. */
struct buf {
	unsigned char *data;
	size_t len;
	size_t cap;
	bool failed;     /* an allocation failed; the buffer keeps what it had */
};
void buf_init(struct buf *b);
void buf_finish(struct buf *b);
bool buf_reserve(struct buf *b, size_t more);
void buf_add(struct buf *b, const void *p, size_t n);
void buf_addc(struct buf *b, unsigned char c);
void buf_adds(struct buf *b, const char *s);
void buf_printf(struct buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void buf_u16(struct buf *b, uint16_t v);
void buf_u32(struct buf *b, uint32_t v);
void buf_u64(struct buf *b, uint64_t v);
/* Adds a JSON string literal (quoted, escaped; invalid UTF-8 replaced by U+FFFD). */
void buf_json_str(struct buf *b, const char *s);
/* Appends one code point as UTF-8. */
void buf_utf8(struct buf *b, uint32_t cp);
/*
 * Makes room for `need` elements of `size` bytes in array p of *cap
 * elements: doubles *cap (at least 16) until it holds them.  Returns the
 * array (perhaps moved), or NULL when memory runs out or the size would
 * overflow; then p is unchanged and still owned by the caller.
 */
void *util_grow(void *p, size_t *cap, size_t need, size_t size);
/* NUL-terminates and returns the data as a string (still owned by b). */
const char *buf_cstr(struct buf *b);

/* Little-endian loads. */
uint16_t util_le16(const unsigned char *p);
uint32_t util_le32(const unsigned char *p);
uint64_t util_le64(const unsigned char *p);

#endif
