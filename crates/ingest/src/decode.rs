//! Bytes to clean UTF-8 text: encoding detection, line endings, control
//! characters.
//!
//! UTF-8 is repaired locally: a few invalid bytes in an otherwise UTF-8
//! text become U+FFFD with a warning, and the text is only read as a legacy
//! code page when most of its non-ASCII bytes are not UTF-8.

use encoding_rs::Encoding;

/// Text decoded from bytes, with what had to be done to get it.
#[derive(Debug, Clone, PartialEq)]
pub struct Decoded {
    pub text: String,
    /// The encoding the bytes were read as (`UTF-8`, `windows-1252`, ...).
    pub encoding: &'static str,
    /// Caveats worth reporting: bytes replaced by U+FFFD, an encoding
    /// guessed.
    pub warnings: Vec<String>,
}

/// Binary content, named by its kind, or `None` for text. Looks for the
/// signatures of common binary formats and for control bytes (NUL
/// included) in more than 1% of `bytes`, so a stray NUL in a text does not
/// make it binary. Text in UTF-16 has NULs: check for it first.
pub fn binary_kind(bytes: &[u8]) -> Option<&'static str> {
    if let Some(kind) = binary_signature(bytes) {
        return Some(kind);
    }
    let control = bytes.iter().filter(|&&b| is_binary_control(b)).count();
    (control > 2 && control * 100 > bytes.len()).then_some("control bytes, not text")
}

/// The kind of binary file `bytes` starts like, from its signature.
pub fn binary_signature(bytes: &[u8]) -> Option<&'static str> {
    const MAGIC: [(&[u8], &str); 10] = [
        (b"\x89PNG", "a PNG image"),
        (b"\xff\xd8\xff", "a JPEG image"),
        (b"GIF8", "a GIF image"),
        (b"PK\x03\x04", "a ZIP archive (or .docx/.xlsx/.epub)"),
        (b"\x7fELF", "an executable"),
        (b"\xfd7zXZ\x00", "xz-compressed data; decompress it first"),
        (b"BZh91AY&SY", "bzip2-compressed data; decompress it first"),
        (
            b"\x28\xb5\x2f\xfd",
            "zstd-compressed data; decompress it first",
        ),
        (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive"),
        (b"SQLite format 3\x00", "an SQLite database"),
    ];
    MAGIC
        .iter()
        .find(|(m, _)| bytes.starts_with(m))
        .map(|(_, kind)| *kind)
}

/// Control bytes other than tab, newline, form feed, carriage return and
/// escape are rare in any ASCII-compatible text encoding.
fn is_binary_control(b: u8) -> bool {
    b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r' | 0x0c | 0x1b)
}

/// Whether the bytes look binary (see [`binary_kind`]); a byte-order mark
/// or the NUL pattern of UTF-16 makes them text.
pub fn looks_binary(bytes: &[u8]) -> bool {
    if bom_encoding(bytes).is_some() || utf16_without_bom(bytes).is_some() {
        return false;
    }
    binary_kind(&bytes[..bytes.len().min(64 << 10)]).is_some()
}

fn bom_encoding(bytes: &[u8]) -> Option<(&'static Encoding, usize)> {
    Encoding::for_bom(bytes)
}

/// UTF-16 without a byte-order mark, recognised by its NULs: the high byte
/// of every ASCII character (spaces, digits, punctuation, Latin letters) is
/// zero, so one byte position of the pairs holds many NULs and the other
/// almost none. The guess is confirmed by decoding the sample cleanly.
pub fn utf16_without_bom(bytes: &[u8]) -> Option<&'static Encoding> {
    let sample = &bytes[..bytes.len().min(4096) & !1];
    let pairs = sample.len() / 2;
    if pairs < 4 {
        return None;
    }
    let zeros_at = |parity: usize| {
        sample
            .iter()
            .skip(parity)
            .step_by(2)
            .filter(|&&b| b == 0)
            .count()
    };
    let (even, odd) = (zeros_at(0), zeros_at(1));
    let encoding = if odd * 10 >= pairs && even * 20 <= odd {
        encoding_rs::UTF_16LE
    } else if even * 10 >= pairs && odd * 20 <= even {
        encoding_rs::UTF_16BE
    } else {
        return None;
    };
    // The sample may end inside a surrogate pair: drop its last unit.
    let (text, errors) = encoding.decode_without_bom_handling(&sample[..sample.len() - 2]);
    let control = text
        .chars()
        .filter(|c| c.is_control() && !matches!(c, '\t' | '\n' | '\r' | '\u{0c}'))
        .count();
    (!errors && control * 100 <= pairs).then_some(encoding)
}

