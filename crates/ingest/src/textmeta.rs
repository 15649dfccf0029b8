//! Title, dateline and byline read from the opening lines of an article's
//! text, for sources without metadata.
//!
//! News text opens in many ways: "November 15, 2020 Faith Matters",
//! "By Trackpersia" then "January 18, 2021", "12 November 2017" then the
//! headline. Only the first few short lines are read; a date in the body
//! ("a warrant in December 2018") is never taken as the publication date.

use crate::dates::date_at_start;
use dossier_core::Date;
use std::sync::OnceLock;

/// What the opening lines say about the article.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct TextMeta {
    pub title: Option<String>,
    pub published: Option<Date>,
    pub byline: Option<String>,
}

/// How many non-empty opening lines may hold a dateline or byline.
const HEADER_LINES: usize = 6;
/// A line longer than this is body text, not a header line.
const MAX_HEADER_CHARS: usize = 160;
/// Text after a dateline on the same line (a section name such as
/// "Faith Matters") may be at most this many words.
const MAX_TRAILER_WORDS: usize = 5;

pub fn read(text: &str) -> TextMeta {
    let mut meta = TextMeta::default();
    let lines = text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .take(HEADER_LINES);
    for line in lines {
        let short = line.chars().count() <= MAX_HEADER_CHARS;
        if meta.published.is_none() && short {
            if let Some(date) = dateline(line) {
                meta.published = Some(date);
                continue;
            }
        }
        if meta.byline.is_none() && short {
            if let Some(by) = byline(line) {
                meta.byline = Some(by);
                continue;
            }
        }
        if meta.title.is_none()
            && meta.byline.is_none()
            && looks_like_title(line)
            && !not_a_title(line)
        {
            meta.title = Some(line.to_string());
            continue;
        }
        if !short {
            // Body text has started; later short lines are not headers,
            // unless nothing header-like has been seen yet (a photo caption
            // may come first).
            if meta.title.is_some() || meta.published.is_some() {
                break;
            }
        }
    }
    meta
}

/// A line that is a date, optionally with a short label after it or a
/// "Published"/"Updated" prefix before it.
fn dateline(line: &str) -> Option<Date> {
    let mut rest = line;
    for prefix in [
        "published on",
        "published:",
        "published",
        "updated:",
        "posted on",
        "posted:",
        "date:",
    ] {
        if let Some(after) = strip_prefix_ignore_case(rest, prefix) {
            rest = after.trim_start();
            break;
        }
    }
    let (date, end) = date_at_start(rest)?;
    let trailer =
        rest[end..].trim_start_matches(|c: char| c.is_whitespace() || ",|-–—·•/".contains(c));
    let trailer_words = trailer.split_whitespace().count();
    let is_time = trailer
        .split_whitespace()
        .next()
        .is_some_and(|w| w.contains(':') && w.chars().next().is_some_and(|c| c.is_ascii_digit()));
    (trailer_words <= MAX_TRAILER_WORDS || is_time).then_some(date)
}

/// "By Jane Doe", "By Trackpersia", "Jane Doe | Reuters".
fn byline(line: &str) -> Option<String> {
    let rest = strip_prefix_ignore_case(line, "by ")
        .or_else(|| strip_prefix_ignore_case(line, "written by "))?;
    let name = rest.trim().trim_end_matches(['.', ',']);
    let words = name.split_whitespace().count();
    let capitalised = name.chars().next().is_some_and(char::is_uppercase);
    (capitalised && (1..=8).contains(&words)).then(|| name.to_string())
}

fn strip_prefix_ignore_case<'a>(s: &'a str, prefix: &str) -> Option<&'a str> {
    let head = s.get(..prefix.len())?;
    head.eq_ignore_ascii_case(prefix)
        .then(|| &s[prefix.len()..])
}

/// A headline: short, not a sentence ending in a full stop, mostly
/// capitalised or at least starting with a capital letter.
fn looks_like_title(line: &str) -> bool {
    let words = line.split_whitespace().count();
    let chars = line.chars().count();
    let first_upper = line
        .chars()
        .next()
        .is_some_and(|c| c.is_uppercase() || c.is_ascii_digit());
    let sentence_end = line.ends_with('.') && !line.ends_with("..");
    (2..=25).contains(&words) && chars <= 200 && first_upper && !sentence_end
}

/// Words that make a line page furniture rather than a title
/// (`data/not_titles.tsv`), in lower case.
#[derive(Default)]
struct NotTitles {
    prefix: Vec<String>,
    within: Vec<String>,
    suffix: Vec<String>,
}

