/*
 * bundle_check.c - what can be checked without a key: the cleartext
 * header and the trailer hash (pass 0 of the reader, `bundle verify`).
 *
 * The trailer is checked before anything else, so any change to any
 * byte of a copy, or a copy cut short or extended, is "damaged" (65)
 * before the header is trusted to say whom the bundle is for.
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "bundle_private.h"
#include "cimic/i18n.h"
#include "cimic/util.h"

/* The smallest file that could be a bundle: header, one empty frame, trailer. */
#define BUNDLE_MIN_FILE (BUNDLE_HEADER_BYTES(1) + 4 + BUNDLE_FRAME_OVERHEAD + BUNDLE_TRAILER_BYTES)

int
bundle_pread(int fd, void *p, size_t n, uint64_t off, struct cimic_error *err)
{
	unsigned char *b = p;

	while (n > 0) {
		ssize_t k = pread(fd, b, n, (off_t)off);
		if (k < 0 && errno == EINTR)
			continue;
		if (k < 0)
			return cimic_error_set(err, CIMIC_EIO, _("cannot read the bundle: %s"),
					       strerror(errno));
		if (k == 0)
			return cimic_error_set(err, CIMIC_EDATA, _("the bundle ends early (truncated)"));
		b += k;
		n -= (size_t)k;
		off += (uint64_t)k;
	}
	return 0;
}

int
bundle_file_size(int fd, uint64_t *size, struct cimic_error *err)
{
	struct stat sb;

	if (fstat(fd, &sb) != 0)
		return cimic_error_set(err, CIMIC_EIO, _("cannot read the bundle: %s"), strerror(errno));
	if (!S_ISREG(sb.st_mode))
		return cimic_error_set(err, CIMIC_EDATA, _("not a regular file"));
	if ((uint64_t)sb.st_size < BUNDLE_MIN_FILE)
		return cimic_error_set(err, CIMIC_EDATA,
				       _("too short to be a bundle (%lld bytes): truncated?"),
				       (long long)sb.st_size);
	if ((uint64_t)sb.st_size > BUNDLE_MAX_FILE)
		return cimic_error_set(err, CIMIC_EDATA, _("larger than any bundle may be (%llu MiB)"),
				       (unsigned long long)(BUNDLE_MAX_FILE >> 20));
	*size = (uint64_t)sb.st_size;
	return 0;
}

static bool
all_zero(const unsigned char *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (p[i] != 0)
			return false;
	return true;
}

int
bundle_parse_header(int fd, uint64_t size, struct bundle_header *h, unsigned char *raw,
		    size_t *rawlen, struct cimic_error *err)
{
	unsigned char *p = raw;
	size_t len;

	memset(h, 0, sizeof *h);
	if (bundle_pread(fd, p, BUNDLE_FIXED_BYTES, 0, err) != 0)
		return -1;
	if (memcmp(p, BUNDLE_MAGIC, BUNDLE_MAGIC_BYTES) != 0)
		return cimic_error_set(err, CIMIC_EDATA, _("not a cimic bundle"));
	if (util_le16(p + 8) == 1)
		return cimic_error_set(err, CIMIC_EDATA,
				       _("this bundle is in format version 1, which showed the recipient's "
					 "fingerprint and the time in clear and is no longer read: have it "
					 "written again with a current cimic (bundles are cumulative, nothing "
					 "is lost)"));
	if (util_le16(p + 8) != BUNDLE_VERSION)
		return cimic_error_set(err, CIMIC_EDATA, _("bundle format version %u is not supported"),
				       (unsigned)util_le16(p + 8));
	h->nrecip = p[40];
	h->chunk_log2 = p[41];
	if (util_le16(p + 10) != BUNDLE_FLAGS || h->nrecip < 1 || h->nrecip > BUNDLE_MAX_RECIPIENTS ||
	    h->chunk_log2 < BUNDLE_CHUNK_LOG2_MIN || h->chunk_log2 > BUNDLE_CHUNK_LOG2_MAX ||
	    !all_zero(p + 32, 8) || !all_zero(p + 42, 6))
		return cimic_error_set(err, CIMIC_EDATA, _("the bundle header is malformed"));
	len = BUNDLE_HEADER_BYTES(h->nrecip);
	if (util_le32(p + 12) != len || len + 4 + BUNDLE_FRAME_OVERHEAD + BUNDLE_TRAILER_BYTES > size)
		return cimic_error_set(err, CIMIC_EDATA, _("the bundle header has a bad length"));
	if (bundle_pread(fd, p + BUNDLE_FIXED_BYTES, len - BUNDLE_FIXED_BYTES, BUNDLE_FIXED_BYTES,
			 err) != 0)
		return -1;
	memcpy(h->id, p + 16, BUNDLE_ID_BYTES);
	for (unsigned i = 0; i < h->nrecip; i++)
		memcpy(h->recip[i], p + BUNDLE_FIXED_BYTES + i * BUNDLE_STANZA_BYTES,
		       IDENTITY_KEYID_BYTES);
	h->size = size;
	*rawlen = len;
	return 0;
}

