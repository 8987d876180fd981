output "certificate_arn" {
  description = "ARN of the certificate (the Ingress's alb.ingress.kubernetes.io/certificate-arn)."
  value       = aws_acm_certificate.this.arn
}

output "validation_records" {
  description = "DNS records that prove control of the names (created in Route 53 when route53_zone_id is set)."
  value = [
    for option in aws_acm_certificate.this.domain_validation_options : {
      name  = option.resource_record_name
      type  = option.resource_record_type
      value = option.resource_record_value
    }
  ]
}
