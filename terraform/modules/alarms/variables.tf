variable "name" {
  type        = string
  description = "Prefix of the alarm names and the SNS topic (e.g. invoicing-production)."
}

variable "alarm_email_addresses" {
  type        = list(string)
  description = "Addresses subscribed to the alarm topic (each must confirm the subscription)."

  validation {
    condition     = alltrue([for address in var.alarm_email_addresses : can(regex("^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$", address))])
    error_message = "Give e-mail addresses."
  }
}

variable "db_instance_id" {
  type        = string
  description = "RDS instance identifier."
}

variable "rds_cpu_threshold_percent" {
  type        = number
  description = "RDS CPU alarm threshold."
  default     = 80
}

variable "rds_free_storage_threshold_gib" {
  type        = number
  description = "RDS free storage alarm threshold in GiB."
  default     = 10
}

variable "rds_max_connections" {
  type        = number
  description = "The instance's max_connections; the rds-connections alarm fires at rds_connections_threshold_percent of it."
}

variable "rds_connections_threshold_percent" {
  type        = number
  description = "Percentage of max_connections above which the rds-connections alarm fires. The environments' connection budget (every pool at full scale-out) must stay under it: scripts/k8s_check.py checks that against this default."
  default     = 90

  validation {
    condition     = var.rds_connections_threshold_percent >= 50 && var.rds_connections_threshold_percent <= 95
    error_message = "Use 50 to 95 %: above 95 the alarm comes too late to act before connections fail."
  }
}

variable "redis_node_ids" {
  type        = list(string)
  description = "ElastiCache node IDs (CacheClusterId) to watch."
}

variable "redis_memory_threshold_percent" {
  type        = number
  description = "Redis memory alarm threshold (DatabaseMemoryUsagePercentage)."
  default     = 90
}

variable "events_queue_name" {
  type        = string
  description = "Name of the event queue."
}

variable "dead_letter_queue_name" {
  type        = string
  description = "Name of the event dead-letter queue."
}

variable "max_receive_count" {
  type        = number
  description = "The queue's maxReceiveCount (quoted in the dead-letter alarm's description)."
}

variable "queue_depth_threshold" {
  type        = number
  description = "Event queue depth alarm threshold."
  default     = 1000
}

variable "alb_arn_suffix" {
  type        = string
  description = "ARN suffix of the API's ALB (app/<name>/<id>), known once the Ingress exists; empty: no API error-rate alarm yet."
  default     = ""

  validation {
    condition     = var.alb_arn_suffix == "" || can(regex("^app/[^/]+/[0-9a-f]+$", var.alb_arn_suffix))
    error_message = "Give the suffix of the load balancer's ARN, e.g. app/k8s-invoicing-0123456789/0123456789abcdef."
  }
}

variable "api_5xx_threshold_percent" {
  type        = number
  description = "API error rate alarm threshold, in percent of requests."
  default     = 5
}

variable "api_5xx_min_requests" {
  type        = number
  description = "Minutes with fewer requests than this do not count (a single 500 among 3 requests at night is not an incident)."
  default     = 20
}

variable "ses_bounce_rate_threshold" {
  type        = number
  description = "SES bounce rate alarm threshold (a fraction: 0.05 is 5 %)."
  default     = 0.05
}

variable "ses_complaint_rate_threshold" {
  type        = number
  description = "SES complaint rate alarm threshold (a fraction: 0.001 is 0.1 %)."
  default     = 0.001
}
