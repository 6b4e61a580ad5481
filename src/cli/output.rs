//! Standard output for people and scripts: writes that tell a closed pipe
//! (`crumbs list big.txt | head`, which ends quietly like ripgrep and fd)
//! from a real write error.

use std::io::{self, Write};

/// A failed write to standard output. `main` ends quietly (exit 0) when its
/// cause is a closed pipe; only stdout writes are tagged, so a broken pipe
/// while writing a jar (a FIFO given to `--output`) is still an error.
#[derive(Debug, thiserror::Error)]
#[error("writing to standard output")]
pub struct StdoutError(#[source] pub io::Error);

/// Tags the result of a write to standard output.
pub fn stdout_result<T>(r: io::Result<T>) -> Result<T, StdoutError> {
    r.map_err(StdoutError)
}

/// True when `e` is a write to standard output whose reader has gone.
pub fn is_closed_pipe(e: &anyhow::Error) -> bool {
    e.chain().any(|c| {
        c.downcast_ref::<StdoutError>()
            .is_some_and(|s| s.0.kind() == io::ErrorKind::BrokenPipe)
    })
}

/// Standard output, buffered (a report of a million rows is one write per
/// buffer, not per line); flush it to see the error of the last write.
pub fn stdout() -> io::BufWriter<io::StdoutLock<'static>> {
    io::BufWriter::new(io::stdout().lock())
}

/// Writes `text` to standard output at once.
pub fn print(text: &str) -> Result<(), StdoutError> {
    let mut out = io::stdout().lock();
    stdout_result(out.write_all(text.as_bytes()).and_then(|()| out.flush()))
}

/// `println!` that returns a [`StdoutError`] instead of panicking on a closed pipe.
macro_rules! outln {
    () => {
        $crate::cli::output::print("\n")
    };
    ($($arg:tt)*) => {
        $crate::cli::output::print(&format!("{}\n", format_args!($($arg)*)))
    };
}
pub(crate) use outln;
