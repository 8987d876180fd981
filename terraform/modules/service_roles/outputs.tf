output "api_role_arn" {
  description = "Role of ServiceAccount invoicing/invoicing-api."
  value       = module.api.arn
}

output "worker_role_arn" {
  description = "Role of ServiceAccount invoicing/invoicing-worker."
  value       = module.worker.arn
}

output "migrate_role_arn" {
  description = "Role of ServiceAccount invoicing/invoicing-migrate (no permissions)."
  value       = module.migrate.arn
}

output "external_secrets_role_arn" {
  description = "Role of ServiceAccount external-secrets/external-secrets."
  value       = module.external_secrets.arn
}

output "cluster_autoscaler_role_arn" {
  description = "Role of ServiceAccount kube-system/cluster-autoscaler."
  value       = module.cluster_autoscaler.arn
}

output "aws_load_balancer_controller_role_arn" {
  description = "Role of ServiceAccount kube-system/aws-load-balancer-controller."
  value       = module.load_balancer_controller.arn
}
