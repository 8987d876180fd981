# The bucket of invoice PDFs (invoices/{id}/v{n}.pdf), written by the worker, read by the api.
#
# - SSE-KMS with a customer managed key and an S3 Bucket Key (fewer KMS requests, lower cost);
#   the bucket policy refuses uploads that ask for another encryption or another key.
# - Versioning: a re-stamped PDF (PAID, VOID) never destroys the previous version.
# - Lifecycle: Standard -> Standard-IA after 30 days -> Glacier Instant Retrieval after a year.
#   Instant Retrieval, not Glacier Flexible Retrieval: the api serves old PDFs on request, and a
#   Flexible Retrieval object would need a restore first. Objects under 128 KB (most PDFs) stay in
#   Standard, where they are cheapest (S3's default minimum transition size).
#   https://docs.aws.amazon.com/AmazonS3/latest/userguide/lifecycle-transition-general-considerations.html

module "key" {
  source = "../kms_key"

  alias       = "${var.bucket_name}-s3"
  description = "SSE-KMS of the invoice PDFs in s3://${var.bucket_name}."
}

resource "aws_s3_bucket" "this" {
  #checkov:skip=CKV_AWS_144: No cross-region replication: PDFs are rendered from PostgreSQL (the system of record) and can be re-rendered; S3 already stores them across at least three Availability Zones with versioning.
  #checkov:skip=CKV2_AWS_62: No consumer of object events exists; the worker records each PDF version in PostgreSQL itself.
  bucket = var.bucket_name
}

resource "aws_s3_bucket_ownership_controls" "this" {
  bucket = aws_s3_bucket.this.id

  rule {
    object_ownership = "BucketOwnerEnforced"
  }
}

resource "aws_s3_bucket_public_access_block" "this" {
  bucket                  = aws_s3_bucket.this.id
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

resource "aws_s3_bucket_versioning" "this" {
  bucket = aws_s3_bucket.this.id

  versioning_configuration {
    status = "Enabled"
  }
}

resource "aws_s3_bucket_server_side_encryption_configuration" "this" {
  bucket = aws_s3_bucket.this.id

  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm     = "aws:kms"
      kms_master_key_id = module.key.arn
    }
    bucket_key_enabled = true
  }
}

resource "aws_s3_bucket_logging" "this" {
  bucket        = aws_s3_bucket.this.id
  target_bucket = var.access_logs_bucket
  target_prefix = "s3/${var.bucket_name}/"

  target_object_key_format {
    partitioned_prefix {
      partition_date_source = "EventTime"
    }
  }
}

resource "aws_s3_bucket_lifecycle_configuration" "this" {
  bucket = aws_s3_bucket.this.id

  rule {
    id     = "invoice-pdfs"
    status = "Enabled"

    filter {
      prefix = "invoices/"
    }

    transition {
      days          = var.transition_to_ia_days
      storage_class = "STANDARD_IA"
    }

    transition {
      days          = var.transition_to_glacier_days
      storage_class = "GLACIER_IR"
    }

    noncurrent_version_expiration {
      noncurrent_days = var.noncurrent_version_expiration_days
    }
  }

  # Statements of account e-mailed to customers: kept with their record, like the invoices.
  rule {
    id     = "statement-pdfs"
    status = "Enabled"

    filter {
      prefix = "statements/"
    }

    transition {
      days          = var.transition_to_ia_days
      storage_class = "STANDARD_IA"
    }

    transition {
      days          = var.transition_to_glacier_days
      storage_class = "GLACIER_IR"
    }

    noncurrent_version_expiration {
      noncurrent_days = var.noncurrent_version_expiration_days
    }
  }

  # Statements made for a download are streamed once and made again when asked for.
  rule {
    id     = "statement-downloads"
    status = "Enabled"

    filter {
      prefix = "statement-downloads/"
    }

    expiration {
      days = 1
    }

    noncurrent_version_expiration {
      noncurrent_days = 1
    }
  }

  rule {
    id     = "housekeeping"
    status = "Enabled"

    filter {}

    abort_incomplete_multipart_upload {
      days_after_initiation = 7
    }

    expiration {
      expired_object_delete_marker = true
    }
  }

  depends_on = [aws_s3_bucket_versioning.this]
}

data "aws_iam_policy_document" "this" {
  statement {
    sid       = "DenyInsecureTransport"
    effect    = "Deny"
    actions   = ["s3:*"]
    resources = [aws_s3_bucket.this.arn, "${aws_s3_bucket.this.arn}/*"]

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

  # An upload may leave the encryption to the bucket default or ask for SSE-KMS with this key;
  # asking for SSE-S3 or another key is refused.
  statement {
    sid       = "DenyOtherEncryption"
    effect    = "Deny"
    actions   = ["s3:PutObject"]
    resources = ["${aws_s3_bucket.this.arn}/*"]

    principals {
      type        = "*"
      identifiers = ["*"]
    }

    condition {
      test     = "StringNotEqualsIfExists"
      variable = "s3:x-amz-server-side-encryption"
      values   = ["aws:kms"]
    }
  }

  statement {
    sid       = "DenyOtherKmsKey"
    effect    = "Deny"
    actions   = ["s3:PutObject"]
    resources = ["${aws_s3_bucket.this.arn}/*"]

    principals {
      type        = "*"
      identifiers = ["*"]
    }

    condition {
      test     = "StringNotEqualsIfExists"
      variable = "s3:x-amz-server-side-encryption-aws-kms-key-id"
      values   = [module.key.arn]
    }
  }
}

resource "aws_s3_bucket_policy" "this" {
  bucket = aws_s3_bucket.this.id
  policy = data.aws_iam_policy_document.this.json

  depends_on = [aws_s3_bucket_public_access_block.this]
}
