output "instance_id" {
  description = "Identifier of the RDS instance (the DBInstanceIdentifier dimension of its metrics)."
  value       = aws_db_instance.this.identifier
}

output "arn" {
  description = "ARN of the RDS instance."
  value       = aws_db_instance.this.arn
}

output "address" {
  description = "DNS name of the instance endpoint."
  value       = aws_db_instance.this.address
}

output "port" {
  description = "PostgreSQL port."
  value       = aws_db_instance.this.port
}

output "database_name" {
  description = "Name of the application database."
  value       = var.database_name
}

output "security_group_id" {
  description = "Security group of the instance."
  value       = aws_security_group.this.id
}

output "secret_arn" {
  description = "ARN of the connection secret."
  value       = aws_secretsmanager_secret.this.arn
}

output "secret_name" {
  description = "Name of the master user's connection secret (username, password, engine, host, port, dbname)."
  value       = aws_secretsmanager_secret.this.name
}

output "kms_key_arn" {
  description = "KMS key of the instance's storage, snapshots and Performance Insights."
  value       = module.key.arn
}

output "additional_user_secret_names" {
  description = "Secret of each additional PostgreSQL role, by role name."
  value       = { for user, secret in aws_secretsmanager_secret.additional_user : user => secret.name }
}
