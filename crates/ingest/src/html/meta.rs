//! Page metadata: title, publication date, byline, language and canonical
//! URL, from `<meta>` tags, JSON-LD, microdata and `<time>` elements.
//!
//! Sources are tried from the most to the least explicit. Modification
//! dates are never taken for publication dates, and nothing is guessed: a
//! page that states no date gets none.

use super::dom::{Data, Dom, NodeId};
use crate::dates::parse_date;
use dossier_core::Date;
use serde_json::Value;

#[derive(Debug, Default, Clone, PartialEq)]
pub struct Meta {
    pub title: Option<String>,
    pub published: Option<Date>,
    pub byline: Option<String>,
    pub language: Option<String>,
    pub url: Option<String>,
}

/// `<meta>` keys (name, property or itemprop) holding the publication
/// date, most specific first.
const DATE_KEYS: &[&str] = &[
    "article:published_time",
    "og:article:published_time",
    "article:published",
    "published_time",
    "og:published_time",
    "datepublished",
    "article.published",
    "article_date_original",
    "parsely-pub-date",
    "sailthru.date",
    "dc.date.issued",
    "dcterms.issued",
    "dc.date",
    "dcterms.date",
    "dc.date.created",
    "dcterms.created",
    "citation_publication_date",
    "citation_date",
    "publish-date",
    "publish_date",
    "publishdate",
    "pubdate",
    "date",
    "cxenseparse:recs:publishtime",
    "og:pubdate",
    "originalpublicationdate",
    "displaydate",
];

/// `<meta>` keys holding the author's name.
const AUTHOR_KEYS: &[&str] = &[
    "author",
    "article:author_name",
    "parsely-author",
    "sailthru.author",
    "dc.creator",
    "dcterms.creator",
    "byl",
    "citation_author",
    "twitter:creator:name",
    "article:author",
];

const TITLE_KEYS: &[&str] = &[
    "og:title",
    "twitter:title",
    "parsely-title",
    "dc.title",
    "headline",
    "title",
];

/// JSON-LD types that describe the article itself.
fn is_article_type(t: &str) -> bool {
    let t = t.rsplit('/').next().unwrap_or(t);
    t.ends_with("Article")
        || matches!(
            t,
            "BlogPosting"
                | "LiveBlogPosting"
                | "Report"
                | "SocialMediaPosting"
                | "Posting"
                | "Review"
        )
}

struct Page<'a> {
    /// (key, content) of every `<meta>` with a name, property, itemprop or
    /// http-equiv, keys lowercased, in document order.
    metas: Vec<(String, &'a str)>,
    json_ld: Vec<Value>,
}

fn collect(dom: &Dom) -> Page<'_> {
    let mut metas = Vec::new();
    let mut json_ld = Vec::new();
    for id in 0..dom.nodes.len() {
        let Some(e) = dom.element(id) else { continue };
        match &*e.name {
            "meta" => {
                let Some(content) = e.attr("content") else {
                    continue;
                };
                for key_attr in ["property", "name", "itemprop", "http-equiv"] {
                    if let Some(k) = e.attr(key_attr) {
                        for k in k.split_ascii_whitespace() {
                            metas.push((k.to_ascii_lowercase(), content));
                        }
                    }
                }
            }
            "script" => {
                let ty = e.attr("type").unwrap_or("").trim().to_ascii_lowercase();
                if ty == "application/ld+json" {
                    if let Some(v) = parse_json_ld(&child_text(dom, id)) {
                        json_ld.push(v);
                    }
                }
            }
            _ => {}
        }
    }
    Page { metas, json_ld }
}

fn child_text(dom: &Dom, id: NodeId) -> String {
    let mut s = String::new();
    for c in dom.children(id) {
        if let Data::Text(t) = &dom.nodes[c].data {
            s.push_str(t);
        }
    }
    s
}

