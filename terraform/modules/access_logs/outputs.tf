output "bucket" {
  description = "Name of the log bucket (S3 server access logs under s3/, ALB access logs under alb/)."
  value       = aws_s3_bucket.this.id
}

output "bucket_arn" {
  description = "ARN of the log bucket."
  value       = aws_s3_bucket.this.arn
}

output "alb_log_prefix" {
  description = "Prefix for the ALB's access_logs.s3.prefix load balancer attribute."
  value       = "alb"
}
