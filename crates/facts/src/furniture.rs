//! Page furniture: the headline, standfirst and section label above an
//! article, its byline, dateline, photo captions and credits, and the "Read
//! more" / "Related" / comment links around it. Furniture may name an
//! entity, but it yields no claims, events or relations.
//!
//! [`furniture`] is a pure function over the text and its parse: lines
//! (stretches between line breaks) are classified by their first words
//! (`data/furniture.tsv`), their dates (the parse's `DATE`/`TIME`
//! entities), their case and punctuation, and their place: headlines only
//! in the block above the first line of prose, "About ..." blocks only near
//! the end. One pass over the lines and tokens: linear in the text.

use crate::doc::ParsedDoc;
use crate::types::FurnitureKind;
use std::ops::Range;
use std::sync::OnceLock;

/// Lines above the first line of prose that can be headlines.
const LEADING_LINES: usize = 8;
/// A furniture line is at most this long, in words ...
const MAX_WORDS: usize = 30;
/// ... and a photo caption this long.
const MAX_CAPTION_WORDS: usize = 60;
/// A dateline inside the first paragraph ("... KABUL: Afghan forces ...")
/// starts within this many words.
const INLINE_DATELINE_WORDS: usize = 80;

struct Table {
    prefixes: Vec<(String, FurnitureKind)>,
    caption_cues: Vec<String>,
    widget_words: Vec<String>,
    small_words: Vec<String>,
}

fn table() -> &'static Table {
    static TABLE: OnceLock<Table> = OnceLock::new();
    TABLE.get_or_init(|| {
        let mut t = Table {
            prefixes: Vec::new(),
            caption_cues: Vec::new(),
            widget_words: Vec::new(),
            small_words: Vec::new(),
        };
        for line in include_str!("../data/furniture.tsv").lines() {
            if line.starts_with('#') || line.trim().is_empty() {
                continue;
            }
            let Some((kind, word)) = line.split_once('\t') else {
                continue;
            };
            let word = word.to_lowercase();
            match kind {
                "link" => t.prefixes.push((word, FurnitureKind::Link)),
                "byline" => t.prefixes.push((word, FurnitureKind::Byline)),
                "caption" => t.prefixes.push((word, FurnitureKind::Caption)),
                "caption_cue" => t.caption_cues.push(word),
                "widget" => t.widget_words.push(word),
                "small_word" => t.small_words.push(word),
                _ => {}
            }
        }
        t
    })
}

/// One line of the text, with what the classification needs.
struct Line<'a> {
    /// Byte range, without surrounding spaces.
    range: Range<usize>,
    text: &'a str,
    words: usize,
    /// The bytes at its start covered by a date or time entity.
    date_prefix: Option<usize>,
    /// Every word is part of a date or time.
    all_date: bool,
}

fn lines<'a>(text: &'a str, parse: &ParsedDoc) -> Vec<Line<'a>> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut ents = parse
        .ents
        .iter()
        .filter(|e| matches!(e.label.as_str(), "DATE" | "TIME"))
        .peekable();
    for piece in text.split_inclusive('\n') {
        let end = start + piece.len();
        let trimmed = piece.trim();
        if !trimmed.is_empty() {
            let lead = piece.len() - piece.trim_start().len();
            let range = start + lead..start + lead + trimmed.len();
            // Date entities in this line, in order.
            while ents.peek().is_some_and(|e| e.end <= range.start) {
                ents.next();
            }
            let mut covered_to = range.start;
            let mut date_prefix = None;
            let mut dates = Vec::new();
            while let Some(e) = ents.peek() {
                if e.start >= range.end {
                    break;
                }
                dates.push(e.start.max(range.start)..e.end.min(range.end));
                ents.next();
            }
            for d in &dates {
                let gap = text.get(covered_to..d.start).unwrap_or("x");
                if gap.chars().all(|c| !c.is_alphanumeric()) {
                    covered_to = d.end;
                    date_prefix = Some(d.end);
                } else {
                    break;
                }
            }
            let rest = text.get(covered_to..range.end).unwrap_or("x");
            let all_date = date_prefix.is_some() && rest.chars().all(|c| !c.is_alphanumeric());
            out.push(Line {
                text: trimmed,
                words: trimmed.split_whitespace().count(),
                date_prefix,
                all_date,
                range,
            });
        }
        start = end;
    }
    out
}

