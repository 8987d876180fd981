//! `worker`: runs invoice workflows and their activities. Configuration: `APP_…` variables
//! (see docs/configuration.md).

use invoicing_platform::{shutdown, telemetry};
use invoicing_worker::{InvoiceWorker, Settings};

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    telemetry::init();
    let settings = Settings::load()?;
    let worker = InvoiceWorker::build(&settings).await?;
    worker.run_until(shutdown::signal()).await
}
