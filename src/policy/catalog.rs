//! Where policies are found (DESIGN §5): `--policy FILE` alone, or else the
//! user's `policies/` folder in the config dir (every `*.json`, by file name)
//! then the shipped ones. The first that covers a site is that site's policy,
//! so an imported policy installed for a portal takes precedence over a
//! shipped pattern. This is the only place that lookup order is written.

use std::path::Path;
use std::sync::{Arc, OnceLock};

use super::{Policy, PolicyError, load, normalized_host};
use crate::dirs::Dirs;
use crate::known::governing::Governing;

/// The policies that may govern a jar's sites, in lookup order, and the
/// known-cookie catalog that governs every other cookie (DESIGN §5b). Cheap
/// to clone: every scope and session holds what it needs by reference count.
#[derive(Debug, Clone)]
pub struct Catalog {
    /// In lookup order.
    policies: Vec<Arc<Policy>>,
    /// The known-cookie catalog and its policy.
    known: Arc<Governing>,
}

impl Catalog {
    /// `explicit` (`--policy FILE`) alone when given; else the user's policies
    /// (when `dirs` is known) followed by the shipped ones. The known-cookie
    /// catalog is the data dir's CSV when there is one, else the embedded one.
    pub fn find(explicit: Option<&Path>, dirs: Option<&Dirs>) -> Result<Catalog, PolicyError> {
        Catalog::find_with_known(explicit, None, dirs)
    }

    /// [`Catalog::find`] with `known` (`--known FILE`) as the known-cookie
    /// catalog when given. A catalog CSV that is there but malformed is an
    /// error, never a reason to use another.
    pub fn find_with_known(
        explicit: Option<&Path>,
        known: Option<&Path>,
        dirs: Option<&Dirs>,
    ) -> Result<Catalog, PolicyError> {
        let policies = match explicit {
            Some(path) => vec![Policy::from_path(path)?],
            None => candidates(dirs.map(Dirs::policies_dir).as_deref())?,
        };
        let data_csv = dirs.is_some_and(|d| d.data.join(crate::known::FILE_NAME).exists());
        let known = match (known, data_csv) {
            (None, false) => embedded(),
            _ => Arc::new(Governing::new(crate::known::Catalog::locate(known, dirs)?)),
        };
        Ok(Catalog {
            policies: policies.into_iter().map(Arc::new).collect(),
            known,
        })
    }

    /// These policies, in this order, with the embedded known-cookie catalog.
    pub fn of(policies: impl IntoIterator<Item = Policy>) -> Catalog {
        Catalog {
            policies: policies.into_iter().map(Arc::new).collect(),
            known: embedded(),
        }
    }

    /// The known-cookie catalog and the policy it acts as.
    pub fn known(&self) -> &Arc<Governing> {
        &self.known
    }

    /// The policies in lookup order.
    pub fn policies(&self) -> &[Arc<Policy>] {
        &self.policies
    }

    /// The first policy whose `sites` cover `host` (normalised here).
    pub fn covering(&self, host: &str) -> Option<&Arc<Policy>> {
        let host = normalized_host(host);
        self.policies.iter().find(|p| p.covers_normal_site(&host))
    }

    /// Every policy's site patterns, joined for messages.
    pub fn site_patterns(&self) -> String {
        self.policies
            .iter()
            .map(|p| p.site_patterns())
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// The embedded known-cookie catalog, parsed and indexed once per process.
fn embedded() -> Arc<Governing> {
    static EMBEDDED: OnceLock<Arc<Governing>> = OnceLock::new();
    Arc::clone(EMBEDDED.get_or_init(|| {
        // A unit test parses the embedded CSV; were it broken, no cookie would be known.
        let catalog =
            crate::known::Catalog::embedded().unwrap_or_else(|_| crate::known::Catalog::empty());
        Arc::new(Governing::new(catalog))
    }))
}

/// Every `*.json` policy in `dir`, sorted by file name; none when the folder
/// does not exist. A file that cannot be read or is not a valid policy is an
/// error naming it.
pub fn user_policies(dir: &Path) -> Result<Vec<Policy>, PolicyError> {
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(source) => {
            return Err(PolicyError::Io {
                origin: dir.display().to_string(),
                source,
            });
        }
    };
    let mut paths = Vec::new();
    for entry in entries {
        let entry = entry.map_err(|source| PolicyError::Io {
            origin: dir.display().to_string(),
            source,
        })?;
        let path = entry.path();
        if path.extension().is_some_and(|e| e == "json") && !path.is_dir() {
            paths.push(path);
        }
    }
    paths.sort();
    paths.iter().map(|p| load::from_path(p)).collect()
}

/// The policies in lookup order: the user's (from `dir`, when given), then the shipped ones.
fn candidates(dir: Option<&Path>) -> Result<Vec<Policy>, PolicyError> {
    let mut all = match dir {
        Some(dir) => user_policies(dir)?,
        None => Vec::new(),
    };
    all.extend(load::shipped());
    Ok(all)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn missing_folder_is_empty_and_order_is_by_name() {
        let tmp = tempfile::tempdir().expect("tempdir");
        let dir = tmp.path().join("policies");
        assert!(user_policies(&dir).expect("no folder").is_empty());
        std::fs::create_dir(&dir).expect("mkdir");
        let shipped = load::shipped()[0].doc.clone();
        for (file, site) in [("b.json", "b.example.test"), ("a.json", "a.example.test")] {
            let mut doc = shipped.clone();
            doc.sites = vec![site.into()];
            let text = serde_json::to_string(&doc).expect("json");
            std::fs::write(dir.join(file), text).expect("write");
        }
        std::fs::write(dir.join("notes.txt"), "not a policy").expect("write");
        let found = user_policies(&dir).expect("valid");
        let sites: Vec<&str> = found.iter().map(|p| p.doc.sites[0].as_str()).collect();
        assert_eq!(sites, ["a.example.test", "b.example.test"]);
        let all = candidates(Some(&dir)).expect("valid");
        assert_eq!(all.len(), 2 + load::shipped().len());
        assert_eq!(all[2].origin, "shipped:opendatasoft");
    }

    #[test]
    fn a_malformed_user_policy_is_an_error_naming_it() {
        let tmp = tempfile::tempdir().expect("tempdir");
        std::fs::write(tmp.path().join("bad.json"), "{\n  \"schema\": 1,\n}").expect("write");
        match user_policies(tmp.path()) {
            Err(e) => {
                let text = e.to_string();
                assert!(text.contains("bad.json:2:"), "{text}");
            }
            Ok(p) => panic!("loaded {} policies", p.len()),
        }
    }
}