/// How the non-ASCII parts of bytes read as UTF-8: characters that decode
/// and invalid sequences.
fn utf8_census(bytes: &[u8]) -> (usize, usize, Option<usize>) {
    let (mut good, mut bad, mut first_bad, mut at) = (0, 0, None, 0);
    for chunk in bytes.utf8_chunks() {
        good += chunk.valid().chars().filter(|c| !c.is_ascii()).count();
        at += chunk.valid().len();
        if !chunk.invalid().is_empty() {
            bad += 1;
            first_bad.get_or_insert(at);
            at += chunk.invalid().len();
        }
    }
    (good, bad, first_bad)
}

/// Decodes bytes to normalised text (see [`normalize_text`]). `declared`
/// is an encoding label the container states (HTTP header, `<meta
/// charset>`, XML declaration), used when the bytes are not mostly UTF-8.
pub fn decode(bytes: &[u8], declared: Option<&str>) -> Decoded {
    let mut d = decode_raw(bytes, declared);
    d.text = normalize_text(&d.text);
    d
}

/// Decodes bytes as [`decode`] does, without normalising the text.
pub fn decode_raw(bytes: &[u8], declared: Option<&str>) -> Decoded {
    let mut warnings = Vec::new();
    let (encoding, body) = if let Some((enc, bom_len)) = bom_encoding(bytes) {
        (enc, &bytes[bom_len..])
    } else if let Some(enc) = utf16_without_bom(bytes) {
        (enc, bytes)
    } else {
        (
            choose_ascii_compatible(bytes, declared, &mut warnings),
            bytes,
        )
    };
    let (text, had_errors) = encoding.decode_without_bom_handling(body);
    if had_errors && warnings.is_empty() {
        warnings.push(format!(
            "invalid {} byte sequences replaced with U+FFFD",
            encoding.name()
        ));
    }
    Decoded {
        text: text.into_owned(),
        encoding: encoding.name(),
        warnings,
    }
}

/// UTF-8 unless most non-ASCII sequences are invalid UTF-8; then the
/// declared encoding, or a guess (reported).
fn choose_ascii_compatible(
    bytes: &[u8],
    declared: Option<&str>,
    warnings: &mut Vec<String>,
) -> &'static Encoding {
    let (good, bad, first_bad) = utf8_census(bytes);
    if bad == 0 {
        return encoding_rs::UTF_8;
    }
    if good >= bad {
        let at = first_bad
            .map(|at| format!(", first at byte {at}"))
            .unwrap_or_default();
        warnings.push(format!(
            "{bad} invalid UTF-8 byte sequence{} replaced with U+FFFD{at}",
            if bad == 1 { "" } else { "s" }
        ));
        return encoding_rs::UTF_8;
    }
    let declared = declared
        .and_then(|l| Encoding::for_label(l.trim().as_bytes()))
        .filter(|e| *e != encoding_rs::UTF_8 && e.is_ascii_compatible());
    if let Some(enc) = declared {
        return enc;
    }
    let mut det = chardetng::EncodingDetector::new();
    det.feed(bytes, true);
    let enc = det.guess(None, true);
    warnings.push(format!(
        "not UTF-8 and no charset declared: read as {} (guessed from {bad} non-UTF-8 sequences)",
        enc.name()
    ));
    enc
}

