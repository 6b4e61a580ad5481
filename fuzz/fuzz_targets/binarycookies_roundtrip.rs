//! Safari's Cookies.binarycookies: any bytes load or fail cleanly (no
//! panic, no huge allocation from a size field); what loads saves byte for
//! byte, and edits (which rebuild pages, checksum kept right) read back.
#![no_main]

#[path = "common/mod.rs"]
mod common;

use common::FuzzJar;
use crumbs::jar::binarycookies::BinaryCookies;
use crumbs::jar::edit::EditError;
use crumbs::model::{Edits, OwnedCookie};
use libfuzzer_sys::fuzz_target;

impl FuzzJar for BinaryCookies {
    fn load(data: &[u8]) -> Option<Self> {
        BinaryCookies::parse(data).ok()
    }
    fn view(&self) -> Vec<OwnedCookie> {
        self.cookies().clone()
    }
    fn edit(&mut self, edits: &Edits) -> Result<(), EditError> {
        self.apply(edits)
    }
    fn bytes(&self) -> Vec<u8> {
        self.to_bytes()
    }
}

fuzz_target!(|data: &[u8]| common::round_trip::<BinaryCookies>(data));
