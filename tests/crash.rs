//! Crash safety: `crumbs prune` on 5,000-cookie jars killed with SIGKILL at
//! least 200 times (three jars side by side), at moments spread over every phase of a save: at a
//! random moment of the whole run (reading, deciding, saving), and at each
//! of the save's stop points (lock taken, jar checked, backup written, new
//! jar written, committed), either right there or a random moment into the
//! phase that follows. After every kill the jar is either the original
//! bytes or the whole pruned result (the original before the commit point,
//! the result after it), the consent record and log are whole, and the
//! temporary files and partial backups the kills leave are cleaned up by
//! the next run.

mod common;

use std::fs;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use common::{NOW, Sandbox, temp_files, wait_halted, with_ext};
use crumbs::consent::value::ConsentValue;

/// A deterministic cookies.txt: 2% on the portal, the rest on other sites.
fn big_jar(n: usize) -> Vec<u8> {
    let mut s = String::from("# Netscape HTTP Cookie File\n\n");
    for i in 0..n {
        let (domain, name) = if i % 50 == 0 {
            (
                "robertleaf.my.opendatasoft.com".to_string(),
                if i == 0 {
                    "sessionid".to_string()
                } else {
                    format!("_ga_{i}")
                },
            )
        } else {
            (format!("site{}.example.com", i % 9973), format!("c{i}"))
        };
        s.push_str(&format!(
            "{domain}\tFALSE\t/\tFALSE\t2000000000\t{name}\tv{i:08x}\n"
        ));
    }
    s.into_bytes()
}

/// The jar's lines with the preferences cookie's value masked (its consent id is random).
fn masked(bytes: &[u8]) -> Vec<String> {
    String::from_utf8_lossy(bytes)
        .lines()
        .map(|l| {
            let f: Vec<&str> = l.split('\t').collect();
            if f.len() == 7 && f[5] == "cookies_preferences" {
                ConsentValue::decode(f[6]).expect("a whole consent value");
                format!("{}\t{}\t<value>", f[..4].join("\t"), f[5])
            } else {
                l.to_string()
            }
        })
        .collect()
}

/// The save's stop points in order, and whether the jar is already the
/// result there (see `crumbs::jar::commit`).
const PHASES: [(&str, bool); 5] = [
    ("locked", false),
    ("checked", false),
    ("backed-up", false),
    ("written", false),
    ("committed", true),
];

/// Where a round kills the run.
#[derive(Clone, Copy, Debug)]
enum Moment {
    /// A random moment of the whole run.
    Anywhere,
    /// Halted at the stop point.
    At(usize),
    /// A random moment after the stop point, up to 4 ms into what follows.
    After(usize),
}

/// The moments, in the order the rounds cycle through them.
const MOMENTS: [Moment; 11] = [
    Moment::Anywhere,
    Moment::At(0),
    Moment::After(0),
    Moment::At(1),
    Moment::After(1),
    Moment::At(2),
    Moment::After(2),
    Moment::At(3),
    Moment::After(3),
    Moment::At(4),
    Moment::After(4),
];

/// A small xorshift: the same moments on every run of the test.
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % n.max(1)
    }
}

/// Runs that work side by side, each on its own jar and folders (a save
/// mostly waits for the disk).
const WORKERS: usize = 3;

/// One worker's jar, folders and the whole result to compare with.
struct Bench {
    sb: Sandbox,
    work: PathBuf,
    jar: PathBuf,
    original: Vec<u8>,
    pruned: Vec<String>,
}

impl Bench {
    /// A sandbox holding the original jar, and the whole result; returns
    /// it with how long a whole run took (microseconds).
    fn new() -> (Bench, u64) {
        let sb = Sandbox::new();
        let work = sb.path("work");
        fs::create_dir(&work).unwrap();
        let jar = work.join("cookies.txt");
        let original = big_jar(COOKIES);
        fs::write(&jar, &original).unwrap();
        let reference = sb.path("reference.txt");
        let started = Instant::now();
        sb.crumbs()
            .args(["prune", "--reject-all", "--output"])
            .arg(&reference)
            .arg(&jar)
            .assert()
            .success();
        let run_us = started.elapsed().as_micros() as u64;
        let pruned = masked(&fs::read(&reference).unwrap());
        // Header and blank line, 98% other-site cookies, sessionid, the preferences cookie.
        assert_eq!(pruned.len(), COOKIES * 49 / 50 + 4);
        let bench = Bench {
            sb,
            work,
            jar,
            original,
            pruned,
        };
        (bench, run_us)
    }

    /// Starts a prune of the original jar, halting at `stop` when given.
    fn start(&self, stop: Option<&str>) -> Child {
        fs::write(&self.jar, &self.original).unwrap();
        let mut cmd = Command::new(assert_cmd::cargo::cargo_bin("crumbs"));
        cmd.args(["prune", "--reject-all"])
            .arg(&self.jar)
            .env("XDG_CONFIG_HOME", self.sb.config())
            .env("XDG_DATA_HOME", self.sb.data())
            .env("CRUMBS_NOW", NOW.to_string())
            .stdout(Stdio::null())
            .stderr(Stdio::null());
        if let Some(p) = stop {
            cmd.env("CRUMBS_STOP_AT", p);
        }
        cmd.spawn().unwrap()
    }

