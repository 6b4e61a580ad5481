#!/usr/bin/env bash
# Whole-process benchmark (issue #7): crumbs list/check/prune vs Python's
# MozillaCookieJar vs a grep -v pass (the floor for reading and writing the
# file once), on deterministic jars; then a reject-all prune of a Firefox and
# a Chromium database of 10,000 cookies; then a growth table.
#
# Usage: [RUNS=5] bench/run.sh [N ...]   (default sizes: 10000 100000 1000000)
# Needs cargo, python3 and GNU time (/usr/bin/time). Prints medians, min/max
# and peak RSS, each ratio with its target and PASS or MISS. The targets are
# stated for 1,000,000 cookies; at smaller sizes the process start dominates.
# Every prune is checked against an independent count (bench/count_rows.py):
# the script stops if crumbs removed the wrong number of cookies.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v /usr/bin/time >/dev/null || { echo "install GNU time: apt-get install -y time" >&2; exit 2; }
command -v python3 >/dev/null || { echo "python3 is needed" >&2; exit 2; }
cargo build --release --quiet
bin=target/release/crumbs
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export XDG_CONFIG_HOME="$work/config" XDG_DATA_HOME="$work/data"
runs=${RUNS:-5}
browser_n=${BROWSER_N:-10000}
fresh="rm -rf $work/config $work/data"   # no consent or backup left by an earlier run

# Targets (issue #7).
T_LIST=5 T_CHECK=3 T_PRUNE=2.5 T_PY=30 T_RSS=2.5 T_BROWSER_MS=100

declare -A TIME RSS   # "label|size" -> median seconds, peak KB

calc() { awk "BEGIN { printf \"%.${2:-3}f\", $1 }"; }
# mark VALUE OP TARGET -> PASS or MISS
mark() { awk -v v="$1" -v t="$3" -v op="$2" 'BEGIN { ok = (op == "<=") ? v <= t : v >= t; print ok ? "PASS" : "MISS" }'; }

# measure KEY LABEL PREP CMD...: median/min/max wall seconds and peak RSS over
# $runs runs; PREP is eval'd before each run (untimed). The exit status must
# be one of $ok_rc (default 0); $after, if set, is eval'd after each run.
measure() {
  local key=$1 label=$2 prep=$3; shift 3
  local times=() rss=0 t m rc
  for _ in $(seq "$runs"); do
    eval "$prep"
    # Nothing of the preparation left to write back: crumbs fsyncs its save,
    # which would otherwise also wait for the copy the preparation just made.
    sync
    local t0=$EPOCHREALTIME
    rc=0
    /usr/bin/time -f '%M' -o "$work/t" "$@" >/dev/null 2>"$work/err" || rc=$?
    local t1=$EPOCHREALTIME
    if [[ " ${ok_rc:-0} " != *" $rc "* ]]; then
      echo "bench: $label exited $rc: $*" >&2; cat "$work/err" >&2; exit 1
    fi
    [[ -n "${after:-}" ]] && eval "$after"
    t=$(calc "$t1 - $t0" 6)
    m=$(tail -n 1 "$work/t")
    times+=("$t"); (( m > rss )) && rss=$m
  done
  local sorted med min max
  sorted=$(printf '%s\n' "${times[@]}" | sort -g)
  med=$(awk '{a[NR]=$1} END{print a[int((NR+1)/2)]}' <<<"$sorted")
  min=$(head -n 1 <<<"$sorted"); max=$(tail -n 1 <<<"$sorted")
  printf '%-28s median %7.3f s (min %.3f, max %.3f)  peak %8.1f MB\n' \
    "$label" "$med" "$min" "$max" "$(calc "$rss / 1024" 1)"
  TIME[$key]=$med; RSS[$key]=$rss
}

# check_prune BEFORE-COUNTS JAR: crumbs must have removed exactly the
# droppable cookies (it may add the preferences cookie).
check_prune() {
  local rows0 drop0 rows1 drop1
  read -r rows0 drop0 <<<"$1"
  read -r rows1 drop1 < <(python3 bench/count_rows.py "$2")
  if (( drop0 == 0 || drop1 != 0 || rows1 < rows0 - drop0 || rows1 > rows0 - drop0 + 1 )); then
    echo "bench: prune of $2 is wrong: $rows0 cookies ($drop0 to remove) became $rows1 ($drop1 still to remove)" >&2
    exit 1
  fi
  echo "$rows0 -> $rows1 cookies ($drop0 removed as expected)" >"$work/pruned"
}

# line LABEL VALUE UNIT OP TARGET
line() { printf '  %-28s %10s   target %-9s %s\n' "$1" "$2 $3" "$4 $5" "$(mark "$2" "$4" "$5")"; }

