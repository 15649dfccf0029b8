//! A monotone many-to-one character aligner learned by EM: each Arabic letter
//! (in word-initial or later position) emits a Latin substring of 0..=4
//! letters. Trained on Arabic–Latin name pairs it gives (a) a likelihood per
//! pair, used to drop misaligned pairs from the data, and (b) the usual Latin
//! rendering of each Arabic letter, used to transliterate Arabic script.

use std::collections::hash_map::DefaultHasher;
use std::collections::HashMap;
use std::hash::BuildHasherDefault;

/// Deterministic hashing so that EM sums (and so the generated table) do not
/// depend on a per-process random seed.
type DetMap<K, V> = HashMap<K, V, BuildHasherDefault<DefaultHasher>>;

/// An Arabic letter, whether word-initial, and its Latin renderings with
/// their probabilities, most likely first.
pub type LetterRenderings = (char, bool, Vec<(String, f64)>);

/// Longest Latin substring one Arabic letter may emit.
pub const MAX_EMIT: usize = 4;

/// A training pair: normalised Arabic letters and folded Latin letters a-z.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Pair {
    pub arabic: String,
    pub latin: String,
}

/// Pack a substring of ASCII lowercase letters (len <= MAX_EMIT) into 23 bits.
fn sub_code(s: &[u8]) -> u32 {
    let mut code = (s.len() as u32) << 20;
    for (i, &b) in s.iter().enumerate() {
        code |= ((b - b'a' + 1) as u32) << (5 * i);
    }
    code
}

fn sub_decode(code: u32) -> String {
    let len = (code >> 20) as usize;
    (0..len)
        .map(|i| (b'a' + (((code >> (5 * i)) & 31) as u8) - 1) as char)
        .collect()
}

fn key(ctx: u32, sub: u32) -> u64 {
    ((ctx as u64) << 24) | sub as u64
}

#[derive(Debug, Clone, Default)]
pub struct Aligner {
    alphabet: DetMap<char, u32>,
    letters: Vec<char>,
    probs: DetMap<u64, f64>,
}

/// Whether `latin` is usable for alignment (letters a-z only).
fn latin_ok(latin: &str) -> bool {
    !latin.is_empty() && latin.bytes().all(|b| b.is_ascii_lowercase())
}

impl Aligner {
    fn ctx(&self, c: char, initial: bool) -> Option<u32> {
        self.alphabet.get(&c).map(|&i| i * 2 + u32::from(initial))
    }

    /// Train by EM for `iterations` rounds, starting from uniform emissions.
    pub fn train(pairs: &[Pair], iterations: usize) -> Aligner {
        let mut al = Aligner::default();
        for p in pairs {
            for c in p.arabic.chars() {
                if !al.alphabet.contains_key(&c) {
                    al.alphabet.insert(c, al.letters.len() as u32);
                    al.letters.push(c);
                }
            }
        }
        let usable: Vec<&Pair> = pairs.iter().filter(|p| latin_ok(&p.latin)).collect();
        for it in 0..iterations {
            let mut counts: DetMap<u64, f64> = DetMap::default();
            for p in &usable {
                al.expect(p, it == 0, &mut counts);
            }
            // M-step: normalise per context.
            let mut totals: DetMap<u32, f64> = DetMap::default();
            let mut keys: Vec<u64> = counts.keys().copied().collect();
            keys.sort_unstable();
            for k in &keys {
                *totals.entry((k >> 24) as u32).or_default() += counts[k];
            }
            let mut probs = DetMap::default();
            for k in keys {
                let t = totals[&((k >> 24) as u32)];
                if t > 0.0 {
                    probs.insert(k, counts[&k] / t);
                }
            }
            al.probs = probs;
        }
        al
    }

    /// Emission table for one pair: emis[i][j][k] = P(latin[j..j+k] | arabic[i]).
    fn emissions(&self, ar: &[char], lat: &[u8], uniform: bool) -> Option<Vec<f64>> {
        let (n, m) = (ar.len(), lat.len());
        let w = MAX_EMIT + 1;
        let mut e = vec![0.0; n * (m + 1) * w];
        for (i, &c) in ar.iter().enumerate() {
            let ctx = self.ctx(c, i == 0)?;
            for j in 0..=m {
                for k in 0..w {
                    if j + k > m {
                        break;
                    }
                    let p = if uniform {
                        1.0
                    } else {
                        self.probs
                            .get(&key(ctx, sub_code(&lat[j..j + k])))
                            .copied()
                            .unwrap_or(0.0)
                    };
                    e[(i * (m + 1) + j) * w + k] = p;
                }
            }
        }
        Some(e)
    }

    fn forward(n: usize, m: usize, e: &[f64]) -> Vec<f64> {
        let w = MAX_EMIT + 1;
        let mut a = vec![0.0; (n + 1) * (m + 1)];
        a[0] = 1.0;
        for i in 0..n {
            for j in 0..=m {
                let cur = a[i * (m + 1) + j];
                if cur == 0.0 {
                    continue;
                }
                for k in 0..w {
                    if j + k > m {
                        break;
                    }
                    a[(i + 1) * (m + 1) + j + k] += cur * e[(i * (m + 1) + j) * w + k];
                }
            }
        }
        a
    }

