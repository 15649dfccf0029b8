//! spaCy's non-monotonic arc-eager transition system (`arc_eager.pyx`,
//! `_state.pxd`), for greedy decoding of a document without preset
//! annotation.
//!
//! Moves: SHIFT (0), REDUCE (1), LEFT (2), RIGHT (3), BREAK (4). BREAK marks
//! the second buffer word as a sentence start, after which no arc may cross
//! it. A REDUCE of a word without a head puts it back on the buffer
//! ("unshift") and marks it so it cannot be shifted again.
//!
//! One spaCy detail is kept on purpose: when an arc is replaced, the old arc
//! is only removed from its head's child list if it is the list's last
//! entry (spaCy's removal otherwise edits a copy). Child lookups (`L`, `R`)
//! therefore see exactly what spaCy's do.

use super::moves::Action;
use super::parser::System;

pub const SHIFT: u8 = 0;
pub const REDUCE: u8 = 1;
pub const LEFT: u8 = 2;
pub const RIGHT: u8 = 3;
pub const BREAK: u8 = 4;

/// Parser state for one document.
#[derive(Debug, Default)]
pub struct State {
    length: i32,
    stack: Vec<i32>,
    rebuffer: Vec<i32>,
    b_i: i32,
    /// Head of each token, -1 for none.
    pub heads: Vec<i32>,
    /// Action index whose label the token's arc carries.
    pub labels: Vec<u16>,
    /// Children by head, in the order the arcs were added.
    left_arcs: Vec<Vec<i32>>,
    right_arcs: Vec<Vec<i32>>,
    unshiftable: Vec<bool>,
    sent_starts: Vec<bool>,
}

impl State {
    fn reset(&mut self, n: usize) {
        self.length = n as i32;
        self.stack.clear();
        self.rebuffer.clear();
        self.b_i = 0;
        self.heads.clear();
        self.heads.resize(n, -1);
        self.labels.clear();
        self.labels.resize(n, 0);
        for v in [&mut self.left_arcs, &mut self.right_arcs] {
            v.iter_mut().for_each(Vec::clear);
            v.resize_with(n.max(v.len()), Vec::new);
        }
        self.unshiftable.clear();
        self.unshiftable.resize(n, false);
        self.sent_starts.clear();
        self.sent_starts.resize(n, false);
    }

    fn s(&self, i: usize) -> i32 {
        if i >= self.stack.len() {
            -1
        } else {
            self.stack[self.stack.len() - 1 - i]
        }
    }

    fn b(&self, i: usize) -> i32 {
        if i < self.rebuffer.len() {
            self.rebuffer[self.rebuffer.len() - 1 - i]
        } else {
            let b = self.b_i + (i - self.rebuffer.len()) as i32;
            if b >= self.length {
                -1
            } else {
                b
            }
        }
    }

    fn buffer_length(&self) -> i32 {
        (self.length - self.b_i) + self.rebuffer.len() as i32
    }

    fn nth_child(arcs: &[Vec<i32>], head: i32, idx: usize) -> i32 {
        if head < 0 || idx < 1 {
            return -1;
        }
        match arcs.get(head as usize) {
            Some(children) if children.len() >= idx => children[children.len() - idx],
            _ => -1,
        }
    }

    fn l(&self, head: i32, idx: usize) -> i32 {
        Self::nth_child(&self.left_arcs, head, idx)
    }

    fn r(&self, head: i32, idx: usize) -> i32 {
        Self::nth_child(&self.right_arcs, head, idx)
    }

    fn is_sent_start(&self, word: i32) -> bool {
        word >= 0 && word < self.length && self.sent_starts[word as usize]
    }

    fn has_head(&self, word: i32) -> bool {
        self.heads[word as usize] >= 0
    }

    fn push(&mut self) {
        let b0 = match self.rebuffer.pop() {
            Some(b) => b,
            None => {
                let b = self.b_i;
                self.b_i += 1;
                b
            }
        };
        self.stack.push(b0);
    }

    fn pop(&mut self) {
        self.stack.pop();
    }

    fn unshift(&mut self) {
        if let Some(s0) = self.stack.pop() {
            self.unshiftable[s0 as usize] = true;
            self.rebuffer.push(s0);
        }
    }

    fn add_arc(&mut self, head: i32, child: i32, label: u16) {
        let old = self.heads[child as usize];
        if old >= 0 {
            let list = if old > child {
                &mut self.left_arcs[old as usize]
            } else {
                &mut self.right_arcs[old as usize]
            };
            if list.last() == Some(&child) {
                list.pop();
            }
        }
        if head > child {
            self.left_arcs[head as usize].push(child);
        } else {
            self.right_arcs[head as usize].push(child);
        }
        self.heads[child as usize] = head;
        self.labels[child as usize] = label;
    }

    fn is_final(&self) -> bool {
        self.stack.is_empty() && self.buffer_length() == 0
    }
}

/// The arc-eager system with the model's actions.
#[derive(Debug, Clone)]
pub struct ArcEager {
    pub actions: Vec<Action>,
}

