variable "name" {
  type        = string
  description = "Name prefix of the network's resources (e.g. invoicing-production)."
}

variable "vpc_cidr" {
  type        = string
  description = "CIDR block of the VPC. A /16 is expected: the private subnets are /20s for pod addresses."

  validation {
    condition     = can(cidrnetmask(var.vpc_cidr)) && tonumber(split("/", var.vpc_cidr)[1]) <= 16
    error_message = "Give a valid IPv4 CIDR block of size /16 or larger."
  }
}

variable "availability_zones" {
  type        = list(string)
  description = "Availability Zones to spread the subnets over (three for the production design)."

  validation {
    condition     = length(var.availability_zones) >= 2 && length(var.availability_zones) <= 3
    error_message = "Use two or three Availability Zones (Multi-AZ RDS and ElastiCache need at least two)."
  }
}

variable "single_nat_gateway" {
  type        = bool
  description = "One shared NAT gateway instead of one per Availability Zone (cheaper, but egress fails with that zone)."
  default     = false
}

variable "cluster_name" {
  type        = string
  description = "Name of the EKS cluster, for the karpenter.sh/discovery subnet tag."
}

variable "logs_kms_key_arn" {
  type        = string
  description = "KMS key that encrypts the flow log group."
}

variable "log_retention_days" {
  type        = number
  description = "Retention of the VPC flow logs."
  default     = 365

  validation {
    condition     = contains([1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653], var.log_retention_days)
    error_message = "Use a retention CloudWatch Logs accepts (e.g. 365, 731)."
  }
}
