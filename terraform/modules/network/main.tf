# VPC over several Availability Zones with four subnet tiers:
# - public: the internet-facing ALB (created by the AWS Load Balancer Controller) and the NAT
#   gateways; nothing else gets a public address.
# - internal load balancers: the internal ALB of the Temporal UI, nothing else. A tier of its own
#   so that the UI pods' NetworkPolicy can admit these addresses and no pod's (pods have VPC
#   addresses in the private subnets). Routed like the private subnets (NAT): the ALB's OIDC
#   authentication calls the identity provider's token and user info endpoints.
# - private: EKS nodes and pods (the VPC CNI gives every pod a VPC address, hence /20s).
# - database: RDS and ElastiCache; their route table has no route to the internet at all.
#
# Layout of the VPC CIDR (a /16 gives the sizes in brackets):
#   cidrsubnet(vpc, 8, 0..2)    public                   [/24]
#   cidrsubnet(vpc, 8, 8..10)   internal load balancers  [/24]
#   cidrsubnet(vpc, 4, 1..3)    private                  [/20]
#   cidrsubnet(vpc, 8, 64..66)  database                 [/24]

data "aws_caller_identity" "current" {}
data "aws_partition" "current" {}
data "aws_region" "current" {}

locals {
  azs = { for index, az in var.availability_zones : az => index }

  nat_count = var.single_nat_gateway ? 1 : length(var.availability_zones)

  # Subnet discovery tags:
  # - kubernetes.io/role/elb and kubernetes.io/role/internal-elb: where the AWS Load Balancer
  #   Controller puts internet-facing and internal load balancers.
  #   https://docs.aws.amazon.com/eks/latest/userguide/network-load-balancing.html
  # - karpenter.sh/discovery: the subnets a Karpenter EC2NodeClass selects, should the cluster
  #   move from Cluster Autoscaler to Karpenter. https://karpenter.sh/docs/concepts/nodeclasses/
  public_subnet_tags = {
    "kubernetes.io/role/elb" = "1"
  }
  internal_lb_subnet_tags = {
    "kubernetes.io/role/internal-elb" = "1"
  }
  private_subnet_tags = {
    "karpenter.sh/discovery" = var.cluster_name
  }
}

resource "aws_vpc" "this" {
  cidr_block           = var.vpc_cidr
  enable_dns_support   = true
  enable_dns_hostnames = true

  tags = {
    Name = var.name
  }
}

# Take every rule away from the VPC's default security group, so that a resource created without
# an explicit group gets no access at all. (CIS AWS Foundations 5.4)
resource "aws_default_security_group" "this" {
  vpc_id = aws_vpc.this.id

  tags = {
    Name = "${var.name}-default-deny"
  }
}

resource "aws_internet_gateway" "this" {
  vpc_id = aws_vpc.this.id

  tags = {
    Name = var.name
  }
}

resource "aws_subnet" "public" {
  for_each = local.azs

  vpc_id                  = aws_vpc.this.id
  availability_zone       = each.key
  cidr_block              = cidrsubnet(var.vpc_cidr, 8, each.value)
  map_public_ip_on_launch = false

  tags = merge(local.public_subnet_tags, {
    Name = "${var.name}-public-${each.key}"
    Tier = "public"
  })
}

resource "aws_subnet" "internal_lb" {
  for_each = local.azs

  vpc_id                  = aws_vpc.this.id
  availability_zone       = each.key
  cidr_block              = cidrsubnet(var.vpc_cidr, 8, each.value + 8)
  map_public_ip_on_launch = false

  tags = merge(local.internal_lb_subnet_tags, {
    Name = "${var.name}-internal-lb-${each.key}"
    Tier = "internal-lb"
  })
}

resource "aws_subnet" "private" {
  for_each = local.azs

  vpc_id            = aws_vpc.this.id
  availability_zone = each.key
  cidr_block        = cidrsubnet(var.vpc_cidr, 4, each.value + 1)

  tags = merge(local.private_subnet_tags, {
    Name = "${var.name}-private-${each.key}"
    Tier = "private"
  })
}

resource "aws_subnet" "database" {
  for_each = local.azs

  vpc_id            = aws_vpc.this.id
  availability_zone = each.key
  cidr_block        = cidrsubnet(var.vpc_cidr, 8, each.value + 64)

  tags = {
    Name = "${var.name}-database-${each.key}"
    Tier = "database"
  }
}

# NAT: one gateway per AZ in production, so that losing an AZ does not cut the other AZs' egress
# (Stripe, SES, ECR pulls); staging shares one to save its hourly cost.
resource "aws_eip" "nat" {
  count = local.nat_count

  domain = "vpc"

  tags = {
    Name = "${var.name}-nat-${var.availability_zones[count.index]}"
  }

  depends_on = [aws_internet_gateway.this]
}

resource "aws_nat_gateway" "this" {
  count = local.nat_count

  allocation_id = aws_eip.nat[count.index].id
  subnet_id     = aws_subnet.public[var.availability_zones[count.index]].id

  tags = {
    Name = "${var.name}-${var.availability_zones[count.index]}"
  }

  depends_on = [aws_internet_gateway.this]
}

