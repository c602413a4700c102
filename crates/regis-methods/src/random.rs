//! A small seeded random number generator for permutation inference: SplitMix64 to seed
//! xoshiro256++ (Blackman & Vigna 2021, Scrambled linear pseudorandom number generators,
//! *ACM TOMS* 47(4), doi:10.1145/3460772). Reproducible across platforms for a given seed;
//! not cryptographic. Written here to keep `regis-methods` free of dependencies.

/// xoshiro256++ state.
#[derive(Debug, Clone)]
pub struct Rng {
    s: [u64; 4],
}

impl Rng {
    /// A generator from a 64-bit seed.
    pub fn seeded(seed: u64) -> Rng {
        let mut x = seed;
        let mut next = || {
            x = x.wrapping_add(0x9E37_79B9_7F4A_7C15);
            let mut z = x;
            z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
            z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
            z ^ (z >> 31)
        };
        Rng {
            s: [next(), next(), next(), next()],
        }
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        let r = (self.s[0].wrapping_add(self.s[3]))
            .rotate_left(23)
            .wrapping_add(self.s[0]);
        let t = self.s[1] << 17;
        self.s[2] ^= self.s[0];
        self.s[3] ^= self.s[1];
        self.s[1] ^= self.s[2];
        self.s[0] ^= self.s[3];
        self.s[2] ^= t;
        self.s[3] = self.s[3].rotate_left(45);
        r
    }

    /// A uniform integer in `0..n` (Lemire's multiply-shift with rejection; n > 0).
    pub fn below(&mut self, n: usize) -> usize {
        let n = n as u64;
        loop {
            let m = (self.next_u64() as u128) * (n as u128);
            let low = m as u64;
            if low >= n.wrapping_neg() % n {
                return (m >> 64) as usize;
            }
        }
    }

    /// A uniform float in [0, 1).
    pub fn uniform(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }

    /// Shuffles a slice in place (Fisher-Yates).
    pub fn shuffle<T>(&mut self, v: &mut [T]) {
        for i in (1..v.len()).rev() {
            let j = self.below(i + 1);
            v.swap(i, j);
        }
    }

    /// Writes `k` distinct indices drawn uniformly from `0..n` into `out` (partial
    /// Fisher-Yates on `scratch`, which must hold `0..n` and is left holding a permutation).
    pub fn sample_distinct(&mut self, scratch: &mut [u32], k: usize, out: &mut Vec<u32>) {
        out.clear();
        let n = scratch.len();
        for i in 0..k.min(n) {
            let j = i + self.below(n - i);
            scratch.swap(i, j);
            out.push(scratch[i]);
        }
    }
}
