//! The document store: invoice PDFs in S3, one object per invoice and version
//! (`contracts::document_key`), the XML e-invoices beside them (`contracts::e_invoice_key`),
//! encrypted at rest; and the sellers' logos the API stores there.

use aws_sdk_s3::{Client, primitives::ByteStream, types::ServerSideEncryption};
use invoicing_platform::aws::DocumentSettings;

pub struct DocumentStore {
    client: Client,
    bucket: String,
    /// SSE-KMS with this key, or SSE-S3 without one.
    kms_key: Option<String>,
}

impl DocumentStore {
    pub fn new(client: Client, settings: &DocumentSettings) -> Self {
        Self {
            client,
            bucket: settings.bucket.clone(),
            kms_key: settings.kms_key().map(str::to_owned),
        }
    }

    /// Stores a PDF, asking S3 to encrypt it. Storing the same key again replaces it (a retried
    /// render stores the same version).
    pub async fn put_pdf(&self, key: &str, pdf: Vec<u8>, filename: &str) -> anyhow::Result<()> {
        self.put(key, pdf, "application/pdf", filename).await
    }

    /// Stores an XML e-invoice as [`put_pdf`](Self::put_pdf) stores a PDF.
    pub async fn put_xml(&self, key: &str, xml: Vec<u8>, filename: &str) -> anyhow::Result<()> {
        self.put(key, xml, "application/xml", filename).await
    }

    async fn put(
        &self,
        key: &str,
        bytes: Vec<u8>,
        content_type: &str,
        filename: &str,
    ) -> anyhow::Result<()> {
        let request = self
            .client
            .put_object()
            .bucket(&self.bucket)
            .key(key)
            .content_type(content_type)
            .content_disposition(format!("inline; filename=\"{filename}\""));
        // Asked for on every object, not left to the bucket's default: a bucket configured
        // otherwise by mistake still gets encrypted documents. The bucket key saves a KMS call
        // per object (https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucket-key.html).
        let request = match &self.kms_key {
            Some(kms_key) => request
                .server_side_encryption(ServerSideEncryption::AwsKms)
                .ssekms_key_id(kms_key)
                .bucket_key_enabled(true),
            None => request.server_side_encryption(ServerSideEncryption::Aes256),
        };
        request
            .body(ByteStream::from(bytes))
            .send()
            .await
            .map_err(|error| {
                anyhow::Error::new(error).context(format!("storing s3://{}/{key}", self.bucket))
            })?;
        Ok(())
    }

    /// A seller's logo, for the PDF's header (see [`logo`]).
    pub async fn logo(&self, key: &str) -> anyhow::Result<Vec<u8>> {
        logo(&self.client, &self.bucket, key).await
    }

    /// A stored document, whole (to attach it to an e-mail).
    pub async fn get(&self, key: &str) -> anyhow::Result<Vec<u8>> {
        let object = self
            .client
            .get_object()
            .bucket(&self.bucket)
            .key(key)
            .send()
            .await
            .map_err(|error| {
                anyhow::Error::new(error).context(format!("reading s3://{}/{key}", self.bucket))
            })?;
        Ok(object.body.collect().await?.into_bytes().to_vec())
    }
}

/// A seller's logo (`logos::StoredLogo::storage_key`), for the PDF's header. The API stores
/// it; reading it needs only the client and the bucket the documents are in.
pub async fn logo(client: &Client, bucket: &str, key: &str) -> anyhow::Result<Vec<u8>> {
    let object = client
        .get_object()
        .bucket(bucket)
        .key(key)
        .send()
        .await
        .map_err(|error| {
            anyhow::Error::new(error).context(format!("reading the logo s3://{bucket}/{key}"))
        })?;
    Ok(object.body.collect().await?.into_bytes().to_vec())
}
