//! Engine micro-benchmarks (issue #7): parse, classify, plan and save on
//! deterministic synthetic jars, through the public API only.
//!
//! Run: `cargo bench --bench engine` (about two minutes; add a filter such as
//! `cargo bench --bench engine -- parse/` to run some).
//!
//! The jars mirror the mix of `bench/gen_jar.py` (not its exact stream: a
//! SplitMix64 stands in for Python's `random`): one cookie in fifty is an Opendatasoft
//! portal's (on robertleaf.my.opendatasoft.com, `_ga*` on .opendatasoft.com),
//! the rest are spread over 20,000 `siteN.example.com` hosts (30% domain
//! cookies, 20% `#HttpOnly_`, 10% session cookies). The policy is the shipped
//! Opendatasoft one and the managed site is the portal.

use std::fmt::Write as _;
use std::hint::black_box;
use std::path::Path;
use std::time::Duration;

use criterion::{BatchSize, Criterion, SamplingMode, Throughput, criterion_group, criterion_main};
use crumbs::classify;
use crumbs::consent::Choice;
use crumbs::dirs::Dirs;
use crumbs::jar::{Format, Jar, OpenOptions};
use crumbs::policy::catalog::Catalog;
use crumbs::scopes::Selection;
use crumbs::session::Session;
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;
use time::macros::{datetime, format_description};

const SITE: &str = "robertleaf.my.opendatasoft.com";
const PORTAL_NAMES: [&str; 8] = [
    "sessionid",
    "django_language",
    "csrftoken",
    "_ga",
    "_gid",
    "_pk_id.1.a1b2",
    "ods_theme",
    "visitor_segment",
];

/// SplitMix64: a small deterministic generator (no `rand` dependency).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }

    /// True with probability `p`.
    fn chance(&mut self, p: f64) -> bool {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64 <= p
    }
}

/// One synthetic cookie, before it is written in a jar format.
struct Gen {
    /// Without a leading dot.
    domain: String,
    host_only: bool,
    path: String,
    secure: bool,
    http_only: bool,
    /// Unix seconds; None for a session cookie.
    expiry: Option<i64>,
    name: String,
    value: String,
}

/// `n` cookies, the same stream on every call (the mix of `bench/gen_jar.py`).
fn cookies(n: usize) -> impl Iterator<Item = Gen> {
    let mut rng = Rng(42);
    (0..n).map(move |i| {
        let (domain, host_only, name) = if i % 50 == 0 {
            let k = i / 50;
            let mut name = PORTAL_NAMES[k % PORTAL_NAMES.len()].to_string();
            if k >= PORTAL_NAMES.len() {
                let _ = write!(name, "_{i}");
            }
            if name.starts_with("_ga") {
                ("opendatasoft.com".to_string(), false, name)
            } else {
                (SITE.to_string(), true, name)
            }
        } else {
            let domain = format!("site{}.example.com", rng.below(20_000));
            (domain, !rng.chance(0.3), format!("c{i}"))
        };
        let http_only = rng.chance(0.2);
        let secure = rng.chance(0.5);
        let expiry = if rng.chance(0.1) {
            None
        } else {
            Some(2_000_000_000 + rng.below(100_000_000) as i64)
        };
        let value = format!("{:016x}{:016x}", rng.next(), rng.next());
        let path = if rng.chance(0.8) {
            "/".to_string()
        } else {
            format!("/p{}/", rng.below(10))
        };
        Gen {
            domain,
            host_only,
            path,
            secure,
            http_only,
            expiry,
            name,
            value,
        }
    })
}

fn tf(b: bool) -> &'static str {
    if b { "TRUE" } else { "FALSE" }
}

/// A Netscape cookies.txt of `n` cookies (what `bench/gen_jar.py` writes).
fn cookies_txt(n: usize) -> Vec<u8> {
    let mut s = String::with_capacity(n * 96);
    s.push_str("# Netscape HTTP Cookie File\n# https://curl.se/docs/http-cookies.html\n\n");
    for c in cookies(n) {
        let prefix = if c.http_only { "#HttpOnly_" } else { "" };
        let dot = if c.host_only { "" } else { "." };
        let _ = writeln!(
            s,
            "{prefix}{dot}{}\t{}\t{}\t{}\t{}\t{}\t{}",
            c.domain,
            tf(!c.host_only),
            c.path,
            tf(c.secure),
            c.expiry.unwrap_or(0),
            c.name,
            c.value
        );
    }
    s.into_bytes()
}

