# The staging environment: the same modules as production, wired the same way, smaller
# (variables.tf): one shared NAT gateway, 2-9 burstable nodes, db.t4g.medium, one Redis shard of
# cache.t4g.small with a replica. Multi-AZ, encryption, backups and deletion protection stay on,
# so that staging exercises failover and recovery the way production does.

locals {
  environment = "staging"
  name        = "${var.project}-${local.environment}"
  # Every secret of this environment lives under this prefix (External Secrets reads only these).
  secret_prefix = "${var.project}/${local.environment}/"
  account_id    = data.aws_caller_identity.current.account_id
  azs           = data.aws_availability_zones.selected.names
}

data "aws_caller_identity" "current" {}
data "aws_partition" "current" {}

# The zones are named by zone id (use1-az1 is the same physical zone in every account, unlike the
# per-account names such as us-east-1a), and listed explicitly, so that a zone AWS adds later
# never changes the subnet layout.
data "aws_availability_zones" "selected" {
  state = "available"

  filter {
    name   = "zone-id"
    values = var.availability_zone_ids
  }
}

# One key for every CloudWatch log group of the environment.
# https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/encrypt-log-data-kms.html
module "logs_key" {
  source = "../../modules/kms_key"

  alias       = "${local.name}-logs"
  description = "CloudWatch Logs of ${local.name}: VPC flow logs, EKS control plane, RDS and ElastiCache logs."
  service_statements = [
    {
      Sid       = "CloudWatchLogs"
      Effect    = "Allow"
      Principal = { Service = "logs.${var.aws_region}.amazonaws.com" }
      Action = [
        "kms:Encrypt*",
        "kms:Decrypt*",
        "kms:ReEncrypt*",
        "kms:GenerateDataKey*",
        "kms:Describe*",
      ]
      Resource = "*"
      Condition = {
        ArnLike = {
          "kms:EncryptionContext:aws:logs:arn" = "arn:${data.aws_partition.current.partition}:logs:${var.aws_region}:${local.account_id}:log-group:*"
        }
      }
    },
  ]
}

module "network" {
  source = "../../modules/network"

  name               = local.name
  vpc_cidr           = var.vpc_cidr
  availability_zones = local.azs
  single_nat_gateway = var.single_nat_gateway
  cluster_name       = local.name
  logs_kms_key_arn   = module.logs_key.arn
  log_retention_days = var.log_retention_days
}

module "eks" {
  source = "../../modules/eks"

  cluster_name                 = local.name
  kubernetes_version           = var.kubernetes_version
  subnet_ids                   = module.network.private_subnet_ids
  endpoint_public_access       = var.cluster_endpoint_public_access
  public_access_cidrs          = var.cluster_endpoint_public_access_cidrs
  cluster_admin_principal_arns = var.cluster_admin_principal_arns
  node_instance_types          = var.node_instance_types
  node_min_size                = var.node_min_size
  node_desired_size            = var.node_min_size
  node_max_size                = var.node_max_size
  logs_kms_key_arn             = module.logs_key.arn
  log_retention_days           = var.log_retention_days

  # The nodes' first pull through the Docker Hub cache creates the cached repository.
  pull_through_cache_repository_arns = [module.ecr.docker_hub_cache_repository_arns]
}

module "secrets" {
  source = "../../modules/secrets"

  name            = local.name
  name_prefix     = local.secret_prefix
  jwt_rotation_id = var.jwt_rotation_id
}

module "database" {
  source = "../../modules/database"

  identifier                 = local.name
  vpc_id                     = module.network.vpc_id
  subnet_ids                 = module.network.database_subnet_ids
  allowed_security_group_ids = [module.eks.cluster_security_group_id]
  instance_class             = var.db_instance_class
  allocated_storage_gib      = var.db_allocated_storage_gib
  max_allocated_storage_gib  = var.db_max_allocated_storage_gib
  max_connections            = var.db_max_connections
  backup_retention_days      = var.db_backup_retention_days
  password_rotation_id       = var.db_password_rotation_id
  logs_kms_key_arn           = module.logs_key.arn
  log_retention_days         = var.log_retention_days
  secret_name                = "${local.secret_prefix}database"
  secrets_kms_key_arn        = module.secrets.kms_key_arn
  # The Temporal server's own role on the same instance (its databases temporal and
  # temporal_visibility); deploy/temporal reads this secret.
  additional_users = {
    temporal = "${local.secret_prefix}temporal-database"
  }
}