    /// One round: a run killed at `moment`. Checks the jar, the record and
    /// the log it left; returns whether the kill found it still running,
    /// and whether the jar was the result.
    fn round(&self, round: usize, moment: Moment, run_us: u64) -> (bool, bool) {
        let mut rng = Rng(0x9e37_79b9_7f4a_7c15 ^ (round as u64 + 1).wrapping_mul(0x2545_f491));
        let stop = match moment {
            Moment::At(p) | Moment::After(p) => Some(PHASES[p].0),
            Moment::Anywhere => None,
        };
        let mut child = self.start(stop);
        match moment {
            Moment::Anywhere => std::thread::sleep(Duration::from_micros(rng.below(run_us))),
            Moment::At(_) | Moment::After(_) => {
                let phase = stop.unwrap_or_default();
                assert!(
                    wait_halted(child.id()),
                    "round {round}: never halted at {phase}"
                );
                if let Moment::After(_) = moment {
                    let cont = Command::new("kill")
                        .args(["-CONT", &child.id().to_string()])
                        .status()
                        .unwrap();
                    assert!(cont.success());
                    std::thread::sleep(Duration::from_micros(rng.below(4_000)));
                }
            }
        }
        let killed = child.try_wait().unwrap().is_none();
        child.kill().unwrap();
        child.wait().unwrap();
        let now = fs::read(&self.jar).unwrap();
        let whole = now != self.original;
        if whole {
            assert_eq!(
                masked(&now),
                self.pruned,
                "round {round} ({moment:?}): neither original nor pruned"
            );
        }
        if let Moment::At(p) = moment {
            assert_eq!(
                whole,
                PHASES[p].1,
                "round {round}: killed at {}, the jar is {}",
                PHASES[p].0,
                if whole { "the result" } else { "the original" }
            );
        }
        let record = self
            .sb
            .config()
            .join("crumbs/consent/robertleaf.my.opendatasoft.com.json");
        if record.exists() {
            let text = fs::read_to_string(&record).unwrap();
            serde_json::from_str::<serde_json::Value>(&text)
                .unwrap_or_else(|e| panic!("round {round}: half-written record: {e}"));
        }
        let log = self.sb.data().join("crumbs/consent-log.jsonl");
        if log.exists() {
            for line in fs::read_to_string(&log).unwrap().lines() {
                serde_json::from_str::<serde_json::Value>(line)
                    .unwrap_or_else(|e| panic!("round {round}: half-written log line: {e}"));
            }
        }
        (killed, whole)
    }
}

/// Cookies in each jar.
const COOKIES: usize = 5_000;

/// Kills the test wants in all, and at each moment at least.
const KILLS: usize = 200;
const KILLS_EACH: usize = 12;

#[test]
fn sigkill_at_every_phase_never_corrupts() {
    let benches: Vec<(Bench, u64)> = (0..WORKERS).map(|_| Bench::new()).collect();
    // Kills per moment, and how many of them left the result; the next
    // round to run.
    let kills = Mutex::new([0usize; MOMENTS.len()]);
    let results = Mutex::new([0usize; MOMENTS.len()]);
    let next = AtomicUsize::new(0);
    let enough = |k: &[usize; MOMENTS.len()]| {
        k.iter().sum::<usize>() >= KILLS && k.iter().all(|&n| n >= KILLS_EACH)
    };
    std::thread::scope(|s| {
        for (bench, run_us) in &benches {
            let (kills, results, next) = (&kills, &results, &next);
            s.spawn(move || {
                while !enough(&kills.lock().unwrap()) {
                    let round = next.fetch_add(1, Ordering::SeqCst);
                    assert!(
                        round < 600,
                        "only {:?} kills in {round} rounds",
                        kills.lock()
                    );
                    let slot = round % MOMENTS.len();
                    let (killed, whole) = bench.round(round, MOMENTS[slot], *run_us);
                    if killed {
                        kills.lock().unwrap()[slot] += 1;
                        results.lock().unwrap()[slot] += usize::from(whole);
                    }
                }
            });
        }
    });
    let kills = kills.into_inner().unwrap();
    let results = results.into_inner().unwrap();
    eprintln!(
        "{} rounds on {WORKERS} jars of {COOKIES} cookies; kills per moment {kills:?}, \
         of which left the result {results:?}",
        next.into_inner()
    );
    // Kills landed both before and after the commit point.
    let after: usize = results.iter().sum();
    assert!(after > 0 && after < kills.iter().sum::<usize>());
    // A kill while the new jar is written leaves its temporary file and
    // the partial backup; a normal run removes them (and what other kills
    // left) and leaves none of its own.
    for (bench, _) in &benches {
        let mut child = bench.start(Some("written"));
        assert!(wait_halted(child.id()));
        child.kill().unwrap();
        child.wait().unwrap();
        assert_eq!(temp_files(&bench.work).len(), 1);
        assert_eq!(with_ext(&bench.sb.backups(), "partial").len(), 1);
        bench
            .sb
            .crumbs()
            .args(["prune", "--reject-all"])
            .arg(&bench.jar)
            .assert()
            .success();
        assert_eq!(temp_files(&bench.work), Vec::<String>::new());
        assert_eq!(
            with_ext(&bench.sb.backups(), "partial"),
            Vec::<PathBuf>::new()
        );
        assert_eq!(masked(&fs::read(&bench.jar).unwrap()), bench.pruned);
    }
}
