//! Parsing person names into tagged parts.
//!
//! A name is read as a sequence of *parts*; a part is one name element with
//! its grammatical particles folded in: "Abu Muhammad" is one kunya part,
//! "al-Masri" one part (article + "masri"), "bin Laden" one patronymic part,
//! "Abd al-Ra'uf" one theophoric part. Titles ("Mr", "Secretary of State",
//! "Sheikh") and generational suffixes are taken off and reported, and a
//! trailing possessive `'s` is dropped. Arabic-script names are parsed the
//! same way with the Arabic particles, and each part carries a Latin
//! rendering learned from the transliteration data.

use crate::fold::{
    fold_latin, fold_letters, is_arabic_letter, is_arabic_text, is_hyphen, normalize_arabic,
};
use crate::phonetic::skeleton_folded;
use crate::table::Table;
use std::collections::HashSet;
use std::sync::OnceLock;

/// What a part is within the name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Role {
    /// First personal name ("Imad", "Osama", "Abd al-Rauf").
    Given,
    /// Unmarked name between the given name and the last part: a middle
    /// name, or in Arabic names usually the father's name.
    Middle,
    /// Teknonym "Abu X" / "Umm X" ("father/mother of X").
    Kunya,
    /// Explicit filiation "bin X" / "ibn X" / "bint X".
    Patronymic,
    /// Adjective of origin written with the article: "al-Masri" ("the
    /// Egyptian"), "al-Zarqawi", "al-Baghdadi".
    Nisba,
    /// Epithet with the article that is not an adjective of origin, inside
    /// the name ("al-Rashid" before further parts).
    Laqab,
    /// Last name (family name, or the last element of an Arabic chain).
    Family,
    /// A single letter standing for a name ("M." in "M. Pompeo").
    Initial,
    /// The only part of a one-part name: could be any of the above
    /// ("Pompeo", "Masri").
    Bare,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Given => "given",
            Role::Middle => "middle",
            Role::Kunya => "kunya",
            Role::Patronymic => "patronymic",
            Role::Nisba => "nisba",
            Role::Laqab => "laqab",
            Role::Family => "family",
            Role::Initial => "initial",
            Role::Bare => "bare",
        }
    }

    /// Parts that name the family or origin rather than the person.
    pub fn is_surname_like(self) -> bool {
        matches!(
            self,
            Role::Family | Role::Nisba | Role::Patronymic | Role::Laqab
        )
    }
}

/// A particle that forms one part together with the following name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Particle {
    /// abu / abou / abo ("father of")
    Abu,
    /// umm / um / oum ("mother of")
    Umm,
    /// bin / ibn / ben / ould ("son of")
    Bin,
    /// bint ("daughter of")
    Bint,
    /// abd / abdul / abdel ("servant of"), always with a divine name
    Abd,
}

