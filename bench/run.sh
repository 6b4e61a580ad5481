#!/usr/bin/env bash
# Whole-process benchmark: crumbs list/check/prune vs Python's MozillaCookieJar
# vs a grep -v pass (the floor for reading and writing the file once).
# Usage: bench/run.sh [N ...]   (default: 10000 100000 1000000); needs /usr/bin/time.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v /usr/bin/time >/dev/null || { echo "install GNU time: apt-get install -y time" >&2; exit 2; }
cargo build --release --quiet
bin=target/release/crumbs
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export XDG_CONFIG_HOME="$work/config" XDG_DATA_HOME="$work/data"
runs=${RUNS:-5}

# median wall seconds and max RSS (MB) of a command over $runs runs; prep runs before each.
measure() {
  local label=$1 prep=$2; shift 2
  local times=() rss=0
  for _ in $(seq "$runs"); do
    eval "$prep"
    local t0=$EPOCHREALTIME
    /usr/bin/time -f '%M' -o "$work/t" "$@" >/dev/null 2>"$work/err" || true
    local t1=$EPOCHREALTIME
    t=$(echo "$t1 - $t0" | bc -l)
    m=$(tail -n 1 "$work/t")
    times+=("$t"); (( m > rss )) && rss=$m
  done
  local med
  med=$(printf '%s\n' "${times[@]}" | sort -g | awk '{a[NR]=$1} END{print a[int((NR+1)/2)]}')
  local min max
  min=$(printf '%s\n' "${times[@]}" | sort -g | head -1)
  max=$(printf '%s\n' "${times[@]}" | sort -g | tail -1)
  printf '%-28s median %7.3f s (min %.3f, max %.3f)  peak %8.1f MB\n' "$label" "$med" "$min" "$max" "$(echo "$rss/1024" | bc -l)"
  echo "$med" >"$work/last"
}

for n in "${@:-10000 100000 1000000}"; do
  for n1 in $n; do
    jar="$work/jar-$n1.txt"
    python3 bench/gen_jar.py "$n1" "$jar"
    size=$(stat -c %s "$jar")
    echo "== $n1 cookies, $(echo "$size/1048576" | bc -l | xargs printf '%.1f') MB"
    measure "grep -v (floor)" "cp $jar $work/a" sh -c "grep -v opendatasoft $work/a > $work/b"
    floor=$(cat "$work/last")
    measure "crumbs list --json" "" "$bin" list --json "$jar"
    measure "crumbs check" "" "$bin" check "$jar"
    measure "crumbs prune --reject-all" "cp $jar $work/a; rm -rf $work/data" "$bin" prune --reject-all --no-backup "$work/a"
    ours=$(cat "$work/last")
    measure "python MozillaCookieJar" "cp $jar $work/a" python3 bench/python_prune.py "$work/a" "$work/b"
    py=$(cat "$work/last")
    printf 'prune: %.1f x floor, %.1f x faster than python\n' "$(echo "$ours/$floor" | bc -l)" "$(echo "$py/$ours" | bc -l)"
  done
done
