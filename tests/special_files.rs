//! Faithful to the file (DESIGN §4, invariant 4): `--output` into a device,
//! FIFO, standard stream or dangling symlink writes into it (never replaces
//! it); owner, group and mode survive a save and an undo; a jar the user may
//! not write is refused in every format. The device cases run in a private
//! mount namespace over a tmpfs `/dev`: the machine's own `/dev` is never used.

mod common;

use std::fs;
use std::os::unix::fs::{FileTypeExt, MetadataExt, PermissionsExt};
use std::path::Path;

use common::{Sandbox, extended_policy, repo};

const CURL: &str = "tests/fixtures/curl.cookies.txt";
const FIREFOX: &str = "tests/fixtures/firefox.cookies.sqlite";
const CHROMIUM: &str = "tests/fixtures/chromium.Cookies";

fn is_root() -> bool {
    fs::metadata("/proc/self").map(|m| m.uid()).ok() == Some(0)
}

/// The pruned bytes of `jar` as `--output FILE` writes them to a plain file.
fn pruned(sb: &Sandbox, jar: &Path) -> Vec<u8> {
    let out = sb.path("reference.out");
    sb.crumbs()
        .args(["prune", "--reject-all", "--policy", &extended_policy()])
        .arg("--output")
        .arg(&out)
        .arg(jar)
        .assert()
        .success();
    fs::read(&out).unwrap()
}

/// `/dev/null` and `/dev/stdout` (a link to `/proc/self/fd/1`) in a private
/// `/dev`: both stay what they were, the jar goes into them.
#[test]
fn output_into_dev_null_and_dev_stdout_keeps_them() {
    let sb = Sandbox::new();
    let jar = sb.copy(CURL);
    let want = pruned(&sb, &jar);
    let script = r#"
        mount -t tmpfs -o size=64k tmpfs /dev || exit 99
        mknod -m 666 /dev/null c 1 3 && ln -s /proc/self/fd/1 /dev/stdout || exit 98
        "$BIN" prune --reject-all --policy "$POLICY" --output /dev/null "$JAR" >/dev/null 2>&1
        echo "null rc=$? $(stat -c '%F %a' /dev/null)" >&2
        "$BIN" prune --reject-all --policy "$POLICY" --output /dev/stdout "$JAR" 2>/dev/null >"$OUT"
        echo "stdout rc=$? $(stat -c '%F' /dev/stdout)" >&2
        "$BIN" prune --reject-all --policy "$POLICY" --output /dev/stdout "$JAR" 2>/dev/null | cat >"$OUT.pipe"
        echo "pipe $(stat -c '%F' /dev/stdout)" >&2
    "#;
    let out = std::process::Command::new("unshare")
        .args(["-m", "sh", "-c", script])
        .env("BIN", assert_cmd::cargo::cargo_bin("crumbs"))
        .env("POLICY", extended_policy())
        .env("JAR", &jar)
        .env("OUT", sb.path("stdout.out"))
        .env("XDG_CONFIG_HOME", sb.config())
        .env("XDG_DATA_HOME", sb.data())
        .env("CRUMBS_NOW", common::NOW.to_string())
        .output()
        .expect("unshare (util-linux) runs the test in a private mount namespace");
    let log = String::from_utf8_lossy(&out.stderr);
    assert!(
        !matches!(out.status.code(), Some(98 | 99)),
        "cannot make a private /dev here: {log}"
    );
    assert!(
        log.contains("null rc=0 character special file 666"),
        "{log}"
    );
    assert!(log.contains("stdout rc=0 symbolic link"), "{log}");
    assert!(log.contains("pipe symbolic link"), "{log}");
    // Redirected to a file or a pipe, standard output holds the pruned jar
    // (the report follows it).
    for f in ["stdout.out", "stdout.out.pipe"] {
        let got = fs::read(sb.path(f)).unwrap();
        assert!(got.starts_with(&want), "{f}: {} bytes", got.len());
    }
    assert!(fs::read(&jar).unwrap() == fs::read(repo(CURL)).unwrap());
}

