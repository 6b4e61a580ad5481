#!/usr/bin/env bash
# Runs every fuzz target for SECONDS each (default 600), seeded with the
# fixtures and the bad-input corpus. Needs cargo-fuzz (`cargo install cargo-fuzz`);
# no nightly toolchain can be fetched here, so RUSTC_BOOTSTRAP=1 lets the
# stable compiler take the sanitizer flags.
set -euo pipefail
cd "$(dirname "$0")"
secs=${1:-600}
export RUSTC_BOOTSTRAP=1
targets=${TARGETS:-$(cargo fuzz list)}
for t in $targets; do
  mkdir -p "corpus/$t"
  case $t in
    netscape_roundtrip) seeds=(../tests/fixtures/*.txt ../assets/demo/cookies.txt ../tests/bad-inputs/jar-*) ;;
    cookie_store_load) seeds=(../tests/fixtures/*.json* ../tests/bad-inputs/store-*) ;;
    policy_load) seeds=(../assets/policies/*.json ../tests/data/policies/*.json ../tests/bad-inputs/policy-*) ;;
    policy_import) seeds=(../tests/data/pages/*) ;;
    extension_roundtrip) seeds=(../tests/data/jars/*.json) ;;
    *) seeds=() ;;
  esac
  for s in "${seeds[@]}"; do cp "$s" "corpus/$t/" 2>/dev/null || true; done
  echo "== $t ($secs s)"
  cargo fuzz run "$t" "corpus/$t" -- -max_total_time="$secs" -max_len=65536 -rss_limit_mb=2048 2>&1 \
    | grep -E '^(#[0-9]+ +DONE|==[0-9]+==|SUMMARY|Done)|panicked|artifact' || true
done
