//! The document store: invoice PDFs in S3, one object per invoice and version
//! (`contracts::document_key`), encrypted at rest.

use aws_sdk_s3::{Client, primitives::ByteStream, types::ServerSideEncryption};

pub struct DocumentStore {
    client: Client,
    bucket: String,
}

impl DocumentStore {
    pub fn new(client: Client, bucket: String) -> Self {
        Self { client, bucket }
    }

    /// Stores a PDF, asking S3 to encrypt it. Storing the same key again replaces it (a retried
    /// render stores the same version).
    pub async fn put_pdf(&self, key: &str, pdf: Vec<u8>, filename: &str) -> anyhow::Result<()> {
        self.client
            .put_object()
            .bucket(&self.bucket)
            .key(key)
            .content_type("application/pdf")
            .content_disposition(format!("inline; filename=\"{filename}\""))
            .server_side_encryption(ServerSideEncryption::Aes256)
            .body(ByteStream::from(pdf))
            .send()
            .await
            .map_err(|error| {
                anyhow::Error::new(error).context(format!("storing s3://{}/{key}", self.bucket))
            })?;
        Ok(())
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
