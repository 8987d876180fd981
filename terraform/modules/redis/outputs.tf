output "replication_group_id" {
  description = "ID of the replication group."
  value       = aws_elasticache_replication_group.this.id
}

output "configuration_endpoint_address" {
  description = "Configuration endpoint of the cluster (the host of APP_REDIS__URL)."
  value       = aws_elasticache_replication_group.this.configuration_endpoint_address
}

output "port" {
  description = "Redis port."
  value       = 6379
}

output "member_cluster_ids" {
  description = "Node IDs (the CacheClusterId dimension of node metrics). In cluster mode ElastiCache names them <group>-<shard, 4 digits>-<node, 3 digits>; computed here so that alarms can be planned before the group exists."
  value = flatten([
    for shard in range(1, var.num_node_groups + 1) : [
      for node in range(1, var.replicas_per_node_group + 2) : format("%s-%04d-%03d", var.replication_group_id, shard, node)
    ]
  ])
}

output "security_group_id" {
  description = "Security group of the replication group."
  value       = aws_security_group.this.id
}

output "secret_arn" {
  description = "ARN of the connection secret."
  value       = aws_secretsmanager_secret.this.arn
}

output "secret_name" {
  description = "Name of the connection secret (host, port, auth_token)."
  value       = aws_secretsmanager_secret.this.name
}
