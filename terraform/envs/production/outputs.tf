# `terraform output -raw <name>` (lists and maps: -json): modules/invoicing's outputs, each under
# its own name and described there (outputs.tf); terraform/README.md says who reads which.

# The installation values of deploy/ (overlays/production/installation.env and
# temporal/installation-production.yaml).
output "aws_region" { value = module.invoicing.aws_region }
output "environment" { value = module.invoicing.environment }
output "api_role_arn" { value = module.invoicing.api_role_arn }
output "worker_role_arn" { value = module.invoicing.worker_role_arn }
output "migrate_role_arn" { value = module.invoicing.migrate_role_arn }
output "api_hostname" { value = module.invoicing.api_hostname }
output "certificate_arn" { value = module.invoicing.certificate_arn }
output "temporal_ui_hostname" { value = module.invoicing.temporal_ui_hostname }
output "temporal_ui_certificate_arn" { value = module.invoicing.temporal_ui_certificate_arn }
output "operator_cidrs" { value = module.invoicing.operator_cidrs }
output "internal_lb_subnet_cidrs" { value = module.invoicing.internal_lb_subnet_cidrs }
output "documents_bucket" { value = module.invoicing.documents_bucket }
output "documents_kms_key_arn" { value = module.invoicing.documents_kms_key_arn }
output "email_from_address" { value = module.invoicing.email_from_address }
output "vpc_cidr" { value = module.invoicing.vpc_cidr }
output "database_subnet_cidrs" { value = module.invoicing.database_subnet_cidrs }
output "temporal_database_endpoint" { value = module.invoicing.temporal_database_endpoint }
output "docker_hub_cache" { value = module.invoicing.docker_hub_cache }
output "alb_access_logs" { value = module.invoicing.alb_access_logs }

# The cluster add-ons' Helm values.
output "external_secrets_role_arn" { value = module.invoicing.external_secrets_role_arn }
output "cluster_autoscaler_role_arn" { value = module.invoicing.cluster_autoscaler_role_arn }
output "aws_load_balancer_controller_role_arn" { value = module.invoicing.aws_load_balancer_controller_role_arn }
output "cluster_name" { value = module.invoicing.cluster_name }
output "vpc_id" { value = module.invoicing.vpc_id }

# The application's queues and secrets.
output "events_queue_name" { value = module.invoicing.events_queue_name }
output "events_dead_letter_queue_name" { value = module.invoicing.events_dead_letter_queue_name }
output "events_queue_url" { value = module.invoicing.events_queue_url }
output "events_dead_letter_queue_url" { value = module.invoicing.events_dead_letter_queue_url }
output "secret_names" { value = module.invoicing.secret_names }
output "stripe_secret_arn" { value = module.invoicing.stripe_secret_arn }
output "docker_hub_credential_secret_name" { value = module.invoicing.docker_hub_credential_secret_name }

# GitHub Actions (terraform/README.md, "GitHub Actions").
output "ecr_repository_urls" { value = module.invoicing.ecr_repository_urls }
output "github_ecr_push_role_arn" { value = module.invoicing.github_ecr_push_role_arn }
output "github_deploy_role_arn" { value = module.invoicing.github_deploy_role_arn }
output "github_actions_variables" { value = module.invoicing.github_actions_variables }
output "github_deployer_rbac_manifest" { value = module.invoicing.github_deployer_rbac_manifest }

# For the operators: endpoints, DNS records to create elsewhere, the alarms' topic.
output "cluster_endpoint" { value = module.invoicing.cluster_endpoint }
output "nat_public_ips" { value = module.invoicing.nat_public_ips }
output "database_address" { value = module.invoicing.database_address }
output "redis_configuration_endpoint" { value = module.invoicing.redis_configuration_endpoint }
output "certificate_validation_records" { value = module.invoicing.certificate_validation_records }
output "email_dns_records" { value = module.invoicing.email_dns_records }
output "alarm_topic_arn" { value = module.invoicing.alarm_topic_arn }
