//! Local mode only: create the AWS resources the activities use if they are missing (on the
//! local endpoint, `scripts/dev` starts with none). In production Terraform owns them.

use crate::events::EventSettings;
use anyhow::Context;
use aws_sdk_s3::types::{
    BucketVersioningStatus, ServerSideEncryption, ServerSideEncryptionByDefault,
    ServerSideEncryptionConfiguration, ServerSideEncryptionRule, VersioningConfiguration,
};
use aws_sdk_sqs::types::QueueAttributeName;
use invoicing_platform::aws::DocumentSettings;
use std::collections::HashMap;

/// The bucket (versioned, encrypted by default), the event queue with its dead-letter queue,
/// and the sender's SES identity.
pub async fn local_resources(
    s3: &aws_sdk_s3::Client,
    sqs: &aws_sdk_sqs::Client,
    ses: &aws_sdk_sesv2::Client,
    documents: &DocumentSettings,
    events: &EventSettings,
    sender: &str,
) -> anyhow::Result<()> {
    bucket(s3, &documents.bucket).await?;
    queues(sqs, events).await?;
    identity(ses, sender).await?;
    tracing::info!(
        bucket = %documents.bucket,
        queue = %events.queue_name,
        sender,
        "local AWS resources ready"
    );
    Ok(())
}

async fn bucket(s3: &aws_sdk_s3::Client, bucket: &str) -> anyhow::Result<()> {
    if s3.head_bucket().bucket(bucket).send().await.is_err() {
        s3.create_bucket()
            .bucket(bucket)
            .send()
            .await
            .with_context(|| format!("creating bucket {bucket}"))?;
    }
    s3.put_bucket_versioning()
        .bucket(bucket)
        .versioning_configuration(
            VersioningConfiguration::builder()
                .status(BucketVersioningStatus::Enabled)
                .build(),
        )
        .send()
        .await
        .with_context(|| format!("enabling versioning on {bucket}"))?;
    s3.put_bucket_encryption()
        .bucket(bucket)
        .server_side_encryption_configuration(
            ServerSideEncryptionConfiguration::builder()
                .rules(
                    ServerSideEncryptionRule::builder()
                        .apply_server_side_encryption_by_default(
                            ServerSideEncryptionByDefault::builder()
                                .sse_algorithm(ServerSideEncryption::Aes256)
                                .build()?,
                        )
                        .build(),
                )
                .build()?,
        )
        .send()
        .await
        .with_context(|| format!("setting default encryption on {bucket}"))?;
    Ok(())
}

async fn queues(sqs: &aws_sdk_sqs::Client, events: &EventSettings) -> anyhow::Result<()> {
    let fifo = |extra: &[(QueueAttributeName, String)]| {
        let mut attributes = HashMap::from([(QueueAttributeName::FifoQueue, "true".to_owned())]);
        attributes.extend(extra.iter().cloned());
        attributes
    };
    let dead_letter_url = sqs
        .create_queue()
        .queue_name(&events.dead_letter_queue_name)
        .set_attributes(Some(fifo(&[])))
        .send()
        .await
        .with_context(|| format!("creating queue {}", events.dead_letter_queue_name))?
        .queue_url
        .context("SQS returned no dead-letter queue URL")?;
    let dead_letter_arn = sqs
        .get_queue_attributes()
        .queue_url(&dead_letter_url)
        .attribute_names(QueueAttributeName::QueueArn)
        .send()
        .await
        .context("reading the dead-letter queue's ARN")?
        .attributes
        .and_then(|attributes| attributes.get(&QueueAttributeName::QueueArn).cloned())
        .context("SQS returned no dead-letter queue ARN")?;
    let redrive = serde_json::json!({
        "deadLetterTargetArn": dead_letter_arn,
        "maxReceiveCount": events.max_receive_count.to_string(),
    });
    sqs.create_queue()
        .queue_name(&events.queue_name)
        .set_attributes(Some(fifo(&[(
            QueueAttributeName::RedrivePolicy,
            redrive.to_string(),
        )])))
        .send()
        .await
        .with_context(|| format!("creating queue {}", events.queue_name))?;
    Ok(())
}

async fn identity(ses: &aws_sdk_sesv2::Client, sender: &str) -> anyhow::Result<()> {
    let exists = ses
        .get_email_identity()
        .email_identity(sender)
        .send()
        .await
        .is_ok();
    if !exists {
        ses.create_email_identity()
            .email_identity(sender)
            .send()
            .await
            .with_context(|| format!("creating the SES identity {sender}"))?;
    }
    Ok(())
}