module "redis" {
  source = "../../modules/redis"

  replication_group_id       = local.name
  vpc_id                     = module.network.vpc_id
  subnet_ids                 = module.network.database_subnet_ids
  allowed_security_group_ids = [module.eks.cluster_security_group_id]
  node_type                  = var.redis_node_type
  num_node_groups            = var.redis_num_node_groups
  replicas_per_node_group    = var.redis_replicas_per_node_group
  auth_token_rotation_id     = var.redis_auth_token_rotation_id
  logs_kms_key_arn           = module.logs_key.arn
  log_retention_days         = var.log_retention_days
  secret_name                = "${local.secret_prefix}redis"
  secrets_kms_key_arn        = module.secrets.kms_key_arn
}

module "access_logs" {
  source = "../../modules/access_logs"

  bucket_name = "${local.name}-access-logs-${local.account_id}"
}

module "documents" {
  source = "../../modules/documents"

  bucket_name        = "${local.name}-documents-${local.account_id}"
  access_logs_bucket = module.access_logs.bucket
}

module "events" {
  source = "../../modules/events"
}

module "email" {
  source = "../../modules/email"

  domain                 = var.email_domain
  from_address           = var.email_from_address
  configuration_set_name = local.name
  route53_zone_id        = var.route53_zone_id
}

module "certificate" {
  source = "../../modules/certificate"

  domain_name     = var.api_hostname
  route53_zone_id = var.route53_zone_id
}

# The Temporal Web UI has a host name (and ALB listener) of its own, reachable from operator_cidrs
# only (deploy/temporal).
module "temporal_ui_certificate" {
  source = "../../modules/certificate"

  domain_name     = var.temporal_ui_hostname
  route53_zone_id = var.route53_zone_id
}

# The product's repositories, and the pull-through cache of Docker Hub the Temporal images come
# through (deploy/temporal/installation-*.yaml name <registry>/docker-hub/temporalio/...).
module "ecr" {
  source = "../../modules/ecr"

  name                     = local.name
  docker_hub_cache_enabled = var.docker_hub_cache_enabled
}

# GitHub Actions (.github/workflows/deploy.yml): the account's OIDC provider for GitHub's tokens,
# the role its image job pushes to this account's ECR with (main only), and the role its
# deploy job in the GitHub environment "staging" applies the manifests with (an EKS access entry
# confined to namespaces invoicing and temporal). terraform/README.md, "GitHub Actions".
module "github_actions" {
  source = "../../modules/github_actions"

  name                 = local.name
  github_repository    = var.github_repository
  github_repository_id = var.github_repository_id
  github_environment   = local.environment
  create_oidc_provider = var.create_github_oidc_provider
  ecr_repository_arns  = values(module.ecr.repository_arns)
  cluster_name         = module.eks.cluster_name
  cluster_arn          = module.eks.cluster_arn
}

module "service_roles" {
  source = "../../modules/service_roles"

  name                        = local.name
  cluster_name                = module.eks.cluster_name
  oidc_provider_arn           = module.eks.oidc_provider_arn
  oidc_issuer_host            = module.eks.oidc_issuer_host
  documents_bucket_arn        = module.documents.bucket_arn
  documents_kms_key_arn       = module.documents.kms_key_arn
  email_identity_arn          = module.email.identity_arn
  email_configuration_set_arn = module.email.configuration_set_arn
  email_from_address          = module.email.from_address
  events_queue_arn            = module.events.queue_arn
  secrets_name_prefix         = module.secrets.name_prefix
  secrets_kms_key_arn         = module.secrets.kms_key_arn
}

module "alarms" {
  source = "../../modules/alarms"

  name                   = local.name
  alarm_email_addresses  = var.alarm_email_addresses
  db_instance_id         = module.database.instance_id
  rds_max_connections    = var.db_max_connections
  redis_node_ids         = module.redis.member_cluster_ids
  events_queue_name      = module.events.queue_name
  dead_letter_queue_name = module.events.dead_letter_queue_name
  max_receive_count      = module.events.max_receive_count
  alb_arn_suffix         = var.alb_arn_suffix
}
