# EKS control plane, its IRSA identity provider, one managed node group and the core add-ons.
#
# - API endpoint: private access always; public access only when enabled, and then only from the
#   CIDRs given (https://docs.aws.amazon.com/eks/latest/userguide/cluster-endpoint.html).
# - Kubernetes Secrets are envelope-encrypted with a customer managed KMS key.
# - All control plane log types go to CloudWatch Logs, encrypted, with a retention.
# - Access is managed with EKS access entries (authentication mode API), not the aws-auth
#   ConfigMap; the identity that runs Terraform gets no implicit admin access.
# - Nodes: IMDSv2 only with a hop limit of 1, so pods cannot borrow the node role through the
#   instance metadata service; pods get AWS access only through IRSA.
#   https://docs.aws.amazon.com/eks/latest/best-practices/identity-and-access-management.html

data "aws_partition" "current" {}

locals {
  partition        = data.aws_partition.current.partition
  oidc_issuer_host = replace(aws_eks_cluster.this.identity[0].oidc[0].issuer, "https://", "")
  control_plane_logs = [
    "api",
    "audit",
    "authenticator",
    "controllerManager",
    "scheduler",
  ]

  # The networking add-ons must run before nodes can become Ready, so they are created before the
  # node group; CoreDNS and the EBS CSI driver schedule pods and are created after it.
  addons_before_nodes = {
    vpc-cni = {
      service_account_role_arn = module.vpc_cni_role.arn
      # Enforce Kubernetes NetworkPolicy objects (the manifests restrict pod traffic with them).
      # https://docs.aws.amazon.com/eks/latest/userguide/cni-network-policy-configure.html
      configuration_values = jsonencode({ enableNetworkPolicy = "true" })
    }
    kube-proxy = {
      service_account_role_arn = null
      configuration_values     = null
    }
  }
  addons_after_nodes = {
    coredns = {
      service_account_role_arn = null
      configuration_values     = null
    }
    aws-ebs-csi-driver = {
      service_account_role_arn = module.ebs_csi_role.arn
      configuration_values     = null
    }
  }
  addon_names = toset(concat(keys(local.addons_before_nodes), keys(local.addons_after_nodes)))
}

# ---------------------------------------------------------------------------
# Control plane
# ---------------------------------------------------------------------------

module "secrets_key" {
  source = "../kms_key"

  alias       = "${var.cluster_name}-eks-secrets"
  description = "Envelope encryption of the Kubernetes Secrets of EKS cluster ${var.cluster_name}."
}

resource "aws_cloudwatch_log_group" "cluster" {
  # EKS writes to exactly this name; creating it first sets encryption and retention.
  name              = "/aws/eks/${var.cluster_name}/cluster"
  retention_in_days = var.log_retention_days
  kms_key_id        = var.logs_kms_key_arn
}

