//! Locating the `en_core_web_sm` model directory.
//!
//! Order: an explicit path (a `--model` option), then `$DOSSIER_MODEL`, then
//! `models/en_core_web_sm` under the current directory, then the same path
//! under each ancestor of the running executable (so `target/release/dossier`
//! finds the checkout's model from anywhere).

use std::path::{Path, PathBuf};

/// The model directory relative to a checkout root.
pub const RELATIVE_DIR: &str = "models/en_core_web_sm";

/// The environment variable naming the model directory.
pub const ENV_VAR: &str = "DOSSIER_MODEL";

#[derive(Debug, thiserror::Error)]
pub enum LocateError {
    #[error(
        "spaCy model not found at {path} ({origin}); run scripts/fetch-model.sh to download en_core_web_sm"
    )]
    Missing { path: PathBuf, origin: &'static str },
    #[error(
        "spaCy model en_core_web_sm not found (looked in: {tried}); run scripts/fetch-model.sh to download it, or pass --model DIR / set DOSSIER_MODEL"
    )]
    NotFound { tried: String },
}

/// Whether `dir` looks like an unpacked spaCy pipeline.
pub fn is_model_dir(dir: &Path) -> bool {
    dir.join("config.cfg").is_file() && dir.join("tok2vec").is_dir()
}

/// Finds the model directory. An explicit path or `$DOSSIER_MODEL` that does
/// not hold a model is an error rather than a reason to look elsewhere: the
/// caller asked for that directory.
pub fn locate(explicit: Option<&Path>) -> Result<PathBuf, LocateError> {
    if let Some(dir) = explicit {
        return checked(dir.to_path_buf(), "given explicitly");
    }
    if let Some(dir) = std::env::var_os(ENV_VAR).filter(|v| !v.is_empty()) {
        return checked(PathBuf::from(dir), "from $DOSSIER_MODEL");
    }
    let mut tried = Vec::new();
    let mut candidates = Vec::new();
    if let Ok(cwd) = std::env::current_dir() {
        candidates.push(cwd.join(RELATIVE_DIR));
    }
    if let Ok(exe) = std::env::current_exe() {
        let exe = exe.canonicalize().unwrap_or(exe);
        for dir in exe.ancestors().skip(1) {
            candidates.push(dir.join(RELATIVE_DIR));
        }
    }
    for dir in candidates {
        if is_model_dir(&dir) {
            return Ok(dir);
        }
        let shown = dir.display().to_string();
        if !tried.contains(&shown) {
            tried.push(shown);
        }
    }
    Err(LocateError::NotFound {
        tried: tried.join(", "),
    })
}

fn checked(dir: PathBuf, origin: &'static str) -> Result<PathBuf, LocateError> {
    if is_model_dir(&dir) {
        Ok(dir)
    } else {
        Err(LocateError::Missing { path: dir, origin })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn explicit_missing_dir_is_a_clear_error() {
        let err = locate(Some(Path::new("/nonexistent/model/dir"))).unwrap_err();
        let msg = err.to_string();
        assert!(msg.contains("/nonexistent/model/dir"), "{msg}");
        assert!(msg.contains("scripts/fetch-model.sh"), "{msg}");
    }

    #[test]
    fn explicit_dir_with_model_files_is_accepted() {
        let dir = std::env::temp_dir().join(format!("dossier-model-test-{}", std::process::id()));
        std::fs::create_dir_all(dir.join("tok2vec")).unwrap();
        std::fs::write(dir.join("config.cfg"), "[nlp]\n").unwrap();
        let found = locate(Some(&dir)).unwrap();
        assert_eq!(found, dir);
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
