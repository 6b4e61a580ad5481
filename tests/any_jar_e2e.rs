//! End to end on a jar from any site (issue #14.5): `crumbs JAR` on the curl
//! jar of a shop and two ad networks opens on the `*` scope, and reject-all,
//! save, quit writes what `crumbs prune --site '*' --reject-all` writes, with
//! the choice in `consent/_all.json` and no preferences cookie.

use std::path::{Path, PathBuf};
use std::process::Command;

mod tmux;
use tmux::{BIN, NOW, Tmux};

const SHOP: &str = "tests/fixtures/curl-shop.cookies.txt";

struct Sandbox {
    dir: tempfile::TempDir,
}

impl Sandbox {
    fn new() -> Sandbox {
        let dir = tempfile::tempdir().expect("temp dir");
        std::fs::copy(SHOP, dir.path().join("cookies.txt")).expect("copy fixture");
        Sandbox { dir }
    }

    fn jar(&self) -> PathBuf {
        self.dir.path().join("cookies.txt")
    }

    fn config(&self) -> PathBuf {
        self.dir.path().join("config")
    }

    fn data(&self) -> PathBuf {
        self.dir.path().join("data")
    }

    fn env(&self) -> [(&'static str, PathBuf); 2] {
        [
            ("XDG_CONFIG_HOME", self.config()),
            ("XDG_DATA_HOME", self.data()),
        ]
    }
}

#[test]
fn reject_all_on_the_star_scope_saves_what_prune_site_star_writes() {
    let tui = Sandbox::new();
    let jar = tui.jar();
    let env = tui.env();
    let env: Vec<(&str, &Path)> = env.iter().map(|(k, v)| (*k, v.as_path())).collect();
    let t = Tmux::start(&[jar.to_str().expect("utf-8 temp path")], 100, 30, &env);
    let screen = t.wait_text("Categories");
    assert!(
        screen.contains("site *  policy Known-cookie catalog"),
        "{screen}"
    );
    assert!(screen.contains("Marketing"), "{screen}");
    t.keys(&["r"]);
    t.wait_text("All optional categories refused");
    t.keys(&["s"]);
    let s = t.wait_text("Remove 6 cookies");
    assert!(!s.contains("cookies_preferences"), "{s}");
    t.keys(&["y"]);
    t.wait_text("Saved");
    t.keys(&["q"]);
    t.wait_exit();

    let prune = Sandbox::new();
    let out = Command::new(BIN)
        .args(["prune", "--site", "*", "--reject-all"])
        .arg(prune.jar())
        .env("CRUMBS_NOW", NOW)
        .env("XDG_CONFIG_HOME", prune.config())
        .env("XDG_DATA_HOME", prune.data())
        .output()
        .expect("crumbs prune runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let a = std::fs::read_to_string(tui.jar()).expect("tui jar");
    let b = std::fs::read_to_string(prune.jar()).expect("pruned jar");
    assert_eq!(a, b, "the TUI and prune --site '*' write the same jar");
    let names: Vec<&str> = a
        .lines()
        .filter(|l| !l.is_empty() && (!l.starts_with('#') || l.starts_with("#HttpOnly_")))
        .filter_map(|l| l.split('\t').nth(5))
        .collect();
    assert_eq!(
        names,
        [
            "test_cookie",
            "basket",
            "_hjSessionUser_3141592",
            "__cf_bm",
            "PHPSESSID"
        ]
    );
    for sb in [&tui, &prune] {
        let record = sb.config().join("crumbs/consent/_all.json");
        let text = std::fs::read_to_string(&record).expect("the * record");
        assert!(text.contains("\"marketing\": false"), "{text}");
    }
}
