output "state_bucket" {
  description = "Bucket of the Terraform state: the `bucket` of envs/<environment>/backend.hcl."
  value       = aws_s3_bucket.state.id
}

output "state_kms_key_arn" {
  description = "KMS key of the state: the `kms_key_id` of envs/<environment>/backend.hcl."
  value       = module.state_key.arn
}

output "backend_hcl" {
  description = "The content of envs/<environment>/backend.hcl for this account."
  value       = "bucket     = \"${aws_s3_bucket.state.id}\"\nkms_key_id = \"${module.state_key.arn}\"\n"
}
