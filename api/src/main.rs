//! `api`: serves the REST API; `api migrate` applies database migrations. Configuration:
//! `APP_…` variables (see the README).

use clap::{Parser, Subcommand};
use invoicing_api::{Application, Settings};

#[derive(Parser)]
#[command(about = "The invoicing REST API")]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Serve the API (the default).
    Serve,
    /// Apply pending database migrations and exit.
    Migrate,
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    invoicing_platform::telemetry::init();
    let cli = Cli::parse();
    let settings = Settings::load()?;
    match cli.command.unwrap_or(Command::Serve) {
        Command::Serve => {
            Application::build(settings)
                .await?
                .run_until_stopped()
                .await
        }
        Command::Migrate => invoicing_api::migrate(&settings).await,
    }
}
