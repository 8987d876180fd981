# Two kinds of input, and nothing else: what differs between the environments (each root's
# main.tf states it: names, sizes, counts) and what each installation chooses (the roots'
# variables.tf and terraform.tfvars: account, region, domains, repository, ...). What is alike
# everywhere is written in main.tf. Every input is checked here, once, with a message in the
# terms of the variable an operator sets (the modules below check theirs again, in their terms).
# None has a default: the roots state every value (an installation's defaults are in their
# variables.tf), so that what a root builds reads from it alone, for scripts/check-k8s and
# checkov as for people.

# ---------------------------------------------------------------------------
# The environment (set in envs/<environment>/main.tf)
# ---------------------------------------------------------------------------

variable "environment" {
  type        = string
  description = "Environment name (staging, production): the middle of every resource name (<project>-<environment>), of the secret names (<project>/<environment>/) and the GitHub environment whose deploy job may deploy here."

  validation {
    # With project's 16 characters at most, <project>-<environment> stays within the shortest
    # name limit below it (34 characters, modules/service_roles: IAM role names add suffixes).
    condition     = can(regex("^[a-z]([a-z0-9-]{0,14}[a-z0-9])?$", var.environment))
    error_message = "Use at most 16 lower-case letters, digits and hyphens, starting with a letter."
  }
}

variable "vpc_cidr" {
  type        = string
  description = "CIDR block of the VPC: a /16 of the private ranges (RFC 1918), distinct per environment so that the VPCs can be peered, and apart from the operators' networks."

  validation {
    # modules/network cuts /20 private subnets (the pods' addresses) and /24s out of a /16.
    condition     = can(cidrnetmask(var.vpc_cidr)) && can(regex("^(10\\.[0-9]{1,3}|172\\.(1[6-9]|2[0-9]|3[01])|192\\.168)\\.0\\.0/16$", var.vpc_cidr))
    error_message = "Give a /16 of 10.0.0.0/8, 172.16.0.0/12 or 192.168.0.0/16, such as 10.0.0.0/16."
  }
}

variable "single_nat_gateway" {
  type        = bool
  description = "Share one NAT gateway between the zones (cheaper; the cluster's egress then fails with that zone) instead of one per zone."

  validation {
    # Stripe, SES, SQS, ECR and Secrets Manager are all reached through the NAT gateways.
    condition     = !(var.single_nat_gateway && var.environment == "production")
    error_message = "Production keeps one NAT gateway per zone: with a shared one, a zone's outage cuts every zone's egress (Stripe, SES, ECR)."
  }
}

variable "kubernetes_version" {
  type        = string
  description = "Kubernetes minor version of the cluster, per environment so that an upgrade reaches staging first. .github/deploy-kubectl.txt's kubectl must stay within one minor version of it (scripts/check-ci)."

  validation {
    condition     = can(regex("^1\\.[0-9]+$", var.kubernetes_version))
    error_message = "Give a minor version such as 1.35."
  }
}

variable "node_instance_types" {
  type        = list(string)
  description = "Instance types of the node group, in order of preference, all of one size (the Cluster Autoscaler assumes one shape per node group). scripts/check-k8s checks that every pod fits one and that the pods at every maximum fit node_max_size of them."

  validation {
    condition     = length(var.node_instance_types) > 0 && length(distinct([for type in var.node_instance_types : try(split(".", type)[1], "")])) == 1 && alltrue([for type in var.node_instance_types : can(regex("^[a-z][a-z0-9-]*\\.[0-9]*(nano|micro|small|medium|large|xlarge)$", type))])
    error_message = "Give EC2 instance types (such as m7i.xlarge), all of the same size."
  }
}

variable "node_min_size" {
  type        = number
  description = "Minimum number of nodes, the node group's size when it is created."

  validation {
    # One node would leave a drained node's pods (and the PodDisruptionBudgets) nowhere to go.
    condition     = var.node_min_size >= 2 && var.node_min_size == floor(var.node_min_size)
    error_message = "Give a whole number of at least 2."
  }
}

variable "node_max_size" {
  type        = number
  description = "Maximum number of nodes the Cluster Autoscaler may reach: what every service at its maximum replica count needs, plus headroom (the arithmetic is in the environment's main.tf; scripts/check-k8s recomputes it)."

  validation {
    condition     = var.node_max_size >= var.node_min_size && var.node_max_size == floor(var.node_max_size)
    error_message = "node_max_size is a whole number, at least node_min_size."
  }
}

variable "db_instance_class" {
  type        = string
  description = "RDS instance class (Multi-AZ: it is paid twice)."

  validation {
    condition     = can(regex("^db\\.[a-z0-9-]+\\.[0-9]*(micro|small|medium|large|xlarge)$", var.db_instance_class))
    error_message = "Give an RDS instance class such as db.r6g.large."
  }
}

variable "db_allocated_storage_gib" {
  type        = number
  description = "Initial RDS storage (gp3) in GiB."

  validation {
    condition     = var.db_allocated_storage_gib >= 20 && var.db_allocated_storage_gib <= 65536
    error_message = "RDS for PostgreSQL on gp3 takes 20 to 65,536 GiB."
  }
}

