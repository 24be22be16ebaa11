/*
 * fold.h - the one way cimic folds text before it compares it.
 *
 * Search, the gazetteer and the duplicate finder all compare what an
 * officer typed with what the store holds through fold_text(), so
 * "Слов'янськ", "СЛОВ’ЯНСЬК" and "Словʼянськ" with a pasted stress mark
 * meet wherever they are compared.  Built on libutf8proc (Unicode case
 * folding and normalisation); only the Ukrainian apostrophes are a
 * hand-written list.
 */
#ifndef CIMIC_FOLD_H
#define CIMIC_FOLD_H

/*
 * Changes whenever fold_text() would fold some text differently; the
 * store keeps the version its search index and gazetteer keys were made
 * with and rebuilds them when it differs.
 */
#define FOLD_VERSION 1

/*
 * Folds text: bad UTF-8 bytes become U+FFFD; Unicode case folding
 * (А->а, Ґ->ґ, É->é, ß->ss); the apostrophes Ukrainian is written with
 * (', ’, ʼ, ‘, `, ´, ʹ, ʻ, ′) and the combining acute and
 * grave (stress marks) dropped; the other combining marks composed with
 * their letters (и + breve -> й, і + diaeresis -> ї).  NULL only when memory runs out.
 * OUT: caller frees.
 */
char *fold_text(const char *text);

#endif
