//! The usage corpus (`tests/usage/corpus.txt`): realistic mistakes, each run as the user would
//! type it, with the exit code and a phrase its message must hold. Where a message proposes a
//! command (`try: regis ...`), that command is run too: it must be the one the corpus records
//! (`then`) and end in success, or, when none is recorded, get further (succeed, or fail with
//! another error); `never` names text a message must not hold. Entries share one fresh store,
//! in order; `$TMP` holds the workbooks the test writes (a chart sheet first, a merged header).

use std::path::{Path, PathBuf};
use std::process::Command;

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// Words as a POSIX shell splits them: single quotes (with `'\''`), double quotes, backslash.
fn shell_words(line: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut cur = String::new();
    let mut any = false;
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        match c {
            '\'' => {
                any = true;
                for q in chars.by_ref() {
                    if q == '\'' {
                        break;
                    }
                    cur.push(q);
                }
            }
            '"' => {
                any = true;
                while let Some(q) = chars.next() {
                    match q {
                        '"' => break,
                        '\\' => cur.extend(chars.next()),
                        _ => cur.push(q),
                    }
                }
            }
            '\\' => {
                any = true;
                cur.extend(chars.next());
            }
            c if c.is_whitespace() => {
                if any {
                    words.push(std::mem::take(&mut cur));
                    any = false;
                }
            }
            c => {
                any = true;
                cur.push(c);
            }
        }
    }
    if any {
        words.push(cur);
    }
    words
}

struct Run {
    code: i32,
    text: String,
}

impl Run {
    /// The command the message proposes, without `try: `.
    fn proposed(&self) -> Option<String> {
        self.text
            .lines()
            .find_map(|l| l.strip_prefix("try: "))
            .map(str::to_string)
    }

    fn first_error(&self) -> Option<&str> {
        self.text.lines().find(|l| l.starts_with("error:"))
    }
}

/// Runs a command line (`regis ...`, or the words after `regis`), leading `NAME=VALUE` words
/// as its environment.
fn run(line: &str, store: &Path) -> Run {
    let mut words = shell_words(line);
    let mut env = Vec::new();
    while words
        .first()
        .is_some_and(|w| w.contains('=') && !w.starts_with('-'))
    {
        let w = words.remove(0);
        let (k, v) = w.split_once('=').unwrap();
        env.push((k.to_string(), v.to_string()));
    }
    if words.first().is_some_and(|w| w == "regis") {
        words.remove(0);
    }
    let out = Command::new(env!("CARGO_BIN_EXE_regis"))
        .args(&words)
        .env("REGIS_STORE", store)
        .env_remove("REGIS_USER")
        .env_remove("REGIS_PASSWORD")
        .envs(env)
        .current_dir(repo())
        .output()
        .expect("run regis");
    Run {
        code: out.status.code().unwrap_or(-1),
        text: format!(
            "{}{}",
            String::from_utf8_lossy(&out.stderr),
            String::from_utf8_lossy(&out.stdout)
        ),
    }
}

struct Entry {
    line: usize,
    command: String,
    exit: i32,
    says: Vec<String>,
    never: Vec<String>,
    then: Vec<String>,
}

/// The workbooks the corpus reads, written fresh into `dir`: a chart sheet placed before the
/// data (`chart_first.xlsx`) and a header merged over two rows (`merged_header.xlsx`).
fn write_workbooks(dir: &Path) {
    use rust_xlsxwriter::{Chart, ChartType, Format, Workbook, Worksheet};
    let data = |ws: &mut Worksheet, top: u32| {
        for (r, (code, a, b)) in [
            ("서울특별시", 9729107.0, 9668465.0),
            ("울산광역시", 1142190.0, 1135423.0),
        ]
        .iter()
        .enumerate()
        {
            ws.write_string(top + r as u32, 0, *code).unwrap();
            ws.write_number(top + r as u32, 1, *a).unwrap();
            ws.write_number(top + r as u32, 2, *b).unwrap();
        }
    };
    let mut wb = Workbook::new();
    let mut sheet = Worksheet::new();
    sheet.set_name("데이터").unwrap();
    for (c, h) in ["region", "2019", "2020"].iter().enumerate() {
        sheet.write_string(0, c as u16, *h).unwrap();
    }
    data(&mut sheet, 1);
    let mut chart = Chart::new(ChartType::Column);
    chart.add_series().set_values("'데이터'!$B$2:$B$3");
    let mut chart_sheet = Worksheet::new_chartsheet();
    chart_sheet.set_name("차트").unwrap();
    chart_sheet.insert_chart(0, 0, &chart).unwrap();
    wb.push_worksheet(chart_sheet);
    wb.push_worksheet(sheet);
    wb.save(dir.join("chart_first.xlsx")).unwrap();
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.write_string(0, 0, "region").unwrap();
    ws.merge_range(0, 1, 0, 2, "population", &Format::new())
        .unwrap();
    ws.write_string(1, 1, "2019").unwrap();
    ws.write_string(1, 2, "2020").unwrap();
    data(ws, 2);
    wb.save(dir.join("merged_header.xlsx")).unwrap();
}

