/*
 * passcheck.c - passphrase strength, with libpwquality (Debian's
 * estimator: length, character classes, cracklib dictionary words,
 * including words with digits stuck on).  Its own defaults are used,
 * never /etc/security/pwquality.conf, so a store's rule is the same on
 * every laptop; the minimum length is raised to 12 characters.
 */
#include <string.h>

#include <pwquality.h>
#include <sodium.h>

#include "cimic/i18n.h"
#include "cimic/store.h"

#define PASS_MIN_LEN 12
#define PASS_MIN_SCORE 50

int
store_passphrase_check(const char *pass, size_t len, struct cimic_error *err)
{
	pwquality_settings_t *pwq = pwquality_default_settings();
	char *copy = sodium_malloc(len + 1), reason[256], buf[256];
	void *aux = NULL;
	int score;

	if (pwq == NULL || copy == NULL) {
		pwquality_free_settings(pwq);
		sodium_free(copy);
		return cimic_error_set(err, CIMIC_EFAIL, _("out of memory"));
	}
	memcpy(copy, pass, len);
	copy[len] = '\0';
	pwquality_set_int_value(pwq, PWQ_SETTING_MIN_LENGTH, PASS_MIN_LEN);
	score = pwquality_check(pwq, copy, NULL, NULL, &aux);
	sodium_free(copy);
	if (score < 0)
		snprintf(reason, sizeof reason, "%s", pwquality_strerror(buf, sizeof buf, score, aux));
	else if (score < PASS_MIN_SCORE)
		snprintf(reason, sizeof reason, _("it is easy to guess (score %d of 100, %d needed)"),
			 score, PASS_MIN_SCORE);
	pwquality_free_settings(pwq);
	if (score >= PASS_MIN_SCORE)
		return 0;
	return cimic_error_set(err, CIMIC_EUSAGE, _("the passphrase is too weak: %s; use a few "
		"unrelated words (four or more), not one word with digits"), reason);
}
