//! `policy import` takes any page without panicking: random pages built from
//! the pieces the readers look for (TABs, pipes, tags, headings, quotes,
//! header words), and the seed pages with lines dropped, doubled or cut.
//! Whatever it accepts is a valid policy.

use crumbs::policy::Policy;
use crumbs::policy::import::{ImportOptions, import};
use proptest::prelude::*;

/// Pieces of policy pages in the three renderings.
fn piece() -> impl Strategy<Value = &'static str> {
    prop::sample::select(vec![
        "\t",
        "\n",
        "\n\n",
        " ",
        "|",
        "| --- |",
        "#",
        "### ",
        "\"",
        "\u{201C}",
        "\u{201D}",
        "\u{ab}\u{a0}",
        "\u{a0}\u{bb}",
        "<",
        ">",
        "</",
        "<table>",
        "<tr>",
        "<td>",
        "<th>",
        "</td>",
        "<h3>",
        "</h3>",
        "<br>",
        "<p>",
        "&amp;",
        "<https://a.example.test>",
        "https://b.example.test",
        " platform",
        "Cookie name(s)",
        "Nom du cookie",
        "Purposes",
        "Finalit\u{e9}",
        "Provider",
        "Function and location",
        "Cookies necessary",
        "Statistical cookies",
        "Cookies tiers",
        "\"Necessary\" cookies",
        "_ga, _ga_*",
        "cookies_preferences",
        "sessionid",
        "(see below)",
        "<id>",
        "\\",
        "`",
        "**",
        "[a](b)",
        "- ",
        "1. ",
        "\u{e9}",
        "x",
    ])
}

fn page() -> impl Strategy<Value = String> {
    prop::collection::vec(piece(), 0..120).prop_map(|v| v.concat())
}

fn opts(site: bool) -> ImportOptions {
    ImportOptions {
        site: site.then(|| "portal.example.test".to_string()),
        revision: "r".into(),
    }
}

fn check(text: &str, site: bool) -> Result<(), TestCaseError> {
    if let Ok(i) = import(text, "p", &opts(site)) {
        let json = serde_json::to_string(&i.doc).unwrap();
        prop_assert!(Policy::from_json(&json, "p").is_ok());
        prop_assert_eq!(i.doc.categories.len(), 4);
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1500))]

    #[test]
    fn random_pages_never_panic(text in page(), site in any::<bool>()) {
        check(&text, site)?;
    }

    #[test]
    fn arbitrary_text_never_panics(text in "\\PC{0,300}") {
        check(&text, true)?;
    }

    #[test]
    fn damaged_seed_pages_never_panic(
        which in 0usize..2,
        edits in prop::collection::vec((0usize..40, 0u8..4), 0..6),
    ) {
        let seeds = [
            include_str!("data/pages/000_439cc1c5894eb190.txt"),
            include_str!("data/pages/001_532e2783019b890b.txt"),
        ];
        let mut lines: Vec<String> = seeds[which].split('\n').map(str::to_string).collect();
        for (at, op) in edits {
            if lines.is_empty() {
                break;
            }
            let at = at % lines.len();
            match op {
                0 => { lines.remove(at); }
                1 => { let l = lines[at].clone(); lines.insert(at, l); }
                2 => { let cut: String = lines[at].chars().take(at).collect(); lines[at] = cut; }
                _ => lines[at].insert(0, '\t'),
            }
        }
        check(&lines.join("\n"), false)?;
    }
}
