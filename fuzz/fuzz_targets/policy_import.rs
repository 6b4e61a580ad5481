//! Policy pages: any text imports or fails with an error, never a panic; an
//! imported policy loads like any policy file.
#![no_main]

use crumbs::policy::Policy;
use crumbs::policy::import::{ImportOptions, import};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        let opts = ImportOptions {
            site: Some("portal.example.test".into()),
            revision: "fuzz".into(),
        };
        if let Ok(i) = import(text, "fuzz", &opts) {
            let json = serde_json::to_string(&i.doc).expect("a policy serialises");
            Policy::from_json(&json, "again").expect("an imported policy loads");
        }
    }
});