variable "db_max_allocated_storage_gib" {
  type        = number
  description = "Ceiling of RDS storage autoscaling in GiB."

  validation {
    condition     = var.db_max_allocated_storage_gib > var.db_allocated_storage_gib && var.db_max_allocated_storage_gib <= 65536
    error_message = "The ceiling must be above db_allocated_storage_gib (else storage never grows) and at most 65,536 GiB."
  }
}

variable "db_max_connections" {
  type        = number
  description = "PostgreSQL max_connections, also the base of the rds-connections alarm (90 %): every connection pool at full scale-out must stay under that alarm (the budget is in the environment's main.tf; scripts/check-k8s recomputes it)."

  validation {
    condition     = var.db_max_connections >= 250 && var.db_max_connections <= 5000
    error_message = "Keep db_max_connections between 250 and 5000 (and within what the instance class's memory holds)."
  }
}

variable "redis_node_type" {
  type        = string
  description = "ElastiCache node type of the shard and its replica (scale Redis with it: there is one shard)."

  validation {
    condition     = can(regex("^cache\\.[a-z0-9-]+\\.[0-9]*(micro|small|medium|large|xlarge)$", var.redis_node_type))
    error_message = "Give an ElastiCache node type such as cache.r6g.large."
  }
}

# ---------------------------------------------------------------------------
# The installation (the roots' variables.tf; set in terraform.tfvars)
# ---------------------------------------------------------------------------

variable "aws_account_id" {
  type        = string
  description = "The environment's AWS account (the provider refuses any other)."

  validation {
    condition     = can(regex("^[0-9]{12}$", var.aws_account_id))
    error_message = "An AWS account id is 12 digits."
  }
}

variable "aws_region" {
  type        = string
  description = "AWS region of the environment; deploy.yml's one AWS_REGION variable means both environments use the same."

  validation {
    condition     = can(regex("^[a-z]{2}(-gov)?-[a-z]+-[0-9]$", var.aws_region))
    error_message = "Give a region code such as us-east-1."
  }
}

variable "project" {
  type        = string
  description = "Project name: the start of every resource name and of the secret names (<project>/<environment>/)."

  validation {
    condition     = can(regex("^[a-z]([a-z0-9-]{0,14}[a-z0-9])?$", var.project))
    error_message = "Use at most 16 lower-case letters, digits and hyphens, starting with a letter."
  }
}

variable "availability_zone_ids" {
  type        = list(string)
  description = "Availability Zone ids (not names: use1-az1 is the same zone in every account) to spread over. In us-east-1, leave use1-az3 out: EKS cannot place control plane interfaces there."

  validation {
    condition     = length(var.availability_zone_ids) >= 2 && length(var.availability_zone_ids) <= 3 && alltrue([for id in var.availability_zone_ids : can(regex("^[a-z]+[0-9]+-az[0-9]+$", id))])
    error_message = "Give two or three zone ids such as use1-az1 (aws ec2 describe-availability-zones shows them as ZoneId)."
  }
}

variable "cluster_endpoint_public_access" {
  type        = bool
  description = "Open the Kubernetes API endpoint publicly, to cluster_endpoint_public_access_cidrs only (for deployments from outside the VPC); otherwise it is private."

  validation {
    # EKS would take an empty list as 0.0.0.0/0.
    condition     = !var.cluster_endpoint_public_access || length(var.cluster_endpoint_public_access_cidrs) > 0
    error_message = "Give cluster_endpoint_public_access_cidrs with cluster_endpoint_public_access."
  }
}

variable "cluster_endpoint_public_access_cidrs" {
  type        = list(string)
  description = "The networks allowed to the public Kubernetes API endpoint."

  validation {
    condition     = alltrue([for cidr in var.cluster_endpoint_public_access_cidrs : can(cidrnetmask(cidr)) && cidr != "0.0.0.0/0"])
    error_message = "Give IPv4 CIDRs, and not 0.0.0.0/0."
  }
}

variable "cluster_admin_principal_arns" {
  type        = list(string)
  description = "IAM roles given cluster-admin (the administrators' SSO role). Not the CI deployment role: module github_actions gives it an access entry of its own, confined to the application's namespaces."

  validation {
    condition     = length(var.cluster_admin_principal_arns) > 0 && alltrue([for arn in var.cluster_admin_principal_arns : can(regex("^arn:aws[a-z-]*:iam::[0-9]{12}:(role|user)/", arn))])
    error_message = "Give at least one IAM role (or user) ARN."
  }

  validation {
    # The deploy role already has an access entry (module github_actions); EKS allows one per
    # principal, and cluster-admin is what that entry exists to avoid.
    condition     = !anytrue([for arn in var.cluster_admin_principal_arns : can(regex(":role/${var.project}-[a-z0-9-]+-github-deploy$", arn))])
    error_message = "Leave the GitHub deploy role out: module github_actions gives it a namespace-scoped access entry."
  }
}

variable "docker_hub_cache_enabled" {
  type        = bool
  description = "Create the ECR pull-through cache rule for Docker Hub (the Temporal images). Set it after storing a Docker Hub username and access token in the secret of output docker_hub_credential_secret_name: ECR checks the credential when it creates the rule, and the Temporal release cannot pull its images before."
}

