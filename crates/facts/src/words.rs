//! Word lists of the extractors, read once from `data/words.tsv` (one
//! `list<TAB>word` per line). The parse decides how a word is used; a list
//! only says what it can mean.

use std::collections::{HashMap, HashSet};
use std::sync::OnceLock;

/// The lists of `data/words.tsv`, by the name used there.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum List {
    HedgeWord,
    AttributionAdverb,
    HedgeModal,
    DenialCue,
    ConfirmCue,
    RefusalVerb,
    NoCommentVerb,
    Falsehood,
    Truth,
    HedgingRaiser,
    AnonymousSource,
    DocumentSource,
    IndefiniteDet,
    Planned,
    Sought,
    SoughtKind,
    FutureAux,
    FutureRaiser,
    FutureGovernor,
    HypotheticalGovernor,
    HypotheticalModal,
    HypotheticalModifier,
    ReportedModifier,
    PlannedModifier,
    Stopword,
    ObjectControl,
    Implicative,
    TimeMark,
    FutureTime,
    NonViolentModifier,
    AbstractTarget,
    QuantifierPronoun,
    Site,
    AccidentModifier,
    BookedCharge,
    LabourContext,
    PresupposingNoun,
    IntroducingNoun,
    SpeechCue,
    BeliefCue,
    CueNoun,
    LeaderRole,
    MemberRole,
    HeldRole,
    ParentNoun,
    Weapon,
    PartNoun,
    AreaNoun,
}

impl List {
    const ALL: [List; 48] = [
        List::HedgeWord,
        List::AttributionAdverb,
        List::HedgeModal,
        List::DenialCue,
        List::ConfirmCue,
        List::RefusalVerb,
        List::NoCommentVerb,
        List::Falsehood,
        List::Truth,
        List::HedgingRaiser,
        List::AnonymousSource,
        List::DocumentSource,
        List::IndefiniteDet,
        List::Planned,
        List::Sought,
        List::SoughtKind,
        List::FutureAux,
        List::FutureRaiser,
        List::FutureGovernor,
        List::HypotheticalGovernor,
        List::HypotheticalModal,
        List::HypotheticalModifier,
        List::ReportedModifier,
        List::PlannedModifier,
        List::Stopword,
        List::ObjectControl,
        List::Implicative,
        List::TimeMark,
        List::FutureTime,
        List::NonViolentModifier,
        List::AbstractTarget,
        List::QuantifierPronoun,
        List::Site,
        List::AccidentModifier,
        List::BookedCharge,
        List::LabourContext,
        List::PresupposingNoun,
        List::IntroducingNoun,
        List::SpeechCue,
        List::BeliefCue,
        List::CueNoun,
        List::LeaderRole,
        List::MemberRole,
        List::HeldRole,
        List::ParentNoun,
        List::Weapon,
        List::PartNoun,
        List::AreaNoun,
    ];

    fn name(self) -> &'static str {
        match self {
            List::HedgeWord => "hedge_word",
            List::AttributionAdverb => "attribution_adverb",
            List::HedgeModal => "hedge_modal",
            List::DenialCue => "denial_cue",
            List::ConfirmCue => "confirm_cue",
            List::RefusalVerb => "refusal_verb",
            List::NoCommentVerb => "no_comment_verb",
            List::Falsehood => "falsehood",
            List::Truth => "truth",
            List::HedgingRaiser => "hedging_raiser",
            List::AnonymousSource => "anonymous_source",
            List::DocumentSource => "document_source",
            List::IndefiniteDet => "indefinite_det",
            List::Planned => "planned",
            List::Sought => "sought",
            List::SoughtKind => "sought_kind",
            List::FutureAux => "future_aux",
            List::FutureRaiser => "future_raiser",
            List::FutureGovernor => "future_governor",
            List::HypotheticalGovernor => "hypothetical_governor",
            List::HypotheticalModal => "hypothetical_modal",
            List::HypotheticalModifier => "hypothetical_modifier",
            List::ReportedModifier => "reported_modifier",
            List::PlannedModifier => "planned_modifier",
            List::Stopword => "stopword",
            List::ObjectControl => "object_control",
            List::Implicative => "implicative",
            List::TimeMark => "time_mark",
            List::FutureTime => "future_time",
            List::NonViolentModifier => "non_violent_modifier",
            List::AbstractTarget => "abstract_target",
            List::QuantifierPronoun => "quantifier_pronoun",
            List::Site => "site",
            List::AccidentModifier => "accident_modifier",
            List::BookedCharge => "booked_charge",
            List::LabourContext => "labour_context",
            List::PresupposingNoun => "presupposing_noun",
            List::IntroducingNoun => "introducing_noun",
            List::SpeechCue => "speech_cue",
            List::BeliefCue => "belief_cue",
            List::CueNoun => "cue_noun",
            List::LeaderRole => "leader_role",
            List::MemberRole => "member_role",
            List::HeldRole => "held_role",
            List::ParentNoun => "parent_noun",
            List::Weapon => "weapon",
            List::PartNoun => "part_noun",
            List::AreaNoun => "area_noun",
        }
    }

    fn parse(name: &str) -> Option<List> {
        List::ALL.into_iter().find(|l| l.name() == name)
    }
}

const DATA: &str = include_str!("../data/words.tsv");

/// The entries of a list file, and the lines it could not read (1-based).
fn read(data: &str) -> (HashSet<(List, String)>, Vec<usize>) {
    let mut set = HashSet::new();
    let mut bad = Vec::new();
    for (n, line) in data.lines().enumerate() {
        let line = line.trim_end();
        if line.trim().is_empty() || line.starts_with('#') {
            continue;
        }
        match line
            .split_once('\t')
            .and_then(|(l, w)| Some((List::parse(l)?, w)))
        {
            Some((list, word)) if !word.trim().is_empty() => {
                set.insert((list, word.trim().to_lowercase()));
            }
            _ => bad.push(n + 1),
        }
    }
    (set, bad)
}

fn table() -> &'static HashMap<List, HashSet<String>> {
    static TABLE: OnceLock<HashMap<List, HashSet<String>>> = OnceLock::new();
    TABLE.get_or_init(|| {
        let mut by_list: HashMap<List, HashSet<String>> = HashMap::new();
        for (list, word) in read(DATA).0 {
            by_list.entry(list).or_default().insert(word);
        }
        by_list
    })
}

/// Whether `word` (lower case) is on `list`.
pub fn has(list: List, word: &str) -> bool {
    table().get(&list).is_some_and(|words| words.contains(word))
}

/// The words on `list`, for tests of the lists themselves.
#[cfg(test)]
pub(crate) fn words(list: List) -> Vec<&'static String> {
    table()
        .get(&list)
        .map(|w| w.iter().collect())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_line_of_the_data_file_reads() {
        let (set, bad) = read(DATA);
        assert!(
            bad.is_empty(),
            "unreadable lines in data/words.tsv: {bad:?}"
        );
        for list in List::ALL {
            assert!(
                set.iter().any(|(l, _)| *l == list),
                "{} is empty",
                list.name()
            );
        }
    }

    #[test]
    fn lookups() {
        assert!(has(List::DenialCue, "deny"));
        assert!(!has(List::DenialCue, "confirm"));
        assert!(has(List::Sought, "warrant"));
        let (_, bad) = read("hedge_word\treportedly\nnot_a_list\tx\nhedge_word\n");
        assert_eq!(bad, vec![2, 3]);
    }
}
