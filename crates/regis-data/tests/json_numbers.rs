//! Numbers read from JSON (request bodies, monitoring imports, the peers' fixtures) are the
//! numbers that were written: serde_json's default float parser may be one unit in the last
//! place off, so the workspace builds it with `float_roundtrip`.

/// A value from `regis micro aggregate`'s sales that the default parser read one ulp off,
/// and a million more spread over every exponent.
#[test]
fn json_numbers_read_back_bit_for_bit() {
    let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut values = vec![f64::from_bits(4683117323770186957)];
    for _ in 0..1_000_000 {
        state = state
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        let v = f64::from_bits(state >> 1);
        if v.is_finite() {
            values.push(v);
        }
    }
    let mut wrong = 0;
    for v in &values {
        let text = serde_json::to_string(v).unwrap();
        let back: f64 = serde_json::from_str(&text).unwrap();
        if back.to_bits() != v.to_bits() {
            wrong += 1;
        }
    }
    assert_eq!(wrong, 0, "of {} values", values.len());
}
