//! Finding browser jars: the database inside a profile folder, and every
//! browser profile on this machine (Firefox from `profiles.ini`; Chromium,
//! Chrome, Brave and Edge from their user-data folders), on Linux and macOS.

use std::path::{Path, PathBuf};

use super::JarError;

/// The files a profile folder may hold its cookies in, in the order tried.
pub const PROFILE_JARS: &[&str] = &[
    "cookies.sqlite",
    "Network/Cookies",
    "Cookies",
    "Default/Network/Cookies",
    "Default/Cookies",
];

/// The jar a path names: the path itself for a file, else the cookie database
/// inside a browser profile folder (Firefox `cookies.sqlite`, Chromium
/// `Network/Cookies` or the older `Cookies`; a Chromium user-data folder
/// means its `Default` profile).
pub fn locate(path: &Path) -> Result<PathBuf, JarError> {
    if !path.is_dir() {
        return Ok(path.to_path_buf());
    }
    let in_folder = |dir: &Path| {
        std::iter::once(dir.join("cookies.sqlite"))
            .filter(|p| p.is_file())
            .chain(chromium_jar(dir))
            .next()
    };
    in_folder(path)
        .or_else(|| chromium_jar(&path.join("Default")))
        .ok_or_else(|| JarError::Unsupported {
            path: path.to_path_buf(),
            what: format!(
                "a folder without a cookie jar (looked for {})",
                PROFILE_JARS.join(", ")
            ),
        })
}

/// A Chromium profile's cookie database: `Network/Cookies` (Windows, macOS,
/// recent ChromeOS) or `Cookies` (Linux); the newer one when both exist.
pub fn chromium_jar(profile: &Path) -> Option<PathBuf> {
    let modified = |p: &PathBuf| std::fs::metadata(p).and_then(|m| m.modified()).ok();
    ["Network/Cookies", "Cookies"]
        .iter()
        .map(|rel| profile.join(rel))
        .filter(|p| p.is_file())
        .max_by_key(modified)
}

/// One browser profile's cookie jar found on this machine.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FoundJar {
    /// The browser ("Firefox", "Chromium", "Google Chrome", "Brave", "Microsoft Edge").
    pub browser: String,
    /// The profile's name (`profiles.ini` Name, or the Chromium profile folder).
    pub profile: String,
    /// The profile folder.
    pub profile_dir: PathBuf,
    /// The cookie database.
    pub jar: PathBuf,
    /// True when the profile's lock says its browser is running.
    pub running: bool,
    /// The running browser's live endpoint, when it has one open.
    pub endpoint: Option<crate::live::Endpoint>,
}

/// Where to look: the home folder and the platform's config / application-support folder.
#[derive(Debug, Clone)]
pub struct Roots {
    /// `$HOME`.
    pub home: PathBuf,
    /// Linux: `$XDG_CONFIG_HOME` (`~/.config`); macOS: `~/Library/Application Support`.
    pub config: PathBuf,
}

impl Roots {
    /// The current user's folders, from `directories`.
    pub fn from_env() -> Option<Roots> {
        let b = directories::BaseDirs::new()?;
        Some(Roots {
            home: b.home_dir().to_path_buf(),
            config: b.config_dir().to_path_buf(),
        })
    }
}

/// Firefox profile roots (folders holding `profiles.ini`) under `roots`.
fn firefox_roots(r: &Roots) -> Vec<PathBuf> {
    vec![
        r.home.join(".mozilla/firefox"),
        r.home.join("snap/firefox/common/.mozilla/firefox"),
        r.home.join(".var/app/org.mozilla.firefox/.mozilla/firefox"),
        r.config.join("Firefox"), // macOS: ~/Library/Application Support/Firefox
    ]
}

/// Chromium-family user-data folders under `roots`: (browser, folder).
fn chromium_roots(r: &Roots) -> Vec<(&'static str, PathBuf)> {
    let c = &r.config;
    vec![
        ("Chromium", c.join("chromium")),
        ("Google Chrome", c.join("google-chrome")),
        ("Brave", c.join("BraveSoftware/Brave-Browser")),
        ("Microsoft Edge", c.join("microsoft-edge")),
        // macOS names (under ~/Library/Application Support).
        ("Chromium", c.join("Chromium")),
        ("Google Chrome", c.join("Google/Chrome")),
        ("Microsoft Edge", c.join("Microsoft Edge")),
    ]
}

/// Whether `profile` is in Google Chrome's default user-data folder, where
/// Chrome 136 and later refuse remote debugging.
pub fn is_default_chrome(profile: &Path, roots: &Roots) -> bool {
    chromium_roots(roots)
        .iter()
        .filter(|(browser, _)| *browser == "Google Chrome")
        .any(|(_, root)| profile.parent() == Some(root.as_path()))
}

/// Every browser cookie jar under `roots`, Firefox first, in a stable order.
pub fn discover(roots: &Roots) -> Vec<FoundJar> {
    let mut found = Vec::new();
    let mut seen = std::collections::BTreeSet::new();
    for root in firefox_roots(roots) {
        for (name, dir) in firefox_profiles(&root) {
            let jar = dir.join("cookies.sqlite");
            if jar.is_file() && seen.insert(jar.clone()) {
                found.push(FoundJar {
                    browser: "Firefox".into(),
                    profile: name,
                    running: firefox_running(&dir),
                    endpoint: crate::live::discover::firefox(&dir).map(|d| d.endpoint),
                    profile_dir: dir,
                    jar,
                });
            }
        }
    }
    for (browser, root) in chromium_roots(roots) {
        let running = chromium_running(&root);
        let endpoint = crate::live::discover::chromium(&root).map(|d| d.endpoint);
        for (name, dir) in chromium_profiles(&root) {
            let Some(jar) = chromium_jar(&dir) else {
                continue;
            };
            if seen.insert(jar.clone()) {
                found.push(FoundJar {
                    browser: browser.into(),
                    profile: name,
                    profile_dir: dir,
                    jar,
                    running,
                    endpoint: endpoint.clone(),
                });
            }
        }
    }
    found
}

