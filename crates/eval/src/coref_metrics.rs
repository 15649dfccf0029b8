//! Coreference metrics as in the CoNLL-2012 reference scorer: MUC, B-cubed,
//! CEAF-e and their average. Clusters are sets of mention ids; key and
//! response may cover different mentions (a mention missing from one side
//! counts as a singleton there, as the reference scorer does).

use crate::metrics::f1;
use std::collections::{HashMap, HashSet};

#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Prf {
    pub p: f64,
    pub r: f64,
    pub f: f64,
}

impl Prf {
    pub fn new(p: f64, r: f64) -> Prf {
        Prf { p, r, f: f1(p, r) }
    }

    fn ratio(num_p: f64, den_p: f64, num_r: f64, den_r: f64) -> Prf {
        let p = if den_p > 0.0 { num_p / den_p } else { 0.0 };
        let r = if den_r > 0.0 { num_r / den_r } else { 0.0 };
        Prf::new(p, r)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct CorefScores {
    pub muc: Prf,
    pub b3: Prf,
    pub ceafe: Prf,
}

impl CorefScores {
    /// The CoNLL F1: mean of MUC, B-cubed and CEAF-e F1.
    pub fn conll(&self) -> f64 {
        (self.muc.f + self.b3.f + self.ceafe.f) / 3.0
    }
}

pub type Cluster = Vec<u64>;

pub fn score(key: &[Cluster], response: &[Cluster]) -> CorefScores {
    CorefScores {
        muc: muc(key, response),
        b3: b_cubed(key, response),
        ceafe: ceaf_e(key, response),
    }
}

fn membership(clusters: &[Cluster]) -> HashMap<u64, usize> {
    let mut m = HashMap::new();
    for (i, c) in clusters.iter().enumerate() {
        for &id in c {
            m.insert(id, i);
        }
    }
    m
}

/// Link-based MUC (Vilain et al. 1995).
pub fn muc(key: &[Cluster], response: &[Cluster]) -> Prf {
    let (rn, rd) = muc_side(key, response);
    let (pn, pd) = muc_side(response, key);
    Prf::ratio(pn, pd, rn, rd)
}

fn muc_side(a: &[Cluster], b: &[Cluster]) -> (f64, f64) {
    let of_b = membership(b);
    let mut num = 0.0;
    let mut den = 0.0;
    for c in a {
        if c.is_empty() {
            continue;
        }
        let mut parts: HashSet<Option<usize>> = HashSet::new();
        let mut unaligned = 0usize;
        for id in c {
            match of_b.get(id) {
                Some(&j) => {
                    parts.insert(Some(j));
                }
                None => unaligned += 1,
            }
        }
        let partitions = parts.len() + unaligned;
        num += (c.len() - partitions) as f64;
        den += (c.len() - 1) as f64;
    }
    (num, den)
}

/// Mention-based B-cubed (Bagga and Baldwin 1998).
pub fn b_cubed(key: &[Cluster], response: &[Cluster]) -> Prf {
    let (rn, rd) = b3_side(key, response);
    let (pn, pd) = b3_side(response, key);
    Prf::ratio(pn, pd, rn, rd)
}

fn b3_side(a: &[Cluster], b: &[Cluster]) -> (f64, f64) {
    let of_b = membership(b);
    let mut num = 0.0;
    let mut den = 0.0;
    for c in a {
        let mut overlap: HashMap<usize, usize> = HashMap::new();
        for id in c {
            if let Some(&j) = of_b.get(id) {
                *overlap.entry(j).or_default() += 1;
            }
        }
        let len = c.len() as f64;
        // Each mention of `c` contributes |c ∩ b_j| / |c|.
        for n in overlap.values() {
            num += (*n as f64) * (*n as f64) / len;
        }
        den += len;
    }
    (num, den)
}

/// Entity-based CEAF with φ4 similarity (Luo 2005).
pub fn ceaf_e(key: &[Cluster], response: &[Cluster]) -> Prf {
    let key: Vec<&Cluster> = key.iter().filter(|c| !c.is_empty()).collect();
    let resp: Vec<&Cluster> = response.iter().filter(|c| !c.is_empty()).collect();
    // Only clusters that share mentions can align; solve each connected
    // component of the overlap graph on its own.
    let of_resp = membership(&resp.iter().map(|c| (*c).clone()).collect::<Vec<_>>());
    let mut edges: Vec<Vec<usize>> = vec![Vec::new(); key.len()];
    for (i, c) in key.iter().enumerate() {
        let mut seen = HashSet::new();
        for id in c.iter() {
            if let Some(&j) = of_resp.get(id) {
                if seen.insert(j) {
                    edges[i].push(j);
                }
            }
        }
    }
    let mut resp_edges: Vec<Vec<usize>> = vec![Vec::new(); resp.len()];
    for (i, js) in edges.iter().enumerate() {
        for &j in js {
            resp_edges[j].push(i);
        }
    }
    let mut key_seen = vec![false; key.len()];
    let mut total = 0.0;
    for start in 0..key.len() {
        if key_seen[start] || edges[start].is_empty() {
            continue;
        }
        // Collect the component.
        let (mut ks, mut rs) = (Vec::new(), Vec::new());
        let mut resp_seen: HashSet<usize> = HashSet::new();
        let mut stack = vec![start];
        key_seen[start] = true;
        while let Some(i) = stack.pop() {
            ks.push(i);
            for &j in &edges[i] {
                if resp_seen.insert(j) {
                    rs.push(j);
                    for &i2 in &resp_edges[j] {
                        if !key_seen[i2] {
                            key_seen[i2] = true;
                            stack.push(i2);
                        }
                    }
                }
            }
        }
        let sim: Vec<Vec<f64>> = ks
            .iter()
            .map(|&i| rs.iter().map(|&j| phi4(key[i], resp[j])).collect())
            .collect();
        total += max_assignment(&sim);
    }
    Prf::ratio(total, resp.len() as f64, total, key.len() as f64)
}

fn phi4(a: &Cluster, b: &Cluster) -> f64 {
    let sa: HashSet<&u64> = a.iter().collect();
    let common = b.iter().filter(|x| sa.contains(x)).count();
    2.0 * common as f64 / (a.len() + b.len()) as f64
}

/// Maximum-weight assignment on a rectangular matrix (Hungarian method on
/// costs, padded to a square).
pub fn max_assignment(sim: &[Vec<f64>]) -> f64 {
    let rows = sim.len();
    let cols = sim.first().map_or(0, Vec::len);
    let n = rows.max(cols);
    if n == 0 {
        return 0.0;
    }
    let max = sim.iter().flatten().cloned().fold(0.0, f64::max);
    // cost[i][j] = max - sim, padding with `max` (similarity 0).
    let cost = |i: usize, j: usize| -> f64 {
        if i < rows && j < cols {
            max - sim[i][j]
        } else {
            max
        }
    };
    // Jonker-Volgenant style O(n^3) Hungarian with potentials (1-indexed).
    let inf = f64::INFINITY;
    let mut u = vec![0.0; n + 1];
    let mut v = vec![0.0; n + 1];
    let mut p = vec![0usize; n + 1];
    let mut way = vec![0usize; n + 1];
    for i in 1..=n {
        p[0] = i;
        let mut j0 = 0usize;
        let mut minv = vec![inf; n + 1];
        let mut used = vec![false; n + 1];
        loop {
            used[j0] = true;
            let i0 = p[j0];
            let mut delta = inf;
            let mut j1 = 0usize;
            for j in 1..=n {
                if !used[j] {
                    let cur = cost(i0 - 1, j - 1) - u[i0] - v[j];
                    if cur < minv[j] {
                        minv[j] = cur;
                        way[j] = j0;
                    }
                    if minv[j] < delta {
                        delta = minv[j];
                        j1 = j;
                    }
                }
            }
            for j in 0..=n {
                if used[j] {
                    u[p[j]] += delta;
                    v[j] -= delta;
                } else {
                    minv[j] -= delta;
                }
            }
            j0 = j1;
            if p[j0] == 0 {
                break;
            }
        }
        loop {
            let j1 = way[j0];
            p[j0] = p[j1];
            j0 = j1;
            if j0 == 0 {
                break;
            }
        }
    }
    let mut total = 0.0;
    for j in 1..=n {
        let i = p[j];
        if i >= 1 && i <= rows && j <= cols {
            total += sim[i - 1][j - 1];
        }
    }
    total
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < 1e-4
    }

    #[test]
    fn perfect_response_scores_one() {
        let key = vec![vec![1, 2, 3], vec![4, 5], vec![6]];
        let s = score(&key, &key);
        assert!(close(s.muc.f, 1.0) && close(s.b3.f, 1.0) && close(s.ceafe.f, 1.0));
        assert!(close(s.conll(), 1.0));
    }

    #[test]
    fn reference_example() {
        // Pradhan et al. (2014) running example: key {a,b,c},{d,e,f,g};
        // response {a,b},{c,d},{f,g,h,i}.
        let key = vec![vec![1, 2, 3], vec![4, 5, 6, 7]];
        let resp = vec![vec![1, 2], vec![3, 4], vec![6, 7, 8, 9]];
        let s = score(&key, &resp);
        // MUC: R = (3-2 + 4-3)/(2+3) = 0.4 ; P = (2-1 + 2-2 + 4-3)/(1+1+3) = 0.4
        assert!(close(s.muc.r, 0.4), "{:?}", s.muc);
        assert!(close(s.muc.p, 0.4), "{:?}", s.muc);
        // R = (2²/3 + 1²/3 + 1²/4 + 2²/4) / 7 = 0.4167 (the mention missing
        // from the response contributes nothing, as in the reference scorer).
        assert!(
            close(s.b3.r, (4.0 / 3.0 + 1.0 / 3.0 + 0.25 + 1.0) / 7.0),
            "{:?}",
            s.b3
        );
        // P = (2*(2/2) + 1/2 + 1/2 + 2*(2/4) + 0 + 0) / 8 = 0.5
        assert!(close(s.b3.p, 0.5), "{:?}", s.b3);
        // CEAF-e: best alignment {a,b,c}-{a,b} (0.8) + {d,e,f,g}-{f,g,h,i} (0.5)
        assert!(close(s.ceafe.r, 1.3 / 2.0), "{:?}", s.ceafe);
        assert!(close(s.ceafe.p, 1.3 / 3.0), "{:?}", s.ceafe);
    }

    #[test]
    fn all_singletons_against_one_cluster() {
        let key = vec![vec![1, 2, 3, 4]];
        let resp = vec![vec![1], vec![2], vec![3], vec![4]];
        let s = score(&key, &resp);
        assert!(close(s.muc.r, 0.0));
        assert!(close(s.b3.p, 1.0) && close(s.b3.r, 0.25));
    }

    #[test]
    fn assignment_prefers_the_best_total() {
        let sim = vec![vec![0.9, 0.8], vec![0.8, 0.1]];
        assert!(close(max_assignment(&sim), 1.6));
        let rect = vec![vec![0.5, 0.2, 0.9]];
        assert!(close(max_assignment(&rect), 0.9));
    }
}
