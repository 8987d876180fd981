variable "name" {
  type        = string
  description = "Name of the environment's resources (e.g. invoicing-production): the prefix of the two role names."

  validation {
    # The longer role name adds "-github-ecr-push" (16 characters) to it; IAM allows 64.
    condition     = can(regex("^[\\w+=,.@-]{1,48}$", var.name))
    error_message = "Use at most 48 letters, digits and +=,.@_- (the role names add up to 16 characters)."
  }
}

variable "github_repository" {
  type        = string
  description = "The GitHub repository whose workflow deploys, as owner/name, spelled exactly as GitHub spells it (the OIDC claims are compared case-sensitively)."

  validation {
    # GitHub owners: 1-39 letters, digits and hyphens, not starting with a hyphen;
    # repository names: letters, digits, '.', '_' and '-', never "." or "..".
    # (HCL's && evaluates both sides, hence the try.)
    condition     = can(regex("^[A-Za-z0-9][A-Za-z0-9-]{0,38}/[A-Za-z0-9._-]{1,100}$", var.github_repository)) && !contains([".", ".."], try(split("/", var.github_repository)[1], ""))
    error_message = "Give the repository as owner/name (e.g. my-org/invoicing), without https://github.com/ and without wildcards."
  }
}

variable "github_repository_id" {
  type        = string
  description = "Numeric id of github_repository (gh api repos/OWNER/NAME --jq .id). When set, the roles also require it, so that a repository created under the same name after a rename or deletion cannot assume them. Empty: the name alone."
  default     = ""

  validation {
    condition     = can(regex("^([0-9]+)?$", var.github_repository_id))
    error_message = "The repository id is a number (gh api repos/OWNER/NAME --jq .id), or empty."
  }
}

variable "github_branch" {
  type        = string
  description = "The branch whose workflow may push images and deploy (deploy.yml runs on workflow_run, i.e. on the default branch)."
  default     = "main"

  validation {
    condition     = can(regex("^[A-Za-z0-9._/-]+$", var.github_branch))
    error_message = "Give one branch name, without refs/heads/ and without wildcards."
  }
}

variable "workflow_path" {
  type        = string
  description = "Path of the deployment workflow in the repository; only its jobs may assume the roles (the job_workflow_ref claim)."
  default     = ".github/workflows/deploy.yml"

  validation {
    condition     = can(regex("^\\.github/workflows/[A-Za-z0-9._-]+\\.ya?ml$", var.workflow_path))
    error_message = "Give a path such as .github/workflows/deploy.yml."
  }
}

variable "github_environment" {
  type        = string
  description = "The GitHub environment of the deploy job (deploy.yml: environment.name) whose OIDC tokens may assume the deploy role; its protection rules (reviewers, branches) are the approval gate."

  validation {
    condition     = can(regex("^[A-Za-z0-9._-]{1,255}$", var.github_environment))
    error_message = "Give the GitHub environment's name (e.g. staging, production)."
  }
}

variable "create_oidc_provider" {
  type        = bool
  description = "Create the account's IAM OIDC provider for token.actions.githubusercontent.com. An account holds at most one per URL: set false when another stack of this account already created it (the roles then trust that one)."
  default     = true
}

variable "ecr_repository_arns" {
  type        = list(string)
  description = "The ECR repositories the image job pushes to (invoicing-api, invoicing-worker of this account)."

  validation {
    condition     = length(var.ecr_repository_arns) > 0 && alltrue([for arn in var.ecr_repository_arns : can(regex("^arn:aws[a-z-]*:ecr:[a-z0-9-]+:[0-9]{12}:repository/[a-z0-9._/-]+$", arn))])
    error_message = "Give at least one ECR repository ARN, without wildcards."
  }
}

variable "cluster_name" {
  type        = string
  description = "Name of the EKS cluster the deploy role applies the manifests to."
}

variable "cluster_arn" {
  type        = string
  description = "ARN of that cluster (eks:DescribeCluster, for aws eks update-kubeconfig)."

  validation {
    condition     = can(regex("^arn:aws[a-z-]*:eks:[a-z0-9-]+:[0-9]{12}:cluster/[A-Za-z0-9-]+$", var.cluster_arn))
    error_message = "Give the cluster's ARN (arn:aws:eks:<region>:<account>:cluster/<name>)."
  }
}

variable "deploy_namespaces" {
  type        = list(string)
  description = "Kubernetes namespaces .github/scripts/deploy-environment applies objects to: invoicing (the application) and temporal (the Temporal database's ExternalSecret, the RDS CA bundle, the search-attribute Job)."
  default     = ["invoicing", "temporal"]

  validation {
    condition     = length(var.deploy_namespaces) > 0 && alltrue([for namespace in var.deploy_namespaces : can(regex("^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$", namespace)) && !contains(["default", "kube-system", "kube-public", "kube-node-lease"], namespace)])
    error_message = "Give namespace names (no wildcards), and none of the system namespaces or default."
  }
}

variable "deployer_kubernetes_group" {
  type        = string
  description = "Kubernetes group the deploy role's access entry puts it in; the RBAC of output deployer_rbac_manifest binds it to what no EKS access policy grants (the CRDs and the two Namespace objects)."
  default     = "invoicing-deployers"

  validation {
    condition     = can(regex("^[a-z0-9][a-z0-9.-]{0,62}$", var.deployer_kubernetes_group)) && !startswith(var.deployer_kubernetes_group, "system")
    error_message = "Use a lowercase name that does not start with system (EKS refuses system: groups)."
  }
}