resource "aws_route_table" "public" {
  vpc_id = aws_vpc.this.id

  tags = {
    Name = "${var.name}-public"
  }
}

resource "aws_route" "public_internet" {
  route_table_id         = aws_route_table.public.id
  destination_cidr_block = "0.0.0.0/0"
  gateway_id             = aws_internet_gateway.this.id
}

resource "aws_route_table_association" "public" {
  for_each = aws_subnet.public

  subnet_id      = each.value.id
  route_table_id = aws_route_table.public.id
}

resource "aws_route_table" "private" {
  for_each = local.azs

  vpc_id = aws_vpc.this.id

  tags = {
    Name = "${var.name}-private-${each.key}"
  }
}

resource "aws_route" "private_nat" {
  for_each = local.azs

  route_table_id         = aws_route_table.private[each.key].id
  destination_cidr_block = "0.0.0.0/0"
  nat_gateway_id         = aws_nat_gateway.this[var.single_nat_gateway ? 0 : each.value].id
}

resource "aws_route_table_association" "private" {
  for_each = aws_subnet.private

  subnet_id      = each.value.id
  route_table_id = aws_route_table.private[each.key].id
}

# The internal load balancers' subnets use their zone's private route table (its NAT gateway).
resource "aws_route_table_association" "internal_lb" {
  for_each = aws_subnet.internal_lb

  subnet_id      = each.value.id
  route_table_id = aws_route_table.private[each.key].id
}

# The database tier only talks to the VPC: its route table has the implicit local route only.
resource "aws_route_table" "database" {
  vpc_id = aws_vpc.this.id

  tags = {
    Name = "${var.name}-database"
  }
}

resource "aws_route_table_association" "database" {
  for_each = aws_subnet.database

  subnet_id      = each.value.id
  route_table_id = aws_route_table.database.id
}

# S3 through a gateway endpoint: PDFs and ECR image layers (stored in S3) do not cross the NAT
# gateways, which bill per GB. Gateway endpoints have no hourly charge.
resource "aws_vpc_endpoint" "s3" {
  vpc_id            = aws_vpc.this.id
  service_name      = "com.amazonaws.${data.aws_region.current.region}.s3"
  vpc_endpoint_type = "Gateway"
  route_table_ids   = [for table in aws_route_table.private : table.id]

  tags = {
    Name = "${var.name}-s3"
  }
}

# ---------------------------------------------------------------------------
# VPC flow logs to CloudWatch Logs (encrypted with the environment's logs key)
# https://docs.aws.amazon.com/vpc/latest/userguide/flow-logs-cwl.html
# ---------------------------------------------------------------------------

resource "aws_cloudwatch_log_group" "flow_logs" {
  name              = "/aws/vpc/${var.name}/flow-logs"
  retention_in_days = var.log_retention_days
  kms_key_id        = var.logs_kms_key_arn
}

data "aws_iam_policy_document" "flow_logs_trust" {
  statement {
    effect  = "Allow"
    actions = ["sts:AssumeRole"]

    principals {
      type        = "Service"
      identifiers = ["vpc-flow-logs.amazonaws.com"]
    }

    # Confused-deputy protection: only flow logs of this account may use the role.
    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [data.aws_caller_identity.current.account_id]
    }

    condition {
      test     = "ArnLike"
      variable = "aws:SourceArn"
      values   = ["arn:${data.aws_partition.current.partition}:ec2:${data.aws_region.current.region}:${data.aws_caller_identity.current.account_id}:vpc-flow-log/*"]
    }
  }
}

data "aws_iam_policy_document" "flow_logs" {
  statement {
    sid    = "WriteFlowLogs"
    effect = "Allow"
    actions = [
      "logs:CreateLogStream",
      "logs:PutLogEvents",
      "logs:DescribeLogStreams",
    ]
    resources = [
      aws_cloudwatch_log_group.flow_logs.arn,
      "${aws_cloudwatch_log_group.flow_logs.arn}:*",
    ]
  }
}

resource "aws_iam_role" "flow_logs" {
  name               = "${var.name}-vpc-flow-logs"
  description        = "Lets VPC flow logs of ${var.name} write to their CloudWatch log group."
  assume_role_policy = data.aws_iam_policy_document.flow_logs_trust.json
}

resource "aws_iam_role_policy" "flow_logs" {
  name   = "write-flow-logs"
  role   = aws_iam_role.flow_logs.id
  policy = data.aws_iam_policy_document.flow_logs.json
}

resource "aws_flow_log" "this" {
  vpc_id                   = aws_vpc.this.id
  traffic_type             = "ALL"
  log_destination_type     = "cloud-watch-logs"
  log_destination          = aws_cloudwatch_log_group.flow_logs.arn
  iam_role_arn             = aws_iam_role.flow_logs.arn
  max_aggregation_interval = 60

  tags = {
    Name = var.name
  }
}