fn parse_json_ld(raw: &str) -> Option<Value> {
    let t = raw.trim();
    let t = t.strip_prefix("<!--").unwrap_or(t);
    let t = t.strip_suffix("-->").unwrap_or(t);
    let t = t
        .trim()
        .trim_start_matches("//<![CDATA[")
        .trim_end_matches("//]]>")
        .trim();
    let t = t.trim_end_matches(';');
    if let Ok(v) = serde_json::from_str(t) {
        return Some(v);
    }
    // Raw line breaks inside strings are a common mistake.
    let cleaned: String = t
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    serde_json::from_str(&cleaned).ok()
}

/// Every JSON-LD object, flattening arrays and `@graph`.
fn json_objects(values: &[Value]) -> Vec<&serde_json::Map<String, Value>> {
    let mut out = Vec::new();
    let mut stack: Vec<&Value> = values.iter().rev().collect();
    while let Some(v) = stack.pop() {
        match v {
            Value::Array(items) => stack.extend(items.iter().rev()),
            Value::Object(map) => {
                out.push(map);
                if let Some(g) = map.get("@graph") {
                    stack.push(g);
                }
            }
            _ => {}
        }
        if out.len() > 1000 {
            break;
        }
    }
    out
}

fn types(map: &serde_json::Map<String, Value>) -> Vec<&str> {
    match map.get("@type") {
        Some(Value::String(s)) => vec![s.as_str()],
        Some(Value::Array(a)) => a.iter().filter_map(Value::as_str).collect(),
        _ => Vec::new(),
    }
}

fn string_of(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Array(a) => a.iter().find_map(string_of),
        Value::Object(m) => m.get("@value").and_then(string_of),
        _ => None,
    }
}

fn clean(s: &str) -> Option<String> {
    let t = super::entities::decode(s);
    let t: Vec<&str> = t.split_whitespace().collect();
    let t = t.join(" ");
    (!t.is_empty()).then_some(t)
}

/// Names of the author(s) in a JSON-LD `author` value.
fn json_authors(v: &Value, out: &mut Vec<String>) {
    match v {
        Value::String(s) if !looks_like_url(s) => out.extend(clean(s)),
        Value::Array(a) => a.iter().for_each(|x| json_authors(x, out)),
        Value::Object(m) => {
            if let Some(n) = m.get("name") {
                if let Some(s) = string_of(n) {
                    out.extend(clean(&s));
                }
            }
        }
        _ => {}
    }
}

fn looks_like_url(s: &str) -> bool {
    let s = s.trim();
    s.starts_with("http://")
        || s.starts_with("https://")
        || s.starts_with("www.")
        || s.starts_with('/')
}

/// "By Jane Doe and John Roe" -> "Jane Doe and John Roe".
fn clean_byline(s: &str) -> Option<String> {
    let s = clean(s)?;
    let mut t = s.as_str();
    for prefix in ["By ", "by ", "BY ", "Von ", "Par ", "Por "] {
        if let Some(r) = t.strip_prefix(prefix) {
            t = r;
        }
    }
    let t = t.split(" | ").next().unwrap_or(t);
    let t = t.trim_matches(|c: char| c == ',' || c == '|' || c.is_whitespace());
    if t.is_empty() || t.chars().count() > 120 || looks_like_url(t) {
        return None;
    }
    Some(t.to_string())
}

fn join_authors(names: Vec<String>) -> Option<String> {
    let mut uniq: Vec<String> = Vec::new();
    for n in names {
        if let Some(n) = clean_byline(&n) {
            if !uniq.contains(&n) {
                uniq.push(n);
            }
        }
    }
    (!uniq.is_empty()).then(|| uniq.join(", "))
}

