# What GitHub Actions (.github/workflows/deploy.yml) may do in this environment's AWS account.
#
#   <name>-github-ecr-push  the `image` job: push invoicing-api and invoicing-worker, tagged with
#                           the commit, to this account's ECR repositories and read their digests
#                           back. Only jobs of deploy.yml on main of the repository may assume it.
#   <name>-github-deploy    the `staging` / `production` job: `aws eks update-kubeconfig`, then
#                           kubectl as an EKS access entry confined to the namespaces that
#                           .github/scripts/deploy-environment applies to. Only jobs of deploy.yml
#                           running in the GitHub environment of the same name may assume it, so
#                           the environment's protection rules (production: required reviewers,
#                           main only) stand between a commit and this role.
#
# No AWS key is stored in GitHub: the jobs trade their OIDC token (audience sts.amazonaws.com) for
# the role's temporary credentials through the account's IAM OIDC provider for
# token.actions.githubusercontent.com. Every trust policy pins the token's sub (repository and
# branch or environment), aud and job_workflow_ref (the workflow file and its branch); a role that
# trusts the provider without a sub condition could be assumed by any repository on GitHub.
# https://docs.github.com/en/actions/how-tos/secure-your-work/security-harden-deployments/oidc-in-aws
# https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_create_for-idp_oidc.html

data "aws_caller_identity" "current" {}
data "aws_partition" "current" {}
data "aws_region" "current" {}

locals {
  partition  = data.aws_partition.current.partition
  account_id = data.aws_caller_identity.current.account_id

  # An OIDC provider's ARN is made of its host name, so the trust policies name it the same way
  # whether this module created it or another stack of the account did (create_oidc_provider).
  oidc_provider_arn = "arn:${local.partition}:iam::${local.account_id}:oidc-provider/token.actions.githubusercontent.com"

  # The job_workflow_ref claim: <owner>/<name>/<workflow file>@<ref>. deploy.yml runs on
  # workflow_run, so its jobs always run the file of the default branch.
  job_workflow_ref = "${var.github_repository}/${var.workflow_path}@refs/heads/${var.github_branch}"

  # The sub conditions spell the repository as ${owner}/${name}: the same string, in a shape that
  # checkov's CKV_AWS_358 (a trust policy must pin repo:<owner>/<name>) can verify before the
  # variable has a value.
  github_owner           = split("/", var.github_repository)[0]
  github_repository_name = split("/", var.github_repository)[1]

  deploy_rbac_name = var.deployer_kubernetes_group
}

# ---------------------------------------------------------------------------
# The account's identity provider for GitHub Actions' OIDC tokens
# ---------------------------------------------------------------------------

# No thumbprint_list: IAM verifies token.actions.githubusercontent.com against its own library of
# trusted root CAs and ignores thumbprints for it (since July 2023), so a pinned thumbprint would
# only go stale with GitHub's next certificate.
# https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_providers_create_oidc_verify-thumbprint.html
resource "aws_iam_openid_connect_provider" "github" {
  count = var.create_oidc_provider ? 1 : 0

  url            = "https://token.actions.githubusercontent.com"
  client_id_list = ["sts.amazonaws.com"]
}

# ---------------------------------------------------------------------------
# ECR push role: the `image` job of deploy.yml, on main
# ---------------------------------------------------------------------------

