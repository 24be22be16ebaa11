/* entry.h - private to src/: encoding entries (decoding is in oplog.h). */
#ifndef CIMIC_SRC_ENTRY_H
#define CIMIC_SRC_ENTRY_H

#include "cimic/oplog.h"
#include "cimic/util.h"

void entry_encode_header(struct buf *b, const unsigned char author[32], uint64_t seq,
			 const unsigned char prev[32], uint64_t hlc, uint32_t nops);
void entry_encode_op(struct buf *b, const struct oplog_op *op);
/* Encoded size of an op. */
size_t entry_op_size(const struct oplog_op *op);
/* Appends the signature and computes the entry hash. */
int entry_seal(struct buf *b, const unsigned char *sign_sk, unsigned char hash[OPLOG_HASH_BYTES],
	       struct cimic_error *err);

#endif
