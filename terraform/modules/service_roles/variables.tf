variable "name" {
  type        = string
  description = "Prefix of the role names (e.g. invoicing-production)."

  validation {
    condition     = length(var.name) <= 34
    error_message = "Keep the prefix at most 34 characters: the longest role name adds -aws-load-balancer-controller and IAM allows 64."
  }
}

variable "cluster_name" {
  type        = string
  description = "Name of the EKS cluster (the Cluster Autoscaler may only resize its node groups)."
}

variable "oidc_provider_arn" {
  type        = string
  description = "ARN of the cluster's IAM OIDC provider."
}

variable "oidc_issuer_host" {
  type        = string
  description = "OIDC issuer of the cluster without https://."
}

variable "app_namespace" {
  type        = string
  description = "Kubernetes namespace of the application."
  default     = "invoicing"
}

variable "api_service_account" {
  type        = string
  description = "ServiceAccount of the api Deployment."
  default     = "invoicing-api"
}

variable "worker_service_account" {
  type        = string
  description = "ServiceAccount of the worker Deployment."
  default     = "invoicing-worker"
}

variable "migrate_service_account" {
  type        = string
  description = "ServiceAccount of the migration Job."
  default     = "invoicing-migrate"
}

variable "external_secrets_namespace" {
  type        = string
  description = "Namespace of the External Secrets Operator."
  default     = "external-secrets"
}

variable "external_secrets_service_account" {
  type        = string
  description = "ServiceAccount of the External Secrets Operator's controller."
  default     = "external-secrets"
}

variable "documents_bucket_arn" {
  type        = string
  description = "ARN of the PDF bucket."
}

variable "documents_kms_key_arn" {
  type        = string
  description = "KMS key of the PDFs."
}

variable "email_identity_arn" {
  type        = string
  description = "ARN of the SES domain identity the worker sends from."
}

variable "email_configuration_set_arn" {
  type        = string
  description = "ARN of the SES configuration set of that identity."
}

variable "email_from_address" {
  type        = string
  description = "The only From address the worker may send with."
}

variable "events_queue_arn" {
  type        = string
  description = "ARN of the lifecycle event queue."
}

variable "secrets_name_prefix" {
  type        = string
  description = "Prefix of the environment's secret names (invoicing/<environment>/); External Secrets may read these only."
}

variable "secrets_kms_key_arn" {
  type        = string
  description = "KMS key of the environment's secrets."
}
