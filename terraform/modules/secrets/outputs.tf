output "kms_key_arn" {
  description = "KMS key of the environment's secrets (External Secrets needs kms:Decrypt on it)."
  value       = module.key.arn
}

output "name_prefix" {
  description = "Prefix of every secret name of the environment."
  value       = var.name_prefix
}

output "jwt_secret_name" {
  description = "Name of the JWT secret (its \"secret\" key is APP_AUTH__JWT_SECRET)."
  value       = aws_secretsmanager_secret.jwt.name
}

output "stripe_secret_name" {
  description = "Name of the Stripe secret (keys secret_key and webhook_secret), filled in by an operator."
  value       = aws_secretsmanager_secret.stripe.name
}

output "stripe_secret_arn" {
  description = "ARN of the Stripe secret."
  value       = aws_secretsmanager_secret.stripe.arn
}

output "temporal_ui_oidc_secret_name" {
  description = "Name of the Temporal UI's OIDC client secret (keys clientID and clientSecret), filled in by an operator."
  value       = aws_secretsmanager_secret.temporal_ui_oidc.name
}
