output "repository_urls" {
  description = "Repository URLs by name (the image names in the Kubernetes manifests and in CI's docker push)."
  value       = { for name, repository in aws_ecr_repository.this : name => repository.repository_url }
}

output "repository_arns" {
  description = "Repository ARNs by name (for CI's push permissions)."
  value       = { for name, repository in aws_ecr_repository.this : name => repository.arn }
}

output "docker_hub_cache_prefix" {
  description = "Repository prefix of the Docker Hub pull-through cache (docker-hub)."
  value       = var.docker_hub_cache_prefix
}

output "docker_hub_cache_repository_arns" {
  description = "ARN pattern of the repositories the Docker Hub pull-through cache creates (what the nodes may import into)."
  value       = "arn:${data.aws_partition.current.partition}:ecr:${data.aws_region.current.region}:${data.aws_caller_identity.current.account_id}:repository/${var.docker_hub_cache_prefix}/*"
}

output "docker_hub_credential_secret_name" {
  description = "The secret an operator fills with the Docker Hub username and access token."
  value       = aws_secretsmanager_secret.docker_hub.name
}
