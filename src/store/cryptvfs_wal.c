/*
 * cryptvfs_wal.c - the WAL side of the "cimic-crypt" VFS: sealed page
 * images, authenticated and chained frame headers, and the seal record
 * that makes a dropped commit visible.
 *
 * Frames are classified by offset, never by call order (frame i starts
 * at 32 + i * (24 + 4096)); page images are sealed exactly as in the
 * database file (cryptvfs.c), so a checkpoint moves them unopened.
 *
 * Frame authentication.  SQLite's frame checksum (bytes 16-23 of the
 * frame header) is a running sum over every earlier frame header and
 * page of the generation, computed over plaintext.  On disk it is XORed
 * with a keyed BLAKE2b of (WAL salt, frame index, page number, commit
 * size), so without the key nobody can compute a header that SQLite
 * accepts: the checksum field becomes a 64-bit tag over the frame header
 * and page, chained through every earlier frame (and so through every
 * earlier commit).  A page image swapped for another authentic image of
 * the same page (the database's copy, an older frame) changes the
 * running sum; a frame moved to another index or given another page
 * number or commit size changes the mask.
 *
 * Chaining alone cannot tell a dropped final commit from a torn one, so
 * the VFS keeps a seal record beside the database (<db>-seal, 64 bytes,
 * written with one pwrite): the WAL salt, the number of frames up to the
 * last commit this store acknowledged, the tag of that commit frame's
 * page, and a keyed BLAKE2b over them and the database salt.  It is
 * written when a connection releases the WAL write lock after a commit
 * (after SQLite has synced the WAL with synchronous=FULL, so the seal
 * never claims more than the disk holds), and set to "no commit" (and
 * synced) before a new WAL generation's header is written and before the
 * WAL is truncated empty or deleted after a complete checkpoint.
 *
 * Recovery (SQLite reads the 32-byte WAL header only to recover) first
 * scans the whole WAL the way walIndexRecover() will, then refuses with
 * SQLITE_IOERR_DATA when
 *   - fewer intact frames remain than the seal records, or the sealed
 *     commit frame is another one (truncated, dropped, rolled back);
 *   - a frame fails before a later commit frame that authenticates
 *     (altered, replaced, reordered in the middle of the log);
 *   - the seal is damaged, or missing beside a WAL that holds frames.
 * Only frames after the last sealed commit that do not form a complete
 * commit are dropped, as the torn end of the log.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <sodium.h>

#include "cryptvfs_private.h"

#define SEAL_LEN 64
#define SEAL_MAC_AT 36
#define WAL_MAGIC 0x377f0682u
#define WAL_VERSION 3007000u

static const unsigned char seal_magic[8] = { 'C', 'I', 'M', 'S', 'E', 'A', 'L', '1' };

static uint32_t
get_le32(const unsigned char *p)
{
	return (uint32_t)p[3] << 24 | (uint32_t)p[2] << 16 | (uint32_t)p[1] << 8 | p[0];
}

/* SQLite's walChecksumBytes(): big-endian words when the magic's low bit is set. */
static void
wal_checksum(bool big, const unsigned char *a, size_t n, uint32_t s[2])
{
	for (size_t i = 0; i + 8 <= n; i += 8) {
		uint32_t x = big ? cryptvfs_get_be32(a + i) : get_le32(a + i);
		uint32_t y = big ? cryptvfs_get_be32(a + i + 4) : get_le32(a + i + 4);
		s[0] += x + s[1];
		s[1] += y + s[0];
	}
}

/* ---- the seal record ---- */

static int
seal_open(struct crypt_file *db, bool create)
{
	char path[4096];

	if (db->seal_fd >= 0)
		return db->seal_fd;
	if (db->name == NULL || snprintf(path, sizeof path, "%s-seal", db->name) >= (int)sizeof path)
		return -1;
	db->seal_fd = open(path, O_RDWR | O_CLOEXEC | O_NOFOLLOW | (create ? O_CREAT : 0), 0600);
	return db->seal_fd;
}

void
cryptvfs_wal_seal_close(struct crypt_file *db)
{
	if (db->seal_fd >= 0)
		close(db->seal_fd);
	db->seal_fd = -1;
}

static void
seal_mac(const struct crypt_file *db, const unsigned char *rec, unsigned char mac[16])
{
	crypto_generichash_state st;

	crypto_generichash_init(&st, db->keys->seal, 32, 16);
	crypto_generichash_update(&st, rec, SEAL_MAC_AT);
	crypto_generichash_update(&st, db->salt, SALTBYTES);
	crypto_generichash_final(&st, mac, 16);
}