fn date(t: i64) -> OffsetDateTime {
    OffsetDateTime::from_unix_timestamp(t).expect("date in range")
}

/// A cookie_store JSON jar of `n` cookies: the pretty array that
/// `cookie_store::serde::json::save_incl_expired_and_nonpersistent` writes
/// (see tests/fixtures/reqwest.cookie_store.json).
fn cookie_store_json(n: usize) -> Vec<u8> {
    let http_date = format_description!(
        "[weekday repr:short], [day] [month repr:short] [year] [hour]:[minute]:[second] GMT"
    );
    let mut s = String::from("[");
    for (i, c) in cookies(n).enumerate() {
        let mut raw = format!("{}={}", c.name, c.value);
        if c.http_only {
            raw.push_str("; HttpOnly");
        }
        if c.secure {
            raw.push_str("; Secure");
        }
        let _ = write!(raw, "; Path={}", c.path);
        if !c.host_only {
            let _ = write!(raw, "; Domain={}", c.domain);
        }
        let expires = match c.expiry {
            None => "\"SessionEnd\"".to_string(),
            Some(t) => {
                let d = date(t);
                let _ = write!(raw, "; Expires={}", d.format(&http_date).expect("date"));
                format!(
                    "{{\n      \"AtUtc\": \"{}\"\n    }}",
                    d.format(&Rfc3339).expect("date")
                )
            }
        };
        let kind = if c.host_only { "HostOnly" } else { "Suffix" };
        let sep = if i == 0 { "" } else { "," };
        let _ = write!(
            s,
            "{sep}\n  {{\n    \"raw_cookie\": \"{raw}\",\n    \"path\": [\n      \"{}\",\n      true\n    ],\n    \
             \"domain\": {{\n      \"{kind}\": \"{}\"\n    }},\n    \"expires\": {expires}\n  }}",
            c.path, c.domain
        );
    }
    s.push_str("\n]\n");
    s.into_bytes()
}

/// A Cookie-Editor JSON export of `n` cookies (see tests/data/jars/cookie-editor.json).
fn extension_json(n: usize) -> Vec<u8> {
    let mut s = String::from("[");
    for (i, c) in cookies(n).enumerate() {
        let dot = if c.host_only { "" } else { "." };
        let expiration = match c.expiry {
            Some(t) => format!("\n        \"expirationDate\": {t},"),
            None => String::new(),
        };
        let sep = if i == 0 { "" } else { "," };
        let _ = write!(
            s,
            "{sep}\n    {{\n        \"domain\": \"{dot}{}\",{expiration}\n        \"hostOnly\": {},\n        \
             \"httpOnly\": {},\n        \"name\": \"{}\",\n        \"path\": \"{}\",\n        \
             \"sameSite\": \"unspecified\",\n        \"secure\": {},\n        \"session\": {},\n        \
             \"storeId\": \"0\",\n        \"value\": \"{}\"\n    }}",
            c.domain,
            c.host_only,
            c.http_only,
            c.name,
            c.path,
            c.secure,
            c.expiry.is_none(),
            c.value
        );
    }
    s.push_str("\n]\n");
    s.into_bytes()
}

fn parse(path: &str, bytes: Vec<u8>) -> Jar {
    Jar::from_bytes(Path::new(path), bytes, OpenOptions::default()).expect("jar parses")
}

/// The shipped policies (the Opendatasoft one covers [`SITE`]).
fn catalog() -> Catalog {
    Catalog::of(crumbs::policy::shipped())
}

fn reject_all() -> Choice {
    Choice {
        reject_all: true,
        ..Choice::default()
    }
}

fn accept_all() -> Choice {
    Choice {
        accept_all: true,
        ..Choice::default()
    }
}

/// The 1M-cookie cases: few samples of equal iteration counts (each
/// iteration is a whole pass over the jar, tens of milliseconds).
fn slow_group<'a>(
    c: &'a mut Criterion,
    name: &str,
) -> criterion::BenchmarkGroup<'a, criterion::measurement::WallTime> {
    let mut g = c.benchmark_group(name);
    g.sample_size(10)
        .sampling_mode(SamplingMode::Flat)
        .warm_up_time(Duration::from_secs(2))
        .measurement_time(Duration::from_secs(5));
    g
}