data "aws_iam_policy_document" "cluster_trust" {
  statement {
    effect  = "Allow"
    actions = ["sts:AssumeRole", "sts:TagSession"]

    principals {
      type        = "Service"
      identifiers = ["eks.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "cluster" {
  name               = "${var.cluster_name}-cluster"
  description        = "EKS control plane role of ${var.cluster_name}."
  assume_role_policy = data.aws_iam_policy_document.cluster_trust.json
}

resource "aws_iam_role_policy_attachment" "cluster" {
  role       = aws_iam_role.cluster.name
  policy_arn = "arn:${local.partition}:iam::aws:policy/AmazonEKSClusterPolicy"
}

data "aws_iam_policy_document" "cluster_encryption" {
  statement {
    sid    = "EnvelopeEncryption"
    effect = "Allow"
    actions = [
      "kms:Encrypt",
      "kms:Decrypt",
      "kms:ListGrants",
      "kms:DescribeKey",
    ]
    resources = [module.secrets_key.arn]
  }
}

resource "aws_iam_role_policy" "cluster_encryption" {
  name   = "secrets-envelope-encryption"
  role   = aws_iam_role.cluster.id
  policy = data.aws_iam_policy_document.cluster_encryption.json
}

resource "aws_eks_cluster" "this" {
  name                          = var.cluster_name
  version                       = var.kubernetes_version
  role_arn                      = aws_iam_role.cluster.arn
  enabled_cluster_log_types     = local.control_plane_logs
  deletion_protection           = var.deletion_protection
  bootstrap_self_managed_addons = false

  access_config {
    authentication_mode                         = "API"
    bootstrap_cluster_creator_admin_permissions = false
  }

  vpc_config {
    subnet_ids              = var.subnet_ids
    endpoint_private_access = true
    endpoint_public_access  = var.endpoint_public_access
    public_access_cidrs     = var.endpoint_public_access ? var.public_access_cidrs : null
  }

  encryption_config {
    resources = ["secrets"]

    provider {
      key_arn = module.secrets_key.arn
    }
  }

  upgrade_policy {
    support_type = var.support_type
  }

  depends_on = [
    aws_cloudwatch_log_group.cluster,
    aws_iam_role_policy_attachment.cluster,
    aws_iam_role_policy.cluster_encryption,
  ]
}

# The cluster security group (created by EKS, attached to the control plane and to every managed
# node) is what RDS and ElastiCache admit. Karpenter would find it through this tag.
resource "aws_ec2_tag" "cluster_security_group_discovery" {
  resource_id = aws_eks_cluster.this.vpc_config[0].cluster_security_group_id
  key         = "karpenter.sh/discovery"
  value       = var.cluster_name
}

resource "aws_eks_access_entry" "admin" {
  for_each = toset(var.cluster_admin_principal_arns)

  cluster_name  = aws_eks_cluster.this.name
  principal_arn = each.value
  type          = "STANDARD"
}

resource "aws_eks_access_policy_association" "admin" {
  for_each = toset(var.cluster_admin_principal_arns)

  cluster_name  = aws_eks_cluster.this.name
  principal_arn = aws_eks_access_entry.admin[each.key].principal_arn
  policy_arn    = "arn:${local.partition}:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy"

  access_scope {
    type = "cluster"
  }
}

# ---------------------------------------------------------------------------
# IAM OIDC provider for IRSA
# ---------------------------------------------------------------------------

data "tls_certificate" "oidc" {
  url = aws_eks_cluster.this.identity[0].oidc[0].issuer
}

resource "aws_iam_openid_connect_provider" "this" {
  url             = aws_eks_cluster.this.identity[0].oidc[0].issuer
  client_id_list  = ["sts.amazonaws.com"]
  thumbprint_list = [data.tls_certificate.oidc.certificates[0].sha1_fingerprint]
}

module "vpc_cni_role" {
  source = "../irsa_role"

  name              = "${var.cluster_name}-vpc-cni"
  description       = "VPC CNI (aws-node) of ${var.cluster_name}: manages pod network interfaces and addresses."
  oidc_provider_arn = aws_iam_openid_connect_provider.this.arn
  oidc_issuer_host  = local.oidc_issuer_host
  namespace         = "kube-system"
  service_account   = "aws-node"
  managed_policy_arns = {
    cni = "arn:${local.partition}:iam::aws:policy/AmazonEKS_CNI_Policy"
  }
}

module "ebs_csi_role" {
  source = "../irsa_role"

  name              = "${var.cluster_name}-ebs-csi"
  description       = "EBS CSI driver controller of ${var.cluster_name}: creates and attaches volumes for PersistentVolumeClaims."
  oidc_provider_arn = aws_iam_openid_connect_provider.this.arn
  oidc_issuer_host  = local.oidc_issuer_host
  namespace         = "kube-system"
  service_account   = "ebs-csi-controller-sa"
  managed_policy_arns = {
    ebs_csi = "arn:${local.partition}:iam::aws:policy/service-role/AmazonEBSCSIDriverPolicy"
  }
}

# ---------------------------------------------------------------------------
# Add-ons. Without a pinned version, each add-on gets the default version for the cluster's
# Kubernetes version, and follows it when the cluster is upgraded.
# ---------------------------------------------------------------------------

data "aws_eks_addon_version" "this" {
  for_each = local.addon_names

  addon_name         = each.key
  kubernetes_version = aws_eks_cluster.this.version
  most_recent        = false
}

resource "aws_eks_addon" "before_nodes" {
  for_each = local.addons_before_nodes

  cluster_name                = aws_eks_cluster.this.name
  addon_name                  = each.key
  addon_version               = lookup(var.addon_versions, each.key, data.aws_eks_addon_version.this[each.key].version)
  service_account_role_arn    = each.value.service_account_role_arn
  configuration_values        = each.value.configuration_values
  resolve_conflicts_on_create = "OVERWRITE"
  resolve_conflicts_on_update = "OVERWRITE"
}

resource "aws_eks_addon" "after_nodes" {
  for_each = local.addons_after_nodes

  cluster_name                = aws_eks_cluster.this.name
  addon_name                  = each.key
  addon_version               = lookup(var.addon_versions, each.key, data.aws_eks_addon_version.this[each.key].version)
  service_account_role_arn    = each.value.service_account_role_arn
  configuration_values        = each.value.configuration_values
  resolve_conflicts_on_create = "OVERWRITE"
  resolve_conflicts_on_update = "OVERWRITE"

  depends_on = [aws_eks_node_group.default]
}

# ---------------------------------------------------------------------------
# Managed node group
# ---------------------------------------------------------------------------

data "aws_iam_policy_document" "node_trust" {
  statement {
    effect  = "Allow"
    actions = ["sts:AssumeRole"]

    principals {
      type        = "Service"
      identifiers = ["ec2.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "node" {
  name               = "${var.cluster_name}-node"
  description        = "EC2 nodes of ${var.cluster_name}: join the cluster and pull images. Pods do not get this role (IMDS hop limit 1)."
  assume_role_policy = data.aws_iam_policy_document.node_trust.json
}

resource "aws_iam_role_policy_attachment" "node" {
  for_each = {
    # Join the cluster.
    worker = "arn:${local.partition}:iam::aws:policy/AmazonEKSWorkerNodePolicy"
    # Pull images from ECR (read-only, pull only).
    ecr = "arn:${local.partition}:iam::aws:policy/AmazonEC2ContainerRegistryPullOnly"
    # Shell access through SSM Session Manager instead of SSH keys and open ports.
    ssm = "arn:${local.partition}:iam::aws:policy/AmazonSSMManagedInstanceCore"
  }

  role       = aws_iam_role.node.name
  policy_arn = each.value
}

# The first pull of an image through an ECR pull-through cache (module ecr: Docker Hub's
# temporalio/* images) creates its repository and imports the image; the pulling identity, the
# node, needs these two actions for it, on the cache's repositories only.
# https://docs.aws.amazon.com/AmazonECR/latest/userguide/pull-through-cache-iam.html
data "aws_iam_policy_document" "node_pull_through_cache" {
  count = length(var.pull_through_cache_repository_arns) > 0 ? 1 : 0

  statement {
    sid       = "PullThroughCache"
    effect    = "Allow"
    actions   = ["ecr:BatchImportUpstreamImage", "ecr:CreateRepository"]
    resources = var.pull_through_cache_repository_arns
  }
}

resource "aws_iam_role_policy" "node_pull_through_cache" {
  count = length(var.pull_through_cache_repository_arns) > 0 ? 1 : 0

  name   = "ecr-pull-through-cache"
  role   = aws_iam_role.node.id
  policy = data.aws_iam_policy_document.node_pull_through_cache[0].json
}

resource "aws_launch_template" "nodes" {
  name_prefix            = "${var.cluster_name}-nodes-"
  description            = "Nodes of ${var.cluster_name}: encrypted gp3 root volume, IMDSv2 only."
  update_default_version = true
  ebs_optimized          = true

  block_device_mappings {
    device_name = "/dev/xvda"

    ebs {
      volume_size           = var.node_disk_size_gib
      volume_type           = "gp3"
      encrypted             = true
      delete_on_termination = true
    }
  }

  metadata_options {
    http_endpoint               = "enabled"
    http_tokens                 = "required"
    http_put_response_hop_limit = 1
    instance_metadata_tags      = "disabled"
  }

  tag_specifications {
    resource_type = "instance"

    tags = {
      Name = "${var.cluster_name}-node"
    }
  }

  tag_specifications {
    resource_type = "volume"

    tags = {
      Name = "${var.cluster_name}-node"
    }
  }

  lifecycle {
    create_before_destroy = true
  }
}

resource "aws_eks_node_group" "default" {
  cluster_name    = aws_eks_cluster.this.name
  node_group_name = "default"
  node_role_arn   = aws_iam_role.node.arn
  subnet_ids      = var.subnet_ids
  version         = aws_eks_cluster.this.version
  ami_type        = var.node_ami_type
  capacity_type   = var.node_capacity_type
  instance_types  = var.node_instance_types

  scaling_config {
    min_size     = var.node_min_size
    desired_size = var.node_desired_size
    max_size     = var.node_max_size
  }

  update_config {
    max_unavailable_percentage = 33
  }

  node_repair_config {
    enabled = true
  }

  launch_template {
    id      = aws_launch_template.nodes.id
    version = aws_launch_template.nodes.latest_version
  }

  # EKS tags the node group's Auto Scaling group with these two tags itself; they are what the
  # Cluster Autoscaler's --node-group-auto-discovery looks for.
  # https://docs.aws.amazon.com/eks/latest/userguide/managed-node-groups.html
  tags = {
    "k8s.io/cluster-autoscaler/enabled"             = "true"
    "k8s.io/cluster-autoscaler/${var.cluster_name}" = "owned"
  }

  lifecycle {
    # The Cluster Autoscaler owns the desired size once the group exists.
    ignore_changes = [scaling_config[0].desired_size]
  }

  depends_on = [
    aws_iam_role_policy_attachment.node,
    aws_eks_addon.before_nodes,
  ]
}
