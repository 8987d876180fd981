variable "bucket_name" {
  type        = string
  description = "Name of the log bucket (globally unique)."

  validation {
    condition     = can(regex("^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$", var.bucket_name))
    error_message = "Bucket names are 3 to 63 lower-case letters, digits, dots and hyphens."
  }
}

variable "expiration_days" {
  type        = number
  description = "Days after which log objects are deleted."
  default     = 365
}
