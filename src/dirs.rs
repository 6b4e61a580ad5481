//! Where crumbs keeps its records: config dir (consent records, policies) and
//! data dir (backups, consent log), from `directories`.

use std::path::PathBuf;

/// The config and data folders.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Dirs {
    /// Consent records (`consent/`), user policies (`policies/`).
    pub config: PathBuf,
    /// Backups (`backups/`), the consent log (`consent-log.jsonl`).
    pub data: PathBuf,
}

impl Dirs {
    /// The user's folders (honours `XDG_CONFIG_HOME` / `XDG_DATA_HOME`).
    pub fn from_env() -> Option<Dirs> {
        let p = directories::ProjectDirs::from("", "", "crumbs")?;
        Some(Dirs {
            config: p.config_dir().to_path_buf(),
            data: p.data_dir().to_path_buf(),
        })
    }

    /// The consent-record folder.
    pub fn consent_dir(&self) -> PathBuf {
        self.config.join("consent")
    }

    /// The user's policy folder.
    pub fn policies_dir(&self) -> PathBuf {
        self.config.join("policies")
    }

    /// The consent log.
    pub fn consent_log(&self) -> PathBuf {
        self.data.join("consent-log.jsonl")
    }

    /// The backup folder.
    pub fn backups_dir(&self) -> PathBuf {
        self.data.join("backups")
    }
}
