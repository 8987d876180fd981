# The production environment: modules/invoicing at the design's sizes. 3 AZs with a NAT gateway
# each; 3-18 nodes of 4 vCPU, what the pods' requests need; db.r6g.large Multi-AZ; one Redis
# shard of cache.r6g.large with a replica in another AZ.
#
# Each environment writes its sizes here, in its own root, rather than the module holding a map
# of them keyed by the environment's name: an environment's shape and the arithmetic behind it
# read in one place, next to its state and provider; scripts/check-k8s and scripts/check-ci read
# them from this call; and the module knows no environment by name, so a third one (a load-test
# copy, say) is a new root, not a change to the module.

module "invoicing" {
  source = "../../modules/invoicing"

  environment        = "production"
  vpc_cidr           = var.vpc_cidr
  single_nat_gateway = false
  # Standard support until March 2027; staging moves to the next minor version first.
  kubernetes_version = "1.35"

  # The node group is sized by the pods' requests. scripts/k8s_check.py recomputes this from the
  # rendered manifests and deploy/temporal/values-production.yaml against these values, and fails
  # when a pod would fit no node or the pods at their maximum no longer fit node_max_size:
  #
  #   a node     m7i.xlarge (4 vCPU, 16 GiB): 3.92 vCPU allocatable (the EKS AMI reserves 80m),
  #              3.72 vCPU left after the DaemonSets (VPC CNI, kube-proxy, EBS CSI, node exporter
  #              ~0.2 vCPU). A 2-vCPU type (m7i.large) leaves 1.73 vCPU: Temporal's history pods
  #              (2 vCPU each) could never be scheduled on it.
  #   at every autoscaler's maximum (vCPU of requests):
  #              API 10 x 1 + worker 12 x 1                                          = 22
  #              Temporal frontend 3 x 1 + history 3 x 2 + matching 3 x 1
  #                + internal worker 2 x 0.25 + web 2 x 0.1 + admin tools 0.05       = 12.75
  #              a rollout's surge (maxSurge 25 %: 3 API + 3 worker pods)            =  6
  #              add-ons (CoreDNS, controllers, KEDA, Prometheus, ...) and the Jobs  = ~2.2
  #                                                                          total   = ~43
  #   nodes      the 1-vCPU pods go three to a node (3 of 3.72), a history pod with one of them:
  #              first-fit packing needs 14 nodes, 15 balanced over the three zones.
  #   against    node_max_size 18 = those 15 + one per zone for a managed node group update (it
  #              adds a node before draining one) and for the zone spread's imbalance:
  #              18 x 3.72 = 67 vCPU schedulable for ~43 requested. At the minimum replica counts
  #              (API 3, worker 3, Temporal as above: ~21 vCPU) the Cluster Autoscaler runs about
  #              6 nodes; node_min_size 3 keeps one per zone.
  node_instance_types = ["m7i.xlarge", "m6i.xlarge", "m5.xlarge"]
  node_min_size       = 3
  node_max_size       = 18

  db_instance_class            = "db.r6g.large"
  db_allocated_storage_gib     = 100
  db_max_allocated_storage_gib = 500
  # The connection budget at every autoscaler's maximum (scripts/k8s_check.py recomputes it from
  # the manifests and the Temporal values, and fails when it exceeds the alarm's threshold):
  #   API 10 pods x 10 (APP_DATABASE__MAX_CONNECTIONS) + worker 12 x 8                 = 196
  #   Temporal frontend, history, matching 3 each + internal worker 2 = 11 pods x (15 + 5)
  #     (default and visibility pools; maxIdleConns = maxConns, so they stay open)    = 220
  #   the migration Job 10, operators (psql, the admin tools) 5                        =  15
  #   the larger rollout surge: Temporal's upgrade, one extra pod per service 4 x 20  =  80
  #     (the application's is 3 API x 10 + 3 workers x 8 = 54)
  #                                                                             total  = 511
  # The rds-connections alarm fires at 90 % of max_connections: 540 of 600, above the budget, so
  # it means a leak or a pool out of line, not a normal scale-out. db.r6g.large's memory holds
  # 600 (RDS's own default would be about 1,700). Three more are reserved for rdsadmin.
  db_max_connections = 600
  redis_node_type    = "cache.r6g.large"

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
