# The installation's inputs: what differs between AWS accounts, set in terraform.tfvars (see
# terraform.tfvars.example). modules/invoicing/variables.tf describes each at length and
# validates it.

variable "aws_account_id" {
  type        = string
  description = "The environment's AWS account; the provider refuses any other."
}

variable "aws_region" {
  type        = string
  description = "AWS region of the environment (the same for both environments)."
  default     = "us-east-1"
}

variable "project" {
  type        = string
  description = "Prefix of the resource and secret names."
  default     = "invoicing"
}

variable "vpc_cidr" {
  type        = string
  description = "The VPC's /16, apart from production's and from the operators' networks."
  default     = "10.1.0.0/16"
}

variable "availability_zone_ids" {
  type        = list(string)
  description = "Zone ids to spread over (zone ids, not names); the default suits us-east-1."
  default     = ["use1-az1", "use1-az2", "use1-az4"]
}

variable "cluster_endpoint_public_access" {
  type        = bool
  description = "Open the Kubernetes API to cluster_endpoint_public_access_cidrs."
  default     = false
}

variable "cluster_endpoint_public_access_cidrs" {
  type        = list(string)
  description = "Who may reach a public Kubernetes API endpoint."
  default     = []
}

variable "cluster_admin_principal_arns" {
  type        = list(string)
  description = "The administrators' IAM roles, given cluster-admin (not CI's deploy role)."
}

variable "docker_hub_cache_enabled" {
  type        = bool
  description = "Create the Docker Hub pull-through cache rule, once its credential is stored."
  default     = false
}

variable "github_repository" {
  type        = string
  description = "owner/name of the repository whose deploy.yml deploys here."
}

variable "github_repository_id" {
  type        = string
  description = "github_repository's numeric id, pinned by the roles when set."
  default     = ""
}

variable "create_github_oidc_provider" {
  type        = bool
  description = "false when the account already has GitHub's OIDC provider."
  default     = true
}

variable "db_password_rotation_id" {
  type        = string
  description = "Change to rotate the database password."
  default     = "1"
}

variable "redis_auth_token_rotation_id" {
  type        = string
  description = "Change to rotate the Redis AUTH token."
  default     = "1"
}

variable "jwt_rotation_id" {
  type        = string
  description = "Change to rotate the JWT signing secret."
  default     = "1"
}

variable "api_hostname" {
  type        = string
  description = "Public host name of the API and the web app."
}

variable "temporal_ui_hostname" {
  type        = string
  description = "Host name of the Temporal Web UI."
}

variable "operator_cidrs" {
  type        = list(string)
  description = "The operators' networks, the only sources the Temporal UI accepts."
}

variable "email_domain" {
  type        = string
  description = "The SES domain invoices are e-mailed from."
}

variable "email_from_address" {
  type        = string
  description = "From address of the e-mails, in email_domain."
}

variable "route53_zone_id" {
  type        = string
  description = "Hosted zone of the host names and email_domain; empty if DNS is elsewhere."
  default     = ""
}

variable "alarm_email_addresses" {
  type        = list(string)
  description = "Who receives the CloudWatch alarms."
}

variable "alb_arn_suffix" {
  type        = string
  description = "app/<name>/<id> of the API's ALB, once it exists (the error-rate alarm)."
  default     = ""
}
