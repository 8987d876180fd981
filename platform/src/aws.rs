//! How the services reach AWS (S3, SES v2, SQS): real AWS in production, one local endpoint
//! (the moto server `scripts/dev` starts) on a developer's machine.

use aws_config::{BehaviorVersion, Region, SdkConfig, retry::RetryConfig};
use aws_smithy_http_client::tls::{self, rustls_provider::CryptoMode};
use serde::Deserialize;

/// `APP_AWS__*`. Credentials come from the standard AWS chain (environment, web identity on
/// EKS, instance profile); against a local endpoint, fixed dummy credentials are used if none
/// are set.
#[derive(Clone, Debug, Deserialize)]
pub struct AwsSettings {
    /// `APP_AWS__REGION`.
    pub region: String,
    /// `APP_AWS__ENDPOINT_URL`: one endpoint for every service (e.g. `http://127.0.0.1:4566`);
    /// empty for real AWS.
    #[serde(default, deserialize_with = "crate::config::empty_is_none")]
    pub endpoint_url: Option<String>,
}

impl AwsSettings {
    pub const LOCAL_ENDPOINT: &'static str = "http://127.0.0.1:4566";

    /// The endpoint, if one is set (an empty variable means real AWS).
    pub fn endpoint(&self) -> Option<&str> {
        self.endpoint_url.as_deref()
    }
}

/// Where invoice PDFs are kept (`APP_DOCUMENTS__*`).
#[derive(Clone, Debug, Deserialize)]
pub struct DocumentSettings {
    /// `APP_DOCUMENTS__BUCKET`: versioning is expected to be on in production (Terraform).
    pub bucket: String,
    /// `APP_DOCUMENTS__KMS_KEY_ID`: the KMS key (id or ARN) PDFs are encrypted with (SSE-KMS,
    /// with an S3 bucket key); empty for S3's own keys (SSE-S3).
    #[serde(default, deserialize_with = "crate::config::empty_is_none")]
    pub kms_key_id: Option<String>,
}

impl DocumentSettings {
    /// The KMS key, if one is set.
    pub fn kms_key(&self) -> Option<&str> {
        self.kms_key_id.as_deref()
    }
}

/// Defaults for [`AwsSettings`] and [`DocumentSettings`], as configuration keys.
pub const DEFAULTS: &[(&str, &str)] = &[
    ("aws.region", "us-east-1"),
    ("aws.endpoint_url", AwsSettings::LOCAL_ENDPOINT),
    ("documents.bucket", "invoicing-documents"),
    ("documents.kms_key_id", ""),
];

/// The shared SDK configuration. `attempts` is how often the SDK itself tries a call: 1 inside
/// activities, whose retries Temporal owns (with backoff, visible in the workflow history).
pub async fn sdk_config(settings: &AwsSettings, attempts: u32) -> SdkConfig {
    // HTTPS on rustls with ring (see the workspace's Cargo.toml), the platform's trusted roots.
    let http_client = aws_smithy_http_client::Builder::new()
        .tls_provider(tls::Provider::Rustls(CryptoMode::Ring))
        .build_https();
    let mut loader = aws_config::defaults(BehaviorVersion::latest())
        .http_client(http_client)
        .region(Region::new(settings.region.clone()))
        .retry_config(RetryConfig::standard().with_max_attempts(attempts));
    if let Some(endpoint) = settings.endpoint() {
        loader = loader.endpoint_url(endpoint);
        let has_credentials = std::env::var_os("AWS_ACCESS_KEY_ID").is_some()
            || std::env::var_os("AWS_PROFILE").is_some();
        if !has_credentials {
            loader = loader.credentials_provider(aws_credential_types::Credentials::new(
                "local",
                "local",
                None,
                None,
                "local-endpoint",
            ));
        }
    }
    loader.load().await
}

/// An S3 client. A local endpoint gets path-style addresses (`endpoint/bucket/key`): it
/// cannot resolve `bucket.127.0.0.1`.
pub fn s3_client(config: &SdkConfig, settings: &AwsSettings) -> aws_sdk_s3::Client {
    let builder =
        aws_sdk_s3::config::Builder::from(config).force_path_style(settings.endpoint().is_some());
    aws_sdk_s3::Client::from_conf(builder.build())
}
