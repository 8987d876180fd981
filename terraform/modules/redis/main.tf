# ElastiCache for Redis OSS 7 in cluster mode: num_node_groups shards (one for this product),
# each with replicas_per_node_group replicas in other Availability Zones, automatic failover,
# encrypted at rest (customer managed key) and in transit (TLS required), AUTH token from Secrets
# Manager. The application connects to the configuration endpoint with APP_REDIS__CLUSTER=true.
# https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/Replication.Redis-RedisCluster.html
#
# Why cluster mode with a single shard: the product's Lua scripts touch several keys at once (a
# rate-limit counter and the session it checks, the cache's epoch and an invoice's generation),
# and a cluster runs a script only within one hash slot. So every key carries the hash tag of
# APP_REDIS__KEY_PREFIX ({invoicing}:) and the whole data set lives in ONE slot, hence on one
# shard: a second or third shard would hold nothing and add its nodes' cost. What cluster mode
# buys here is automatic failover to the replica in another AZ (Multi-AZ) and online vertical
# scaling (a bigger node_type without a new endpoint); capacity grows with node_type, not with
# shards.

module "key" {
  source = "../kms_key"

  alias       = "${var.replication_group_id}-redis"
  description = "At-rest encryption of ElastiCache replication group ${var.replication_group_id}."
}

resource "aws_elasticache_subnet_group" "this" {
  name        = var.replication_group_id
  description = "Database subnets of ${var.replication_group_id}."
  subnet_ids  = var.subnet_ids
}

resource "aws_security_group" "this" {
  name        = "${var.replication_group_id}-redis"
  description = "Redis ${var.replication_group_id}: 6379 from the EKS cluster only; no egress."
  vpc_id      = var.vpc_id

  tags = {
    Name = "${var.replication_group_id}-redis"
  }
}

resource "aws_vpc_security_group_ingress_rule" "redis" {
  for_each = toset(var.allowed_security_group_ids)

  security_group_id            = aws_security_group.this.id
  description                  = "Redis from the EKS cluster security group"
  ip_protocol                  = "tcp"
  from_port                    = 6379
  to_port                      = 6379
  referenced_security_group_id = each.value
}

resource "aws_elasticache_parameter_group" "this" {
  name        = "${var.replication_group_id}-redis7-cluster"
  family      = "redis7"
  description = "Redis 7 cluster mode settings of ${var.replication_group_id}."

  parameter {
    name  = "cluster-enabled"
    value = "yes"
  }

  # Keys with a TTL (cache entries, rate-limit windows) are evicted first under memory pressure;
  # the alarm on DatabaseMemoryUsagePercentage fires well before that.
  parameter {
    name  = "maxmemory-policy"
    value = "volatile-lru"
  }
}

resource "random_password" "auth_token" {
  # ElastiCache AUTH tokens: 16 to 128 printable characters without @, " or /. Letters and digits
  # only, because the token goes into the rediss:// URL unescaped.
  length  = 64
  special = false

  keepers = {
    rotation = var.auth_token_rotation_id
  }
}

resource "aws_cloudwatch_log_group" "this" {
  for_each = toset(["slow-log", "engine-log"])

  name              = "/aws/elasticache/${var.replication_group_id}/${each.key}"
  retention_in_days = var.log_retention_days
  kms_key_id        = var.logs_kms_key_arn
}

resource "aws_elasticache_replication_group" "this" {
  replication_group_id = var.replication_group_id
  description          = "Redis of ${var.replication_group_id}: rate limits, sessions and the invoice cache."
  engine               = "redis"
  engine_version       = var.engine_version
  node_type            = var.node_type
  port                 = 6379
  parameter_group_name = aws_elasticache_parameter_group.this.name
  subnet_group_name    = aws_elasticache_subnet_group.this.name
  security_group_ids   = [aws_security_group.this.id]

  num_node_groups            = var.num_node_groups
  replicas_per_node_group    = var.replicas_per_node_group
  automatic_failover_enabled = true
  multi_az_enabled           = true

  at_rest_encryption_enabled = true
  kms_key_id                 = module.key.arn
  transit_encryption_enabled = true
  transit_encryption_mode    = "required"
  auth_token                 = random_password.auth_token.result
  # ROTATE keeps the old token valid next to the new one until the next SET, so a token rotation
  # does not disconnect running pods before they picked up the new secret.
  auth_token_update_strategy = "ROTATE"

  auto_minor_version_upgrade = true
  maintenance_window         = var.maintenance_window
  snapshot_window            = var.snapshot_window
  snapshot_retention_limit   = var.snapshot_retention_days
  final_snapshot_identifier  = "${var.replication_group_id}-final"
  apply_immediately          = false

  log_delivery_configuration {
    destination      = aws_cloudwatch_log_group.this["slow-log"].name
    destination_type = "cloudwatch-logs"
    log_format       = "json"
    log_type         = "slow-log"
  }

  log_delivery_configuration {
    destination      = aws_cloudwatch_log_group.this["engine-log"].name
    destination_type = "cloudwatch-logs"
    log_format       = "json"
    log_type         = "engine-log"
  }
}

resource "aws_secretsmanager_secret" "this" {
  #checkov:skip=CKV2_AWS_57: No Lambda rotation: the token changes with auth_token_rotation_id and ElastiCache's ROTATE strategy, which keeps both tokens valid while the pods restart (runbook in terraform/README.md).
  name                    = var.secret_name
  description             = "Redis of ${var.replication_group_id}: host (configuration endpoint), port, auth_token."
  kms_key_id              = var.secrets_kms_key_arn
  recovery_window_in_days = var.secret_recovery_window_days
}

resource "aws_secretsmanager_secret_version" "this" {
  secret_id = aws_secretsmanager_secret.this.id
  # The Kubernetes side builds APP_REDIS__URL (rediss://:<auth_token>@<host>:<port>) from these.
  secret_string = jsonencode({
    host       = aws_elasticache_replication_group.this.configuration_endpoint_address
    port       = 6379
    auth_token = random_password.auth_token.result
  })
}
