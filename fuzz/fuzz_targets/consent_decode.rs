//! The cookies_preferences value: decoding any string never panics, and what
//! decodes encodes to a value that decodes to the same consent.
#![no_main]

use crumbs::consent::value::ConsentValue;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data)
        && let Ok(v) = ConsentValue::decode(text)
    {
        let again = ConsentValue::decode(&v.encode()).expect("what crumbs writes, it reads");
        assert_eq!(again, v);
    }
});
