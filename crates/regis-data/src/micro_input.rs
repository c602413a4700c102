//! The input of the micro data: a Parquet or CSV file, a directory of them, or a glob.

use crate::error::{DataError, ErrorKind, Result};
use std::path::{Path, PathBuf};

/// Whether `name` matches `pattern`, where `*` is any run of characters and `?` any one (in
/// time linear in pattern × name: the last `*` is retried, never a tree of them).
fn wildcard(pattern: &[char], name: &[char]) -> bool {
    let (mut p, mut n) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while n < name.len() {
        match pattern.get(p) {
            Some('*') => {
                star = Some((p, n));
                p += 1;
            }
            Some(&c) if c == '?' || c == name[n] => {
                p += 1;
                n += 1;
            }
            _ => match star {
                Some((sp, sn)) => {
                    p = sp + 1;
                    n = sn + 1;
                    star = Some((sp, sn + 1));
                }
                None => return false,
            },
        }
    }
    pattern[p..].iter().all(|&c| c == '*')
}

/// Files Spark and Hadoop skip (`_SUCCESS`, `.crc` sidecars), skipped here too.
fn hidden(path: &Path) -> bool {
    path.file_name()
        .and_then(|n| n.to_str())
        .is_some_and(|n| n.starts_with('_') || n.starts_with('.'))
}

/// The files of an input: the file itself, every `.parquet` and `.csv` file of a directory
/// (sorted by name, not recursive), or the files a glob's last part matches
/// (`data/est-20*.parquet`; `*` and `?`).
pub fn input_files(path: &Path) -> Result<Vec<PathBuf>> {
    let shown = path.display().to_string();
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
    if !path.exists() && name.contains(['*', '?']) {
        let dir = match path.parent() {
            Some(d) if !d.as_os_str().is_empty() => d,
            _ => Path::new("."),
        };
        let pattern: Vec<char> = name.chars().collect();
        return files_in(dir, &shown, "no file matches the pattern", |p| {
            let n: Vec<char> = p
                .file_name()
                .and_then(|n| n.to_str())
                .unwrap_or("")
                .chars()
                .collect();
            wildcard(&pattern, &n)
        });
    }
    let meta = std::fs::metadata(path)
        .map_err(|e| DataError::file(ErrorKind::Io, &shown, e.to_string()))?;
    if meta.is_file() {
        return Ok(vec![path.to_path_buf()]);
    }
    files_in(
        path,
        &shown,
        "no .parquet or .csv file in the directory",
        |p| {
            p.extension()
                .and_then(|x| x.to_str())
                .is_some_and(|x| x.eq_ignore_ascii_case("parquet") || x.eq_ignore_ascii_case("csv"))
        },
    )
}

/// Whether a file written at `out` is the input or sits among it: the input file itself,
/// anywhere under an input directory, or a `.parquet` or `.csv` file in a glob's directory.
/// A report written there would replace the micro data, or be read as micro data by the
/// next run. Paths are compared with their folders resolved (`out` need not exist).
pub fn among_input(input: &Path, out: &Path) -> bool {
    let absolute = |p: &Path| -> Option<PathBuf> {
        let parent = p.parent().filter(|d| !d.as_os_str().is_empty());
        let parent = parent.unwrap_or(Path::new(".")).canonicalize().ok()?;
        Some(parent.join(p.file_name()?))
    };
    let Some(target) = absolute(out) else {
        return false;
    };
    let name = input.file_name().and_then(|n| n.to_str()).unwrap_or("");
    if input.is_dir() {
        input.canonicalize().is_ok_and(|d| target.starts_with(d))
    } else if !input.exists() && name.contains(['*', '?']) {
        let data = out
            .extension()
            .and_then(|x| x.to_str())
            .is_some_and(|x| x.eq_ignore_ascii_case("parquet") || x.eq_ignore_ascii_case("csv"));
        data && absolute(input).is_some_and(|g| g.parent() == target.parent())
    } else {
        absolute(input) == Some(target)
            || (out.exists() && input.canonicalize().ok() == out.canonicalize().ok())
    }
}

/// The files of `dir` (not hidden, sorted by name) that `keep`; none is an error saying
/// `none`.
fn files_in(
    dir: &Path,
    shown: &str,
    none: &str,
    keep: impl Fn(&Path) -> bool,
) -> Result<Vec<PathBuf>> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .map_err(|e| DataError::file(ErrorKind::Io, shown, e.to_string()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_file() && !hidden(p) && keep(p))
        .collect();
    files.sort();
    if files.is_empty() {
        return Err(DataError::file(ErrorKind::Empty, shown, none));
    }
    Ok(files)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn globs_match_the_last_part_of_a_path() {
        let w = |p: &str, n: &str| {
            wildcard(
                &p.chars().collect::<Vec<_>>(),
                &n.chars().collect::<Vec<_>>(),
            )
        };
        assert!(w("est-20*.parquet", "est-2019.parquet"));
        assert!(w("est-20??.parquet", "est-2019.parquet"));
        assert!(!w("est-20?.parquet", "est-2019.parquet"));
        assert!(!w("*.parquet", "est.csv"));
        assert!(w("*", ""));
        assert!(w("a*b*c", "axxbyyc") && !w("a*b*c", "axxbyy"));
        // No blow-up on many stars.
        let many = format!("{}b", "*a".repeat(30));
        assert!(!w(&many, &"a".repeat(60)));
        let d = std::env::temp_dir().join(format!("regis-glob-{}", std::process::id()));
        std::fs::create_dir_all(&d).unwrap();
        for f in ["a-1.parquet", "a-2.parquet", "b-1.parquet"] {
            std::fs::write(d.join(f), b"x").unwrap();
        }
        let got = input_files(&d.join("a-*.parquet")).unwrap();
        assert_eq!(got, [d.join("a-1.parquet"), d.join("a-2.parquet")]);
        let e = input_files(&d.join("c-*.parquet")).unwrap_err().to_string();
        assert!(e.contains("no file matches"), "{e}");
        std::fs::remove_dir_all(&d).unwrap();
    }
}