/// Share of the words that start with a capital, small words aside: a
/// title-case headline scores high.
fn title_case(line: &str) -> f64 {
    let small = &table().small_words;
    let mut caps = 0;
    let mut total = 0;
    for w in line.split_whitespace() {
        let Some(first) = w.chars().find(|c| c.is_alphabetic()) else {
            continue;
        };
        let lower = w.to_lowercase();
        let bare = lower.trim_matches(|c: char| !c.is_alphanumeric());
        if small.iter().any(|s| s == bare) {
            continue;
        }
        total += 1;
        if first.is_uppercase() {
            caps += 1;
        }
    }
    if total == 0 {
        0.0
    } else {
        caps as f64 / total as f64
    }
}

fn ends_a_sentence(line: &str) -> bool {
    line.trim_end()
        .ends_with(['.', '!', '?', '"', '”', '’', '\'', ')', ':', ';'])
}

/// A photo credit closing a line: "(Al Arabiya)", "(AFP)".
fn credit_at_end(line: &str) -> bool {
    let Some(body) = line.trim_end().strip_suffix(')') else {
        return false;
    };
    let Some(open) = body.rfind('(') else {
        return false;
    };
    let inner = &body[open + 1..];
    let words: Vec<&str> = inner.split_whitespace().collect();
    !words.is_empty()
        && words.len() <= 4
        && words
            .iter()
            .all(|w| w.chars().next().is_some_and(|c| c.is_uppercase()))
}

/// A picture counter opening a line: "1 of 46", "12 of 30".
fn picture_counter(lower: &str) -> bool {
    let mut words = lower.split_whitespace();
    let number = |w: Option<&str>| w.is_some_and(|w| w.chars().all(|c| c.is_ascii_digit()));
    number(words.next()) && words.next() == Some("of") && number(words.next())
}

/// A photo-gallery or slideshow widget flattened into a line: its buttons
/// ("Full Screen Autoplay Close Skip Ad") run into the captions it carries,
/// so the line may be of any length and anywhere in the text.
fn gallery_widget(lower: &str) -> bool {
    let cues = table()
        .widget_words
        .iter()
        .filter(|w| lower.contains(w.as_str()))
        .count();
    cues >= 2 || (cues == 1 && picture_counter(lower))
}

/// The kind a line's own words give it, wherever it stands.
fn kind_of_line(line: &Line, first_lines: bool) -> Option<FurnitureKind> {
    // Heading markup aside: "==See also==", "## Related".
    let lower = line
        .text
        .to_lowercase()
        .trim_start_matches(['=', '#', ' '])
        .to_string();
    let t = table();
    // A caption may run long: "X, to the right, is sitting next to Y, the
    // son of Z, during ... (Al Arabiya)".
    let caption =
        credit_at_end(line.text) || t.caption_cues.iter().any(|c| lower.contains(c.as_str()));
    if first_lines && caption && line.words <= MAX_CAPTION_WORDS {
        return Some(FurnitureKind::Caption);
    }
    if gallery_widget(&lower) {
        return Some(FurnitureKind::Caption);
    }
    if line.words > MAX_WORDS {
        return None;
    }
    if let Some((_, kind)) = t
        .prefixes
        .iter()
        .find(|(p, _)| lower.starts_with(p.as_str()))
    {
        // "By" opens many sentences: a byline is a few names.
        if *kind != FurnitureKind::Byline || (line.words <= 8 && !ends_a_sentence(line.text)) {
            return Some(*kind);
        }
    }
    if line.all_date {
        return Some(FurnitureKind::Dateline);
    }
    None
}

