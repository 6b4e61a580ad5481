//! The one-way dependencies of DESIGN §2, checked on the source: the TUI's
//! state never imports its rendering, the key table never imports the state,
//! and the engine never imports either face.

use std::path::Path;

/// Every `.rs` file under `dir`.
fn sources(dir: &Path) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).expect("source folder") {
        let path = entry.expect("entry").path();
        if path.is_dir() {
            out.extend(sources(&path));
        } else if path.extension().is_some_and(|e| e == "rs") {
            let text = std::fs::read_to_string(&path).expect("source");
            out.push((path.display().to_string(), text));
        }
    }
    out
}

fn mentions(text: &str, module: &str) -> bool {
    text.lines()
        .filter(|l| !l.trim_start().starts_with("//"))
        .any(|l| l.contains(&format!("super::{module}")) || l.contains(&format!("tui::{module}")))
}

#[test]
fn the_state_never_imports_rendering() {
    let state = [
        "src/tui/app.rs",
        "src/tui/details.rs",
        "src/tui/choices.rs",
        "src/tui/list.rs",
    ];
    let mut files: Vec<(String, String)> = state
        .iter()
        .map(|p| (p.to_string(), std::fs::read_to_string(p).expect("source")))
        .collect();
    files.extend(sources(Path::new("src/tui/app")));
    for (path, text) in files {
        for module in ["view", "overlays"] {
            assert!(!mentions(&text, module), "{path} uses {module}");
        }
    }
}

#[test]
fn the_keymap_never_imports_the_app() {
    let text = std::fs::read_to_string("src/tui/keymap.rs").expect("source");
    assert!(!mentions(&text, "app"), "keymap uses app");
}

#[test]
fn the_engine_never_imports_a_face() {
    for (path, text) in sources(Path::new("src")) {
        if path.starts_with("src/tui") || path.starts_with("src/cli") || path == "src/main.rs" {
            continue;
        }
        assert!(
            !text.contains("crate::tui") && !text.contains("crate::cli"),
            "{path} uses a face"
        );
    }
}
