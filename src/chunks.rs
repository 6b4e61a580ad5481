//! Work over a big jar split across the cores, in jar order.

/// Below this many cookies a pass over the jar stays on one thread: a thread
/// costs more than it saves.
pub(crate) const PARALLEL_FROM: usize = 100_000;

/// Runs `f` over `0..n` split in contiguous ranges, one per core for a big
/// jar, and gives the results in range order.
pub fn in_chunks<T: Send>(n: usize, f: impl Fn(std::ops::Range<usize>) -> T + Sync) -> Vec<T> {
    let threads = threads_for(n);
    let chunk = n.div_ceil(threads).max(1);
    let ranges = (0..threads)
        .map(|t| (t * chunk).min(n)..((t + 1) * chunk).min(n))
        .collect();
    each_part(ranges, f)
}

/// How many threads a pass over `n` cookies uses.
pub fn threads_for(n: usize) -> usize {
    match n {
        n if n < PARALLEL_FROM => 1,
        _ => cores(),
    }
}

/// The threads worth running at once here (at most eight).
pub fn cores() -> usize {
    std::thread::available_parallelism().map_or(1, |p| p.get().min(8))
}

/// Runs `f` on each of `parts`, each on its own thread when there are
/// several (the first on the calling thread), and gives the results in the
/// parts' order.
pub fn each_part<T: Send, U: Send>(parts: Vec<T>, f: impl Fn(T) -> U + Sync) -> Vec<U> {
    if parts.len() <= 1 {
        return parts.into_iter().map(f).collect();
    }
    std::thread::scope(|scope| {
        let f = &f;
        let mut parts = parts.into_iter();
        let first = parts.next();
        let rest: Vec<_> = parts.map(|part| scope.spawn(move || f(part))).collect();
        let mut out: Vec<U> = first.into_iter().map(f).collect();
        out.extend(rest.into_iter().map(|handle| {
            handle
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
        }));
        out
    })
}
