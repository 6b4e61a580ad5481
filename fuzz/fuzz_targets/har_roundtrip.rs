//! HAR captures (read only: every edit is refused and changes nothing): any bytes load or fail cleanly; what loads saves byte for byte;
//! edits (remove, rewrite, add) leave a file that loads to the same cookies.
#![no_main]

#[path = "common/mod.rs"]
mod common;

use common::FuzzJar;
use crumbs::jar::edit::EditError;
use crumbs::jar::har::HarFile;
use crumbs::model::{Edits, OwnedCookie};
use libfuzzer_sys::fuzz_target;

impl FuzzJar for HarFile {
    fn load(data: &[u8]) -> Option<Self> {
        HarFile::parse(data).ok()
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

fuzz_target!(|data: &[u8]| common::round_trip::<HarFile>(data));
