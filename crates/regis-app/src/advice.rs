//! Advice that can be executed: the nearest known name to a misspelt one, and the whole
//! corrected command line built from the command a user typed and the [`Fix`] an error
//! proposes (the CLI prints it after the error; a test runs it).

use crate::error::Fix;

/// The candidate nearest to `text` (case-insensitive edit distance within a third of its
/// length, at least 1, or a candidate that starts with it), if any.
///
/// ```
/// use regis_app::advice::nearest;
/// let ids = ["population", "grdp_nominal", "grdp_real"];
/// assert_eq!(nearest("populaton", ids), Some("population"));
/// assert_eq!(nearest("GRDP", ids), Some("grdp_nominal"));
/// assert_eq!(nearest("employment", ids), None);
/// ```
pub fn nearest<'a>(text: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let t = text.to_lowercase();
    let budget = (t.chars().count() / 3).max(1);
    let mut best: Option<(usize, &str)> = None;
    for c in candidates {
        let l = c.to_lowercase();
        let d = if l.starts_with(&t) && t.chars().count() >= 3 {
            0
        } else {
            regis_core::suggest::edit_distance(&t, &l)
        };
        if d <= budget && best.is_none_or(|(b, _)| d < b) {
            best = Some((d, c));
        }
    }
    best.map(|(_, c)| c)
}

/// A word as a POSIX shell reads it back: as it is when it holds only safe characters,
/// otherwise in single quotes.
///
/// ```
/// assert_eq!(regis_app::advice::shell_word("2020"), "2020");
/// assert_eq!(regis_app::advice::shell_word("항목=당해년가격"), "'항목=당해년가격'");
/// assert_eq!(regis_app::advice::shell_word("it's"), "'it'\\''s'");
/// ```
pub fn shell_word(w: &str) -> String {
    // A leading `=` is expanded by zsh; control characters are never safe bare.
    let safe = !w.is_empty()
        && !w.starts_with('=')
        && w.chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_./:,@%+=".contains(c));
    if safe {
        w.to_string()
    } else {
        format!("'{}'", w.replace('\'', "'\\''"))
    }
}

/// The command `args` (as typed, the program first) with `fix` applied: each parameter's
/// flag (`--name`, `_` written `-`) set to its value where it stands (`--flag value` or
/// `--flag=value`), added at the end when absent, or removed; the program is written `regis`.
///
/// ```
/// use regis_app::advice::corrected_command;
/// use regis_app::error::Fix;
/// let args: Vec<String> = ["/usr/bin/regis", "data", "export", "--measure", "populaton", "--period=2020"]
///     .iter().map(|s| s.to_string()).collect();
/// let fix = Fix { set: vec![("measure", Some("population".into())), ("period", None), ("level", Some("province".into()))], given: None, add: vec![] };
/// assert_eq!(corrected_command(&args, &fix), "regis data export --measure population --level province");
/// // A value given without its flag is replaced where it stands.
/// let args: Vec<String> = ["regis", "data", "show", "populaton"].iter().map(|s| s.to_string()).collect();
/// let fix = Fix { set: vec![("measure", Some("population".into()))], given: Some("populaton".into()), add: vec![] };
/// assert_eq!(corrected_command(&args, &fix), "regis data show population");
/// // A repeatable flag is added once more.
/// let fix = Fix { add: vec![("filter".into(), "성별=계".into())], ..Fix::default() };
/// assert_eq!(corrected_command(&args, &fix), "regis data show populaton --filter '성별=계'");
/// // The repeated flag's occurrence the user gave is the one corrected.
/// let args: Vec<String> = ["regis", "x", "--region", "Seoul", "--region", "Busn"].iter().map(|s| s.to_string()).collect();
/// let fix = Fix { set: vec![("region", Some("Busan".into()))], given: Some("Busn".into()), add: vec![] };
/// assert_eq!(corrected_command(&args, &fix), "regis x --region Seoul --region Busan");
/// ```
pub fn corrected_command(args: &[String], fix: &Fix) -> String {
    let mut words: Vec<String> = args.iter().skip(1).cloned().collect();
    for (k, (param, value)) in fix.set.iter().enumerate() {
        let flag = format!("--{}", param.replace('_', "-"));
        let eq = format!("{flag}=");
        // The occurrence the user gave (a flag may be repeated), else the first.
        let given = fix.given.as_deref().filter(|_| k == 0);
        let at = given
            .and_then(|g| {
                (0..words.len()).find(|&i| {
                    words[i] == format!("{eq}{g}")
                        || (i + 1 < words.len() && words[i] == flag && words[i + 1] == g)
                })
            })
            .or_else(|| words.iter().position(|w| *w == flag || w.starts_with(&eq)));
        match (at, value) {
            (Some(i), Some(v)) => {
                if words[i] == flag {
                    if i + 1 < words.len() {
                        words[i + 1] = v.clone();
                    } else {
                        words.push(v.clone());
                    }
                } else {
                    words[i] = format!("{eq}{v}");
                }
            }
            (Some(i), None) => {
                let n = if words[i] == flag && i + 1 < words.len() {
                    2
                } else {
                    1
                };
                words.drain(i..i + n);
            }
            (None, Some(v)) => {
                let bare = fix
                    .given
                    .as_ref()
                    .filter(|_| k == 0)
                    .and_then(|g| words.iter().position(|w| w == g));
                match bare {
                    Some(i) => words[i] = v.clone(),
                    None => {
                        words.push(flag);
                        words.push(v.clone());
                    }
                }
            }
            (None, None) => {}
        }
    }
    for (flag, value) in &fix.add {
        let flag = format!("--{}", flag.replace('_', "-"));
        let eq = format!("{flag}=");
        // `--filter` repeats; any other flag already given gets the new value instead.
        let at = (flag != "--filter")
            .then(|| words.iter().position(|w| *w == flag || w.starts_with(&eq)))
            .flatten();
        match at {
            Some(i) if words[i] == flag && i + 1 < words.len() => words[i + 1] = value.clone(),
            Some(i) => words[i] = format!("{eq}{value}"),
            None => {
                words.push(flag);
                words.push(value.clone());
            }
        }
    }
    std::iter::once("regis".to_string())
        .chain(words.iter().map(|w| shell_word(w)))
        .collect::<Vec<_>>()
        .join(" ")
}

/// What a refusal to the public (a monitoring command run without credentials) says next:
/// that it ran as the public, and the command again with the credentials' variables.
///
/// ```
/// let args = vec!["regis".to_string(), "monitor".into(), "demo".into()];
/// let hint = regis_app::advice::credentials_hint(&args);
/// assert!(hint.ends_with("try: REGIS_USER=admin REGIS_PASSWORD=… regis monitor demo"));
/// ```
pub fn credentials_hint(args: &[String]) -> String {
    format!(
        "note: no credentials were given, so this ran as the public; set REGIS_USER and REGIS_PASSWORD (the administrator made by `regis monitor init`, or a user it created)\ntry: REGIS_USER=admin REGIS_PASSWORD=… {}",
        corrected_command(args, &Fix::default())
    )
}
