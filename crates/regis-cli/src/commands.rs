//! The commands' dispatch, `data import|check`, `report`, `regions`, `industries`, `groups` and
//! `serve`; `data list|show|export` are in `data.rs`.

use regis_data::{korea, DataError};

use crate::args::{Cli, Command, DataCommand, Lang};
use crate::output::render;
use regis_app::imported::import_file;
use regis_app::source::{parse_level, store_dir};

/// Runs the parsed command line.
pub fn run(cli: Cli) -> anyhow::Result<()> {
    let store = store_dir(&cli.store);
    let lang = cli.lang;
    match cli.command {
        Command::Monitor(m) => crate::monitor::run(&store, m),
        Command::Data(DataCommand::List(f)) => crate::data::data_list(&store, f.format),
        Command::Data(DataCommand::Show(a)) => crate::data::data_show(&store, &a.measure, a.format),
        Command::Data(DataCommand::Import(a)) => {
            let level = a.level.as_deref().map(parse_level).transpose()?;
            let m = a.mapping.mapping();
            let summary = import_file(&a.file, &a.measure, level, &m, Some(&store))?;
            render(a.format, &summary)
        }
        Command::Data(DataCommand::Check(a)) => {
            let level = a.level.as_deref().map(parse_level).transpose()?;
            let m = a.mapping.mapping();
            render(
                a.format,
                &import_file(&a.file, &a.measure, level, &m, None)?,
            )
        }
        Command::Data(DataCommand::Export(a)) => crate::data::export(&store, *a, lang),
        Command::Data(DataCommand::GenerateEstablishments(a)) => {
            render(a.format, &regis_app::micro::generate(&a.request())?)
        }
        Command::Micro(m) => crate::output::micro(&store, &m),
        Command::Regions(a) => regions(a, lang),
        Command::Diagnose(a) => crate::analyse::diagnose(&store, *a, lang),
        Command::Specialise(a) => crate::structure::specialise(&store, *a, lang),
        Command::ShiftShare(a) => crate::structure::shift_share(&store, *a, lang),
        Command::Convergence(a) => crate::structure::convergence(&store, *a, lang),
        Command::Spatial(a) => crate::spatial::spatial(&store, *a, lang),
        Command::Complexity(a) => crate::complexity::complexity(&store, *a, lang),
        Command::Strategy(a) => crate::strategy::strategy(&store, *a, lang),
        Command::Clusters(a) => crate::clusters::clusters(&store, *a, lang),
        Command::Evaluate(crate::args::EvaluateCommand::Cs(a)) => {
            crate::evaluate::cs(&store, *a, lang, false)
        }
        Command::Evaluate(crate::args::EvaluateCommand::Did(a)) => {
            crate::evaluate::cs(&store, *a, lang, true)
        }
        Command::Evaluate(crate::args::EvaluateCommand::Sc(a)) => {
            crate::evaluate::sc(&store, *a, lang)
        }
        Command::Evaluate(crate::args::EvaluateCommand::Sdid(a)) => {
            crate::evaluate::sdid(&store, *a, lang)
        }
        Command::Io(crate::args::IoCommand::Multipliers(a)) => io_table(&store, a, "multipliers"),
        Command::Io(crate::args::IoCommand::Linkages(a)) => io_table(&store, a, "linkages"),
        Command::Io(crate::args::IoCommand::Extraction(a)) => io_table(&store, a, "extraction"),
        Command::Network(c) => {
            let (question, a) = c.question();
            let n = match a.from_monitoring {
                true => crate::monitor::network(&store)?,
                false => regis_app::network::read_network(&a.source())?,
            };
            match a.format.report() {
                Some(f) => render(f, &regis_app::network_groups::answer(&n, &question)?),
                None => {
                    print!("{}", regis_app::network_graphml::graphml(&n, &question)?);
                    Ok(())
                }
            }
        }
        Command::Io(crate::args::IoCommand::Tables { format }) => {
            render(format, &regis_app::io::tables(&store)?)
        }
        Command::Io(crate::args::IoCommand::Import(a)) => {
            let info = regis_data::io_store::IoTableInfo::new(a.id, a.year, a.region, a.kind);
            let table = io_request(&store, &a.io)?;
            let q = regis_app::io::ImportRequest { table, store, info };
            render(a.io.format, &regis_app::io::import(&q)?)
        }
        Command::Io(crate::args::IoCommand::Regionalise(a)) => io_regionalise(a),
        Command::Io(crate::args::IoCommand::Mrio(a)) => {
            let q = regis_app::io_mrio::MrioRequest {
                final_demand: a.io.final_demand.clone(),
                table: io_request(&store, &a.io)?,
                extension: a.extension,
            };
            render(a.io.format, &regis_app::io_mrio::mrio(&q)?)
        }
        Command::Zones(crate::args::ZonesCommand::Lma(a)) => crate::zones::lma(a),
        Command::Zones(crate::args::ZonesCommand::Leiden(a)) => crate::zones::leiden(a),
        Command::Zones(crate::args::ZonesCommand::Maxp(a)) => crate::regionalise::maxp(&store, a),
        Command::Zones(crate::args::ZonesCommand::Skater(a)) => {
            crate::regionalise::skater_regions(&store, a)
        }
        Command::Bench(a) => regis_bench::bench(regis_bench::BenchOptions {
            task: a.task,
            units: a.units,
            periods: a.periods,
            permutations: a.permutations,
            python: a.python,
            no_peer: a.no_peer,
        }),
        Command::Loadtest(a) => regis_bench::loadtest(
            regis_bench::LoadtestOptions {
                url: a.url,
                clients: a.clients,
                seconds: a.seconds,
                heavy: a.heavy,
            },
            &store,
        ),
        Command::Report(a) => {
            if a.out.is_none() && a.xlsx.is_none() {
                return Err(DataError::argument(
                    "give --out report.html and/or --xlsx report.xlsx",
                )
                .into());
            }
            let mut state = regis_server::AppState::new(Some(store.clone()));
            if store.join("monitor.sqlite").exists() {
                state.monitor = Some(crate::monitor::open_store(&store)?.0);
            }
            let lang = lang.into();
            let generated = regis_server::report::generated_now(lang);
            let (html, v) = regis_server::report::region_report(
                &state, &a.region, &a.measure, lang, &generated,
            )
            .map_err(|e| DataError::argument(e.message))?;
            if let Some(out) = &a.out {
                regis_data::atomic::write_atomic(out, html.as_bytes())?;
                eprintln!("wrote {} ({} bytes)", out.display(), html.len());
            }
            if let Some(x) = &a.xlsx {
                let bytes = regis_data::export::workbook(&regis_server::report::tables(&v, lang))?;
                regis_data::atomic::write_atomic(x, &bytes)?;
                eprintln!("wrote {}", x.display());
            }
            Ok(())
        }
        Command::Serve(a) => {
            let addr = a.address()?;
            // Parse the built-in data before the first request.
            for m in korea::MEASURE_IDS {
                korea::dataset(m)?;
            }
            // Session tokens come from the OS generator only: refuse to start without it.
            regis_monitor::auth::os_random(&mut [0u8; 32])
                .map_err(|e| DataError::argument(format!("cannot serve: {e}; sessions need it")))?;
            let mut state = regis_server::AppState::new(Some(store.clone()));
            state.secure_cookies = a.secure_cookies()?;
            // The monitoring store: $REGIS_MONITOR_URL (PostgreSQL) or the embedded SQLite file.
            let (monitor, shown) = crate::monitor::open_store(&store)?;
            state.monitor = Some(monitor);
            eprintln!(
                "monitoring store: {shown} (create the first administrator with `regis monitor init`)"
            );
            let restored = state
                .restore_sessions()
                .map_err(|e| anyhow::anyhow!("cannot read the login sessions: {}", e.message))?;
            if restored > 0 {
                eprintln!("{restored} login session(s) restored");
            }
            let rt = tokio::runtime::Builder::new_multi_thread()
                .enable_all()
                .build()?;
            rt.block_on(regis_server::serve(state, addr))?;
            Ok(())
        }
        Command::Industries(a) => crate::output::print_table(
            a.format,
            &regis_app::catalog::industries(&a.classification, a.depth)?,
        ),
        Command::Groups(f) => crate::output::print_table(f.format, &regis_app::catalog::groups()),
    }
}

