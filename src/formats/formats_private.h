/*
 * formats_private.h - the formats folder's functions that only it and
 * the tests call.
 */
#ifndef CIMIC_SRC_FORMATS_PRIVATE_H
#define CIMIC_SRC_FORMATS_PRIVATE_H

#include "cimic/formats.h"

/*
 * Reads a whole HXL CSV document held in memory (the import streams
 * instead: hxl_read_columns, then csv_read row by row).
 */
int hxl_read(const char *data, size_t len, struct hxl_doc *doc, struct cimic_error *err);

#endif
