# The invoicing product in one AWS account: every module of terraform/modules, wired together.
# Each environment's root (terraform/envs/<environment>) calls this module once, with its sizes
# and its installation's inputs; nothing here depends on which environment it is, apart from
# the names (<project>-<environment>, the secret prefix <project>/<environment>/, the GitHub
# environment) and the guard on single_nat_gateway in variables.tf.

locals {
  name = "${var.project}-${var.environment}"
  # Every secret of this environment lives under this prefix (External Secrets reads only these).
  secret_prefix = "${var.project}/${var.environment}/"
  # The provider's allowed_account_ids (the root's versions.tf) makes this the account the
  # credentials are for; as a variable it is known at plan time, so the bucket names are too.
  account_id = var.aws_account_id
  azs        = data.aws_availability_zones.selected.names

  # Alike in every environment, since staging is where restores and failovers are rehearsed:
  # a year of logs in every CloudWatch log group, and 7 days of point-in-time recovery (the
  # design's minimum; modules/database refuses less).
  log_retention_days    = 365
  backup_retention_days = 7
}

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
  source = "../kms_key"

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
  source = "../network"

  name               = local.name
  vpc_cidr           = var.vpc_cidr
  availability_zones = local.azs
  single_nat_gateway = var.single_nat_gateway
  cluster_name       = local.name
  logs_kms_key_arn   = module.logs_key.arn
  log_retention_days = local.log_retention_days
}

module "eks" {
  source = "../eks"

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
  log_retention_days           = local.log_retention_days

  # The nodes' first pull through the Docker Hub cache creates the cached repository.
  pull_through_cache_repository_arns = [module.ecr.docker_hub_cache_repository_arns]
}

module "secrets" {
  source = "../secrets"

  name            = local.name
  name_prefix     = local.secret_prefix
  jwt_rotation_id = var.jwt_rotation_id
}

module "database" {
  source = "../database"

  identifier                 = local.name
  vpc_id                     = module.network.vpc_id
  subnet_ids                 = module.network.database_subnet_ids
  allowed_security_group_ids = [module.eks.cluster_security_group_id]
  instance_class             = var.db_instance_class
  allocated_storage_gib      = var.db_allocated_storage_gib
  max_allocated_storage_gib  = var.db_max_allocated_storage_gib
  max_connections            = var.db_max_connections
  backup_retention_days      = local.backup_retention_days
  password_rotation_id       = var.db_password_rotation_id
  logs_kms_key_arn           = module.logs_key.arn
  log_retention_days         = local.log_retention_days
  secret_name                = "${local.secret_prefix}database"
  secrets_kms_key_arn        = module.secrets.kms_key_arn
  # The Temporal server's own role on the same instance (its databases temporal and
  # temporal_visibility); deploy/temporal reads this secret.
  additional_users = {
    temporal = "${local.secret_prefix}temporal-database"
  }
}

module "redis" {
  source = "../redis"

  replication_group_id       = local.name
  vpc_id                     = module.network.vpc_id
  subnet_ids                 = module.network.database_subnet_ids
  allowed_security_group_ids = [module.eks.cluster_security_group_id]
  node_type                  = var.redis_node_type
  # One shard with a replica in another zone, in every environment. Every key of the product
  # carries the hash tag {invoicing} (its Lua scripts must run within one hash slot), so all data
  # lives in one slot on one shard and further shards would stay empty; cluster mode is for the
  # automatic failover and online vertical scaling: grow redis_node_type instead.
  num_node_groups         = 1
  replicas_per_node_group = 1
  auth_token_rotation_id  = var.redis_auth_token_rotation_id
  logs_kms_key_arn        = module.logs_key.arn
  log_retention_days      = local.log_retention_days
  secret_name             = "${local.secret_prefix}redis"
  secrets_kms_key_arn     = module.secrets.kms_key_arn
}

module "access_logs" {
  source = "../access_logs"

  bucket_name = "${local.name}-access-logs-${local.account_id}"
}

module "documents" {
  source = "../documents"

  bucket_name        = "${local.name}-documents-${local.account_id}"
  access_logs_bucket = module.access_logs.bucket
}

module "events" {
  source = "../events"
}

module "email" {
  source = "../email"

  domain                 = var.email_domain
  from_address           = var.email_from_address
  configuration_set_name = local.name
  route53_zone_id        = var.route53_zone_id
}

module "certificate" {
  source = "../certificate"

  domain_name     = var.api_hostname
  route53_zone_id = var.route53_zone_id
}

# The Temporal Web UI has a host name (and ALB listener) of its own, reachable from operator_cidrs
# only (deploy/temporal).
module "temporal_ui_certificate" {
  source = "../certificate"

  domain_name     = var.temporal_ui_hostname
  route53_zone_id = var.route53_zone_id
}

# The product's repositories, and the pull-through cache of Docker Hub the Temporal images come
# through (deploy/temporal/installation-*.yaml name <registry>/docker-hub/temporalio/...).
module "ecr" {
  source = "../ecr"

  name                     = local.name
  docker_hub_cache_enabled = var.docker_hub_cache_enabled
}

# GitHub Actions (.github/workflows/deploy.yml): the account's OIDC provider for GitHub's tokens,
# the role its image job pushes to this account's ECR with (main only), and the role its deploy
# job in the GitHub environment of the same name (staging, production) applies the manifests
# with (an EKS access entry confined to namespaces invoicing and temporal). terraform/README.md,
# "GitHub Actions".
module "github_actions" {
  source = "../github_actions"

  name                 = local.name
  github_repository    = var.github_repository
  github_repository_id = var.github_repository_id
  github_environment   = var.environment
  create_oidc_provider = var.create_github_oidc_provider
  ecr_repository_arns  = values(module.ecr.repository_arns)
  cluster_name         = module.eks.cluster_name
  cluster_arn          = module.eks.cluster_arn
}

module "service_roles" {
  source = "../service_roles"

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
  source = "../alarms"

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
