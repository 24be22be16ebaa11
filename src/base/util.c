/* util.c - ids, hex, strings, byte buffers and atomic file writes. */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sodium.h>

#include "cimic/i18n.h"
#include "cimic/util.h"

void
util_hex(const unsigned char *in, size_t n, char *out)
{
	static const char digits[] = "0123456789abcdef";

	for (size_t i = 0; i < n; i++) {
		out[2 * i] = digits[in[i] >> 4];
		out[2 * i + 1] = digits[in[i] & 15];
	}
	out[2 * n] = '\0';
}

static int
hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

bool
util_unhex(const char *in, unsigned char *out, size_t n)
{
	if (strlen(in) != 2 * n)
		return false;
	for (size_t i = 0; i < n; i++) {
		int hi = hexval((unsigned char)in[2 * i]), lo = hexval((unsigned char)in[2 * i + 1]);
		if (hi < 0 || lo < 0)
			return false;
		out[i] = (unsigned char)(hi << 4 | lo);
	}
	return true;
}

void
util_new_id(unsigned char id[CIMIC_ID_BYTES])
{
	randombytes_buf(id, CIMIC_ID_BYTES);
}

char *
util_strdup(const char *s)
{
	return s ? util_strndup(s, strlen(s)) : NULL;
}

char *
util_strndup(const char *s, size_t n)
{
	char *p = malloc(n + 1);

	if (p == NULL)
		return NULL;
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *
util_aprintf(const char *fmt, ...)
{
	va_list ap;
	char *p;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0 || (p = malloc((size_t)n + 1)) == NULL)
		return NULL;
	va_start(ap, fmt);
	vsnprintf(p, (size_t)n + 1, fmt, ap);
	va_end(ap);
	return p;
}

