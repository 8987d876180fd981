terraform {
  required_version = ">= 1.11.0, < 2.0.0"

  # The bootstrap keeps its own (small, secret-free) state locally: it creates the bucket every
  # other root keeps its state in. See terraform/README.md.
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 6.70"
    }
  }
}

provider "aws" {
  region              = var.aws_region
  allowed_account_ids = [var.aws_account_id]

  default_tags {
    tags = {
      Project     = var.project
      Environment = var.environment
      ManagedBy   = "terraform"
    }
  }
}