variable "github_repository" {
  type        = string
  description = "The GitHub repository (owner/name, spelled as on GitHub: the token's claims are case-sensitive) whose .github/workflows/deploy.yml may push images to this account's ECR and deploy to this cluster."

  validation {
    condition     = can(regex("^[A-Za-z0-9][A-Za-z0-9-]{0,38}/[A-Za-z0-9._-]{1,100}$", var.github_repository))
    error_message = "Give the repository as owner/name."
  }
}

variable "github_repository_id" {
  type        = string
  description = "Numeric id of github_repository (gh api repos/OWNER/NAME --jq .id); when set, the roles also require it, so that a repository re-created under the same name cannot assume them."

  validation {
    condition     = can(regex("^([0-9]+)?$", var.github_repository_id))
    error_message = "Give the repository's numeric id, or leave it empty."
  }
}

variable "create_github_oidc_provider" {
  type        = bool
  description = "Create the account's IAM OIDC provider for token.actions.githubusercontent.com; false when the account already has one (IAM allows one per URL)."
}

variable "db_password_rotation_id" {
  type        = string
  description = "Change to generate a new database password (runbook in terraform/README.md)."

  validation {
    condition     = can(regex("^[A-Za-z0-9._-]{1,64}$", var.db_password_rotation_id))
    error_message = "Use a short token such as a counter or a date (2026-12-02)."
  }
}

variable "redis_auth_token_rotation_id" {
  type        = string
  description = "Change to generate a new Redis AUTH token (runbook in terraform/README.md)."

  validation {
    condition     = can(regex("^[A-Za-z0-9._-]{1,64}$", var.redis_auth_token_rotation_id))
    error_message = "Use a short token such as a counter or a date (2026-12-02)."
  }
}

variable "jwt_rotation_id" {
  type        = string
  description = "Change to generate a new JWT signing secret. Outstanding access tokens (15 minutes) are refused and clients refresh them; sessions (refresh tokens in Redis) continue. Runbook in terraform/README.md."

  validation {
    condition     = can(regex("^[A-Za-z0-9._-]{1,64}$", var.jwt_rotation_id))
    error_message = "Use a short token such as a counter or a date (2026-12-02)."
  }
}

variable "api_hostname" {
  type        = string
  description = "Public host name of the API and the web app (the Ingress host, on its TLS certificate)."

  validation {
    condition     = can(regex("^([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\\.)+[a-z]{2,63}$", var.api_hostname))
    error_message = "Give a lower-case host name without a wildcard."
  }
}

variable "temporal_ui_hostname" {
  type        = string
  description = "Host name of the Temporal Web UI (its own Ingress and certificate, open to operator_cidrs only)."

  validation {
    condition     = can(regex("^([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\\.)+[a-z]{2,63}$", var.temporal_ui_hostname)) && var.temporal_ui_hostname != var.api_hostname
    error_message = "Give a lower-case host name without a wildcard, other than api_hostname."
  }
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
  description = "Domain invoices are e-mailed from (the SES identity, with DKIM and MAIL FROM)."

  validation {
    condition     = can(regex("^([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\\.)+[a-z]{2,63}$", var.email_domain))
    error_message = "Give a lower-case domain name."
  }
}

variable "email_from_address" {
  type        = string
  description = "From address of the e-mails (APP_EMAIL__FROM_ADDRESS), in email_domain: the worker may send from this address only."

  validation {
    condition     = can(regex("^[^@\\s]+@", var.email_from_address)) && endswith(var.email_from_address, "@${var.email_domain}")
    error_message = "Give an address in email_domain, such as billing@<email_domain>."
  }
}

variable "route53_zone_id" {
  type        = string
  description = "Route 53 hosted zone holding the host names and email_domain; empty when DNS is managed elsewhere (the outputs certificate_validation_records and email_dns_records list the records to create)."

  validation {
    condition     = can(regex("^(Z[A-Z0-9]{1,31})?$", var.route53_zone_id))
    error_message = "Give a hosted zone id (Z followed by capitals and digits), or leave it empty."
  }
}

variable "alarm_email_addresses" {
  type        = list(string)
  description = "Who receives the CloudWatch alarms (each address confirms its SNS subscription first)."

  validation {
    condition     = length(var.alarm_email_addresses) > 0 && alltrue([for address in var.alarm_email_addresses : can(regex("^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$", address))])
    error_message = "Give at least one e-mail address: an alarm nobody receives protects nothing."
  }
}

variable "alb_arn_suffix" {
  type        = string
  description = "ARN suffix (app/<name>/<id>) of the ALB the AWS Load Balancer Controller created for the API's Ingress; set after the first deployment to get the API error-rate alarm."

  validation {
    condition     = var.alb_arn_suffix == "" || can(regex("^app/[^/]+/[0-9a-f]+$", var.alb_arn_suffix))
    error_message = "Give the part of the load balancer's ARN after loadbalancer/, such as app/k8s-invoicing-0123456789/0123456789abcdef."
  }
}
