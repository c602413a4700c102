//! The agreement checks of `regis bench`: Regis's results against the peer's, refusing to
//! print agreement that was not checked. A missing peer result, a length mismatch, a NaN or a
//! non-number on either side, or a difference past the tolerance is a mismatch, and a mismatch
//! makes `regis bench` exit non-zero.

use serde_json::Value;

/// A peer's results (none with `--no-peer` or when it cannot run): its number lists and its
/// timings by key.
pub(crate) struct Peer(Option<Value>);

impl Peer {
    /// Runs `tests/peers/{script}` unless `--no-peer`, saying which peers (`what`) it runs.
    pub(crate) fn run(
        a: &crate::BenchOptions,
        what: &str,
        script: &str,
        dir: &std::path::Path,
        output: &str,
        install: &str,
    ) -> anyhow::Result<Peer> {
        if a.no_peer {
            return Ok(Peer(None));
        }
        eprintln!("peer: {what} ({} tests/peers/{script})...", a.python);
        Ok(Peer(run_peer(&a.python, script, dir, output, install)?))
    }

    /// The list under `key` (empty when missing; a non-number is NaN, which the checks refuse).
    pub(crate) fn list(&self, key: &str) -> Vec<f64> {
        self.0
            .as_ref()
            .and_then(|p| p[key].as_array())
            .map(|v| v.iter().map(|x| x.as_f64().unwrap_or(f64::NAN)).collect())
            .unwrap_or_default()
    }

    /// The JSON under `key`, as the peer wrote it.
    pub(crate) fn value(&self, key: &str) -> Option<&Value> {
        self.0.as_ref().and_then(|p| p.get(key))
    }

    /// The number under `key` (seconds).
    pub(crate) fn secs(&self, key: &str) -> Option<f64> {
        self.0.as_ref().and_then(|p| p[key].as_f64())
    }
}

/// Runs the peer script `tests/peers/{script}` with `python` on the inputs in `dir` and reads
/// the JSON it writes to `dir/{output}` (NaN and Infinity, which Python's json writes bare,
/// become nulls that the agreement checks refuse). None, with the reason printed and how to
/// install the peer (`install`), when it cannot run.
pub fn run_peer(
    python: &str,
    script: &str,
    dir: &std::path::Path,
    output: &str,
    install: &str,
) -> anyhow::Result<Option<Value>> {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/peers")
        .join(script);
    let status = std::process::Command::new(python)
        .arg(&path)
        .arg(dir)
        .stdout(std::process::Stdio::null())
        .status();
    match status {
        Ok(s) if s.success() => {
            let text = std::fs::read_to_string(dir.join(output))?
                .replace("-Infinity", "null")
                .replace("Infinity", "null")
                .replace("NaN", "null");
            Ok(Some(serde_json::from_str(&text)?))
        }
        Ok(s) => {
            eprintln!("peer failed ({s}); install it with: {install}");
            Ok(None)
        }
        Err(e) => {
            eprintln!("cannot run {python}: {e}; install Python 3 with: {install}");
            Ok(None)
        }
    }
}

/// The outcome of one comparison.
#[derive(Debug, Clone, PartialEq)]
pub enum Agreement {
    /// Checked and within tolerance: what was compared and how close.
    Agree(String),
    /// Not checked, or past the tolerance: why.
    Mismatch(String),
}

impl Agreement {
    /// The text printed in the bench table.
    pub fn text(&self) -> String {
        match self {
            Agreement::Agree(s) => s.clone(),
            Agreement::Mismatch(s) => format!("MISMATCH: {s}"),
        }
    }

    /// Whether the results agree.
    pub fn ok(&self) -> bool {
        matches!(self, Agreement::Agree(_))
    }

    /// Both must agree; the texts are joined.
    pub fn and(self, other: Agreement) -> Agreement {
        match (self, other) {
            (Agreement::Agree(a), Agreement::Agree(b)) => Agreement::Agree(format!("{a}, {b}")),
            (Agreement::Mismatch(a), Agreement::Mismatch(b)) => {
                Agreement::Mismatch(format!("{a}; {b}"))
            }
            (m @ Agreement::Mismatch(_), _) | (_, m @ Agreement::Mismatch(_)) => m,
        }
    }
}

/// How differences are measured.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Difference {
    /// |a − b| / max(|b|, 1e-300).
    Relative,
    /// |a − b|.
    Absolute,
}

/// The peer's numbers under `key`, or why there are none.
pub fn peer_numbers(peer: &Value, key: &str) -> Result<Vec<f64>, String> {
    let array = peer
        .get(key)
        .and_then(Value::as_array)
        .ok_or_else(|| format!("the peer returned no `{key}`"))?;
    array
        .iter()
        .enumerate()
        .map(|(i, v)| {
            v.as_f64()
                .ok_or_else(|| format!("`{key}`[{i}] of the peer is not a number ({v})"))
        })
        .collect()
}

