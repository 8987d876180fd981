output "vpc_id" {
  description = "ID of the VPC (the AWS Load Balancer Controller's --aws-vpc-id: pods cannot read it from the instance metadata, see the eks module)."
  value       = aws_vpc.this.id
}

output "vpc_cidr" {
  description = "CIDR block of the VPC."
  value       = aws_vpc.this.cidr_block
}

output "public_subnet_ids" {
  description = "Public subnets (load balancers, NAT gateways), in Availability Zone order."
  value       = [for az in var.availability_zones : aws_subnet.public[az].id]
}

output "private_subnet_ids" {
  description = "Private subnets (EKS nodes and pods), in Availability Zone order."
  value       = [for az in var.availability_zones : aws_subnet.private[az].id]
}

output "database_subnet_ids" {
  description = "Database subnets (RDS, ElastiCache), in Availability Zone order."
  value       = [for az in var.availability_zones : aws_subnet.database[az].id]
}

output "internal_lb_subnet_cidrs" {
  description = "CIDR blocks of the internal load balancers' subnets, in Availability Zone order (the Temporal UI's NetworkPolicy admits these only)."
  value       = [for az in var.availability_zones : aws_subnet.internal_lb[az].cidr_block]
}

output "private_subnet_cidrs" {
  description = "CIDR blocks of the private subnets (where pods get their addresses), in Availability Zone order."
  value       = [for az in var.availability_zones : aws_subnet.private[az].cidr_block]
}

output "database_subnet_cidrs" {
  description = "CIDR blocks of the database subnets, in Availability Zone order (NetworkPolicy egress rules to RDS and ElastiCache)."
  value       = [for az in var.availability_zones : aws_subnet.database[az].cidr_block]
}

output "nat_public_ips" {
  description = "Public addresses of the NAT gateways: the source addresses of the cluster's outbound traffic (for allow-lists at Stripe or elsewhere)."
  value       = aws_eip.nat[*].public_ip
}
