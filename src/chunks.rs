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

/// How many items a batch of [`in_batches`] holds: enough to keep every core
/// busy, few enough that a batch's results stay small in memory.
const BATCH: usize = 65_536;

/// Below this many items in a batch its parts stay on one thread.
const BATCH_PARALLEL_FROM: usize = 4_096;

/// Runs `f` over `items` a batch at a time, each batch split into one part
/// per core; gives, batch by batch, the parts' results in order. A million
/// items are made a batch at a time instead of all at once.
pub fn in_batches<'a, T: Sync, U: Send>(
    items: &'a [T],
    f: impl Fn(&'a [T]) -> U + Sync + 'a,
) -> impl Iterator<Item = Vec<U>> + 'a {
    items.chunks(BATCH).map(move |batch| {
        let threads = match batch.len() {
            n if n < BATCH_PARALLEL_FROM => 1,
            _ => cores(),
        };
        let parts: Vec<&[T]> = batch.chunks(batch.len().div_ceil(threads)).collect();
        each_part(parts, &f)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn batches_give_every_item_once_in_order() {
        for n in [
            0,
            1,
            BATCH_PARALLEL_FROM - 1,
            BATCH + BATCH_PARALLEL_FROM + 7,
        ] {
            let items: Vec<usize> = (0..n).collect();
            let batches: Vec<Vec<Vec<usize>>> = in_batches(&items, |part| part.to_vec()).collect();
            assert_eq!(batches.len(), n.div_ceil(BATCH), "{n}");
            let flat: Vec<usize> = batches.into_iter().flatten().flatten().collect();
            assert_eq!(flat, items, "{n}");
        }
    }
}
