#!/usr/bin/env bash
# link-bytes.sh - bytes on the wire of a link sync: the first sync of 200
# incidents, an idle re-sync, and one changed record after a full sync
# (handshake included).  Loopback only.  Prints RESULT lines for run-all.sh.
set -u
export CIMIC_BIN=${CIMIC_BIN:-$(dirname "$0")/../../build/ui/cimic}
export CIMIC_CUTPROXY=${CIMIC_CUTPROXY:-$(dirname "$CIMIC_BIN")/../tests/e2e/cutproxy}
# link-lib.sh is TAP-minded; its helpers are what this needs.
. "$(dirname "$0")/../e2e/link-lib.sh" >/dev/null

mk hq --hq; mk f1; enrol hq f1
for i in $(seq 200); do
	c f1 incident add --title "Інцидент $i: пошкоджено лінію електропередачі" \
		--type utility_outage --severity 3 --settlement Ізюм >/dev/null
done
session hq f1 --json >"$T/b1.json" 2>/dev/null
first=$(json 'print(d["bytes_out"]+d["bytes_in"])' <"$T/b1.json")
session hq f1 --json >"$T/b2.json" 2>/dev/null
idle=$(json 'print(d["bytes_out"]+d["bytes_in"])' <"$T/b2.json")
I=$(c f1 incident list --json | json 'print(d[0]["id"])')
c f1 incident edit "$I" --status verified >/dev/null
session hq f1 --json >"$T/b3.json" 2>/dev/null
one=$(json 'print(d["bytes_out"]+d["bytes_in"])' <"$T/b3.json")
echo "first sync of 200 incidents: $first bytes ($((first / 200)) bytes/incident)"
echo "idle re-sync: $idle bytes"
echo "one changed record after a full sync: $one bytes"
echo "RESULT: link, first sync of 200 incidents | $((first / 200)) bytes/incident"
echo "RESULT: link, one changed record after a full sync (with handshake) | $one bytes"
