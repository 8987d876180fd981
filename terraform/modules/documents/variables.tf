variable "bucket_name" {
  type        = string
  description = "Name of the PDF bucket (globally unique; APP_DOCUMENTS__BUCKET)."

  validation {
    condition     = can(regex("^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$", var.bucket_name))
    error_message = "Bucket names are 3 to 63 lower-case letters, digits, dots and hyphens."
  }
}

variable "access_logs_bucket" {
  type        = string
  description = "Bucket that receives this bucket's server access logs."
}

variable "transition_to_ia_days" {
  type        = number
  description = "Days after which PDFs move to Standard-IA."
  default     = 30

  validation {
    condition     = var.transition_to_ia_days >= 30
    error_message = "S3 moves objects to Standard-IA after 30 days at the earliest."
  }
}

variable "transition_to_glacier_days" {
  type        = number
  description = "Days after which PDFs move to Glacier Instant Retrieval."
  default     = 365
}

variable "noncurrent_version_expiration_days" {
  type        = number
  description = "Days a superseded PDF version is kept before it is deleted."
  default     = 365
}