/* Hashes everything before the trailer's hash and compares. */
static int
check_trailer(int fd, uint64_t size, unsigned char hash[BUNDLE_HASH_BYTES], struct cimic_error *err)
{
	unsigned char t[BUNDLE_TRAILER_BYTES], buf[64u << 10], got[BUNDLE_HASH_BYTES];
	crypto_generichash_state hs;
	uint64_t off = 0, end = size - BUNDLE_HASH_BYTES;

	if (bundle_pread(fd, t, sizeof t, size - sizeof t, err) != 0)
		return -1;
	if (memcmp(t, BUNDLE_TRAILER_MAGIC, 8) != 0)
		return cimic_error_set(err, CIMIC_EDATA,
				       _("no bundle trailer at the end: truncated, or data appended"));
	if (util_le64(t + 8) != size)
		return cimic_error_set(err, CIMIC_EDATA,
				       _("the trailer gives %llu bytes but the file has %llu: truncated or extended"),
				       (unsigned long long)util_le64(t + 8), (unsigned long long)size);
	crypto_generichash_init(&hs, NULL, 0, BUNDLE_HASH_BYTES);
	while (off < end) {
		size_t n = end - off < sizeof buf ? (size_t)(end - off) : sizeof buf;
		if (bundle_pread(fd, buf, n, off, err) != 0)
			return -1;
		crypto_generichash_update(&hs, buf, n);
		off += n;
	}
	crypto_generichash_final(&hs, got, sizeof got);
	if (memcmp(got, t + 16, BUNDLE_HASH_BYTES) != 0)
		return cimic_error_set(err, CIMIC_EDATA,
				       _("the bundle is damaged: its hash does not match its trailer"));
	memcpy(hash, got, BUNDLE_HASH_BYTES);
	return 0;
}

int
bundle_check_fd(int fd, struct bundle_header *h, unsigned char *raw, size_t *rawlen,
		struct cimic_error *err)
{
	unsigned char hash[BUNDLE_HASH_BYTES];
	uint64_t size;

	if (bundle_file_size(fd, &size, err) != 0 || check_trailer(fd, size, hash, err) != 0 ||
	    bundle_parse_header(fd, size, h, raw, rawlen, err) != 0)
		return -1;
	memcpy(h->hash, hash, sizeof hash);
	return 0;
}

int
bundle_open_input(const char *path, struct cimic_error *err)
{
	int fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
	struct stat sb;

	if (fd < 0) {
		cimic_error_set(err, errno == ENOENT ? CIMIC_ENOINPUT : CIMIC_EIO,
				_("cannot open %s: %s"), path, strerror(errno));
		return -1;
	}
	if (fstat(fd, &sb) != 0) {
		cimic_error_set(err, CIMIC_EIO, _("cannot open %s: %s"), path, strerror(errno));
	} else if (S_ISREG(sb.st_mode)) {
		return fd;
	} else if (S_ISDIR(sb.st_mode)) {
		cimic_error_set(err, CIMIC_ENOINPUT, _("%s is a directory, not a bundle file"), path);
	} else if (S_ISFIFO(sb.st_mode)) {
		cimic_error_set(err, CIMIC_ENOINPUT,
				_("%s is a FIFO, not a bundle file: bundles are read from regular files only"),
				path);
	} else {
		cimic_error_set(err, CIMIC_ENOINPUT,
				_("%s is a device or a socket, not a bundle file: bundles are read from "
				  "regular files only"), path);
	}
	close(fd);
	return -1;
}

int
bundle_check(const char *path, struct bundle_header *h, struct cimic_error *err)
{
	unsigned char raw[BUNDLE_HEADER_BYTES(BUNDLE_MAX_RECIPIENTS)];
	size_t len;
	int fd = bundle_open_input(path, err), rc;

	if (fd < 0)
		return -1;
	rc = bundle_check_fd(fd, h, raw, &len, err);
	close(fd);
	return rc;
}

int
bundle_peek(const char *path, struct bundle_header *h, struct cimic_error *err)
{
	unsigned char raw[BUNDLE_HEADER_BYTES(BUNDLE_MAX_RECIPIENTS)];
	uint64_t size;
	size_t len;
	int fd = bundle_open_input(path, err), rc;

	if (fd < 0)
		return -1;
	rc = bundle_file_size(fd, &size, err);
	if (rc == 0)
		rc = bundle_parse_header(fd, size, h, raw, &len, err);
	close(fd);
	return rc;
}

void
bundle_recipient_id(const unsigned char sign_pk[IDENTITY_PK_BYTES], unsigned char out[IDENTITY_KEYID_BYTES])
{
	crypto_generichash_blake2b_salt_personal(out, IDENTITY_KEYID_BYTES, sign_pk, IDENTITY_PK_BYTES,
						 NULL, 0, NULL,
						 (const unsigned char *)BUNDLE_RECIPIENT_PERSONAL);
}

/* Bytes of a file holding len plaintext bytes in frames of 2^log2. */
static uint64_t
file_bytes(uint64_t len, size_t hdr_len, unsigned log2)
{
	uint64_t frames = (len + ((uint64_t)1 << log2) - 1) >> log2;

	return hdr_len + len + frames * (4 + BUNDLE_FRAME_OVERHEAD) + BUNDLE_TRAILER_BYTES;
}

uint64_t
bundle_padded_length(uint64_t len, size_t hdr_len, unsigned log2)
{
	uint64_t target = BUNDLE_PAD_MIN, step;
	int e = 0;

	if (len > BUNDLE_PAD_MIN) {
		while (((uint64_t)1 << (e + 1)) < len)
			e++;   /* 2^e < len <= 2^(e+1) */
		step = (uint64_t)1 << (e - 3);
		target = (len + step - 1) / step * step;
	}
	/* near the size limit: pad less (down to nothing) rather than refuse the bundle */
	while (target > len && file_bytes(target, hdr_len, log2) > BUNDLE_MAX_FILE)
		target = file_bytes(len, hdr_len, log2) > BUNDLE_MAX_FILE ? len
			 : target - ((target - len + 1) / 2);
	return target;
}

bool
bundle_is_for(const struct bundle_header *h, const unsigned char kid[IDENTITY_KEYID_BYTES])
{
	for (unsigned i = 0; i < h->nrecip && i < BUNDLE_MAX_RECIPIENTS; i++)
		if (memcmp(h->recip[i], kid, IDENTITY_KEYID_BYTES) == 0)
			return true;
	return false;
}
