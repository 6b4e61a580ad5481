//! Policy JSON: any text loads or fails with an error, never a panic; a
//! policy that loads, written back, loads again with the same hash.
#![no_main]

use crumbs::policy::Policy;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data)
        && let Ok(p) = Policy::from_json(text, "fuzz")
    {
        let written = serde_json::to_string(&p.doc).expect("a policy serialises");
        let again = Policy::from_json(&written, "again").expect("a loaded policy reloads");
        assert_eq!(again.hash, p.hash);
    }
});
