//! The scenarios of `scripts/bench`, each measured against a baseline taken in the same run.

pub mod aging;
pub mod books;
pub mod create;
pub mod export;
pub mod history;
pub mod lifecycle;
pub mod pdf;
pub mod read;
pub mod scale;
pub mod webhooks;

use crate::{client::Api, consumer::Consumer, stack::Stack};
use anyhow::bail;
use futures::{StreamExt, stream};
use invoicing_workflows::{InvoiceWorkflow, workflow_id};
use sqlx::PgPool;
use std::{
    future::Future,
    time::{Duration, Instant},
};
use temporalio_client::{WorkflowGetResultOptions, tonic::IntoRequest};
use temporalio_common::protos::temporal::api::{
    enums::v1::{TaskQueueKind, TaskQueueType},
    taskqueue::v1::TaskQueue,
    workflowservice::v1::DescribeTaskQueueRequest,
};
use uuid::Uuid;

/// What every scenario gets: the running product and a client of its API.
pub struct Bench {
    pub stack: Stack,
    pub api: Api,
    /// Production's downstream of the lifecycle events.
    pub consumer: Consumer,
    /// The accountant's books, seeded by the first scenario that reads them.
    pub books: Option<books::Books>,
}

/// Polls `check` every 200 ms until it returns `Some`, or fails after `timeout` naming `what`.
pub async fn wait_for<T, F, Fut>(what: &str, timeout: Duration, mut check: F) -> anyhow::Result<T>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = anyhow::Result<Option<T>>>,
{
    let deadline = Instant::now() + timeout;
    loop {
        if let Some(value) = check().await? {
            return Ok(value);
        }
        if Instant::now() > deadline {
            bail!("timed out after {timeout:?} waiting for {what}");
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

/// Waits until every one of `invoices` has been e-mailed to its client (the last step of
/// sending) and the product is [`quiet`]: the worker has nothing left to do for them.
pub async fn sends_settled(
    bench: &Bench,
    invoices: &[Uuid],
    timeout: Duration,
) -> anyhow::Result<()> {
    let expected = invoices.len() as i64;
    wait_for("every invoice to be e-mailed", timeout, || async {
        let emailed: i64 = sqlx::query_scalar(
            "SELECT count(*) FROM side_effects WHERE invoice_id = ANY($1) AND step = 'email:invoice_sent'",
        )
        .bind(invoices)
        .fetch_one(&bench.stack.db)
        .await?;
        Ok((emailed >= expected).then_some(()))
    })
    .await?;
    quiet(bench).await
}

/// Waits until the workflows of `invoices` have completed (a paid invoice's workflow finishes
/// once its last notification is out), long-polling Temporal for each.
pub async fn workflows_completed(bench: &Bench, invoices: &[Uuid]) -> anyhow::Result<()> {
    let results: Vec<anyhow::Result<()>> = stream::iter(invoices.iter().copied())
        .map(|id| async move {
            bench
                .stack
                .temporal
                .get_workflow_handle::<InvoiceWorkflow>(workflow_id(id))
                .get_result(WorkflowGetResultOptions::default())
                .await
                .map(drop)
                .map_err(|e| anyhow::anyhow!("the workflow of invoice {id}: {e}"))
        })
        .buffer_unordered(100)
        .collect()
        .await;
    results.into_iter().collect()
}

/// Waits until the product is quiet: Temporal holds no backlog of tasks for the product's or
/// the baseline's workers, nothing new has been recorded (timeline entries, side effects,
/// PDF versions, payments) for two seconds, and the downstream consumer has taken every event.
/// What one scenario set going (a thousand receipts after a thousand webhooks, say) is then not
/// measured as part of the next.
pub async fn quiet(bench: &Bench) -> anyhow::Result<()> {
    let deadline = Instant::now() + Duration::from_secs(900);
    let mut last = (recorded(&bench.stack.db).await?, Instant::now());
    loop {
        tokio::time::sleep(Duration::from_millis(500)).await;
        let now = recorded(&bench.stack.db).await?;
        if now != last.0 {
            last = (now, Instant::now());
        } else if last.1.elapsed() >= Duration::from_secs(2)
            && backlog(bench).await? == 0
            && bench.consumer.backlog().await? == 0
        {
            return Ok(());
        }
        if Instant::now() > deadline {
            bail!("the product was still busy after 15 minutes");
        }
    }
}

/// Rows the worker's activities add, all kinds together.
async fn recorded(db: &PgPool) -> anyhow::Result<i64> {
    Ok(sqlx::query_scalar(
        "SELECT (SELECT count(*) FROM invoice_events) + (SELECT count(*) FROM side_effects) \
              + (SELECT count(*) FROM invoice_documents) + (SELECT count(*) FROM payments)",
    )
    .fetch_one(db)
    .await?)
}

/// Workflow and activity tasks waiting on the product's and the baseline's queues.
async fn backlog(bench: &Bench) -> anyhow::Result<i64> {
    let mut backlog = 0;
    for queue in [&bench.stack.task_queue, &bench.stack.baseline_queue] {
        for kind in [TaskQueueType::Workflow, TaskQueueType::Activity] {
            let request = DescribeTaskQueueRequest {
                namespace: "default".to_owned(),
                task_queue: Some(TaskQueue {
                    name: queue.clone(),
                    kind: TaskQueueKind::Normal as i32,
                    normal_name: String::new(),
                }),
                task_queue_type: kind as i32,
                report_stats: true,
                ..Default::default()
            };
            let response = bench
                .stack
                .temporal
                .connection()
                .workflow_service()
                .describe_task_queue(request.into_request())
                .await?
                .into_inner();
            backlog += response.stats.map_or(0, |s| s.approximate_backlog_count);
        }
    }
    Ok(backlog)
}