pub fn read(dom: &Dom) -> Meta {
    let page = collect(dom);
    let objects = json_objects(&page.json_ld);
    let articles: Vec<_> = objects
        .iter()
        .filter(|m| types(m).iter().any(|t| is_article_type(t)))
        .copied()
        .collect();
    let meta_value = |keys: &[&str]| -> Option<&str> {
        keys.iter().find_map(|k| {
            page.metas
                .iter()
                .find(|(mk, v)| mk == k && !v.trim().is_empty())
                .map(|(_, v)| *v)
        })
    };

    // Publication date.
    let mut published = articles
        .iter()
        .chain(objects.iter())
        .filter_map(|m| m.get("datePublished").or_else(|| m.get("dateCreated")))
        .filter_map(string_of)
        .find_map(|s| plausible(parse_date(&s)));
    if published.is_none() {
        published = DATE_KEYS.iter().find_map(|k| {
            page.metas
                .iter()
                .filter(|(mk, _)| mk == k)
                .find_map(|(_, v)| plausible(parse_date(v)))
        });
    }
    if published.is_none() {
        // Site-specific names such as "sn-post-date" or "article-publish-date".
        published = page
            .metas
            .iter()
            .filter(|(k, _)| {
                (k.contains("publish")
                    || k.contains("pub-date")
                    || k.contains("post-date")
                    || k.contains("pubdate"))
                    && !k.contains("modif")
                    && !k.contains("updat")
            })
            .find_map(|(_, v)| plausible(parse_date(v)));
    }
    if published.is_none() {
        published = parsely_page(&page.metas).and_then(|p| {
            p.get("pub_date")
                .and_then(string_of)
                .and_then(|s| plausible(parse_date(&s)))
        });
    }
    if published.is_none() {
        published = time_element_date(dom);
    }

    // Byline.
    let mut names = Vec::new();
    for m in &articles {
        if let Some(a) = m.get("author").or_else(|| m.get("creator")) {
            json_authors(a, &mut names);
        }
        if !names.is_empty() {
            break;
        }
    }
    let mut byline = join_authors(names);
    if byline.is_none() {
        byline = AUTHOR_KEYS.iter().find_map(|k| {
            let vals: Vec<String> = page
                .metas
                .iter()
                .filter(|(mk, v)| mk == k && !looks_like_url(v))
                .map(|(_, v)| v.to_string())
                .collect();
            join_authors(vals)
        });
    }
    if byline.is_none() {
        byline = markup_author(dom);
    }

    // Title.
    let mut title: Option<String> = articles
        .iter()
        .filter_map(|m| m.get("headline").or_else(|| m.get("name")))
        .filter_map(string_of)
        .find_map(|s| clean(&s));
    if title.is_none() {
        title = meta_value(TITLE_KEYS).and_then(clean);
    }
    if title.is_none() {
        title = single_h1(dom).or_else(|| document_title(dom));
    }
    let site = meta_value(&["og:site_name", "application-name"]).and_then(clean);
    let title = title.map(|t| strip_site_name(&t, site.as_deref()));

    // Language.
    let language = html_lang(dom)
        .or_else(|| {
            meta_value(&["content-language", "language", "dc.language", "og:locale"])
                .map(str::to_string)
        })
        .or_else(|| {
            articles
                .iter()
                .filter_map(|m| m.get("inLanguage"))
                .find_map(string_of)
        })
        .and_then(|l| normalize_language(&l));

    // Canonical URL.
    let url = canonical_link(dom)
        .or_else(|| meta_value(&["og:url", "twitter:url", "parsely-link"]).map(str::to_string))
        .or_else(|| {
            articles.iter().find_map(|m| {
                m.get("url").and_then(string_of).or_else(|| {
                    m.get("mainEntityOfPage").and_then(|v| match v {
                        Value::Object(o) => o.get("@id").and_then(string_of),
                        other => string_of(other),
                    })
                })
            })
        })
        .map(|u| u.trim().to_string())
        .filter(|u| u.starts_with("http://") || u.starts_with("https://"));

    // A date the site wrote into the article's address.
    if published.is_none() {
        published = url.as_deref().and_then(url_date);
    }

    Meta {
        title,
        published,
        byline,
        language,
        url,
    }
}

/// The JSON object in `<meta name="parsely-page" content="{...}">`.
fn parsely_page(metas: &[(String, &str)]) -> Option<serde_json::Map<String, Value>> {
    metas
        .iter()
        .find(|(k, _)| k == "parsely-page")
        .and_then(|(_, v)| serde_json::from_str::<Value>(v).ok())
        .and_then(|v| match v {
            Value::Object(m) => Some(m),
            _ => None,
        })
}