/// The profiles `profiles.ini` in `root` lists: (Name, folder).
pub fn firefox_profiles(root: &Path) -> Vec<(String, PathBuf)> {
    let Ok(text) = std::fs::read_to_string(root.join("profiles.ini")) else {
        return Vec::new();
    };
    parse_profiles_ini(&text)
        .into_iter()
        .map(|p| {
            let dir = if p.relative {
                root.join(&p.path)
            } else {
                PathBuf::from(&p.path)
            };
            (p.name, dir)
        })
        .collect()
}

/// One `[ProfileN]` section of `profiles.ini`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IniProfile {
    /// `Name=`.
    pub name: String,
    /// `Path=`.
    pub path: String,
    /// `IsRelative=1` (the default).
    pub relative: bool,
}

/// The `[Profile*]` sections of a `profiles.ini` that have a `Path=`.
pub fn parse_profiles_ini(text: &str) -> Vec<IniProfile> {
    let mut out = Vec::new();
    let mut current: Option<IniProfile> = None;
    let flush = |current: &mut Option<IniProfile>, out: &mut Vec<IniProfile>| {
        if let Some(p) = current.take().filter(|p| !p.path.is_empty()) {
            out.push(p);
        }
    };
    for line in text.lines() {
        let line = line.trim();
        if let Some(section) = line.strip_prefix('[').and_then(|l| l.strip_suffix(']')) {
            flush(&mut current, &mut out);
            if section.starts_with("Profile") {
                current = Some(IniProfile {
                    name: section.to_owned(),
                    path: String::new(),
                    relative: true,
                });
            }
            continue;
        }
        let (Some(p), Some((k, v))) = (current.as_mut(), line.split_once('=')) else {
            continue;
        };
        match k.trim() {
            "Name" => p.name = v.trim().to_owned(),
            "Path" => p.path = v.trim().to_owned(),
            "IsRelative" => p.relative = v.trim() != "0",
            _ => {}
        }
    }
    flush(&mut current, &mut out);
    out
}

/// Chromium profile folders in a user-data folder: `Default`, `Profile N`,
/// and any other folder holding a cookie database: (name, folder).
pub fn chromium_profiles(root: &Path) -> Vec<(String, PathBuf)> {
    let Ok(entries) = std::fs::read_dir(root) else {
        return Vec::new();
    };
    let mut out: Vec<(String, PathBuf)> = entries
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.join("Network/Cookies").is_file() || p.join("Cookies").is_file())
        .filter_map(|p| Some((p.file_name()?.to_string_lossy().into_owned(), p)))
        .collect();
    out.sort();
    out
}

/// Whether a process with this id runs (Linux: `/proc/PID`; elsewhere the
/// lock's presence is taken as running).
fn pid_alive(pid: &str) -> bool {
    if pid.is_empty() || !pid.bytes().all(|b| b.is_ascii_digit()) {
        return false;
    }
    if cfg!(target_os = "linux") {
        Path::new("/proc").join(pid).exists()
    } else {
        true
    }
}

/// Firefox's profile lock: a symlink `lock` → `IP:+PID` (Linux) or `.parentlock`.
pub fn firefox_running(profile: &Path) -> bool {
    match std::fs::read_link(profile.join("lock")) {
        Ok(target) => {
            let t = target.to_string_lossy();
            pid_alive(t.rsplit('+').next().unwrap_or(""))
        }
        Err(_) => !cfg!(target_os = "linux") && profile.join(".parentlock").exists(),
    }
}

/// Chromium's user-data lock: a symlink `SingletonLock` → `HOST-PID`.
pub fn chromium_running(user_data: &Path) -> bool {
    match std::fs::read_link(user_data.join("SingletonLock")) {
        Ok(target) => {
            let t = target.to_string_lossy();
            pid_alive(t.rsplit('-').next().unwrap_or(""))
        }
        Err(_) => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn profiles_ini() {
        let ini = "[Install4F96D1932A9F858E]\nDefault=abc.default-release\n\n\
                   [Profile1]\nName=work\nIsRelative=0\nPath=/data/ff/work\n\n\
                   [Profile0]\nName=default-release\nIsRelative=1\nPath=abc.default-release\nDefault=1\n\n\
                   [General]\nStartWithLastProfile=1\nVersion=2\n";
        assert_eq!(
            parse_profiles_ini(ini),
            vec![
                IniProfile {
                    name: "work".into(),
                    path: "/data/ff/work".into(),
                    relative: false
                },
                IniProfile {
                    name: "default-release".into(),
                    path: "abc.default-release".into(),
                    relative: true
                },
            ]
        );
    }

    #[test]
    fn locate_profile_folders() {
        let t = tempfile::tempdir().unwrap();
        let file = t.path().join("cookies.txt");
        std::fs::write(&file, "").unwrap();
        assert_eq!(locate(&file).unwrap(), file);
        let chromium = t.path().join("Default");
        std::fs::create_dir_all(chromium.join("Network")).unwrap();
        std::fs::write(chromium.join("Network/Cookies"), "").unwrap();
        assert_eq!(locate(&chromium).unwrap(), chromium.join("Network/Cookies"));
        assert_eq!(
            locate(t.path()).unwrap(),
            t.path().join("Default/Network/Cookies"),
            "a user-data folder means its Default profile"
        );
        let empty = t.path().join("empty");
        std::fs::create_dir(&empty).unwrap();
        assert!(locate(&empty).is_err());
    }
}
