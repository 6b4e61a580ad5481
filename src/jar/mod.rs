//! Cookie jars: detect the format, load losslessly, apply edits, save.

pub mod backup;
pub mod cookie_store_json;
pub mod netscape;
pub mod sniff;
pub mod write;

use std::path::{Path, PathBuf};

use crate::model::{Cookie, Edits};

/// The jar formats crumbs reads and writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Netscape cookies.txt (curl, wget, Python MozillaCookieJar, yt-dlp).
    Netscape,
    /// reqwest_cookie_store / cookie_store JSON.
    CookieStoreJson,
}

impl Format {
    /// The name used in `--json` output.
    pub fn as_str(self) -> &'static str {
        match self {
            Format::Netscape => "netscape",
            Format::CookieStoreJson => "cookie-store-json",
        }
    }
}

/// How to open a jar.
#[derive(Debug, Clone, Copy, Default)]
pub struct OpenOptions {
    /// Keep malformed cookies.txt lines as opaque lines instead of failing.
    pub lenient: bool,
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
    /// The file is none of the supported formats.
    #[error("{path}: not a supported cookie jar: {what}")]
    Unsupported {
        /// The file.
        path: PathBuf,
        /// What the file looks like, when that can be told.
        what: String,
    },
    /// The jar changed on disk since it was loaded.
    #[error(
        "{path}: the file changed on disk since crumbs read it; nothing was written (load it again)"
    )]
    Changed {
        /// The file.
        path: PathBuf,
    },
    /// Another process holds the jar's save lock.
    #[error(
        "{path}: another program is saving this jar right now; nothing was written (try again)"
    )]
    Busy {
        /// The file.
        path: PathBuf,
    },
    /// An edit named a record the jar does not hold.
    #[error("{path}: no such cookie record: {key}")]
    NoSuchRecord {
        /// The file.
        path: PathBuf,
        /// The record.
        key: String,
    },
}

/// The format-specific, lossless content of a jar.
#[derive(Debug, Clone)]
pub enum Body {
    /// cookies.txt.
    Netscape(netscape::NetscapeJar),
    /// cookie_store JSON.
    CookieStoreJson(cookie_store_json::StoreJar),
}

/// A loaded jar: where it came from, its content, and what it was on disk.
#[derive(Debug, Clone)]
pub struct Jar {
    /// The path it was opened from.
    pub path: PathBuf,
    /// Its content.
    pub body: Body,
    /// What the file was when loaded, to detect changes before saving.
    pub loaded: Option<write::Fingerprint>,
    /// The options it was opened with (to read it again the same way).
    pub opts: OpenOptions,
}

impl Jar {
    /// Reads and parses the jar at `path`, detecting its format by content.
    pub fn open(path: &Path, opts: OpenOptions) -> Result<Jar, JarError> {
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
        let bytes = std::fs::read(path).map_err(io)?;
        let loaded = Some(write::Fingerprint::of_bytes(path, &bytes));
        let mut jar = Jar::from_bytes(path, bytes, opts)?;
        jar.loaded = loaded;
        Ok(jar)
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
        })
    }

    /// The jar's format.
    pub fn format(&self) -> Format {
        match self.body {
            Body::Netscape(_) => Format::Netscape,
            Body::CookieStoreJson(_) => Format::CookieStoreJson,
        }
    }

    /// Every cookie, in file order.
    pub fn cookies(&self) -> &[Cookie] {
        match &self.body {
            Body::Netscape(j) => j.cookies(),
            Body::CookieStoreJson(j) => j.cookies(),
        }
    }

    /// Applies removals and the preferences-cookie write; the cookie list is refreshed.
    pub fn apply(&mut self, edits: &Edits) -> Result<(), JarError> {
        let res = match &mut self.body {
            Body::Netscape(j) => j.apply(edits),
            Body::CookieStoreJson(j) => j.apply(edits),
        };
        res.map_err(|key| JarError::NoSuchRecord {
            path: self.path.clone(),
            key: key.to_string(),
        })
    }

    /// The jar's content in its own format.
    pub fn to_bytes(&self) -> Vec<u8> {
        match &self.body {
            Body::Netscape(j) => j.to_bytes(),
            Body::CookieStoreJson(j) => j.to_bytes(),
        }
    }
}
