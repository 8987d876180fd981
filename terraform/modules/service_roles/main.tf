# One IRSA role per Kubernetes ServiceAccount of the product and of the cluster add-ons that call
# AWS, each with exactly what its process calls (no wildcard actions; resources scoped to ARNs
# wherever the API allows it).
#
#   invoicing/invoicing-api                        S3 GetObject on invoices/* and the statements'
#                                                  prefixes, Get/Put/DeleteObject on logos/*, KMS
#   invoicing/invoicing-worker                     S3 Put/GetObject on invoices/* and the statements'
#                                                  prefixes, GetObject on logos/*, KMS, SES SendEmail,
#                                                  SQS GetQueueUrl/SendMessage/GetQueueAttributes
#   external-secrets/external-secrets              read the invoicing/<env>/ secrets, KMS Decrypt
#   kube-system/cluster-autoscaler                 resize this cluster's node groups
#   kube-system/aws-load-balancer-controller       manage the ALB of the Ingress
#
#   invoicing/invoicing-migrate                    nothing: `api migrate` only talks to PostgreSQL
#                                                  (URL from its Kubernetes Secret); the role is an
#                                                  identity of its own with no permission at all
#
# keda/keda-operator gets no role: it scales the worker on the Temporal task queue backlog (KEDA's
# temporal scaler asks the Temporal frontend) and calls no AWS API.
# The IMDS hop limit of 1 on the nodes (eks module) keeps pods from falling back to the node's
# role.

data "aws_caller_identity" "current" {}
data "aws_partition" "current" {}
data "aws_region" "current" {}

locals {
  partition  = data.aws_partition.current.partition
  region     = data.aws_region.current.region
  account_id = data.aws_caller_identity.current.account_id

  invoices_objects_arn = "${var.documents_bucket_arn}/invoices/*"
  # Customers' statements of account: kept when e-mailed, expired after a day when downloaded
  # (the documents module's lifecycle rules).
  statements_objects_arns = [
    "${var.documents_bucket_arn}/statements/*",
    "${var.documents_bucket_arn}/statement-downloads/*",
  ]
  # Sellers' logos: uploaded, shown and replaced through the API (PUT/GET/DELETE
  # /api/settings/logo), read by the worker to draw them on documents.
  logos_objects_arn   = "${var.documents_bucket_arn}/logos/*"
  secrets_arn_pattern = "arn:${local.partition}:secretsmanager:${local.region}:${local.account_id}:secret:${var.secrets_name_prefix}*"
}

# ---------------------------------------------------------------------------
# invoicing-api
# ---------------------------------------------------------------------------

data "aws_iam_policy_document" "api" {
  statement {
    sid       = "ReadInvoicePdfs"
    effect    = "Allow"
    actions   = ["s3:GetObject"]
    resources = concat([local.invoices_objects_arn], local.statements_objects_arns)
  }

  statement {
    sid       = "ManageSellerLogos"
    effect    = "Allow"
    actions   = ["s3:PutObject", "s3:GetObject", "s3:DeleteObject"]
    resources = [local.logos_objects_arn]
  }

  statement {
    sid    = "EncryptAndDecryptDocuments"
    effect = "Allow"
    # GenerateDataKey: the logos the API uploads are encrypted with the bucket's key too.
    actions   = ["kms:GenerateDataKey", "kms:Decrypt"]
    resources = [var.documents_kms_key_arn]

    condition {
      test     = "StringEquals"
      variable = "kms:ViaService"
      values   = ["s3.${local.region}.amazonaws.com"]
    }
  }
}

module "api" {
  source = "../irsa_role"

  name              = "${var.name}-api"
  description       = "The invoicing api (${var.app_namespace}/${var.api_service_account}): reads documents, manages sellers' logos."
  oidc_provider_arn = var.oidc_provider_arn
  oidc_issuer_host  = var.oidc_issuer_host
  namespace         = var.app_namespace
  service_account   = var.api_service_account
  inline_policies = {
    invoicing-api = data.aws_iam_policy_document.api.json
  }
}

# ---------------------------------------------------------------------------
# invoicing-worker
# ---------------------------------------------------------------------------

