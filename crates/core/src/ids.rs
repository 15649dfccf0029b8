use sha2::{Digest, Sha256};

/// The id of a document: a hash of its text, so the same text always gets the
/// same id wherever and whenever it arrives.
pub fn content_id(text: &str) -> String {
    stable_id("doc", &[text])
}

/// A short, stable id from a kind and its identifying parts. Parts are
/// length-prefixed so `("ab","c")` and `("a","bc")` differ.
pub fn stable_id(kind: &str, parts: &[&str]) -> String {
    let mut h = Sha256::new();
    h.update(kind.as_bytes());
    for p in parts {
        h.update((p.len() as u64).to_le_bytes());
        h.update(p.as_bytes());
    }
    let digest = h.finalize();
    let mut out = String::with_capacity(16);
    for b in &digest[..8] {
        out.push_str(&format!("{b:02x}"));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn content_id_is_stable_and_distinct() {
        assert_eq!(content_id("a text"), content_id("a text"));
        assert_ne!(content_id("a text"), content_id("a text."));
        assert_eq!(content_id("x").len(), 16);
    }

    #[test]
    fn parts_are_delimited() {
        assert_ne!(stable_id("e", &["ab", "c"]), stable_id("e", &["a", "bc"]));
        assert_ne!(stable_id("e", &["a"]), stable_id("f", &["a"]));
    }
}