/// A dateline at a word start in `s`: a run of capitalised place words
/// ("KABUL", "HEMPSTEAD, N.Y.", "SALVADOR"), an optional date and agency,
/// then ":" or a dash. Returns its byte range within `s`.
fn dateline_in(s: &str, max_words: usize) -> Option<Range<usize>> {
    let mut word_starts: Vec<usize> = Vec::new();
    let mut prev_space = true;
    for (i, ch) in s.char_indices() {
        if prev_space && !ch.is_whitespace() {
            word_starts.push(i);
        }
        prev_space = ch.is_whitespace();
    }
    for &ws in word_starts.iter().take(max_words) {
        let rest = &s[ws..];
        // The place: upper-case letters, at least four in all.
        let caps: usize = rest
            .chars()
            .take_while(|c| c.is_uppercase() || matches!(c, ' ' | '.' | '-' | '\''))
            .map(char::len_utf8)
            .sum();
        let place = rest[..caps].trim_end();
        let letters = place.chars().filter(|c| c.is_alphabetic()).count();
        if letters < 4 {
            continue;
        }
        // The word before must not be upper case too (it would be the start).
        let after = rest[place.len()..].trim_start();
        let mut tail = after;
        // ", N.Y.", ", Sept. 26", ", March 3"
        if let Some(t) = tail.strip_prefix(',') {
            let t = t.trim_start();
            let upto = t.find([':', '-', '—', '–', '(']).unwrap_or(t.len());
            if t[..upto].split_whitespace().count() <= 6 {
                tail = &t[upto..];
            }
        }
        // "(Reuters)", "(UPI)"
        if let Some(t) = tail.strip_prefix('(') {
            if let Some(close) = t.find(')') {
                if t[..close].split_whitespace().count() <= 3 {
                    tail = t[close + 1..].trim_start();
                }
            }
        }
        let Some(mark) = tail.chars().next() else {
            continue;
        };
        let after_mark = &tail[mark.len_utf8()..];
        let mark_ok =
            mark == ':' || (matches!(mark, '-' | '—' | '–') && after_mark.starts_with(' '));
        // The news starts after it, with a capital: "KABUL: Afghan forces".
        let news = after_mark.trim_start().chars().next().is_some_and(|c| {
            c.is_uppercase() || c.is_ascii_digit() || matches!(c, '"' | '“' | '<')
        });
        if !mark_ok || !news {
            continue;
        }
        let end = s.len() - tail.len() + mark.len_utf8();
        return Some(ws..end);
    }
    None
}

/// The furniture of a text: byte ranges (into `text`) and their kind, in
/// text order.
pub fn furniture(text: &str, parse: &ParsedDoc) -> Vec<(Range<usize>, FurnitureKind)> {
    let lines = lines(text, parse);
    let mut out: Vec<(Range<usize>, FurnitureKind)> = Vec::new();
    let mut classified = vec![false; lines.len()];
    for (k, line) in lines.iter().enumerate() {
        if let Some(kind) = kind_of_line(line, k < 3) {
            out.push((line.range.clone(), kind));
            classified[k] = true;
        }
    }
    link_lists(&lines, &mut classified, &mut out);
    leading_block(text, &lines, &mut classified, &mut out);
    trailing_block(&lines, &mut classified, &mut out);
    out.sort_by_key(|(r, _)| (r.start, r.end));
    out
}

/// The items listed under a heading of links ("See also", "Related
/// articles"): "* 2014 Kabul airport bombing" names another article.
fn link_lists(
    lines: &[Line],
    classified: &mut [bool],
    out: &mut Vec<(Range<usize>, FurnitureKind)>,
) {
    let bullet = |l: &Line| l.text.starts_with(['*', '-', '•', '·']) && l.words <= MAX_WORDS;
    let mut k = 0;
    while k < lines.len() {
        let heading = lines[k].words <= 4
            && !ends_a_sentence(lines[k].text)
            && kind_of_line(&lines[k], false) == Some(FurnitureKind::Link);
        k += 1;
        if !heading {
            continue;
        }
        while k < lines.len() && bullet(&lines[k]) {
            if !classified[k] {
                out.push((lines[k].range.clone(), FurnitureKind::Link));
                classified[k] = true;
            }
            k += 1;
        }
    }
}