/* Length of the UTF-8 sequence at s (1..4), or 0 when invalid. */
static size_t
utf8_seq(const unsigned char *s, size_t n)
{
	unsigned c = s[0];
	size_t len;
	unsigned cp;

	if (c < 0x80)
		return 1;
	if (c >= 0xc2 && c <= 0xdf)
		len = 2, cp = c & 0x1f;
	else if (c >= 0xe0 && c <= 0xef)
		len = 3, cp = c & 0x0f;
	else if (c >= 0xf0 && c <= 0xf4)
		len = 4, cp = c & 0x07;
	else
		return 0;
	if (len > n)
		return 0;
	for (size_t i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (s[i] & 0x3f);
	}
	if ((len == 3 && cp < 0x800) || (len == 4 && (cp < 0x10000 || cp > 0x10ffff)) ||
	    (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	return len;
}

bool
util_utf8_valid(const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;

	while (n > 0) {
		size_t k = utf8_seq(p, n);
		if (k == 0)
			return false;
		p += k;
		n -= k;
	}
	return true;
}

char *
util_trim(char *s)
{
	char *e;

	while (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n')
		s++;
	e = s + strlen(s);
	while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r' || e[-1] == '\n'))
		*--e = '\0';
	return s;
}

int
util_fsync_dir_of(const char *path)
{
	char *dir = util_strdup(path), *slash;
	int fd, rc;

	if (dir == NULL)
		return -1;
	slash = strrchr(dir, '/');
	if (slash == NULL)
		strcpy(dir, ".");
	else if (slash == dir)
		slash[1] = '\0';
	else
		*slash = '\0';
	fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	free(dir);
	if (fd < 0)
		return -1;
	rc = fsync(fd);
	close(fd);
	return rc;
}

int
util_write_atomic(const char *path, const void *data, size_t len, int mode, struct cimic_error *err)
{
	char *tmp = util_aprintf("%s.part", path);
	const unsigned char *p = data;
	int fd;

	if (tmp == NULL)
		return cimic_error_set(err, CIMIC_EFAIL, _("out of memory"));
	unlink(tmp);
	fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode);
	if (fd < 0) {
		cimic_error_set(err, CIMIC_ECANTCREAT, _("cannot create %s: %s"), tmp, strerror(errno));
		free(tmp);
		return -1;
	}
	while (len > 0) {
		ssize_t w = write(fd, p, len);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			goto fail;
		p += w;
		len -= (size_t)w;
	}
	if (fsync(fd) != 0 || close(fd) != 0) {
		fd = -1;
		goto fail;
	}
	fd = -1;
	if (rename(tmp, path) != 0)
		goto fail;
	free(tmp);
	util_fsync_dir_of(path);
	return 0;
fail:
	cimic_error_set(err, CIMIC_EIO, _("cannot write %s: %s"), path, strerror(errno));
	if (fd >= 0)
		close(fd);
	unlink(tmp);
	free(tmp);
	return -1;
}

int
util_mkdirs(const char *path, int mode, struct cimic_error *err)
{
	char *p = util_strdup(path);

	if (p == NULL)
		return cimic_error_set(err, CIMIC_EFAIL, _("out of memory"));
	for (char *s = p + 1; ; s++) {
		if (*s == '/' || *s == '\0') {
			char c = *s;
			*s = '\0';
			if (mkdir(p, (mode_t)mode) != 0 && errno != EEXIST) {
				cimic_error_set(err, CIMIC_ECANTCREAT, _("cannot create %s: %s"), p,
						strerror(errno));
				free(p);
				return -1;
			}
			*s = c;
			if (c == '\0')
				break;
		}
	}
	free(p);
	return 0;
}

void
buf_init(struct buf *b)
{
	memset(b, 0, sizeof *b);
}

void
buf_finish(struct buf *b)
{
	free(b->data);
	memset(b, 0, sizeof *b);
}

bool
buf_reserve(struct buf *b, size_t more)
{
	size_t need, cap;
	unsigned char *p;

	if (b->failed)
		return false;
	if (more > SIZE_MAX - b->len - 1)
		goto oom;
	need = b->len + more + 1;
	if (need <= b->cap)
		return true;
	cap = b->cap ? b->cap : 256;
	while (cap < need)
		cap = cap > SIZE_MAX / 2 ? need : cap * 2;
	p = realloc(b->data, cap);
	if (p == NULL)
		goto oom;
	b->data = p;
	b->cap = cap;
	return true;
oom:
	b->failed = true;
	return false;
}

void
buf_add(struct buf *b, const void *p, size_t n)
{
	if (n == 0 || !buf_reserve(b, n))
		return;
	memcpy(b->data + b->len, p, n);
	b->len += n;
}

void
buf_addc(struct buf *b, unsigned char c)
{
	buf_add(b, &c, 1);
}

void
buf_adds(struct buf *b, const char *s)
{
	buf_add(b, s, strlen(s));
}

void
buf_printf(struct buf *b, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0 || !buf_reserve(b, (size_t)n))
		return;
	va_start(ap, fmt);
	vsnprintf((char *)b->data + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
}

void
buf_u16(struct buf *b, uint16_t v)
{
	unsigned char p[2] = { (unsigned char)v, (unsigned char)(v >> 8) };
	buf_add(b, p, 2);
}

void
buf_u32(struct buf *b, uint32_t v)
{
	unsigned char p[4];

	for (int i = 0; i < 4; i++)
		p[i] = (unsigned char)(v >> (8 * i));
	buf_add(b, p, 4);
}

void
buf_u64(struct buf *b, uint64_t v)
{
	unsigned char p[8];

	for (int i = 0; i < 8; i++)
		p[i] = (unsigned char)(v >> (8 * i));
	buf_add(b, p, 8);
}

void
buf_json_str(struct buf *b, const char *s)
{
	const unsigned char *p = (const unsigned char *)(s ? s : "");
	size_t n = strlen((const char *)p);

	buf_addc(b, '"');
	while (n > 0) {
		size_t k = utf8_seq(p, n);
		if (k == 0) {
			buf_adds(b, "\xef\xbf\xbd");
			p++, n--;
			continue;
		}
		if (k == 1 && (*p < 0x20 || *p == '"' || *p == '\\')) {
			switch (*p) {
			case '"': buf_adds(b, "\\\""); break;
			case '\\': buf_adds(b, "\\\\"); break;
			case '\n': buf_adds(b, "\\n"); break;
			case '\r': buf_adds(b, "\\r"); break;
			case '\t': buf_adds(b, "\\t"); break;
			default: buf_printf(b, "\\u%04x", *p); break;
			}
		} else {
			buf_add(b, p, k);
		}
		p += k;
		n -= k;
	}
	buf_addc(b, '"');
}

void
buf_utf8(struct buf *b, uint32_t cp)
{
	if (cp < 0x80) {
		buf_addc(b, (unsigned char)cp);
	} else if (cp < 0x800) {
		buf_addc(b, (unsigned char)(0xc0 | cp >> 6));
		buf_addc(b, (unsigned char)(0x80 | (cp & 0x3f)));
	} else if (cp < 0x10000) {
		buf_addc(b, (unsigned char)(0xe0 | cp >> 12));
		buf_addc(b, (unsigned char)(0x80 | ((cp >> 6) & 0x3f)));
		buf_addc(b, (unsigned char)(0x80 | (cp & 0x3f)));
	} else {
		buf_addc(b, (unsigned char)(0xf0 | cp >> 18));
		buf_addc(b, (unsigned char)(0x80 | ((cp >> 12) & 0x3f)));
		buf_addc(b, (unsigned char)(0x80 | ((cp >> 6) & 0x3f)));
		buf_addc(b, (unsigned char)(0x80 | (cp & 0x3f)));
	}
}

const char *
buf_cstr(struct buf *b)
{
	if (!buf_reserve(b, 0))
		return "";
	b->data[b->len] = '\0';
	return (const char *)b->data;
}

uint16_t
util_le16(const unsigned char *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

uint32_t
util_le32(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

uint64_t
util_le64(const unsigned char *p)
{
	return (uint64_t)util_le32(p) | (uint64_t)util_le32(p + 4) << 32;
}

void *
util_grow(void *p, size_t *cap, size_t need, size_t size)
{
	size_t n = *cap ? *cap : 16;
	void *q;

	if (need <= *cap)
		return p;
	while (n < need) {
		if (n > SIZE_MAX / 2)
			return NULL;
		n *= 2;
	}
	if (size != 0 && n > SIZE_MAX / size)
		return NULL;
	if ((q = realloc(p, n * size)) == NULL)
		return NULL;
	*cap = n;
	return q;
}
