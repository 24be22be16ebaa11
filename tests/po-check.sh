#!/bin/sh
# The Ukrainian catalogue is complete and in sync with the sources (TAP):
#  1. po/POTFILES.in lists every source file with _("..."), N_("...") or
#     P_("...") strings, and every file it lists exists;
#  2. msgfmt --check accepts po/uk.po (printf directives, plural forms);
#  3. po/uk.po has no untranslated and no fuzzy messages;
#  4. every msgid of the sources (a fresh xgettext run) is translated in
#     po/uk.po (msgcmp).
# Skips (77) when the gettext tools are not installed.
SRC="${CIMIC_SRCDIR:-$(cd "$(dirname "$0")/.." && pwd)}"
PO="$SRC/po/uk.po"
LC_ALL=C
export LC_ALL

for tool in msgfmt xgettext msgcmp; do
	if ! command -v "$tool" >/dev/null 2>&1; then
		echo "1..0 # SKIP $tool is not installed (gettext)"
		exit 77
	fi
done

TMP=$(mktemp -d "${TMPDIR:-/tmp}/cimic-po.XXXXXX") || exit 1
trap 'rm -rf "$TMP"' EXIT INT TERM
n=0
failed=0
ok() {
	n=$((n + 1))
	if [ "$1" -eq 0 ]; then
		echo "ok $n - $2"
	else
		echo "not ok $n - $2"
		failed=1
	fi
}
diag() { sed 's/^/# /' "$@"; }

echo "1..4"

# 1. POTFILES.in against the sources.  A string literal after the macro
# (perhaps on the next line) is what xgettext extracts.
cd "$SRC" || exit 1
grep -v '^[[:space:]]*\(#\|$\)' po/POTFILES.in | LC_ALL=C sort -u >"$TMP/listed"
grep -rlzE --include='*.c' --include='*.h' \
	'(^|[^A-Za-z0-9_])(_|N_|P_)\([[:space:]]*"' src sync publish ui 2>/dev/null |
	LC_ALL=C sort -u >"$TMP/marked"
LC_ALL=C comm -13 "$TMP/listed" "$TMP/marked" >"$TMP/missing"
: >"$TMP/gone"
while read -r f; do [ -f "$f" ] || echo "$f" >>"$TMP/gone"; done <"$TMP/listed"
if [ -s "$TMP/missing" ] || [ -s "$TMP/gone" ]; then
	[ -s "$TMP/missing" ] && { echo "# not in po/POTFILES.in:"; diag "$TMP/missing"; }
	[ -s "$TMP/gone" ] && { echo "# listed in po/POTFILES.in but missing:"; diag "$TMP/gone"; }
	ok 1 "po/POTFILES.in lists every source file with translatable strings"
else
	ok 0 "po/POTFILES.in lists every source file with translatable strings"
fi

# 2. and 3. msgfmt --check, and its statistics.
msgfmt --check --statistics -o /dev/null "$PO" >"$TMP/stats" 2>&1
rc=$?
[ $rc -ne 0 ] && diag "$TMP/stats"
ok $rc "msgfmt --check accepts po/uk.po"
stats=$(tail -n 1 "$TMP/stats")
echo "# $stats"
if [ $rc -eq 0 ] && ! echo "$stats" | grep -qE 'fuzzy|untranslated'; then
	ok 0 "po/uk.po has no untranslated or fuzzy messages"
else
	grep -B2 -A3 '^#, fuzzy' "$PO" | head -n 40 | diag
	ok 1 "po/uk.po has no untranslated or fuzzy messages"
fi

# 4. In sync with the sources: every msgid xgettext finds now is
# translated in po/uk.po (msgcmp ignores fuzzy and untranslated entries).
if xgettext --from-code=UTF-8 -k_ -kN_ -kP_:1,2 -c --package-name=cimic \
	-f po/POTFILES.in -o "$TMP/cimic.pot" 2>"$TMP/xgettext.err" &&
	msgcmp -N "$PO" "$TMP/cimic.pot" >"$TMP/msgcmp.out" 2>&1; then
	ok 0 "po/uk.po translates every message of the sources"
else
	diag "$TMP/xgettext.err"
	head -n 40 "$TMP/msgcmp.out" | diag
	echo "# regenerate: ninja -C build cimic-pot && msgmerge --update po/uk.po po/cimic.pot"
	ok 1 "po/uk.po translates every message of the sources"
fi
exit $failed