/// Above the first line of prose: datelines with a section or author
/// ("November 15, 2020 Faith Matters"), headlines and standfirsts.
fn leading_block(
    text: &str,
    lines: &[Line],
    classified: &mut [bool],
    out: &mut Vec<(Range<usize>, FurnitureKind)>,
) {
    // Headlines are only known as such once prose follows them: a text of
    // one short sentence is news, not a headline.
    let mut pending: Vec<usize> = Vec::new();
    for k in 0..lines.len().min(LEADING_LINES) {
        if classified[k] {
            continue;
        }
        let line = &lines[k];
        // A date and a few capitalised words: the date and the column.
        if let Some(d) = line.date_prefix {
            let rest = text.get(d..line.range.end).unwrap_or("");
            if rest.split_whitespace().count() <= 4 && title_case(rest) >= 1.0 {
                out.push((line.range.start..d, FurnitureKind::Dateline));
                let r = d + (rest.len() - rest.trim_start().len())..line.range.end;
                if !r.is_empty() {
                    out.push((r, FurnitureKind::Byline));
                }
                classified[k] = true;
                continue;
            }
        }
        // Prose starts: possibly with a dateline, possibly after a headline
        // run into it ("... in Ghazni province KABUL: Afghan forces ...").
        if let Some(d) = dateline_in(line.text, INLINE_DATELINE_WORDS) {
            let base = line.range.start;
            let head = line.text[..d.start].trim_end();
            if !head.is_empty() {
                out.push((base..base + head.len(), FurnitureKind::Headline));
            }
            out.push((base + d.start..base + d.end, FurnitureKind::Dateline));
            classified[k] = true;
            headlines(lines, &pending, classified, out);
            return;
        }
        let wrapped = lines
            .get(k + 1)
            .and_then(|n| n.text.chars().next())
            .is_some_and(|c| c.is_lowercase());
        let prose = ends_a_sentence(line.text) && title_case(line.text) < 0.6;
        if prose || wrapped || line.words > MAX_WORDS {
            headlines(lines, &pending, classified, out);
            return;
        }
        pending.push(k);
    }
}

fn headlines(
    lines: &[Line],
    pending: &[usize],
    classified: &mut [bool],
    out: &mut Vec<(Range<usize>, FurnitureKind)>,
) {
    for &k in pending {
        out.push((lines[k].range.clone(), FurnitureKind::Headline));
        classified[k] = true;
    }
}

