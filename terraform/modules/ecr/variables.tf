variable "name" {
  type        = string
  description = "Name of the environment's resources (e.g. invoicing-production), for the key alias."
}

variable "repository_names" {
  type        = list(string)
  description = "Repositories to create, one per image."
  default     = ["invoicing-api", "invoicing-worker"]
}

variable "keep_images" {
  type        = number
  description = "How many images each repository keeps (older ones expire)."
  default     = 100

  validation {
    condition     = var.keep_images >= 10
    error_message = "Keep at least 10 images, so that rollbacks stay possible."
  }
}

variable "untagged_expiry_days" {
  type        = number
  description = "Days after which untagged images expire."
  default     = 7
}

variable "docker_hub_cache_enabled" {
  type        = bool
  description = "Create the Docker Hub pull-through cache rule. Set it once the secret ecr-pullthroughcache/<name>/docker-hub holds a username and an access token: ECR checks the credential when the rule is created."
  default     = false
}

variable "docker_hub_cache_prefix" {
  type        = string
  description = "Repository prefix of the Docker Hub pull-through cache: images are pulled as <registry>/<prefix>/<namespace>/<image>:<tag>."
  default     = "docker-hub"

  validation {
    condition     = can(regex("^[a-z0-9]+([._-][a-z0-9]+)*$", var.docker_hub_cache_prefix)) && length(var.docker_hub_cache_prefix) >= 2 && length(var.docker_hub_cache_prefix) <= 30
    error_message = "Use 2 to 30 lower-case letters, digits and . _ - (ECR's repository prefix)."
  }
}

variable "cached_images_kept" {
  type        = number
  description = "How many images each pull-through cache repository keeps."
  default     = 10
}

variable "secret_recovery_window_days" {
  type        = number
  description = "Days a deleted Docker Hub credential secret can still be restored."
  default     = 30
}
