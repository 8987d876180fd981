# Remote state in the S3 bucket created by terraform/bootstrap, encrypted with its KMS key, locked
# with an S3 lock file (no DynamoDB table needed since Terraform 1.10).
# The bucket and the key are per installation and come from backend.hcl at init:
#   terraform init -backend-config=backend.hcl        (see backend.hcl.example)
terraform {
  backend "s3" {
    key          = "invoicing/staging/terraform.tfstate"
    region       = "us-east-1"
    encrypt      = true
    use_lockfile = true
  }
}