/// "About Track Persia" near the end: it and what follows describe the
/// outlet, not the news.
fn trailing_block(
    lines: &[Line],
    classified: &mut [bool],
    out: &mut Vec<(Range<usize>, FurnitureKind)>,
) {
    let from = lines.len() * 2 / 3;
    let about = (from..lines.len()).find(|&k| {
        let l = &lines[k];
        l.words <= 5
            && l.text.starts_with("About ")
            && title_case(&l.text["About ".len()..]) >= 1.0
            && !ends_a_sentence(l.text)
    });
    if let Some(a) = about {
        for k in a..lines.len() {
            if !classified[k] {
                out.push((lines[k].range.clone(), FurnitureKind::Byline));
                classified[k] = true;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testutil::parse;
    use FurnitureKind::*;

    fn kinds(text: &str) -> Vec<(String, FurnitureKind)> {
        furniture(text, &parse(text))
            .into_iter()
            .map(|(r, k)| (text[r].to_string(), k))
            .collect()
    }

    #[test]
    fn head_of_an_article() {
        let text = "March 3, 2021 World Affairs\n\nPort of Marbella Reopens After the Storm\n\nThe port of Marbella reopened on Tuesday after a week of repairs, officials said.\n\nRead more: Storm damage costs the region millions, says report";
        let k = kinds(text);
        assert_eq!(
            k,
            vec![
                ("March 3, 2021".to_string(), Dateline),
                ("World Affairs".to_string(), Byline),
                (
                    "Port of Marbella Reopens After the Storm".to_string(),
                    Headline
                ),
                (
                    "Read more: Storm damage costs the region millions, says report".to_string(),
                    Link
                ),
            ]
        );
    }

    #[test]
    fn caption_byline_and_date_lines() {
        let text = "Omar Zaki, to the right, is sitting next to his brother Karim at the wedding. (Gulf News)\n\nBy Lena Hart\n\nJanuary 18, 2021\n\nThe talks in Doha ended on Monday without an agreement between the two sides.";
        let k = kinds(text);
        assert_eq!(k[0].1, Caption);
        assert_eq!(k[1], ("By Lena Hart".to_string(), Byline));
        assert_eq!(k[2], ("January 18, 2021".to_string(), Dateline));
        assert_eq!(k.len(), 3, "{k:?}");
    }

    #[test]
    fn headline_run_into_a_dateline() {
        let text = "Omar Zaki was on the most wanted list Police said he was killed in Basra BAGHDAD: Iraqi forces have confirmed the killing of a senior commander in Basra province.";
        let k = kinds(text);
        assert_eq!(
            k[0],
            (
                "Omar Zaki was on the most wanted list Police said he was killed in Basra"
                    .to_string(),
                Headline
            )
        );
        assert_eq!(k[1], ("BAGHDAD:".to_string(), Dateline));
        let text = "SALVADOR, Feb 26 - Showers continued throughout the week in\nthe cocoa zone.";
        assert_eq!(
            kinds(text),
            vec![("SALVADOR, Feb 26 -".to_string(), Dateline)]
        );
    }

    #[test]
    fn a_photo_gallery_widget_is_furniture() {
        let gallery = "3 of 12 Full Screen Autoplay Close Skip Ad × Riot police clash with farmers in the square View Photos Hundreds were detained. Caption Farmers marched to the capital.";
        let text = format!("The council approved the budget on Monday after a long debate.\n{gallery}\nThe vote was close, officials said.");
        assert_eq!(kinds(&text), vec![(gallery.to_string(), Caption)]);
        let f = crate::testutil::facts(&text);
        assert!(f.events.is_empty(), "{:?}", f.events);
        // A sentence that counts is no widget.
        let text = "The council approved the budget on Monday after a long debate.\nTwo of the members voted against it in a full screen of the vote.";
        assert!(kinds(text).is_empty(), "{:?}", kinds(text));
    }

    #[test]
    fn prose_is_not_furniture() {
        let text = "The port of Marbella reopened on Tuesday after a week of repairs, officials said.\n\nBy the end of the week, ships were waiting outside the harbour in long queues.";
        assert!(kinds(text).is_empty(), "{:?}", kinds(text));
    }

    #[test]
    fn about_the_outlet_at_the_end() {
        let text = "The port of Marbella reopened on Tuesday after a week of repairs, officials said.\n\nShips were waiting outside the harbour in long queues on Wednesday morning.\n\nAbout Harbour Watch\n\nHarbour Watch is a platform run by analysts who follow shipping.";
        let k = kinds(text);
        assert_eq!(k.len(), 2, "{k:?}");
        assert!(k.iter().all(|(_, kind)| *kind == Byline));
    }

    #[test]
    fn items_under_a_heading_of_links() {
        let text = "The port of Marbella reopened on Tuesday after a week of repairs, officials said.\n==See also==\n* 2014 Marbella harbour bombing\n* Port of Marbella\nShips were waiting outside the harbour in long queues.";
        let k = kinds(text);
        assert_eq!(
            k,
            vec![
                ("==See also==".to_string(), Link),
                ("* 2014 Marbella harbour bombing".to_string(), Link),
                ("* Port of Marbella".to_string(), Link),
            ]
        );
    }

    #[test]
    fn datelines_as_written() {
        assert_eq!(dateline_in("KABUL: Afghan forces said", 10), Some(0..6));
        let v = "VANCOUVER, British Columbia, March 24 - <BCE Development Corp>, 69 pct owned";
        assert_eq!(dateline_in(v, 10), Some(0..v.find(" <BCE").unwrap()));
        let s = "HEMPSTEAD, N.Y., Sept. 26 (UPI) — Green Party";
        assert_eq!(dateline_in(s, 10), Some(0..s.find(" Green").unwrap()));
        assert_eq!(dateline_in("The US said: no", 10), None);
        assert_eq!(dateline_in("NATO - the alliance", 10), None);
    }
}
