//! Pairwise predicates for linking facts across documents, as pure
//! functions: which telling of an event is more factual, what a claim says
//! of an event it reports, whether an answer contradicts what it answers,
//! and whether two claims say the same thing.

use crate::types::{ClaimMention, EventMention, Verdict};
use crate::words::{self, List};
use dossier_core::{ClaimKind, Modality, Polarity, Stance};
use std::collections::{HashMap, HashSet};
use std::sync::OnceLock;

/// Whether `a` tells an event as more plainly having happened than `b`:
/// asserted, reported, future, planned, sought, hypothetical, denied.
pub fn more_factual(a: Modality, b: Modality) -> bool {
    fn order(m: Modality) -> u8 {
        match m {
            Modality::Asserted => 0,
            Modality::Reported => 1,
            Modality::Future => 2,
            Modality::Planned => 3,
            Modality::Sought => 4,
            Modality::Hypothetical => 5,
            Modality::Denied => 6,
        }
    }
    order(a) < order(b)
}

/// What a claim says of an event it reports: that it happened, that it did
/// not, or neither (not confirmed, planned, hypothetical ...). `event` is
/// the mention inside the claim, whose modality already folds in the
/// claim's stance (a denied claim's events are denied).
pub fn stance_toward_event(claim: &ClaimMention, event: &EventMention) -> Option<Polarity> {
    if claim.stance == Stance::NotConfirmed {
        return None;
    }
    // An event only named in passing ("the architect of the September 11
    // attacks", "necessary for those attacks") is not what the claim says;
    // "Israeli agents carried out the killing" is.
    let bare_anaphor = event.anaphoric && event.args.is_empty();
    if event.trigger_is_noun && (bare_anaphor || event.background || event.named_date.is_some()) {
        return None;
    }
    match event.modality {
        Modality::Denied => Some(Polarity::Deny),
        m if m.happened() => Some(Polarity::Assert),
        _ => None,
    }
}

/// Whether two claims' stances toward the same event disagree (`Some(false)`
/// agree, `None` when either does not take a side).
pub fn disagree(a: Option<Polarity>, b: Option<Polarity>) -> Option<bool> {
    Some(a? != b?)
}

/// Whether two dates that name events ("the September 11 attacks", "the
/// 9/11 bombings", "the attacks of Sept. 11, 2001") name the same day:
/// month and day equal, years equal or unknown (`XXXX`).
pub fn same_named_date(a: &str, b: &str) -> bool {
    let split = |v: &str| -> Option<(String, String)> {
        let (y, md) = v.split_once('-')?;
        (md.len() == 5).then(|| (y.to_string(), md.to_string()))
    };
    match (split(a), split(b)) {
        (Some((ya, ma)), Some((yb, mb))) => ma == mb && (ya == yb || ya == "XXXX" || yb == "XXXX"),
        _ => false,
    }
}

/// Whether an answer ("The Taliban deny the claim", "Zarif said they were
/// lies") contradicts the claim it answers. A non-confirmation ("could not
/// confirm those reports") never does, and nothing contradicts a claim
/// that itself takes no side.
pub fn answer_contradicts(answer: &ClaimMention, answered: &ClaimMention) -> bool {
    if answered.stance == Stance::NotConfirmed || answer.stance == Stance::NotConfirmed {
        return false;
    }
    answer.stance == Stance::Deny || answer.verdict == Some(Verdict::False)
}

fn thresholds() -> &'static HashMap<&'static str, f64> {
    static TABLE: OnceLock<HashMap<&'static str, f64>> = OnceLock::new();
    TABLE.get_or_init(|| {
        include_str!("../data/thresholds.tsv")
            .lines()
            .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
            .filter_map(|l| {
                let (k, v) = l.split_once('\t')?;
                Some((k.trim(), v.trim().parse().ok()?))
            })
            .collect()
    })
}

/// A threshold from `data/thresholds.tsv`; a missing one never matches.
fn threshold(name: &str) -> f64 {
    thresholds().get(name).copied().unwrap_or(f64::INFINITY)
}

/// The content words of a statement: lower case, without stopwords.
pub fn content_words(text: &str) -> HashSet<String> {
    text.split(|c: char| !c.is_alphanumeric() && c != '-')
        .map(|w| w.trim_matches('-').to_lowercase())
        .filter(|w| !w.is_empty() && !words::has(List::Stopword, w))
        .collect()
}

