//! RSS 2.0, RSS 1.0 (RDF) and Atom feeds: one document per item.

use crate::dates::parse_date;
use crate::markup::{decode_entities, fragment_to_text};
use crate::{Format, Problem, RawDoc};
use quick_xml::events::{BytesStart, Event};
use quick_xml::Reader;

#[derive(Default)]
struct Item {
    title: Option<String>,
    link: Option<String>,
    guid: Option<String>,
    date: Option<String>,
    author: Option<String>,
    summary: Option<String>,
    content: Option<String>,
}

/// Reads the items of a feed. Items parsed before a syntax error are kept
/// and the error is reported with its byte position.
pub(crate) fn read(
    path_label: &str,
    text: &str,
    format: Format,
    out: &mut Vec<RawDoc>,
    problems: &mut Vec<Problem>,
) {
    let mut reader = Reader::from_str(text);
    reader.config_mut().check_end_names = false;
    let item_tag: &[u8] = if format == Format::Atom {
        b"entry"
    } else {
        b"item"
    };
    let mut item: Option<Item> = None;
    let mut index = 0usize;
    // The element whose text is being collected, and the text so far.
    let mut field: Option<String> = None;
    let mut buf = String::new();
    let mut in_author = false;
    loop {
        let event = match reader.read_event() {
            Ok(ev) => ev,
            Err(e) => {
                problems.push(Problem::skipped(
                    path_label,
                    format!(
                        "malformed {} feed at byte {}: {e}; kept the {index} items before it",
                        format.as_str(),
                        reader.error_position()
                    ),
                ));
                break;
            }
        };
        match event {
            Event::Start(e) => {
                let name = qname(&e);
                if local(&name) == item_tag {
                    item = Some(Item::default());
                } else if let Some(it) = item.as_mut() {
                    if name == "author" {
                        in_author = true;
                    }
                    if name == "link" {
                        take_link(&e, it);
                    }
                    field = Some(name);
                    buf.clear();
                }
            }
            Event::Empty(e) => {
                if let Some(it) = item.as_mut() {
                    if qname(&e) == "link" {
                        take_link(&e, it);
                    }
                }
            }
            Event::Text(t) if field.is_some() => {
                let raw = String::from_utf8_lossy(t.as_ref());
                buf.push_str(&decode_entities(&raw));
            }
            Event::CData(t) if field.is_some() => {
                buf.push_str(&String::from_utf8_lossy(t.as_ref()));
            }
            Event::End(e) => {
                let name = String::from_utf8_lossy(e.name().as_ref()).to_ascii_lowercase();
                if local(&name) == item_tag {
                    if let Some(it) = item.take() {
                        index += 1;
                        push_item(path_label, index, it, format, out, problems);
                    }
                    field = None;
                } else if let Some(it) = item.as_mut() {
                    if field.as_deref() == Some(name.as_str()) {
                        store_field(it, &name, buf.trim(), in_author);
                        field = None;
                    }
                    if name == "author" {
                        in_author = false;
                    }
                }
            }
            Event::Eof => {
                if item.is_some() {
                    problems.push(Problem::skipped(
                        &format!("{path_label}#item{}", index + 1),
                        "feed ends inside this item (truncated file?)".to_string(),
                    ));
                }
                break;
            }
            _ => {}
        }
    }
    if index == 0 && problems.is_empty() {
        problems.push(Problem::skipped(
            path_label,
            format!("{} feed has no items", format.as_str()),
        ));
    }
}

fn qname(e: &BytesStart<'_>) -> String {
    String::from_utf8_lossy(e.name().as_ref()).to_ascii_lowercase()
}

fn local(name: &str) -> &[u8] {
    name.rsplit(':').next().unwrap_or(name).as_bytes()
}

/// Atom links carry the URL in `href`; prefer `rel="alternate"` or no rel.
fn take_link(e: &BytesStart<'_>, it: &mut Item) {
    let mut href = None;
    let mut rel = None;
    for attr in e.attributes().flatten() {
        let value = decode_entities(&String::from_utf8_lossy(&attr.value));
        match attr.key.as_ref() {
            b"href" => href = Some(value),
            b"rel" => rel = Some(value),
            _ => {}
        }
    }
    if let Some(h) = href {
        if rel.as_deref().is_none_or(|r| r == "alternate") && it.link.is_none() {
            it.link = Some(h);
        }
    }
}