/// A FIFO given to `--output` receives the jar and stays a FIFO.
#[test]
fn output_into_a_fifo_keeps_it() {
    let sb = Sandbox::new();
    let jar = sb.copy(CURL);
    let want = pruned(&sb, &jar);
    let fifo = sb.path("pipe");
    assert!(
        std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap()
            .success()
    );
    // A FIFO replaced by a file would leave this reader waiting forever:
    // it reports through a channel, and the test waits a bounded time.
    let (tx, rx) = std::sync::mpsc::channel();
    {
        let fifo = fifo.clone();
        std::thread::spawn(move || tx.send(fs::read(fifo).unwrap()));
    }
    sb.crumbs()
        .args(["prune", "--reject-all", "--policy", &extended_policy()])
        .arg("--output")
        .arg(&fifo)
        .arg(&jar)
        .timeout(std::time::Duration::from_secs(20))
        .assert()
        .success();
    let got = rx
        .recv_timeout(std::time::Duration::from_secs(10))
        .expect("the FIFO's reader got the jar");
    assert!(got == want);
    assert!(fs::symlink_metadata(&fifo).unwrap().file_type().is_fifo());
}

/// A dangling symlink given to `--output` stays a link; the file it names
/// is created with the jar (as `>` in a shell does).
#[test]
fn output_through_a_dangling_symlink() {
    let sb = Sandbox::new();
    let jar = sb.copy(CURL);
    let want = pruned(&sb, &jar);
    let link = sb.path("link.txt");
    std::os::unix::fs::symlink("made.txt", &link).unwrap();
    sb.crumbs()
        .args(["prune", "--reject-all", "--policy", &extended_policy()])
        .arg("--output")
        .arg(&link)
        .arg(&jar)
        .assert()
        .success();
    assert!(
        fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink()
    );
    assert!(fs::read(sb.path("made.txt")).unwrap() == want);
}

/// Root pruning a user's jar leaves it the user's, with its mode; so does `undo`.
#[test]
fn owner_group_and_mode_survive_prune_and_undo() {
    if !is_root() {
        eprintln!("skipped: only root can hand a jar to another user");
        return;
    }
    let sb = Sandbox::new();
    for fixture in [CURL, FIREFOX] {
        let jar = sb.copy(fixture);
        std::os::unix::fs::chown(&jar, Some(65534), Some(65533)).unwrap();
        fs::set_permissions(&jar, fs::Permissions::from_mode(0o640)).unwrap();
        let owner = |p: &Path| {
            let m = fs::metadata(p).unwrap();
            (m.uid(), m.gid(), m.mode() & 0o7777)
        };
        sb.crumbs()
            .args(["prune", "--reject-all", "--policy", &extended_policy()])
            .arg(&jar)
            .assert()
            .success();
        assert_eq!(owner(&jar), (65534, 65533, 0o640), "{fixture}: after prune");
        sb.crumbs().arg("undo").arg(&jar).assert().success();
        assert_eq!(owner(&jar), (65534, 65533, 0o640), "{fixture}: after undo");
        if fixture == CURL {
            assert!(fs::read(&jar).unwrap() == fs::read(repo(fixture)).unwrap());
        }
    }
}

/// A 0444 jar is refused in every format (root included: the owner made it
/// read-only), with nothing written and no backup.
#[test]
fn read_only_jar_is_refused_in_every_format() {
    let sb = Sandbox::new();
    for fixture in [CURL, FIREFOX, CHROMIUM] {
        let jar = sb.copy(fixture);
        fs::set_permissions(&jar, fs::Permissions::from_mode(0o444)).unwrap();
        let out = sb
            .crumbs()
            .args(["prune", "--reject-all", "--policy", &extended_policy()])
            .arg(&jar)
            .assert()
            .code(2);
        let err = String::from_utf8_lossy(&out.get_output().stderr).into_owned();
        let name = jar.file_name().unwrap().to_str().unwrap();
        assert!(
            err.contains(name) && err.contains("read-only (mode 0444)"),
            "{fixture}: {err}"
        );
        assert!(fs::read(&jar).unwrap() == fs::read(repo(fixture)).unwrap());
        assert!(
            !sb.data().join("crumbs/backups").exists(),
            "{fixture}: no backup"
        );
    }
}

