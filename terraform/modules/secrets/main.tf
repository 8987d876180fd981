# The environment's Secrets Manager key and the application secrets that belong to no data store.
# All secrets live under one prefix (invoicing/<environment>/), which is what the External Secrets
# Operator's role may read. The database and redis modules add <prefix>database and <prefix>redis.
#
# Every secret is a JSON object; the Kubernetes side picks keys out of it:
#   <prefix>jwt     {"secret": ...}                            APP_AUTH__JWT_SECRET
#   <prefix>stripe  {"secret_key": ..., "webhook_secret": ...}  APP_STRIPE__SECRET_KEY, APP_STRIPE__WEBHOOK_SECRET
#   <prefix>temporal-ui-oidc  {"clientID": ..., "clientSecret": ...}  the Temporal UI's ALB sign-in

module "key" {
  source = "../kms_key"

  alias       = "${var.name}-secrets"
  description = "Secrets Manager secrets under ${var.name_prefix}."
}

resource "random_password" "jwt" {
  # HS256 secret: 64 characters of letters and digits, about 380 bits of entropy (the api needs
  # at least 32 bytes).
  length  = 64
  special = false

  keepers = {
    rotation = var.jwt_rotation_id
  }
}

resource "aws_secretsmanager_secret" "jwt" {
  #checkov:skip=CKV2_AWS_57: A JWT signing secret has no rotation Lambda: the api reads it once at start, so rotating it is a deliberate step (new jwt_rotation_id, apply, rolling restart of the api; outstanding 15-minute access tokens are refused and refreshed, sessions continue), see terraform/README.md.
  name                    = "${var.name_prefix}jwt"
  description             = "HS256 secret of the api's access tokens: secret (APP_AUTH__JWT_SECRET)."
  kms_key_id              = module.key.arn
  recovery_window_in_days = var.recovery_window_days
}

resource "aws_secretsmanager_secret_version" "jwt" {
  secret_id     = aws_secretsmanager_secret.jwt.id
  secret_string = jsonencode({ secret = random_password.jwt.result })
}

# Stripe's keys are issued by Stripe, not generated here. Terraform creates the secret without a
# value; an operator stores the keys once (terraform/README.md, "After the first apply"). Until
# then External Secrets reports the secret as not synced instead of handing the pods a fake key.
resource "aws_secretsmanager_secret" "stripe" {
  #checkov:skip=CKV2_AWS_57: Stripe API keys are rolled in the Stripe dashboard, not by a Secrets Manager rotation Lambda; the operator then stores the new keys here.
  name                    = "${var.name_prefix}stripe"
  description             = "Stripe keys, stored by an operator: secret_key (sk_..., APP_STRIPE__SECRET_KEY) and webhook_secret (whsec_..., APP_STRIPE__WEBHOOK_SECRET)."
  kms_key_id              = module.key.arn
  recovery_window_in_days = var.recovery_window_days
}

# The OIDC client of the Temporal UI's internal ALB (alb.ingress.kubernetes.io/auth-type: oidc),
# registered at the operators' identity provider. Like Stripe's keys, it is issued elsewhere:
# Terraform creates the secret without a value and an operator stores the client's id and secret
# (deploy/docs/standing-it-up.md, "What Terraform cannot do"); External Secrets copies them into
# the Secret temporal/temporal-ui-oidc that the AWS Load Balancer Controller reads.
resource "aws_secretsmanager_secret" "temporal_ui_oidc" {
  #checkov:skip=CKV2_AWS_57: The OIDC client secret is issued by the identity provider, where it is rotated; no Secrets Manager rotation Lambda can do that. The operator stores the new one here.
  name                    = "${var.name_prefix}temporal-ui-oidc"
  description             = "OIDC client of the Temporal UI's load balancer, stored by an operator: clientID, clientSecret."
  kms_key_id              = module.key.arn
  recovery_window_in_days = var.recovery_window_days
}