data "aws_iam_policy_document" "worker" {
  statement {
    sid       = "WriteAndReadInvoicePdfs"
    effect    = "Allow"
    actions   = ["s3:PutObject", "s3:GetObject"]
    resources = concat([local.invoices_objects_arn], local.statements_objects_arns)
  }

  statement {
    sid       = "ReadSellerLogos"
    effect    = "Allow"
    actions   = ["s3:GetObject"]
    resources = [local.logos_objects_arn]
  }

  statement {
    sid       = "EncryptAndDecryptDocuments"
    effect    = "Allow"
    actions   = ["kms:GenerateDataKey", "kms:Decrypt"]
    resources = [var.documents_kms_key_arn]

    condition {
      test     = "StringEquals"
      variable = "kms:ViaService"
      values   = ["s3.${local.region}.amazonaws.com"]
    }
  }

  # SES v2 SendEmail authorizes against the identity and the configuration set.
  # https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonsimpleemailservicev2.html
  statement {
    sid       = "SendInvoiceEmails"
    effect    = "Allow"
    actions   = ["ses:SendEmail"]
    resources = [var.email_identity_arn, var.email_configuration_set_arn]

    condition {
      test     = "StringEquals"
      variable = "ses:FromAddress"
      values   = [var.email_from_address]
    }
  }

  statement {
    sid    = "PublishLifecycleEvents"
    effect = "Allow"
    actions = [
      "sqs:GetQueueUrl",
      "sqs:GetQueueAttributes",
      "sqs:SendMessage",
    ]
    resources = [var.events_queue_arn]
  }
}

module "worker" {
  source = "../irsa_role"

  name              = "${var.name}-worker"
  description       = "The invoicing Temporal worker (${var.app_namespace}/${var.worker_service_account}): stores PDFs, sends e-mail, publishes events."
  oidc_provider_arn = var.oidc_provider_arn
  oidc_issuer_host  = var.oidc_issuer_host
  namespace         = var.app_namespace
  service_account   = var.worker_service_account
  inline_policies = {
    invoicing-worker = data.aws_iam_policy_document.worker.json
  }
}

# ---------------------------------------------------------------------------
# invoicing-migrate: no policy
# ---------------------------------------------------------------------------

module "migrate" {
  source = "../irsa_role"

  name              = "${var.name}-migrate"
  description       = "The invoicing migration Job (${var.app_namespace}/${var.migrate_service_account}): no AWS permission; an identity of its own."
  oidc_provider_arn = var.oidc_provider_arn
  oidc_issuer_host  = var.oidc_issuer_host
  namespace         = var.app_namespace
  service_account   = var.migrate_service_account
}

# ---------------------------------------------------------------------------
# External Secrets Operator
# ---------------------------------------------------------------------------

data "aws_iam_policy_document" "external_secrets" {
  statement {
    sid    = "ReadEnvironmentSecrets"
    effect = "Allow"
    actions = [
      "secretsmanager:GetSecretValue",
      "secretsmanager:DescribeSecret",
      "secretsmanager:ListSecretVersionIds",
    ]
    resources = [local.secrets_arn_pattern]
  }

  statement {
    sid       = "DecryptEnvironmentSecrets"
    effect    = "Allow"
    actions   = ["kms:Decrypt"]
    resources = [var.secrets_kms_key_arn]

    condition {
      test     = "StringEquals"
      variable = "kms:ViaService"
      values   = ["secretsmanager.${local.region}.amazonaws.com"]
    }
  }
}

module "external_secrets" {
  source = "../irsa_role"

  name              = "${var.name}-external-secrets"
  description       = "External Secrets Operator (${var.external_secrets_namespace}/${var.external_secrets_service_account}): reads ${var.secrets_name_prefix}* only."
  oidc_provider_arn = var.oidc_provider_arn
  oidc_issuer_host  = var.oidc_issuer_host
  namespace         = var.external_secrets_namespace
  service_account   = var.external_secrets_service_account
  inline_policies = {
    read-secrets = data.aws_iam_policy_document.external_secrets.json
  }
}

# ---------------------------------------------------------------------------
# Cluster Autoscaler
# https://github.com/kubernetes/autoscaler/blob/master/cluster-autoscaler/cloudprovider/aws/README.md#iam-policy
# ---------------------------------------------------------------------------

