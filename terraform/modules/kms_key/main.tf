# A customer managed KMS key with rotation and an explicit key policy.
#
# The first statement is AWS's default key policy: it delegates access to IAM, so that the
# account's IAM policies (the roles in service_roles, the Terraform deployer) decide who may use
# the key. Services that cannot be given an IAM policy of ours (CloudWatch Logs, CloudWatch alarms
# publishing to SNS, ...) get their own statement from the caller through var.service_statements.
# https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-default.html

data "aws_caller_identity" "current" {}
data "aws_partition" "current" {}

locals {
  account_root = "arn:${data.aws_partition.current.partition}:iam::${data.aws_caller_identity.current.account_id}:root"
}

resource "aws_kms_key" "this" {
  description             = var.description
  key_usage               = "ENCRYPT_DECRYPT"
  enable_key_rotation     = true
  rotation_period_in_days = var.rotation_period_in_days
  deletion_window_in_days = var.deletion_window_in_days

  policy = jsonencode({
    Version = "2012-10-17"
    Statement = concat(
      [
        {
          Sid       = "EnableIamPolicies"
          Effect    = "Allow"
          Principal = { AWS = local.account_root }
          Action    = "kms:*"
          Resource  = "*"
        },
      ],
      var.service_statements,
    )
  })
}

resource "aws_kms_alias" "this" {
  name          = "alias/${var.alias}"
  target_key_id = aws_kms_key.this.key_id
}