# Since January 2026 STS also evaluates GitHub-specific claims as condition keys: job_workflow_ref
# says "this workflow file", which the sub claim cannot, and repository_id survives renames.
# https://aws.amazon.com/about-aws/whats-new/2026/01/aws-sts-supports-validation-identity-provider-claims/
data "aws_iam_policy_document" "ecr_push_trust" {
  statement {
    sid     = "DeployWorkflowOnMain"
    effect  = "Allow"
    actions = ["sts:AssumeRoleWithWebIdentity"]

    principals {
      type        = "Federated"
      identifiers = [local.oidc_provider_arn]
    }

    condition {
      test     = "StringEquals"
      variable = "token.actions.githubusercontent.com:aud"
      values   = ["sts.amazonaws.com"]
    }

    # A job without an environment on a branch: repo:<owner>/<name>:ref:refs/heads/<branch>.
    condition {
      test     = "StringEquals"
      variable = "token.actions.githubusercontent.com:sub"
      values   = ["repo:${local.github_owner}/${local.github_repository_name}:ref:refs/heads/${var.github_branch}"]
    }

    condition {
      test     = "StringEquals"
      variable = "token.actions.githubusercontent.com:job_workflow_ref"
      values   = [local.job_workflow_ref]
    }

    dynamic "condition" {
      for_each = var.github_repository_id == "" ? [] : [var.github_repository_id]

      content {
        test     = "StringEquals"
        variable = "token.actions.githubusercontent.com:repository_id"
        values   = [condition.value]
      }
    }
  }
}

data "aws_iam_policy_document" "ecr_push" {
  # ecr:GetAuthorizationToken has no resource-level permissions: IAM accepts it on "*" only
  # (https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonelasticcontainerregistry.html).
  # The registry token it returns acts as this role, so a docker login with it can do no more
  # than the next statement allows, on the repositories it names.
  statement {
    sid       = "RegistryLogin"
    effect    = "Allow"
    actions   = ["ecr:GetAuthorizationToken"]
    resources = ["*"]
  }

  # What `docker buildx build --push` and the digest lookup (`docker buildx imagetools inspect
  # --format`, which reads the manifest and the image config blob) call; nothing that deletes or
  # re-tags an image, or changes a repository. No KMS permission: ECR encrypts the layers with
  # the repository key through its own grant.
  # https://docs.aws.amazon.com/AmazonECR/latest/userguide/image-push-iam.html
  statement {
    sid    = "PushReleaseImages"
    effect = "Allow"
    actions = [
      "ecr:BatchCheckLayerAvailability",
      "ecr:InitiateLayerUpload",
      "ecr:UploadLayerPart",
      "ecr:CompleteLayerUpload",
      "ecr:PutImage",
    ]
    resources = var.ecr_repository_arns
  }

  statement {
    sid    = "ReadReleaseDigests"
    effect = "Allow"
    actions = [
      "ecr:BatchGetImage",
      "ecr:GetDownloadUrlForLayer",
    ]
    resources = var.ecr_repository_arns
  }
}

resource "aws_iam_role" "ecr_push" {
  name                 = "${var.name}-github-ecr-push"
  description          = "GitHub Actions: ${local.job_workflow_ref} pushes the release images to this account's ECR."
  assume_role_policy   = data.aws_iam_policy_document.ecr_push_trust.json
  max_session_duration = 3600

  # The trust policy names the provider by ARN; IAM refuses a federated principal that does not
  # exist yet.
  depends_on = [aws_iam_openid_connect_provider.github]
}

resource "aws_iam_role_policy" "ecr_push" {
  name   = "push-release-images"
  role   = aws_iam_role.ecr_push.id
  policy = data.aws_iam_policy_document.ecr_push.json
}

# ---------------------------------------------------------------------------
# Deploy role: the job of deploy.yml in the GitHub environment <github_environment>
# ---------------------------------------------------------------------------

