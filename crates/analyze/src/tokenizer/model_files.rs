//! Reading the spaCy model's msgpack files (tokenizer, lookups, patterns).

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use rmpv::Value;

use super::Error;

/// Reads and decodes a msgpack file, with errors naming the file.
pub(crate) fn read_msgpack(path: &Path) -> Result<Value, Error> {
    let bytes = read_file(path)?;
    rmpv::decode::read_value(&mut bytes.as_slice()).map_err(|e| Error::Format {
        path: path.to_path_buf(),
        what: format!("not valid msgpack: {e}"),
    })
}

pub(crate) fn read_file(path: &Path) -> Result<Vec<u8>, Error> {
    std::fs::read(path).map_err(|source| Error::Io {
        path: path.to_path_buf(),
        source,
    })
}

/// Checks the model directory exists, with the hint to fetch it.
pub(crate) fn check_model_dir(model_dir: &Path) -> Result<(), Error> {
    if model_dir.is_dir() {
        Ok(())
    } else {
        Err(Error::MissingModel(model_dir.to_path_buf()))
    }
}

pub(crate) fn format_err(path: &Path, what: impl Into<String>) -> Error {
    Error::Format {
        path: path.to_path_buf(),
        what: what.into(),
    }
}

/// Looks up a string key in a msgpack map.
pub(crate) fn map_get<'a>(v: &'a Value, key: &str) -> Option<&'a Value> {
    v.as_map()?
        .iter()
        .find(|(k, _)| k.as_str() == Some(key))
        .map(|(_, v)| v)
}

/// A spaCy `Lookups` file: table name -> (string id -> value).
pub(crate) struct LookupsFile {
    pub path: PathBuf,
    pub tables: HashMap<String, Value>,
}

impl LookupsFile {
    pub fn load(path: &Path) -> Result<Self, Error> {
        let v = read_msgpack(path)?;
        let map = v
            .as_map()
            .ok_or_else(|| format_err(path, "lookups: top level is not a map"))?;
        let mut tables = HashMap::new();
        for (k, t) in map {
            let name = k
                .as_str()
                .ok_or_else(|| format_err(path, "lookups: table name is not a string"))?;
            tables.insert(name.to_string(), t.clone());
        }
        Ok(LookupsFile {
            path: path.to_path_buf(),
            tables,
        })
    }

    /// A table whose keys are string ids and values are strings.
    pub fn string_table(&self, name: &str) -> Result<HashMap<u64, String>, Error> {
        let mut out = HashMap::new();
        for (k, v) in self.table_entries(name)? {
            let s = v
                .as_str()
                .ok_or_else(|| format_err(&self.path, format!("{name}: value is not a string")))?;
            out.insert(k, s.to_string());
        }
        Ok(out)
    }

    /// The (string id, value) entries of a table.
    pub fn table_entries(&self, name: &str) -> Result<Vec<(u64, &Value)>, Error> {
        let t = self
            .tables
            .get(name)
            .ok_or_else(|| format_err(&self.path, format!("missing table {name:?}")))?;
        let map = t
            .as_map()
            .ok_or_else(|| format_err(&self.path, format!("{name}: not a map")))?;
        map.iter()
            .map(|(k, v)| {
                let key = k.as_u64().ok_or_else(|| {
                    format_err(&self.path, format!("{name}: key is not an integer id"))
                })?;
                Ok((key, v))
            })
            .collect()
    }
}
