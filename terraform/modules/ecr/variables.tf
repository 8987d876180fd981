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
