variable "queue_name" {
  type        = string
  description = "Name of the event queue (APP_EVENTS__QUEUE_NAME)."
  default     = "invoice-events.fifo"

  validation {
    condition     = endswith(var.queue_name, ".fifo") && length(var.queue_name) <= 80
    error_message = "A FIFO queue name ends with .fifo and has at most 80 characters."
  }
}

variable "dead_letter_queue_name" {
  type        = string
  description = "Name of the dead-letter queue (APP_EVENTS__DEAD_LETTER_QUEUE_NAME)."
  default     = "invoice-events-dlq.fifo"

  validation {
    condition     = endswith(var.dead_letter_queue_name, ".fifo") && length(var.dead_letter_queue_name) <= 80
    error_message = "The dead-letter queue of a FIFO queue is FIFO too: its name ends with .fifo."
  }
}

variable "max_receive_count" {
  type        = number
  description = "Receives before a message moves to the dead-letter queue (APP_EVENTS__MAX_RECEIVE_COUNT)."
  default     = 5

  validation {
    condition     = var.max_receive_count >= 1 && var.max_receive_count <= 1000
    error_message = "SQS accepts 1 to 1000."
  }
}

variable "message_retention_seconds" {
  type        = number
  description = "How long an unconsumed event is kept (default 4 days)."
  default     = 345600

  validation {
    condition     = var.message_retention_seconds >= 60 && var.message_retention_seconds <= 1209600
    error_message = "SQS keeps messages 60 seconds to 14 days."
  }
}

variable "dead_letter_retention_seconds" {
  type        = number
  description = "How long a dead-lettered event is kept (the maximum, 14 days, to leave time for a redrive)."
  default     = 1209600

  validation {
    condition     = var.dead_letter_retention_seconds >= 60 && var.dead_letter_retention_seconds <= 1209600
    error_message = "SQS keeps messages 60 seconds to 14 days."
  }
}

variable "visibility_timeout_seconds" {
  type        = number
  description = "How long a received event stays hidden from other consumers."
  default     = 60
}