fn parse_benches(c: &mut Criterion) {
    let mut g = c.benchmark_group("parse");
    g.measurement_time(Duration::from_secs(5));
    let cases: [(&str, &str, Vec<u8>, Format); 3] = [
        (
            "cookies.txt 100k",
            "big.txt",
            cookies_txt(100_000),
            Format::Netscape,
        ),
        (
            "cookie_store json 10k",
            "store.json",
            cookie_store_json(10_000),
            Format::CookieStoreJson,
        ),
        (
            "extension json 10k",
            "export.json",
            extension_json(10_000),
            Format::ExtensionJson,
        ),
    ];
    for (id, path, bytes, format) in cases {
        let jar = parse(path, bytes.clone());
        assert_eq!(jar.format(), format, "{id}");
        let n = jar.cookies().len();
        assert!(n > 0 && n <= 100_000, "{id}: {n} cookies");
        g.throughput(Throughput::Bytes(bytes.len() as u64));
        g.bench_function(id, |b| {
            b.iter_batched(
                || bytes.clone(),
                |bytes| parse(path, black_box(bytes)),
                BatchSize::LargeInput,
            )
        });
    }
    // The 1M case: few samples (see `slow_group`).
    g.sample_size(10)
        .sampling_mode(SamplingMode::Flat)
        .warm_up_time(Duration::from_secs(2));
    let bytes = cookies_txt(1_000_000);
    g.throughput(Throughput::Bytes(bytes.len() as u64));
    g.bench_function("cookies.txt 1M", |b| {
        b.iter_batched(
            || bytes.clone(),
            |bytes| parse("big.txt", black_box(bytes)),
            BatchSize::PerIteration,
        )
    });
    g.finish();
}

fn engine_benches(c: &mut Criterion) {
    const N: usize = 1_000_000;
    let jar = parse("big.txt", cookies_txt(N));
    assert_eq!(jar.cookies().len(), N);
    let catalog = catalog();
    let dir = std::env::temp_dir().join(format!("crumbs-bench-engine-{}", std::process::id()));
    let dirs = Dirs {
        config: dir.join("config"),
        data: dir.join("data"),
    };
    // A fixed clock: the generated expiries are all after it.
    let now = datetime!(2026-12-01 10:00:00 UTC);
    let session = Session::open(jar, catalog, Selection::Site(SITE), dirs).expect("session");
    let cookies = session.jar().cookies();

    let mut g = slow_group(c, "classify");
    g.throughput(Throughput::Elements(N as u64));
    g.bench_function("classify 1M", |b| {
        b.iter(|| classify::classify(black_box(cookies), session.policy(), SITE))
    });
    g.bench_function("sites_in_jar 1M", |b| {
        b.iter(|| classify::sites_in_jar(black_box(cookies), session.policy()))
    });
    g.finish();

    let mut g = slow_group(c, "plan");
    g.throughput(Throughput::Elements(N as u64));
    for (id, choice) in [
        ("decide reject-all 1M", reject_all()),
        ("decide accept-all 1M", accept_all()),
    ] {
        g.bench_function(id, |b| {
            b.iter(|| {
                session
                    .decide(black_box(&choice), false, now)
                    .expect("decide")
            })
        });
    }
    g.finish();

    // Save: apply a decision's edits to a copy of the jar (in memory) and
    // take its content; the copy is made and dropped outside the timing.
    let mut g = slow_group(c, "save");
    g.throughput(Throughput::Elements(N as u64));
    for (id, choice) in [
        ("apply+content reject-all 1M", reject_all()),
        ("apply+content accept-all 1M", accept_all()),
    ] {
        let decision = session.decide(&choice, false, now).expect("decide");
        let edits = decision.plan.edits(cookies);
        let mut check = session.jar().clone();
        check.apply(&edits).expect("apply");
        assert_eq!(
            check.cookies().len(),
            N - edits.remove.len() + usize::from(edits.set.is_some())
        );
        drop(check);
        eprintln!(
            "{id}: {} removed, preferences {}",
            edits.remove.len(),
            if edits.set.is_some() {
                "written"
            } else {
                "unchanged"
            }
        );
        g.bench_function(id, |b| {
            b.iter_batched(
                || session.jar().clone(),
                |mut jar| {
                    jar.apply(black_box(&edits)).expect("apply");
                    black_box(jar.content().len());
                    jar
                },
                BatchSize::PerIteration,
            )
        });
    }
    g.finish();
}

criterion_group!(benches, parse_benches, engine_benches);
criterion_main!(benches);