/// Normalises line endings to `\n`, drops a leading BOM and control
/// characters other than tab and newline (form feeds become newlines).
pub fn normalize_text(text: &str) -> String {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\r' => {
                if chars.peek() == Some(&'\n') {
                    chars.next();
                }
                out.push('\n');
            }
            '\u{0c}' | '\u{2028}' | '\u{2029}' | '\u{85}' => out.push('\n'),
            '\t' | '\n' => out.push(c),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utf16le(text: &str) -> Vec<u8> {
        text.encode_utf16().flat_map(u16::to_le_bytes).collect()
    }

    #[test]
    fn utf8_passes_through_with_line_endings_fixed() {
        let d = decode("a\r\nb\rc\u{feff}".as_bytes(), None);
        assert_eq!(d.text, "a\nb\nc\u{feff}");
        assert_eq!(d.encoding, "UTF-8");
        assert!(d.warnings.is_empty());
    }

    #[test]
    fn bom_selects_encoding() {
        let mut utf16 = vec![0xff, 0xfe];
        utf16.extend(utf16le("Tehran"));
        assert!(!looks_binary(&utf16));
        let d = decode(&utf16, None);
        assert_eq!(d.text, "Tehran");
        assert_eq!(d.encoding, "UTF-16LE");
        let d = decode(b"\xef\xbb\xbfhello", None);
        assert_eq!(d.text, "hello");
    }

    #[test]
    fn utf16_without_bom_is_recognised() {
        let text = "Officials met in Doha on Tuesday, 12 January.\nThey agreed.";
        let le = utf16le(text);
        assert!(!looks_binary(&le));
        assert_eq!(utf16_without_bom(&le), Some(encoding_rs::UTF_16LE));
        assert_eq!(decode(&le, None).text, text);
        let be: Vec<u8> = text.encode_utf16().flat_map(u16::to_be_bytes).collect();
        assert_eq!(decode(&be, None).text, text);
        // Arabic has NULs only in spaces and punctuation: still found.
        let arabic = utf16le("قال المسؤولون إن المحادثات ستستأنف الأسبوع المقبل في الدوحة.");
        assert_eq!(utf16_without_bom(&arabic), Some(encoding_rs::UTF_16LE));
        // Binary with NULs in both positions is not UTF-16.
        assert_eq!(
            utf16_without_bom(b"\x7fELF\x02\x01\x01\x00\x00\x00\x00\x00"),
            None
        );
        assert_eq!(utf16_without_bom(b"plain ASCII text"), None);
    }

    #[test]
    fn legacy_encoding_is_detected() {
        // "café déjà vu" in windows-1252 repeated so the detector is sure.
        let mut bytes = Vec::new();
        for _ in 0..20 {
            bytes.extend_from_slice(b"Le caf\xe9 d\xe9j\xe0 vu, tr\xe8s \xe9l\xe9gant. ");
        }
        let d = decode(&bytes, None);
        assert!(d.text.starts_with("Le café déjà vu"), "{}", d.text);
        assert!(!d.text.contains('\u{fffd}'));
        assert_ne!(d.encoding, "UTF-8");
        assert!(d.warnings[0].contains("guessed"), "{:?}", d.warnings);
        // A declared charset is used without a warning.
        let d = decode(&bytes, Some("windows-1252"));
        assert!(d.warnings.is_empty());
        assert!(d.text.starts_with("Le café déjà vu"));
    }

    #[test]
    fn declared_label_wins_for_non_utf8() {
        let d = decode(b"Stra\xdfe", Some("iso-8859-1"));
        assert_eq!(d.text, "Straße");
    }

    #[test]
    fn one_stray_byte_in_utf8_is_repaired_locally() {
        let mut bytes = "The minister said al Qaida’s leaders were not at the talks. "
            .repeat(4)
            .into_bytes();
        bytes.insert(10, 0xff);
        for declared in [None, Some("windows-1252")] {
            let d = decode(&bytes, declared);
            assert_eq!(d.encoding, "UTF-8");
            assert!(d.text.contains("al Qaida’s"), "{}", d.text);
            assert_eq!(d.text.matches('\u{fffd}').count(), 1);
            assert_eq!(
                d.warnings,
                ["1 invalid UTF-8 byte sequence replaced with U+FFFD, first at byte 10"]
            );
        }
    }

    #[test]
    fn mostly_invalid_is_not_utf8() {
        // One valid UTF-8 sequence among many Latin-1 letters.
        let mut bytes = b"Z\xfcrich caf\xe9 r\xe9sum\xe9 na\xefve ".repeat(10);
        bytes.extend_from_slice("’".as_bytes());
        let d = decode(&bytes, Some("iso-8859-1"));
        assert!(d.text.starts_with("Zürich café"), "{}", d.text);
    }

    #[test]
    fn binary_detection() {
        assert!(looks_binary(b"\x7fELF\x02\x01\x01\x00\x00\x00"));
        assert!(looks_binary(&[1u8, 2, 3, 4, 5, 6, 7, 8, 9, 10]));
        assert!(looks_binary(b"\x89PNG\r\n\x1a\n"));
        assert!(!looks_binary(b"plain text\nwith lines\n"));
        assert!(!looks_binary(b""));
        // A stray NUL does not make a text binary.
        let mut text = b"An article with one stray NUL byte in it. ".repeat(3);
        text.insert(20, 0);
        assert!(!looks_binary(&text));
        assert_eq!(binary_kind(b"\x89PNG\r\n"), Some("a PNG image"));
    }

    #[test]
    fn control_chars_dropped() {
        assert_eq!(normalize_text("a\u{0}b\u{7}c\td\u{0c}e"), "abc\td\ne");
    }

    proptest::proptest! {
        #[test]
        fn decode_never_panics_and_has_no_cr(bytes in proptest::collection::vec(proptest::num::u8::ANY, 0..300)) {
            let d = decode(&bytes, None);
            proptest::prop_assert!(!d.text.contains('\r'));
            proptest::prop_assert!(!d.text.chars().any(|c| c.is_control() && c != '\n' && c != '\t'));
        }

        /// Valid UTF-8 round-trips (up to normalisation) with no warning.
        #[test]
        fn utf8_round_trips(text in "[a-zA-Z0-9 .,’é–\u{0600}-\u{06ff}\n]{0,200}") {
            let d = decode(text.as_bytes(), Some("windows-1252"));
            proptest::prop_assert_eq!(d.text, normalize_text(&text));
            proptest::prop_assert!(d.warnings.is_empty());
        }

        /// In a text that has UTF-8 characters, a few invalid bytes are
        /// replaced where they are: the rest of the text survives intact.
        #[test]
        fn stray_bytes_are_replaced_locally(
            words in proptest::collection::vec("[a-z]{1,8}’s", 4..30),
            at in proptest::num::usize::ANY,
            byte in 0x80u8..=0xff,
        ) {
            let text = words.join(" ");
            let mut bytes = text.clone().into_bytes();
            // Insert at a character boundary so no character is split.
            let mut pos = at % (bytes.len() + 1);
            while !text.is_char_boundary(pos) { pos -= 1; }
            bytes.insert(pos, byte);
            let d = decode(&bytes, None);
            proptest::prop_assert_eq!(d.encoding, "UTF-8");
            let mut expected = text.clone();
            expected.insert(pos, '\u{fffd}');
            proptest::prop_assert_eq!(d.text, expected);
            proptest::prop_assert_eq!(d.warnings.len(), 1);
        }

        /// UTF-16 in either byte order, without a mark, decodes back to the
        /// text when it is mostly ASCII.
        #[test]
        fn utf16_without_bom_round_trips(text in "[A-Za-z ,.]{8,200}[éü–]{0,5}[A-Za-z .]{0,50}") {
            let le = utf16le(&text);
            proptest::prop_assert_eq!(decode(&le, None).text, text.clone());
            let be: Vec<u8> = text.encode_utf16().flat_map(u16::to_be_bytes).collect();
            proptest::prop_assert_eq!(decode(&be, None).text, text);
        }
    }
}
