variable "replication_group_id" {
  type        = string
  description = "ID of the replication group, also the prefix of its related resources (at most 40 characters)."

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{0,38}[a-z0-9]$", var.replication_group_id))
    error_message = "Use at most 40 lower-case letters, digits and hyphens, starting with a letter."
  }
}

variable "vpc_id" {
  type        = string
  description = "VPC of the replication group's security group."
}

variable "subnet_ids" {
  type        = list(string)
  description = "Database subnets (at least two Availability Zones)."

  validation {
    condition     = length(var.subnet_ids) >= 2
    error_message = "Multi-AZ needs subnets in at least two Availability Zones."
  }
}

variable "allowed_security_group_ids" {
  type        = list(string)
  description = "Security groups allowed to connect on 6379 (the EKS cluster security group)."
}

variable "engine_version" {
  type        = string
  description = "Redis OSS engine version (7.x)."
  default     = "7.1"

  validation {
    condition     = can(regex("^7\\.[0-9]+$", var.engine_version))
    error_message = "This module is for Redis 7 (its parameter group family is redis7)."
  }
}

variable "node_type" {
  type        = string
  description = "Node type of every shard member (cache.r6g.large in the production design)."
}

variable "num_node_groups" {
  type        = number
  description = "Number of shards. One for this product: every key is in the hash slot of the prefix's hash tag ({invoicing}:), so further shards would stay empty (see main.tf); scale with node_type instead."
  default     = 1

  validation {
    condition     = var.num_node_groups >= 1 && var.num_node_groups <= 500
    error_message = "Use 1 to 500 shards."
  }
}

variable "replicas_per_node_group" {
  type        = number
  description = "Replicas per shard, each in another Availability Zone; at least one, for automatic failover and Multi-AZ."
  default     = 1

  validation {
    condition     = var.replicas_per_node_group >= 1 && var.replicas_per_node_group <= 5
    error_message = "Automatic failover needs 1 to 5 replicas per shard."
  }
}

variable "auth_token_rotation_id" {
  type        = string
  description = "Changing this value generates a new AUTH token on the next apply (see the rotation runbook in terraform/README.md)."
  default     = "1"
}

variable "maintenance_window" {
  type        = string
  description = "Weekly maintenance window (UTC, ddd:hh24:mi-ddd:hh24:mi)."
  default     = "sun:05:30-sun:06:30"
}

variable "snapshot_window" {
  type        = string
  description = "Daily snapshot window (UTC, hh24:mi-hh24:mi)."
  default     = "02:00-03:00"
}

variable "snapshot_retention_days" {
  type        = number
  description = "Days of daily snapshots kept (0 turns snapshots off)."
  default     = 7
}

variable "logs_kms_key_arn" {
  type        = string
  description = "KMS key of the slow-log and engine-log groups."
}

variable "log_retention_days" {
  type        = number
  description = "Retention of the Redis logs."
  default     = 365
}

variable "secret_name" {
  type        = string
  description = "Name of the Secrets Manager secret with the connection (e.g. invoicing/production/redis)."
}

variable "secrets_kms_key_arn" {
  type        = string
  description = "KMS key of the environment's Secrets Manager secrets."
}

variable "secret_recovery_window_days" {
  type        = number
  description = "Days a deleted secret can still be restored."
  default     = 30
}
