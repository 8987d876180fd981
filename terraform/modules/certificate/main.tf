# The TLS certificate of the application's host name, for the ALB's HTTPS listener. The AWS Load
# Balancer Controller finds it by the Ingress host, or it is named with the
# alb.ingress.kubernetes.io/certificate-arn annotation (output certificate_arn).
# DNS validation: the records are created in Route 53 when a zone id is given; otherwise the
# validation_records output lists them and the certificate stays pending until they exist.

locals {
  manage_dns = var.route53_zone_id != ""
}

resource "aws_acm_certificate" "this" {
  domain_name               = var.domain_name
  subject_alternative_names = var.subject_alternative_names
  validation_method         = "DNS"
  key_algorithm             = "RSA_2048"

  options {
    certificate_transparency_logging_preference = "ENABLED"
  }

  lifecycle {
    create_before_destroy = true
  }
}

resource "aws_route53_record" "validation" {
  for_each = local.manage_dns ? {
    for option in aws_acm_certificate.this.domain_validation_options : option.domain_name => {
      name   = option.resource_record_name
      type   = option.resource_record_type
      record = option.resource_record_value
    }
  } : {}

  zone_id         = var.route53_zone_id
  name            = each.value.name
  type            = each.value.type
  ttl             = 300
  records         = [each.value.record]
  allow_overwrite = true
}

resource "aws_acm_certificate_validation" "this" {
  count = local.manage_dns ? 1 : 0

  certificate_arn         = aws_acm_certificate.this.arn
  validation_record_fqdns = [for record in aws_route53_record.validation : record.fqdn]
}
