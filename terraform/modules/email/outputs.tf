output "identity_arn" {
  description = "ARN of the SES domain identity (the resource of the worker's ses:SendEmail permission)."
  value       = aws_sesv2_email_identity.this.arn
}

output "configuration_set_name" {
  description = "Name of the configuration set (the identity's default)."
  value       = aws_sesv2_configuration_set.this.configuration_set_name
}

output "configuration_set_arn" {
  description = "ARN of the configuration set."
  value       = aws_sesv2_configuration_set.this.arn
}

output "from_address" {
  description = "The From address (APP_EMAIL__FROM_ADDRESS)."
  value       = var.from_address
}

output "dns_records" {
  description = "DNS records the domain needs (created in Route 53 when route53_zone_id is set)."
  value = concat(
    [
      for token in aws_sesv2_email_identity.this.dkim_signing_attributes[0].tokens : {
        name  = "${token}._domainkey.${var.domain}"
        type  = "CNAME"
        value = "${token}.dkim.amazonses.com"
      }
    ],
    [
      { name = local.mail_from_domain, type = "MX", value = "10 feedback-smtp.${data.aws_region.current.region}.amazonses.com" },
      { name = local.mail_from_domain, type = "TXT", value = "v=spf1 include:amazonses.com -all" },
    ],
  )
}
