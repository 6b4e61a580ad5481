#!/usr/bin/env bash
# Time from launching `crumbs JAR` in a terminal (a private tmux server) to
# the first frame of the cookie view, on a deterministic N-cookie jar; also
# the process's resident memory then. Needs tmux and python3.
# Usage: RUNS=5 bench/tui_first_frame.sh [N]   (default 1000000)
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-1000000}
runs=${RUNS:-5}
cargo build --release --quiet
bin=$PWD/target/release/crumbs
work=$(mktemp -d)
sock="crumbs-bench-$$"
trap 'tmux -L "$sock" kill-server 2>/dev/null || true; rm -rf "$work"' EXIT
python3 bench/gen_jar.py "$n" "$work/jar.txt"
export XDG_CONFIG_HOME="$work/config" XDG_DATA_HOME="$work/data"
times=()
for _ in $(seq "$runs"); do
  t0=$EPOCHREALTIME
  tmux -L "$sock" -f /dev/null new-session -d -s b -x 120 -y 40 \
    -e "XDG_CONFIG_HOME=$work/config" -e "XDG_DATA_HOME=$work/data" "$bin" "$work/jar.txt"
  until tmux -L "$sock" capture-pane -p -t b 2>/dev/null | grep -q "Categories"; do sleep 0.01; done
  t1=$EPOCHREALTIME
  pid=$(tmux -L "$sock" list-panes -t b -F '#{pane_pid}')
  rss=$(awk '/VmRSS/ {print int($2/1024)}' "/proc/$pid/status")
  tmux -L "$sock" kill-server
  t=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", b - a }')
  times+=("$t")
  echo "run: first frame after $t s, RSS $rss MB"
done
printf '%s\n' "${times[@]}" | sort -g | awk -v n="$n" '
  { a[NR] = $1 } END { printf "TUI first frame, %d cookies: median %.3f s (min %.3f, max %.3f)  target <= 1.5 s  %s\n",
    n, a[int((NR + 1) / 2)], a[1], a[NR], (a[int((NR + 1) / 2)] <= 1.5 ? "PASS" : "MISS") }'
