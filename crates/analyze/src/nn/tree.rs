//! Dependency tree post-processing as spaCy does it on the `Doc`:
//! left/right edges and sentence starts (`set_children_from_heads`) and
//! pseudo-projective lifting undone (`nonproj.deprojectivize`).

/// Per-token tree data. Heads are absolute token indices (a root is its
/// own head).
#[derive(Debug, Default, Clone)]
pub struct Tree {
    pub heads: Vec<usize>,
    pub deps: Vec<String>,
    pub l_edge: Vec<usize>,
    pub r_edge: Vec<usize>,
    /// spaCy's `sent_start`: 1 starts a sentence, -1 does not.
    pub sent_start: Vec<i8>,
}

impl Tree {
    /// `set_children_from_heads(doc.c, 0, doc.length)`.
    pub fn set_children_from_heads(&mut self) {
        let n = self.heads.len();
        self.l_edge.clear();
        self.l_edge.extend(0..n);
        self.r_edge.clear();
        self.r_edge.extend(0..n);
        // spaCy's bounded retry for non-projective trees, whose edges need
        // several passes to settle.
        let mut loop_count = 0;
        while !self.set_edges() {
            if loop_count > 10 {
                break;
            }
            loop_count += 1;
        }
        self.sent_start.clear();
        self.sent_start.resize(n, -1);
        for i in 0..n {
            if self.heads[i] == i {
                self.sent_start[self.l_edge[i]] = 1;
            }
        }
    }

    /// One pass of `_set_lr_kids_and_edges`; true when every head lies
    /// within its sentence.
    fn set_edges(&mut self) -> bool {
        let n = self.heads.len();
        if n == 0 {
            return true;
        }
        for i in 0..n {
            let h = self.heads[i];
            if self.l_edge[i] < self.l_edge[h] {
                self.l_edge[h] = self.l_edge[i];
            }
            if self.r_edge[i] > self.r_edge[h] {
                self.r_edge[h] = self.r_edge[i];
            }
        }
        for i in (0..n).rev() {
            let h = self.heads[i];
            if self.r_edge[i] > self.r_edge[h] {
                self.r_edge[h] = self.r_edge[i];
            }
            if self.l_edge[i] < self.l_edge[h] {
                self.l_edge[h] = self.l_edge[i];
            }
        }
        let mut is_start = vec![false; n];
        for i in 0..n {
            if self.heads[i] == i {
                is_start[self.l_edge[i]] = true;
            }
        }
        let mut sent_start = 0;
        for (i, &starts) in is_start.iter().enumerate() {
            if (i > 0 && starts) || i == n - 1 {
                let sent_end = i;
                for j in sent_start..sent_end {
                    if self.heads[j] < sent_start || self.heads[j] > sent_end {
                        return false;
                    }
                }
                sent_start = i;
            }
        }
        true
    }

    /// `Token.children` of `q` as spaCy finds them: left children by
    /// scanning from its left edge, right children back from its right edge.
    fn children(&self, q: usize, out: &mut Vec<usize>) {
        out.clear();
        for p in self.l_edge[q]..q {
            if self.heads[p] == q {
                out.push(p);
            }
        }
        for p in q + 1..=self.r_edge[q] {
            if self.heads[p] == q {
                out.push(p);
            }
        }
    }

    /// `nonproj.deprojectivize`: re-attach each `label||headlabel` arc to
    /// the first descendant of its head (breadth-first, left to right,
    /// skipping whitespace tokens and the token itself) labelled
    /// `headlabel`, then recompute edges and sentence starts.
    pub fn deprojectivize(&mut self, is_space: &[bool]) {
        let n = self.heads.len();
        let mut queue = Vec::new();
        let mut next = Vec::new();
        let mut kids = Vec::new();
        for i in 0..n {
            let Some((new_label, head_label)) = split_decorated(&self.deps[i]) else {
                continue;
            };
            let (new_label, head_label) = (new_label.to_string(), head_label.to_string());
            let mut new_head = self.heads[i];
            queue.clear();
            queue.push(self.heads[i]);
            'search: while !queue.is_empty() {
                next.clear();
                for &q in &queue {
                    self.children(q, &mut kids);
                    for &child in &kids {
                        if is_space.get(child).copied().unwrap_or(false) || child == i {
                            continue;
                        }
                        if self.deps[child] == head_label {
                            new_head = child;
                            break 'search;
                        }
                        next.push(child);
                    }
                }
                std::mem::swap(&mut queue, &mut next);
            }
            self.heads[i] = new_head;
            self.deps[i] = new_label;
        }
        self.set_children_from_heads();
    }

    /// Sentence ranges as `Doc.sents` yields them.
    pub fn sentences(&self) -> Vec<std::ops::Range<usize>> {
        let n = self.heads.len();
        let mut out = Vec::new();
        let mut start = 0;
        for i in 1..n {
            if self.sent_start[i] == 1 {
                out.push(start..i);
                start = i;
            }
        }
        if start != n {
            out.push(start..n);
        }
        out
    }
}

/// `label.split("||")` into exactly two parts, as spaCy unpacks it.
fn split_decorated(label: &str) -> Option<(&str, &str)> {
    let (a, b) = label.split_once("||")?;
    if b.contains("||") {
        return None;
    }
    Some((a, b))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tree(heads: &[usize], deps: &[&str]) -> Tree {
        let mut t = Tree {
            heads: heads.to_vec(),
            deps: deps.iter().map(|s| s.to_string()).collect(),
            ..Tree::default()
        };
        t.set_children_from_heads();
        t
    }

    #[test]
    fn sentence_starts_from_root_left_edges() {
        // "A saw B . C ran ." two sentences.
        let t = tree(
            &[1, 1, 1, 1, 5, 5, 5],
            &["nsubj", "ROOT", "dobj", "punct", "nsubj", "ROOT", "punct"],
        );
        assert_eq!(t.sent_start, vec![1, -1, -1, -1, 1, -1, -1]);
        assert_eq!(t.sentences(), vec![0..4, 4..7]);
        assert_eq!(t.l_edge[1], 0);
        assert_eq!(t.r_edge[1], 3);
    }

    #[test]
    fn deprojectivize_lifts_back_to_labelled_descendant() {
        // Token 3 was lifted to the root (1) with label "prep||dobj"; the
        // dobj child of 1 is token 2, so 3 is re-attached there as "prep".
        let mut t = tree(&[1, 1, 1, 1], &["nsubj", "ROOT", "dobj", "prep||dobj"]);
        t.deprojectivize(&[false; 4]);
        assert_eq!(t.heads, vec![1, 1, 1, 2]);
        assert_eq!(t.deps[3], "prep");
    }

    #[test]
    fn deprojectivize_keeps_head_without_match() {
        let mut t = tree(&[1, 1, 1], &["nsubj", "ROOT", "prep||pobj"]);
        t.deprojectivize(&[false; 3]);
        assert_eq!(t.heads, vec![1, 1, 1]);
        assert_eq!(t.deps[2], "prep");
    }
}
