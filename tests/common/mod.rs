//! Helpers shared by the command-line tests: a sandbox with its own config and
//! data dirs, a pinned clock, and copies of fixture jars.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

use assert_cmd::Command;

/// 2026-11-18T00:00:00Z: every fixture cookie is still valid then.
pub const NOW: i64 = 1_795_000_000;

/// A temp folder with its own XDG config and data dirs.
pub struct Sandbox {
    pub dir: tempfile::TempDir,
}

impl Sandbox {
    pub fn new() -> Sandbox {
        Sandbox {
            dir: tempfile::tempdir().unwrap(),
        }
    }

    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    /// Copies a fixture (path relative to the crate root) into the sandbox.
    pub fn copy(&self, fixture: &str) -> PathBuf {
        let src = repo(fixture);
        let dest = self.path(Path::new(fixture).file_name().unwrap().to_str().unwrap());
        std::fs::copy(&src, &dest).unwrap();
        dest
    }

    pub fn config(&self) -> PathBuf {
        self.path("config")
    }

    pub fn data(&self) -> PathBuf {
        self.path("data")
    }

    /// The crumbs binary with this sandbox's dirs and the pinned clock.
    pub fn crumbs(&self) -> Command {
        let mut c = Command::cargo_bin("crumbs").unwrap();
        c.env("XDG_CONFIG_HOME", self.config())
            .env("XDG_DATA_HOME", self.data())
            .env("CRUMBS_NOW", NOW.to_string())
            .env_remove("NO_COLOR")
            .current_dir(self.dir.path());
        c
    }

    /// `crumbs check --json JAR` on a jar with problems (exit 1).
    #[allow(dead_code)]
    pub fn check_json(&self, jar: &Path) -> assert_cmd::assert::Assert {
        self.crumbs()
            .args(["check", "--json"])
            .arg(jar)
            .assert()
            .code(1)
    }
}

/// A path in the repository.
pub fn repo(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(rel)
}

/// The test policy: shipped facts plus test-only statistical and third-party declarations.
pub fn extended_policy() -> String {
    repo("tests/data/policies/opendatasoft-extended.json")
        .display()
        .to_string()
}

/// Parses stdout as JSON: its first value, when it holds one per scope (a
/// jar's site scopes come first, the `*` scope last).
pub fn json_of(out: &[u8]) -> serde_json::Value {
    json_all(out).into_iter().next().unwrap_or_else(|| {
        panic!("no JSON value: {}", String::from_utf8_lossy(out));
    })
}

/// Every JSON value of stdout (one per scope for `list`, `check` and `prune`).
pub fn json_all(out: &[u8]) -> Vec<serde_json::Value> {
    serde_json::Deserializer::from_slice(out)
        .into_iter::<serde_json::Value>()
        .collect::<Result<Vec<_>, _>>()
        .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(out)))
}

/// A finished command's stdout as text.
pub fn stdout(a: &assert_cmd::assert::Assert) -> String {
    String::from_utf8_lossy(&a.get_output().stdout).into_owned()
}

impl Sandbox {
    /// The backups crumbs keeps in this sandbox (any jar, partial ones
    /// too), sorted.
    pub fn backups(&self) -> Vec<PathBuf> {
        let root = self.data().join("crumbs/backups");
        let mut out = Vec::new();
        for d in std::fs::read_dir(&root).into_iter().flatten() {
            for f in std::fs::read_dir(d.unwrap().path()).unwrap() {
                out.push(f.unwrap().path());
            }
        }
        out.sort();
        out
    }
}

/// The paths among `files` whose extension is `ext`.
pub fn with_ext(files: &[PathBuf], ext: &str) -> Vec<PathBuf> {
    files
        .iter()
        .filter(|p| p.extension().is_some_and(|e| e == ext))
        .cloned()
        .collect()
}

/// The temporary files crumbs writes beside a jar, in folder `dir`.
pub fn temp_files(dir: &Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".tmp"))
        .collect()
}

/// Waits until process `pid` has halted itself at a `CRUMBS_STOP_AT` stop
/// point (its state in /proc turns to "T"): true; false when it ended
/// first. Panics after a minute.
pub fn wait_halted(pid: u32) -> bool {
    let stat = format!("/proc/{pid}/stat");
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    loop {
        let s = std::fs::read_to_string(&stat).unwrap_or_default();
        // "pid (comm) STATE ...": the state follows the last ')'.
        match s.rsplit_once(") ").map(|(_, r)| &r[..1]) {
            Some("T") => return true,
            Some("Z") | None => return false,
            _ => {}
        }
        assert!(
            std::time::Instant::now() < deadline,
            "process {pid} neither halted nor ended in a minute"
        );
        std::thread::sleep(std::time::Duration::from_micros(500));
    }
}

/// A fixture (path relative to the crate root) opened as a jar.
pub fn open(rel: &str) -> crumbs::jar::Jar {
    crumbs::jar::Jar::open(&repo(rel), crumbs::jar::OpenOptions::default())
        .unwrap_or_else(|e| panic!("{rel}: {e}"))
}

/// A fixture's bytes.
pub fn bytes(rel: &str) -> Vec<u8> {
    std::fs::read(repo(rel)).unwrap()
}

/// The names of a jar's cookies, in order.
pub fn names(j: &crumbs::jar::Jar) -> Vec<String> {
    j.cookies().iter().map(|c| c.name.to_string()).collect()
}

impl Sandbox {
    /// `crumbs prune --json --reject-all` of `jar` under the extended
    /// policy, which must succeed: its JSON report.
    pub fn prune_reject_all(&self, jar: &Path) -> serde_json::Value {
        let out = self
            .crumbs()
            .args([
                "prune",
                "--json",
                "--reject-all",
                "--policy",
                &extended_policy(),
            ])
            .arg(jar)
            .assert()
            .success();
        json_of(&out.get_output().stdout)
    }
}

impl Sandbox {
    /// Writes `content` to `name` in the sandbox and runs `crumbs prune
    /// --reject-all` on it, which must exit 2 and leave the file as it was:
    /// its standard error.
    pub fn prune_refused(&self, name: &str, content: &[u8]) -> String {
        let path = self.path(name);
        std::fs::write(&path, content).unwrap();
        let out = self
            .crumbs()
            .args(["prune", "--reject-all"])
            .arg(&path)
            .assert()
            .code(2);
        assert_eq!(std::fs::read(&path).unwrap(), content, "nothing written");
        String::from_utf8_lossy(&out.get_output().stderr).into_owned()
    }
}

/// `convert --json`'s `lost` list as (kind, count) pairs, in order.
#[allow(dead_code)]
pub fn lost_of(report: &serde_json::Value) -> Vec<(String, u64)> {
    report["lost"]
        .as_array()
        .expect("a lost list")
        .iter()
        .map(|l| {
            (
                l["kind"].as_str().expect("a kind").to_owned(),
                l["count"].as_u64().expect("a count"),
            )
        })
        .collect()
}

/// The `Cookie:` header httpie would send to `url` with `session`
/// (`--offline`: nothing leaves the machine), `home` as its home.
#[allow(dead_code)]
pub fn httpie_cookie_header(session: &Path, url: &str, home: &Path) -> String {
    let out = std::process::Command::new("http")
        .args(["--offline", "--ignore-stdin", "--print=H"])
        .arg(format!("--session={}", session.display()))
        .arg(url)
        .env("HOME", home)
        .output()
        .expect("http runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .find(|l| l.starts_with("Cookie:"))
        .expect("a Cookie header")
        .to_owned()
}