static int
seal_write(struct crypt_file *db, const unsigned char salt[8], uint32_t frames,
	   const unsigned char tag[16], bool sync)
{
	unsigned char rec[SEAL_LEN] = { 0 };
	int fd = seal_open(db, true);

	if (fd < 0)
		return SQLITE_IOERR_WRITE;
	memcpy(rec, seal_magic, 8);
	memcpy(rec + 8, salt, 8);
	cryptvfs_put_be32(rec + 16, frames);
	memcpy(rec + 20, tag, 16);
	seal_mac(db, rec, rec + SEAL_MAC_AT);
	if (pwrite(fd, rec, SEAL_LEN, 0) != SEAL_LEN)
		return SQLITE_IOERR_WRITE;
	if (sync && fdatasync(fd) != 0)
		return SQLITE_IOERR_FSYNC;
	return SQLITE_OK;
}

/* 1: read and authentic, 0: no seal file, -1: damaged, -2: I/O error. */
static int
seal_read(struct crypt_file *db, unsigned char rec[SEAL_LEN])
{
	unsigned char mac[16];
	int fd = seal_open(db, false);
	ssize_t n;

	if (fd < 0)
		return errno == ENOENT ? 0 : -2;
	n = pread(fd, rec, SEAL_LEN, 0);
	if (n < 0)
		return -2;
	if (n == 0)
		return 0;   /* created, never written: a crash before the first write */
	if (n != SEAL_LEN || memcmp(rec, seal_magic, 8) != 0)
		return -1;
	seal_mac(db, rec, mac);
	return sodium_memcmp(mac, rec + SEAL_MAC_AT, 16) == 0 ? 1 : -1;
}

int
cryptvfs_wal_seal_empty(struct crypt_file *db)
{
	static const unsigned char zero[16];

	if (db->keys == NULL)
		return SQLITE_OK;
	return seal_write(db, zero, 0, zero, true);
}

/* ---- masking ---- */

static int
wal_salt(struct crypt_file *f, unsigned char salt[8])
{
	if (!f->wal_salt_known) {
		if (f->real->pMethods->xRead(f->real, f->wal_salt, 8, 16) != SQLITE_OK)
			return SQLITE_IOERR_READ;
		f->wal_salt_known = true;
	}
	memcpy(salt, f->wal_salt, 8);
	return SQLITE_OK;
}

/*
 * XORs the keyed mask over the checksum bytes (16-23) of frame `frame`
 * whose header starts with `hdr` (page number, commit size).
 */
static void
mask_with(const struct crypt_file *f, const unsigned char salt[8], sqlite3_int64 frame,
	  const unsigned char hdr[8], unsigned char *cksum)
{
	unsigned char in[24], mask[8];

	memcpy(in, salt, 8);
	for (int i = 0; i < 8; i++)
		in[8 + i] = (unsigned char)((uint64_t)frame >> (8 * i));
	memcpy(in + 16, hdr, 8);
	crypto_generichash(mask, sizeof mask, in, sizeof in, f->db->keys->mask, 32);
	for (int i = 0; i < 8; i++)
		cksum[i] ^= mask[i];
}

static int
wal_mask(struct crypt_file *f, sqlite3_int64 frame, const unsigned char hdr[8],
	 unsigned char *cksum)
{
	unsigned char salt[8];

	if (wal_salt(f, salt) != SQLITE_OK)
		return SQLITE_IOERR_READ;
	mask_with(f, salt, frame, hdr, cksum);
	return SQLITE_OK;
}

static int
wal_frame_pgno(struct crypt_file *f, sqlite3_int64 hdr_off, uint32_t *pgno)
{
	unsigned char num[4];

	if (f->last_hdr_off == hdr_off) {
		*pgno = f->last_hdr_pgno;
		return SQLITE_OK;
	}
	if (f->real->pMethods->xRead(f->real, num, 4, hdr_off) != SQLITE_OK)
		return SQLITE_IOERR_READ;
	*pgno = cryptvfs_get_be32(num);
	return SQLITE_OK;
}

/* ---- scanning ---- */

/* Is the 32-byte WAL header one SQLite accepts?  Fills the salt and the initial sum. */
static bool
header_valid(const unsigned char *h, bool *big, uint32_t s[2])
{
	uint32_t magic = cryptvfs_get_be32(h);

	if ((magic & ~1u) != WAL_MAGIC || cryptvfs_get_be32(h + 8) != PAGE ||
	    cryptvfs_get_be32(h + 4) != WAL_VERSION)
		return false;
	*big = magic & 1;
	s[0] = s[1] = 0;
	wal_checksum(*big, h, 24, s);
	return s[0] == cryptvfs_get_be32(h + 24) && s[1] == cryptvfs_get_be32(h + 28);
}

