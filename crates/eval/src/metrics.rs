//! Precision, recall and F1, shared by the evaluations.

/// `num / den`, 0 when nothing was counted.
pub fn ratio(num: usize, den: usize) -> f64 {
    if den == 0 {
        0.0
    } else {
        num as f64 / den as f64
    }
}

/// The harmonic mean of precision and recall, 0 when both are 0.
pub fn f1(p: f64, r: f64) -> f64 {
    if p + r > 0.0 {
        2.0 * p * r / (p + r)
    } else {
        0.0
    }
}

/// (precision, recall, F1) from true positives, predictions and gold items.
pub fn prf(tp: usize, predicted: usize, gold: usize) -> (f64, f64, f64) {
    let (p, r) = (ratio(tp, predicted), ratio(tp, gold));
    (p, r, f1(p, r))
}

/// Binary decision counts.
#[derive(Debug, Default, Clone, Copy)]
pub struct Counts {
    pub tp: usize,
    pub fp: usize,
    pub fn_: usize,
}

impl Counts {
    pub fn add(&mut self, predicted: bool, gold: bool) {
        match (predicted, gold) {
            (true, true) => self.tp += 1,
            (true, false) => self.fp += 1,
            (false, true) => self.fn_ += 1,
            (false, false) => {}
        }
    }

    pub fn prf(&self) -> (f64, f64, f64) {
        prf(self.tp, self.tp + self.fp, self.tp + self.fn_)
    }
}

impl std::ops::Add for Counts {
    type Output = Counts;
    fn add(self, o: Counts) -> Counts {
        Counts {
            tp: self.tp + o.tp,
            fp: self.fp + o.fp,
            fn_: self.fn_ + o.fn_,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arithmetic() {
        assert_eq!(prf(0, 0, 0), (0.0, 0.0, 0.0));
        let (p, r, f) = prf(3, 4, 6);
        assert!((p - 0.75).abs() < 1e-12 && (r - 0.5).abs() < 1e-12);
        assert!((f - 0.6).abs() < 1e-12);
        let mut c = Counts::default();
        for (p, g) in [(true, true), (true, false), (false, true), (false, false)] {
            c.add(p, g);
        }
        assert_eq!((c.tp, c.fp, c.fn_), (1, 1, 1));
        assert_eq!((c + c).tp, 2);
    }
}
