variable "identifier" {
  type        = string
  description = "RDS instance identifier, also the prefix of its related resources (e.g. invoicing-production)."

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{0,50}[a-z0-9]$", var.identifier))
    error_message = "Use lower-case letters, digits and hyphens, starting with a letter."
  }
}

variable "vpc_id" {
  type        = string
  description = "VPC of the instance's security group."
}

variable "subnet_ids" {
  type        = list(string)
  description = "Database subnets (at least two Availability Zones)."

  validation {
    condition     = length(var.subnet_ids) >= 2
    error_message = "RDS subnet groups need subnets in at least two Availability Zones."
  }
}

variable "allowed_security_group_ids" {
  type        = list(string)
  description = "Security groups allowed to connect on 5432 (the EKS cluster security group)."
}

variable "engine_version" {
  type        = string
  description = "PostgreSQL version: a major version (\"15\") lets RDS pick and upgrade the minor version."
  default     = "15"

  validation {
    condition     = can(regex("^15(\\.[0-9]+)?$", var.engine_version))
    error_message = "This module is for PostgreSQL 15 (its parameter group family is postgres15)."
  }
}

variable "instance_class" {
  type        = string
  description = "Instance class (db.r6g.large in the production design)."
}

variable "allocated_storage_gib" {
  type        = number
  description = "Initial storage in GiB."
  default     = 100
}

variable "max_allocated_storage_gib" {
  type        = number
  description = "Storage autoscaling ceiling in GiB."
  default     = 500

  validation {
    condition     = var.max_allocated_storage_gib >= 20
    error_message = "max_allocated_storage_gib must be at least 20."
  }
}

variable "multi_az" {
  type        = bool
  description = "Keep a synchronous standby in another Availability Zone."
  default     = true
}

variable "database_name" {
  type        = string
  description = "Name of the application database."
  default     = "invoicing"
}

variable "master_username" {
  type        = string
  description = "Master user name."
  default     = "invoicing"

  validation {
    condition     = can(regex("^[a-z][a-z0-9_]{0,62}$", var.master_username)) && !contains(["postgres", "rdsadmin", "admin"], var.master_username)
    error_message = "Use lower-case letters, digits and _, and not a reserved name."
  }
}

variable "password_rotation_id" {
  type        = string
  description = "Changing this value generates a new master password on the next apply (see the rotation runbook in terraform/README.md)."
  default     = "1"
}

variable "max_connections" {
  type        = number
  description = "PostgreSQL max_connections. Size it for every pool at every autoscaler's maximum (the application's pods, the Temporal server's, jobs, operators, a rollout's surge), under the rds-connections alarm's threshold (90 %): the budget is in terraform/envs/*/variables.tf."
  default     = 400

  validation {
    condition     = var.max_connections >= 250 && var.max_connections <= 5000
    error_message = "Keep max_connections between 250 (200 for the pods plus headroom) and 5000."
  }
}

variable "log_min_duration_ms" {
  type        = number
  description = "Statements slower than this are logged (log_min_duration_statement, milliseconds)."
  default     = 500
}

variable "backup_retention_days" {
  type        = number
  description = "Days of automated backups and point-in-time recovery."
  default     = 7

  validation {
    condition     = var.backup_retention_days >= 7 && var.backup_retention_days <= 35
    error_message = "The design requires at least 7 days; RDS allows at most 35."
  }
}

variable "backup_window" {
  type        = string
  description = "Daily backup window (UTC, hh24:mi-hh24:mi); must not overlap the maintenance window."
  default     = "03:00-04:00"
}

variable "maintenance_window" {
  type        = string
  description = "Weekly maintenance window (UTC, ddd:hh24:mi-ddd:hh24:mi)."
  default     = "sun:04:30-sun:05:30"
}

variable "deletion_protection" {
  type        = bool
  description = "Refuse to delete the instance while this is on."
  default     = true
}

variable "monitoring_interval_seconds" {
  type        = number
  description = "Enhanced Monitoring granularity."
  default     = 30

  validation {
    condition     = contains([1, 5, 10, 15, 30, 60], var.monitoring_interval_seconds)
    error_message = "Enhanced Monitoring supports 1, 5, 10, 15, 30 or 60 seconds."
  }
}

variable "logs_kms_key_arn" {
  type        = string
  description = "KMS key of the instance's CloudWatch log groups."
}

variable "log_retention_days" {
  type        = number
  description = "Retention of the PostgreSQL logs in CloudWatch Logs."
  default     = 365
}

variable "secret_name" {
  type        = string
  description = "Name of the Secrets Manager secret with the connection (e.g. invoicing/production/database)."
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

variable "additional_users" {
  type        = map(string)
  description = "PostgreSQL roles other than the master user that get a generated password: role name => Secrets Manager secret name."
  default     = {}

  validation {
    condition     = alltrue([for user in keys(var.additional_users) : can(regex("^[a-z][a-z0-9_]{0,62}$", user))])
    error_message = "Role names are lower-case letters, digits and _."
  }
}
