//! Sending through SES v2 as raw MIME (HTML and text alternatives, attachments), and telling a
//! refusal for good (the address or the sender is rejected) from a failure worth retrying.

use super::Letter;
use aws_sdk_sesv2::{
    Client,
    error::{ProvideErrorMetadata, SdkError},
    primitives::Blob,
    types::{Destination, EmailContent, RawMessage},
};
use mail_builder::MessageBuilder;

/// Sends e-mail from one verified address.
pub struct Mailer {
    client: Client,
    from_address: String,
}

/// What SES made of a message.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Delivery {
    Sent {
        message_id: String,
    },
    /// Refused for good: retrying the same message cannot succeed.
    Refused {
        reason: String,
    },
}

/// SES error codes that mean "this message will never be accepted".
const REFUSALS: &[&str] = &[
    "MessageRejected",
    "MailFromDomainNotVerifiedException",
    "AccountSuspendedException",
    "BadRequestException",
    "NotFoundException",
    "InvalidParameterValue",
];

impl Mailer {
    pub fn new(client: Client, from_address: String) -> Self {
        Self {
            client,
            from_address,
        }
    }

    pub fn from_address(&self) -> &str {
        &self.from_address
    }

    /// Sends `letter`. `Err` is a failure worth retrying (SES unreachable, throttled, down).
    pub async fn send(&self, letter: &Letter) -> anyhow::Result<Delivery> {
        let mime = self.mime(letter)?;
        let result = self
            .client
            .send_email()
            .from_email_address(&self.from_address)
            .destination(
                Destination::builder()
                    .to_addresses(&letter.to)
                    .set_cc_addresses((!letter.cc.is_empty()).then(|| letter.cc.clone()))
                    .build(),
            )
            .content(
                EmailContent::builder()
                    .raw(RawMessage::builder().data(Blob::new(mime)).build()?)
                    .build(),
            )
            .send()
            .await;
        match result {
            Ok(output) => Ok(Delivery::Sent {
                message_id: output.message_id().unwrap_or_default().to_owned(),
            }),
            Err(SdkError::ServiceError(context))
                if REFUSALS.contains(&context.err().code().unwrap_or_default()) =>
            {
                let error = context.err();
                Ok(Delivery::Refused {
                    reason: format!(
                        "{}: {}",
                        error.code().unwrap_or("refused"),
                        error.message().unwrap_or("no reason given")
                    ),
                })
            }
            Err(error) => Err(anyhow::Error::new(error).context("sending e-mail through SES")),
        }
    }

    fn mime(&self, letter: &Letter) -> anyhow::Result<Vec<u8>> {
        let mut message = MessageBuilder::new()
            .from((letter.sender_name.as_str(), self.from_address.as_str()))
            .to(letter.to.as_str())
            .reply_to(letter.reply_to.as_str())
            .subject(letter.subject.as_str());
        if !letter.cc.is_empty() {
            message = message.cc(letter.cc.iter().map(String::as_str).collect::<Vec<_>>());
        }
        message = message
            .text_body(letter.text.as_str())
            .html_body(letter.html.as_str());
        for attachment in &letter.attachments {
            message = message.attachment(
                attachment.content_type,
                attachment.filename.as_str(),
                attachment.bytes.as_slice(),
            );
        }
        Ok(message.write_to_vec()?)
    }
}
