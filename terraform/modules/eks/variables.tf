variable "cluster_name" {
  type        = string
  description = "Name of the EKS cluster (also the prefix of its IAM roles)."

  validation {
    condition     = can(regex("^[A-Za-z][A-Za-z0-9-]{0,38}$", var.cluster_name))
    error_message = "Use at most 39 letters, digits and hyphens, starting with a letter (IAM role names add suffixes)."
  }
}

variable "kubernetes_version" {
  type        = string
  description = "Kubernetes minor version of the control plane and the nodes (e.g. 1.35). Upgrade one minor version at a time."

  validation {
    condition     = can(regex("^1\\.[0-9]+$", var.kubernetes_version))
    error_message = "Give a minor version such as 1.35."
  }
}

variable "support_type" {
  type        = string
  description = "EKS upgrade policy: STANDARD (auto-upgraded at the end of standard support) or EXTENDED (paid extended support)."
  default     = "STANDARD"

  validation {
    condition     = contains(["STANDARD", "EXTENDED"], var.support_type)
    error_message = "support_type is STANDARD or EXTENDED."
  }
}

variable "deletion_protection" {
  type        = bool
  description = "Refuse to delete the cluster while this is on."
  default     = true
}

variable "subnet_ids" {
  type        = list(string)
  description = "Private subnets of the control plane's network interfaces and of the nodes."
}

variable "endpoint_public_access" {
  type        = bool
  description = "Expose the Kubernetes API endpoint publicly (only to public_access_cidrs). Off: reachable from the VPC only."
  default     = false

  validation {
    # EKS would default an empty list to 0.0.0.0/0.
    condition     = !var.endpoint_public_access || length(var.public_access_cidrs) > 0
    error_message = "A public endpoint needs public_access_cidrs; EKS would otherwise open it to 0.0.0.0/0."
  }
}

variable "public_access_cidrs" {
  type        = list(string)
  description = "CIDRs allowed to reach the public API endpoint when it is enabled (CI runners, office VPN)."
  default     = []

  validation {
    condition     = alltrue([for cidr in var.public_access_cidrs : can(cidrnetmask(cidr)) && cidr != "0.0.0.0/0"])
    error_message = "Give valid IPv4 CIDRs; 0.0.0.0/0 would expose the API endpoint to the whole internet."
  }
}

variable "cluster_admin_principal_arns" {
  type        = list(string)
  description = "IAM roles or users granted cluster-admin through EKS access entries (the SSO administrator role). CI deploys with a namespace-scoped entry of its own (module github_actions)."

  validation {
    condition     = length(var.cluster_admin_principal_arns) > 0 && alltrue([for arn in var.cluster_admin_principal_arns : can(regex("^arn:aws[a-z-]*:iam::[0-9]{12}:(role|user)/", arn))])
    error_message = "Give at least one IAM role or user ARN; without one nobody can administer the cluster."
  }
}

variable "node_instance_types" {
  type        = list(string)
  description = "Instance types of the default node group, in order of preference; they must match node_ami_type's architecture."
}

variable "node_ami_type" {
  type        = string
  description = "EKS-optimized AMI family of the nodes."
  default     = "AL2023_x86_64_STANDARD"

  validation {
    condition     = contains(["AL2023_x86_64_STANDARD", "AL2023_ARM_64_STANDARD", "BOTTLEROCKET_x86_64", "BOTTLEROCKET_ARM_64"], var.node_ami_type)
    error_message = "Use an Amazon Linux 2023 or Bottlerocket AMI type."
  }
}

variable "node_capacity_type" {
  type        = string
  description = "ON_DEMAND or SPOT capacity for the default node group."
  default     = "ON_DEMAND"

  validation {
    condition     = contains(["ON_DEMAND", "SPOT"], var.node_capacity_type)
    error_message = "node_capacity_type is ON_DEMAND or SPOT."
  }
}

variable "node_min_size" {
  type        = number
  description = "Minimum number of nodes (the Cluster Autoscaler never goes below)."

  validation {
    condition     = var.node_min_size >= 1
    error_message = "Keep at least one node: CoreDNS and the controllers need somewhere to run."
  }
}

variable "node_desired_size" {
  type        = number
  description = "Number of nodes when the group is created; the Cluster Autoscaler manages it afterwards."
}

variable "node_max_size" {
  type        = number
  description = "Maximum number of nodes (the Cluster Autoscaler never goes above)."

  validation {
    condition     = var.node_max_size >= var.node_min_size && var.node_desired_size >= var.node_min_size && var.node_desired_size <= var.node_max_size
    error_message = "Sizes must satisfy node_min_size <= node_desired_size <= node_max_size."
  }
}

variable "pull_through_cache_repository_arns" {
  type        = list(string)
  description = "ARN patterns of ECR pull-through cache repositories (e.g. .../repository/docker-hub/*) the nodes may create and import images into on a first pull."
  default     = []
}

variable "node_disk_size_gib" {
  type        = number
  description = "Size of each node's root volume (images and emptyDir volumes live there)."
  default     = 50
}

variable "logs_kms_key_arn" {
  type        = string
  description = "KMS key that encrypts the control plane log group."
}

variable "log_retention_days" {
  type        = number
  description = "Retention of the control plane logs."
  default     = 365
}

variable "addon_versions" {
  type        = map(string)
  description = "Pinned add-on versions by add-on name (vpc-cni, kube-proxy, coredns, aws-ebs-csi-driver); unlisted add-ons get EKS's default version for the cluster version."
  default     = {}
}
