output "bucket" {
  description = "Name of the PDF bucket (APP_DOCUMENTS__BUCKET)."
  value       = aws_s3_bucket.this.id
}

output "bucket_arn" {
  description = "ARN of the PDF bucket."
  value       = aws_s3_bucket.this.arn
}

output "invoices_objects_arn" {
  description = "ARN pattern of the invoice PDFs (what the api and worker roles may read or write)."
  value       = "${aws_s3_bucket.this.arn}/invoices/*"
}

output "kms_key_arn" {
  description = "KMS key of the PDFs (APP_DOCUMENTS__KMS_KEY_ID)."
  value       = module.key.arn
}
