variable "domain" {
  type        = string
  description = "Domain the invoices are e-mailed from (the SES domain identity)."

  validation {
    condition     = can(regex("^([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\\.)+[a-z]{2,63}$", var.domain))
    error_message = "Give a lower-case DNS domain name."
  }
}

variable "from_address" {
  type        = string
  description = "The From address of the worker's e-mails (APP_EMAIL__FROM_ADDRESS); it must be in the domain."

  validation {
    condition     = can(regex("^[^@\\s]+@", var.from_address)) && endswith(var.from_address, "@${var.domain}")
    error_message = "from_address must be an address of the domain (user@<domain>)."
  }
}

variable "mail_from_subdomain" {
  type        = string
  description = "Subdomain of the custom MAIL FROM domain (bounces go there): <subdomain>.<domain>."
  default     = "bounce"
}

variable "configuration_set_name" {
  type        = string
  description = "Name of the SES configuration set."
}

variable "route53_zone_id" {
  type        = string
  description = "Route 53 hosted zone of the domain; empty to create the DNS records elsewhere (see the dns_records output)."
  default     = ""
}

variable "dmarc_policy" {
  type        = string
  description = "The _dmarc TXT record created with the other records; empty to leave DMARC alone (e.g. when the domain already publishes one)."
  default     = "v=DMARC1; p=quarantine; adkim=r; aspf=r"

  validation {
    condition     = var.dmarc_policy == "" || startswith(var.dmarc_policy, "v=DMARC1;")
    error_message = "A DMARC record starts with v=DMARC1;"
  }
}
