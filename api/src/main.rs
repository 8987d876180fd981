//! `api`: serves the REST API; `api migrate` applies database migrations; `api create-admin`
//! makes an administrator; `api disable-user` and `api enable-user` lock an account out and let
//! it back in; `api openapi` prints the OpenAPI document. Configuration: `APP_…` variables (see
//! docs/configuration.md).

use clap::{Parser, Subcommand};
use invoicing_api::{Application, Settings, admin};
use std::io::BufRead;

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
    /// Make an account an administrator, creating it if needed. The password of a new account
    /// is read from ADMIN_PASSWORD, or else from the first line of standard input.
    CreateAdmin {
        #[arg(long)]
        email: String,
    },
    /// Disable an account: all its sessions end, and it cannot sign in until enabled again.
    DisableUser {
        #[arg(long)]
        email: String,
    },
    /// Enable a disabled account again.
    EnableUser {
        #[arg(long)]
        email: String,
    },
    /// Print the OpenAPI document, exactly as `GET /api/openapi.json` serves it (pretty-printed),
    /// and exit. Needs no configuration (scripts/web-types generates the web app's types from it).
    Openapi,
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    invoicing_platform::telemetry::init();
    let cli = Cli::parse();
    match cli.command.unwrap_or(Command::Serve) {
        Command::Serve => {
            Application::build(Settings::load()?)
                .await?
                .run_until_stopped()
                .await
        }
        Command::Migrate => invoicing_api::migrate(&Settings::load()?).await,
        Command::CreateAdmin { email } => {
            let settings = Settings::load()?;
            let password = match std::env::var("ADMIN_PASSWORD") {
                Ok(password) => Some(password),
                Err(_) => std::io::stdin()
                    .lock()
                    .lines()
                    .next()
                    .transpose()?
                    .filter(|line| !line.is_empty()),
            };
            let outcome = admin::create_admin(&settings, &email, password).await?;
            println!("{outcome:?}");
            Ok(())
        }
        Command::DisableUser { email } => {
            let outcome = admin::set_disabled(&Settings::load()?, &email, true).await?;
            println!("{outcome:?}");
            Ok(())
        }
        Command::EnableUser { email } => {
            let outcome = admin::set_disabled(&Settings::load()?, &email, false).await?;
            println!("{outcome:?}");
            Ok(())
        }
        // The document is the code's: no settings are loaded, so none can be missing.
        Command::Openapi => {
            let document = serde_json::to_string_pretty(&invoicing_api::openapi_document())?;
            println!("{document}");
            Ok(())
        }
    }
}
