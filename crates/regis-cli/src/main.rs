//! The `regis` binary: parses arguments, resolves them, runs one command, and maps failures
//! to exit codes that mean something.
//!
//! Exit codes: 0 success; 2 usage error (bad flags, from clap); 64 invalid argument value
//! (unknown measure, level, encoding); 65 invalid input data (the message names file, line,
//! column and value); 66 input file missing or unreadable (or a record not found); 75 an edit
//! conflict (reload and retry); 77 not permitted (or wrong credentials); 1 anything else.

mod analyse;
mod args;
mod clusters;
mod commands;
mod complexity;
mod data;
mod evaluate;
mod monitor;
mod output;
mod regionalise;
mod spatial;
mod strategy;
mod structure;
mod zones;

use clap::Parser;

/// mimalloc keeps freed blocks (a 16 MB matrix: 8 ms of page faults with glibc, BENCHMARKS.md).
#[cfg(feature = "mimalloc")]
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    let cli = args::Cli::parse();
    if let Err(e) = commands::run(cli) {
        // `regis ... | head` closing the pipe is not an error.
        // (The csv crate's error keeps its I/O error without exposing it as a source.)
        let broken = |io: &std::io::Error| io.kind() == std::io::ErrorKind::BrokenPipe;
        if e.chain().any(|c| {
            c.downcast_ref::<std::io::Error>().is_some_and(broken)
                || c.downcast_ref::<csv::Error>()
                    .is_some_and(|x| matches!(x.kind(), csv::ErrorKind::Io(io) if broken(io)))
        }) {
            std::process::exit(0);
        }
        let data_error = e.downcast_ref::<regis_data::DataError>().or_else(|| match e
            .downcast_ref::<regis_app::Error>(
        ) {
            Some(regis_app::Error::Data(d)) => Some(d),
            _ => None,
        });
        let refused = matches!(
            e.downcast_ref::<regis_app::Error>(),
            Some(regis_app::Error::NotFound { .. } | regis_app::Error::Invalid { .. })
        );
        let code = match (
            data_error,
            e.downcast_ref::<regis_monitor::MonitorError>()
                .map(|m| m.innermost()),
        ) {
            (Some(d), _) => match d.kind {
                regis_data::ErrorKind::InvalidArgument => 64,
                regis_data::ErrorKind::Io => 66,
                _ => 65,
            },
            (_, Some(regis_monitor::MonitorError::Forbidden(_))) => 77,
            (_, Some(regis_monitor::MonitorError::Unauthenticated(_))) => 77,
            (_, Some(regis_monitor::MonitorError::Conflict { .. })) => 75,
            (_, Some(regis_monitor::MonitorError::Invalid { .. })) => 65,
            (_, Some(regis_monitor::MonitorError::NotFound(_))) => 66,
            _ if refused => 64,
            _ => 1,
        };
        eprintln!("error: {e:#}");
        // Advice that can be executed: the whole command line, corrected; a refusal to the
        // public (no credentials given) says how to act as a user.
        // Arguments that are not UTF-8 (paths) get no suggestion rather than a panic.
        let args: Vec<String> = std::env::args_os()
            .map(|a| a.into_string().unwrap_or_default())
            .collect();
        let added = data_error
            .and_then(|d| d.add_flags.as_ref())
            .map(|a| regis_app::error::Fix {
                add: a.0.clone(),
                ..Default::default()
            });
        if let Some(fix) = e.downcast_ref::<regis_app::Error>().and_then(|a| a.fix()) {
            eprintln!("try: {}", regis_app::advice::corrected_command(&args, fix));
        } else if let Some(fix) = added.filter(|f| !f.add.is_empty()) {
            eprintln!("try: {}", regis_app::advice::corrected_command(&args, &fix));
        } else if code == 77 && std::env::var_os("REGIS_USER").is_none() {
            eprintln!("{}", regis_app::advice::credentials_hint(&args));
        }
        std::process::exit(code);
    }
}
