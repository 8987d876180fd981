# The lifecycle event queue (FIFO) and its dead-letter queue.
#
# - Content-based deduplication is off: the worker sets a MessageDeduplicationId (the event id)
#   and a MessageGroupId (the invoice) on every message.
# - High-throughput FIFO (deduplication and throughput limit per message group): ordering only
#   matters within one invoice.
#   https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/high-throughput-fifo.html
# - SSE-SQS (queue encryption with SQS-owned keys): encrypted at rest without granting the worker
#   and the downstream consumer (not part of this product) kms:GenerateDataKey/Decrypt on a key.
# - A consumer that fails a message max_receive_count times moves it to the DLQ, which only this
#   queue may use (redrive allow policy).

resource "aws_sqs_queue" "dead_letter" {
  name                        = var.dead_letter_queue_name
  fifo_queue                  = true
  content_based_deduplication = false
  message_retention_seconds   = var.dead_letter_retention_seconds
  sqs_managed_sse_enabled     = true
}

resource "aws_sqs_queue" "events" {
  name                        = var.queue_name
  fifo_queue                  = true
  content_based_deduplication = false
  deduplication_scope         = "messageGroup"
  fifo_throughput_limit       = "perMessageGroupId"
  message_retention_seconds   = var.message_retention_seconds
  visibility_timeout_seconds  = var.visibility_timeout_seconds
  sqs_managed_sse_enabled     = true

  redrive_policy = jsonencode({
    deadLetterTargetArn = aws_sqs_queue.dead_letter.arn
    maxReceiveCount     = var.max_receive_count
  })
}

resource "aws_sqs_queue_redrive_allow_policy" "dead_letter" {
  queue_url = aws_sqs_queue.dead_letter.id

  redrive_allow_policy = jsonencode({
    redrivePermission = "byQueue"
    sourceQueueArns   = [aws_sqs_queue.events.arn]
  })
}

data "aws_iam_policy_document" "tls_only" {
  for_each = {
    events      = aws_sqs_queue.events.arn
    dead_letter = aws_sqs_queue.dead_letter.arn
  }

  statement {
    sid       = "DenyInsecureTransport"
    effect    = "Deny"
    actions   = ["sqs:*"]
    resources = [each.value]

    principals {
      type        = "*"
      identifiers = ["*"]
    }

    condition {
      test     = "Bool"
      variable = "aws:SecureTransport"
      values   = ["false"]
    }
  }
}

resource "aws_sqs_queue_policy" "events" {
  queue_url = aws_sqs_queue.events.id
  policy    = data.aws_iam_policy_document.tls_only["events"].json
}

resource "aws_sqs_queue_policy" "dead_letter" {
  queue_url = aws_sqs_queue.dead_letter.id
  policy    = data.aws_iam_policy_document.tls_only["dead_letter"].json
}
