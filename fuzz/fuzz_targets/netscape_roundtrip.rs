//! cookies.txt: any bytes parse (leniently) without panicking and write back
//! byte for byte; a strict parse that succeeds agrees with the lenient one;
//! every cookie can be viewed; edits (remove some lines, rewrite one, add one)
//! leave a file that reads back as the cookies the jar then shows.
#![no_main]

#[path = "common/mod.rs"]
mod common;

use common::FuzzJar;
use crumbs::jar::edit::EditError;
use crumbs::jar::netscape::NetscapeJar;
use crumbs::model::{Edits, OwnedCookie};
use libfuzzer_sys::fuzz_target;

impl FuzzJar for NetscapeJar {
    fn load(data: &[u8]) -> Option<Self> {
        let lenient = NetscapeJar::parse(data.to_vec(), true).expect("lenient parse never fails");
        if let Ok(strict) = NetscapeJar::parse(data.to_vec(), false) {
            assert_eq!(strict.cookies(), lenient.cookies());
        }
        Some(lenient)
    }
    fn view(&self) -> Vec<OwnedCookie> {
        self.cookies().to_vec()
    }
    fn edit(&mut self, edits: &Edits) -> Result<(), EditError> {
        self.apply(edits)
    }
    fn bytes(&self) -> Vec<u8> {
        self.to_bytes()
    }
}

fuzz_target!(|data: &[u8]| common::round_trip::<NetscapeJar>(data));