fn store_field(it: &mut Item, name: &str, value: &str, in_author: bool) {
    if value.is_empty() {
        return;
    }
    let v = Some(value.to_string());
    match name {
        "title" => it.title = v,
        "link" if it.link.is_none() => it.link = v,
        "guid" | "id" => it.guid = v,
        "pubdate" | "published" | "dc:date" => it.date = v,
        "updated" if it.date.is_none() => it.date = v,
        "dc:creator" | "author" => it.author = v,
        "name" if in_author => it.author = v,
        "description" | "summary" => it.summary = v,
        "content:encoded" | "content" => it.content = v,
        _ => {}
    }
}

fn push_item(
    path_label: &str,
    index: usize,
    it: Item,
    format: Format,
    out: &mut Vec<RawDoc>,
    problems: &mut Vec<Problem>,
) {
    let at = format!("{path_label}#item{index}");
    let body = it
        .content
        .or(it.summary)
        .map(|h| fragment_to_text(&h))
        .unwrap_or_default();
    let title = it
        .title
        .map(|t| fragment_to_text(&t))
        .filter(|t| !t.is_empty());
    if body.trim().is_empty() {
        problems.push(Problem::skipped(&at, "feed item has no text".to_string()));
        return;
    }
    let published = it.date.as_deref().and_then(parse_date);
    if published.is_none() {
        if let Some(d) = &it.date {
            problems.push(Problem::warning(
                &at,
                format!("item date {d:?} is not a date; stored as null"),
            ));
        }
    }
    // The item's own URL first, then where in the file it was read.
    let sources = match it.link.or(it.guid.filter(|g| g.contains("://"))) {
        Some(url) => vec![url, at],
        None => vec![at],
    };
    out.push(RawDoc {
        sources,
        title,
        published,
        byline: it.author,
        language: None,
        text: body,
        format,
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(text: &str, format: Format) -> (Vec<RawDoc>, Vec<Problem>) {
        let (mut d, mut p) = (Vec::new(), Vec::new());
        read("feed.xml", text, format, &mut d, &mut p);
        (d, p)
    }

    #[test]
    fn rss_items() {
        let rss = r#"<?xml version="1.0"?>
<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:content="http://purl.org/rss/1.0/modules/content/">
<channel><title>Wire</title>
<item><title>Talks resume &amp; stall</title><link>https://example.org/1</link>
<pubDate>Tue, 12 Jan 2021 09:00:00 GMT</pubDate><dc:creator>Desk</dc:creator>
<description><![CDATA[<p>Talks resumed on Tuesday.</p><p>They stalled.</p>]]></description></item>
<item><title>Second</title><guid>tag:x</guid><description>Plain &lt;b&gt;text&lt;/b&gt; here&nbsp;now.</description></item>
</channel></rss>"#;
        let (docs, problems) = run(rss, Format::Rss);
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(docs.len(), 2);
        assert_eq!(docs[0].title.as_deref(), Some("Talks resume & stall"));
        assert_eq!(docs[0].sources, ["https://example.org/1", "feed.xml#item1"]);
        assert_eq!(docs[0].published.unwrap().to_string(), "2021-01-12");
        assert_eq!(docs[0].byline.as_deref(), Some("Desk"));
        assert_eq!(docs[0].text, "Talks resumed on Tuesday.\n\nThey stalled.");
        assert_eq!(docs[1].sources, ["feed.xml#item2"]);
        assert_eq!(docs[1].text, "Plain text here now.");
        assert_eq!(docs[1].published, None);
    }

    #[test]
    fn atom_entries() {
        let atom = r#"<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>F</title>
<entry><title type="html">A &lt;i&gt;story&lt;/i&gt;</title>
<link rel="self" href="https://example.org/self"/><link rel="alternate" href="https://example.org/a"/>
<id>urn:1</id><published>2020-11-15T10:00:00Z</published><updated>2020-11-16T10:00:00Z</updated>
<author><name>Jane Roe</name></author>
<content type="html">&lt;p&gt;Body text.&lt;/p&gt;</content></entry></feed>"#;
        let (docs, problems) = run(atom, Format::Atom);
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(docs.len(), 1);
        assert_eq!(docs[0].title.as_deref(), Some("A story"));
        assert_eq!(docs[0].source(), "https://example.org/a");
        assert_eq!(docs[0].published.unwrap().to_string(), "2020-11-15");
        assert_eq!(docs[0].byline.as_deref(), Some("Jane Roe"));
        assert_eq!(docs[0].text, "Body text.");
    }

    #[test]
    fn malformed_feed_keeps_earlier_items() {
        let first =
            "<rss><channel><item><title>One</title><description>First.</description></item>";
        let (docs, problems) = run(
            &format!("{first}<item><title>Two</title><!-- broken"),
            Format::Rss,
        );
        assert_eq!(docs.len(), 1);
        assert_eq!(docs[0].text, "First.");
        assert_eq!(problems.len(), 1);
        assert!(
            problems[0].to_string().contains("malformed rss feed"),
            "{}",
            problems[0]
        );
        // Truncated inside an item.
        let (docs, problems) = run(
            &format!("{first}<item><title>Two</title><description>Cut"),
            Format::Rss,
        );
        assert_eq!(docs.len(), 1);
        assert_eq!(
            problems[0].to_string(),
            "feed.xml#item2: feed ends inside this item (truncated file?)"
        );
    }

    #[test]
    fn empty_feed_is_reported() {
        let (docs, problems) = run("<rss><channel></channel></rss>", Format::Rss);
        assert!(docs.is_empty());
        assert!(problems[0].to_string().contains("no items"));
    }

    fn xml_escape(s: &str) -> String {
        s.replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;")
    }

    proptest::proptest! {
        /// Items written as RSS or Atom read back as they were written:
        /// the same count, titles, text and links, in order.
        #[test]
        fn written_items_read_back(
            items in proptest::collection::vec(
                ("[A-Z][a-zA-Z& ’é]{0,30}", "[A-Za-z][a-zA-Z0-9&<> ’é,.]{0,80}", 0u32..1000),
                1..8,
            ),
            atom in proptest::bool::ANY,
        ) {
            let tidy = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ");
            let mut xml = String::from(if atom {
                "<?xml version=\"1.0\"?><feed xmlns=\"http://www.w3.org/2005/Atom\"><title>F</title>"
            } else {
                "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>F</title>"
            });
            for (title, body, n) in &items {
                let (t, b) = (xml_escape(title), xml_escape(&xml_escape(body)));
                xml.push_str(&if atom {
                    format!("<entry><title>{t}</title><link href=\"https://example.org/{n}\"/><content type=\"html\">{b}</content></entry>")
                } else {
                    format!("<item><title>{t}</title><link>https://example.org/{n}</link><description>{b}</description></item>")
                });
            }
            xml.push_str(if atom { "</feed>" } else { "</channel></rss>" });
            let format = if atom { Format::Atom } else { Format::Rss };
            let (docs, problems) = run(&xml, format);
            let expected: Vec<&(String, String, u32)> =
                items.iter().filter(|(_, b, _)| !tidy(b).is_empty()).collect();
            proptest::prop_assert_eq!(docs.len(), expected.len(), "{:?}", problems);
            for (i, (d, (title, body, n))) in docs.iter().zip(expected).enumerate() {
                proptest::prop_assert_eq!(&d.text, &tidy(body));
                let want_title = Some(tidy(title)).filter(|t| !t.is_empty());
                proptest::prop_assert_eq!(&d.title, &want_title);
                let link = format!("https://example.org/{n}");
                proptest::prop_assert_eq!(d.sources[0].as_str(), link.as_str());
                proptest::prop_assert_eq!(&d.sources[1], &format!("feed.xml#item{}", i + 1));
            }
        }

        /// Arbitrary text (cut feeds, stray markup) never panics, and the
        /// items read are never more than the item tags written.
        #[test]
        fn arbitrary_feeds_never_panic(s in "(<item>|</item>|<entry>|</entry>|<title>|</title>|<description>|</description>|<!\\[CDATA\\[|\\]\\]>|&amp;|&|<|[a-z ]{0,10}){0,40}") {
            for format in [Format::Rss, Format::Atom] {
                let (docs, _) = run(&s, format);
                let tags = s.matches(if format == Format::Rss { "<item>" } else { "<entry>" }).count();
                proptest::prop_assert!(docs.len() <= tags);
                for d in docs {
                    proptest::prop_assert!(!d.text.trim().is_empty());
                }
            }
        }
    }
}
