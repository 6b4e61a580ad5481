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

#[cfg(test)]
mod tests {
    use super::*;

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
