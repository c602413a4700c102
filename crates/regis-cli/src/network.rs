//! `regis network`: reads the network and renders the application's answers.

use crate::args::NetworkCommand;
use crate::output::render;
use regis_app::network as app;

pub fn run(c: NetworkCommand) -> anyhow::Result<()> {
    match c {
        NetworkCommand::Summary(a) => {
            let n = app::read_network(&a.source())?;
            render(a.format, &app::summary(&n)?)
        }
        NetworkCommand::Centrality(a) => {
            let n = app::read_network(&a.source())?;
            render(a.format, &app::centrality(&n)?)
        }
        NetworkCommand::Brokerage { by, network } => {
            let n = app::read_network(&network.source())?;
            render(network.format, &app::brokerage(&n, &by)?)
        }
    }
}
