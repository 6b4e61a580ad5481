//! Cookie jars: detect the format, load losslessly, apply edits, save.

pub mod backup;
pub mod binarycookies;
pub mod chromium;
pub mod chromium_crypt;
pub mod commit;
pub mod content;
pub mod convert;
pub mod cookie_array;
pub mod cookie_store_json;
pub mod edit;
pub mod extension;
pub mod firefox;
pub mod har;
pub mod httpie;
pub mod json_tree;
pub mod locate;
pub mod lwp;
pub mod netscape;
pub mod newman;
pub mod playwright;
pub mod puppeteer;
pub mod save;
pub mod selenium;
pub mod signals;
pub mod sniff;
pub mod sqlite;
pub mod write;

use std::path::{Path, PathBuf};

use std::borrow::Cow;

use crate::model::{Cookies, Edits};

/// The jar formats crumbs reads and writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Netscape cookies.txt (curl, wget, Python MozillaCookieJar, yt-dlp).
    Netscape,
    /// reqwest_cookie_store / cookie_store JSON.
    CookieStoreJson,
    /// A browser extension's JSON export (Cookie-Editor, EditThisCookie).
    ExtensionJson,
    /// Firefox `cookies.sqlite`.
    Firefox,
    /// Chromium `Cookies` (Chrome, Brave, Edge).
    Chromium,
    /// Playwright `storageState` JSON.
    Playwright,
    /// Puppeteer / DevTools protocol cookie array.
    Puppeteer,
    /// Selenium / WebDriver `get_cookies()` JSON.
    Selenium,
    /// Python's `LWPCookieJar` (`Set-Cookie3` lines).
    Lwp,
    /// An httpie session (`http --session`).
    Httpie,
    /// A Postman / newman cookie jar (tough-cookie's serialisation).
    Newman,
    /// A HAR 1.2 capture (read only).
    Har,
    /// Safari's `Cookies.binarycookies`.
    Safari,
    /// A running Chromium over the DevTools protocol (`cdp://HOST:PORT`).
    LiveCdp,
    /// A running Firefox over WebDriver BiDi (`bidi://HOST:PORT`).
    LiveBidi,
}

impl Format {
    /// The name used in `--json` output.
    pub fn as_str(self) -> &'static str {
        match self {
            Format::Netscape => "netscape",
            Format::LiveCdp => "live-cdp",
            Format::LiveBidi => "live-bidi",
            Format::CookieStoreJson => "cookie-store-json",
            Format::ExtensionJson => "extension-json",
            Format::Firefox => "firefox-sqlite",
            Format::Chromium => "chromium-sqlite",
            Format::Playwright => "playwright",
            Format::Puppeteer => "puppeteer",
            Format::Selenium => "selenium",
            Format::Lwp => "lwp",
            Format::Httpie => "httpie",
            Format::Newman => "newman",
            Format::Har => "har",
            Format::Safari => "safari-binarycookies",
        }
    }
}

/// How to open a jar.
#[derive(Debug, Clone, Copy, Default)]
pub struct OpenOptions {
    /// Keep malformed cookies.txt lines as opaque lines instead of failing.
    pub lenient: bool,
    /// Let a `cdp://`/`bidi://` endpoint be on another machine (loopback only otherwise).
    pub allow_remote: bool,
}

/// A UTF-8 byte-order mark: Windows editors put one before a text file.
pub(crate) const BOM: &[u8] = b"\xEF\xBB\xBF";

/// A text file's content after its byte-order mark, if it has one.
pub(crate) fn without_bom(bytes: &[u8]) -> &[u8] {
    bytes.strip_prefix(BOM).unwrap_or(bytes)
}

/// An error of a format parser, positioned in the file.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("line {line}: {message}")]
pub struct ParseError {
    /// One-based line number.
    pub line: usize,
    /// What was wrong and what was expected (never a cookie value).
    pub message: String,
}