/// How much of the shorter statement the longer one contains (0..=1), and
/// the shorter one's size in content words.
pub fn containment(a: &str, b: &str) -> (f64, usize) {
    let (wa, wb) = (content_words(a), content_words(b));
    let (small, large) = if wa.len() <= wb.len() {
        (&wa, &wb)
    } else {
        (&wb, &wa)
    };
    if small.is_empty() {
        return (0.0, 0);
    }
    let shared = small.iter().filter(|w| large.contains(*w)).count();
    (shared as f64 / small.len() as f64, small.len())
}

/// Whether two claims say the same thing: the same quotation or a close
/// paraphrase. `same_speaker` is the caller's answer to "are their speakers
/// the same entity?" (`None` when either is unknown): different speakers
/// never make the same claim; unknown ones only with the same quotation
/// nearly word for word.
pub fn same_statement(a: &ClaimMention, b: &ClaimMention, same_speaker: Option<bool>) -> bool {
    if a.stance != b.stance {
        return false;
    }
    let (share, size) = containment(&a.span.text, &b.span.text);
    match same_speaker {
        Some(false) => false,
        Some(true) => {
            share >= threshold("same_statement_containment")
                && size as f64 >= threshold("same_statement_min_words")
        }
        None => {
            a.kind == ClaimKind::Quote
                && b.kind == ClaimKind::Quote
                && share >= threshold("same_quote_containment")
                && size as f64 >= threshold("same_quote_min_words")
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testutil::facts;

    fn claim(text: &str) -> ClaimMention {
        let f = facts(text);
        f.claims.into_iter().next().expect("a claim")
    }

    #[test]
    fn factual_order() {
        assert!(more_factual(Modality::Asserted, Modality::Reported));
        assert!(more_factual(Modality::Reported, Modality::Sought));
        assert!(!more_factual(Modality::Denied, Modality::Hypothetical));
    }

    #[test]
    fn named_dates() {
        assert!(same_named_date("XXXX-09-11", "2001-09-11"));
        assert!(same_named_date("2001-09-11", "2001-09-11"));
        assert!(!same_named_date("2001-09-11", "2002-09-11"));
        assert!(!same_named_date("XXXX-03-11", "XXXX-09-11"));
        assert!(!same_named_date("2001", "2001"));
    }

    #[test]
    fn answers() {
        let f = facts(
            "Officials said the convoy was attacked near Homs. The militia rejected the accusation.",
        );
        assert!(answer_contradicts(&f.claims[1], &f.claims[0]));
        let f = facts(
            "Two officials said the commander was killed. The officials could not confirm those reports.",
        );
        let weak = f
            .claims
            .iter()
            .find(|c| c.stance == Stance::NotConfirmed)
            .expect("a non-confirmation");
        assert!(!answer_contradicts(weak, &f.claims[0]));
    }

    #[test]
    fn events_in_claims() {
        let f = facts("The Northern Front denied that its fighters had attacked the convoy.");
        let e = &f.events[f.claims[0].about_events[0]];
        assert_eq!(stance_toward_event(&f.claims[0], e), Some(Polarity::Deny));
        let f = facts("The ministry said that the convoy had been attacked near Homs.");
        let e = &f.events[f.claims[0].about_events[0]];
        assert_eq!(stance_toward_event(&f.claims[0], e), Some(Polarity::Assert));
        assert_eq!(
            disagree(Some(Polarity::Assert), Some(Polarity::Deny)),
            Some(true)
        );
        assert_eq!(disagree(None, Some(Polarity::Deny)), None);
    }

    #[test]
    fn same_quotation_in_two_articles() {
        let a = claim("“The axis poses a grave threat to the security of nations and to the American homeland itself, and we are taking action,” Omar Zaki said.");
        let b = claim("Omar Zaki said: “The axis poses a grave threat to the security of nations and to the American homeland itself, and we are taking action.”");
        assert!(same_statement(&a, &b, Some(true)));
        assert!(same_statement(&a, &b, None));
        assert!(!same_statement(&a, &b, Some(false)));
        // A shorter part of it, by the same speaker, is the same statement;
        // by unknown speakers, too short to tell.
        let short =
            claim("Omar Zaki said: “The axis poses a grave threat to the security of nations.”");
        assert!(same_statement(&a, &short, Some(true)));
        assert!(!same_statement(&a, &short, None));
        let c = claim("Omar Zaki said the port will reopen on Monday after the storm.");
        assert!(!same_statement(&a, &c, Some(true)));
    }
}
