/*
 * cryptvfs_private.h - private to src/cryptvfs*.c: the page layout and
 * the per-file state of the encrypting VFS (see cryptvfs.c).
 */
#ifndef CIMIC_SRC_CRYPTVFS_PRIVATE_H
#define CIMIC_SRC_CRYPTVFS_PRIVATE_H

#include <stdbool.h>
#include <stdint.h>

#include <sodium.h>
#include <sqlite3.h>

#define CRYPTVFS_FCNTL_KEY 0x43494d01
#define CRYPTVFS_FCNTL_SELF 0x43494d02

#define PAGE 4096
#define RESERVE 40
#define USABLE (PAGE - RESERVE)
#define NONCE_AT USABLE
#define TAG_AT (USABLE + crypto_aead_xchacha20poly1305_ietf_NPUBBYTES)
#define SALTBYTES 16
#define WAL_HDR 32
#define FRAME_HDR 24
#define FRAME (FRAME_HDR + PAGE)
#define KEY_PROBE_PAGES 8

struct crypt_key_arg {
	const unsigned char *key;   /* CRYPTVFS_KEYBYTES, borrowed */
	int create;                 /* may an empty file become a new store? */
	int is_new;                 /* OUT: the file was empty */
};

enum crypt_kind { CRYPT_MAIN, CRYPT_JOURNAL, CRYPT_WAL, CRYPT_PASS };

struct crypt_keys {
	unsigned char page[32];   /* seals pages */
	unsigned char mask[32];   /* masks WAL frame checksums */
};

struct crypt_file {
	sqlite3_file base;          /* must be first: SQLite sees this */
	sqlite3_file *real;         /* the unix file, stored right after this struct */
	enum crypt_kind kind;
	struct crypt_file *db;      /* journal/WAL: their database (not owned); main: itself */
	struct crypt_keys *keys;    /* main only: owned, sodium_malloc, NULL until keyed */
	unsigned char salt[SALTBYTES];
	unsigned char *scratch;     /* owned, sqlite3_malloc, FRAME bytes */
	const char *name;           /* main: owned by SQLite, valid until close */
	struct crypt_file *wal;     /* main: its open WAL (not owned) */
	/* journal: the last 4-byte write, the page number of a following page image */
	sqlite3_int64 last4_off;
	uint32_t last4_pgno;
	/* WAL: salt of the current generation and the last frame header written */
	unsigned char wal_salt[8];
	bool wal_salt_known;
	sqlite3_int64 last_hdr_off;
	uint32_t last_hdr_pgno;
	/* main: inside a checkpoint, pages move from WAL to database still sealed */
	bool in_checkpoint;
	/* main: the last page that failed authentication, for error messages */
	uint32_t fail_pgno;
	enum crypt_kind fail_kind;
};

/* Our part of SQLite's file allocation; the unix file follows, 8-byte aligned. */
#define CRYPT_FILE_SIZE ((sizeof(struct crypt_file) + 7) / 8 * 8)

/*
 * Authenticates and decrypts page pgno of db in place; false (page
 * zeroed) when it does not authenticate.
 */
bool cryptvfs_page_open(const struct crypt_file *db, uint32_t pgno, unsigned char *buf);
uint32_t cryptvfs_get_be32(const unsigned char *p);

#endif