/// Why a browser database cannot be read as a jar.
#[derive(Debug, thiserror::Error)]
pub enum DbReadError {
    /// SQLite could not read it.
    #[error("{0}")]
    Sqlite(#[from] rusqlite::Error),
    /// A table lacks columns crumbs needs.
    #[error("{table} lacks the column(s) {}; expected a {expected}", .columns.join(", "))]
    MissingColumns {
        /// The table ("moz_cookies", "the cookies table").
        table: &'static str,
        /// The columns it lacks.
        columns: Vec<&'static str>,
        /// What such a file should be ("Firefox cookies.sqlite").
        expected: &'static str,
    },
    /// Chromium's `meta` table has no version.
    #[error("no meta.version ({0}); expected a Chromium Cookies database")]
    NoVersion(rusqlite::Error),
    /// A browser's schema newer than crumbs was tested with.
    #[error(
        "{} database version {version} is newer than crumbs knows (up to {}); \
         nothing is read or written — update crumbs",
        .browser.file(),
        .browser.max_version()
    )]
    NewerVersion {
        /// Whose database.
        browser: sqlite::Browser,
        /// Its schema version.
        version: i64,
    },
    /// Chromium's unique index has a column crumbs cannot key rows by.
    #[error("the cookies table's unique index has a column crumbs does not know ({0})")]
    UnknownKeyColumn(String),
}