/// A date from an element that marks itself as the publication date (by
/// `pubdate`, `itemprop=datePublished` or a class such as
/// `publish-date`), read from its `datetime`/`content` or its own short
/// text; else the first `<time datetime>` inside an `<article>` or its
/// header.
fn time_element_date(dom: &Dom) -> Option<Date> {
    let mut fallback = None;
    for id in 0..dom.nodes.len() {
        let Some(e) = dom.element(id) else { continue };
        if matches!(&*e.name, "meta" | "script" | "style" | "link") {
            continue;
        }
        let class = e.attr("class").unwrap_or("").to_ascii_lowercase();
        if class.contains("modif") || class.contains("updat") {
            continue;
        }
        let stated = e.attr("datetime").or_else(|| e.attr("content"));
        let explicit = e.attr("pubdate").is_some()
            || e.attr("itemprop") == Some("datePublished")
            || [
                "publish",
                "pubdate",
                "posted",
                "post-date",
                "entry-date",
                "article-date",
                "date-published",
            ]
            .iter()
            .any(|w| class.contains(w));
        if explicit {
            let date = match stated {
                Some(v) => plausible(parse_date(v)),
                None => {
                    let text = inline_text(dom, id);
                    if text.chars().count() <= 100 {
                        plausible(parse_date(&text))
                    } else {
                        None
                    }
                }
            };
            if date.is_some() {
                return date;
            }
        }
        if fallback.is_none()
            && &*e.name == "time"
            && dom
                .ancestors(id)
                .any(|a| matches!(dom.name(a), "article" | "header"))
        {
            fallback = e.attr("datetime").and_then(|v| plausible(parse_date(v)));
        }
    }
    fallback
}

/// Placeholder dates (`0001-01-01`) and typos far from the web's era are
/// not dates.
fn plausible(d: Option<Date>) -> Option<Date> {
    d.filter(|d| (1990..=2100).contains(&d.year))
}

/// A full date in a URL path: `/2019/11/19/` or `/2019-11-19/`.
fn url_date(url: &str) -> Option<Date> {
    let path = url.split_once("://").map_or(url, |(_, rest)| rest);
    let parts: Vec<&str> = path.split(['/', '?', '#']).collect();
    for (i, p) in parts.iter().enumerate() {
        let digits = |s: &str, n: usize| s.len() == n && s.bytes().all(|b| b.is_ascii_digit());
        if digits(p, 4) {
            if let (Some(m), Some(d)) = (parts.get(i + 1), parts.get(i + 2)) {
                if digits(m, 2) && digits(d, 2) {
                    let date = Date::ymd(p.parse().ok()?, m.parse().ok()?, d.parse().ok()?);
                    if date.is_some() {
                        return plausible(date);
                    }
                }
            }
        }
        if p.len() == 10 && p.as_bytes()[4] == b'-' && p.as_bytes()[7] == b'-' {
            if let Some(d) = plausible(Date::parse_iso(p)) {
                return Some(d);
            }
        }
    }
    None
}

/// The author named in the markup: `rel=author`, `itemprop=author`, or an
/// element whose class names the byline.
fn markup_author(dom: &Dom) -> Option<String> {
    // Each candidate reads its subtree: a bounded number keeps pages full
    // of "author" classes linear.
    let mut tries = 0;
    for id in 0..dom.nodes.len() {
        if tries >= 32 {
            return None;
        }
        let Some(e) = dom.element(id) else { continue };
        if matches!(&*e.name, "meta" | "link" | "script" | "style") {
            continue;
        }
        let itemprop_author = e
            .attr("itemprop")
            .is_some_and(|p| p.split_whitespace().any(|t| t == "author"));
        let rel_author = e.attr("rel") == Some("author");
        let class = e.attr("class").unwrap_or("").to_ascii_lowercase();
        let class_author = class.split_whitespace().any(|c| {
            matches!(
                c,
                "byline" | "author" | "author-name" | "byline__name" | "byline-name" | "authorname"
            )
        });
        if !(itemprop_author || rel_author || class_author) {
            continue;
        }
        tries += 1;
        // itemprop=author may wrap a Person with an itemprop=name inside.
        let end = dom.subtree_end(id);
        let named = (id..end.min(id + 4096)).find(|&n| dom.attr(n, "itemprop") == Some("name"));
        let text = inline_text(dom, named.unwrap_or(id));
        if let Some(b) = clean_byline(&text) {
            if b.split_whitespace().count() <= 12 {
                return Some(b);
            }
        }
    }
    None
}