/// A jar the user may not write (root's 0644 jar, pruned by nobody through
/// `setpriv`) is refused with the reason, not replaced.
#[test]
fn someone_elses_jar_is_refused() {
    if !is_root() {
        eprintln!("skipped: setpriv needs root to become nobody");
        return;
    }
    let sb = Sandbox::new();
    let open = sb.path("open");
    fs::create_dir(&open).unwrap();
    fs::set_permissions(&open, fs::Permissions::from_mode(0o1777)).unwrap();
    let jar = open.join("jar.txt");
    fs::copy(repo(CURL), &jar).unwrap();
    fs::set_permissions(&jar, fs::Permissions::from_mode(0o644)).unwrap();
    let out = std::process::Command::new("setpriv")
        .args(["--reuid=65534", "--regid=65534", "--clear-groups"])
        .arg(assert_cmd::cargo::cargo_bin("crumbs"))
        .args(["prune", "--reject-all", "--policy", &extended_policy()])
        .arg(&jar)
        .env("XDG_CONFIG_HOME", open.join("c"))
        .env("XDG_DATA_HOME", open.join("d"))
        .output()
        .expect("setpriv (util-linux) runs crumbs as nobody");
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(
        err.contains("jar.txt: you may not write it (mode 0644, owner uid 0)"),
        "{err}"
    );
    assert!(fs::read(&jar).unwrap() == fs::read(repo(CURL)).unwrap());
}

/// Detection reads the first bytes only (DESIGN §4, invariant 7): a 64 GiB
/// sparse file, which could not even be held in memory, is refused as binary
/// data at once.
#[test]
fn huge_sparse_file_is_refused_from_its_first_bytes() {
    let sb = Sandbox::new();
    let sparse = sb.path("sparse.bin");
    fs::File::create(&sparse)
        .unwrap()
        .set_len(64 << 30)
        .unwrap();
    let start = std::time::Instant::now();
    let out = sb
        .crumbs()
        .arg("list")
        .arg(&sparse)
        .timeout(std::time::Duration::from_secs(60))
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(
        err.contains("sparse.bin: not a supported cookie jar: binary data"),
        "{err}"
    );
    assert!(start.elapsed() < std::time::Duration::from_secs(5));
}

/// A hard-linked jar is refused, naming the link count, unless `--force`
/// (then it becomes a file of its own and the other link keeps the old one).
#[test]
fn hard_linked_jar_is_refused_unless_forced() {
    let sb = Sandbox::new();
    let jar = sb.copy(CURL);
    let other = sb.path("other-link.txt");
    fs::hard_link(&jar, &other).unwrap();
    let prune = || {
        let mut c = sb.crumbs();
        c.args(["prune", "--reject-all", "--policy", &extended_policy()]);
        c
    };
    let out = prune().arg(&jar).assert().code(2);
    let err = String::from_utf8_lossy(&out.get_output().stderr).into_owned();
    assert!(
        err.contains("curl.cookies.txt: this jar has 2 hard links") && err.contains("--force"),
        "{err}"
    );
    assert!(fs::read(&jar).unwrap() == fs::read(repo(CURL)).unwrap());
    assert!(!sb.data().join("crumbs/backups").exists(), "no backup");
    prune().arg("--force").arg(&jar).assert().success();
    assert!(!fs::read_to_string(&jar).unwrap().contains("\t_ga\t"));
    assert!(fs::read(&other).unwrap() == fs::read(repo(CURL)).unwrap());
}