impl Particle {
    pub fn as_str(self) -> &'static str {
        match self {
            Particle::Abu => "abu",
            Particle::Umm => "umm",
            Particle::Bin => "bin",
            Particle::Bint => "bint",
            Particle::Abd => "abd",
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct NamePart {
    /// The words of the name as written, particles included.
    pub text: String,
    pub role: Role,
    pub particle: Option<Particle>,
    /// The core was written with the article (al-, el-, ad-, ...).
    pub article: bool,
    /// The core in folded Latin letters a-z (for Arabic script: the learned
    /// letter-by-letter rendering), without particle and article.
    pub core: String,
    /// The core in normalised Arabic letters, when written in Arabic script.
    pub arabic: Option<String>,
    /// Consonant skeleton of the core ([`crate::phonetic::skeleton`]).
    pub key: String,
}

impl NamePart {
    /// The key used for statistics and blocking: skeleton with its particle
    /// ("abu:mhmd", "msr").
    pub fn stat_key(&self) -> String {
        match self.particle {
            Some(p) => format!("{}:{}", p.as_str(), self.key),
            None => self.key.clone(),
        }
    }

    /// The key under which the part's frequency is counted: the statistics
    /// key, with the spelling added when the skeleton has under three
    /// letters. Blocking may fold "Reid", "Reed" and "Rudd" together ("rd"),
    /// but counting them as one name would make each look several times as
    /// common as it is, and weaken the evidence of a match on any of them.
    pub fn freq_key(&self) -> String {
        let k = self.stat_key();
        if self.key.len() >= 3 {
            k
        } else {
            format!("{k}/{}", self.core)
        }
    }
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct PersonName {
    /// The input text.
    pub text: String,
    /// Titles and honorifics taken off the front, as written ("Mr", "Secretary of State").
    pub titles: Vec<String>,
    /// Generational or degree suffixes taken off the end ("Jr", "III").
    pub suffixes: Vec<String>,
    pub parts: Vec<NamePart>,
    /// The name is written in Arabic script.
    pub arabic_script: bool,
}

/// Titles and honorifics, lowercase, periods removed; multi-word ones first
/// where they share a first word.
const TITLES: &[&str] = &[
    "secretary of state",
    "secretary of defense",
    "secretary of defence",
    "secretary general",
    "attorney general",
    "prime minister",
    "deputy prime minister",
    "foreign minister",
    "defense minister",
    "defence minister",
    "interior minister",
    "finance minister",
    "defense secretary",
    "defence secretary",
    "home secretary",
    "foreign secretary",
    "vice president",
    "crown prince",
    "grand ayatollah",
    "field marshal",
    "chief justice",
    "supreme leader",
    "lieutenant general",
    "lt gen",
    "major general",
    "maj gen",
    "brigadier general",
    "brig gen",
    "lieutenant colonel",
    "lt col",
    "rear admiral",
    "vice admiral",
    "chief of staff",
    "state senator",
    "the rev",
    "the honourable",
    "the honorable",
    "his excellency",
    "her excellency",
    "his majesty",
    "her majesty",
    "his highness",
    "her highness",
    "mr",
    "mrs",
    "ms",
    "miss",
    "mx",
    "dr",
    "doctor",
    "prof",
    "professor",
    "sir",
    "dame",
    "lord",
    "lady",
    "president",
    "premier",
    "chancellor",
    "secretary",
    "minister",
    "senator",
    "sen",
    "rep",
    "representative",
    "congressman",
    "congresswoman",
    "governor",
    "gov",
    "mayor",
    "judge",
    "justice",
    "king",
    "queen",
    "prince",
    "princess",
    "emir",
    "amir",
    "sheikh",
    "sheik",
    "shaykh",
    "shaikh",
    "sheikha",
    "imam",
    "mullah",
    "mufti",
    "ayatollah",
    "hojatoleslam",
    "haji",
    "hajji",
    "hajj",
    "general",
    "gen",
    "lieutenant",
    "lt",
    "colonel",
    "col",
    "major",
    "maj",
    "captain",
    "capt",
    "commander",
    "cmdr",
    "admiral",
    "adm",
    "sergeant",
    "sgt",
    "corporal",
    "cpl",
    "private",
    "pvt",
    "brigadier",
    "marshal",
    "pope",
    "father",
    "fr",
    "rev",
    "reverend",
    "rabbi",
    "bishop",
    "archbishop",
    "cardinal",
    "ambassador",
    "amb",
    "director",
    "chairman",
    "chairwoman",
    "commissioner",
    "inspector",
    "detective",
    "officer",
    "agent",
    "deputy",
    "sultan",
    "sayyed",
    "mawlana",
    "maulana",
    "ustad",
    "ustadh",
];

const SUFFIXES: &[&str] = &[
    "jr", "sr", "ii", "iii", "iv", "phd", "md", "esq", "junior", "senior",
];

/// Arabic-script titles (normalised).
const ARABIC_TITLES: &[&str] = &[
    "الشيخ",
    "شيخ",
    "السيد",
    "الدكتور",
    "د",
    "الامام",
    "الملك",
    "الامير",
    "الرئيس",
    "الحاج",
    "المهندس",
    "اللواء",
    "العميد",
    "العقيد",
];

/// "il" is not among them: it is far more often a Korean name ("Kim Jong
/// Il", "Cho Il-U") than an Arabic article.
fn is_article(f: &str) -> bool {
    matches!(f, "al" | "el" | "ul")
}

/// "Al Gore", "Al Sharpton": a two-word name that starts with a capital
/// "Al" apart from the next word is the English given name unless that word
/// is a nisba ("Al Masri", "Al Zawahiri") or a family written after "Al"
/// (`data/al_families.tsv`: "Al Saud", "Al Thani"). Read as an article,
/// "Al Gore" was a bare surname that matched Tipper Gore and any "Guerrero".
/// (The transliteration table is no guide here: it knows "gore".)
fn is_given_al(pieces: &[Piece], i: usize) -> bool {
    static FAMILIES: OnceLock<HashSet<&'static str>> = OnceLock::new();
    let families =
        FAMILIES.get_or_init(|| crate::data_words(include_str!("../data/al_families.tsv")));
    let (Some(p), Some(next)) = (pieces.get(i), pieces.get(i + 1)) else {
        return false;
    };
    i == 0
        && pieces.len() == 2
        && p.orig == "Al"
        && !p.hyphen_next
        && !next.fold.ends_with('i')
        && !families.contains(next.fold.as_str())
}

/// Whether the first piece is a lower-case word in front of a capitalised
/// one that no name writes in lower case (`data/lowercase_particles.tsv`):
/// the tagger took it from the sentence ("bill Reagan").
fn is_stray_lowercase(pieces: &[Piece]) -> bool {
    static PARTICLES: OnceLock<HashSet<&'static str>> = OnceLock::new();
    let particles = PARTICLES
        .get_or_init(|| crate::data_words(include_str!("../data/lowercase_particles.tsv")));
    let (Some(p), Some(next)) = (pieces.first(), pieces.get(1)) else {
        return false;
    };
    let lower = p.orig.chars().next().is_some_and(char::is_lowercase);
    let capital = next.orig.chars().next().is_some_and(char::is_uppercase);
    lower
        && capital
        && !p.hyphen_next
        && !p.orig.contains(['\'', '’', '.'])
        && !is_article(&p.fold)
        && kunya_particle(&p.fold).is_none()
        && !fused_kunya_article(&p.fold)
        && !particles.contains(p.fold.as_str())
}

fn is_article_piece(p: &Piece) -> bool {
    is_article(&p.fold)
}

/// Assimilated article before a sun letter, written with a hyphen: "ad-Din",
/// "ar-Rahman", "ash-Shami", "az-Zarqawi". Only the article when the next
/// word starts with the consonant it assimilated to.
fn is_assimilated_article(f: &str, next: &str) -> bool {
    let Some(cons) = f.strip_prefix(['a', 'e', 'u']) else {
        return false;
    };
    matches!(cons, "d" | "r" | "s" | "sh" | "t" | "th" | "z" | "n" | "dh") && next.starts_with(cons)
}

fn kunya_particle(f: &str) -> Option<Particle> {
    match f {
        "abu" | "abou" | "abo" | "aboo" | "abi" | "aba" | "bou" => Some(Particle::Abu),
        "umm" | "um" | "oum" | "om" | "omm" => Some(Particle::Umm),
        _ => None,
    }
}

/// "abul", "aboul": kunya particle fused with the article.
fn fused_kunya_article(f: &str) -> bool {
    matches!(f, "abul" | "aboul" | "abol" | "abil" | "abal")
}

fn patronymic_particle(f: &str, first: bool) -> Option<Particle> {
    match f {
        "bin" | "ibn" | "ibnu" | "bn" | "ould" | "walad" => Some(Particle::Bin),
        // "Ben" opens English names ("Ben Rhodes"); only a particle later on.
        "ben" | "ibni" if !first => Some(Particle::Bin),
        "bint" | "binti" | "bte" => Some(Particle::Bint),
        _ => None,
    }
}

/// Stand-alone forms of "abd" that join the next word ("Abdel Aziz").
fn is_abd_word(f: &str) -> bool {
    matches!(
        f,
        "abd" | "abdul" | "abdel" | "abdal" | "abdil" | "abdol" | "abdoul" | "abdur" | "abdus"
    )
}

/// Forms that are names of their own ("Abdi", "Abdou") unless hyphenated or
/// followed by the article ("Abdu al-Rahman").
fn is_weak_abd_word(f: &str) -> bool {
    matches!(f, "abdu" | "abdi" | "abdou" | "abdo")
}

/// Split a fused theophoric name into its divine-name rest: "abdullah" ->
/// "lah", "abdurrahman" -> "rahman", "abdelaziz" -> "aziz". `None` when the
/// word is not of that shape ("abdi", "abdeni").
pub fn split_abd(f: &str) -> Option<String> {
    let r = f.strip_prefix("abd")?;
    let rest: &str = if let Some(x) = ["oul", "ul", "el", "al", "ol", "il"]
        .iter()
        .find_map(|c| r.strip_prefix(c))
    {
        x
    } else {
        // Assimilated article: "abdurrahman", "abdussalam", "abdennour".
        let b = r.as_bytes();
        if b.len() >= 5
            && matches!(b[0], b'u' | b'e' | b'a' | b'o')
            && b[1] == b[2]
            && b"rstdzn".contains(&b[1])
        {
            &r[2..]
        } else {
            return None;
        }
    };
    (rest.len() >= 2).then(|| rest.to_string())
}

/// Second words that make a compound given name with the article:
/// "Nur al-Din", "Salah ad-Din", "Saif al-Islam".
fn is_compound_tail(f: &str) -> bool {
    matches!(
        f,
        "din" | "deen" | "dine" | "islam" | "dawla" | "dawlah" | "daula" | "haq" | "haqq"
    )
}

fn is_nisba_form(core: &str) -> bool {
    core.len() >= 3 && (core.ends_with('i') || core.ends_with('y'))
}

/// One word of the input with its folded letters.
#[derive(Debug, Clone)]
struct Piece {
    orig: String,
    fold: String,
    /// Joined to the next piece by a hyphen.
    hyphen_next: bool,
}

fn pieces_latin(s: &str) -> Vec<Piece> {
    let mut out: Vec<Piece> = Vec::new();
    for word in s.split(|c: char| c.is_whitespace() || c == ',' || c == ';' || c == '/') {
        let mut cur = String::new();
        let chars: Vec<char> = word.chars().collect();
        for &c in &chars {
            if is_hyphen(c) {
                if !cur.is_empty() {
                    out.push(piece(&cur, true));
                    cur.clear();
                }
            } else if c == '.' {
                // "M." initial or "Mr." / "Dr.": the period ends the piece.
                if !cur.is_empty() {
                    out.push(piece(&cur, false));
                    cur.clear();
                }
            } else {
                cur.push(c);
            }
        }
        if !cur.is_empty() {
            out.push(piece(&cur, false));
        }
    }
    out.retain(|p| !p.fold.is_empty());
    out
}

fn piece(orig: &str, hyphen_next: bool) -> Piece {
    Piece {
        orig: orig
            .trim_matches(|c: char| !c.is_alphanumeric())
            .to_string(),
        fold: fold_letters(orig),
        hyphen_next,
    }
}

/// The form of a mention used for matching: stray brackets and quotes
/// removed, possessive `'s` dropped, whitespace collapsed. The mention's
/// span keeps what was written.
pub fn matching_text(raw: &str) -> String {
    let mut s: String = strip_possessive(raw)
        .chars()
        .map(|c| match c {
            '[' | ']' | '(' | ')' | '{' | '}' | '"' | '“' | '”' | '«' | '»' | '*' => ' ',
            '\n' | '\t' => ' ',
            c => c,
        })
        .collect();
    loop {
        let t = s.trim_end();
        let stripped = t
            .strip_suffix("'s")
            .or_else(|| t.strip_suffix("’s"))
            .or_else(|| t.strip_suffix("'S"))
            .or_else(|| t.strip_suffix('\''))
            .or_else(|| t.strip_suffix('’'));
        match stripped {
            Some(x) => s = x.to_string(),
            None => break,
        }
    }
    let s = s
        .trim_matches(|c: char| !c.is_alphanumeric())
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    s
}

/// Strip a trailing possessive: "Pompeo's" / "Pompeo’s" / "Davis'", and
/// the `"s` that scraped text sometimes has for an apostrophe ("Al-Qaeda"s").
pub fn strip_possessive(s: &str) -> &str {
    let t = s.trim_end();
    for suffix in ["'s", "’s", "'S", "’S", "‘s", "`s"] {
        if let Some(x) = t.strip_suffix(suffix) {
            return x;
        }
    }
    // A double quote between a letter and a final "s" is an apostrophe.
    if let Some(x) = t.strip_suffix("\"s") {
        if x.ends_with(char::is_alphabetic) && !x.contains('"') {
            return x;
        }
    }
    if let Some(x) = t.strip_suffix(['\'', '’']) {
        if x.ends_with(['s', 'S']) {
            return x;
        }
    }
    t
}

/// "AL-MASRI, Abu Mohamed" (list order) -> "Abu Mohamed AL-MASRI".
fn reorder_comma(s: &str) -> String {
    let mut it = s.splitn(3, ',');
    if let (Some(a), Some(b), None) = (it.next(), it.next(), it.next()) {
        let (a, b) = (a.trim(), b.trim());
        let a_words = a.split_whitespace().count();
        let b_is_suffix = SUFFIXES.contains(&fold_letters(b).as_str());
        if !a.is_empty() && !b.is_empty() && a_words <= 3 && !b_is_suffix {
            return format!("{b} {a}");
        }
    }
    s.to_string()
}

/// Working unit while parsing: particle, article, core pieces.
#[derive(Debug, Clone, Default)]
struct Unit {
    words: Vec<String>,
    particle: Option<Particle>,
    article: bool,
    core: String,
    arabic: Option<String>,
    initial: bool,
}

impl PersonName {
    /// Parse with the committed transliteration table.
    pub fn parse(s: &str) -> PersonName {
        Self::parse_with(s, Table::embedded())
    }

    /// Parse with a given table (used for Arabic-script renderings).
    pub fn parse_with(s: &str, table: &Table) -> PersonName {
        let text = s.to_string();
        let body = strip_possessive(s);
        if is_arabic_text(body) {
            return parse_arabic(text, body, table);
        }
        let body = reorder_comma(body);
        let mut pieces = pieces_latin(&body);
        let mut titles = Vec::new();
        let mut suffixes = Vec::new();
        // Titles: longest listed phrase at the front, repeatedly ("Mr. President").
        'outer: loop {
            for t in TITLES {
                let words: Vec<&str> = t.split(' ').collect();
                if pieces.len() > words.len() {
                    let matches = words.iter().zip(&pieces).all(|(w, p)| *w == p.fold);
                    if matches {
                        let orig: Vec<String> =
                            pieces.drain(..words.len()).map(|p| p.orig).collect();
                        titles.push(orig.join(" "));
                        continue 'outer;
                    }
                }
            }
            break;
        }
        while pieces.len() > 1 && is_stray_lowercase(&pieces) {
            pieces.remove(0);
        }
        while pieces.len() > 1
            && pieces
                .last()
                .is_some_and(|p| SUFFIXES.contains(&p.fold.as_str()))
        {
            if let Some(p) = pieces.pop() {
                suffixes.insert(0, p.orig);
            }
        }
        let units = units_latin(&pieces);
        PersonName {
            text,
            titles,
            suffixes,
            parts: assign_roles(units),
            arabic_script: false,
        }
    }

    pub fn is_empty(&self) -> bool {
        self.parts.is_empty()
    }

    pub fn parts_with(&self, role: Role) -> impl Iterator<Item = &NamePart> {
        self.parts.iter().filter(move |p| p.role == role)
    }

    pub fn kunya(&self) -> Option<&NamePart> {
        self.parts_with(Role::Kunya).next()
    }

    pub fn given(&self) -> Option<&NamePart> {
        self.parts_with(Role::Given).next()
    }

    /// The last part when it names family or origin.
    pub fn surname(&self) -> Option<&NamePart> {
        self.parts.last().filter(|p| p.role.is_surname_like())
    }

    /// The parts without titles, as one normalised string ("abu muhammad al masri").
    pub fn normalized(&self) -> String {
        self.parts
            .iter()
            .map(|p| {
                let mut s = String::new();
                if let Some(x) = p.particle {
                    s.push_str(x.as_str());
                    s.push(' ');
                }
                if p.article {
                    s.push_str("al ");
                }
                s.push_str(&p.core);
                s
            })
            .collect::<Vec<_>>()
            .join(" ")
    }
}

/// Take the core after a particle: optional article, then one piece (or a
/// fused "abd" name). Returns the unit and how many pieces it used.
fn core_after(
    pieces: &[Piece],
    start: usize,
    particle: Option<Particle>,
    article: bool,
) -> Option<(Unit, usize)> {
    let mut i = start;
    let mut article = article;
    let mut words = Vec::new();
    let p = pieces.get(i)?;
    let next = pieces.get(i + 1);
    let assimilated =
        p.hyphen_next && next.is_some_and(|n| is_assimilated_article(&p.fold, &n.fold));
    if (is_article_piece(p) && next.is_some()) || assimilated {
        article = true;
        words.push(p.orig.clone());
        i += 1;
    }
    let p = pieces.get(i)?;
    words.push(p.orig.clone());
    let mut core = p.fold.clone();
    if particle == Some(Particle::Abd) && !article {
        // "Abd Allah" / "Abdel Aziz": drop a fused article from the divine name.
        if let Some(r) = core.strip_prefix("al").filter(|r| r.len() >= 3) {
            core = r.to_string();
        }
    }
    Some((
        Unit {
            words,
            particle,
            article,
            core,
            ..Unit::default()
        },
        i + 1 - start,
    ))
}

fn units_latin(pieces: &[Piece]) -> Vec<Unit> {
    let mut units: Vec<Unit> = Vec::new();
    let mut i = 0;
    while i < pieces.len() {
        let p = &pieces[i];
        let f = p.fold.as_str();
        let has_next = i + 1 < pieces.len();
        // Kunya: "Abu Muhammad", "Abu al-Khayr", "Abu'l-Khayr", "Umm Khalid".
        if has_next {
            let kunya = kunya_particle(f)
                .map(|k| (k, false))
                .or_else(|| fused_kunya_article(f).then_some((Particle::Abu, true)));
            let patro = patronymic_particle(f, units.is_empty());
            let abd = (is_abd_word(f)
                || (is_weak_abd_word(f) && (p.hyphen_next || is_article_piece(&pieces[i + 1]))))
            .then_some(Particle::Abd);
            if let Some((particle, article)) = kunya
                .or(patro.map(|x| (x, false)))
                .or(abd.map(|x| (x, false)))
            {
                if let Some((mut u, used)) = core_after(pieces, i + 1, Some(particle), article) {
                    u.words.insert(0, p.orig.clone());
                    if particle == Particle::Abd {
                        // "Abdur Rahman": the connector's article is implied.
                        u.article = u.article || f.len() > 3;
                    }
                    units.push(u);
                    i += 1 + used;
                    continue;
                }
            }
        }
        if let Some(rest) = split_abd(f) {
            units.push(Unit {
                words: vec![p.orig.clone()],
                particle: Some(Particle::Abd),
                article: true,
                core: rest,
                ..Unit::default()
            });
            i += 1;
            continue;
        }
        // Article + name: "al-Masri", "al Masri", "ash-Shami".
        if has_next
            && !is_given_al(pieces, i)
            && (is_article_piece(p)
                || (p.hyphen_next && is_assimilated_article(f, &pieces[i + 1].fold)))
        {
            let next = &pieces[i + 1];
            // "Nur al-Din": the article joins a compound given name.
            if is_compound_tail(&next.fold) {
                if let Some(prev) = units
                    .last_mut()
                    .filter(|u| u.particle.is_none() && !u.article && !u.initial)
                {
                    prev.words.push(p.orig.clone());
                    prev.words.push(next.orig.clone());
                    prev.core.push_str(&next.fold);
                    i += 2;
                    continue;
                }
            }
            units.push(Unit {
                words: vec![p.orig.clone(), next.orig.clone()],
                article: true,
                core: next.fold.clone(),
                ..Unit::default()
            });
            i += 2;
            continue;
        }
        let initial = f.len() == 1;
        units.push(Unit {
            words: vec![p.orig.clone()],
            core: p.fold.clone(),
            initial,
            ..Unit::default()
        });
        i += 1;
    }
    units
}

fn assign_roles(units: Vec<Unit>) -> Vec<NamePart> {
    let n = units.len();
    // Index of the first unit that can be the given name.
    let first_plain = units
        .iter()
        .position(|u| u.particle.is_none() && !u.article || u.particle == Some(Particle::Abd));
    let mut parts = Vec::with_capacity(n);
    for (i, u) in units.into_iter().enumerate() {
        let last = i + 1 == n;
        let role = if u.initial {
            Role::Initial
        } else if n == 1 && !matches!(u.particle, Some(Particle::Abu | Particle::Umm)) {
            Role::Bare
        } else {
            match u.particle {
                Some(Particle::Abu | Particle::Umm) => Role::Kunya,
                Some(Particle::Bin | Particle::Bint) => Role::Patronymic,
                _ if u.article && u.particle.is_none() => {
                    if is_nisba_form(&u.core) {
                        Role::Nisba
                    } else if last {
                        Role::Family
                    } else {
                        Role::Laqab
                    }
                }
                _ if Some(i) == first_plain => Role::Given,
                _ if last => Role::Family,
                _ => Role::Middle,
            }
        };
        let key = skeleton_folded(&u.core);
        parts.push(NamePart {
            text: u.words.join(" "),
            role,
            particle: u.particle,
            article: u.article,
            core: u.core,
            arabic: u.arabic,
            key,
        });
    }
    parts
}

fn parse_arabic(text: String, body: &str, table: &Table) -> PersonName {
    let norm = normalize_arabic(body);
    let mut words: Vec<(String, String)> = norm
        .split(|c: char| c.is_whitespace() || c == '،' || c == ',' || c == '-')
        .map(|w| {
            let letters: String = w.chars().filter(|c| is_arabic_letter(*c)).collect();
            (w.to_string(), letters)
        })
        .filter(|(_, l)| !l.is_empty())
        .collect();
    let mut titles = Vec::new();
    while words.len() > 1 && ARABIC_TITLES.contains(&words[0].1.as_str()) {
        titles.push(words.remove(0).0);
    }
    let mut units: Vec<Unit> = Vec::new();
    let mut i = 0;
    let arabic_unit = |words: Vec<String>, particle: Option<Particle>, core_ar: &str| -> Unit {
        let (article, core_ar) = match core_ar.strip_prefix("ال") {
            Some(r) if r.chars().count() >= 2 => (true, r.to_string()),
            _ => (false, core_ar.to_string()),
        };
        Unit {
            words,
            particle,
            article,
            core: table.transliterate(&core_ar),
            arabic: Some(core_ar),
            initial: false,
        }
    };
    while i < words.len() {
        let (orig, w) = words[i].clone();
        let has_next = i + 1 < words.len();
        let particle = match w.as_str() {
            "ابو" | "ابي" | "ابا" => Some(Particle::Abu),
            "ام" => Some(Particle::Umm),
            "بن" | "ابن" => Some(Particle::Bin),
            "بنت" => Some(Particle::Bint),
            "عبد" => Some(Particle::Abd),
            _ => None,
        };
        if let (Some(particle), true) = (particle, has_next) {
            let (orig2, next) = words[i + 1].clone();
            let mut u = arabic_unit(vec![orig, orig2], Some(particle), &next);
            if particle == Particle::Abd && !u.article {
                // "عبد الله" reads "Abd Allah": the rest starts with the article.
                u.article = next.starts_with("ال");
            }
            units.push(u);
            i += 2;
            continue;
        }
        if let Some(rest) = w.strip_prefix("عبد").filter(|r| r.chars().count() >= 3) {
            units.push(arabic_unit(vec![orig], Some(Particle::Abd), rest));
            i += 1;
            continue;
        }
        if w == "ال" && has_next {
            // "آل سعود": family "Al" standing apart.
            let (orig2, next) = words[i + 1].clone();
            let mut u = arabic_unit(vec![orig, orig2], None, &next);
            u.article = true;
            units.push(u);
            i += 2;
            continue;
        }
        units.push(arabic_unit(vec![orig], None, &w));
        i += 1;
    }
    for u in &mut units {
        // Keep the Latin spelling the data knows best when it has one.
        if let Some(ar) = &u.arabic {
            if let Some(l) = table.latin_for_arabic(ar).first() {
                if u.core.is_empty() {
                    u.core = l.clone();
                }
            }
        }
    }
    PersonName {
        text,
        titles,
        suffixes: Vec::new(),
        parts: assign_roles(units),
        arabic_script: true,
    }
}

/// Fold a whole name string for display-independent comparison ("Abd-al-Ra’uf" -> "abd al rauf").
pub fn fold_name(s: &str) -> String {
    fold_latin(s)
        .chars()
        .map(|c| if is_hyphen(c) { ' ' } else { c })
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn roles(s: &str) -> Vec<(Role, Option<Particle>, String)> {
        PersonName::parse(s)
            .parts
            .into_iter()
            .map(|p| (p.role, p.particle, p.core))
            .collect()
    }

    #[test]
    fn kunya_and_nisba() {
        assert_eq!(
            roles("Abu Muhammad al-Masri"),
            vec![
                (Role::Kunya, Some(Particle::Abu), "muhammad".to_string()),
                (Role::Nisba, None, "masri".to_string())
            ]
        );
        // The kunya may carry the article, fused or apart.
        for s in [
            "Abu al-Khayr al-Masri",
            "Abu'l-Khayr al-Masri",
            "Abul-Khayr al-Masri",
        ] {
            let r = roles(s);
            assert_eq!(
                r[0],
                (Role::Kunya, Some(Particle::Abu), "khayr".to_string()),
                "{s}"
            );
            assert_eq!(r[1].0, Role::Nisba, "{s}");
        }
        assert_eq!(roles("Umm Khalid")[0].1, Some(Particle::Umm));
        let p = PersonName::parse("Abu Muhammad al-Masri");
        assert!(p.parts[1].article);
        assert_eq!(p.normalized(), "abu muhammad al masri");
    }

    #[test]
    fn arabic_chain_given_middle_family() {
        let r = roles("Abdullah Ahmed Abdullah");
        assert_eq!(
            r.iter().map(|x| x.0).collect::<Vec<_>>(),
            [Role::Given, Role::Middle, Role::Family]
        );
        // Both Abdullahs are theophoric "abd" names.
        assert_eq!(r[0].1, Some(Particle::Abd));
        assert_eq!(r[0].2, "lah");
        let r = roles("Hamza bin Laden");
        assert_eq!(r[0].0, Role::Given);
        assert_eq!(
            r[1],
            (Role::Patronymic, Some(Particle::Bin), "laden".to_string())
        );
    }

    #[test]
    fn abd_compounds_fold_to_one_form() {
        for s in [
            "Abd al-Rahman",
            "Abdul Rahman",
            "Abdulrahman",
            "Abdurrahman",
            "Abd-al-Rahman",
            "Abdel Rahman",
            "Abd ar-Rahman",
        ] {
            let r = roles(s);
            assert_eq!(r.len(), 1, "{s}: {r:?}");
            assert_eq!(
                (r[0].1, r[0].2.as_str()),
                (Some(Particle::Abd), "rahman"),
                "{s}"
            );
        }
        for s in ["Abdullah", "Abdallah", "Abd Allah", "Abdulla"] {
            let r = roles(s);
            assert_eq!(r[0].1, Some(Particle::Abd), "{s}");
            assert_eq!(PersonName::parse(s).parts[0].key, "l", "{s}");
        }
        assert_eq!(split_abd("abdi"), None);
        assert_eq!(split_abd("abdeni"), None);
        assert_eq!(split_abd("abdelaziz").as_deref(), Some("aziz"));
        let r = roles("Husam Abd-al-Ra'uf");
        assert_eq!(
            r[1],
            (Role::Family, Some(Particle::Abd), "rauf".to_string())
        );
    }

    #[test]
    fn matching_text_drops_possessives_and_brackets() {
        assert_eq!(matching_text("Osama] Bin Laden's"), "Osama Bin Laden");
        assert_eq!(matching_text("al Qaida’s"), "al Qaida");
        assert_eq!(matching_text("  Masri’s "), "Masri");
        assert_eq!(matching_text("Al-Qaeda\"s"), "Al-Qaeda");
        assert_eq!(matching_text("(NDS)"), "NDS");
    }

    #[test]
    fn possessives_in_their_spellings() {
        assert_eq!(strip_possessive("Pompeo’s"), "Pompeo");
        assert_eq!(strip_possessive("Davis'"), "Davis");
        assert_eq!(strip_possessive("Al-Qaeda\"s"), "Al-Qaeda");
        assert_eq!(strip_possessive("\"Hamas\"s"), "\"Hamas\"s");
        assert_eq!(strip_possessive("Hamas"), "Hamas");
    }

    #[test]
    fn titles_possessives_suffixes_and_initials() {
        let p = PersonName::parse("Secretary of State Mike Pompeo's");
        assert_eq!(p.titles, ["Secretary of State"]);
        assert_eq!(p.parts.len(), 2);
        assert_eq!(p.parts[1].core, "pompeo");
        let p = PersonName::parse("Mr. Pompeo");
        assert_eq!(p.titles, ["Mr"]);
        assert_eq!(p.parts[0].role, Role::Bare);
        let p = PersonName::parse("Sheikh Abu Muhammad al-Masri");
        assert_eq!(p.titles, ["Sheikh"]);
        let p = PersonName::parse("Martin Luther King Jr.");
        assert_eq!(p.suffixes, ["Jr"]);
        assert_eq!(p.parts.len(), 3);
        let p = PersonName::parse("M. Pompeo");
        assert_eq!(p.parts[0].role, Role::Initial);
        // A title alone is kept as the name rather than leaving nothing.
        assert_eq!(PersonName::parse("President").parts.len(), 1);
        // "Ben" opens English names.
        assert_eq!(roles("Ben Rhodes")[0].1, None);
    }

    #[test]
    fn list_order_and_compound_given_names() {
        let p = PersonName::parse("AL-MASRI, Abu Mohamed");
        assert_eq!(p.parts[0].role, Role::Kunya);
        assert_eq!(p.parts[1].role, Role::Nisba);
        let r = roles("Nur al-Din al-Zinki");
        assert_eq!(r[0], (Role::Given, None, "nurdin".to_string()));
        assert_eq!(r[1].0, Role::Nisba);
        let r = roles("Salah ad-Din");
        assert_eq!(r.len(), 1);
        let r = roles("Abu Musab az-Zarqawi");
        assert_eq!(r[1], (Role::Nisba, None, "zarqawi".to_string()));
    }

    #[test]
    fn arabic_script_names() {
        let p = PersonName::parse("أبو محمد المصري");
        assert!(p.arabic_script);
        assert_eq!(p.parts.len(), 2);
        assert_eq!(p.parts[0].role, Role::Kunya);
        assert_eq!(p.parts[1].role, Role::Nisba);
        assert_eq!(p.parts[1].arabic.as_deref(), Some("مصري"));
        assert_eq!(p.parts[1].key, "msr");
        assert_eq!(p.parts[0].key, "mhmd");
        let p = PersonName::parse("عبد الله احمد عبدالله");
        assert_eq!(p.parts.len(), 3);
        assert_eq!(p.parts[0].particle, Some(Particle::Abd));
        assert_eq!(p.parts[2].particle, Some(Particle::Abd));
    }

    #[test]
    fn korean_il_is_a_name_not_an_article() {
        let r = roles("Chun Il PAK");
        assert_eq!(r.len(), 3, "{r:?}");
        assert_eq!(r[1].2, "il");
        assert_eq!(PersonName::parse("PAK, Chun Il").parts.len(), 3);
        assert_eq!(roles("CHO, Il-U").len(), 3);
    }

    #[test]
    fn short_names_are_counted_by_spelling_long_ones_by_skeleton() {
        let part = |s: &str| PersonName::parse(s).parts[0].clone();
        let (reid, reed) = (part("Reid"), part("Reed"));
        assert_eq!(reid.stat_key(), reed.stat_key());
        assert_ne!(reid.freq_key(), reed.freq_key());
        let (a, b) = (part("Muhammad"), part("Mohammed"));
        assert_eq!(a.freq_key(), b.freq_key());
    }

    #[test]
    fn fold_name_removes_marks() {
        assert_eq!(fold_name("Abd-al-Ra’uf"), "abd al rauf");
    }

    proptest::proptest! {
        #[test]
        fn parsing_never_panics(s in "\\PC{0,40}") {
            let p = PersonName::parse(&s);
            let _ = p.normalized();
            let _ = crate::compare::blocking_keys(&p);
        }

        #[test]
        fn parsing_mixed_name_material_never_panics(s in "[ a-zA-Z'’\\-.,أبومحدلصريعالله]{0,30}") {
            let p = PersonName::parse(&s);
            let q = PersonName::parse("Abu Muhammad al-Masri");
            let m = crate::compare::compare(&p, &q, &crate::compare::PartStats::new());
            proptest::prop_assert!((0.0..=1.0).contains(&m.score));
        }
    }

    #[test]
    fn a_lower_case_word_in_front_is_not_part_of_the_name() {
        // Made-up names: "the trade bill Pollard signed".
        let n = PersonName::parse("bill Pollard");
        let cores: Vec<&str> = n.parts.iter().map(|p| p.core.as_str()).collect();
        assert_eq!(cores, ["pollard"]);
        // Particles written in lower case stay.
        for (name, word) in [
            ("Piet van Dorne", "van"),
            ("van Dorne", "van"),
            ("bin Hadur", "bin"),
            ("abu Karim", "abu"),
            ("al-Farzi", "al"),
        ] {
            let n = PersonName::parse(name);
            let texts: Vec<String> = n.parts.iter().map(|p| p.text.to_lowercase()).collect();
            assert!(texts.iter().any(|t| t.contains(word)), "{name}: {texts:?}");
        }
    }
}
