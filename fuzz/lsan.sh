#!/usr/bin/env bash
# LeakSanitizer over crumbs' unit and integration tests and every crumbs
# process they spawn (the binary the tests run is built with LSan too).
#
#   fuzz/lsan.sh [CARGO TEST ARGS]      e.g. fuzz/lsan.sh --test cli
#
# Like fuzz/run.sh it uses RUSTC_BOOTSTRAP=1 so the stable compiler takes
# -Zsanitizer. --target keeps the sanitizer off build scripts and proc
# macros. Build in CARGO_TARGET_DIR (default target/lsan; the first build
# takes several minutes). Every process writes its leak report to a file
# (LSAN_OPTIONS=log_path), so reports of spawned processes are not lost in
# their captured stderr. Skips the SIGKILL crash test: under a debug
# sanitizer build the 100,000-cookie prune is too slow for its kill window,
# and a killed process is never leak-checked anyway.
# Exit status: 0 when every test passed and no process reported a leak.
set -euo pipefail
cd "$(dirname "$0")/.."
target=$(rustc -vV | sed -n 's/^host: //p')
logs=$(mktemp -d)
trap 'rm -rf "$logs"' EXIT
export RUSTC_BOOTSTRAP=1 RUSTFLAGS="-Zsanitizer=leak"
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-target/lsan}
export LSAN_OPTIONS="log_path=$logs/lsan${LSAN_OPTIONS:+:$LSAN_OPTIONS}"
rc=0
cargo test --target "$target" --no-fail-fast "$@" -- --skip sigkill_at_random_moments_never_corrupts \
  2>&1 | tee "$logs/out" || rc=$?
read -r passed failed < <(awk '/^test result:/ { p += $4; f += $6 } END { print p + 0, f + 0 }' "$logs/out")
reports=("$logs"/lsan.*)
[[ -e ${reports[0]} ]] || reports=()
for r in "${reports[@]}"; do echo "== leak report of process ${r##*.}"; cat "$r"; done
echo "lsan: $passed tests passed, $failed failed; ${#reports[@]} leak report(s); cargo test exit $rc"
(( rc == 0 && ${#reports[@]} == 0 ))
