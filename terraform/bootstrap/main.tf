# Run once per AWS account, before the first `terraform init` of an environment: creates the S3
# bucket that holds the environments' Terraform state (versioned, SSE-KMS with its own key, public
# access blocked, TLS only, access-logged) and the bucket for its access logs.
# https://developer.hashicorp.com/terraform/language/backend/s3

data "aws_caller_identity" "current" {}

locals {
  state_bucket = "${var.project}-terraform-state-${data.aws_caller_identity.current.account_id}"
}

module "state_key" {
  source = "../modules/kms_key"

  alias       = "${var.project}-terraform-state"
  description = "Encryption of the ${var.project} Terraform state (it holds generated passwords)."
}

module "access_logs" {
  source = "../modules/access_logs"

  bucket_name = "${var.project}-terraform-state-logs-${data.aws_caller_identity.current.account_id}"
}

resource "aws_s3_bucket" "state" {
  #checkov:skip=CKV_AWS_144: The state is versioned (earlier states stay recoverable) and the environments live in one region; a copy in a second region would be one more place holding generated passwords.
  #checkov:skip=CKV2_AWS_62: Nothing consumes state object events.
  bucket = local.state_bucket

  lifecycle {
    prevent_destroy = true
  }
}

resource "aws_s3_bucket_ownership_controls" "state" {
  bucket = aws_s3_bucket.state.id

  rule {
    object_ownership = "BucketOwnerEnforced"
  }
}

resource "aws_s3_bucket_public_access_block" "state" {
  bucket                  = aws_s3_bucket.state.id
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

resource "aws_s3_bucket_versioning" "state" {
  bucket = aws_s3_bucket.state.id

  versioning_configuration {
    status = "Enabled"
  }
}

resource "aws_s3_bucket_server_side_encryption_configuration" "state" {
  bucket = aws_s3_bucket.state.id

  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm     = "aws:kms"
      kms_master_key_id = module.state_key.arn
    }
    bucket_key_enabled = true
  }
}

resource "aws_s3_bucket_logging" "state" {
  bucket        = aws_s3_bucket.state.id
  target_bucket = module.access_logs.bucket
  target_prefix = "s3/${local.state_bucket}/"

  target_object_key_format {
    partitioned_prefix {
      partition_date_source = "EventTime"
    }
  }
}

resource "aws_s3_bucket_lifecycle_configuration" "state" {
  bucket = aws_s3_bucket.state.id

  rule {
    id     = "state-history"
    status = "Enabled"

    filter {}

    # Earlier states stay recoverable for this long after they were replaced.
    noncurrent_version_expiration {
      noncurrent_days = var.state_history_days
    }

    abort_incomplete_multipart_upload {
      days_after_initiation = 7
    }
  }

  depends_on = [aws_s3_bucket_versioning.state]
}

data "aws_iam_policy_document" "state" {
  statement {
    sid       = "DenyInsecureTransport"
    effect    = "Deny"
    actions   = ["s3:*"]
    resources = [aws_s3_bucket.state.arn, "${aws_s3_bucket.state.arn}/*"]

    principals {
      type        = "*"
      identifiers = ["*"]
    }

    condition {
      test     = "Bool"
      variable = "aws:SecureTransport"
      values   = ["false"]
    }
  }
}

resource "aws_s3_bucket_policy" "state" {
  bucket = aws_s3_bucket.state.id
  policy = data.aws_iam_policy_document.state.json

  depends_on = [aws_s3_bucket_public_access_block.state]
}