impl ArcEager {
    fn valid_moves(st: &State) -> [bool; 5] {
        let depth = st.stack.len();
        let buf = st.buffer_length();
        let b0 = st.b(0);
        let shift = if depth == 0 {
            true
        } else {
            !(buf < 2 || st.is_sent_start(b0) || st.unshiftable[b0 as usize])
        };
        // No token is preset as "cannot start a sentence", so a non-empty
        // stack can always be reduced.
        let reduce = depth > 0;
        let arc = depth > 0 && buf > 0 && !st.is_sent_start(b0);
        let brk = buf >= 2 && st.b(1) == b0 + 1 && !st.is_sent_start(st.b(1));
        [shift, reduce, arc, arc, brk]
    }
}

impl System for ArcEager {
    type State = State;
    const N_FEATS: usize = 8;

    fn n_actions(&self) -> usize {
        self.actions.len()
    }

    fn init(&self, n: usize, st: &mut State) {
        st.reset(n);
    }

    fn is_final(&self, st: &State) -> bool {
        st.is_final()
    }

    fn features(&self, st: &State, ids: &mut [i32]) {
        let b0 = st.b(0);
        let s0 = st.s(0);
        ids[0] = b0;
        ids[1] = st.b(1);
        ids[2] = s0;
        ids[3] = st.s(1);
        ids[4] = st.s(2);
        ids[5] = st.l(b0, 1);
        ids[6] = st.l(s0, 1);
        ids[7] = st.r(s0, 1);
    }

    fn set_valid(&self, st: &State, valid: &mut [bool]) {
        let moves = Self::valid_moves(st);
        for (v, a) in valid.iter_mut().zip(&self.actions) {
            *v = moves[a.mv as usize];
        }
    }

    fn apply(&self, st: &mut State, action: usize) {
        let mv = self.actions[action].mv;
        match mv {
            SHIFT => st.push(),
            REDUCE => {
                if st.has_head(st.s(0)) || st.stack.len() == 1 {
                    st.pop();
                } else {
                    st.unshift();
                }
            }
            LEFT => {
                let (b0, s0) = (st.b(0), st.s(0));
                st.add_arc(b0, s0, action as u16);
                // Changing the stack lets B0 be shifted again.
                st.unshiftable[b0 as usize] = false;
                st.pop();
            }
            RIGHT => {
                let (s0, b0) = (st.s(0), st.b(0));
                st.add_arc(s0, b0, action as u16);
                st.push();
            }
            _ => {
                let b1 = st.b(1);
                if b1 >= 0 {
                    st.sent_starts[b1 as usize] = true;
                }
            }
        }
    }

    fn force_final(&self, st: &mut State) {
        st.stack.clear();
        st.rebuffer.clear();
        st.b_i = st.length;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn system() -> ArcEager {
        let mk = |mv, label: &str| Action {
            mv,
            label: label.to_string(),
        };
        ArcEager {
            actions: vec![
                mk(SHIFT, ""),
                mk(REDUCE, ""),
                mk(LEFT, "nsubj"),
                mk(RIGHT, "dobj"),
                mk(BREAK, "ROOT"),
            ],
        }
    }

    #[test]
    fn parses_a_simple_transition_sequence() {
        // "she saw it": shift she; left nsubj(saw->she); shift saw; right dobj(saw->it); reduce; reduce
        let sys = system();
        let mut st = State::default();
        sys.init(3, &mut st);
        let mut valid = vec![false; 5];
        sys.set_valid(&st, &mut valid);
        assert_eq!(valid, vec![true, false, false, false, true]);
        sys.apply(&mut st, 0);
        sys.apply(&mut st, 2);
        assert_eq!(st.heads, vec![1, -1, -1]);
        sys.apply(&mut st, 0);
        sys.apply(&mut st, 3);
        assert_eq!(st.heads, vec![1, -1, 1]);
        let mut ids = [0; 8];
        sys.features(&st, &mut ids);
        assert_eq!(ids, [-1, -1, 2, 1, -1, -1, -1, -1]);
        sys.apply(&mut st, 1);
        sys.apply(&mut st, 1);
        assert!(sys.is_final(&st));
        assert_eq!(st.labels[0], 2);
        assert_eq!(st.labels[2], 3);
    }

    #[test]
    fn break_blocks_arcs_into_the_next_sentence() {
        let sys = system();
        let mut st = State::default();
        sys.init(4, &mut st);
        sys.apply(&mut st, 0); // stack [0], buffer 1 2 3
        sys.apply(&mut st, 4); // B(1) = 2 starts a sentence
        let mut valid = vec![false; 5];
        sys.apply(&mut st, 3); // right arc 0 -> 1, stack [0, 1], buffer 2 3
        sys.set_valid(&st, &mut valid);
        // B0 = 2 starts a sentence: no arcs and no shift; reduce, or mark
        // 3 as a further sentence start.
        assert_eq!(valid, vec![false, true, false, false, true]);
    }

    #[test]
    fn reduce_without_head_unshifts() {
        let sys = system();
        let mut st = State::default();
        sys.init(3, &mut st);
        sys.apply(&mut st, 0); // [0]
        sys.apply(&mut st, 0); // [0 1]
        sys.apply(&mut st, 1); // 1 has no head, stack depth 2: back to buffer
        assert_eq!(st.b(0), 1);
        assert!(st.unshiftable[1]);
        let mut valid = vec![false; 5];
        sys.set_valid(&st, &mut valid);
        assert!(!valid[0], "an unshifted word cannot be shifted again");
    }
}
