//! Text from small HTML fragments (feed item descriptions): tags removed,
//! block elements as paragraph breaks, entities decoded. Whole pages go
//! through the article extractor in `html` instead.

/// Converts an HTML fragment to plain text with paragraphs separated by a
/// blank line.
pub fn fragment_to_text(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    let mut skip_until: Option<&'static str> = None;
    while let Some(lt) = rest.find('<') {
        if skip_until.is_none() {
            out.push_str(&decode_entities(&rest[..lt]));
        }
        let after = &rest[lt..];
        let Some(gt) = after.find('>') else {
            // A lone '<' is text.
            if skip_until.is_none() {
                out.push_str(&decode_entities(after));
            }
            rest = "";
            break;
        };
        let tag = after[1..gt].trim().to_ascii_lowercase();
        rest = &after[gt + 1..];
        let name: String = tag
            .trim_start_matches('/')
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .collect();
        if let Some(end) = skip_until {
            if tag.starts_with('/') && name == end {
                skip_until = None;
            }
            continue;
        }
        match name.as_str() {
            "script" | "style" | "noscript" if !tag.starts_with('/') && !tag.ends_with('/') => {
                skip_until = Some(match name.as_str() {
                    "script" => "script",
                    "style" => "style",
                    _ => "noscript",
                });
            }
            "br" => out.push('\n'),
            "p" | "div" | "h1" | "h2" | "h3" | "h4" | "h5" | "h6" | "li" | "blockquote" | "tr"
            | "ul" | "ol" | "table" | "section" | "article" | "figure" | "figcaption" | "pre" => {
                out.push_str("\n\n")
            }
            _ => {}
        }
    }
    if skip_until.is_none() {
        out.push_str(&decode_entities(rest));
    }
    tidy_paragraphs(&out)
}

/// Collapses spaces within lines and runs of blank lines between
/// paragraphs.
pub fn tidy_paragraphs(text: &str) -> String {
    let mut paras: Vec<String> = Vec::new();
    for block in text.split("\n\n") {
        let lines: Vec<String> = block
            .lines()
            .map(|l| l.split_whitespace().collect::<Vec<_>>().join(" "))
            .filter(|l| !l.is_empty())
            .collect();
        if !lines.is_empty() {
            paras.push(lines.join("\n"));
        }
    }
    paras.join("\n\n")
}

/// Decodes numeric character references and the named entities common in
/// news markup. Unknown entities are left as written.
pub fn decode_entities(s: &str) -> String {
    if !s.contains('&') {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        let after = &rest[amp..];
        // Bytes, not chars: the 12th byte may fall inside a character.
        let semi = after.as_bytes()[..after.len().min(12)]
            .iter()
            .position(|&b| b == b';');
        let decoded = semi.and_then(|semi| entity(&after[1..semi]).map(|c| (c, semi)));
        match decoded {
            Some((c, semi)) => {
                out.push(c);
                rest = &after[semi + 1..];
            }
            None => {
                out.push('&');
                rest = &after[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

fn entity(name: &str) -> Option<char> {
    if let Some(num) = name.strip_prefix('#') {
        let code = if let Some(hex) = num.strip_prefix(['x', 'X']) {
            u32::from_str_radix(hex, 16).ok()?
        } else {
            num.parse().ok()?
        };
        return char::from_u32(code).filter(|c| *c != '\0');
    }
    Some(match name {
        "amp" => '&',
        "lt" => '<',
        "gt" => '>',
        "quot" => '"',
        "apos" => '\'',
        "nbsp" => ' ',
        "ndash" => '–',
        "mdash" => '—',
        "lsquo" => '‘',
        "rsquo" => '’',
        "ldquo" => '“',
        "rdquo" => '”',
        "hellip" => '…',
        "laquo" => '«',
        "raquo" => '»',
        "eacute" => 'é',
        "copy" => '©',
        "middot" => '·',
        "bull" => '•',
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strips_tags_and_keeps_paragraphs() {
        let html = "<p>Officials  said <b>on Tuesday</b> that&nbsp;the talks&#8217;d resume.</p><script>var x=1;</script><p>Second &amp; last.<br>Line</p>";
        assert_eq!(
            fragment_to_text(html),
            "Officials said on Tuesday that the talks’d resume.\n\nSecond & last.\nLine"
        );
    }

    #[test]
    fn an_ampersand_before_multibyte_text_does_not_panic() {
        // The entity scan once cut the text inside a character.
        assert_eq!(decode_entities("&bé’RU j’é"), "&bé’RU j’é");
        assert_eq!(fragment_to_text("<p>& o B’Ré’n&amp;</p>"), "& o B’Ré’n&");
    }

    #[test]
    fn lenient_with_broken_markup() {
        assert_eq!(
            fragment_to_text("a < b and &bogus; &"),
            "a < b and &bogus; &"
        );
        assert_eq!(fragment_to_text("<p>unclosed <i>tag"), "unclosed tag");
        assert_eq!(fragment_to_text(""), "");
    }
}
