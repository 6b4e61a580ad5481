//! Browser-extension exports: any bytes load or fail cleanly; what loads
//! saves as read, and after an edit (which re-renders the array) loads again
//! to the same cookies.
#![no_main]

use crumbs::jar::extension::ExtensionJar;
use crumbs::model::Edits;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(mut jar) = ExtensionJar::parse(data) {
        assert_eq!(jar.to_bytes(), data);
        let Some(first) = jar.cookies().first().map(|c| c.key.clone()) else {
            return;
        };
        jar.apply(&Edits {
            remove: vec![first],
            set: None,
        })
        .expect("a key the jar gave");
        let again = ExtensionJar::parse(&jar.to_bytes()).expect("what crumbs writes, it reads");
        assert_eq!(again.cookies(), jar.cookies());
    }
});
