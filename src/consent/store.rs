//! Saved consent records (config dir) and the consent log (data dir).
