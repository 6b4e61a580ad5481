//! `-` on the command line: standard input where a JAR (or a page) is read,
//! standard output where `--output` writes — the same in every command.

use std::io::{IsTerminal as _, Read as _};
use std::path::Path;

use anyhow::{Context, Result, bail};

use super::output::stdout_result;

/// True for the `-` that stands for standard input or output.
pub fn is_dash(path: &Path) -> bool {
    path == Path::new("-")
}

/// All of standard input, for `what` (named in messages). A terminal is
/// refused rather than waited on: nobody types a cookie jar.
pub fn read_stdin(what: &str) -> Result<Vec<u8>> {
    let stdin = std::io::stdin();
    if stdin.is_terminal() {
        bail!(
            "-: reading {what} from standard input, which is a terminal; pipe it in (`… | crumbs list -`) or give a file"
        );
    }
    let mut bytes = Vec::new();
    stdin
        .lock()
        .read_to_end(&mut bytes)
        .with_context(|| format!("-: reading {what} from standard input"))?;
    Ok(bytes)
}

/// Copies the file at `path` (a jar just written to a private temporary
/// file: browser databases are written by SQLite, not as bytes) to standard output.
pub fn copy_to_stdout(path: &Path) -> Result<()> {
    use std::io::Write as _;
    let bytes = std::fs::read(path).with_context(|| format!("{}: cannot read", path.display()))?;
    let mut out = std::io::stdout().lock();
    stdout_result(out.write_all(&bytes).and_then(|()| out.flush()))?;
    Ok(())
}
