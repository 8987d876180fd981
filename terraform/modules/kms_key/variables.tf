variable "alias" {
  type        = string
  description = "Alias of the key, without the \"alias/\" prefix (e.g. invoicing-production-documents)."

  validation {
    condition     = can(regex("^[A-Za-z0-9/_-]{1,250}$", var.alias)) && !startswith(var.alias, "aws/")
    error_message = "The alias may contain letters, digits, /, _ and - and must not start with aws/."
  }
}

variable "description" {
  type        = string
  description = "What the key encrypts; shown in the KMS console."
}

variable "service_statements" {
  type        = any
  description = "Extra key policy statements (a list of IAM policy statement objects) for AWS services that use the key on the account's behalf."
  default     = []
}

variable "deletion_window_in_days" {
  type        = number
  description = "Waiting period before a scheduled key deletion takes effect; the key can be recovered until then."
  default     = 30

  validation {
    condition     = var.deletion_window_in_days >= 7 && var.deletion_window_in_days <= 30
    error_message = "KMS accepts 7 to 30 days."
  }
}

variable "rotation_period_in_days" {
  type        = number
  description = "How often KMS rotates the key material."
  default     = 365

  validation {
    condition     = var.rotation_period_in_days >= 90 && var.rotation_period_in_days <= 2560
    error_message = "KMS accepts 90 to 2560 days."
  }
}
