/*
 * duplicates_private.h - what the duplicate finders of src/model/ share:
 * blocking keys and turning blocks into scored pairs.
 */
#ifndef CIMIC_SRC_MODEL_DUPLICATES_PRIVATE_H
#define CIMIC_SRC_MODEL_DUPLICATES_PRIVATE_H

#include <stdint.h>

#include "cimic/duplicates.h"

struct store;

/* FNV-1a of n bytes (never 0). */
uint64_t dup_hash(const char *s, size_t n, uint64_t seed);
/* dup_hash of a text's gazetteer key (case, apostrophes, script folded); 0 when empty or NULL. */
uint64_t dup_text_key(const char *text, uint64_t seed);
/* Does a record's distinct_from name other? */
bool dup_dismissed(const char *distinct, const unsigned char other[CIMIC_ID_BYTES]);

struct dup_key {
	uint64_t key;
	uint32_t idx;      /* record index */
};
struct dup_keys {
	struct dup_key *v;
	size_t n, cap;
	bool failed;
};
void dup_keys_init(struct dup_keys *k);
void dup_keys_finish(struct dup_keys *k);
void dup_keys_add(struct dup_keys *k, uint64_t key, uint32_t idx);

/* Scores records i and j: true (score, reasons set) when the pair is proposed. */
typedef int (*dup_score_fn)(void *arg, uint32_t i, uint32_t j, int *score, unsigned *reasons);
typedef const unsigned char *(*dup_id_fn)(void *arg, uint32_t i);
/*
 * Sorts the keys, scores each pair of records that share a key held by
 * at most block_max records (once per pair), appends the proposed ones
 * to out, best first.
 */
int dup_pairs_from_keys(struct dup_keys *k, size_t block_max, dup_score_fn score, dup_id_fn id,
			void *arg, struct dup_list *out, struct cimic_error *err);

int dup_find_contacts(struct store *st, struct dup_list *out, struct cimic_error *err);
int dup_find_incidents(struct store *st, struct dup_list *out, struct cimic_error *err);

#endif
