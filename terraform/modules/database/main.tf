# PostgreSQL 15 on RDS, Multi-AZ, in the database subnets, reachable on 5432 only from the EKS
# cluster security group (nodes and pods).
#
# Recovery (RPO < 5 min, RTO < 1 h in the design): automated backups with point-in-time recovery
# (RDS archives the WAL every 5 minutes) kept backup_retention_days; a final snapshot on deletion;
# deletion protection; Multi-AZ failover within a couple of minutes.
# https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_PIT.html
#
# Credentials: a generated password is set on the instance and written, with the connection
# details, to the Secrets Manager secret <prefix>database. Its rotation is a deliberate operation (see
# terraform/README.md): the api and the worker read APP_DATABASE__URL once at start, so a password
# changed behind their back would break every new pool connection until they restart.

data "aws_partition" "current" {}

module "key" {
  source = "../kms_key"

  alias       = "${var.identifier}-rds"
  description = "Storage, snapshots and Performance Insights of RDS instance ${var.identifier}."
}

resource "aws_db_subnet_group" "this" {
  name        = var.identifier
  description = "Database subnets of ${var.identifier}."
  subnet_ids  = var.subnet_ids
}

resource "aws_security_group" "this" {
  name        = "${var.identifier}-postgres"
  description = "PostgreSQL ${var.identifier}: 5432 from the EKS cluster only; no egress."
  vpc_id      = var.vpc_id

  tags = {
    Name = "${var.identifier}-postgres"
  }
}

resource "aws_vpc_security_group_ingress_rule" "postgres" {
  for_each = toset(var.allowed_security_group_ids)

  security_group_id            = aws_security_group.this.id
  description                  = "PostgreSQL from the EKS cluster security group"
  ip_protocol                  = "tcp"
  from_port                    = 5432
  to_port                      = 5432
  referenced_security_group_id = each.value
}

# Explicit parameters (not a dynamic block) so that scanners and reviewers read them as written.
# https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/Appendix.PostgreSQL.CommonDBATasks.Parameters.html
resource "aws_db_parameter_group" "this" {
  # A prefix, not a fixed name: a replacement group is created before the old one is released.
  name_prefix = "${var.identifier}-postgres15-"
  family      = "postgres15"
  description = "PostgreSQL 15 settings of ${var.identifier}."

  # Refuse connections without TLS.
  parameter {
    name  = "rds.force_ssl"
    value = "1"
  }

  # Sized by the environments for every pool at its maximum: the api and worker pools
  # (APP_DATABASE__MAX_CONNECTIONS per pod) at their maximum replica counts, the Temporal server's
  # pools (it shares the instance), the migration Job, operators and a rollout's surge, under the
  # rds-connections alarm at 90 % (the budget is in terraform/envs/*/variables.tf). Static:
  # applied at the next reboot (a Multi-AZ failover of 1-2 minutes).
  parameter {
    name         = "max_connections"
    value        = tostring(var.max_connections)
    apply_method = "pending-reboot"
  }

  parameter {
    name         = "shared_preload_libraries"
    value        = "pg_stat_statements"
    apply_method = "pending-reboot"
  }

  # Slow statements and schema changes are logged (to CloudWatch Logs, see below).
  parameter {
    name  = "log_min_duration_statement"
    value = tostring(var.log_min_duration_ms)
  }

  parameter {
    name  = "log_statement"
    value = "ddl"
  }

  parameter {
    name  = "log_connections"
    value = "1"
  }

  parameter {
    name  = "log_disconnections"
    value = "1"
  }

  parameter {
    name  = "log_lock_waits"
    value = "1"
  }

  # A session that opened a transaction and went idle (a crashed client) releases its locks.
  parameter {
    name  = "idle_in_transaction_session_timeout"
    value = "300000"
  }

  lifecycle {
    create_before_destroy = true
  }
}

resource "random_password" "master" {
  # Letters and digits only: the password goes into a URL without escaping.
  length  = 40
  special = false

  keepers = {
    rotation = var.password_rotation_id
  }
}