fn regions(a: crate::args::RegionsArgs, lang: Lang) -> anyhow::Result<()> {
    let table = match &a.find {
        Some(text) => regis_app::catalog::find_region(text, a.year),
        None => regis_app::catalog::regions(
            parse_level(&a.level)?,
            a.year,
            a.group.as_deref(),
            lang.into(),
        )?,
    };
    crate::output::print_table(a.format, &table)
}

/// `regis io regionalise`
fn io_regionalise(a: crate::args::RegionaliseArgs) -> anyhow::Result<()> {
    use regis_app::io_region::{calibrate, regionalise, IoSource, RegionaliseRequest};
    if a.calibrate {
        return render(a.format, &calibrate()?);
    }
    let source = match (a.flows, a.sectors) {
        (Some(flows), Some(sectors)) => IoSource::Files {
            request: Box::new(a.columns.request(&flows, &sectors)?),
            by_employment: regis_app::io_region::by_employment(&a.size)?,
        },
        _ => IoSource::Builtin,
    };
    let q = RegionaliseRequest {
        source,
        region: a.region.unwrap_or_default(),
        quotient: regis_app::io_region::quotient(&a.quotient, a.delta)?,
        balance: a.balance,
    };
    render(a.format, &regionalise(&q)?)
}

/// The table of an io command: the files, or the built-in table at --table sectors.
fn io_request(
    store: &std::path::Path,
    a: &crate::args::IoArgs,
) -> anyhow::Result<regis_app::io::MultipliersRequest> {
    let mut q = match (&a.stored, &a.flows, &a.sectors) {
        (Some(id), _, _) => regis_app::io::MultipliersRequest::stored(store, id),
        (None, Some(f), Some(s)) => a.columns.request(f, s)?,
        _ => regis_app::io::MultipliersRequest::builtin(regis_app::io::builtin_level(a.table)?),
    };
    q.household_closure = a.household_closure;
    Ok(q)
}

/// `regis io multipliers|linkages|extraction`
fn io_table(store: &std::path::Path, a: crate::args::IoArgs, question: &str) -> anyhow::Result<()> {
    let mut q = io_request(store, &a)?;
    q.final_demand = a.final_demand;
    match question {
        "linkages" => return render(a.format, &regis_app::io::linkages(&q)?),
        "extraction" => return render(a.format, &regis_app::io::extractions(&q)?),
        _ => {}
    }
    render(a.format, &regis_app::io::multipliers(&q)?)
}