sizes=()
for n in ${@:-10000 100000 1000000}; do
  sizes+=("$n")
  jar="$work/jar-$n.txt"
  python3 bench/gen_jar.py "$n" "$jar"
  size=$(stat -c %s "$jar")
  counts=$(python3 bench/count_rows.py "$jar")
  echo
  echo "== $n cookies, $(calc "$size / 1048576" 1) MB"
  measure "floor|$n" "grep -v (floor)" "cp $jar $work/a" sh -c "grep -v opendatasoft $work/a > $work/b"
  measure "list|$n" "crumbs list --json" "$fresh" "$bin" list --json "$jar"
  ok_rc="0 1" measure "check|$n" "crumbs check" "$fresh" "$bin" check "$jar"
  after="check_prune '$counts' $work/a" \
    measure "prune|$n" "crumbs prune --reject-all" "$fresh; cp $jar $work/a" \
    "$bin" prune --reject-all --no-backup "$work/a"
  measure "python|$n" "python MozillaCookieJar" "cp $jar $work/a" python3 bench/python_prune.py "$work/a" "$work/b"
  floor=${TIME[floor|$n]}
  echo "  prune: $(cat "$work/pruned")"
  line "list --json / floor" "$(calc "${TIME[list|$n]} / $floor" 2)" "x" "<=" "$T_LIST"
  line "check / floor" "$(calc "${TIME[check|$n]} / $floor" 2)" "x" "<=" "$T_CHECK"
  line "prune / floor" "$(calc "${TIME[prune|$n]} / $floor" 2)" "x" "<=" "$T_PRUNE"
  line "python / prune (speed-up)" "$(calc "${TIME[python|$n]} / ${TIME[prune|$n]}" 1)" "x" ">=" "$T_PY"
  line "prune peak RSS / file size" "$(calc "${RSS[prune|$n]} * 1024 / $size" 2)" "x" "<=" "$T_RSS"
done

echo
echo "== browser databases, $browser_n cookies (tests/fixtures schemas, bench/gen_browser_db.py)"
for b in firefox chromium; do
  case $b in firefox) f=cookies.sqlite label="Firefox prune --reject-all" ;;
             chromium) f=Cookies label="Chromium prune --reject-all" ;; esac
  db="$work/$b-src"; mkdir -p "$db" "$work/$b"
  python3 bench/gen_browser_db.py "$b" "$browser_n" "$db/$f"
  counts=$(python3 bench/count_rows.py "$db/$f")
  after="check_prune '$counts' $work/$b/$f" \
    measure "$b|$browser_n" "$label" "$fresh; rm -f $work/$b/$f*; cp $db/$f $work/$b/$f" \
    "$bin" prune --reject-all --no-backup "$work/$b/$f"
  echo "  $(cat "$work/pruned"); file $(calc "$(stat -c %s "$db/$f") / 1048576" 1) MB"
  line "$b prune" "$(calc "${TIME[$b|$browser_n]} * 1000" 1)" "ms" "<=" "$T_BROWSER_MS"
done

# Growth: seconds and MB per 1M cookies at each size (flat = linear), and the
# largest/smallest time and peak-RSS ratios divided by the size ratio.
mapfile -t by_size < <(printf '%s\n' "${sizes[@]}" | sort -n -u)
lo=${by_size[0]} hi=${by_size[-1]}
echo
echo "== growth: seconds and peak MB per 1M cookies at each size (linear = the same figure in every column)"
printf '%-10s' cookies
for n in "${by_size[@]}"; do printf ' %19s' "$n"; done
echo
printf '%-10s' command
for n in "${by_size[@]}"; do printf ' %9s %9s' "s/1M" "MB/1M"; done
(( hi > lo )) && printf '   %9s %9s' "time-grow" "mem-grow"
echo
for c in floor list check prune python; do
  printf '%-10s' "$c"
  for n in "${by_size[@]}"; do
    printf ' %9s %9s' "$(calc "${TIME[$c|$n]} * 1000000 / $n" 3)" "$(calc "${RSS[$c|$n]} / 1024 * 1000000 / $n" 0)"
  done
  if (( hi > lo )); then
    printf '   %9s %9s' "$(calc "${TIME[$c|$hi]} / ${TIME[$c|$lo]} / ($hi / $lo)" 2)" \
      "$(calc "${RSS[$c|$hi]} / ${RSS[$c|$lo]} / ($hi / $lo)" 2)"
  fi
  echo
done
echo "(floor = grep -v; list = list --json; prune = prune --reject-all; python = MozillaCookieJar prune)"
(( hi > lo )) && echo "(time-grow, mem-grow: t($hi)/t($lo) and peak($hi)/peak($lo) divided by $(awk "BEGIN { print $hi / $lo }"); 1.00 = linear, below 1 where start-up weighs on the small size)"
(( hi == 1000000 )) || echo "(the ratio targets are stated for 1,000,000 cookies; the largest size here is $hi)"
