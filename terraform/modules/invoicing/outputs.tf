# What the Kubernetes manifests (deploy/), the operators and the CI pipeline need from the
# environment. The roots (envs/<environment>/outputs.tf) re-export each under the same name, for
# `terraform output -raw <name>` there.

# The names marked "installation" are read by deploy/ (overlays/<environment>/installation.env
# and temporal/installation-<environment>.yaml).

output "aws_region" {
  description = "AWS region (installation: AWS_REGION, APP_AWS__REGION)."
  value       = var.aws_region
}

output "environment" {
  description = "Environment name, the middle of the secret names invoicing/<environment>/ (installation: ENVIRONMENT)."
  value       = var.environment
}

output "api_role_arn" {
  description = "IRSA role of ServiceAccount invoicing/invoicing-api (installation: API_ROLE_ARN)."
  value       = module.service_roles.api_role_arn
}

output "worker_role_arn" {
  description = "IRSA role of ServiceAccount invoicing/invoicing-worker (installation: WORKER_ROLE_ARN)."
  value       = module.service_roles.worker_role_arn
}

output "migrate_role_arn" {
  description = "IRSA role of ServiceAccount invoicing/invoicing-migrate, without permissions (installation: MIGRATE_ROLE_ARN)."
  value       = module.service_roles.migrate_role_arn
}

output "external_secrets_role_arn" {
  description = "IRSA role of ServiceAccount external-secrets/external-secrets (the External Secrets Operator's Helm values)."
  value       = module.service_roles.external_secrets_role_arn
}

output "cluster_autoscaler_role_arn" {
  description = "IRSA role of ServiceAccount kube-system/cluster-autoscaler (the Cluster Autoscaler's Helm values)."
  value       = module.service_roles.cluster_autoscaler_role_arn
}

output "aws_load_balancer_controller_role_arn" {
  description = "IRSA role of ServiceAccount kube-system/aws-load-balancer-controller (the controller's Helm values)."
  value       = module.service_roles.aws_load_balancer_controller_role_arn
}

output "api_hostname" {
  description = "Public host name of the API and web app (installation: API_HOSTNAME)."
  value       = var.api_hostname
}

output "certificate_arn" {
  description = "ACM certificate of api_hostname (installation: CERTIFICATE_ARN)."
  value       = module.certificate.certificate_arn
}

output "temporal_ui_hostname" {
  description = "Host name of the Temporal Web UI (installation: web.ingress.hosts)."
  value       = var.temporal_ui_hostname
}

output "temporal_ui_certificate_arn" {
  description = "ACM certificate of temporal_ui_hostname (installation: the Temporal UI Ingress's certificate-arn)."
  value       = module.temporal_ui_certificate.certificate_arn
}

output "operator_cidrs" {
  description = "Networks allowed to the Temporal Web UI (installation: the UI Ingress's alb.ingress.kubernetes.io/inbound-cidrs, comma-separated)."
  value       = var.operator_cidrs
}

output "internal_lb_subnet_cidrs" {
  description = "CIDR blocks of the internal load balancers' subnets, where the Temporal UI's ALB runs (installation: INTERNAL_LB_SUBNET_CIDR_1..3, the UI pods' NetworkPolicy)."
  value       = module.network.internal_lb_subnet_cidrs
}

output "documents_bucket" {
  description = "Bucket of the invoice PDFs (installation: DOCUMENTS_BUCKET, APP_DOCUMENTS__BUCKET)."
  value       = module.documents.bucket
}

output "documents_kms_key_arn" {
  description = "KMS key of the PDFs (installation: DOCUMENTS_KMS_KEY_ARN, APP_DOCUMENTS__KMS_KEY_ID)."
  value       = module.documents.kms_key_arn
}

output "email_from_address" {
  description = "From address on the verified SES domain (installation: EMAIL_FROM_ADDRESS, APP_EMAIL__FROM_ADDRESS)."
  value       = module.email.from_address
}

output "vpc_cidr" {
  description = "CIDR block of the VPC (installation: VPC_CIDR)."
  value       = module.network.vpc_cidr
}

output "database_subnet_cidrs" {
  description = "CIDR blocks of the three database subnets of RDS and ElastiCache (installation: DATA_SUBNET_CIDR_1..3)."
  value       = module.network.database_subnet_cidrs
}

output "temporal_database_endpoint" {
  description = "Address of the RDS instance the Temporal server keeps its state in (installation: connectAddr and tls.serverName)."
  value       = module.database.address
}

output "events_queue_name" {
  description = "Name of the lifecycle event queue (APP_EVENTS__QUEUE_NAME)."
  value       = module.events.queue_name
}

