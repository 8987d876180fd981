output "oidc_provider_arn" {
  description = "ARN of the account's IAM OIDC provider for token.actions.githubusercontent.com (created here unless create_oidc_provider is false)."
  value       = var.create_oidc_provider ? aws_iam_openid_connect_provider.github[0].arn : local.oidc_provider_arn
}

output "ecr_push_role_arn" {
  description = "Role of deploy.yml's image job in this account (GitHub repository variable <ENVIRONMENT>_ECR_PUSH_ROLE_ARN)."
  value       = aws_iam_role.ecr_push.arn
}

output "deploy_role_arn" {
  description = "Role of deploy.yml's deploy job in the GitHub environment (GitHub environment variable AWS_DEPLOY_ROLE_ARN)."
  value       = aws_iam_role.deploy.arn
}

output "github_variables" {
  description = "The GitHub Actions variables deploy.yml reads, by where they are set: repository (shared by both environments' jobs) and environment (the GitHub environment github_environment)."
  value = {
    repository = {
      AWS_REGION                                           = data.aws_region.current.region
      "${upper(var.github_environment)}_ECR_PUSH_ROLE_ARN" = aws_iam_role.ecr_push.arn
    }
    environment = {
      AWS_DEPLOY_ROLE_ARN = aws_iam_role.deploy.arn
      EKS_CLUSTER_NAME    = var.cluster_name
    }
  }
}

output "deployer_rbac_manifest" {
  description = "Kubernetes RBAC (JSON List) that gives the deploy role's group what no EKS access policy grants: the Namespace objects and the custom resources. A cluster administrator applies it once: terraform output -raw github_deployer_rbac_manifest | kubectl apply -f -."
  value       = jsonencode(local.deployer_rbac_manifest)
}
