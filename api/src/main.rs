//! `api`: serves the REST API; `api migrate` applies database migrations; `api create-admin`
//! makes an administrator; `api disable-user` and `api enable-user` lock an account out and let
//! it back in. Configuration: `APP_…` variables (see docs/configuration.md).

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
        Command::CreateAdmin { email } => {
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
            println!("{:?}", admin::set_disabled(&settings, &email, true).await?);
            Ok(())
        }
        Command::EnableUser { email } => {
            println!("{:?}", admin::set_disabled(&settings, &email, false).await?);
            Ok(())
        }
    }
}
