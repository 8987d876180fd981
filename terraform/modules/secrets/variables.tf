variable "name" {
  type        = string
  description = "Name of the environment's resources (e.g. invoicing-production), for the key alias."
}

variable "name_prefix" {
  type        = string
  description = "Prefix of every secret name of the environment, ending with a slash (invoicing/<environment>/)."

  validation {
    condition     = can(regex("^[A-Za-z0-9_+=.@-]+(/[A-Za-z0-9_+=.@-]+)*/$", var.name_prefix))
    error_message = "Give a path such as invoicing/production/ (with the final slash)."
  }
}

variable "jwt_rotation_id" {
  type        = string
  description = "Changing this value generates a new JWT secret on the next apply: outstanding access tokens (15 minutes) are refused and refreshed, sessions (refresh tokens in Redis) continue."
  default     = "1"
}

variable "recovery_window_days" {
  type        = number
  description = "Days a deleted secret can still be restored."
  default     = 30

  validation {
    condition     = var.recovery_window_days >= 7 && var.recovery_window_days <= 30
    error_message = "Secrets Manager accepts 7 to 30 days."
  }
}
