# An IAM role for one Kubernetes ServiceAccount (IAM Roles for Service Accounts).
#
# The trust policy accepts only web identity tokens issued by this cluster's OIDC provider for
# exactly system:serviceaccount:<namespace>:<name>, with the sts.amazonaws.com audience, so no
# other pod of the cluster (nor another cluster) can assume the role.
# https://docs.aws.amazon.com/eks/latest/userguide/associate-service-account-role.html

data "aws_iam_policy_document" "trust" {
  statement {
    sid     = "ServiceAccount"
    effect  = "Allow"
    actions = ["sts:AssumeRoleWithWebIdentity"]

    principals {
      type        = "Federated"
      identifiers = [var.oidc_provider_arn]
    }

    condition {
      test     = "StringEquals"
      variable = "${var.oidc_issuer_host}:sub"
      values   = ["system:serviceaccount:${var.namespace}:${var.service_account}"]
    }

    condition {
      test     = "StringEquals"
      variable = "${var.oidc_issuer_host}:aud"
      values   = ["sts.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "this" {
  name                 = var.name
  description          = var.description
  assume_role_policy   = data.aws_iam_policy_document.trust.json
  max_session_duration = 3600
}

resource "aws_iam_role_policy" "this" {
  for_each = var.inline_policies

  name   = each.key
  role   = aws_iam_role.this.id
  policy = each.value
}

resource "aws_iam_role_policy_attachment" "this" {
  for_each = var.managed_policy_arns

  role       = aws_iam_role.this.name
  policy_arn = each.value
}
