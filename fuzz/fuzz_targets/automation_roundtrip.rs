//! Playwright storage states and Puppeteer/CDP and Selenium cookie arrays
//! (one reader, three dialects, each tried on every input): any bytes load
//! or fail cleanly; what loads saves byte for byte; edits (remove, rewrite,
//! add) leave a file that loads to the same cookies.
#![no_main]

#[path = "common/mod.rs"]
mod common;

use common::FuzzJar;
use crumbs::jar::cookie_array::ArrayFile;
use crumbs::jar::edit::EditError;
use crumbs::jar::playwright::StorageState;
use crumbs::jar::{puppeteer, selenium};
use crumbs::model::{Edits, OwnedCookie};
use libfuzzer_sys::fuzz_target;

impl FuzzJar for StorageState {
    fn load(data: &[u8]) -> Option<Self> {
        StorageState::parse(data).ok()
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

/// A Puppeteer/CDP array.
struct Puppeteer(ArrayFile);
/// A Selenium array.
struct Selenium(ArrayFile);

macro_rules! array_jar {
    ($t:ident, $d:expr) => {
        impl FuzzJar for $t {
            fn load(data: &[u8]) -> Option<Self> {
                ArrayFile::parse(&$d, data).ok().map($t)
            }
            fn view(&self) -> Vec<OwnedCookie> {
                self.0.cookies().clone()
            }
            fn edit(&mut self, edits: &Edits) -> Result<(), EditError> {
                self.0.apply(edits)
            }
            fn bytes(&self) -> Vec<u8> {
                self.0.to_bytes()
            }
        }
    };
}
array_jar!(Puppeteer, puppeteer::DIALECT);
array_jar!(Selenium, selenium::DIALECT);

fuzz_target!(|data: &[u8]| {
    common::round_trip::<StorageState>(data);
    common::round_trip::<Puppeteer>(data);
    common::round_trip::<Selenium>(data);
});
