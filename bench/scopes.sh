#!/usr/bin/env bash
# Scopes and policy-size benchmark (issue #14.6), beside bench/run.sh:
#  1. `crumbs check` of a 1M-cookie jar with every scope (two Opendatasoft
#     portals, then `*` over ~200k other sites under the known-cookie
#     catalog) against the grep floor of the same run (a grep -v pass over
#     the same file); target: within 4x.
#  2. `crumbs check --site` of a 200k-cookie jar under a policy of 10,000
#     declarations (exact names and globs; then with 1% regexes); target:
#     under 1 s.
# Usage: [RUNS=5] [N=1000000] [SITES=200000] bench/scopes.sh
# Prints median, min and max wall seconds per command, each target with PASS or MISS.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v python3 >/dev/null || { echo "python3 is needed" >&2; exit 2; }
cargo build --release --quiet --bin crumbs
bin=target/release/crumbs
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export XDG_CONFIG_HOME="$work/config" XDG_DATA_HOME="$work/data"
runs=${RUNS:-5} n=${N:-1000000} sites=${SITES:-200000}
site=bench.example.test decls=10000 site_n=200000

declare -A MED
calc() { awk "BEGIN { printf \"%.${2:-3}f\", $1 }"; }
mark() { awk -v v="$1" -v t="$2" 'BEGIN { print (v <= t) ? "PASS" : "MISS" }'; }

# measure KEY LABEL CMD...: median/min/max wall seconds over $runs runs
# (exit 0 or 1: check exits 1 when it finds problems).
measure() {
  local key=$1 label=$2; shift 2
  local times=() rc t0 t1
  for _ in $(seq "$runs"); do
    rc=0; t0=$EPOCHREALTIME
    "$@" >/dev/null 2>"$work/err" || rc=$?
    t1=$EPOCHREALTIME
    if (( rc > 1 )); then echo "bench: $label exited $rc: $*" >&2; cat "$work/err" >&2; exit 1; fi
    times+=("$(calc "$t1 - $t0" 6)")
  done
  local sorted med
  sorted=$(printf '%s\n' "${times[@]}" | sort -g)
  med=$(awk '{a[NR]=$1} END{print a[int((NR+1)/2)]}' <<<"$sorted")
  printf '%-44s median %7.3f s (min %.3f, max %.3f)\n' "$label" "$med" \
    "$(head -n 1 <<<"$sorted")" "$(tail -n 1 <<<"$sorted")"
  MED[$key]=$med
}

python3 bench/gen_scopes.py jar "$n" "$sites" "$work/jar.txt"
echo "== $n cookies over $sites sites and two portals, $(calc "$(stat -c %s "$work/jar.txt") / 1048576" 1) MB"
echo "  portal cookies: $(grep -c opendatasoft "$work/jar.txt"); the rest are the * scope's"
measure floor "grep -v (floor)" sh -c "grep -v opendatasoft $work/jar.txt > $work/b"
measure check "crumbs check (every scope)" "$bin" check "$work/jar.txt"
ratio=$(calc "${MED[check]} / ${MED[floor]}" 2)
printf '  %-42s %6s x   target <= 4   %s\n' "check / floor" "$ratio" "$(mark "$ratio" 4)"

echo
echo "== a policy of $decls declarations on $site, $site_n cookies"
python3 bench/gen_scopes.py policy "$decls" "$site" "$work/policy.json"
python3 bench/gen_scopes.py policy "$decls" "$site" "$work/policy-re.json" --regex
python3 bench/gen_scopes.py sitejar "$site_n" "$site" "$work/site.txt" "$decls"
measure globs "check --policy (exact and globs)" "$bin" check --policy "$work/policy.json" --site "$site" "$work/site.txt"
measure regex "check --policy (with 1% regexes)" "$bin" check --policy "$work/policy-re.json" --site "$site" "$work/site.txt"
for k in globs regex; do
  printf '  %-42s %6s s   target <= 1   %s\n' "$k" "${MED[$k]}" "$(mark "${MED[$k]}" 1)"
done