fn inline_text(dom: &Dom, id: NodeId) -> String {
    // Enough for a name or a date; bounded so callers stay linear.
    let end = dom.subtree_end(id).min(id + 4096);
    let mut s = String::new();
    for n in id..end {
        if let Data::Text(t) = &dom.nodes[n].data {
            if dom.nodes[n]
                .parent
                .is_some_and(|p| matches!(dom.name(p), "script" | "style"))
            {
                continue;
            }
            s.push_str(t);
            s.push(' ');
        }
        if s.len() > 2000 {
            break;
        }
    }
    s
}

/// "Headline | Site" -> "Headline": drops the site's name, or a short last
/// part after " | ", from either end of a title.
fn strip_site_name(title: &str, site: Option<&str>) -> String {
    let norm = |s: &str| -> String {
        s.chars()
            .filter(|c| c.is_alphanumeric())
            .flat_map(char::to_lowercase)
            .collect()
    };
    for sep in [" | ", " - ", " – ", " — ", " :: ", ": "] {
        let Some((head, tail)) = title.rsplit_once(sep) else {
            continue;
        };
        let site_named = site.is_some_and(|s| !norm(s).is_empty() && norm(s) == norm(tail));
        if (site_named || (sep == " | " && tail.split_whitespace().count() <= 3))
            && !head.trim().is_empty()
        {
            return head.trim().to_string();
        }
        if let Some((first, rest)) = title.split_once(sep) {
            if site.is_some_and(|s| !norm(s).is_empty() && norm(s) == norm(first))
                && !rest.trim().is_empty()
            {
                return rest.trim().to_string();
            }
        }
    }
    title.to_string()
}

fn single_h1(dom: &Dom) -> Option<String> {
    let mut found = None;
    for id in 0..dom.nodes.len() {
        if dom.name(id) == "h1" {
            if found.is_some() {
                return None;
            }
            found = Some(id);
        }
    }
    found.and_then(|id| clean(&inline_text(dom, id)))
}

fn document_title(dom: &Dom) -> Option<String> {
    let id = (0..dom.nodes.len()).find(|&id| dom.name(id) == "title")?;
    let t = clean(&child_text(dom, id))?;
    // "Headline | Site" or "Headline - Site": keep the longest part.
    for sep in [" | ", " – ", " — ", " - ", " :: "] {
        if t.contains(sep) {
            return t
                .split(sep)
                .max_by_key(|p| p.chars().count())
                .map(|p| p.trim().to_string());
        }
    }
    Some(t)
}

fn html_lang(dom: &Dom) -> Option<String> {
    (0..dom.nodes.len().min(64))
        .find(|&id| dom.name(id) == "html")
        .and_then(|id| dom.attr(id, "lang").or_else(|| dom.attr(id, "xml:lang")))
        .map(str::to_string)
}

/// "en-US", "en_GB", "EN" -> "en"; anything not a two-letter code -> None.
fn normalize_language(l: &str) -> Option<String> {
    let primary = l
        .trim()
        .split(['-', '_', ',', ';'])
        .next()?
        .trim()
        .to_ascii_lowercase();
    (primary.len() == 2 && primary.bytes().all(|b| b.is_ascii_lowercase())).then_some(primary)
}

fn canonical_link(dom: &Dom) -> Option<String> {
    (0..dom.nodes.len()).find_map(|id| {
        let e = dom.element(id)?;
        if &*e.name != "link" {
            return None;
        }
        let rel = e.attr("rel")?.to_ascii_lowercase();
        rel.split_whitespace()
            .any(|r| r == "canonical")
            .then(|| e.attr("href").map(str::to_string))
            .flatten()
    })
}
