variable "domain_name" {
  type        = string
  description = "Host name the application is served at (the Ingress host)."

  validation {
    condition     = can(regex("^([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\\.)+[a-z]{2,63}$", var.domain_name))
    error_message = "Give a lower-case host name without a wildcard."
  }
}

variable "subject_alternative_names" {
  type        = list(string)
  description = "Further host names on the same certificate."
  default     = []
}

variable "route53_zone_id" {
  type        = string
  description = "Route 53 hosted zone that validates the certificate; empty to create the validation records elsewhere."
  default     = ""
}
