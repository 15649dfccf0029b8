//! Sums of money on rewards, sanctions and fines: "a $10 million reward",
//! "a reward of $7 million", read from the parse's `MONEY` entities and
//! turned into a value and an ISO 4217 currency (`data/currency.tsv`).

use crate::extract::Ex;
use crate::types::{AmountMention, EventType};
use std::collections::HashMap;
use std::sync::OnceLock;

fn currencies() -> &'static HashMap<&'static str, &'static str> {
    static TABLE: OnceLock<HashMap<&'static str, &'static str>> = OnceLock::new();
    TABLE.get_or_init(|| {
        include_str!("../data/currency.tsv")
            .lines()
            .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
            .filter_map(|l| l.split_once('\t'))
            .map(|(w, code)| (w.trim(), code.trim()))
            .collect()
    })
}

/// Multiplier words: "million", "bn", "k".
fn multiplier(word: &str) -> Option<u64> {
    Some(match word {
        "thousand" | "k" => 1_000,
        "million" | "millions" | "mln" | "mn" | "m" => 1_000_000,
        "billion" | "billions" | "bln" | "bn" | "b" => 1_000_000_000,
        "trillion" | "tn" => 1_000_000_000_000,
        _ => return None,
    })
}

/// A decimal number times a multiplier, exactly: "2.5" × 10⁶ = 2500000.
/// `None` on overflow or when the fraction is finer than the multiplier.
fn scaled(number: &str, mult: u64) -> Option<u64> {
    let digits: String = number.chars().filter(|c| *c != ',').collect();
    let (int, frac) = digits.split_once('.').unwrap_or((&digits, ""));
    if int.is_empty() && frac.is_empty() {
        return None;
    }
    let int: u64 = if int.is_empty() { 0 } else { int.parse().ok()? };
    let mut value = int.checked_mul(mult)?;
    let mut unit = mult;
    for d in frac.chars() {
        unit /= 10;
        let d = d.to_digit(10)? as u64;
        if unit == 0 {
            // Below one unit of currency: cents are dropped, not guessed.
            break;
        }
        value = value.checked_add(d.checked_mul(unit)?)?;
    }
    Some(value)
}

/// Value and currency of a sum as written: "$10 million" → (10000000,
/// USD), "£5m", "7 million dollars", "US$2.5bn".
pub fn parse_money(text: &str) -> (Option<u64>, Option<String>) {
    let table = currencies();
    let lower = text.to_lowercase();
    let mut currency: Option<String> = None;
    let mut number: Option<String> = None;
    let mut mult: u64 = 1;
    // Split into runs of digits and runs of other characters, so "$10m" is
    // "$", "10", "m".
    let mut pieces: Vec<String> = Vec::new();
    for word in lower.split_whitespace() {
        let mut cur = String::new();
        let mut numeric = false;
        for ch in word.chars() {
            let is_num = ch.is_ascii_digit() || ((ch == '.' || ch == ',') && numeric);
            if !cur.is_empty() && is_num != numeric {
                pieces.push(std::mem::take(&mut cur));
            }
            numeric = is_num;
            cur.push(ch);
        }
        if !cur.is_empty() {
            pieces.push(cur);
        }
    }
    for p in &pieces {
        let p = p.trim_matches(|c: char| c == ',' || c == '.' || c == '(' || c == ')');
        if p.is_empty() {
            continue;
        }
        if p.starts_with(|c: char| c.is_ascii_digit()) {
            if number.is_none() {
                number = Some(p.to_string());
            }
        } else if let Some(m) = multiplier(p).filter(|_| number.is_some()) {
            mult = mult.saturating_mul(m);
        } else if let Some(code) = table.get(p) {
            currency.get_or_insert_with(|| code.to_string());
        }
    }
    let value = number.and_then(|n| scaled(&n, mult));
    (value, currency)
}

/// The sum offered, imposed or paid in an event of type `kind` at token `i`.
pub(crate) fn of_event(ex: &Ex, i: usize, kind: EventType) -> Option<AmountMention> {
    if !matches!(
        kind,
        EventType::Reward | EventType::Sanction | EventType::Charge
    ) {
        return None;
    }
    let c = &ex.c;
    let is_money = |t: usize| c.ent_label(t) == Some("MONEY");
    // In the trigger's own phrase ("a $10 million reward", "a reward of $7
    // million"), else beside it under its verb ("offered $5 million as a
    // reward"), never in a clause of its own.
    let own = c.subtree(i);
    let mut at = own.clone().find(|&t| is_money(t));
    if at.is_none() && matches!(c.dep(i), "dobj" | "pobj" | "nsubjpass") {
        let v = c.head(i);
        at = c.children[v]
            .iter()
            .filter(|&&k| matches!(c.dep(k), "dobj" | "prep" | "npadvmod"))
            .flat_map(|&k| c.subtree(k))
            .find(|&t| is_money(t));
    }
    let e = c.ent(at?)?;
    let span = ex.span_bytes(e.start..e.end);
    let (value, currency) = parse_money(&span.text);
    Some(AmountMention {
        span,
        value,
        currency,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testutil::facts;
    use proptest::prelude::*;

    #[test]
    fn sums_as_written() {
        assert_eq!(
            parse_money("$10 million"),
            (Some(10_000_000), Some("USD".into()))
        );
        assert_eq!(parse_money("£5m"), (Some(5_000_000), Some("GBP".into())));
        assert_eq!(
            parse_money("US$2.5bn"),
            (Some(2_500_000_000), Some("USD".into()))
        );
        assert_eq!(
            parse_money("7 million dollars"),
            (Some(7_000_000), Some("USD".into()))
        );
        assert_eq!(parse_money("€1,200"), (Some(1200), Some("EUR".into())));
        assert_eq!(
            parse_money("millions of dollars"),
            (None, Some("USD".into()))
        );
        assert_eq!(parse_money("12.75"), (Some(12), None));
    }

    #[test]
    fn rewards_carry_their_sum() {
        let f = facts(
            "The State Department offered a reward of $5 million for information on Samir Qasim.",
        );
        let r = f
            .events
            .iter()
            .find(|e| e.kind == EventType::Reward)
            .expect("reward");
        let a = r.amount.as_ref().expect("amount");
        assert_eq!(a.span.text, "$5 million");
        assert_eq!(a.value, Some(5_000_000));
        assert_eq!(a.currency.as_deref(), Some("USD"));
    }

    proptest! {
        #[test]
        fn never_panics(s in "\\PC{0,40}") {
            let _ = parse_money(&s);
        }

        #[test]
        fn whole_sums_round_trip(n in 0u64..1_000_000, m in 0usize..4) {
            let (word, mult) = [("", 1u64), (" thousand", 1_000), (" million", 1_000_000), (" billion", 1_000_000_000)][m];
            let (v, cur) = parse_money(&format!("${n}{word}"));
            prop_assert_eq!(v, Some(n * mult));
            prop_assert_eq!(cur.as_deref(), Some("USD"));
        }

        #[test]
        fn fractions_scale_exactly(a in 0u64..1000, b in 0u64..10) {
            let (v, _) = parse_money(&format!("€{a}.{b} million"));
            prop_assert_eq!(v, Some(a * 1_000_000 + b * 100_000));
        }
    }
}
