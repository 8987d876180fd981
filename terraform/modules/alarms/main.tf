# CloudWatch alarms of the original design's "Critical Alarms", notifying an encrypted SNS topic:
#   RDS CPU > 80 %, RDS free storage < 10 GB, Redis memory > 90 %, SQS depth > 1,000,
#   API error rate > 5 %
# plus what this product adds to them: any message on the dead-letter queue, RDS connections near
# max_connections, and the SES bounce and complaint rates that make SES pause sending.
# Node and pod health (the design's "EKS node count < 2") is alerted on from Prometheus inside the
# cluster (kube-state-metrics), not from CloudWatch.

data "aws_caller_identity" "current" {}

module "key" {
  source = "../kms_key"

  alias       = "${var.name}-alarms"
  description = "Encryption of the ${var.name} alarm notifications (SNS)."

  # CloudWatch publishes alarm notifications to the encrypted topic with this key.
  # https://docs.aws.amazon.com/sns/latest/dg/sns-key-management.html#compatibility-with-aws-services
  service_statements = [
    {
      Sid       = "CloudWatchAlarmsPublish"
      Effect    = "Allow"
      Principal = { Service = "cloudwatch.amazonaws.com" }
      Action    = ["kms:Decrypt", "kms:GenerateDataKey*"]
      Resource  = "*"
    },
  ]
}

resource "aws_sns_topic" "alarms" {
  name              = "${var.name}-alarms"
  display_name      = "${var.name} alarms"
  kms_master_key_id = module.key.arn
}

# E-mail subscriptions stay "pending confirmation" until someone clicks the link AWS sends.
resource "aws_sns_topic_subscription" "email" {
  for_each = toset(var.alarm_email_addresses)

  topic_arn = aws_sns_topic.alarms.arn
  protocol  = "email"
  endpoint  = each.value
}

locals {
  actions = [aws_sns_topic.alarms.arn]
}

# ---------------------------------------------------------------------------
# RDS
# ---------------------------------------------------------------------------

resource "aws_cloudwatch_metric_alarm" "rds_cpu" {
  alarm_name          = "${var.name}-rds-cpu"
  alarm_description   = "PostgreSQL ${var.db_instance_id}: CPU above ${var.rds_cpu_threshold_percent} % for 15 minutes."
  namespace           = "AWS/RDS"
  metric_name         = "CPUUtilization"
  dimensions          = { DBInstanceIdentifier = var.db_instance_id }
  statistic           = "Average"
  period              = 300
  evaluation_periods  = 3
  comparison_operator = "GreaterThanThreshold"
  threshold           = var.rds_cpu_threshold_percent
  treat_missing_data  = "missing"
  alarm_actions       = local.actions
  ok_actions          = local.actions
}

resource "aws_cloudwatch_metric_alarm" "rds_free_storage" {
  alarm_name          = "${var.name}-rds-free-storage"
  alarm_description   = "PostgreSQL ${var.db_instance_id}: less than ${var.rds_free_storage_threshold_gib} GiB of free storage (storage autoscaling may have reached its ceiling)."
  namespace           = "AWS/RDS"
  metric_name         = "FreeStorageSpace"
  dimensions          = { DBInstanceIdentifier = var.db_instance_id }
  statistic           = "Minimum"
  period              = 300
  evaluation_periods  = 1
  comparison_operator = "LessThanThreshold"
  threshold           = var.rds_free_storage_threshold_gib * 1024 * 1024 * 1024
  treat_missing_data  = "missing"
  alarm_actions       = local.actions
  ok_actions          = local.actions
}

# The environments size max_connections so that every pool at every autoscaler's maximum, with a
# rollout's surge, stays under this threshold (the budget in terraform/envs/*/variables.tf, checked
# by scripts/k8s_check.py): the alarm then means a leak or a pool out of line, not a scale-out.
resource "aws_cloudwatch_metric_alarm" "rds_connections" {
  alarm_name          = "${var.name}-rds-connections"
  alarm_description   = "PostgreSQL ${var.db_instance_id}: more than ${var.rds_connections_threshold_percent} % of max_connections (${var.rds_max_connections}) in use, above the connection budget of the pools at full scale-out; new connections will soon fail."
  namespace           = "AWS/RDS"
  metric_name         = "DatabaseConnections"
  dimensions          = { DBInstanceIdentifier = var.db_instance_id }
  statistic           = "Maximum"
  period              = 300
  evaluation_periods  = 2
  comparison_operator = "GreaterThanThreshold"
  threshold           = floor(var.rds_max_connections * var.rds_connections_threshold_percent / 100)
  treat_missing_data  = "missing"
  alarm_actions       = local.actions
  ok_actions          = local.actions
}

# ---------------------------------------------------------------------------
# ElastiCache (one alarm per node: engine metrics have no replication-group dimension)
# ---------------------------------------------------------------------------

resource "aws_cloudwatch_metric_alarm" "redis_memory" {
  for_each = toset(var.redis_node_ids)

  alarm_name          = "${var.name}-redis-memory-${each.key}"
  alarm_description   = "Redis node ${each.key}: more than ${var.redis_memory_threshold_percent} % of maxmemory used; evictions follow."
  namespace           = "AWS/ElastiCache"
  metric_name         = "DatabaseMemoryUsagePercentage"
  dimensions          = { CacheClusterId = each.key }
  statistic           = "Maximum"
  period              = 300
  evaluation_periods  = 2
  comparison_operator = "GreaterThanThreshold"
  threshold           = var.redis_memory_threshold_percent
  treat_missing_data  = "missing"
  alarm_actions       = local.actions
  ok_actions          = local.actions
}

