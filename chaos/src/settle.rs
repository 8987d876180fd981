//! After the workload and the faults: waits, on conditions and within a bound, until the
//! product is done with everything it was asked: every Stripe event handed to its workflow,
//! every change's deliveries recorded (each PDF version, e-mail and event the stored state
//! calls for), the workflow of every paid or void invoice completed, no task waiting in
//! Temporal, and nothing new recorded for a few seconds.

use crate::stack::Stack;
use invoicing_workflows::workflow_id;
use sqlx::FromRow;
use std::{
    collections::HashSet,
    time::{Duration, Instant},
};
use temporalio_client::tonic::IntoRequest;
use temporalio_common::protos::temporal::api::{
    common::v1::WorkflowExecution,
    enums::v1::{TaskQueueKind, TaskQueueType, WorkflowExecutionStatus},
    taskqueue::v1::TaskQueue,
    workflowservice::v1::{DescribeTaskQueueRequest, DescribeWorkflowExecutionRequest},
};
use uuid::Uuid;

/// What the stored state of an invoice calls for, and what of it was recorded.
#[derive(Debug, FromRow)]
struct Deliveries {
    id: Uuid,
    status: String,
    numbered: bool,
    payments: i64,
    receipts_missing: i64,
    invoice_mailed: bool,
    void_mailed: bool,
    events: i64,
    documents: i64,
}

impl Deliveries {
    /// What is still missing, in words; empty when everything was delivered.
    fn missing(&self) -> Vec<String> {
        let mut missing = Vec::new();
        if !self.numbered {
            return missing;
        }
        let (paid, void) = (self.status == "paid", self.status == "void");
        if !self.invoice_mailed {
            missing.push("the invoice e-mail".to_owned());
        }
        if self.receipts_missing > 0 {
            missing.push(format!("{} receipt(s)", self.receipts_missing));
        }
        if void && !self.void_mailed {
            missing.push("the void notice".to_owned());
        }
        let events = 1 + self.payments + i64::from(paid) + i64::from(void);
        if self.events < events {
            missing.push(format!("{} of {events} events", events - self.events));
        }
        let documents = 1 + i64::from(paid || void);
        if self.documents < documents {
            missing.push(format!(
                "{} of {documents} PDF versions",
                documents - self.documents
            ));
        }
        missing
    }
}

