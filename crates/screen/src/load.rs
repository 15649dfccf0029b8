//! Loading lists: `KIND:PATH` specs, format checks and the errors every
//! reader reports (file, line or record, problem).

use std::io::Read;
use std::path::{Path, PathBuf};

use dossier_core::Date;

use crate::entry::{DateOrigin, ListKind, ListSource, SanctionsList};

/// Names longer than this (bytes) are refused: no real name comes close,
/// and comparing megabyte "names" would stall screening.
pub const MAX_NAME_BYTES: usize = 1000;

/// List files larger than this are refused before reading (the full
/// OpenSanctions default dataset is larger; split it or raise the limit
/// with [`LoadOptions`]).
pub const MAX_LIST_BYTES: u64 = 2 << 30;

/// A path for messages, control characters escaped so that a file name
/// cannot forge terminal output or extra lines.
pub fn shown(p: &Path) -> String {
    p.display()
        .to_string()
        .chars()
        .flat_map(|c| {
            let escaped: Vec<char> = if c.is_control() {
                c.escape_default().collect()
            } else {
                vec![c]
            };
            escaped
        })
        .collect()
}

#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    #[error("cannot read {}: {source}", shown(path))]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{}:{line}: {problem}", shown(path))]
    Format {
        path: PathBuf,
        line: usize,
        problem: String,
    },
    #[error("{}: {problem}", shown(path))]
    File { path: PathBuf, problem: String },
    #[error("bad list spec `{0}`: expected ofac:PATH, un:PATH or ftm:PATH")]
    Spec(String),
}

impl LoadError {
    pub(crate) fn format(path: &Path, line: usize, problem: impl Into<String>) -> LoadError {
        LoadError::Format {
            path: path.to_path_buf(),
            line,
            problem: problem.into(),
        }
    }

    pub(crate) fn file(path: &Path, problem: impl Into<String>) -> LoadError {
        LoadError::File {
            path: path.to_path_buf(),
            problem: problem.into(),
        }
    }

    pub(crate) fn io(path: &Path, source: std::io::Error) -> LoadError {
        LoadError::Io {
            path: path.to_path_buf(),
            source,
        }
    }
}

/// `ofac:PATH`, `un:PATH` or `ftm:PATH`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListSpec {
    pub kind: ListKind,
    pub path: PathBuf,
}

impl std::str::FromStr for ListSpec {
    type Err = LoadError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let (kind, path) = s.split_once(':').ok_or_else(|| LoadError::Spec(s.into()))?;
        let kind = ListKind::parse(kind).ok_or_else(|| LoadError::Spec(s.into()))?;
        if path.is_empty() {
            return Err(LoadError::Spec(s.into()));
        }
        Ok(ListSpec {
            kind,
            path: PathBuf::from(path),
        })
    }
}

/// Read one list whole; any error leaves nothing loaded.
pub fn load(spec: &ListSpec) -> Result<SanctionsList, LoadError> {
    check_format(spec)?;
    match spec.kind {
        ListKind::Ofac => crate::ofac::read(&spec.path),
        ListKind::Un => crate::un::read(&spec.path),
        ListKind::Ftm => crate::ftm::read(&spec.path),
    }
}

/// Read several lists in parallel; the first error (in spec order) is
/// returned and nothing is loaded.
pub fn load_all(specs: &[ListSpec]) -> Result<Vec<SanctionsList>, LoadError> {
    use rayon::prelude::*;
    specs.par_iter().map(load).collect()
}

/// What the start of a file looks like.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Looks {
    Xml,
    Json,
    Text,
    Empty,
}

fn sniff(path: &Path) -> Result<Looks, LoadError> {
    let mut head = Vec::with_capacity(4096);
    open_file(path)?
        .take(4096)
        .read_to_end(&mut head)
        .map_err(|e| LoadError::io(path, e))?;
    let text = String::from_utf8_lossy(&head);
    let t = text.trim_start_matches('\u{feff}').trim_start();
    Ok(match t.chars().next() {
        None => Looks::Empty,
        Some('<') => Looks::Xml,
        Some('{') => Looks::Json,
        Some(_) => Looks::Text,
    })
}

/// Refuses a file whose start does not fit the declared list kind, before
/// any reading ("un:" given a CSV file, "ofac:" given XML).
fn check_format(spec: &ListSpec) -> Result<(), LoadError> {
    let file = if spec.kind == ListKind::Ofac && spec.path.is_dir() {
        spec.path.join("sdn.csv")
    } else {
        spec.path.clone()
    };
    let looks = sniff(&file)?;
    let (want, what) = match spec.kind {
        ListKind::Ofac => (Looks::Text, "an OFAC SDN CSV file"),
        ListKind::Un => (Looks::Xml, "UN consolidated list XML"),
        ListKind::Ftm => (Looks::Json, "FollowTheMoney JSON lines"),
    };
    if looks == Looks::Empty {
        return Err(LoadError::file(&file, "empty file"));
    }
    if looks != want {
        let seen = match looks {
            Looks::Xml => "XML",
            Looks::Json => "JSON",
            _ => "plain text or CSV",
        };
        return Err(LoadError::file(
            &file,
            format!(
                "starts like {seen}, not {what} as `{}:` says: unknown or wrong list format",
                spec.kind
            ),
        ));
    }
    Ok(())
}