impl DbReadError {
    /// Refuses a table that lacks any of the `required` columns (`has` says
    /// whether it has one).
    pub fn check_columns(
        table: &'static str,
        required: &[&'static str],
        has: impl Fn(&str) -> bool,
        expected: &'static str,
    ) -> Result<(), DbReadError> {
        let columns: Vec<&'static str> = required.iter().copied().filter(|c| !has(c)).collect();
        match columns.is_empty() {
            true => Ok(()),
            false => Err(DbReadError::MissingColumns {
                table,
                columns,
                expected,
            }),
        }
    }
}

/// Errors opening, editing or saving a jar.
#[derive(Debug, thiserror::Error)]
pub enum JarError {
    /// The file could not be read or written.
    #[error("{path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// The OS error.
        source: std::io::Error,
    },
    /// The file is of a supported format but malformed.
    #[error("{path}:{}: {}", .error.line, .error.message)]
    Malformed {
        /// The file.
        path: PathBuf,
        /// Where and what.
        error: ParseError,
    },
    /// A binary jar (Safari's binarycookies) is malformed.
    #[error("{path}: {error}")]
    MalformedBinary {
        /// The file.
        path: PathBuf,
        /// Where (a byte offset) and what.
        error: binarycookies::BinaryError,
    },
    /// The file is none of the supported formats.
    #[error("{path}: not a supported cookie jar: {what}")]
    Unsupported {
        /// The file.
        path: PathBuf,
        /// What the file looks like, when that can be told.
        what: String,
    },
    /// The file is an SQLite database that is not a browser jar crumbs reads.
    #[error("{path}: not a supported cookie jar: {source}")]
    UnreadableDatabase {
        /// The file.
        path: PathBuf,
        /// What is wrong with it.
        source: DbReadError,
    },
    /// The jar changed on disk since it was loaded.
    #[error(
        "{path}: the file changed on disk since crumbs read it; nothing was written (load it again)"
    )]
    Changed {
        /// The file.
        path: PathBuf,
    },
    /// Undo refused: the jar changed since the save it would undo.
    #[error(
        "{path}: changed since the save this undo would reverse ({what}); nothing was restored \
         (`crumbs undo --force` restores anyway, keeping a backup of the jar as it is now)"
    )]
    ChangedSinceSave {
        /// The jar.
        path: PathBuf,
        /// What changed.
        what: String,
    },
    /// A browser database is locked: the browser is running.
    #[error(
        "{path}: the database is locked by another program (is {browser} running?); \
         close {browser} first. Nothing was written"
    )]
    Locked {
        /// The database.
        path: PathBuf,
        /// "Firefox" or "Chromium".
        browser: &'static str,
    },
    /// SQLite reported an error on a browser database.
    #[error("{path}: {message}")]
    Database {
        /// The database.
        path: PathBuf,
        /// What SQLite said, or what was wrong.
        message: String,
    },
    /// Another process holds the jar's save lock.
    #[error(
        "{path}: another program is saving this jar right now; nothing was written (try again)"
    )]
    Busy {
        /// The file.
        path: PathBuf,
    },
    /// The jar file has other hard links, which a save would leave behind.
    #[error(
        "{path}: this jar has {links} hard links; saving would leave the other {} with \
         the old cookies; nothing was written (--force writes it anyway, as a file of its own)",
        links - 1
    )]
    HardLinked {
        /// The file.
        path: PathBuf,
        /// Its link count.
        links: u64,
    },
    /// A running browser could not be read or changed.
    #[error(transparent)]
    Live(#[from] crate::live::jar::LiveSaveError),
    /// INT, TERM or HUP came during the save: it stopped before its commit point.
    #[error(transparent)]
    Interrupted(#[from] signals::Interrupted),
    /// The jar refused an edit (a record it does not hold, a cookie it cannot write).
    #[error("{path}: {source}")]
    Edit {
        /// The file.
        path: PathBuf,
        /// What was refused.
        source: edit::EditError,
    },
}

/// The format-specific, lossless content of a jar.
#[derive(Debug, Clone)]
pub enum Body {
    /// cookies.txt.
    Netscape(netscape::NetscapeJar),
    /// cookie_store JSON.
    CookieStoreJson(cookie_store_json::StoreJar),
    /// A browser-extension JSON export.
    ExtensionJson(extension::ExtensionJar),
    /// Firefox `cookies.sqlite` (saved by a transaction on the file, see [`sqlite`]).
    Firefox(firefox::FirefoxJar),
    /// Chromium `Cookies` (saved by a transaction on the file, see [`sqlite`]).
    Chromium(chromium::ChromiumJar),
    /// A Playwright storage state.
    Playwright(playwright::StorageState),
    /// A Puppeteer / DevTools cookie array.
    Puppeteer(cookie_array::ArrayFile),
    /// A Selenium `get_cookies()` array.
    Selenium(cookie_array::ArrayFile),
    /// A Python `LWPCookieJar` file.
    Lwp(lwp::LwpJar),
    /// An httpie session.
    Httpie(httpie::HttpieSession),
    /// A Postman / newman cookie jar.
    Newman(newman::NewmanJar),
    /// A HAR capture (read only).
    Har(har::HarFile),
    /// Safari's `Cookies.binarycookies`.
    Safari(binarycookies::BinaryCookies),
    /// A running browser, through its remote protocol (saved by the protocol).
    Live(crate::live::jar::LiveJar),
}

/// A loaded jar: where it came from, its content, and what it was on disk.
#[derive(Debug, Clone)]
pub struct Jar {
    /// The path it was opened from.
    pub path: PathBuf,
    /// Its content.
    pub body: Body,
    /// What the file was when loaded, to detect changes before saving
    /// (browser databases keep a hash of their tables in their body instead).
    pub loaded: Option<write::Fingerprint>,
    /// The options it was opened with (to read it again the same way).
    pub opts: OpenOptions,
    /// How the path was resolved when that is not what the user would assume
    /// (a running browser's live endpoint used instead of its database), for
    /// the faces to show once.
    pub note: Option<String>,
}

impl Jar {
    /// Reads and parses the jar at `path`, detecting its format by content. A
    /// browser profile folder is accepted too (see [`locate::locate`]); the
    /// jar's `path` is then the database file inside it.
    pub fn open(path: &Path, opts: OpenOptions) -> Result<Jar, JarError> {
        if let Some(endpoint) = path.to_str().and_then(crate::live::Endpoint::parse) {
            let endpoint = endpoint.map_err(crate::live::jar::LiveSaveError::from)?;
            return Jar::open_live(&endpoint, opts.allow_remote, opts);
        }
        if let Some(found) = crate::live::discover::for_path(path) {
            return Ok(match Jar::open_live(&found.endpoint, false, opts) {
                Ok(mut jar) => {
                    jar.note = Some(found.note(path));
                    jar
                }
                Err(e) => {
                    let mut jar = Jar::open_file(path, opts)?;
                    jar.note = Some(format!(
                        "{}: its browser runs with remote debugging at {} but that failed ({e}); \
                         read the database instead, which the browser may overwrite",
                        path.display(),
                        found.endpoint
                    ));
                    jar
                }
            });
        }
        Jar::open_file(path, opts)
    }

    /// Reads and parses the jar file at `path` (or in the profile folder `path`).
    fn open_file(path: &Path, opts: OpenOptions) -> Result<Jar, JarError> {
        let located = locate::locate(path)?;
        let path = located.as_path();
        let io = |source| JarError::Io {
            path: path.to_path_buf(),
            source,
        };
        // A FIFO or device would block or never end: only regular files are read.
        let kind = std::fs::metadata(path).map_err(io)?.file_type();
        if !kind.is_file() {
            use std::os::unix::fs::FileTypeExt;
            let what = if kind.is_dir() {
                "a directory"
            } else if kind.is_fifo() {
                "a FIFO (named pipe)"
            } else if kind.is_socket() {
                "a socket"
            } else {
                "a device"
            };
            return Err(JarError::Unsupported {
                path: path.to_path_buf(),
                what: format!("{what}, not a cookie jar file"),
            });
        }
        if is_sqlite_file(path).map_err(io)? {
            return Jar::open_sqlite(path, path, opts);
        }
        let bytes = read_sniffed(path).map_err(|e| match e {
            Sniff::Io(source) => JarError::Io {
                path: path.to_path_buf(),
                source,
            },
            Sniff::Refused(what) => JarError::Unsupported {
                path: path.to_path_buf(),
                what,
            },
        })?;
        let loaded = Some(write::Fingerprint::of_bytes(path, &bytes));
        let mut jar = Jar::from_bytes(path, bytes, opts)?;
        jar.loaded = loaded;
        Ok(jar)
    }

    /// Reads every cookie of the running browser at `endpoint` (loopback
    /// only unless `allow_remote`).
    pub fn open_live(
        endpoint: &crate::live::Endpoint,
        allow_remote: bool,
        opts: OpenOptions,
    ) -> Result<Jar, JarError> {
        let live = crate::live::jar::LiveJar::open(endpoint, allow_remote)
            .map_err(crate::live::jar::LiveSaveError::from)?;
        Ok(Jar {
            path: PathBuf::from(endpoint.to_string()),
            body: Body::Live(live),
            loaded: None,
            opts,
            note: None,
        })
    }

    /// Parses jar content; `path` is used in messages only.
    pub fn from_bytes(path: &Path, bytes: Vec<u8>, opts: OpenOptions) -> Result<Jar, JarError> {
        let malformed = |error| JarError::Malformed {
            path: path.to_path_buf(),
            error,
        };
        let body = match sniff::sniff(&bytes) {
            sniff::Sniffed::Netscape => Body::Netscape(
                netscape::NetscapeJar::parse(bytes, opts.lenient).map_err(malformed)?,
            ),
            sniff::Sniffed::CookieStoreJson => Body::CookieStoreJson(
                cookie_store_json::StoreJar::parse(&bytes).map_err(malformed)?,
            ),
            sniff::Sniffed::ExtensionJson => {
                Body::ExtensionJson(extension::ExtensionJar::parse(&bytes).map_err(malformed)?)
            }
            sniff::Sniffed::Playwright => {
                Body::Playwright(playwright::StorageState::parse(&bytes).map_err(malformed)?)
            }
            sniff::Sniffed::Puppeteer => Body::Puppeteer(
                cookie_array::ArrayFile::parse(&puppeteer::DIALECT, &bytes).map_err(malformed)?,
            ),
            sniff::Sniffed::Selenium => Body::Selenium(
                cookie_array::ArrayFile::parse(&selenium::DIALECT, &bytes).map_err(malformed)?,
            ),
            sniff::Sniffed::Lwp => Body::Lwp(lwp::LwpJar::parse(&bytes).map_err(malformed)?),
            sniff::Sniffed::BinaryCookies => Body::Safari(
                binarycookies::BinaryCookies::parse(&bytes).map_err(|error| {
                    JarError::MalformedBinary {
                        path: path.to_path_buf(),
                        error,
                    }
                })?,
            ),
            sniff::Sniffed::Har => Body::Har(har::HarFile::parse(&bytes).map_err(malformed)?),
            sniff::Sniffed::Newman => {
                Body::Newman(newman::NewmanJar::parse(&bytes).map_err(malformed)?)
            }
            sniff::Sniffed::Httpie => Body::Httpie(
                httpie::HttpieSession::parse(&bytes, &httpie::bound_host(path))
                    .map_err(malformed)?,
            ),
            sniff::Sniffed::Sqlite => {
                // Browser databases are read from a file: put the bytes in one.
                let io = |source| JarError::Io {
                    path: path.to_path_buf(),
                    source,
                };
                let mut tmp = tempfile::NamedTempFile::new().map_err(io)?;
                std::io::Write::write_all(&mut tmp, &bytes).map_err(io)?;
                return Jar::open_sqlite(tmp.path(), path, opts);
            }
            sniff::Sniffed::Unsupported(what) => {
                return Err(JarError::Unsupported {
                    path: path.to_path_buf(),
                    what,
                });
            }
        };
        Ok(Jar {
            path: path.to_path_buf(),
            body,
            loaded: None,
            opts,
            note: None,
        })
    }

    /// Reads a browser database at `file` (a copy is read, never the file
    /// itself); `path` names the jar in messages and is where it saves.
    fn open_sqlite(file: &Path, path: &Path, opts: OpenOptions) -> Result<Jar, JarError> {
        let copy = sqlite::open_copy(file)?;
        let unsupported = |what: String| JarError::Unsupported {
            path: path.to_path_buf(),
            what,
        };
        let which = sqlite::which_browser(&copy.conn)
            .map_err(|e| unsupported(format!("an SQLite database that cannot be read ({e})")))?;
        let unreadable = |source| JarError::UnreadableDatabase {
            path: path.to_path_buf(),
            source,
        };
        let body = match which {
            Some(sqlite::Browser::Firefox) => {
                Body::Firefox(firefox::FirefoxJar::read(&copy.conn).map_err(unreadable)?)
            }
            Some(sqlite::Browser::Chromium) => {
                Body::Chromium(chromium::ChromiumJar::read(&copy.conn).map_err(unreadable)?)
            }
            None => {
                return Err(unsupported(
                    "an SQLite database without a moz_cookies (Firefox) or cookies + meta \
                     (Chromium) table"
                        .into(),
                ));
            }
        };
        Ok(Jar {
            path: path.to_path_buf(),
            body,
            loaded: None,
            opts,
            note: None,
        })
    }

    /// The jar's format.
    pub fn format(&self) -> Format {
        match &self.body {
            Body::Netscape(_) => Format::Netscape,
            Body::CookieStoreJson(_) => Format::CookieStoreJson,
            Body::ExtensionJson(_) => Format::ExtensionJson,
            Body::Firefox(_) => Format::Firefox,
            Body::Chromium(_) => Format::Chromium,
            Body::Playwright(_) => Format::Playwright,
            Body::Puppeteer(_) => Format::Puppeteer,
            Body::Selenium(_) => Format::Selenium,
            Body::Lwp(_) => Format::Lwp,
            Body::Httpie(_) => Format::Httpie,
            Body::Newman(_) => Format::Newman,
            Body::Har(_) => Format::Har,
            Body::Safari(_) => Format::Safari,
            Body::Live(j) => match j.endpoint().protocol {
                crate::live::Protocol::Cdp => Format::LiveCdp,
                crate::live::Protocol::Bidi => Format::LiveBidi,
            },
        }
    }

    /// Every cookie, in file order.
    pub fn cookies(&self) -> &dyn Cookies {
        match &self.body {
            Body::Netscape(j) => j.cookies(),
            Body::CookieStoreJson(j) => j.cookies(),
            Body::ExtensionJson(j) => j.cookies(),
            Body::Firefox(j) => j.cookies(),
            Body::Chromium(j) => j.cookies(),
            Body::Playwright(j) => j.cookies(),
            Body::Puppeteer(j) | Body::Selenium(j) => j.cookies(),
            Body::Lwp(j) => j.cookies(),
            Body::Httpie(j) => j.cookies(),
            Body::Newman(j) => j.cookies(),
            Body::Har(j) => j.cookies(),
            Body::Safari(j) => j.cookies(),
            Body::Live(j) => j.cookies(),
        }
    }

    /// False when the jar cannot hold a preferences-cookie value its owner
    /// would read (a Chromium jar encrypted with a key crumbs cannot use):
    /// the choice then lives in crumbs' consent record only.
    pub fn stores_preferences(&self) -> bool {
        match &self.body {
            Body::Chromium(j) => j.stores_values(),
            _ => true,
        }
    }

    /// The browser database body, for the transactional save.
    pub fn sqlite_body(&mut self) -> Option<&mut dyn sqlite::SqliteBody> {
        match &mut self.body {
            Body::Firefox(j) => Some(j),
            Body::Chromium(j) => Some(j),
            _ => None,
        }
    }

    /// Applies removals and the preferences-cookie write; the cookie list is refreshed.
    pub fn apply(&mut self, edits: &Edits) -> Result<(), JarError> {
        let res = match &mut self.body {
            Body::Netscape(j) => j.apply(edits),
            Body::CookieStoreJson(j) => j.apply(edits),
            Body::ExtensionJson(j) => j.apply(edits),
            Body::Firefox(j) => j.apply(edits),
            Body::Chromium(j) => j.apply(edits),
            Body::Playwright(j) => j.apply(edits),
            Body::Puppeteer(j) | Body::Selenium(j) => j.apply(edits),
            Body::Lwp(j) => j.apply(edits),
            Body::Httpie(j) => j.apply(edits),
            Body::Newman(j) => j.apply(edits),
            Body::Har(j) => j.apply(edits),
            Body::Safari(j) => j.apply(edits),
            Body::Live(j) => j.apply(edits),
        };
        res.map_err(|source| JarError::Edit {
            path: self.path.clone(),
            source,
        })
    }

    /// The jar's content in its own format. Browser databases are no byte
    /// string: they save by a transaction on the file ([`write::save`] does
    /// it) and give an empty vector here.
    pub fn to_bytes(&self) -> Vec<u8> {
        self.content().into_owned()
    }

    /// Like [`Jar::to_bytes`], borrowed when the jar keeps its bytes (cookies.txt).
    pub fn content(&self) -> Cow<'_, [u8]> {
        match &self.body {
            Body::Netscape(j) => Cow::Borrowed(j.bytes()),
            Body::CookieStoreJson(j) => Cow::Owned(j.to_bytes()),
            Body::ExtensionJson(j) => Cow::Owned(j.to_bytes()),
            Body::Playwright(j) => Cow::Owned(j.to_bytes()),
            Body::Puppeteer(j) | Body::Selenium(j) => Cow::Owned(j.to_bytes()),
            Body::Lwp(j) => Cow::Owned(j.to_bytes()),
            Body::Httpie(j) => Cow::Owned(j.to_bytes()),
            Body::Newman(j) => Cow::Owned(j.to_bytes()),
            Body::Har(j) => Cow::Owned(j.to_bytes()),
            Body::Safari(j) => Cow::Owned(j.to_bytes()),
            Body::Firefox(_) | Body::Chromium(_) | Body::Live(_) => Cow::Owned(Vec::new()),
        }
    }
}