/// Waits until the product is quiet; returns what was still unsettled when `timeout` passed
/// (empty: settled), and how long it took.
pub async fn settle(stack: &Stack, timeout: Duration) -> anyhow::Result<(Vec<String>, f64)> {
    let started = Instant::now();
    let deadline = started + timeout;
    let mut completed: HashSet<Uuid> = HashSet::new();
    let mut last_count = -1;
    let mut still_since = Instant::now();
    let mut last_report = Instant::now();
    loop {
        let mut unsettled = Vec::new();
        let pending: i64 =
            sqlx::query_scalar("SELECT count(*) FROM stripe_events WHERE outcome = 'pending'")
                .fetch_one(&stack.db)
                .await?;
        if pending > 0 {
            unsettled.push(format!(
                "{pending} Stripe event(s) not handed to their workflow"
            ));
        }
        for invoice in deliveries(stack).await? {
            let missing = invoice.missing();
            if !missing.is_empty() {
                unsettled.push(format!("invoice {}: {}", invoice.id, missing.join(", ")));
            }
            let closed = invoice.status == "paid" || invoice.status == "void";
            if closed && !completed.contains(&invoice.id) {
                if workflow_completed(stack, invoice.id).await? {
                    completed.insert(invoice.id);
                } else {
                    unsettled.push(format!(
                        "invoice {} is {} but its workflow has not completed",
                        invoice.id, invoice.status
                    ));
                }
            }
        }
        let backlog = backlog(stack).await.unwrap_or(-1);
        if backlog != 0 {
            unsettled.push(format!("{backlog} task(s) waiting in Temporal"));
        }
        let count = recorded(stack).await?;
        if count != last_count {
            last_count = count;
            still_since = Instant::now();
        }
        let still = still_since.elapsed() >= Duration::from_secs(3);
        if unsettled.is_empty() && still {
            return Ok((Vec::new(), started.elapsed().as_secs_f64()));
        }
        if Instant::now() > deadline {
            if unsettled.is_empty() {
                unsettled.push("rows were still being recorded".to_owned());
            }
            return Ok((unsettled, started.elapsed().as_secs_f64()));
        }
        if last_report.elapsed() >= Duration::from_secs(15) {
            last_report = Instant::now();
            eprintln!(
                "[chaos] settling for {:.0}s: {} thing(s) outstanding{}",
                started.elapsed().as_secs_f64(),
                unsettled.len(),
                unsettled
                    .first()
                    .map(|first| format!(", e.g. {first}"))
                    .unwrap_or_default()
            );
        }
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
}

async fn deliveries(stack: &Stack) -> anyhow::Result<Vec<Deliveries>> {
    Ok(sqlx::query_as(
        "SELECT i.id, i.status, i.number IS NOT NULL AS numbered,
                (SELECT count(*) FROM payments p WHERE p.invoice_id = i.id) AS payments,
                (SELECT count(*) FROM payments p WHERE p.invoice_id = i.id AND NOT EXISTS
                    (SELECT 1 FROM side_effects s
                     WHERE s.invoice_id = i.id AND s.step = 'email:receipt:' || p.id)) AS receipts_missing,
                EXISTS (SELECT 1 FROM side_effects s
                        WHERE s.invoice_id = i.id AND s.step = 'email:invoice_sent') AS invoice_mailed,
                EXISTS (SELECT 1 FROM side_effects s
                        WHERE s.invoice_id = i.id AND s.step = 'email:voided') AS void_mailed,
                (SELECT count(*) FROM side_effects s
                 WHERE s.invoice_id = i.id AND s.step LIKE 'event:%') AS events,
                (SELECT count(*) FROM invoice_documents d WHERE d.invoice_id = i.id) AS documents
         FROM invoices i",
    )
    .fetch_all(&stack.db)
    .await?)
}

/// Rows the worker's activities add, all kinds together.
async fn recorded(stack: &Stack) -> anyhow::Result<i64> {
    Ok(sqlx::query_scalar(
        "SELECT (SELECT count(*) FROM invoice_events) + (SELECT count(*) FROM side_effects) \
              + (SELECT count(*) FROM invoice_documents) + (SELECT count(*) FROM payments)",
    )
    .fetch_one(&stack.db)
    .await?)
}

/// Whether the invoice's (latest) workflow run has completed.
pub async fn workflow_completed(stack: &Stack, invoice: Uuid) -> anyhow::Result<bool> {
    Ok(workflow_status(stack, invoice).await? == Some(WorkflowExecutionStatus::Completed))
}

/// The status of the invoice's latest workflow run, `None` if Temporal has none.
pub async fn workflow_status(
    stack: &Stack,
    invoice: Uuid,
) -> anyhow::Result<Option<WorkflowExecutionStatus>> {
    let request = DescribeWorkflowExecutionRequest {
        namespace: "default".to_owned(),
        execution: Some(WorkflowExecution {
            workflow_id: workflow_id(invoice),
            run_id: String::new(),
        }),
    };
    let described = stack
        .temporal
        .connection()
        .workflow_service()
        .describe_workflow_execution(request.into_request())
        .await;
    match described {
        Ok(response) => Ok(response
            .into_inner()
            .workflow_execution_info
            .map(|info| info.status())),
        Err(status) if status.code() == temporalio_client::tonic::Code::NotFound => Ok(None),
        Err(status) => Err(anyhow::anyhow!(
            "describing workflow of {invoice}: {status}"
        )),
    }
}

/// Workflow and activity tasks waiting on the run's task queue.
async fn backlog(stack: &Stack) -> anyhow::Result<i64> {
    let mut backlog = 0;
    for kind in [TaskQueueType::Workflow, TaskQueueType::Activity] {
        let request = DescribeTaskQueueRequest {
            namespace: "default".to_owned(),
            task_queue: Some(TaskQueue {
                name: stack.names.task_queue.clone(),
                kind: TaskQueueKind::Normal as i32,
                normal_name: String::new(),
            }),
            task_queue_type: kind as i32,
            report_stats: true,
            ..Default::default()
        };
        let response = stack
            .temporal
            .connection()
            .workflow_service()
            .describe_task_queue(request.into_request())
            .await?
            .into_inner();
        backlog += response.stats.map_or(0, |s| s.approximate_backlog_count);
    }
    Ok(backlog)
}
