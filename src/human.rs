//! Figures for people, the same in every face (the TUI's loading screen,
//! the CLI's progress note).

/// A file size for people: `512 B`, `26.6 MB` (decimal units, as `ls -lh --si`).
pub fn size(bytes: u64) -> String {
    const UNITS: [&str; 4] = ["kB", "MB", "GB", "TB"];
    if bytes < 1000 {
        return format!("{bytes} B");
    }
    let mut value = bytes as f64 / 1000.0;
    let mut unit = 0;
    while value >= 999.95 && unit + 1 < UNITS.len() {
        value /= 1000.0;
        unit += 1;
    }
    format!("{value:.1} {}", UNITS[unit])
}

/// `n` and the noun, plural unless one: `1 cookie`, `0 cookies`, `2 problems`.
pub fn count(n: usize, noun: &str) -> String {
    if n == 1 {
        format!("1 {noun}")
    } else if ["s", "x", "ch", "sh"].iter().any(|end| noun.ends_with(end)) {
        format!("{n} {noun}es")
    } else {
        format!("{n} {noun}s")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts() {
        assert_eq!(count(1, "cookie"), "1 cookie");
        assert_eq!(count(0, "match"), "0 matches");
        assert_eq!(count(2, "problem"), "2 problems");
    }

    #[test]
    fn sizes() {
        assert_eq!(size(0), "0 B");
        assert_eq!(size(999), "999 B");
        assert_eq!(size(1000), "1.0 kB");
        assert_eq!(size(26_581_181), "26.6 MB");
        assert_eq!(size(88_868_502), "88.9 MB");
        assert_eq!(size(999_960), "1.0 MB");
        assert_eq!(size(u64::MAX), "18446744.1 TB");
    }
}
