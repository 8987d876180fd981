# Container image repositories of the api and the worker. Tags are immutable (a tag, the git
# commit, always names the same image, so a rollback redeploys exactly what ran before), images
# are scanned on push, and layers are encrypted with a customer managed key.
#
# And an ECR pull-through cache of Docker Hub, where the Temporal images come from
# (temporalio/server, admin-tools, ui): the nodes pull <registry>/docker-hub/temporalio/... from
# this account's ECR, which fetches each image once from Docker Hub with the account's own
# credentials and keeps it. No anonymous pull through the NAT gateways, so no Docker Hub rate
# limit (per source address, shared by every node behind a NAT gateway) and no outage when
# Docker Hub is unreachable for an image already cached.
# https://docs.aws.amazon.com/AmazonECR/latest/userguide/pull-through-cache.html

data "aws_caller_identity" "current" {}
data "aws_partition" "current" {}
data "aws_region" "current" {}

module "key" {
  source = "../kms_key"

  alias       = "${var.name}-ecr"
  description = "Encryption of the ${var.name} container images in ECR."
}

resource "aws_ecr_repository" "this" {
  for_each = toset(var.repository_names)

  name                 = each.key
  image_tag_mutability = "IMMUTABLE"

  image_scanning_configuration {
    scan_on_push = true
  }

  encryption_configuration {
    encryption_type = "KMS"
    kms_key         = module.key.arn
  }
}

resource "aws_ecr_lifecycle_policy" "this" {
  for_each = aws_ecr_repository.this

  repository = each.value.name
  policy = jsonencode({
    rules = [
      {
        rulePriority = 1
        description  = "Untagged images (left behind by interrupted pushes) go after ${var.untagged_expiry_days} days."
        selection = {
          tagStatus   = "untagged"
          countType   = "sinceImagePushed"
          countUnit   = "days"
          countNumber = var.untagged_expiry_days
        }
        action = { type = "expire" }
      },
      {
        rulePriority = 2
        description  = "Keep the ${var.keep_images} most recent images: enough to roll back weeks of releases."
        selection = {
          tagStatus   = "any"
          countType   = "imageCountMoreThan"
          countNumber = var.keep_images
        }
        action = { type = "expire" }
      },
    ]
  })
}

# ---------------------------------------------------------------------------
# Docker Hub pull-through cache
# ---------------------------------------------------------------------------

# Docker Hub requires credentials for a pull-through cache rule: an operator stores a Docker Hub
# username and a read-only access token here ({"username": ..., "accessToken": ...}), then sets
# docker_hub_cache_enabled (ECR checks the secret when the rule is created).
resource "aws_secretsmanager_secret" "docker_hub" {
  #checkov:skip=CKV_AWS_149: ECR's pull-through cache reads its upstream credential only from a secret encrypted with the AWS managed key aws/secretsmanager; it does not support a customer managed key there (https://docs.aws.amazon.com/AmazonECR/latest/userguide/pull-through-cache-creating-secret.html). The secret holds a read-only Docker Hub token, nothing of the product's.
  #checkov:skip=CKV2_AWS_57: A Docker Hub access token is issued and revoked in Docker Hub; no Secrets Manager rotation Lambda can do that. The operator stores a new token here (runbook in terraform/README.md).
  name                    = "ecr-pullthroughcache/${var.name}/docker-hub"
  description             = "Docker Hub credentials of the ECR pull-through cache (docker-hub/...), stored by an operator: username, accessToken (read-only public repositories)."
  recovery_window_in_days = var.secret_recovery_window_days
}

resource "aws_ecr_pull_through_cache_rule" "docker_hub" {
  count = var.docker_hub_cache_enabled ? 1 : 0

  ecr_repository_prefix = var.docker_hub_cache_prefix
  upstream_registry_url = "registry-1.docker.io"
  credential_arn        = aws_secretsmanager_secret.docker_hub.arn
}

# The repositories the cache creates on first pull (docker-hub/temporalio/server, ...). Mutable
# tags: the cache re-checks a tag it holds against Docker Hub at most once a day and must be able
# to store what it finds; the manifests name exact release tags, which Temporal never moves.
# AES256: public images, and a customer managed key here would need a custom role for ECR.
resource "aws_ecr_repository_creation_template" "docker_hub" {
  prefix               = var.docker_hub_cache_prefix
  description          = "Repositories of the Docker Hub pull-through cache."
  applied_for          = ["PULL_THROUGH_CACHE"]
  image_tag_mutability = "MUTABLE"

  encryption_configuration {
    encryption_type = "AES256"
  }

  lifecycle_policy = jsonencode({
    rules = [
      {
        rulePriority = 1
        description  = "Keep the ${var.cached_images_kept} most recently pulled images of each cached repository (the releases in use and a few to roll back to)."
        selection = {
          tagStatus   = "any"
          countType   = "imageCountMoreThan"
          countNumber = var.cached_images_kept
        }
        action = { type = "expire" }
      },
    ]
  })
}