/*
 * After the valid prefix ended at frame `from`: does a later frame of
 * the same generation mark a commit and authenticate?  Then the prefix
 * did not end at a torn write.
 */
static bool
later_commit_ok(struct crypt_file *w, unsigned char *buf, const unsigned char salt[8],
		sqlite3_int64 from, sqlite3_int64 size)
{
	for (sqlite3_int64 off = WAL_HDR + (from + 1) * FRAME; off + FRAME <= size; off += FRAME) {
		if (w->real->pMethods->xRead(w->real, buf, FRAME, off) != SQLITE_OK ||
		    memcmp(buf + 8, salt, 8) != 0)
			continue;
		if (cryptvfs_get_be32(buf + 4) != 0 &&
		    cryptvfs_page_open(w->db, cryptvfs_get_be32(buf), buf + FRAME_HDR))
			return true;
	}
	return false;
}

struct scan_state {
	bool have_header;
	unsigned char salt[8];
	bool sealed_ok;          /* the sealed commit frame is in the prefix, same tag */
	uint32_t bad_pgno;
	sqlite3_int64 size;
};

static int
scan_frames(struct crypt_file *w, unsigned char *buf, const unsigned char *seal,
	    uint32_t sealed, struct wal_verdict *v, struct scan_state *st)
{
	uint32_t s[2];
	bool big;

	if (w == NULL || w->real->pMethods->xFileSize(w->real, &st->size) != SQLITE_OK)
		return w == NULL ? SQLITE_OK : SQLITE_IOERR_READ;
	if (st->size < WAL_HDR)
		return SQLITE_OK;
	if (w->real->pMethods->xRead(w->real, buf, WAL_HDR, 0) != SQLITE_OK)
		return SQLITE_IOERR_READ;
	if (!header_valid(buf, &big, s))
		return SQLITE_OK;
	st->have_header = true;
	memcpy(st->salt, buf + 16, 8);
	for (sqlite3_int64 i = 0, off = WAL_HDR; off + FRAME <= st->size; i++, off += FRAME) {
		unsigned char tag[16];
		uint32_t pgno;

		if (w->real->pMethods->xRead(w->real, buf, FRAME, off) != SQLITE_OK)
			return SQLITE_IOERR_READ;
		pgno = cryptvfs_get_be32(buf);
		st->bad_pgno = pgno;
		if (memcmp(buf + 8, st->salt, 8) != 0 || pgno == 0)
			break;
		mask_with(w, st->salt, i, buf, buf + 16);
		memcpy(tag, buf + FRAME_HDR + TAG_AT, 16);
		if (!cryptvfs_page_open(w->db, pgno, buf + FRAME_HDR))
			break;
		wal_checksum(big, buf, 8, s);
		wal_checksum(big, buf + FRAME_HDR, PAGE, s);
		if (s[0] != cryptvfs_get_be32(buf + 16) || s[1] != cryptvfs_get_be32(buf + 20))
			break;
		v->frames = (uint32_t)i + 1;
		if (cryptvfs_get_be32(buf + 4) != 0) {
			v->intact = v->frames;
			if (v->frames == sealed && seal != NULL &&
			    sodium_memcmp(tag, seal + 20, 16) == 0)
				st->sealed_ok = true;
		}
	}
	return SQLITE_OK;
}

int
cryptvfs_wal_scan(struct crypt_file *db, struct crypt_file *w, struct wal_verdict *v)
{
	unsigned char seal[SEAL_LEN], *buf = sqlite3_malloc(FRAME);
	struct scan_state st = { 0 };
	uint32_t sealed = 0;
	int have_seal, rc;

	memset(v, 0, sizeof *v);
	if (buf == NULL)
		return SQLITE_NOMEM;
	have_seal = seal_read(db, seal);
	if (have_seal == -2) {
		rc = SQLITE_IOERR_READ;
		goto done;
	}
	if (have_seal == 1)
		sealed = cryptvfs_get_be32(seal + 16);
	v->sealed = sealed;
	rc = scan_frames(w, buf, have_seal == 1 ? seal : NULL, sealed, v, &st);
	if (rc != SQLITE_OK)
		goto done;
	if (have_seal == -1 || (have_seal == 0 && v->frames > 0)) {
		v->fault = WAL_SEAL_BAD;
	} else if (st.have_header && st.size >= WAL_HDR + (sqlite3_int64)(v->frames + 1) * FRAME &&
		   later_commit_ok(w, buf, st.salt, v->frames, st.size)) {
		v->fault = WAL_FRAME_BAD;
		v->frame = v->frames + 1;
		v->pgno = st.bad_pgno;
	} else if (sealed > 0 && (!st.have_header || memcmp(st.salt, seal + 8, 8) != 0 ||
				  !st.sealed_ok)) {
		bool in_file = st.have_header && memcmp(st.salt, seal + 8, 8) == 0 &&
			       st.size >= WAL_HDR + (sqlite3_int64)sealed * FRAME;
		v->fault = in_file ? WAL_FRAME_BAD : WAL_COMMITS_LOST;
		v->frame = v->frames < sealed ? v->frames + 1 : sealed;
		v->pgno = v->frames < sealed ? st.bad_pgno : 0;
	}
done:
	sodium_memzero(buf, FRAME);
	sqlite3_free(buf);
	return rc;
}