/// Opens a list file after checking that it is a regular file of a sane
/// size (a FIFO or device would hang or never end).
pub(crate) fn open_file(path: &Path) -> Result<std::fs::File, LoadError> {
    let meta = std::fs::metadata(path).map_err(|e| LoadError::io(path, e))?;
    if !meta.is_file() {
        return Err(LoadError::file(path, "not a regular file"));
    }
    if meta.len() > MAX_LIST_BYTES {
        return Err(LoadError::file(
            path,
            format!("{} bytes, over the {MAX_LIST_BYTES}-byte limit", meta.len()),
        ));
    }
    std::fs::File::open(path).map_err(|e| LoadError::io(path, e))
}

/// Checks one name read from a list.
pub(crate) fn check_name(path: &Path, line: usize, name: &str) -> Result<(), LoadError> {
    if name.len() > MAX_NAME_BYTES {
        return Err(LoadError::format(
            path,
            line,
            format!(
                "name of {} bytes, over the {MAX_NAME_BYTES}-byte limit",
                name.len()
            ),
        ));
    }
    if name
        .chars()
        .any(|c| c.is_control() && c != '\n' && c != '\t')
    {
        return Err(LoadError::format(
            path,
            line,
            "name holds control characters",
        ));
    }
    Ok(())
}

/// The list's date from a date in its path ("2022-01_ListLookup",
/// "consolidated_2020-11-30.xml"), else the file's modification day.
pub(crate) fn source_for(kind: ListKind, path: &Path, document_date: Option<Date>) -> ListSource {
    let (date, date_origin) = match document_date {
        Some(d) => (Some(d), DateOrigin::Document),
        None => match date_in_path(path) {
            Some(d) => (Some(d), DateOrigin::PathName),
            None => match modified_day(path) {
                Some(d) => (Some(d), DateOrigin::FileModified),
                None => (None, DateOrigin::Unknown),
            },
        },
    };
    ListSource {
        kind,
        path: path.display().to_string(),
        files: vec![path.display().to_string()],
        date,
        date_origin,
        skipped: Vec::new(),
    }
}

/// The last `YYYY-MM-DD` or `YYYY-MM` in the path's components.
pub fn date_in_path(path: &Path) -> Option<Date> {
    let mut best = None;
    for comp in path.components() {
        let s = comp.as_os_str().to_string_lossy();
        let b = s.as_bytes();
        let mut i = 0;
        while i + 7 <= b.len() {
            let digits =
                |r: std::ops::Range<usize>| r.end <= b.len() && b[r].iter().all(u8::is_ascii_digit);
            let starts_clean = i == 0 || !b[i - 1].is_ascii_digit();
            if starts_clean && digits(i..i + 4) && b[i + 4] == b'-' && digits(i + 5..i + 7) {
                let ymd = i + 10 <= b.len()
                    && b[i + 7] == b'-'
                    && digits(i + 8..i + 10)
                    && b.get(i + 10).is_none_or(|c| !c.is_ascii_digit());
                let text = if ymd { &s[i..i + 10] } else { &s[i..i + 7] };
                if let Some(d) = Date::parse_iso(text) {
                    best = Some(d);
                }
                i += text.len();
            } else {
                i += 1;
            }
        }
    }
    best
}

fn modified_day(path: &Path) -> Option<Date> {
    let t = std::fs::metadata(path).ok()?.modified().ok()?;
    let secs = t.duration_since(std::time::UNIX_EPOCH).ok()?.as_secs() as i64;
    Some(civil_from_days(secs.div_euclid(86_400)))
}

/// Days since 1970-01-01 to a calendar date (Howard Hinnant's algorithm).
fn civil_from_days(z: i64) -> Date {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u8;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u8;
    let y = (yoe + era * 400 + i64::from(m <= 2)) as i32;
    Date::ymd(y, m, d).unwrap_or(Date::year(y))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn specs_parse_and_refuse() {
        let s: ListSpec = "ofac:../data/sdn.csv".parse().unwrap();
        assert_eq!(s.kind, ListKind::Ofac);
        assert_eq!(s.path, PathBuf::from("../data/sdn.csv"));
        assert!("xml:foo".parse::<ListSpec>().is_err());
        assert!("un:".parse::<ListSpec>().is_err());
        assert!("foo".parse::<ListSpec>().is_err());
    }

    #[test]
    fn dates_in_paths() {
        let d = date_in_path(Path::new("/x/2022-01_ListLookup/sdn.csv")).unwrap();
        assert_eq!(d.to_string(), "2022-01");
        let d = date_in_path(Path::new("un/consolidated_2020-11-30.xml")).unwrap();
        assert_eq!(d.to_string(), "2020-11-30");
        assert!(date_in_path(Path::new("/tmp/list.csv")).is_none());
        assert!(date_in_path(Path::new("/tmp/12345-67-89")).is_none());
    }

    #[test]
    fn civil_days() {
        assert_eq!(civil_from_days(0).to_string(), "1970-01-01");
        assert_eq!(civil_from_days(19_723).to_string(), "2024-01-01");
    }

    #[test]
    fn paths_in_messages_are_escaped() {
        let e = LoadError::file(Path::new("a\nb\u{1b}[31m.csv"), "empty file");
        assert_eq!(e.to_string(), "a\\nb\\u{1b}[31m.csv: empty file");
    }

    #[test]
    fn names_are_checked() {
        let p = Path::new("x.csv");
        assert!(check_name(p, 1, "Abu Mohamed").is_ok());
        let e = check_name(p, 7, &"a".repeat(MAX_NAME_BYTES + 1)).unwrap_err();
        assert!(e.to_string().starts_with("x.csv:7: name of"), "{e}");
        assert!(check_name(p, 1, "a\u{0}b").is_err());
    }
}
