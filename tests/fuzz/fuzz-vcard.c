/*
 * fuzz-vcard.c - libFuzzer target for the vCard reader: any input must
 * read or fail with CIMIC_EDATA and a "line N: " message; every value
 * read must be valid UTF-8 (except binary values) and unescape cleanly.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cimic/formats.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct vcard_doc doc;
	struct cimic_error err;

	if (vcard_read((const char *)data, size, &doc, &err) != 0) {
		if (err.code != CIMIC_EDATA || strncmp(err.msg, "line ", 5) != 0)
			abort();
		return 0;
	}
	for (size_t i = 0; i < doc.ncards; i++)
		for (size_t j = 0; j < doc.cards[i].nprops; j++) {
			const struct vcard_prop *p = &doc.cards[i].props[j];
			const char *enc = vcard_param(p, "ENCODING");
			char *v = vcard_component(p->value, 1);
			free(v);
			if (enc || vcard_has_type(p, "BASE64"))
				continue;
			if (!util_utf8_valid(p->value, strlen(p->value)))
				abort();
		}
	vcard_doc_finish(&doc);
	return 0;
}