void
cryptvfs_wal_commit_done(struct crypt_file *db)
{
	struct crypt_file *w = db->wal;
	uint32_t c = w->commit_pending;
	unsigned char *buf = w->scratch, tag[16];
	sqlite3_int64 off = WAL_HDR + (sqlite3_int64)(c - 1) * FRAME;

	w->commit_pending = 0;
	if (w->real->pMethods->xRead(w->real, buf, FRAME, off) != SQLITE_OK ||
	    !w->wal_salt_known || memcmp(buf + 8, w->wal_salt, 8) != 0 ||
	    cryptvfs_get_be32(buf + 4) == 0)
		return;
	memcpy(tag, buf + FRAME_HDR + TAG_AT, 16);
	if (!cryptvfs_page_open(db, cryptvfs_get_be32(buf), buf + FRAME_HDR)) {
		sodium_memzero(buf, FRAME);
		return;
	}
	sodium_memzero(buf, FRAME);
	if (seal_write(db, w->wal_salt, c, tag, false) != SQLITE_OK)
		sqlite3_log(SQLITE_IOERR_WRITE, "cimic-crypt: the WAL seal was not updated");
}

/* ---- reads ---- */

/*
 * A whole frame read (recovery, checksum rewrite): unmask, then open the
 * page.  Frames are opened whatever salt their header shows: inside a
 * transaction that rewrote a frame SQLite writes headers with zero salt
 * and checksum (walEncodeFrame with iReCksum set) and walRewriteChecksums
 * later reads them back expecting plaintext.
 */
static int
wal_read_frame(struct crypt_file *f, unsigned char *buf, sqlite3_int64 frame)
{
	uint32_t pgno = cryptvfs_get_be32(buf);
	sqlite3_int64 size;

	if (wal_mask(f, frame, buf, buf + 16) != SQLITE_OK)
		return SQLITE_IOERR_READ;
	if (cryptvfs_page_open(f->db, pgno, buf + FRAME_HDR))
		return SQLITE_OK;
	if (memcmp(buf + 8, f->wal_salt, 8) == 0 &&
	    f->real->pMethods->xFileSize(f->real, &size) == SQLITE_OK &&
	    later_commit_ok(f, f->scratch, f->wal_salt, frame, size)) {
		sodium_memzero(f->scratch, FRAME);
		cryptvfs_note_failure(f, pgno);
		return SQLITE_IOERR_DATA;
	}
	sodium_memzero(f->scratch, FRAME);
	/*
	 * The torn end of the log, or a frame of an older generation that
	 * SQLite ignores anyway: random bytes make its checksum stop here.
	 */
	sqlite3_log(SQLITE_NOTICE, "cimic-crypt: WAL frame %lld (page %u) does not open, "
		    "the log ends there", (long long)frame + 1, (unsigned)pgno);
	randombytes_buf(buf + FRAME_HDR, PAGE);
	return SQLITE_OK;
}

/* SQLite reads the WAL header only to recover: check the whole log first. */
static int
wal_recover_check(struct crypt_file *f)
{
	struct wal_verdict v;
	int rc = cryptvfs_wal_scan(f->db, f, &v);

	if (rc != SQLITE_OK)
		return rc;
	if (v.fault == WAL_SOUND)
		return SQLITE_OK;
	f->db->fail_wal = v;
	sqlite3_log(SQLITE_IOERR_DATA, "cimic-crypt: the WAL was tampered with (fault %d, frame "
		    "%u, %u sealed, %u intact)", (int)v.fault, (unsigned)v.frame,
		    (unsigned)v.sealed, (unsigned)v.intact);
	return SQLITE_IOERR_DATA;
}

