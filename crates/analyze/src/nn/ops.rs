//! The numeric kernels, reproducing the float32 arithmetic of thinc's
//! `NumpyOps` as installed with spaCy 3.8 bit for bit where we can:
//!
//! - Matrix products go through BLIS, whose (runtime-selected) reference
//!   kernel sums products in k order without fused multiply-add, in blocks of
//!   `KC = 256`, adding each block's partial sum to the output. [`Dense`]
//!   does the same: per output element, `s = Σ fl(x·w)` in k order within
//!   each 256-wide block, `out = out + s` across blocks. No FMA is used (Rust
//!   never contracts `a * b + c`), so the order is the same on any CPU, while
//!   the loops still vectorise across output columns.
//! - Row means and variances in LayerNorm follow numpy's pairwise summation.
//! - The inverse square root in LayerNorm is `powf(var, -0.5)` (numpy's
//!   scalar `npy_powf`). numpy builds with AVX-512 use Intel SVML's `powf`
//!   instead, which differs in the last bit for about a quarter of inputs;
//!   that is the one known source of float differences on such machines.

/// BLIS's k-blocking for single precision gemm.
pub const KC: usize = 256;

/// Layer widths are padded to a multiple of this (the widest kernel step).
const PAD: usize = 32;

/// A dense layer `Y = X·Wᵀ (+ b)` as thinc's `gemm(X, W, trans2=True)`,
/// with `W` stored transposed and its columns padded to a multiple of 32.
#[derive(Debug, Clone)]
pub struct Dense {
    pub n_in: usize,
    pub n_out: usize,
    /// `n_out` rounded up to the kernel width: the row stride of outputs.
    pub n_pad: usize,
    /// `n_in × n_pad`, row-major (the transpose of thinc's `W`).
    wt: Vec<f32>,
    /// Added after the product, as thinc does (`Y += b`).
    bias: Option<Vec<f32>>,
}

impl Dense {
    /// From thinc's `W` (`n_out × n_in`, row-major) and optional bias.
    pub fn new(w: &[f32], n_out: usize, n_in: usize, bias: Option<&[f32]>) -> Dense {
        assert_eq!(w.len(), n_out * n_in, "weight size");
        let n_pad = n_out.div_ceil(PAD) * PAD;
        let mut wt = vec![0.0; n_in * n_pad];
        for o in 0..n_out {
            for i in 0..n_in {
                wt[i * n_pad + o] = w[o * n_in + i];
            }
        }
        let bias = bias.map(|b| {
            assert_eq!(b.len(), n_out, "bias size");
            let mut v = b.to_vec();
            v.resize(n_pad, 0.0);
            v
        });
        Dense {
            n_in,
            n_out,
            n_pad,
            wt,
            bias,
        }
    }

    /// `out[m·n_pad ..][..n_out] = x[m·ldx ..][..n_in] · Wᵀ (+ b)` for `rows`
    /// rows. `x` rows may overlap (`ldx < n_in`), which is how the window
    /// encoder reads three consecutive token vectors without copying them.
    pub fn forward(&self, x: &[f32], ldx: usize, rows: usize, out: &mut [f32]) {
        if rows == 0 {
            return;
        }
        assert!(x.len() >= (rows - 1) * ldx + self.n_in, "input too short");
        assert!(out.len() >= rows * self.n_pad, "output too short");
        gemm(x, ldx, rows, self.n_in, &self.wt, self.n_pad, out);
        if let Some(b) = &self.bias {
            for row in out[..rows * self.n_pad].chunks_exact_mut(self.n_pad) {
                for (y, &bb) in row.iter_mut().zip(b) {
                    *y += bb;
                }
            }
        }
    }

    /// One row: `out = x · Wᵀ (+ b)`, same arithmetic as [`Dense::forward`].
    pub fn forward_row(&self, x: &[f32], out: &mut [f32]) {
        self.forward(x, self.n_in, 1, out)
    }
}