data "aws_iam_policy_document" "cluster_autoscaler" {
  # Describe* and Get* calls of these services have no resource-level permissions.
  statement {
    sid    = "Discover"
    effect = "Allow"
    actions = [
      "autoscaling:DescribeAutoScalingGroups",
      "autoscaling:DescribeAutoScalingInstances",
      "autoscaling:DescribeLaunchConfigurations",
      "autoscaling:DescribeScalingActivities",
      "ec2:DescribeImages",
      "ec2:DescribeInstanceTypes",
      "ec2:DescribeLaunchTemplateVersions",
      "ec2:GetInstanceTypesFromInstanceRequirements",
    ]
    resources = ["*"]
  }

  statement {
    sid       = "DescribeNodeGroups"
    effect    = "Allow"
    actions   = ["eks:DescribeNodegroup"]
    resources = ["arn:${local.partition}:eks:${local.region}:${local.account_id}:nodegroup/${var.cluster_name}/*/*"]
  }

  # Only Auto Scaling groups tagged as owned by this cluster can be resized.
  statement {
    sid    = "ScaleOwnNodeGroups"
    effect = "Allow"
    actions = [
      "autoscaling:SetDesiredCapacity",
      "autoscaling:TerminateInstanceInAutoScalingGroup",
    ]
    resources = ["arn:${local.partition}:autoscaling:${local.region}:${local.account_id}:autoScalingGroup:*:autoScalingGroupName/*"]

    condition {
      test     = "StringEquals"
      variable = "aws:ResourceTag/k8s.io/cluster-autoscaler/${var.cluster_name}"
      values   = ["owned"]
    }
  }
}

module "cluster_autoscaler" {
  source = "../irsa_role"

  name              = "${var.name}-cluster-autoscaler"
  description       = "Cluster Autoscaler (kube-system/cluster-autoscaler) of ${var.cluster_name}."
  oidc_provider_arn = var.oidc_provider_arn
  oidc_issuer_host  = var.oidc_issuer_host
  namespace         = "kube-system"
  service_account   = "cluster-autoscaler"
  inline_policies = {
    cluster-autoscaler = data.aws_iam_policy_document.cluster_autoscaler.json
  }
}

# ---------------------------------------------------------------------------
# AWS Load Balancer Controller: the project's reference policy (docs/install/iam_policy.json of
# kubernetes-sigs/aws-load-balancer-controller v2.x), with ARNs limited to this account and region.
# ---------------------------------------------------------------------------