fn not_titles() -> &'static NotTitles {
    static TABLE: OnceLock<NotTitles> = OnceLock::new();
    TABLE.get_or_init(|| {
        let mut t = NotTitles::default();
        for line in include_str!("../data/not_titles.tsv").lines() {
            if line.starts_with('#') {
                continue;
            }
            let Some((kind, words)) = line.split_once('\t') else {
                continue;
            };
            let words = words.trim().to_lowercase();
            if words.is_empty() {
                continue;
            }
            match kind {
                "prefix" => t.prefix.push(words),
                "within" => t.within.push(words),
                "suffix" => t.suffix.push(words),
                _ => {}
            }
        }
        t
    })
}

/// A "Read more: ..." or "Related" link, or a photo credit ("Photo:
/// Reuters", "(AP Photo/Evan Vucci)", "Chip Somodevilla/Getty Images"):
/// furniture that may open a text but is never its title.
fn not_a_title(line: &str) -> bool {
    let lower = line.to_lowercase();
    let t = not_titles();
    let end = lower.trim_end_matches(|c: char| c.is_whitespace() || matches!(c, '.' | ')' | ']'));
    t.prefix.iter().any(|p| lower.starts_with(p.as_str()))
        || t.within.iter().any(|w| lower.contains(w.as_str()))
        || t.suffix.iter().any(|s| end.ends_with(s.as_str()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dateline_then_title() {
        let m = read("November 15, 2020 Faith Matters\n\nUS forces met in Doha\n\nA long body sentence follows here.");
        assert_eq!(m.published.unwrap().to_string(), "2020-11-15");
        assert_eq!(m.title.as_deref(), Some("US forces met in Doha"));
    }

    #[test]
    fn caption_byline_date() {
        let caption = "A man sits beside his neighbour at a wedding in a village outside the capital, where guests gathered for three days of celebrations that drew relatives from abroad. (Photo agency)";
        let text = format!("{caption}\n\nBy Desk Reporter\n\nJanuary 18, 2021\n\nThe body starts with a long sentence about events.");
        let m = read(&text);
        assert_eq!(m.published.unwrap().to_string(), "2021-01-18");
        assert_eq!(m.byline.as_deref(), Some("Desk Reporter"));
        assert_eq!(m.title, None);
    }

    #[test]
    fn date_first_then_headline() {
        let m = read("12 November 2017\n\nThe Monitor: A Group Has Rebuilt Itself\n\nOur research reveals...");
        assert_eq!(m.published.unwrap().to_string(), "2017-11-12");
        assert_eq!(
            m.title.as_deref(),
            Some("The Monitor: A Group Has Rebuilt Itself")
        );
    }

    #[test]
    fn body_dates_are_not_publication_dates() {
        let body = "Officials said the man was killed in a special operation in the province. The US issued a warrant for his arrest in December 2018, and on March 3, 2019 the reward was doubled, according to officials who spoke to reporters.";
        let m = read(body);
        assert_eq!(m.published, None);
        let m = read("The Group and the State\n\nLast November, officials denied a report.\nOn 7 August 2020 something happened, they said in a long statement to the press corps.");
        assert_eq!(
            m.published, None,
            "a date inside a sentence is not a dateline"
        );
        assert_eq!(m.title.as_deref(), Some("The Group and the State"));
    }

    #[test]
    fn published_prefix_and_time() {
        let m = read("Published: 3 Jan 2022 10:15 GMT\nHeadline Words Here\nBody.");
        assert_eq!(m.published.unwrap().to_string(), "2022-01-03");
    }

    #[test]
    fn links_and_photo_credits_are_not_titles() {
        for first in [
            "Read more: Talks in Doha stall over prisoner swap",
            "READ MORE: Ceasefire holds in the north",
            "Related: The Group Rebuilds Itself",
            "Photo: Reuters",
            "Photo by Jane Doe/Reuters",
            "Soldiers patrol the border near the town (AP Photo/Evan Vucci)",
            "Chip Somodevilla / Getty Images",
            "AFP via Getty Images",
            "REUTERS/Kevin Lamarque",
            "Image copyright Getty Images",
        ] {
            let m = read(&format!(
                "{first}\n\nUS Forces Met in Doha\n\nA long body sentence follows here, with the news in it."
            ));
            assert_eq!(m.title.as_deref(), Some("US Forces Met in Doha"), "{first}");
        }
        // A headline that names a photo agency is still a headline.
        let m = read("Getty Images Sold to a Rival Agency\n\nThe body starts here.");
        assert_eq!(
            m.title.as_deref(),
            Some("Getty Images Sold to a Rival Agency")
        );
        let m = read("Reuters Reports Record Profits\n\nThe body starts here.");
        assert_eq!(m.title.as_deref(), Some("Reuters Reports Record Profits"));
    }

    #[test]
    fn empty_text() {
        assert_eq!(read(""), TextMeta::default());
    }
}
