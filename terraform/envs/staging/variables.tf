# ---------------------------------------------------------------------------
# Account and naming
# ---------------------------------------------------------------------------

variable "aws_region" {
  type        = string
  description = "AWS region of the environment."
  default     = "us-east-1"
}

variable "aws_account_id" {
  type        = string
  description = "The environment's AWS account; the provider refuses to touch any other account."

  validation {
    condition     = can(regex("^[0-9]{12}$", var.aws_account_id))
    error_message = "An AWS account id is 12 digits."
  }
}

variable "project" {
  type        = string
  description = "Project name: the prefix of resource names and of the secret names (<project>/<environment>/)."
  default     = "invoicing"
}

# ---------------------------------------------------------------------------
# Network
# ---------------------------------------------------------------------------

variable "vpc_cidr" {
  type        = string
  description = "CIDR block of the VPC (a /16; distinct from production's so that the two can be peered)."
  default     = "10.1.0.0/16"
}

variable "availability_zone_ids" {
  type        = list(string)
  description = "Availability Zone ids to spread over (the design uses three). The default suits us-east-1; use1-az3 is left out because EKS cannot place control plane interfaces there."
  default     = ["use1-az1", "use1-az2", "use1-az4"]

  validation {
    condition     = length(var.availability_zone_ids) >= 2 && length(var.availability_zone_ids) <= 3
    error_message = "Give two or three zone ids."
  }
}

variable "single_nat_gateway" {
  type        = bool
  description = "Share one NAT gateway between the zones (staging: one gateway, egress depends on its zone)."
  default     = true
}

# ---------------------------------------------------------------------------
# EKS
# ---------------------------------------------------------------------------

variable "kubernetes_version" {
  type        = string
  description = "Kubernetes minor version of the cluster."
  default     = "1.35"
}

variable "cluster_endpoint_public_access" {
  type        = bool
  description = "Expose the Kubernetes API publicly, restricted to cluster_endpoint_public_access_cidrs (for CI deployments from outside the VPC)."
  default     = false
}

variable "cluster_endpoint_public_access_cidrs" {
  type        = list(string)
  description = "CIDRs allowed to reach the public Kubernetes API endpoint."
  default     = []
}

variable "cluster_admin_principal_arns" {
  type        = list(string)
  description = "IAM roles given cluster-admin (the administrators' SSO role). Not the CI deployment role: the github_actions module gives it an access entry of its own, confined to the application's namespaces."

  validation {
    # The deploy role already has an access entry (module github_actions); EKS allows one per
    # principal, and cluster-admin is what that entry exists to avoid.
    condition     = !anytrue([for arn in var.cluster_admin_principal_arns : can(regex(":role/${var.project}-[a-z]+-github-deploy$", arn))])
    error_message = "Leave the GitHub deploy role out: module github_actions gives it a namespace-scoped access entry."
  }
}

variable "node_instance_types" {
  type        = list(string)
  description = "Instance types of the node group (burstable: staging idles most of the time)."
  default     = ["t3.large", "t3a.large"]
}

variable "node_min_size" {
  type        = number
  description = "Minimum number of nodes."
  default     = 2
}

variable "node_max_size" {
  type        = number
  description = "Maximum number of nodes the Cluster Autoscaler may reach."
  default     = 6
}

# ---------------------------------------------------------------------------
# GitHub Actions (the deployment pipeline)
# ---------------------------------------------------------------------------

variable "github_repository" {
  type        = string
  description = "The GitHub repository (owner/name, spelled as on GitHub) whose .github/workflows/deploy.yml may push images to this account's ECR and deploy to this cluster."
}

variable "github_repository_id" {
  type        = string
  description = "Numeric id of github_repository (gh api repos/OWNER/NAME --jq .id); when set, the roles also require it, so a repository re-created under the same name cannot assume them."
  default     = ""
}

variable "create_github_oidc_provider" {
  type        = bool
  description = "Create the account's IAM OIDC provider for token.actions.githubusercontent.com; false when the account already has one (IAM allows one per URL)."
  default     = true
}

# ---------------------------------------------------------------------------
# Data stores
# ---------------------------------------------------------------------------

variable "db_instance_class" {
  type        = string
  description = "RDS instance class."
  default     = "db.t4g.medium"
}

variable "db_allocated_storage_gib" {
  type        = number
  description = "Initial RDS storage in GiB."
  default     = 20
}

variable "db_max_allocated_storage_gib" {
  type        = number
  description = "RDS storage autoscaling ceiling in GiB."
  default     = 100
}

variable "db_max_connections" {
  type        = number
  description = "PostgreSQL max_connections (fewer replicas than production, but load tests need the 200 of the design)."
  default     = 300
}

variable "db_backup_retention_days" {
  type        = number
  description = "Days of automated backups and point-in-time recovery."
  default     = 7
}

variable "db_password_rotation_id" {
  type        = string
  description = "Change to generate a new database password (runbook in terraform/README.md)."
  default     = "1"
}

variable "redis_node_type" {
  type        = string
  description = "ElastiCache node type."
  default     = "cache.t4g.small"
}

variable "redis_num_node_groups" {
  type        = number
  description = "Redis shards."
  default     = 1
}

variable "redis_replicas_per_node_group" {
  type        = number
  description = "Replicas per Redis shard."
  default     = 1
}

variable "redis_auth_token_rotation_id" {
  type        = string
  description = "Change to generate a new Redis AUTH token (runbook in terraform/README.md)."
  default     = "1"
}

variable "jwt_rotation_id" {
  type        = string
  description = "Change to generate a new JWT signing secret (every session ends; runbook in terraform/README.md)."
  default     = "1"
}

# ---------------------------------------------------------------------------
# Domains, e-mail, alarms
# ---------------------------------------------------------------------------

variable "api_hostname" {
  type        = string
  description = "Public host name of the API and the web app (the Ingress host, on its TLS certificate)."
}

variable "temporal_ui_hostname" {
  type        = string
  description = "Host name of the Temporal Web UI (its own Ingress, open to operator_cidrs only)."
}

variable "operator_cidrs" {
  type        = list(string)
  description = "Networks of the operators (VPN egress): the only sources the Temporal Web UI's load balancer accepts."

  validation {
    condition     = length(var.operator_cidrs) > 0 && alltrue([for cidr in var.operator_cidrs : can(cidrnetmask(cidr)) && cidr != "0.0.0.0/0"])
    error_message = "Give at least one IPv4 CIDR, and not 0.0.0.0/0: the Temporal UI can cancel and reset invoices' workflows."
  }
}

variable "email_domain" {
  type        = string
  description = "Domain invoices are e-mailed from (the SES identity)."
}

variable "email_from_address" {
  type        = string
  description = "From address of the e-mails, in email_domain (APP_EMAIL__FROM_ADDRESS)."
}

variable "route53_zone_id" {
  type        = string
  description = "Route 53 hosted zone holding the host names and email_domain; empty when DNS is managed elsewhere (the outputs list the records to create)."
  default     = ""
}

variable "alarm_email_addresses" {
  type        = list(string)
  description = "Who receives the CloudWatch alarms."
}

variable "alb_arn_suffix" {
  type        = string
  description = "ARN suffix (app/<name>/<id>) of the ALB the AWS Load Balancer Controller created for the Ingress; set after the first deployment to get the API error-rate alarm."
  default     = ""
}

variable "log_retention_days" {
  type        = number
  description = "Retention of every CloudWatch log group of the environment."
  default     = 365
}