fn gemm(x: &[f32], ldx: usize, rows: usize, k: usize, wt: &[f32], n_pad: usize, out: &mut [f32]) {
    #[cfg(target_arch = "x86_64")]
    {
        if std::arch::is_x86_feature_detected!("avx512f") {
            // SAFETY: the CPU supports AVX-512F, checked just above.
            unsafe { gemm_avx512(x, ldx, rows, k, wt, n_pad, out) };
            return;
        }
        if std::arch::is_x86_feature_detected!("avx2") {
            // SAFETY: the CPU supports AVX2, checked just above.
            unsafe { gemm_avx2(x, ldx, rows, k, wt, n_pad, out) };
            return;
        }
    }
    gemm_tiled::<4, 16>(x, ldx, rows, k, wt, n_pad, out)
}

// The kernels below differ only in the instructions the compiler may use
// and the register tile; each output is computed with the same operations
// in the same order.

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx512f")]
unsafe fn gemm_avx512(
    x: &[f32],
    ldx: usize,
    rows: usize,
    k: usize,
    wt: &[f32],
    n_pad: usize,
    out: &mut [f32],
) {
    gemm_tiled::<8, 32>(x, ldx, rows, k, wt, n_pad, out)
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2")]
unsafe fn gemm_avx2(
    x: &[f32],
    ldx: usize,
    rows: usize,
    k: usize,
    wt: &[f32],
    n_pad: usize,
    out: &mut [f32],
) {
    gemm_tiled::<6, 16>(x, ldx, rows, k, wt, n_pad, out)
}

/// `R` rows by `C` columns of outputs per step, k blocked by [`KC`].
#[inline(always)]
fn gemm_tiled<const R: usize, const C: usize>(
    x: &[f32],
    ldx: usize,
    rows: usize,
    k: usize,
    wt: &[f32],
    n_pad: usize,
    out: &mut [f32],
) {
    let mut k0 = 0;
    while k0 < k {
        let k1 = (k0 + KC).min(k);
        let first = k0 == 0;
        let mut m = 0;
        while m + R <= rows {
            block::<R, C>(x, ldx, m, k0, k1, wt, n_pad, out, first);
            m += R;
        }
        while m < rows {
            block::<1, C>(x, ldx, m, k0, k1, wt, n_pad, out, first);
            m += 1;
        }
        k0 = k1;
    }
}

/// Rows `m .. m+R` over the k range `k0..k1`, all output columns.
#[inline(always)]
#[allow(clippy::too_many_arguments)]
fn block<const R: usize, const C: usize>(
    x: &[f32],
    ldx: usize,
    m: usize,
    k0: usize,
    k1: usize,
    wt: &[f32],
    n_pad: usize,
    out: &mut [f32],
    first: bool,
) {
    let xs: [&[f32]; R] = std::array::from_fn(|i| &x[(m + i) * ldx + k0..(m + i) * ldx + k1]);
    let wrows = &wt[k0 * n_pad..k1 * n_pad];
    let mut n0 = 0;
    while n0 < n_pad {
        let mut acc = [[0.0f32; C]; R];
        for (kk, wrow) in wrows.chunks_exact(n_pad).enumerate() {
            let w: &[f32; C] = wrow[n0..n0 + C].try_into().expect("C columns");
            for i in 0..R {
                let a = xs[i][kk];
                for j in 0..C {
                    acc[i][j] += a * w[j];
                }
            }
        }
        for (i, acc_row) in acc.iter().enumerate() {
            let o = &mut out[(m + i) * n_pad + n0..(m + i) * n_pad + n0 + C];
            if first {
                o.copy_from_slice(acc_row);
            } else {
                for j in 0..C {
                    o[j] += acc_row[j];
                }
            }
        }
        n0 += C;
    }
}

/// numpy's pairwise summation of a contiguous float32 run (`add.reduce`).
pub fn pairwise_sum(a: &[f32]) -> f32 {
    let n = a.len();
    if n < 8 {
        let mut res = 0.0f32;
        for &v in a {
            res += v;
        }
        res
    } else if n <= 128 {
        let mut r = [0.0f32; 8];
        r.copy_from_slice(&a[..8]);
        let mut i = 8;
        while i < n - (n % 8) {
            for j in 0..8 {
                r[j] += a[i + j];
            }
            i += 8;
        }
        let mut res = ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]));
        while i < n {
            res += a[i];
            i += 1;
        }
        res
    } else {
        let mut n2 = n / 2;
        n2 -= n2 % 8;
        pairwise_sum(&a[..n2]) + pairwise_sum(&a[n2..])
    }
}

