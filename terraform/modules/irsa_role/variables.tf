variable "name" {
  type        = string
  description = "Name of the IAM role."

  validation {
    condition     = can(regex("^[\\w+=,.@-]{1,64}$", var.name))
    error_message = "IAM role names are at most 64 characters of letters, digits and +=,.@_-."
  }
}

variable "description" {
  type        = string
  description = "What the role is for; shown in the IAM console."
}

variable "oidc_provider_arn" {
  type        = string
  description = "ARN of the cluster's IAM OIDC provider."
}

variable "oidc_issuer_host" {
  type        = string
  description = "The cluster's OIDC issuer without https:// (oidc.eks.<region>.amazonaws.com/id/<id>), the prefix of the trust policy's condition keys."

  validation {
    condition     = !startswith(var.oidc_issuer_host, "https://")
    error_message = "Pass the issuer without the https:// scheme."
  }
}

variable "namespace" {
  type        = string
  description = "Kubernetes namespace of the ServiceAccount."
}

variable "service_account" {
  type        = string
  description = "Name of the Kubernetes ServiceAccount allowed to assume the role."
}

variable "inline_policies" {
  type        = map(string)
  description = "Inline policies of the role: policy name => policy JSON."
  default     = {}
}

variable "managed_policy_arns" {
  type        = map(string)
  description = "Managed policies attached to the role: a stable key => policy ARN (a map, so that ARNs unknown at plan time still work)."
  default     = {}
}
