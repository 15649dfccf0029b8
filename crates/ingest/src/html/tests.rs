//! Whole-page tests on small fictional pages.

use super::*;

#[test]
fn charset_declarations() {
    assert_eq!(
        declared_charset(b"<meta charset=\"windows-1251\">").as_deref(),
        Some("windows-1251")
    );
    assert_eq!(
        declared_charset(b"<html><head><META HTTP-EQUIV=\"Content-Type\" CONTENT=\"text/html; charset=ISO-8859-1\">").as_deref(),
        Some("iso-8859-1")
    );
    assert_eq!(
        declared_charset(b"<?xml version=\"1.0\" encoding='Shift_JIS'?><html>").as_deref(),
        Some("shift_jis")
    );
    assert_eq!(
        declared_charset(b"<meta charset=utf-16>").as_deref(),
        Some("utf-8")
    );
    assert_eq!(declared_charset(b"<html><p>no declaration</p>"), None);
    assert_eq!(declared_charset(b""), None);
}