/// thinc's LayerNorm with its learned scale and shift.
#[derive(Debug, Clone)]
pub struct LayerNorm {
    pub g: Vec<f32>,
    pub b: Vec<f32>,
}

impl LayerNorm {
    /// Normalises `x` (one row) in place; `tmp` is scratch of the same size.
    pub fn apply(&self, x: &mut [f32], tmp: &mut [f32]) {
        let n = x.len();
        let nf = n as f32;
        let mu = pairwise_sum(x) / nf;
        for (t, &v) in tmp.iter_mut().zip(x.iter()) {
            let d = v - mu;
            *t = d * d;
        }
        let var = pairwise_sum(&tmp[..n]) / nf + 1e-8f32;
        let scale = var.powf(-0.5);
        for ((v, &g), &b) in x.iter_mut().zip(&self.g).zip(&self.b) {
            let xhat = (*v - mu) * scale;
            *v = xhat * g + b;
        }
    }
}

/// MurmurHash3 (x64 128-bit finaliser on one 64-bit key) as thinc's
/// `NumpyOps.hash`: four 32-bit keys per id.
pub fn hash_u64(val: u64, seed: u32) -> [u32; 4] {
    const C1: u64 = 0x87c3_7b91_1142_53d5;
    const C2: u64 = 0x4cf5_ad43_2745_937f;
    let seed = u64::from(seed);
    let mut h1 = val.wrapping_mul(C1);
    h1 = h1.rotate_left(31);
    h1 = h1.wrapping_mul(C2);
    h1 ^= seed;
    h1 ^= 8;
    let mut h2 = seed;
    h2 ^= 8;
    h1 = h1.wrapping_add(h2);
    h2 = h2.wrapping_add(h1);
    h1 = fmix64(h1);
    h2 = fmix64(h2);
    h1 = h1.wrapping_add(h2);
    h2 = h2.wrapping_add(h1);
    [h1 as u32, (h1 >> 32) as u32, h2 as u32, (h2 >> 32) as u32]
}

fn fmix64(mut k: u64) -> u64 {
    k ^= k >> 33;
    k = k.wrapping_mul(0xff51_afd7_ed55_8ccd);
    k ^= k >> 33;
    k = k.wrapping_mul(0xc4ce_b9fe_1a85_ec53);
    k ^= k >> 33;
    k
}

