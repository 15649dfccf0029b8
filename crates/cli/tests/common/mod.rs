//! Helpers shared by the end-to-end tests.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .canonicalize()
        .unwrap()
}

pub fn sample_corpus() -> PathBuf {
    repo_root().join("examples/corpus")
}

/// `../shared/corpus/seeds`, when this checkout has it beside it.
pub fn seeds() -> Option<PathBuf> {
    let p = repo_root().join("../shared/corpus/seeds");
    p.is_dir().then_some(p)
}

pub struct TempDir(pub PathBuf);

impl TempDir {
    pub fn new(name: &str) -> TempDir {
        let p = std::env::temp_dir().join(format!("dossier-e2e-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&p);
        std::fs::create_dir_all(&p).unwrap();
        TempDir(p)
    }

    pub fn path(&self, name: &str) -> PathBuf {
        self.0.join(name)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// The model the tests use: `$DOSSIER_MODEL`, else the checkout's
/// `models/en_core_web_sm` (fetched by `scripts/fetch-model.sh`).
pub fn model_dir() -> PathBuf {
    match std::env::var_os("DOSSIER_MODEL").filter(|v| !v.is_empty()) {
        Some(dir) => PathBuf::from(dir),
        None => repo_root().join("models/en_core_web_sm"),
    }
}

pub fn dossier() -> Command {
    let model = model_dir();
    assert!(
        model.join("config.cfg").is_file(),
        "the spaCy model is missing at {}: run scripts/fetch-model.sh (scripts/test.sh does)",
        model.display()
    );
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_dossier"));
    cmd.env("DOSSIER_MODEL", model);
    cmd
}

pub fn run(args: &[&str]) -> Output {
    let out = dossier().args(args).output().expect("run dossier");
    out
}

pub fn run_ok(args: &[&str]) -> String {
    let out = run(args);
    assert!(
        out.status.success(),
        "dossier {args:?} failed:\nstdout: {}\nstderr: {}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

pub fn export_json(db: &Path) -> serde_json::Value {
    let out = run_ok(&["export", "--db", db.to_str().unwrap(), "--format", "json"]);
    serde_json::from_str(&out).expect("export is JSON")
}

/// Validates an export against the contract's JSON Schema.
pub fn assert_valid_export(export: &serde_json::Value) {
    let schema_path = repo_root().join("docs/export.schema.json");
    let schema: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(schema_path).unwrap()).unwrap();
    let validator = jsonschema::validator_for(&schema).expect("schema compiles");
    let errors: Vec<String> = validator
        .iter_errors(export)
        .map(|e| format!("{} at {}", e, e.instance_path))
        .collect();
    assert!(
        errors.is_empty(),
        "export violates the schema:\n{}",
        errors.join("\n")
    );
}