data "aws_iam_policy_document" "monitoring_trust" {
  statement {
    effect  = "Allow"
    actions = ["sts:AssumeRole"]

    principals {
      type        = "Service"
      identifiers = ["monitoring.rds.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "monitoring" {
  name               = "${var.identifier}-rds-monitoring"
  description        = "Enhanced Monitoring of RDS instance ${var.identifier}."
  assume_role_policy = data.aws_iam_policy_document.monitoring_trust.json
}

resource "aws_iam_role_policy_attachment" "monitoring" {
  role       = aws_iam_role.monitoring.name
  policy_arn = "arn:${data.aws_partition.current.partition}:iam::aws:policy/service-role/AmazonRDSEnhancedMonitoringRole"
}

# RDS would create these log groups itself, unencrypted and kept forever.
resource "aws_cloudwatch_log_group" "this" {
  for_each = toset(["postgresql", "upgrade"])

  name              = "/aws/rds/instance/${var.identifier}/${each.key}"
  retention_in_days = var.log_retention_days
  kms_key_id        = var.logs_kms_key_arn
}

resource "aws_db_instance" "this" {
  identifier     = var.identifier
  engine         = "postgres"
  engine_version = var.engine_version
  instance_class = var.instance_class
  port           = 5432

  db_name  = var.database_name
  username = var.master_username
  password = random_password.master.result

  allocated_storage     = var.allocated_storage_gib
  max_allocated_storage = var.max_allocated_storage_gib
  storage_type          = "gp3"
  storage_encrypted     = true
  kms_key_id            = module.key.arn

  multi_az               = var.multi_az
  db_subnet_group_name   = aws_db_subnet_group.this.name
  vpc_security_group_ids = [aws_security_group.this.id]
  publicly_accessible    = false
  parameter_group_name   = aws_db_parameter_group.this.name
  ca_cert_identifier     = "rds-ca-rsa2048-g1"

  iam_database_authentication_enabled = true

  backup_retention_period   = var.backup_retention_days
  backup_window             = var.backup_window
  maintenance_window        = var.maintenance_window
  copy_tags_to_snapshot     = true
  delete_automated_backups  = false
  deletion_protection       = var.deletion_protection
  skip_final_snapshot       = false
  final_snapshot_identifier = "${var.identifier}-final"

  auto_minor_version_upgrade  = true
  allow_major_version_upgrade = false
  apply_immediately           = false

  enabled_cloudwatch_logs_exports       = ["postgresql", "upgrade"]
  monitoring_interval                   = var.monitoring_interval_seconds
  monitoring_role_arn                   = aws_iam_role.monitoring.arn
  performance_insights_enabled          = true
  performance_insights_kms_key_id       = module.key.arn
  performance_insights_retention_period = 7

  depends_on = [
    aws_cloudwatch_log_group.this,
    aws_iam_role_policy_attachment.monitoring,
  ]
}

# ---------------------------------------------------------------------------
# Connection secrets, in the JSON structure AWS documents for database credentials
# (https://docs.aws.amazon.com/secretsmanager/latest/userguide/reference_secret_json_structure.html).
# The Kubernetes side builds APP_DATABASE__URL from them (with sslmode=verify-full and the RDS CA
# bundle).
# ---------------------------------------------------------------------------

resource "aws_secretsmanager_secret" "this" {
  #checkov:skip=CKV2_AWS_57: No automatic rotation on purpose: the api and worker read the URL once at start, so rotation is the runbook in terraform/README.md (new password_rotation_id, apply, External Secrets refresh, rolling restart).
  name                    = var.secret_name
  description             = "PostgreSQL master user of ${var.identifier}: username, password, engine, host, port, dbname."
  kms_key_id              = var.secrets_kms_key_arn
  recovery_window_in_days = var.secret_recovery_window_days
}

resource "aws_secretsmanager_secret_version" "this" {
  secret_id = aws_secretsmanager_secret.this.id
  secret_string = jsonencode({
    username = var.master_username
    password = random_password.master.result
    engine   = "postgres"
    host     = aws_db_instance.this.address
    port     = aws_db_instance.this.port
    dbname   = var.database_name
  })
}

# Further PostgreSQL roles that other workloads log in with (the Temporal server's `temporal`).
# Terraform has no network path to the instance, so it generates their passwords and secrets and
# an operator creates the roles once with them (terraform/README.md, "After the first apply").
resource "random_password" "additional_user" {
  for_each = var.additional_users

  length  = 40
  special = false

  keepers = {
    rotation = var.password_rotation_id
  }
}

resource "aws_secretsmanager_secret" "additional_user" {
  #checkov:skip=CKV2_AWS_57: The role is created and its password changed by an operator with psql (no Lambda can reach the instance's role catalogue for it here); see the rotation runbook in terraform/README.md.
  for_each = var.additional_users

  name                    = each.value
  description             = "PostgreSQL role ${each.key} on ${var.identifier}: username, password, engine, host, port."
  kms_key_id              = var.secrets_kms_key_arn
  recovery_window_in_days = var.secret_recovery_window_days
}

resource "aws_secretsmanager_secret_version" "additional_user" {
  for_each = var.additional_users

  secret_id = aws_secretsmanager_secret.additional_user[each.key].id
  secret_string = jsonencode({
    username = each.key
    password = random_password.additional_user[each.key].result
    engine   = "postgres"
    host     = aws_db_instance.this.address
    port     = aws_db_instance.this.port
  })
}
