terraform {
  required_version = ">= 1.11.0, < 2.0.0"

  # aws_iam_openid_connect_provider takes no thumbprint_list since provider 5.81 (see main.tf).
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = ">= 6.9.0, < 7.0.0"
    }
  }
}
