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

const P1: &str = "The harbour council voted on Tuesday to close the old ferry pier, ending a service that had run for more than eighty years.";
const P2: &str = "Residents packed the hall for the debate, and several speakers said the decision would cut the island off from the mainland in winter.";
const P3: &str = "The council said a new pier would be built within three years, although it has not yet said how the work would be paid for.";

/// A news page with the usual clutter around the article.
fn cluttered_page(head: &str, byline_html: &str) -> String {
    format!(
        r##"<!DOCTYPE html>
<html lang="en-GB">
<head>
<meta charset="utf-8">
<title>Ferry pier to close | The Fictional Gazette</title>
{head}
<style>body {{ color: red }}</style>
<script>var tracking = "Do not read this";</script>
</head>
<body>
<div id="cookie-banner"><p>We use cookies to improve your experience on our website. By continuing to browse you agree to our use of cookies.</p><button>Accept</button></div>
<header class="site-header"><nav><ul><li><a href="/">Home</a></li><li><a href="/news">News</a></li><li><a href="/sport">Sport</a></li></ul></nav></header>
<main>
<article>
<h1>Ferry pier to close after eighty years</h1>
{byline_html}
<div class="share-bar"><a href="#">Share on Facebook</a> <a href="#">Share on Twitter</a></div>
<p>{P1}</p>
<p>{P2}</p>
<h2>What happens next</h2>
<p>{P3}</p>
<ul><li>Ferries stop on 1 March.</li><li>A bus link will run instead.</li></ul>
<p>Advertisement</p>
<aside class="related"><h3>Related stories</h3><ul><li><a href="/a">Island school to stay open after a long campaign by parents</a></li><li><a href="/b">Storm damages harbour wall and closes the coast road</a></li></ul></aside>
</article>
<section id="comments"><h3>Comments</h3><div class="comment"><p>This is a terrible decision and the council should be ashamed of itself for ignoring us.</p></div></section>
</main>
<div class="newsletter-signup"><p>Sign up for our daily newsletter and get the top stories delivered to your inbox every morning.</p></div>
<footer><p>Copyright 2021 The Fictional Gazette. All rights reserved. Terms and conditions apply to everything on this site.</p></footer>
<noscript><p>Please enable JavaScript to view this page properly in your browser.</p></noscript>
</body>
</html>"##
    )
}

fn expected_body() -> String {
    format!("{P1}\n\n{P2}\n\nWhat happens next\n\n{P3}\n\nFerries stop on 1 March.\n\nA bus link will run instead.")
}

#[test]
fn json_ld_page() {
    let head = r#"<link rel="canonical" href="https://gazette.example/news/ferry-pier">
<script type="application/ld+json">
{"@context": "https://schema.org", "@graph": [
  {"@type": "WebSite", "name": "The Fictional Gazette"},
  {"@type": "NewsArticle", "headline": "Ferry pier to close after eighty years",
   "datePublished": "2021-02-03T09:15:00+00:00", "dateModified": "2021-02-05T10:00:00+00:00",
   "author": [{"@type": "Person", "name": "Ann Writer"}, {"@type": "Person", "name": "Bo Reporter"}]}
]}
</script>"#;
    let page = cluttered_page(
        head,
        r#"<p class="byline">By Ann Writer and Bo Reporter</p>"#,
    );
    let a = extract(&page);
    assert_eq!(a.text, expected_body());
    assert_eq!(
        a.title.as_deref(),
        Some("Ferry pier to close after eighty years")
    );
    assert_eq!(
        a.published.map(|d| d.to_string()).as_deref(),
        Some("2021-02-03")
    );
    assert_eq!(a.byline.as_deref(), Some("Ann Writer, Bo Reporter"));
    assert_eq!(a.language.as_deref(), Some("en"));
    assert_eq!(
        a.url.as_deref(),
        Some("https://gazette.example/news/ferry-pier")
    );
}

#[test]
fn meta_only_page() {
    let head = r#"<meta property="og:title" content="Ferry pier to close | The Fictional Gazette">
<meta property="og:site_name" content="The Fictional Gazette">
<meta property="og:url" content="https://gazette.example/news/ferry-pier">
<meta property="article:modified_time" content="2021-03-01T08:00:00Z">
<meta property="article:published_time" content="2021-02-03T09:15:00Z">
<meta name="author" content="Ann Writer">"#;
    let a = extract(&cluttered_page(head, ""));
    assert_eq!(a.text, expected_body());
    assert_eq!(a.title.as_deref(), Some("Ferry pier to close"));
    assert_eq!(
        a.published.map(|d| d.to_string()).as_deref(),
        Some("2021-02-03")
    );
    assert_eq!(a.byline.as_deref(), Some("Ann Writer"));
    assert_eq!(
        a.url.as_deref(),
        Some("https://gazette.example/news/ferry-pier")
    );
}

#[test]
fn time_element_and_markup_byline() {
    let byline = r#"<div class="meta"><span class="author-name">By Ann Writer</span> <time datetime="2021-02-03T09:15:00Z" pubdate>3 February 2021</time></div>"#;
    let a = extract(&cluttered_page("", byline));
    assert_eq!(a.text, expected_body());
    assert_eq!(
        a.published.map(|d| d.to_string()).as_deref(),
        Some("2021-02-03")
    );
    assert_eq!(a.byline.as_deref(), Some("Ann Writer"));
    // No og:title or JSON-LD: the page's single h1.
    assert_eq!(
        a.title.as_deref(),
        Some("Ferry pier to close after eighty years")
    );
}