/// Index of the first maximum (thinc's `Vec.arg_max`, numpy's `argmax`).
pub fn argmax(v: &[f32]) -> usize {
    let mut best = 0;
    for (i, &x) in v.iter().enumerate().skip(1) {
        if x > v[best] {
            best = i;
        }
    }
    best
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Reference: per element, k-ordered unfused sums in 256-wide blocks.
    fn reference(x: &[f32], m: usize, k: usize, w: &[f32], n: usize) -> Vec<f32> {
        let mut out = vec![0.0f32; m * n];
        for r in 0..m {
            for c in 0..n {
                let mut total = 0.0f32;
                let mut k0 = 0;
                while k0 < k {
                    let mut s = 0.0f32;
                    for kk in k0..(k0 + KC).min(k) {
                        s += x[r * k + kk] * w[c * k + kk];
                    }
                    total = if k0 == 0 { s } else { total + s };
                    k0 += KC;
                }
                out[r * n + c] = total;
            }
        }
        out
    }

    fn pseudo_random(n: usize, seed: u64) -> Vec<f32> {
        let mut s = seed;
        (0..n)
            .map(|_| {
                s = s
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                ((s >> 40) as f32 / (1u64 << 24) as f32) * 4.0 - 2.0
            })
            .collect()
    }

    #[test]
    fn dense_matches_blocked_reference_bit_for_bit() {
        for &(m, k, n) in &[(7, 576, 288), (5, 288, 50), (1, 64, 106), (9, 300, 17)] {
            let x = pseudo_random(m * k, 1);
            let w = pseudo_random(n * k, 2);
            let b = pseudo_random(n, 3);
            let d = Dense::new(&w, n, k, Some(&b));
            let mut out = vec![0.0; m * d.n_pad];
            d.forward(&x, k, m, &mut out);
            let want = reference(&x, m, k, &w, n);
            for r in 0..m {
                for c in 0..n {
                    let expect = want[r * n + c] + b[c];
                    assert_eq!(
                        out[r * d.n_pad + c].to_bits(),
                        expect.to_bits(),
                        "({m},{k},{n}) [{r},{c}]"
                    );
                }
            }
        }
    }

    #[test]
    fn overlapping_rows_read_windows() {
        // Rows of three consecutive 2-vectors, stride 2.
        let seq = [1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0];
        let w = [1.0, 0.0, 0.0, 0.0, 0.0, 1.0]; // picks x[0] of window and x[5]
        let w2: Vec<f32> = w.iter().chain(w.iter()).copied().collect();
        let d = Dense::new(&w2, 2, 6, None);
        let mut out = vec![0.0; 2 * d.n_pad];
        d.forward(&seq, 2, 2, &mut out);
        assert_eq!(out[0], 1.0 + 6.0);
        assert_eq!(out[d.n_pad], 3.0 + 8.0);
    }

    #[test]
    fn pairwise_sum_matches_numpy_structure() {
        let a: Vec<f32> = (0..96).map(|i| 1.0 / (i as f32 + 1.0)).collect();
        let mut r = [0.0f32; 8];
        for (i, v) in a.iter().enumerate() {
            r[i % 8] += v;
        }
        let want = ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]));
        assert_eq!(pairwise_sum(&a).to_bits(), want.to_bits());
        assert_eq!(pairwise_sum(&[1.0, 2.0, 3.0]), 6.0);
        let big: Vec<f32> = (0..300).map(|i| i as f32).collect();
        assert_eq!(pairwise_sum(&big), (0..300).sum::<i32>() as f32);
    }

    #[test]
    fn hash_matches_thinc() {
        // Values printed by thinc's NumpyOps().hash(ids, seed) (thinc 8.3).
        assert_eq!(hash_u64(0, 8), [0, 0, 0, 0]);
        assert_eq!(
            hash_u64(5_983_625_672_228_268_878, 9),
            [2_195_076_637, 4_115_992_405, 3_870_472_051, 2_597_663_818]
        );
        assert_eq!(
            hash_u64(1, 12),
            [2_938_686_206, 2_291_508_213, 2_246_688_320, 3_554_967_022]
        );
        assert_eq!(
            hash_u64(11_123_243_248_953_317_070, 12),
            [3_814_265_395, 2_619_865_196, 3_864_772_135, 2_060_581_628]
        );
    }

    #[test]
    fn layer_norm_normalises() {
        let ln = LayerNorm {
            g: vec![1.0; 4],
            b: vec![0.0; 4],
        };
        let mut x = vec![1.0, 2.0, 3.0, 4.0];
        let mut tmp = vec![0.0; 4];
        ln.apply(&mut x, &mut tmp);
        let mean: f32 = x.iter().sum::<f32>() / 4.0;
        assert!(mean.abs() < 1e-6);
        assert!((x[3] - 1.341_640_7).abs() < 1e-5, "{x:?}");
    }

    #[test]
    fn argmax_takes_first_maximum() {
        assert_eq!(argmax(&[1.0, 3.0, 3.0, 2.0]), 1);
        assert_eq!(argmax(&[5.0]), 0);
    }
}
