output "sns_topic_arn" {
  description = "ARN of the alarm topic (Alertmanager or other tools can publish to it too)."
  value       = aws_sns_topic.alarms.arn
}

output "alarm_names" {
  description = "Names of the alarms created."
  value = concat(
    [
      aws_cloudwatch_metric_alarm.rds_cpu.alarm_name,
      aws_cloudwatch_metric_alarm.rds_free_storage.alarm_name,
      aws_cloudwatch_metric_alarm.rds_connections.alarm_name,
      aws_cloudwatch_metric_alarm.events_queue_depth.alarm_name,
      aws_cloudwatch_metric_alarm.dead_letter_queue.alarm_name,
      aws_cloudwatch_metric_alarm.ses_bounce_rate.alarm_name,
      aws_cloudwatch_metric_alarm.ses_complaint_rate.alarm_name,
    ],
    [for alarm in aws_cloudwatch_metric_alarm.redis_memory : alarm.alarm_name],
    aws_cloudwatch_metric_alarm.api_5xx_rate[*].alarm_name,
  )
}
