//! Small numerics the methods share: sorting floats (a one-pass bucket sort on their bit
//! patterns with an insertion pass, O(n) expected).

/// Sorts floats ascending in IEEE total order (`f64::total_cmp`; finite values in their usual
/// order).
///
/// Method, for 512 values or more: a one-pass bucket sort on the order-preserving bit pattern
/// of each float (the pattern is monotone in the value and roughly logarithmic across
/// octaves, so skewed data such as incomes spread well), with about 4n buckets spanning the
/// smallest to the largest pattern, followed by an insertion pass that puts each bucket in
/// order. If the data crowd into a few buckets (the insertion pass would need more than 8n
/// moves), the pass stops and a pattern-defeating quicksort finishes the job, so the worst case
/// stays O(n log n). Fewer than 512 values go straight to the comparison sort.
/// Complexity: O(n) expected for data without heavy crowding, O(n log n) worst case; O(n)
/// memory.
///
/// ```
/// use regis_methods::inequality::sort_floats;
/// let mut v: Vec<f64> = (0..1000).map(|i| ((i * 7919) % 1009) as f64 - 500.0).collect();
/// sort_floats(&mut v);
/// assert!(v.windows(2).all(|w| w[0] <= w[1]));
/// assert_eq!((v[0], v[999]), (-500.0, 508.0));
/// ```
pub fn sort_floats(v: &mut [f64]) {
    FloatSorter::default().sort(v);
}

/// The buffers of [`sort_floats`], kept between calls when many columns are sorted in a row.
#[derive(Default)]
pub(crate) struct FloatSorter {
    pub(crate) keys: Vec<u64>,
    sorted: Vec<u64>,
    counts: Vec<u32>,
}

/// Order-preserving map of floats to integers (IEEE total order): flip all bits of negatives,
/// the sign bit of positives.
#[inline(always)]
pub(crate) fn float_key(x: f64) -> u64 {
    let b = x.to_bits();
    if b >> 63 == 1 {
        !b
    } else {
        b | (1 << 63)
    }
}

/// The inverse of [`float_key`].
#[inline(always)]
pub(crate) fn float_from_key(k: u64) -> f64 {
    f64::from_bits(if k >> 63 == 1 { k & !(1 << 63) } else { !k })
}

impl FloatSorter {
    pub(crate) fn sort(&mut self, v: &mut [f64]) {
        if v.len() < 512 {
            v.sort_unstable_by(f64::total_cmp);
            return;
        }
        self.keys.clear();
        self.keys.extend(v.iter().map(|&x| float_key(x)));
        for (x, &k) in v.iter_mut().zip(self.sort_keys()) {
            *x = float_from_key(k);
        }
    }

    /// Sorts `self.keys` (bucket pass, then insertion within a budget) and returns them sorted.
    pub(crate) fn sort_keys(&mut self) -> &[u64] {
        let n = self.keys.len();
        if n < 512 {
            self.keys.sort_unstable();
            return &self.keys;
        }
        let (lo, hi) = self
            .keys
            .iter()
            .fold((u64::MAX, 0), |(lo, hi), &k| (lo.min(k), hi.max(k)));
        if lo == hi {
            return &self.keys; // all equal
        }
        let range = hi - lo;
        let bucket_bits = usize::BITS - n.leading_zeros() + 2; // ≈ 4n buckets
        let shift = (u64::BITS - range.leading_zeros()).saturating_sub(bucket_bits);
        let buckets = (range >> shift) as usize + 1;
        self.counts.clear();
        self.counts.resize(buckets + 1, 0);
        for &k in &self.keys {
            self.counts[((k - lo) >> shift) as usize + 1] += 1;
        }
        let mut start = 0;
        for c in self.counts.iter_mut() {
            start += *c;
            *c = start;
        }
        self.sorted.clear();
        self.sorted.resize(n, 0);
        for &k in &self.keys {
            let b = ((k - lo) >> shift) as usize;
            let at = self.counts[b];
            self.counts[b] = at + 1;
            self.sorted[at as usize] = k;
        }
        // Keys are now ordered between buckets; order them inside, within a budget of moves.
        let out = &mut self.sorted;
        let mut moves = 0usize;
        for i in 1..n {
            let k = out[i];
            let mut j = i;
            while j > 0 && out[j - 1] > k {
                out[j] = out[j - 1];
                j -= 1;
            }
            out[j] = k;
            moves += i - j;
            if moves > 8 * n {
                out.sort_unstable();
                break;
            }
        }
        &self.sorted
    }
}
