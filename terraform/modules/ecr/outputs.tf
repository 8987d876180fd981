output "repository_urls" {
  description = "Repository URLs by name (the image names in the Kubernetes manifests and in CI's docker push)."
  value       = { for name, repository in aws_ecr_repository.this : name => repository.repository_url }
}

output "repository_arns" {
  description = "Repository ARNs by name (for CI's push permissions)."
  value       = { for name, repository in aws_ecr_repository.this : name => repository.arn }
}