fn corpus(tmp: &Path) -> Vec<Entry> {
    let text = std::fs::read_to_string(repo().join("crates/regis-cli/tests/usage/corpus.txt"))
        .expect("the corpus");
    let tmp = tmp.display().to_string();
    let fill = |s: &str| s.trim().replace("$DATA", "data").replace("$TMP", &tmp);
    let mut out: Vec<Entry> = Vec::new();
    for (i, l) in text.lines().enumerate() {
        if let Some(c) = l.strip_prefix("$ ") {
            out.push(Entry {
                line: i + 1,
                command: fill(c),
                exit: -1,
                says: Vec::new(),
                never: Vec::new(),
                then: Vec::new(),
            });
        } else if let Some(e) = out.last_mut() {
            if let Some(x) = l.strip_prefix("exit ") {
                e.exit = x.trim().parse().expect("an exit code");
            } else if let Some(x) = l.strip_prefix("says ") {
                e.says.push(x.trim().to_string());
            } else if let Some(x) = l.strip_prefix("never ") {
                e.never.push(x.trim().to_string());
            } else if let Some(x) = l.strip_prefix("then ") {
                e.then.push(fill(x));
            }
        }
    }
    out
}

#[test]
fn every_mistake_of_the_corpus_gets_its_message_and_its_advice_works() {
    let store = std::env::temp_dir().join(format!("regis-usage-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&store);
    std::fs::create_dir_all(&store).unwrap();
    let files = store.join("files");
    std::fs::create_dir_all(&files).unwrap();
    write_workbooks(&files);
    let entries = corpus(&files);
    assert!(entries.len() >= 40, "{} entries", entries.len());
    let mut problems = Vec::new();
    let mut followed = 0;
    for e in &entries {
        let where_ = format!("corpus.txt:{} `regis {}`", e.line, e.command);
        let r = run(&e.command, &store);
        if r.code != e.exit {
            problems.push(format!(
                "{where_}: exit {} (expected {}):\n{}",
                r.code, e.exit, r.text
            ));
            continue;
        }
        for s in &e.says {
            if !r.text.contains(s.as_str()) {
                problems.push(format!("{where_}: does not say `{s}`:\n{}", r.text));
            }
        }
        for s in &e.never {
            if r.text.contains(s.as_str()) {
                problems.push(format!("{where_}: says `{s}`:\n{}", r.text));
            }
        }
        // The recorded sequence of proposed commands, ending in success.
        let mut last = r;
        for (k, next) in e.then.iter().enumerate() {
            match last.proposed() {
                Some(p) if p == format!("regis {next}") => {}
                other => {
                    problems.push(format!(
                        "{where_}: step {} proposes {other:?}, the corpus records `regis {next}`",
                        k + 1
                    ));
                    break;
                }
            }
            last = run(next, &store);
            followed += 1;
            if k + 1 == e.then.len() && last.code != 0 {
                problems.push(format!("{where_}: `regis {next}` fails:\n{}", last.text));
            }
        }
        // Advice not recorded must still get further.
        if e.then.is_empty() {
            if let Some(p) = last.proposed() {
                let next = run(&p, &store);
                followed += 1;
                let further = next.code == 0 || next.first_error() != last.first_error();
                if !further {
                    problems.push(format!(
                        "{where_}: the proposed `{p}` fails the same way:\n{}",
                        next.text
                    ));
                }
            }
        }
    }
    assert!(followed >= 15, "only {followed} proposed commands were run");
    assert!(problems.is_empty(), "{}", problems.join("\n\n"));
    let _ = std::fs::remove_dir_all(&store);
}

#[test]
fn shell_words_reads_what_the_advice_writes() {
    assert_eq!(
        shell_words("data import f.xlsx --filter '연령별=계' --name \"a b\" 'it'\\''s'"),
        [
            "data",
            "import",
            "f.xlsx",
            "--filter",
            "연령별=계",
            "--name",
            "a b",
            "it's"
        ]
    );
}