/// Compares Regis's `ours` with the peer's `key`: every element, the same length, no NaN on
/// either side, the largest difference within `tolerance`.
pub fn compare(
    what: &str,
    ours: &[f64],
    peer: &Value,
    key: &str,
    difference: Difference,
    tolerance: f64,
) -> Agreement {
    let theirs = match peer_numbers(peer, key) {
        Ok(t) => t,
        Err(why) => return Agreement::Mismatch(format!("{what}: {why}")),
    };
    compare_values(what, ours, &theirs, difference, tolerance)
}

/// [`compare`] on two arrays.
pub fn compare_values(
    what: &str,
    ours: &[f64],
    theirs: &[f64],
    difference: Difference,
    tolerance: f64,
) -> Agreement {
    if ours.is_empty() {
        return Agreement::Mismatch(format!("{what}: Regis computed nothing"));
    }
    if ours.len() != theirs.len() {
        return Agreement::Mismatch(format!(
            "{what}: {} values from Regis, {} from the peer",
            ours.len(),
            theirs.len()
        ));
    }
    let mut largest = 0.0f64;
    for (i, (a, b)) in ours.iter().zip(theirs).enumerate() {
        if !a.is_finite() || !b.is_finite() {
            return Agreement::Mismatch(format!(
                "{what}: element {i} is {a} in Regis and {b} in the peer"
            ));
        }
        let d = match difference {
            Difference::Relative => (a - b).abs() / b.abs().max(1e-300),
            Difference::Absolute => (a - b).abs(),
        };
        largest = largest.max(d);
    }
    let kind = match difference {
        Difference::Relative => "rel.",
        Difference::Absolute => "abs.",
    };
    if largest > tolerance {
        Agreement::Mismatch(format!(
            "{what} max {kind} diff {largest:.1e} > {tolerance:.0e}"
        ))
    } else {
        Agreement::Agree(format!("{what} max {kind} diff {largest:.1e}"))
    }
}

/// A scalar of the peer (`key`) against Regis's, within a relative tolerance.
pub fn compare_scalar(what: &str, ours: f64, peer: &Value, key: &str, tolerance: f64) -> Agreement {
    match peer.get(key).and_then(Value::as_f64) {
        None => Agreement::Mismatch(format!("{what}: the peer returned no `{key}`")),
        Some(b) if !ours.is_finite() || !b.is_finite() => {
            Agreement::Mismatch(format!("{what}: {ours} in Regis, {b} in the peer"))
        }
        Some(b) => {
            let d = (ours - b).abs() / b.abs().max(1e-300);
            let text = format!("{what} {ours:.6} vs {b:.6}");
            if d > tolerance {
                Agreement::Mismatch(format!("{text} (rel. diff {d:.1e} > {tolerance:.0e})"))
            } else {
                Agreement::Agree(text)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn nan_short_arrays_and_missing_results_are_mismatches() {
        let ours = [0.25, 0.5, 0.75];
        let ok = compare(
            "G",
            &ours,
            &json!({"g": [0.25, 0.5, 0.75]}),
            "g",
            Difference::Relative,
            1e-12,
        );
        assert!(ok.ok(), "{ok:?}");
        // The old check printed "max diff 0" for each of these.
        let nan = compare(
            "G",
            &ours,
            &json!({"g": [0.25, null, 0.75]}),
            "g",
            Difference::Relative,
            1e-12,
        );
        assert!(!nan.ok() && nan.text().contains("not a number"), "{nan:?}");
        let nan_ours = compare_values(
            "G",
            &[0.25, f64::NAN, 0.75],
            &ours,
            Difference::Relative,
            1e-12,
        );
        assert!(
            !nan_ours.ok() && nan_ours.text().contains("NaN"),
            "{nan_ours:?}"
        );
        let short = compare(
            "G",
            &ours,
            &json!({"g": [0.25, 0.5]}),
            "g",
            Difference::Relative,
            1e-12,
        );
        assert!(
            !short.ok()
                && short
                    .text()
                    .contains("3 values from Regis, 2 from the peer")
        );
        let missing = compare("G", &ours, &json!({}), "g", Difference::Relative, 1e-12);
        assert!(!missing.ok() && missing.text().contains("no `g`"));
        let far = compare(
            "G",
            &ours,
            &json!({"g": [0.25, 0.5, 0.76]}),
            "g",
            Difference::Absolute,
            1e-6,
        );
        assert!(!far.ok() && far.text().contains("MISMATCH"), "{far:?}");
        assert!(!compare_values("G", &[], &[], Difference::Absolute, 1.0).ok());
        assert!(!compare_scalar("Q", 0.5, &json!({"q": null}), "q", 0.01).ok());
        assert!(!compare_scalar("Q", f64::NAN, &json!({"q": 0.5}), "q", 0.01).ok());
        assert!(compare_scalar("Q", 0.5, &json!({"q": 0.501}), "q", 0.01).ok());
        assert!(!ok.and(missing).ok());
    }
}
