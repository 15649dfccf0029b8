//! File names and sources made safe to print: a name may hold ESC,
//! newlines or bidirectional overrides, which would reach the terminal or a
//! report as they are (escape injection, forged "- file: reason" lines).

use std::borrow::Cow;
use std::path::Path;

/// `s` with control characters (C0, DEL, C1), line and paragraph
/// separators and bidirectional controls written as escapes: `\n`, `\r`,
/// `\t`, otherwise `\u{1b}`. A backslash is doubled only when it could be
/// read as the start of such an escape, so ordinary names print unchanged.
pub fn escape_for_terminal(s: &str) -> Cow<'_, str> {
    if !s.chars().any(needs_escape) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\\' if matches!(chars.peek(), Some('n' | 'r' | 't' | 'u' | 'x' | '\\')) => {
                out.push_str("\\\\")
            }
            c if needs_escape(c) => out.push_str(&format!("\\u{{{:x}}}", c as u32)),
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

fn needs_escape(c: char) -> bool {
    c.is_control()
        || matches!(c,
            '\u{2028}' | '\u{2029}'             // line and paragraph separators
            | '\u{200e}' | '\u{200f}'           // LRM, RLM
            | '\u{202a}'..='\u{202e}'           // embeddings and overrides
            | '\u{2066}'..='\u{2069}'           // isolates
        )
}

/// A path for printing: escaped as [`escape_for_terminal`] does, with bytes
/// that are not UTF-8 written as `\xNN` instead of being lost.
pub fn path_for_terminal(path: &Path) -> String {
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStrExt;
        let mut out = String::new();
        for chunk in path.as_os_str().as_bytes().utf8_chunks() {
            out.push_str(&escape_for_terminal(chunk.valid()));
            for b in chunk.invalid() {
                out.push_str(&format!("\\x{b:02x}"));
            }
        }
        out
    }
    #[cfg(not(unix))]
    {
        escape_for_terminal(&path.to_string_lossy()).into_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ordinary_names_are_unchanged() {
        for s in ["a/b.txt", "C:\\data\\x.txt", "Dāʿish – report (2).html", ""] {
            assert!(matches!(escape_for_terminal(s), Cow::Borrowed(_)), "{s}");
        }
    }

    #[test]
    fn control_characters_are_escaped() {
        assert_eq!(
            escape_for_terminal("evil\u{1b}[31m\n- forged: reason.txt"),
            "evil\\u{1b}[31m\\n- forged: reason.txt"
        );
        assert_eq!(
            escape_for_terminal("a\tb\rc\u{7f}\u{85}"),
            "a\\tb\\rc\\u{7f}\\u{85}"
        );
        assert_eq!(escape_for_terminal("x\u{202e}txt.exe"), "x\\u{202e}txt.exe");
        // An existing backslash before n is doubled when escaping happens,
        // so the output stays unambiguous.
        assert_eq!(escape_for_terminal("a\\n\n"), "a\\\\n\\n");
    }

    #[cfg(unix)]
    #[test]
    fn invalid_utf8_in_paths_is_shown_as_hex() {
        use std::os::unix::ffi::OsStrExt;
        let p = Path::new(std::ffi::OsStr::from_bytes(b"caf\xe9\x1b.txt"));
        assert_eq!(path_for_terminal(p), "caf\\xe9\\u{1b}.txt");
    }

    proptest::proptest! {
        /// Whatever the input, the output has no character a terminal
        /// would act on.
        #[test]
        fn output_is_inert(s in "\\PC*|[\\x00-\\x1f\\x7f-\\u{9f}\\u{2028}\\u{202e}a\\\\n]{0,40}") {
            let out = escape_for_terminal(&s);
            proptest::prop_assert!(!out.chars().any(needs_escape), "{:?}", out);
        }
    }
}
