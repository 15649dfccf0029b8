//! Query-string parsing with strict validation: unknown, repeated, badly
//! encoded, overlong or out-of-range parameters are refused with a message
//! saying which and why.

use crate::api::ApiError;
use dossier_query::DateBound;
use percent_encoding::percent_decode;

/// Longest value accepted for any parameter (ids are 16 hex digits; names
/// are short).
pub const MAX_VALUE_CHARS: usize = 200;
/// Longest query string accepted.
const MAX_QUERY_BYTES: usize = 4096;

pub struct Params {
    pairs: Vec<(String, String)>,
}

fn decode(raw: &str, what: &str) -> Result<String, ApiError> {
    let bytes = raw.replace('+', " ");
    // A `%` must start a two-digit hex escape; anything else is malformed.
    let b = bytes.as_bytes();
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' {
            let ok =
                i + 2 < b.len() && b[i + 1].is_ascii_hexdigit() && b[i + 2].is_ascii_hexdigit();
            if !ok {
                return Err(ApiError::bad_request(format!(
                    "malformed percent-encoding in {what}"
                )));
            }
            i += 3;
        } else {
            i += 1;
        }
    }
    percent_decode(bytes.as_bytes())
        .decode_utf8()
        .map(|s| s.into_owned())
        .map_err(|_| ApiError::bad_request(format!("{what} is not valid UTF-8")))
}

impl Params {
    /// Parse a raw query string, accepting only the `allowed` names.
    pub fn parse(raw: Option<&str>, allowed: &[&str]) -> Result<Params, ApiError> {
        let raw = raw.unwrap_or("");
        if raw.len() > MAX_QUERY_BYTES {
            return Err(ApiError::bad_request(format!(
                "query string longer than {MAX_QUERY_BYTES} bytes"
            )));
        }
        let mut pairs: Vec<(String, String)> = Vec::new();
        for item in raw.split('&').filter(|s| !s.is_empty()) {
            let (k, v) = item.split_once('=').unwrap_or((item, ""));
            let k = decode(k, "a parameter name")?;
            if !allowed.contains(&k.as_str()) {
                let shown: String = k.chars().take(40).collect();
                return Err(ApiError::bad_request(if allowed.is_empty() {
                    format!("unknown parameter {shown:?}: this endpoint takes none")
                } else {
                    format!(
                        "unknown parameter {shown:?} (expected one of: {})",
                        allowed.join(", ")
                    )
                }));
            }
            let v = decode(v, &format!("parameter {k:?}"))?;
            if v.chars().count() > MAX_VALUE_CHARS {
                return Err(ApiError::bad_request(format!(
                    "parameter {k:?} is longer than {MAX_VALUE_CHARS} characters"
                )));
            }
            if pairs.iter().any(|(x, _)| *x == k) {
                return Err(ApiError::bad_request(format!(
                    "parameter {k:?} given more than once"
                )));
            }
            pairs.push((k, v));
        }
        Ok(Params { pairs })
    }

    /// A parameter's value, `None` when absent or empty.
    pub fn str(&self, k: &str) -> Option<&str> {
        self.pairs
            .iter()
            .find(|(x, _)| x == k)
            .map(|(_, v)| v.as_str())
            .filter(|v| !v.is_empty())
    }

    /// A non-negative integer no larger than `max` (larger values are
    /// capped, not refused: `limit=1000` gives the largest page).
    pub fn count(&self, k: &str, default: usize, max: usize) -> Result<usize, ApiError> {
        let Some(v) = self.str(k) else {
            return Ok(default);
        };
        let bad = || {
            ApiError::bad_request(format!(
                "parameter {k:?} must be a whole number from 0 to {max}"
            ))
        };
        if !v.bytes().all(|b| b.is_ascii_digit()) {
            return Err(bad());
        }
        // Digits only, so the only parse failure is overflow: cap it too.
        Ok(v.parse::<usize>().unwrap_or(usize::MAX).min(max))
    }

    /// `true`/`false` (also `1`/`0`).
    pub fn flag(&self, k: &str) -> Result<bool, ApiError> {
        match self.str(k) {
            None | Some("false") | Some("0") => Ok(false),
            Some("true") | Some("1") => Ok(true),
            Some(_) => Err(ApiError::bad_request(format!(
                "parameter {k:?} must be true or false"
            ))),
        }
    }

