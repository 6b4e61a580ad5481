#!/usr/bin/env bash
# Peak memory of saving a big jar from the TUI: crumbs runs under GNU time in
# a private tmux server on a deterministic N-cookie jar; the script waits for
# the cookie view (notes the resident memory then), types r (reject all),
# s, y, waits for "Saved", quits, and prints the memory at the first frame
# and the peak over the whole run. A save must not double the memory.
# Usage: bench/tui_save_rss.sh [N]   (default 1000000; BIN=path skips the build)
# Needs tmux, python3 and GNU time (/usr/bin/time).
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-1000000}
if [[ -z "${BIN:-}" ]]; then
  cargo build --release --quiet
  BIN=$PWD/target/release/crumbs
fi
work=$(mktemp -d)
sock="crumbs-rss-$$"
trap 'tmux -L "$sock" kill-server 2>/dev/null || true; rm -rf "$work"' EXIT
python3 bench/gen_jar.py "$n" "$work/jar.txt"
tmux -L "$sock" -f /dev/null new-session -d -s b -x 120 -y 40 \
  -e "XDG_CONFIG_HOME=$work/config" -e "XDG_DATA_HOME=$work/data" \
  /usr/bin/time -f '%M' -o "$work/peak" "$BIN" "$work/jar.txt"
screen() { tmux -L "$sock" capture-pane -p -t b 2>/dev/null || true; }
wait_for() {
  local deadline=$((SECONDS + 180))
  until screen | grep -q -- "$1"; do
    if (( SECONDS > deadline )); then
      echo "timed out waiting for $1; screen:" >&2
      screen >&2
      exit 1
    fi
    sleep 0.05
  done
}
wait_for "Categories"
# The pane runs GNU time; crumbs is its only child.
tpid=$(tmux -L "$sock" list-panes -t b -F '#{pane_pid}')
cpid=$(tr -d ' \n' <"/proc/$tpid/task/$tpid/children")
first=$(awk '/VmRSS/ {print int($2 / 1024)}' "/proc/$cpid/status")
tmux -L "$sock" send-keys -t b r
wait_for "All optional categories refused"
tmux -L "$sock" send-keys -t b s
wait_for "Refused:"
tmux -L "$sock" send-keys -t b y
wait_for "Saved "
tmux -L "$sock" send-keys -t b q
deadline=$((SECONDS + 60))
until [[ -s "$work/peak" ]]; do
  (( SECONDS < deadline )) || { echo "crumbs did not exit" >&2; exit 1; }
  sleep 0.05
done
peak=$(( $(tail -n 1 "$work/peak") / 1024 ))
echo "TUI save of $n cookies: RSS at the first frame $first MB, peak $peak MB ($(awk -v p="$peak" -v f="$first" 'BEGIN { printf "%.2f", p / f }')x)"
