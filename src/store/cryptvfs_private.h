/*
 * cryptvfs_private.h - private to src/cryptvfs*.c: the page layout and
 * the per-file state of the encrypting VFS (see cryptvfs.c).
 */
#ifndef CIMIC_SRC_CRYPTVFS_PRIVATE_H
#define CIMIC_SRC_CRYPTVFS_PRIVATE_H

#include <stdbool.h>
#include <stddef.h>
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
	unsigned char seal[32];   /* authenticates the WAL seal record */
};

/* What a scan of the WAL found (cryptvfs_wal.c). */
enum wal_fault {
	WAL_SOUND,          /* every sealed commit intact; a torn tail at most */
	WAL_FRAME_BAD,      /* a frame before an intact later commit was altered */
	WAL_COMMITS_LOST,   /* fewer intact frames than the seal records */
	WAL_SEAL_BAD,       /* the seal is missing or does not authenticate */
};

struct wal_verdict {
	enum wal_fault fault;
	uint32_t frame;    /* WAL_FRAME_BAD: 1-based index of the first bad frame */
	uint32_t pgno;     /* WAL_FRAME_BAD: its page number */
	uint32_t sealed;   /* frames the seal records as committed */
	uint32_t intact;   /* frames up to the last intact commit */
	uint32_t frames;   /* intact frames scanned (the valid prefix) */
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
	/* main: the WAL scan that refused recovery, for error messages */
	struct wal_verdict fail_wal;
	/* main: the seal file (<db>-seal), opened on first use, -1 until then */
	int seal_fd;
	/* WAL: frames (1-based count) of the commit this connection wrote, 0 if none */
	uint32_t commit_pending;
};

/* Our part of SQLite's file allocation; the unix file follows, 8-byte aligned. */
#define CRYPT_FILE_SIZE ((sizeof(struct crypt_file) + 7) / 8 * 8)

/* ---- page images (cryptvfs_page.c) ---- */
/* Page 1 bytes 16-23 describe our format: 4096-byte pages, 40 reserved, 64/32/32. */
bool cryptvfs_page1_format_ok(const unsigned char *p);
/* Empties this thread's nonce pool (pthread_atfork child handler). */
void cryptvfs_nonce_pool_forget(void);
/*
 * Authenticates and decrypts page pgno of db in place; false (page
 * zeroed) when it does not authenticate.
 */
bool cryptvfs_page_open(const struct crypt_file *db, uint32_t pgno, unsigned char *buf);
/* Seals plaintext page `in` into `out` (distinct buffers). */
void cryptvfs_page_seal(const struct crypt_file *db, uint32_t pgno, const unsigned char *in,
			unsigned char *out);
uint32_t cryptvfs_get_be32(const unsigned char *p);
void cryptvfs_put_be32(unsigned char *p, uint32_t v);
bool cryptvfs_is_zero(const unsigned char *p, size_t n);
/* Records page pgno of file f as failed for cryptvfs_error() and logs it. */
void cryptvfs_note_failure(struct crypt_file *f, uint32_t pgno);

/* ---- WAL (cryptvfs_wal.c) ---- */
int cryptvfs_wal_read(struct crypt_file *f, unsigned char *buf, int amt, sqlite3_int64 off);
int cryptvfs_wal_write(struct crypt_file *f, const unsigned char *buf, int amt,
		       sqlite3_int64 off);
/*
 * Scans the WAL `w` of its database against the seal: the valid prefix
 * SQLite's recovery will accept and whether anything before the last
 * sealed or intact commit was changed, dropped or reordered.  A missing
 * or empty WAL (w NULL) is checked against the seal of `db` too.
 * Returns SQLITE_OK (see v->fault) or an I/O error.
 */
int cryptvfs_wal_scan(struct crypt_file *db, struct crypt_file *w, struct wal_verdict *v);
/* The write lock is being released: record this connection's commit in the seal. */
void cryptvfs_wal_commit_done(struct crypt_file *db);
/*
 * The WAL is about to be deleted or truncated empty after a complete
 * checkpoint: the seal records no commit (synced before returning).
 */
int cryptvfs_wal_seal_empty(struct crypt_file *db);
/* Closes the seal file of the main database `db`. */
void cryptvfs_wal_seal_close(struct crypt_file *db);

#endif