data "aws_iam_policy_document" "deploy_trust" {
  statement {
    sid     = "DeployWorkflowInEnvironment"
    effect  = "Allow"
    actions = ["sts:AssumeRoleWithWebIdentity"]

    principals {
      type        = "Federated"
      identifiers = [local.oidc_provider_arn]
    }

    condition {
      test     = "StringEquals"
      variable = "token.actions.githubusercontent.com:aud"
      values   = ["sts.amazonaws.com"]
    }

    # A job with an environment: repo:<owner>/<name>:environment:<environment>. GitHub issues it
    # only once the environment's protection rules have let the job start.
    condition {
      test     = "StringEquals"
      variable = "token.actions.githubusercontent.com:sub"
      values   = ["repo:${local.github_owner}/${local.github_repository_name}:environment:${var.github_environment}"]
    }

    # Another workflow that names the same environment does not get the role either.
    condition {
      test     = "StringEquals"
      variable = "token.actions.githubusercontent.com:job_workflow_ref"
      values   = [local.job_workflow_ref]
    }

    dynamic "condition" {
      for_each = var.github_repository_id == "" ? [] : [var.github_repository_id]

      content {
        test     = "StringEquals"
        variable = "token.actions.githubusercontent.com:repository_id"
        values   = [condition.value]
      }
    }
  }
}

# In AWS the deploy job only writes its kubeconfig; everything else it does is Kubernetes API
# calls, authorized by the access entry below (aws eks get-token signs an STS request and needs
# no permission).
data "aws_iam_policy_document" "deploy" {
  statement {
    sid       = "Kubeconfig"
    effect    = "Allow"
    actions   = ["eks:DescribeCluster"]
    resources = [var.cluster_arn]
  }
}

resource "aws_iam_role" "deploy" {
  name        = "${var.name}-github-deploy"
  description = "GitHub Actions: ${local.job_workflow_ref} in environment ${var.github_environment} rolls releases out to ${var.cluster_name}."
  # The deploy job may run 75 minutes (deploy.yml timeout-minutes) and kubectl signs every call
  # with these credentials: the role allows sessions that long, should deploy.yml ask for them
  # (configure-aws-credentials role-duration-seconds; its default is one hour).
  max_session_duration = 5400
  assume_role_policy   = data.aws_iam_policy_document.deploy_trust.json

  depends_on = [aws_iam_openid_connect_provider.github]
}

resource "aws_iam_role_policy" "deploy" {
  name   = "describe-cluster"
  role   = aws_iam_role.deploy.id
  policy = data.aws_iam_policy_document.deploy.json
}

# ---------------------------------------------------------------------------
# The deploy role inside the cluster
# ---------------------------------------------------------------------------
#
# What deploy-environment does: server-side apply, in namespaces invoicing and temporal, of
# ConfigMaps, ServiceAccounts, Services, an Ingress, NetworkPolicies, an HPA, PDBs, Jobs and
# Deployments (and of the Namespace objects themselves); kubectl wait on ExternalSecrets and Jobs,
# logs and describe of failed Jobs, delete of a changed Job, rollout status and rollout undo. The
# objects in temporal are the Temporal database's ExternalSecret and SecretStore, the RDS CA
# bundle and the Job that registers the search attributes, so temporal is in scope too.
#
# AmazonEKSEditPolicy, scoped to those namespaces, is the least-privileged access policy that
# covers the built-in kinds: AmazonEKSViewPolicy cannot write; AmazonEKSAdminPolicy adds Roles and
# RoleBindings (the pipeline applies none, and could then grant itself more); and
# AmazonEKSClusterAdminPolicy is every verb on every resource of every namespace. Edit also reads
# Secrets and execs into pods of those namespaces, which adds nothing to what creating a
# Deployment there already implies (a pod can mount any Secret and ServiceAccount of its
# namespace). https://docs.aws.amazon.com/eks/latest/userguide/access-policy-permissions.html
#
# No access policy grants custom resources (ExternalSecret, SecretStore, ScaledObject,
# ServiceMonitor, PodMonitor) or a write to a Namespace object, and no access policy can be
# written by hand. Those come from Kubernetes RBAC bound to the access entry's group: the objects
# of output deployer_rbac_manifest, which a cluster administrator applies once, before the first
# deployment (Terraform has no network path to the cluster's private API endpoint).
resource "aws_eks_access_entry" "deploy" {
  cluster_name      = var.cluster_name
  principal_arn     = aws_iam_role.deploy.arn
  type              = "STANDARD"
  kubernetes_groups = [var.deployer_kubernetes_group]
}

