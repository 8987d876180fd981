output "queue_name" {
  description = "Name of the event queue (APP_EVENTS__QUEUE_NAME)."
  value       = aws_sqs_queue.events.name
}

output "queue_url" {
  description = "URL of the event queue."
  value       = aws_sqs_queue.events.id
}

output "queue_arn" {
  description = "ARN of the event queue."
  value       = aws_sqs_queue.events.arn
}

output "dead_letter_queue_name" {
  description = "Name of the dead-letter queue (APP_EVENTS__DEAD_LETTER_QUEUE_NAME)."
  value       = aws_sqs_queue.dead_letter.name
}

output "dead_letter_queue_url" {
  description = "URL of the dead-letter queue."
  value       = aws_sqs_queue.dead_letter.id
}

output "dead_letter_queue_arn" {
  description = "ARN of the dead-letter queue."
  value       = aws_sqs_queue.dead_letter.arn
}

output "max_receive_count" {
  description = "Receives before a message moves to the dead-letter queue."
  value       = var.max_receive_count
}
