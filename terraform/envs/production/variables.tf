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
  description = "CIDR block of the VPC (a /16)."
  default     = "10.0.0.0/16"
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
  description = "Share one NAT gateway between the zones (production keeps one per zone)."
  default     = false
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

# The node group is sized by the pods' requests. scripts/k8s_check.py recomputes this from the
# rendered manifests and deploy/temporal/values-*.yaml against these defaults, and fails when a
# pod would fit no node or the pods at their maximum no longer fit node_max_size (smaller nodes
# are fine with smaller Temporal requests, e.g. staging's):
#
#   a node     m7i.xlarge (4 vCPU, 16 GiB): 3.92 vCPU allocatable (the EKS AMI reserves 80m),
#              3.72 vCPU left after the DaemonSets (VPC CNI, kube-proxy, EBS CSI, node exporter
#              ~0.2 vCPU). A 2-vCPU type (m7i.large) leaves 1.73 vCPU: Temporal's history pods
#              (2 vCPU each) could never be scheduled on it.
#   at every autoscaler's maximum (vCPU of requests):
#              API 10 x 1 + worker 12 x 1                                          = 22
#              Temporal frontend 3 x 1 + history 3 x 2 + matching 3 x 1
#                + internal worker 2 x 0.25 + web 2 x 0.1 + admin tools 0.05       = 12.75
#              a rollout's surge (maxSurge 25 %: 3 API + 3 worker pods)            =  6
#              add-ons (CoreDNS, controllers, KEDA, Prometheus, ...) and the Jobs  = ~2.2
#                                                                          total   = ~43
#   nodes      the 1-vCPU pods go three to a node (3 of 3.72), a history pod with one of them:
#              first-fit packing needs 14 nodes, 15 balanced over the three zones.
#   against    node_max_size 18 = those 15 + one per zone for a managed node group update (it
#              adds a node before draining one) and for the zone spread's imbalance:
#              18 x 3.72 = 67 vCPU schedulable for ~43 requested. At the minimum replica counts
#              (API 3, worker 3, Temporal as above: ~21 vCPU) the Cluster Autoscaler runs about
#              6 nodes; node_min_size 3 keeps one per zone.
variable "node_instance_types" {
  type        = list(string)
  description = "Instance types of the node group, all of one size (the Cluster Autoscaler assumes it): 4 vCPU / 16 GiB, because Temporal's history pods request 2 vCPU (deploy/temporal/values-production.yaml) and a 2-vCPU node leaves only 1.73."
  default     = ["m7i.xlarge", "m6i.xlarge", "m5.xlarge"]
}

variable "node_min_size" {
  type        = number
  description = "Minimum number of nodes (one per zone at least)."
  default     = 3
}

variable "node_max_size" {
  type        = number
  description = "Maximum number of nodes the Cluster Autoscaler may reach: every service at its maximum replica count, with a rollout's surge, needs 15 of the default 4-vCPU types, plus one per zone of headroom (the arithmetic above)."
  default     = 18
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
  default     = "db.r6g.large"
}

variable "db_allocated_storage_gib" {
  type        = number
  description = "Initial RDS storage in GiB."
  default     = 100
}

variable "db_max_allocated_storage_gib" {
  type        = number
  description = "RDS storage autoscaling ceiling in GiB."
  default     = 500
}

# The connection budget at every autoscaler's maximum (scripts/k8s_check.py recomputes it from
# the manifests and the Temporal values, and fails when it exceeds the alarm's threshold):
#   API 10 pods x 10 (APP_DATABASE__MAX_CONNECTIONS) + worker 12 x 8                 = 196
#   Temporal frontend, history, matching 3 each + internal worker 2 = 11 pods x (15 + 5)
#     (default and visibility pools; maxIdleConns = maxConns, so they stay open)    = 220
#   the migration Job 10, operators (psql, the admin tools) 5                        =  15
#   the larger rollout surge: Temporal's upgrade, one extra pod per service 4 x 20  =  80
#     (the application's is 3 API x 10 + 3 workers x 8 = 54)
#                                                                             total  = 511
# The rds-connections alarm fires at 90 % of max_connections: 540 of 600, above the budget, so it
# means a leak or a pool out of line, not a normal scale-out. db.r6g.large's memory holds 600
# (RDS's own default would be about 1,700). Three more are reserved for rdsadmin.
variable "db_max_connections" {
  type        = number
  description = "PostgreSQL max_connections: the budget at full scale-out is 511 (application 196, Temporal 220, jobs and operators 15, a rollout's surge 80; arithmetic above), under the rds-connections alarm at 90 % (540)."
  default     = 600
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
  default     = "cache.r6g.large"
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
