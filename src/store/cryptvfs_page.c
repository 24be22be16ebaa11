/*
 * cryptvfs_page.c - sealing and opening one page image of the
 * "cimic-crypt" VFS (the format is described in cryptvfs.c): the
 * additional data, the per-thread nonce pool, and where a failure is
 * recorded for cryptvfs_error().
 */
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include <sodium.h>

#include "cryptvfs.h"
#include "cryptvfs_private.h"

static const unsigned char format_tag[8] = { 'C', 'I', 'M', 'I', 'C', 'P', 'G', '1' };

uint32_t
cryptvfs_get_be32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

void
cryptvfs_put_be32(unsigned char *p, uint32_t v)
{
	p[0] = (unsigned char)(v >> 24);
	p[1] = (unsigned char)(v >> 16);
	p[2] = (unsigned char)(v >> 8);
	p[3] = (unsigned char)v;
}

bool
cryptvfs_is_zero(const unsigned char *p, size_t n)
{
	unsigned char acc = 0;

	for (size_t i = 0; i < n; i++)
		acc |= p[i];
	return acc == 0;
}

/* Page 1 bytes 16-23 must describe our format: 4096-byte pages, 40 reserved, 64/32/32. */
bool
cryptvfs_page1_format_ok(const unsigned char *p)
{
	return p[16] == 0x10 && p[17] == 0x00 && p[18] >= 1 && p[18] <= 2 && p[19] >= 1 &&
	       p[19] <= 2 && p[20] == RESERVE && p[21] == 64 && p[22] == 32 && p[23] == 32;
}

static size_t
make_ad(unsigned char ad[44], const unsigned char salt[SALTBYTES], uint32_t pgno,
	const unsigned char *page)
{
	memcpy(ad, format_tag, 8);
	memcpy(ad + 8, salt, SALTBYTES);
	cryptvfs_put_be32(ad + 24, pgno);
	if (pgno != 1)
		return 28;
	memcpy(ad + 28, page + 16, 8);
	return 36;
}

/*
 * Page nonces come from a per-thread pool of random bytes refilled 170
 * nonces at a time (one getrandom() call instead of one per page).
 * Nonces are public, so the pool needs no wiping; it must never be
 * shared by two processes, so a fork empties it in the child
 * (pthread_atfork, registered with the VFS).
 */
#define NONCE_BYTES crypto_aead_xchacha20poly1305_ietf_NPUBBYTES
#define NONCE_POOL (170 * NONCE_BYTES)

static _Thread_local unsigned char nonce_pool[NONCE_POOL];
static _Thread_local size_t nonce_left;

void
cryptvfs_nonce_pool_forget(void)
{
	nonce_left = 0;
}

static void
nonce_next(unsigned char *out)
{
	if (nonce_left < NONCE_BYTES) {
		randombytes_buf(nonce_pool, sizeof nonce_pool);
		nonce_left = sizeof nonce_pool;
	}
	memcpy(out, nonce_pool + sizeof nonce_pool - nonce_left, NONCE_BYTES);
	nonce_left -= NONCE_BYTES;
}

/* Seals plaintext page `in` into `out` (distinct buffers); SQLite's buffer is never modified. */
void
cryptvfs_page_seal(const struct crypt_file *db, uint32_t pgno, const unsigned char *in,
		   unsigned char *out)
{
	size_t skip = pgno == 1 ? 24 : 0, adlen;
	unsigned char ad[44];

	memcpy(out, in, skip);
	if (pgno == 1)
		memcpy(out, db->salt, SALTBYTES);
	adlen = make_ad(ad, db->salt, pgno, in);
	nonce_next(out + NONCE_AT);
	crypto_aead_xchacha20poly1305_ietf_encrypt_detached(out + skip, out + TAG_AT, NULL,
		in + skip, USABLE - skip, ad, adlen, NULL, out + NONCE_AT, db->keys->page);
}

/*
 * Opens a sealed page in place.  On success the buffer holds what SQLite
 * wrote: the "SQLite format 3" magic back on page 1 and zero reserve
 * bytes (SQLite's WAL checksums cover the whole page, so they must
 * round-trip).  Returns false, with the page zeroed, when the page does
 * not authenticate.
 */
bool
cryptvfs_page_open(const struct crypt_file *db, uint32_t pgno, unsigned char *buf)
{
	size_t skip = pgno == 1 ? 24 : 0, adlen;
	unsigned char ad[44];
	int rc;

	if (pgno == 0 || (pgno == 1 && sodium_memcmp(buf, db->salt, SALTBYTES) != 0))
		goto fail;
	adlen = make_ad(ad, db->salt, pgno, buf);
	rc = crypto_aead_xchacha20poly1305_ietf_decrypt_detached(buf + skip, NULL, buf + skip,
		USABLE - skip, buf + TAG_AT, ad, adlen, buf + NONCE_AT, db->keys->page);
	if (rc != 0)
		goto fail;
	if (pgno == 1)
		memcpy(buf, "SQLite format 3", 16);
	memset(buf + USABLE, 0, RESERVE);
	return true;
fail:
	memset(buf, 0, PAGE);
	return false;
}

void
cryptvfs_note_failure(struct crypt_file *f, uint32_t pgno)
{
	f->db->fail_pgno = pgno;
	f->db->fail_kind = f->kind;
	sqlite3_log(SQLITE_IOERR_DATA, "cimic-crypt: page %u of %s failed authentication",
		    (unsigned)pgno, f->kind == CRYPT_MAIN ? "the database" :
		    f->kind == CRYPT_WAL ? "the WAL" : "the journal");
}

