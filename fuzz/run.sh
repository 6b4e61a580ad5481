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
    netscape_roundtrip) seeds=(../tests/fixtures/*.txt ../tests/data/peers/*.txt ../assets/demo/cookies.txt ../tests/bad-inputs/jar-*) ;;
    cookie_store_load) seeds=(../tests/fixtures/*.json* ../tests/bad-inputs/store-*) ;;
    policy_load) seeds=(../assets/policies/*.json ../tests/data/policies/*.json ../tests/bad-inputs/policy-*) ;;
    policy_import) seeds=(../tests/data/pages/*) ;;
    extension_roundtrip) seeds=(../tests/data/jars/*.json) ;;
    binarycookies_roundtrip) seeds=(../tests/fixtures/*.binarycookies ../tests/bad-inputs/*.binarycookies) ;;
    lwp_roundtrip) seeds=(../tests/fixtures/python-lwp.cookies.txt ../tests/bad-inputs/jar-lwp.txt) ;;
    httpie_roundtrip) seeds=(../tests/fixtures/httpie*.json) ;;
    newman_roundtrip) seeds=(../tests/fixtures/newman.cookies.json) ;;
    automation_roundtrip) seeds=(../tests/fixtures/playwright.storage-state.json ../tests/fixtures/puppeteer.cookies.json ../tests/fixtures/selenium.cookies.json) ;;
    har_roundtrip) seeds=(../tests/fixtures/playwright.har ../tests/bad-inputs/jar-har.json) ;;
    *) seeds=() ;;
  esac
  for s in "${seeds[@]}"; do cp "$s" "corpus/$t/" 2>/dev/null || true; done
  echo "== $t ($secs s)"
  cargo fuzz run "$t" "corpus/$t" -- -max_total_time="$secs" -max_len=65536 -rss_limit_mb=2048 2>&1 \
    | grep -E '^(#[0-9]+ +DONE|==[0-9]+==|SUMMARY|Done)|panicked|artifact' || true
done
