variable "aws_region" {
  type        = string
  description = "Region of the state bucket (the environments' backend.tf use us-east-1)."
  default     = "us-east-1"
}

variable "aws_account_id" {
  type        = string
  description = "The AWS account to bootstrap; the provider refuses any other."

  validation {
    condition     = can(regex("^[0-9]{12}$", var.aws_account_id))
    error_message = "An AWS account id is 12 digits."
  }
}

variable "project" {
  type        = string
  description = "Project name, the prefix of the bucket and key names."
  default     = "invoicing"
}

variable "environment" {
  type        = string
  description = "Environment the account serves (staging or production), for the Environment tag."

  validation {
    condition     = contains(["staging", "production"], var.environment)
    error_message = "environment is staging or production."
  }
}

variable "state_history_days" {
  type        = number
  description = "Days a replaced state version is kept."
  default     = 90
}
