//! spaCy's BILUO entity transition system (`ner.pyx`) for greedy decoding
//! of a document without preset entities.
//!
//! Moves: BEGIN (1), IN (2), LAST (3), UNIT (4), OUT (5); each consumes one
//! token. Validity as in spaCy: an entity may not start on a whitespace
//! token, may not continue into a token that starts a sentence (sentence
//! starts come from the parser, when it ran), must be closed by LAST with
//! its own label, and BEGIN/IN need a following token.

use super::moves::Action;
use super::parser::System;

pub const BEGIN: u8 = 1;
pub const IN: u8 = 2;
pub const LAST: u8 = 3;
pub const UNIT: u8 = 4;
pub const OUT: u8 = 5;

/// An entity: token range and the action index that opened it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Ent {
    pub start: i32,
    /// -1 while open.
    pub end: i32,
    pub label: u16,
}

#[derive(Debug, Default)]
pub struct State {
    length: i32,
    b_i: i32,
    pub ents: Vec<Ent>,
    /// Per token: whitespace, and whether it starts a sentence.
    is_space: Vec<bool>,
    sent_start: Vec<bool>,
}

impl State {
    fn b(&self, i: i32) -> i32 {
        let b = self.b_i + i;
        if b >= self.length {
            -1
        } else {
            b
        }
    }

    fn buffer_length(&self) -> i32 {
        self.length - self.b_i
    }

    fn open_ent(&self) -> Option<&Ent> {
        self.ents.last().filter(|e| e.end == -1)
    }

    fn starts_sentence(&self, word: i32) -> bool {
        word >= 0 && self.sent_start[word as usize]
    }
}

/// The BILUO system with the model's actions. `labels[i]` is the entity
/// label of action `i` (shared by B/I/L/U of the same type).
#[derive(Debug, Clone)]
pub struct Biluo {
    pub actions: Vec<Action>,
}

impl Biluo {
    /// Prepares a state for `is_space.len()` tokens. `sent_start` marks
    /// tokens that begin a sentence (all false when no parser ran).
    pub fn begin(&self, is_space: &[bool], sent_start: &[bool], st: &mut State) {
        st.length = is_space.len() as i32;
        st.b_i = 0;
        st.ents.clear();
        st.is_space.clear();
        st.is_space.extend_from_slice(is_space);
        st.sent_start.clear();
        st.sent_start.extend_from_slice(sent_start);
        st.sent_start.resize(is_space.len(), false);
    }

    fn is_valid(&self, st: &State, a: &Action) -> bool {
        let b0 = st.b(0);
        let open = st.open_ent();
        let labelled = !a.label.is_empty();
        match a.mv {
            BEGIN => {
                open.is_none()
                    && st.buffer_length() >= 2
                    && labelled
                    && !st.starts_sentence(st.b(1))
                    && !st.is_space[b0 as usize]
            }
            IN => match open {
                Some(e) => {
                    st.buffer_length() >= 2
                        && labelled
                        && self.actions[e.label as usize].label == a.label
                        && !st.starts_sentence(st.b(1))
                }
                None => false,
            },
            LAST => match open {
                Some(e) => labelled && self.actions[e.label as usize].label == a.label,
                None => false,
            },
            // An unlabelled U is only for preset blocked tokens.
            UNIT => labelled && open.is_none() && !st.is_space[b0 as usize],
            OUT => open.is_none(),
            _ => false,
        }
    }
}

impl System for Biluo {
    type State = State;
    const N_FEATS: usize = 3;

    fn n_actions(&self) -> usize {
        self.actions.len()
    }

    fn init(&self, n: usize, st: &mut State) {
        // Callers use `begin`, which also sets the token flags.
        debug_assert_eq!(st.length as usize, n);
        st.b_i = 0;
        st.ents.clear();
    }

    fn is_final(&self, st: &State) -> bool {
        st.buffer_length() <= 0
    }

    fn features(&self, st: &State, ids: &mut [i32]) {
        let b0 = st.b(0);
        let e0 = st.open_ent().map_or(-1, |e| e.start);
        ids[0] = b0;
        ids[1] = e0;
        ids[2] = if b0 == -1 || e0 == -1 { -1 } else { b0 - 1 };
    }

    fn set_valid(&self, st: &State, valid: &mut [bool]) {
        for (v, a) in valid.iter_mut().zip(&self.actions) {
            *v = self.is_valid(st, a);
        }
    }

    fn apply(&self, st: &mut State, action: usize) {
        let b0 = st.b(0);
        match self.actions[action].mv {
            BEGIN => st.ents.push(Ent {
                start: b0,
                end: -1,
                label: action as u16,
            }),
            LAST => {
                if let Some(e) = st.ents.last_mut() {
                    e.end = b0 + 1;
                }
            }
            UNIT => st.ents.push(Ent {
                start: b0,
                end: b0 + 1,
                label: action as u16,
            }),
            _ => {}
        }
        st.b_i += 1;
    }

    fn force_final(&self, st: &mut State) {
        st.b_i = st.length;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn system() -> Biluo {
        let mk = |mv, label: &str| Action {
            mv,
            label: label.to_string(),
        };
        Biluo {
            actions: vec![
                mk(BEGIN, "ORG"),
                mk(IN, "ORG"),
                mk(LAST, "ORG"),
                mk(UNIT, "ORG"),
                mk(LAST, "GPE"),
                mk(UNIT, ""),
                mk(OUT, ""),
            ],
        }
    }

    fn valid(sys: &Biluo, st: &State) -> Vec<bool> {
        let mut v = vec![false; sys.actions.len()];
        sys.set_valid(st, &mut v);
        v
    }

    #[test]
    fn entity_must_close_with_its_label() {
        let sys = system();
        let mut st = State::default();
        sys.begin(&[false, false, false], &[], &mut st);
        assert_eq!(
            valid(&sys, &st),
            vec![true, false, false, true, false, false, true]
        );
        sys.apply(&mut st, 0);
        // Open ORG: I-ORG or L-ORG only.
        assert_eq!(
            valid(&sys, &st),
            vec![false, true, true, false, false, false, false]
        );
        sys.apply(&mut st, 1);
        // Last token: I is impossible, must close.
        assert_eq!(
            valid(&sys, &st),
            vec![false, false, true, false, false, false, false]
        );
        sys.apply(&mut st, 2);
        assert!(sys.is_final(&st));
        assert_eq!(
            st.ents,
            vec![Ent {
                start: 0,
                end: 3,
                label: 0
            }]
        );
    }

    #[test]
    fn whitespace_and_sentence_starts_constrain_entities() {
        let sys = system();
        let mut st = State::default();
        sys.begin(&[true, false, false], &[false, false, true], &mut st);
        // B0 is whitespace: no B or U.
        assert_eq!(
            valid(&sys, &st),
            vec![false, false, false, false, false, false, true]
        );
        sys.apply(&mut st, 6);
        // B1 starts a sentence: no B (the entity could not continue).
        assert_eq!(
            valid(&sys, &st),
            vec![false, false, false, true, false, false, true]
        );
        let mut ids = [0; 3];
        sys.features(&st, &mut ids);
        assert_eq!(ids, [1, -1, -1]);
    }
}
