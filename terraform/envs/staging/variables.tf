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

# The node group is sized by the pods' requests (scripts/k8s_check.py recomputes this from the
# rendered manifests and deploy/temporal/values-*.yaml, and fails when they no longer fit):
#
#   a node     t3.large (2 vCPU, 8 GiB): 1.93 vCPU allocatable, 1.73 after the DaemonSets.
#              Staging's largest pod is a history pod at 0.5 vCPU (values-staging.yaml).
#   at every autoscaler's maximum (vCPU of requests):
#              API 4 x 0.25 + worker 4 x 0.25                                      = 2
#              Temporal frontend 2 x 0.25 + history 2 x 0.5 + matching 2 x 0.25
#                + internal worker 0.1 + web 0.1 + admin tools 0.05                = 2.25
#              the larger surge: Temporal's upgrade, one pod per service           = 1.1
#              add-ons (CoreDNS, controllers, KEDA, Prometheus, ...) and the Jobs  = ~2.2
#                                                                          total   = ~7.6
#   nodes      first-fit packing needs 5, 6 balanced over the three zones; node_max_size 9
#              adds one per zone of headroom (node group updates, the zone spread).
variable "node_instance_types" {
  type        = list(string)
  description = "Instance types of the node group, all of one size (burstable: staging idles most of the time)."
  default     = ["t3.large", "t3a.large"]
}

variable "node_min_size" {
  type        = number
  description = "Minimum number of nodes."
  default     = 2
}

variable "node_max_size" {
  type        = number
  description = "Maximum number of nodes the Cluster Autoscaler may reach: every service at its maximum replica count needs 6 t3.large, plus one per zone of headroom (the arithmetic above)."
  default     = 9
}

variable "docker_hub_cache_enabled" {
  type        = bool
  description = "Create the ECR pull-through cache rule for Docker Hub (the Temporal images). Set it to true after storing a Docker Hub username and access token in the secret of output docker_hub_credential_secret_name: ECR checks the credential when it creates the rule, and the Temporal release cannot pull its images before."
  default     = false
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

# The connection budget at every autoscaler's maximum (scripts/k8s_check.py recomputes it):
#   API 4 pods x 10 + worker 4 x 10                                                 =  80
#   Temporal 7 pods (frontend, history, matching 2 each, internal worker 1) x (10 + 3) =  91
#   the migration Job 10, operators 5                                                =  15
#   the larger rollout surge: Temporal's upgrade, 4 x 13                             =  52
#                                                                             total  = 238
# under the rds-connections alarm at 90 % of 300 (270); db.t4g.medium's memory holds 300.
variable "db_max_connections" {
  type        = number
  description = "PostgreSQL max_connections: the budget at full scale-out is 238 (arithmetic above), under the rds-connections alarm at 90 % (270)."
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
  description = "Redis shards: one. Every key of the product carries the hash tag {invoicing} (its Lua scripts must run within one hash slot), so all data lives in one slot on one shard and more shards would stay empty. Cluster mode is for automatic failover and online vertical scaling; grow redis_node_type instead."
  default     = 1

  validation {
    condition     = var.redis_num_node_groups == 1
    error_message = "Keep one shard: every key is in the hash slot of {invoicing}, so further shards would hold nothing and only add cost (modules/redis). Scale with redis_node_type."
  }
}

variable "redis_replicas_per_node_group" {
  type        = number
  description = "Replicas of the shard, each in another Availability Zone (automatic failover, Multi-AZ)."
  default     = 1
}

variable "redis_auth_token_rotation_id" {
  type        = string
  description = "Change to generate a new Redis AUTH token (runbook in terraform/README.md)."
  default     = "1"
}

variable "jwt_rotation_id" {
  type        = string
  description = "Change to generate a new JWT signing secret. Outstanding access tokens (15 minutes) are refused and clients refresh them; sessions (refresh tokens in Redis) continue. Runbook in terraform/README.md."
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
  description = "Networks the operators reach the VPC from (the VPN's client or on-premises ranges, as their packets arrive in the VPC): the only sources the Temporal Web UI's internal load balancer accepts (deploy/temporal/installation-<environment>.yaml, inbound-cidrs)."

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