resource "aws_eks_access_policy_association" "deploy" {
  cluster_name  = var.cluster_name
  principal_arn = aws_eks_access_entry.deploy.principal_arn
  policy_arn    = "arn:${local.partition}:eks::aws:cluster-access-policy/AmazonEKSEditPolicy"

  access_scope {
    type       = "namespace"
    namespaces = var.deploy_namespaces
  }
}

locals {
  # Kubernetes RBAC for what the access policy lacks, as a v1 List (kubectl apply -f reads JSON):
  # - the Namespace objects, created here so that the RoleBindings have somewhere to live; the
  #   pipeline then owns their labels (Pod Security) through server-side apply;
  # - get and patch of exactly those Namespace objects (server-side apply of an existing object
  #   is a patch; creating or deleting namespaces stays with administrators);
  # - the custom resources the manifests use, in those namespaces only (RoleBindings to one
  #   ClusterRole): no delete, the pipeline never deletes them.
  deployer_rbac_manifest = {
    apiVersion = "v1"
    kind       = "List"
    items = concat(
      [
        for namespace in var.deploy_namespaces : {
          apiVersion = "v1"
          kind       = "Namespace"
          metadata = {
            name   = namespace
            labels = { "app.kubernetes.io/part-of" = "invoicing" }
          }
        }
      ],
      [
        {
          apiVersion = "rbac.authorization.k8s.io/v1"
          kind       = "ClusterRole"
          metadata   = { name = "${local.deploy_rbac_name}-namespaces" }
          rules = [
            {
              apiGroups     = [""]
              resources     = ["namespaces"]
              resourceNames = var.deploy_namespaces
              verbs         = ["get", "patch"]
            },
          ]
        },
        {
          apiVersion = "rbac.authorization.k8s.io/v1"
          kind       = "ClusterRoleBinding"
          metadata   = { name = "${local.deploy_rbac_name}-namespaces" }
          roleRef = {
            apiGroup = "rbac.authorization.k8s.io"
            kind     = "ClusterRole"
            name     = "${local.deploy_rbac_name}-namespaces"
          }
          subjects = [
            {
              apiGroup = "rbac.authorization.k8s.io"
              kind     = "Group"
              name     = var.deployer_kubernetes_group
            },
          ]
        },
        {
          apiVersion = "rbac.authorization.k8s.io/v1"
          kind       = "ClusterRole"
          metadata   = { name = "${local.deploy_rbac_name}-custom-resources" }
          rules = [
            {
              apiGroups = ["external-secrets.io"]
              resources = ["externalsecrets", "secretstores"]
              verbs     = ["get", "list", "watch", "create", "update", "patch"]
            },
            {
              apiGroups = ["keda.sh"]
              resources = ["scaledobjects"]
              verbs     = ["get", "list", "watch", "create", "update", "patch"]
            },
            {
              apiGroups = ["monitoring.coreos.com"]
              resources = ["servicemonitors", "podmonitors"]
              verbs     = ["get", "list", "watch", "create", "update", "patch"]
            },
          ]
        },
      ],
      [
        for namespace in var.deploy_namespaces : {
          apiVersion = "rbac.authorization.k8s.io/v1"
          kind       = "RoleBinding"
          metadata = {
            name      = "${local.deploy_rbac_name}-custom-resources"
            namespace = namespace
          }
          roleRef = {
            apiGroup = "rbac.authorization.k8s.io"
            kind     = "ClusterRole"
            name     = "${local.deploy_rbac_name}-custom-resources"
          }
          subjects = [
            {
              apiGroup = "rbac.authorization.k8s.io"
              kind     = "Group"
              name     = var.deployer_kubernetes_group
            },
          ]
        }
      ],
    )
  }
}