# ---------------------------------------------------------------------------
# SQS
# ---------------------------------------------------------------------------

resource "aws_cloudwatch_metric_alarm" "events_queue_depth" {
  alarm_name          = "${var.name}-events-queue-depth"
  alarm_description   = "${var.events_queue_name}: more than ${var.queue_depth_threshold} events waiting; the downstream consumer is behind or down."
  namespace           = "AWS/SQS"
  metric_name         = "ApproximateNumberOfMessagesVisible"
  dimensions          = { QueueName = var.events_queue_name }
  statistic           = "Maximum"
  period              = 300
  evaluation_periods  = 2
  comparison_operator = "GreaterThanThreshold"
  threshold           = var.queue_depth_threshold
  treat_missing_data  = "notBreaching"
  alarm_actions       = local.actions
  ok_actions          = local.actions
}

resource "aws_cloudwatch_metric_alarm" "dead_letter_queue" {
  alarm_name          = "${var.name}-events-dead-letters"
  alarm_description   = "${var.dead_letter_queue_name}: events the consumer failed ${var.max_receive_count} times are waiting for a redrive."
  namespace           = "AWS/SQS"
  metric_name         = "ApproximateNumberOfMessagesVisible"
  dimensions          = { QueueName = var.dead_letter_queue_name }
  statistic           = "Maximum"
  period              = 300
  evaluation_periods  = 1
  comparison_operator = "GreaterThanThreshold"
  threshold           = 0
  treat_missing_data  = "notBreaching"
  alarm_actions       = local.actions
  ok_actions          = local.actions
}

# ---------------------------------------------------------------------------
# API error rate at the ALB. The ALB is created by the AWS Load Balancer Controller from the
# Ingress, after the first Terraform apply; its ARN suffix (app/<name>/<id>, the LoadBalancer
# dimension) is then passed in as alb_arn_suffix and the alarm appears on the next apply.
# ---------------------------------------------------------------------------

resource "aws_cloudwatch_metric_alarm" "api_5xx_rate" {
  count = var.alb_arn_suffix == "" ? 0 : 1

  alarm_name          = "${var.name}-api-5xx-rate"
  alarm_description   = "More than ${var.api_5xx_threshold_percent} % of API requests answered 5xx (by the api or by the ALB) in 3 of 5 minutes, counted from ${var.api_5xx_min_requests} requests a minute."
  comparison_operator = "GreaterThanThreshold"
  threshold           = var.api_5xx_threshold_percent
  evaluation_periods  = 5
  datapoints_to_alarm = 3
  treat_missing_data  = "notBreaching"
  alarm_actions       = local.actions
  ok_actions          = local.actions

  metric_query {
    id          = "rate"
    label       = "5xx responses (% of requests)"
    expression  = "IF(requests >= ${var.api_5xx_min_requests}, 100 * (FILL(target5xx, 0) + FILL(elb5xx, 0)) / requests, 0)"
    return_data = true
  }

  metric_query {
    id = "target5xx"

    metric {
      namespace   = "AWS/ApplicationELB"
      metric_name = "HTTPCode_Target_5XX_Count"
      dimensions  = { LoadBalancer = var.alb_arn_suffix }
      period      = 60
      stat        = "Sum"
    }
  }

  metric_query {
    id = "elb5xx"

    metric {
      namespace   = "AWS/ApplicationELB"
      metric_name = "HTTPCode_ELB_5XX_Count"
      dimensions  = { LoadBalancer = var.alb_arn_suffix }
      period      = 60
      stat        = "Sum"
    }
  }

  metric_query {
    id = "requests"

    metric {
      namespace   = "AWS/ApplicationELB"
      metric_name = "RequestCount"
      dimensions  = { LoadBalancer = var.alb_arn_suffix }
      period      = 60
      stat        = "Sum"
    }
  }
}

# ---------------------------------------------------------------------------
# SES reputation (account-wide metrics). SES reviews an account at 5 % bounces or 0.1 %
# complaints and may pause sending above 10 % / 0.5 %.
# https://docs.aws.amazon.com/ses/latest/dg/reputationdashboard-cloudwatch-alarm.html
# ---------------------------------------------------------------------------

resource "aws_cloudwatch_metric_alarm" "ses_bounce_rate" {
  alarm_name          = "${var.name}-ses-bounce-rate"
  alarm_description   = "SES bounce rate of account ${data.aws_caller_identity.current.account_id} above ${var.ses_bounce_rate_threshold * 100} %."
  namespace           = "AWS/SES"
  metric_name         = "Reputation.BounceRate"
  statistic           = "Maximum"
  period              = 3600
  evaluation_periods  = 1
  comparison_operator = "GreaterThanThreshold"
  threshold           = var.ses_bounce_rate_threshold
  treat_missing_data  = "notBreaching"
  alarm_actions       = local.actions
  ok_actions          = local.actions
}

resource "aws_cloudwatch_metric_alarm" "ses_complaint_rate" {
  alarm_name          = "${var.name}-ses-complaint-rate"
  alarm_description   = "SES complaint rate of account ${data.aws_caller_identity.current.account_id} above ${var.ses_complaint_rate_threshold * 100} %."
  namespace           = "AWS/SES"
  metric_name         = "Reputation.ComplaintRate"
  statistic           = "Maximum"
  period              = 3600
  evaluation_periods  = 1
  comparison_operator = "GreaterThanThreshold"
  threshold           = var.ses_complaint_rate_threshold
  treat_missing_data  = "notBreaching"
  alarm_actions       = local.actions
  ok_actions          = local.actions
}
