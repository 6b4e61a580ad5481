//! cookies.txt: any bytes parse (leniently) without panicking and write back
//! byte for byte; a strict parse that succeeds agrees with the lenient one.
#![no_main]

use crumbs::jar::netscape::NetscapeJar;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let lenient = NetscapeJar::parse(data.to_vec(), true).expect("lenient parse never fails");
    assert_eq!(lenient.to_bytes(), data);
    if let Ok(strict) = NetscapeJar::parse(data.to_vec(), false) {
        assert_eq!(strict.cookies(), lenient.cookies());
    }
});