#[test]
fn page_without_date_gets_none() {
    let a = extract(&cluttered_page("", ""));
    assert_eq!(a.published, None);
    assert_eq!(a.byline, None);
    assert_eq!(a.url, None);
    assert_eq!(a.text, expected_body());
}

#[test]
fn placeholder_and_modified_dates_are_not_publication_dates() {
    let head = r#"<script type="application/ld+json">{"@type": "NewsArticle", "datePublished": "0001-01-01T00:00:00Z", "dateModified": "2021-03-01"}</script>
<meta property="article:modified_time" content="2021-03-01T08:00:00Z">"#;
    let a = extract(&cluttered_page(head, ""));
    assert_eq!(a.published, None);
}

#[test]
fn output_text_format() {
    let page = format!(
        "<html><body><div class=story><p>{P1}</p><p>Line one<br>line  two &amp; <b>three</b>&nbsp;four</p>\
         <pre>code  block\n  indented</pre><p>{P2}</p><script>alert('no')</script><p>{P3}</p></div></body></html>"
    );
    let a = extract(&page);
    assert_eq!(
        a.text,
        format!(
            "{P1}\n\nLine one\nline two & three four\n\ncode  block\n  indented\n\n{P2}\n\n{P3}"
        )
    );
}

#[test]
fn empty_and_text_only_inputs() {
    assert_eq!(extract(""), HtmlArticle::default());
    assert_eq!(extract("<html></html>").text, "");
    let a = extract(P1);
    assert_eq!(a.text, P1);
}

#[test]
fn huge_and_deep_pages_complete() {
    // Deep nesting, unclosed tags and long runs must neither overflow the
    // stack nor explode in time (the limit is the test runner's patience,
    // not a timing assertion).
    let deep = format!("{}<p>{P1}</p>", "<div><span><b>".repeat(200_000));
    let a = extract(&deep);
    assert_eq!(a.text, P1);
    let wide = format!("<body>{}</body>", format!("<p>{P2}</p>").repeat(20_000));
    let a = extract(&wide);
    assert_eq!(a.text.matches(P2).count(), 20_000);
    let shorts = format!(
        "<p>{P1}</p><ul>{}</ul><p>{P2}</p>",
        "<li>item</li>".repeat(200_000)
    );
    let a = extract(&shorts);
    assert!(a.text.contains(P1) || a.text.contains(P2));
    let authors = "<div class=author><span class=byline>".repeat(50_000);
    let _ = extract(&authors);
    let garbage = "<<a <b </ <!-- <![CDATA[ &#x; &#99999999; <script>".repeat(50_000);
    let _ = extract(&garbage);
}

mod prop {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(256))]

        #[test]
        fn arbitrary_text_never_panics(s in "\\PC*") {
            let _ = extract(&s);
            let _ = declared_charset(s.as_bytes());
        }

        /// The paragraphs of an article, written into a page with clutter
        /// around them, are read back exactly (entities decoded, words
        /// kept, order kept), and the clutter is not.
        #[test]
        fn article_paragraphs_read_back(
            // Words as in prose: mostly words, some ending a clause, now
            // and then a name with diacritics, a number or a symbol that
            // needs escaping.
            paras in proptest::collection::vec(
                proptest::collection::vec(
                    prop_oneof![
                        12 => "[A-Za-z][a-z]{2,8}",
                        4 => "[a-z]{2,7}[,.]",
                        1 => "Dāʿish|al‑Qaida’s|2021",
                        1 => "&|<|>",
                    ],
                    20..40,
                ),
                3..7,
            ),
        ) {
            let escape = |s: &str| s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;");
            let words: Vec<String> = paras.iter().map(|p| p.join(" ")).collect();
            let body: String = words.iter().map(|p| format!("<p>{}</p>\n", escape(p))).collect();
            let page = format!(
                "<html><head><title>Story</title></head><body><nav><ul><li><a href=/>Home</a></li><li><a href=/n>News</a></li></ul></nav>\
                 <article>{body}</article><footer><p>Copyright 2021 The Gazette. All rights reserved.</p></footer></body></html>"
            );
            let a = extract(&page);
            prop_assert_eq!(a.text, words.join("\n\n"));
        }

        /// On any tag soup, extraction is bounded by its input and never
        /// lets markup through: text fragments hold no `<`, so none may
        /// appear in the output.
        #[test]
        fn tag_soup_output_is_bounded_and_clean(parts in proptest::collection::vec(
            prop_oneof![
                Just("<p>".to_string()), Just("</p>".to_string()), Just("<div class=\"comment\">".to_string()),
                Just("</div>".to_string()), Just("<br>".to_string()), Just("<a href=x>".to_string()),
                Just("</a>".to_string()), Just("<script>".to_string()), Just("</script>".to_string()),
                Just("<table><tr><td>".to_string()), Just("</td>".to_string()), Just("<!--".to_string()),
                Just("-->".to_string()), Just("&amp;".to_string()), Just("&#".to_string()), Just("<h2>".to_string()),
                Just("<li>".to_string()), Just("<svg/>".to_string()), Just("<meta charset=\"".to_string()),
                Just("<script type=\"application/ld+json\">{\"@graph\":[".to_string()),
                "[a-zA-Z ,.é]{0,40}",
            ],
            0..60,
        )) {
            let html: String = parts.concat();
            let a = extract(&html);
            prop_assert!(a.text.len() <= html.len(), "{} > {}", a.text.len(), html.len());
            prop_assert!(!a.text.contains('<'), "{:?}", a.text);
            let _ = declared_charset(html.as_bytes());
        }

        #[test]
        fn arbitrary_bytes_charset_never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..600)) {
            let _ = declared_charset(&bytes);
        }
    }
}
