//! cookie_store JSON: any bytes load or fail cleanly; what loads saves and loads again to the same cookies.
#![no_main]

use crumbs::jar::cookie_store_json::StoreJar;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(jar) = StoreJar::parse(data) {
        let again = StoreJar::parse(&jar.to_bytes()).expect("what crumbs writes, it reads");
        assert_eq!(again.cookies(), jar.cookies());
    }
});