data "aws_iam_policy_document" "load_balancer_controller" {
  #checkov:skip=CKV_AWS_111: Upstream reference policy: Create* calls (security groups, load balancers, target groups, listeners, rules) cannot name an ARN before the resource exists; they are limited by request/resource tag conditions as upstream does.
  #checkov:skip=CKV_AWS_356: Upstream reference policy: its Resource "*" statements are Describe calls without resource-level permissions, Create calls whose ARN does not exist yet, or Modify/Delete calls constrained by the elbv2.k8s.aws/cluster tag; all other ARNs are limited to this account and region.
  #checkov:skip=CKV_AWS_109: iam:CreateServiceLinkedRole is limited to the elasticloadbalancing.amazonaws.com service-linked role (the controller creates it on first use); no other permissions-management action is granted.
  statement {
    sid       = "CreateElbServiceLinkedRole"
    effect    = "Allow"
    actions   = ["iam:CreateServiceLinkedRole"]
    resources = ["*"]

    condition {
      test     = "StringEquals"
      variable = "iam:AWSServiceName"
      values   = ["elasticloadbalancing.amazonaws.com"]
    }
  }

  statement {
    sid    = "Describe"
    effect = "Allow"
    actions = [
      "ec2:DescribeAccountAttributes",
      "ec2:DescribeAddresses",
      "ec2:DescribeAvailabilityZones",
      "ec2:DescribeInternetGateways",
      "ec2:DescribeVpcs",
      "ec2:DescribeVpcPeeringConnections",
      "ec2:DescribeSubnets",
      "ec2:DescribeSecurityGroups",
      "ec2:DescribeInstances",
      "ec2:DescribeNetworkInterfaces",
      "ec2:DescribeTags",
      "ec2:DescribeRouteTables",
      "ec2:GetCoipPoolUsage",
      "ec2:DescribeCoipPools",
      "ec2:GetSecurityGroupsForVpc",
      "ec2:DescribeIpamPools",
      "elasticloadbalancing:DescribeLoadBalancers",
      "elasticloadbalancing:DescribeLoadBalancerAttributes",
      "elasticloadbalancing:DescribeListeners",
      "elasticloadbalancing:DescribeListenerAttributes",
      "elasticloadbalancing:DescribeListenerCertificates",
      "elasticloadbalancing:DescribeSSLPolicies",
      "elasticloadbalancing:DescribeRules",
      "elasticloadbalancing:DescribeTargetGroups",
      "elasticloadbalancing:DescribeTargetGroupAttributes",
      "elasticloadbalancing:DescribeTargetHealth",
      "elasticloadbalancing:DescribeTags",
      "elasticloadbalancing:DescribeTrustStores",
      "elasticloadbalancing:DescribeCapacityReservation",
    ]
    resources = ["*"]
  }

  statement {
    sid    = "CertificatesWafShield"
    effect = "Allow"
    actions = [
      "acm:ListCertificates",
      "acm:DescribeCertificate",
      "iam:ListServerCertificates",
      "iam:GetServerCertificate",
      "wafv2:GetWebACL",
      "wafv2:GetWebACLForResource",
      "wafv2:AssociateWebACL",
      "wafv2:DisassociateWebACL",
      "shield:GetSubscriptionState",
      "shield:DescribeProtection",
      "shield:CreateProtection",
      "shield:DeleteProtection",
    ]
    resources = ["*"]
  }

  statement {
    sid    = "SecurityGroupRules"
    effect = "Allow"
    actions = [
      "ec2:AuthorizeSecurityGroupIngress",
      "ec2:RevokeSecurityGroupIngress",
    ]
    resources = ["arn:${local.partition}:ec2:${local.region}:${local.account_id}:security-group/*"]
  }

  statement {
    sid       = "CreateSecurityGroup"
    effect    = "Allow"
    actions   = ["ec2:CreateSecurityGroup"]
    resources = ["*"]
  }

  statement {
    sid       = "TagNewSecurityGroup"
    effect    = "Allow"
    actions   = ["ec2:CreateTags"]
    resources = ["arn:${local.partition}:ec2:${local.region}:${local.account_id}:security-group/*"]

    condition {
      test     = "StringEquals"
      variable = "ec2:CreateAction"
      values   = ["CreateSecurityGroup"]
    }

    condition {
      test     = "Null"
      variable = "aws:RequestTag/elbv2.k8s.aws/cluster"
      values   = ["false"]
    }
  }

  statement {
    sid       = "RetagOwnSecurityGroups"
    effect    = "Allow"
    actions   = ["ec2:CreateTags", "ec2:DeleteTags"]
    resources = ["arn:${local.partition}:ec2:${local.region}:${local.account_id}:security-group/*"]

    condition {
      test     = "Null"
      variable = "aws:RequestTag/elbv2.k8s.aws/cluster"
      values   = ["true"]
    }

    condition {
      test     = "Null"
      variable = "aws:ResourceTag/elbv2.k8s.aws/cluster"
      values   = ["false"]
    }
  }

  statement {
    sid    = "ManageOwnSecurityGroups"
    effect = "Allow"
    actions = [
      "ec2:AuthorizeSecurityGroupIngress",
      "ec2:RevokeSecurityGroupIngress",
      "ec2:DeleteSecurityGroup",
    ]
    resources = ["arn:${local.partition}:ec2:${local.region}:${local.account_id}:security-group/*"]

    condition {
      test     = "Null"
      variable = "aws:ResourceTag/elbv2.k8s.aws/cluster"
      values   = ["false"]
    }
  }

  statement {
    sid    = "CreateTaggedLoadBalancers"
    effect = "Allow"
    actions = [
      "elasticloadbalancing:CreateLoadBalancer",
      "elasticloadbalancing:CreateTargetGroup",
    ]
    resources = ["*"]

    condition {
      test     = "Null"
      variable = "aws:RequestTag/elbv2.k8s.aws/cluster"
      values   = ["false"]
    }
  }

  statement {
    sid    = "ListenersAndRules"
    effect = "Allow"
    actions = [
      "elasticloadbalancing:CreateListener",
      "elasticloadbalancing:DeleteListener",
      "elasticloadbalancing:CreateRule",
      "elasticloadbalancing:DeleteRule",
    ]
    resources = ["*"]
  }

  statement {
    sid    = "RetagOwnLoadBalancers"
    effect = "Allow"
    actions = [
      "elasticloadbalancing:AddTags",
      "elasticloadbalancing:RemoveTags",
    ]
    resources = [
      "arn:${local.partition}:elasticloadbalancing:${local.region}:${local.account_id}:targetgroup/*/*",
      "arn:${local.partition}:elasticloadbalancing:${local.region}:${local.account_id}:loadbalancer/net/*/*",
      "arn:${local.partition}:elasticloadbalancing:${local.region}:${local.account_id}:loadbalancer/app/*/*",
    ]

    condition {
      test     = "Null"
      variable = "aws:RequestTag/elbv2.k8s.aws/cluster"
      values   = ["true"]
    }

    condition {
      test     = "Null"
      variable = "aws:ResourceTag/elbv2.k8s.aws/cluster"
      values   = ["false"]
    }
  }

  statement {
    sid    = "TagListenersAndRules"
    effect = "Allow"
    actions = [
      "elasticloadbalancing:AddTags",
      "elasticloadbalancing:RemoveTags",
    ]
    resources = [
      "arn:${local.partition}:elasticloadbalancing:${local.region}:${local.account_id}:listener/net/*/*/*",
      "arn:${local.partition}:elasticloadbalancing:${local.region}:${local.account_id}:listener/app/*/*/*",
      "arn:${local.partition}:elasticloadbalancing:${local.region}:${local.account_id}:listener-rule/net/*/*/*",
      "arn:${local.partition}:elasticloadbalancing:${local.region}:${local.account_id}:listener-rule/app/*/*/*",
    ]
  }

  statement {
    sid    = "ModifyOwnLoadBalancers"
    effect = "Allow"
    actions = [
      "elasticloadbalancing:ModifyLoadBalancerAttributes",
      "elasticloadbalancing:SetIpAddressType",
      "elasticloadbalancing:SetSecurityGroups",
      "elasticloadbalancing:SetSubnets",
      "elasticloadbalancing:DeleteLoadBalancer",
      "elasticloadbalancing:ModifyTargetGroup",
      "elasticloadbalancing:ModifyTargetGroupAttributes",
      "elasticloadbalancing:DeleteTargetGroup",
      "elasticloadbalancing:ModifyListenerAttributes",
      "elasticloadbalancing:ModifyCapacityReservation",
      "elasticloadbalancing:ModifyIpPools",
    ]
    resources = ["*"]

    condition {
      test     = "Null"
      variable = "aws:ResourceTag/elbv2.k8s.aws/cluster"
      values   = ["false"]
    }
  }

  statement {
    sid     = "TagOnCreate"
    effect  = "Allow"
    actions = ["elasticloadbalancing:AddTags"]
    resources = [
      "arn:${local.partition}:elasticloadbalancing:${local.region}:${local.account_id}:targetgroup/*/*",
      "arn:${local.partition}:elasticloadbalancing:${local.region}:${local.account_id}:loadbalancer/net/*/*",
      "arn:${local.partition}:elasticloadbalancing:${local.region}:${local.account_id}:loadbalancer/app/*/*",
    ]

    condition {
      test     = "StringEquals"
      variable = "elasticloadbalancing:CreateAction"
      values   = ["CreateTargetGroup", "CreateLoadBalancer"]
    }

    condition {
      test     = "Null"
      variable = "aws:RequestTag/elbv2.k8s.aws/cluster"
      values   = ["false"]
    }
  }

  statement {
    sid    = "Targets"
    effect = "Allow"
    actions = [
      "elasticloadbalancing:RegisterTargets",
      "elasticloadbalancing:DeregisterTargets",
    ]
    resources = ["arn:${local.partition}:elasticloadbalancing:${local.region}:${local.account_id}:targetgroup/*/*"]
  }

  statement {
    sid    = "ListenerSettings"
    effect = "Allow"
    actions = [
      "elasticloadbalancing:SetWebAcl",
      "elasticloadbalancing:ModifyListener",
      "elasticloadbalancing:AddListenerCertificates",
      "elasticloadbalancing:RemoveListenerCertificates",
      "elasticloadbalancing:ModifyRule",
    ]
    resources = ["*"]
  }
}

module "load_balancer_controller" {
  source = "../irsa_role"

  name              = "${var.name}-aws-load-balancer-controller"
  description       = "AWS Load Balancer Controller (kube-system/aws-load-balancer-controller) of ${var.cluster_name}."
  oidc_provider_arn = var.oidc_provider_arn
  oidc_issuer_host  = var.oidc_issuer_host
  namespace         = "kube-system"
  service_account   = "aws-load-balancer-controller"
  inline_policies = {
    aws-load-balancer-controller = data.aws_iam_policy_document.load_balancer_controller.json
  }
}