int
cryptvfs_wal_read(struct crypt_file *f, unsigned char *buf, int amt, sqlite3_int64 off)
{
	sqlite3_int64 frame = (off - WAL_HDR) / FRAME, at = (off - WAL_HDR) % FRAME;
	unsigned char hdr[8];
	uint32_t pgno;
	int rc = f->real->pMethods->xRead(f->real, buf, amt, off);

	if (rc == SQLITE_IOERR_SHORT_READ)
		memset(buf, 0, (size_t)amt);
	if (rc != SQLITE_OK)
		return rc;
	if (off < WAL_HDR) {
		if (off == 0 && amt >= 24) {
			memcpy(f->wal_salt, buf + 16, 8);
			f->wal_salt_known = true;
		}
		if (off == 0 && amt == WAL_HDR && (rc = wal_recover_check(f)) != SQLITE_OK)
			return rc;
		return off + amt <= WAL_HDR ? SQLITE_OK : SQLITE_IOERR_READ;
	}
	if (at == 0 && amt == FRAME) {
		if ((rc = wal_salt(f, f->scratch)) != SQLITE_OK)
			return rc;
		return wal_read_frame(f, buf, frame);
	}
	if (at == 0 && amt == FRAME_HDR)
		return wal_mask(f, frame, buf, buf + 16);
	if (at == 16 && amt == 8) {
		if (f->real->pMethods->xRead(f->real, hdr, 8, off - 16) != SQLITE_OK)
			return SQLITE_IOERR_READ;
		return wal_mask(f, frame, hdr, buf);
	}
	if (at != FRAME_HDR || amt != PAGE)
		return SQLITE_IOERR_READ;
	if (f->db->in_checkpoint)
		return SQLITE_OK;
	if ((rc = wal_frame_pgno(f, off - FRAME_HDR, &pgno)) != SQLITE_OK)
		return rc;
	if (!cryptvfs_page_open(f->db, pgno, buf)) {
		cryptvfs_note_failure(f, pgno);
		return SQLITE_IOERR_DATA;
	}
	return SQLITE_OK;
}

/* ---- writes ---- */

static int
wal_write_header(struct crypt_file *f, const unsigned char *buf, int amt, sqlite3_int64 off)
{
	int rc;

	if (off + amt > WAL_HDR)
		return SQLITE_IOERR_WRITE;
	if (off == 0 && amt >= 24) {
		/* A new generation: the seal stops naming the old one before the header says so. */
		static const unsigned char zero[16];
		if ((rc = seal_write(f->db, buf + 16, 0, zero, true)) != SQLITE_OK)
			return rc;
		memcpy(f->wal_salt, buf + 16, 8);
		f->wal_salt_known = true;
		f->commit_pending = 0;
	}
	return f->real->pMethods->xWrite(f->real, buf, amt, off);
}

int
cryptvfs_wal_write(struct crypt_file *f, const unsigned char *buf, int amt, sqlite3_int64 off)
{
	sqlite3_int64 frame = (off - WAL_HDR) / FRAME, at = (off - WAL_HDR) % FRAME;
	unsigned char *out = f->scratch;
	uint32_t pgno;
	int rc;

	if (off < WAL_HDR)
		return wal_write_header(f, buf, amt, off);
	if (at == 0 && (amt == FRAME_HDR || amt == FRAME)) {
		memcpy(out, buf, FRAME_HDR);
		if ((rc = wal_mask(f, frame, buf, out + 16)) != SQLITE_OK)
			return rc;
		f->last_hdr_off = off;
		f->last_hdr_pgno = cryptvfs_get_be32(buf);
		/* A commit frame of this generation (not a zero-salt placeholder). */
		if (cryptvfs_get_be32(buf + 4) != 0 && memcmp(buf + 8, f->wal_salt, 8) == 0 &&
		    (uint32_t)frame + 1 > f->commit_pending)
			f->commit_pending = (uint32_t)frame + 1;
		if (amt == FRAME_HDR)
			return f->real->pMethods->xWrite(f->real, out, amt, off);
		buf += FRAME_HDR;
		out += FRAME_HDR;
		off += FRAME_HDR;
	} else if (at != FRAME_HDR || amt != PAGE) {
		sqlite3_log(SQLITE_IOERR_WRITE, "cimic-crypt: WAL write of %d at %lld refused",
			    amt, (long long)off);
		return SQLITE_IOERR_WRITE;
	}
	if ((rc = wal_frame_pgno(f, off - FRAME_HDR, &pgno)) != SQLITE_OK)
		return rc;
	if (pgno == 0 || !cryptvfs_is_zero(buf + USABLE, RESERVE))
		return SQLITE_IOERR_WRITE;
	cryptvfs_page_seal(f->db, pgno, buf, out);
	return f->real->pMethods->xWrite(f->real, f->scratch, amt, off - (out - f->scratch));
}
