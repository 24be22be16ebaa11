# tui-lib.sh - drive the real cimic binary in a private tmux server.
#
# Sourced by tests/e2e/tui-*.sh.  Each test gets its own tmux server
# (-L), a fixed terminal size, escape-time 0, HOME/XDG in a temporary
# directory, and waits by polling capture-pane for text, never sleeping
# a fixed time.  Output is TAP.
set -u

CIMIC_BIN=${CIMIC_BIN:?CIMIC_BIN must name the cimic binary}
command -v tmux >/dev/null 2>&1 || { echo "1..0 # SKIP tmux is not installed"; exit 77; }
infocmp tmux-256color >/dev/null 2>&1 || T_TERM=screen-256color

T_DIR=$(mktemp -d "${TMPDIR:-/tmp}/cimic-tui.XXXXXX")
T_SOCK="cimic-test-$$-0"
T_RUN=0
T_N=0
T_FAILED=0
export HOME="$T_DIR/home" XDG_CONFIG_HOME="$T_DIR/config" XDG_DATA_HOME="$T_DIR/data"
mkdir -p "$HOME" "$XDG_CONFIG_HOME" "$XDG_DATA_HOME"
export TZ=UTC
unset NO_COLOR CIMIC_PASSPHRASE CIMIC_HOME

t_cleanup() {
	for i in $(seq 0 "$T_RUN"); do
		tmux -L "cimic-test-$$-$i" kill-server >/dev/null 2>&1
	done
	rm -rf "$T_DIR"
}
trap t_cleanup EXIT

t_ok() {   # t_ok STATUS DESCRIPTION
	T_N=$((T_N + 1))
	if [ "$1" -eq 0 ]; then
		echo "ok $T_N - $2"
	else
		echo "not ok $T_N - $2"
		T_FAILED=$((T_FAILED + 1))
		t_screen | sed 's/^/#   /'
	fi
}

t_done() {
	echo "1..$T_N"
	[ "$T_FAILED" -eq 0 ]
	exit $?
}

# t_start W H ENV... -- ARGS...: starts cimic in a new tmux server.
t_start() {
	local w=$1 h=$2
	shift 2
	local envs=()
	while [ $# -gt 0 ] && [ "$1" != "--" ]; do envs+=("$1"); shift; done
	[ "${1:-}" = "--" ] && shift
	# a fresh private server for every start: no leftovers from the last run
	tmux -L "$T_SOCK" kill-server >/dev/null 2>&1
	T_RUN=$((T_RUN + 1))
	T_SOCK="cimic-test-$$-$T_RUN"
	tmux -L "$T_SOCK" -u -f /dev/null new-session -d -s t -x "$w" -y "$h" \
		env TERM="${T_TERM:-tmux-256color}" LANG="${T_LANG:-C.UTF-8}" LC_ALL="${T_LANG:-C.UTF-8}" "${envs[@]}" \
		"$CIMIC_BIN" "$@"
	tmux -L "$T_SOCK" set -g escape-time 0
	tmux -L "$T_SOCK" set -g remain-on-exit on
	tmux -L "$T_SOCK" set -g window-size manual 2>/dev/null
}

t_screen() { tmux -L "$T_SOCK" capture-pane -p -t t 2>/dev/null; }
t_screen_esc() { tmux -L "$T_SOCK" capture-pane -p -e -t t 2>/dev/null; }

# t_wait TEXT [SECONDS]: polls the screen until TEXT appears (fixed string).
t_wait() {
	local deadline=$(( $(date +%s) + ${2:-10} ))
	while [ "$(date +%s)" -le "$deadline" ]; do
		t_screen | grep -qF -- "$1" && return 0
		sleep 0.05
	done
	return 1
}

# t_wait_gone TEXT [SECONDS]
t_wait_gone() {
	local deadline=$(( $(date +%s) + ${2:-10} ))
	while [ "$(date +%s)" -le "$deadline" ]; do
		t_screen | grep -qF -- "$1" || return 0
		sleep 0.05
	done
	return 1
}

t_keys() { tmux -L "$T_SOCK" send-keys -t t "$@"; }
t_type() { tmux -L "$T_SOCK" send-keys -t t -l "$1"; }   # literal UTF-8 text
t_resize() { tmux -L "$T_SOCK" resize-window -t t -x "$1" -y "$2"; }

# Is the program still running (not exited)?
t_alive() { [ "$(tmux -L "$T_SOCK" display -p -t t '#{pane_dead}' 2>/dev/null)" = "0" ]; }

# Waits until the program has exited.
t_wait_exit() {
	local deadline=$(( $(date +%s) + ${1:-10} ))
	while [ "$(date +%s)" -le "$deadline" ]; do
		t_alive || return 0
		sleep 0.05
	done
	return 1
}

# t_store DIR UNIT PASS: a store with a fast KDF for tests.
t_store() {
	CIMIC_PASSPHRASE="$3" "$CIMIC_BIN" --store "$1" init --unit "$2" --kdf-ops 1 --kdf-mem 8192 >/dev/null
}

# t_unlock PASS: types the passphrase at the unlock prompt and waits for the incidents list.
t_unlock() {
	t_wait "Passphrase:" 15 || return 1
	t_type "$1"
	t_keys Enter
	t_wait "Incidents" 15
}
