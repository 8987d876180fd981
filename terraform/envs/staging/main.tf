# The staging environment: modules/invoicing like production, smaller. One shared NAT gateway,
# 2-9 burstable nodes, db.t4g.medium, one Redis shard of cache.t4g.small with a replica.
# Multi-AZ, encryption, backups and deletion protection stay on (the module does not make them
# optional), so that staging exercises failover and recovery the way production does.
#
# The sizes are written here rather than in a map inside the module keyed by the environment's
# name: envs/production/main.tf says why.

module "invoicing" {
  source = "../../modules/invoicing"

  environment        = "staging"
  vpc_cidr           = var.vpc_cidr
  single_nat_gateway = true
  # An upgrade comes here first, then to production.
  kubernetes_version = "1.35"

  # The node group is sized by the pods' requests (scripts/k8s_check.py recomputes this from the
  # rendered manifests and deploy/temporal/values-staging.yaml, and fails when they no longer
  # fit):
  #
  #   a node     t3.large (2 vCPU, 8 GiB): 1.93 vCPU allocatable, 1.73 after the DaemonSets.
  #              Staging's largest pod is a history pod at 0.5 vCPU (values-staging.yaml).
  #   at every autoscaler's maximum (vCPU of requests):
  #              API 4 x 0.25 + worker 4 x 0.25                                      = 2
  #              Temporal frontend 2 x 0.25 + history 2 x 0.5 + matching 2 x 0.25
  #                + internal worker 0.1 + web 0.1 + admin tools 0.05                = 2.25
  #              the larger surge: Temporal's upgrade, one pod per service           = 1.1
  #              add-ons (CoreDNS, controllers, KEDA, Prometheus, ...) and the Jobs  = ~2.2
  #                                                                          total   = ~7.6
  #   nodes      first-fit packing needs 5, 6 balanced over the three zones; node_max_size 9
  #              adds one per zone of headroom (node group updates, the zone spread).
  # Burstable types, because staging idles most of the time.
  node_instance_types = ["t3.large", "t3a.large"]
  node_min_size       = 2
  node_max_size       = 9

  db_instance_class            = "db.t4g.medium"
  db_allocated_storage_gib     = 20
  db_max_allocated_storage_gib = 100
  # The connection budget at every autoscaler's maximum (scripts/k8s_check.py recomputes it):
  #   API 4 pods x 10 + worker 4 x 10                                                 =  80
  #   Temporal 7 pods (frontend, history, matching 2 each, internal worker 1) x (10 + 3) =  91
  #   the migration Job 10, operators 5                                                =  15
  #   the larger rollout surge: Temporal's upgrade, 4 x 13                             =  52
  #                                                                             total  = 238
  # under the rds-connections alarm at 90 % of 300 (270); db.t4g.medium's memory holds 300.
  db_max_connections = 300
  redis_node_type    = "cache.t4g.small"

  # The installation's inputs (variables.tf, set in terraform.tfvars).
  aws_account_id                       = var.aws_account_id
  aws_region                           = var.aws_region
  project                              = var.project
  availability_zone_ids                = var.availability_zone_ids
  cluster_endpoint_public_access       = var.cluster_endpoint_public_access
  cluster_endpoint_public_access_cidrs = var.cluster_endpoint_public_access_cidrs
  cluster_admin_principal_arns         = var.cluster_admin_principal_arns
  docker_hub_cache_enabled             = var.docker_hub_cache_enabled
  github_repository                    = var.github_repository
  github_repository_id                 = var.github_repository_id
  create_github_oidc_provider          = var.create_github_oidc_provider
  db_password_rotation_id              = var.db_password_rotation_id
  redis_auth_token_rotation_id         = var.redis_auth_token_rotation_id
  jwt_rotation_id                      = var.jwt_rotation_id
  api_hostname                         = var.api_hostname
  temporal_ui_hostname                 = var.temporal_ui_hostname
  operator_cidrs                       = var.operator_cidrs
  email_domain                         = var.email_domain
  email_from_address                   = var.email_from_address
  route53_zone_id                      = var.route53_zone_id
  alarm_email_addresses                = var.alarm_email_addresses
  alb_arn_suffix                       = var.alb_arn_suffix
}