output "events_dead_letter_queue_name" {
  description = "Name of its dead-letter queue (APP_EVENTS__DEAD_LETTER_QUEUE_NAME)."
  value       = module.events.dead_letter_queue_name
}

output "events_queue_url" {
  description = "URL of the lifecycle event queue (for the downstream consumer)."
  value       = module.events.queue_url
}

output "events_dead_letter_queue_url" {
  description = "URL of the event dead-letter queue (for redrives)."
  value       = module.events.dead_letter_queue_url
}

output "secret_names" {
  description = "Secrets Manager secrets of the environment, all under invoicing/<environment>/ (the ExternalSecret keys)."
  value = {
    database          = module.database.secret_name
    temporal_database = module.database.additional_user_secret_names["temporal"]
    redis             = module.redis.secret_name
    jwt               = module.secrets.jwt_secret_name
    stripe            = module.secrets.stripe_secret_name
    temporal_ui_oidc  = module.secrets.temporal_ui_oidc_secret_name
  }
}

output "stripe_secret_arn" {
  description = "The secret an operator fills with the Stripe keys after the first apply."
  value       = module.secrets.stripe_secret_arn
}

output "cluster_name" {
  description = "EKS cluster name (aws eks update-kubeconfig --name ...; the Cluster Autoscaler's clusterName)."
  value       = module.eks.cluster_name
}

output "cluster_endpoint" {
  description = "Kubernetes API server URL."
  value       = module.eks.cluster_endpoint
}

output "vpc_id" {
  description = "VPC id (the AWS Load Balancer Controller's vpcId Helm value: pods cannot read it from the instance metadata)."
  value       = module.network.vpc_id
}

output "nat_public_ips" {
  description = "Source addresses of outbound traffic from the cluster."
  value       = module.network.nat_public_ips
}

output "database_address" {
  description = "PostgreSQL endpoint (for operators; the application takes it from the secret)."
  value       = module.database.address
}

output "redis_configuration_endpoint" {
  description = "Redis cluster configuration endpoint (APP_REDIS__CLUSTER=true)."
  value       = module.redis.configuration_endpoint_address
}

output "ecr_repository_urls" {
  description = "Image repositories (invoicing-api, invoicing-worker)."
  value       = module.ecr.repository_urls
}

output "docker_hub_cache" {
  description = "Where the Docker Hub images come from through ECR's pull-through cache: <registry>/docker-hub (installation: the Temporal images' repositories, e.g. <this>/temporalio/server, and the overlay's temporalio/admin-tools image)."
  value       = "${local.account_id}.dkr.ecr.${var.aws_region}.amazonaws.com/${module.ecr.docker_hub_cache_prefix}"
}

output "docker_hub_credential_secret_name" {
  description = "The secret an operator fills with a Docker Hub username and access token before setting docker_hub_cache_enabled."
  value       = module.ecr.docker_hub_credential_secret_name
}

output "github_ecr_push_role_arn" {
  description = "Role of deploy.yml's image job in this account: GitHub repository variable <ENVIRONMENT>_ECR_PUSH_ROLE_ARN (STAGING_, PRODUCTION_)."
  value       = module.github_actions.ecr_push_role_arn
}

output "github_deploy_role_arn" {
  description = "Role of deploy.yml's job for this environment: variable AWS_DEPLOY_ROLE_ARN of the GitHub environment of the same name."
  value       = module.github_actions.deploy_role_arn
}

output "github_actions_variables" {
  description = "Every GitHub Actions variable deploy.yml needs from this account, by where it is set: repository, or the GitHub environment of the same name (terraform/README.md, \"GitHub Actions\")."
  value       = module.github_actions.github_variables
}

output "github_deployer_rbac_manifest" {
  description = "Kubernetes RBAC of the deploy role's group (the Namespace objects and the custom resources, which no EKS access policy grants); applied once by a cluster administrator: terraform output -raw github_deployer_rbac_manifest | kubectl apply -f -."
  value       = module.github_actions.deployer_rbac_manifest
}

output "certificate_validation_records" {
  description = "DNS records validating the certificates (create them when route53_zone_id is empty)."
  value       = concat(module.certificate.validation_records, module.temporal_ui_certificate.validation_records)
}

output "email_dns_records" {
  description = "DKIM and MAIL FROM records of the e-mail domain (create them when route53_zone_id is empty)."
  value       = module.email.dns_records
}

output "alb_access_logs" {
  description = "Where the ALBs write their access logs: the Ingress's load-balancer-attributes access_logs.s3.bucket and access_logs.s3.prefix."
  value = {
    bucket = module.access_logs.bucket
    prefix = module.access_logs.alb_log_prefix
  }
}

output "alarm_topic_arn" {
  description = "SNS topic of the CloudWatch alarms."
  value       = module.alarms.sns_topic_arn
}