    fn expect(&self, p: &Pair, uniform: bool, counts: &mut DetMap<u64, f64>) {
        let ar: Vec<char> = p.arabic.chars().collect();
        let lat = p.latin.as_bytes();
        let (n, m) = (ar.len(), lat.len());
        if n == 0 || n * MAX_EMIT < m {
            return;
        }
        let Some(e) = self.emissions(&ar, lat, uniform) else {
            return;
        };
        let w = MAX_EMIT + 1;
        let a = Self::forward(n, m, &e);
        let z = a[n * (m + 1) + m];
        if z <= 0.0 || !z.is_finite() {
            return;
        }
        let mut b = vec![0.0; (n + 1) * (m + 1)];
        b[n * (m + 1) + m] = 1.0;
        for i in (0..n).rev() {
            for j in 0..=m {
                let mut s = 0.0;
                for k in 0..w {
                    if j + k > m {
                        break;
                    }
                    s += e[(i * (m + 1) + j) * w + k] * b[(i + 1) * (m + 1) + j + k];
                }
                b[i * (m + 1) + j] = s;
            }
        }
        for (i, &c) in ar.iter().enumerate() {
            let Some(ctx) = self.ctx(c, i == 0) else {
                return;
            };
            for j in 0..=m {
                let av = a[i * (m + 1) + j];
                if av == 0.0 {
                    continue;
                }
                for k in 0..w {
                    if j + k > m {
                        break;
                    }
                    let post = av * e[(i * (m + 1) + j) * w + k] * b[(i + 1) * (m + 1) + j + k] / z;
                    if post > 0.0 {
                        *counts
                            .entry(key(ctx, sub_code(&lat[j..j + k])))
                            .or_default() += post;
                    }
                }
            }
        }
    }

    /// Mean log-likelihood per Arabic letter of the pair; `None` when the pair
    /// cannot be aligned at all (unknown letter, impossible lengths).
    pub fn score(&self, p: &Pair) -> Option<f64> {
        let ar: Vec<char> = p.arabic.chars().collect();
        if !latin_ok(&p.latin) || ar.is_empty() || ar.len() * MAX_EMIT < p.latin.len() {
            return None;
        }
        let lat = p.latin.as_bytes();
        let e = self.emissions(&ar, lat, false)?;
        let a = Self::forward(ar.len(), lat.len(), &e);
        let z = a[ar.len() * (lat.len() + 1) + lat.len()];
        (z > 0.0).then(|| z.ln() / ar.len() as f64)
    }

    /// For each Arabic letter and position (initial or not), its Latin
    /// renderings with probability at least `min_prob`, most likely first.
    pub fn renderings(&self, min_prob: f64) -> Vec<LetterRenderings> {
        let mut by_ctx: DetMap<u32, Vec<(String, f64)>> = DetMap::default();
        for (&k, &p) in &self.probs {
            if p >= min_prob {
                by_ctx
                    .entry((k >> 24) as u32)
                    .or_default()
                    .push((sub_decode((k & 0xFF_FFFF) as u32), p));
            }
        }
        let mut out = Vec::new();
        for (ctx, mut v) in by_ctx {
            let Some(&c) = self.letters.get((ctx / 2) as usize) else {
                continue;
            };
            v.sort_by(|a, b| b.1.total_cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
            out.push((c, ctx % 2 == 1, v));
        }
        out.sort_by_key(|a| (a.0, a.1));
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pair(a: &str, l: &str) -> Pair {
        Pair {
            arabic: a.to_string(),
            latin: l.to_string(),
        }
    }

    #[test]
    fn codes_round_trip() {
        for s in ["", "a", "sh", "abcd", "zzzz"] {
            assert_eq!(sub_decode(sub_code(s.as_bytes())), s);
        }
    }

    #[test]
    fn learns_letter_values_and_rejects_misaligned_pairs() {
        // A toy alphabet written with letters of my own choosing.
        let mut pairs = Vec::new();
        for (a, l) in [
            ("بت", "bat"),
            ("تب", "tab"),
            ("بب", "bab"),
            ("تت", "tat"),
            ("بتب", "batab"),
            ("تبت", "tabat"),
            ("بت", "bet"),
            ("تب", "teb"),
        ] {
            for _ in 0..3 {
                pairs.push(pair(a, l));
            }
        }
        let al = Aligner::train(&pairs, 8);
        let good = al.score(&pair("تبب", "tabab")).unwrap();
        let bad = al.score(&pair("تبب", "bbbtt"));
        assert!(
            bad.is_none_or(|b| b < good - 1.0),
            "good {good} bad {bad:?}"
        );
        let r = al.renderings(0.2);
        let b_later = r.iter().find(|(c, init, _)| *c == 'ب' && !*init).unwrap();
        assert!(b_later.2[0].0.contains('b'), "{:?}", b_later.2);
    }
}