/// Whether the file at `path` starts with SQLite's magic string.
fn is_sqlite_file(path: &Path) -> std::io::Result<bool> {
    use std::io::Read;
    let mut head = [0u8; 16];
    let mut f = std::fs::File::open(path)?;
    let mut n = 0;
    while n < head.len() {
        match f.read(&mut head[n..])? {
            0 => break,
            k => n += k,
        }
    }
    Ok(head[..n] == *sqlite::MAGIC)
}

/// Why [`read_sniffed`] stopped.
enum Sniff {
    Io(std::io::Error),
    /// Not a jar, said from the first bytes.
    Refused(String),
}

/// Reads a jar file whole, unless its first bytes already show it is not
/// one (DESIGN §4, bounded reads): a 2 GB sparse file is refused after 64 KiB.
fn read_sniffed(path: &Path) -> Result<Vec<u8>, Sniff> {
    use std::io::Read;
    let mut file = std::fs::File::open(path).map_err(Sniff::Io)?;
    let mut bytes = Vec::new();
    (&mut file)
        .take(sniff::HEAD as u64)
        .read_to_end(&mut bytes)
        .map_err(Sniff::Io)?;
    let complete = bytes.len() < sniff::HEAD;
    if let Some(sniff::Sniffed::Unsupported(what)) = sniff::sniff_head(&bytes, complete) {
        return Err(Sniff::Refused(what));
    }
    file.read_to_end(&mut bytes).map_err(Sniff::Io)?;
    Ok(bytes)
}