    /// `YYYY`, `YYYY-MM` or `YYYY-MM-DD`.
    pub fn date(&self, k: &str) -> Result<Option<DateBound>, ApiError> {
        match self.str(k) {
            None => Ok(None),
            Some(v) => DateBound::parse(v).map(Some).ok_or_else(|| {
                ApiError::bad_request(format!(
                    "parameter {k:?} must be a date: YYYY, YYYY-MM or YYYY-MM-DD"
                ))
            }),
        }
    }

    /// An identifier: letters, digits, `-`, `_`, `.`, `:`.
    pub fn id(&self, k: &str) -> Result<Option<String>, ApiError> {
        match self.str(k) {
            None => Ok(None),
            Some(v) => check_id(v).map(|v| Some(v.to_string())),
        }
    }

    /// A type name matching `pattern` (`upper` for entity types such as
    /// `PERSON`, lower for event types such as `killing`).
    pub fn type_name(&self, k: &str, upper: bool) -> Result<Option<String>, ApiError> {
        let Some(v) = self.str(k) else {
            return Ok(None);
        };
        let ok = !v.is_empty()
            && v.len() <= 40
            && v.bytes().all(|b| {
                b == b'_'
                    || if upper {
                        b.is_ascii_uppercase()
                    } else {
                        b.is_ascii_lowercase()
                    }
            });
        if ok {
            Ok(Some(v.to_string()))
        } else {
            Err(ApiError::bad_request(format!(
                "parameter {k:?} must be {} letters and underscores",
                if upper { "upper-case" } else { "lower-case" }
            )))
        }
    }
}

/// Ids are opaque strings made by the pipeline; anything outside this
/// alphabet cannot be one, so it is refused before any lookup.
pub fn check_id(v: &str) -> Result<&str, ApiError> {
    let ok = !v.is_empty()
        && v.len() <= MAX_VALUE_CHARS
        && v.bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b':'))
        && !v.contains("..");
    if ok {
        Ok(v)
    } else {
        Err(ApiError::bad_request(
            "malformed id: expected letters, digits, '-', '_', '.' or ':'",
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_decodes() {
        let p = Params::parse(Some("q=al-Masri&limit=5&x=%C3%BC+y"), &["q", "limit", "x"]).unwrap();
        assert_eq!(p.str("q"), Some("al-Masri"));
        assert_eq!(p.count("limit", 20, 100).unwrap(), 5);
        assert_eq!(p.str("x"), Some("ü y"));
        assert_eq!(p.count("offset", 7, 100).unwrap(), 7);
    }

    #[test]
    fn refuses_what_it_cannot_trust() {
        let allowed = &["q", "limit"];
        for raw in [
            "nope=1", "q=1&q=2", "q=%zz", "q=%E0%A4", "q=abc%", "q=%4", "%ff=1",
        ] {
            assert!(Params::parse(Some(raw), allowed).is_err(), "{raw}");
        }
        let long = format!("q={}", "a".repeat(MAX_VALUE_CHARS + 1));
        assert!(Params::parse(Some(&long), allowed).is_err());
        let p = Params::parse(Some("limit=-1"), allowed).unwrap();
        assert!(p.count("limit", 20, 100).is_err());
        let p = Params::parse(Some("limit=99999999999999999999999999"), allowed).unwrap();
        assert_eq!(p.count("limit", 20, 100).unwrap(), 100);
        let p = Params::parse(Some("limit=1e3"), allowed).unwrap();
        assert!(p.count("limit", 20, 100).is_err());
    }

    #[test]
    fn ids_and_types() {
        assert!(check_id("3f2a9c0d11e5b7a4").is_ok());
        assert!(check_id("../../etc/passwd").is_err());
        assert!(check_id("a b").is_err());
        assert!(check_id("").is_err());
        let p = Params::parse(Some("type=PERSON&kind=drop%20table"), &["type", "kind"]).unwrap();
        assert_eq!(
            p.type_name("type", true).unwrap().as_deref(),
            Some("PERSON")
        );
        assert!(p.type_name("kind", false).is_err());
    }
}
