//! Stripe's webhook signatures, verified as Stripe specifies: the `Stripe-Signature` header
//! carries a timestamp `t` and one or more `v1` signatures, each a hex HMAC-SHA256 of
//! `"{t}.{raw body}"` keyed with the endpoint's secret. Any one `v1` may match (Stripe sends
//! several while a secret is being rolled); the comparison is constant-time; a timestamp older
//! than the tolerance is refused, so a captured request cannot be replayed later.

use hmac::{Hmac, Mac};
use sha2::Sha256;

/// Why a webhook's signature was refused. The messages are for the 400 answer: they say what
/// is wrong without helping anyone forge a signature.
#[derive(Debug, PartialEq, Eq, thiserror::Error)]
pub enum SignatureError {
    #[error("the Stripe-Signature header is missing")]
    Missing,
    #[error("the Stripe-Signature header has no timestamp (t=) or no v1 signature")]
    Malformed,
    #[error("no v1 signature matches the payload")]
    Mismatch,
    #[error("the signature's timestamp is {age} s old, more than the {tolerance} s allowed")]
    TooOld { age: i64, tolerance: u64 },
}

/// Checks `header` against the raw `body`. `now` is Unix seconds. Returns the signed
/// timestamp.
pub fn verify(
    header: Option<&str>,
    body: &[u8],
    secret: &[u8],
    tolerance_secs: u64,
    now: i64,
) -> Result<i64, SignatureError> {
    let header = header.ok_or(SignatureError::Missing)?;
    let mut timestamp = None;
    let mut signatures = Vec::new();
    for (key, value) in header
        .split(',')
        .filter_map(|part| part.trim().split_once('='))
    {
        match key {
            "t" => timestamp = value.parse::<i64>().ok(),
            // A v1 that is not hex cannot match; the others may.
            "v1" => signatures.extend(hex::decode(value).ok()),
            // v0 (test-mode legacy) and future schemes are ignored, as Stripe's libraries do.
            _ => {}
        }
    }
    let timestamp = timestamp.ok_or(SignatureError::Malformed)?;
    if signatures.is_empty() {
        return Err(SignatureError::Malformed);
    }
    let mut mac = Hmac::<Sha256>::new_from_slice(secret).map_err(|_| SignatureError::Mismatch)?;
    mac.update(timestamp.to_string().as_bytes());
    mac.update(b".");
    mac.update(body);
    // verify_slice compares in constant time.
    let matches = signatures
        .iter()
        .any(|signature| mac.clone().verify_slice(signature).is_ok());
    if !matches {
        return Err(SignatureError::Mismatch);
    }
    let age = now - timestamp;
    if tolerance_secs > 0 && age > i64::try_from(tolerance_secs).unwrap_or(i64::MAX) {
        return Err(SignatureError::TooOld {
            age,
            tolerance: tolerance_secs,
        });
    }
    Ok(timestamp)
}

#[cfg(test)]
mod tests {
    use super::*;

    const SECRET: &[u8] = b"whsec_test_secret";
    const BODY: &[u8] = br#"{"id":"evt_1","type":"payment_intent.succeeded"}"#;
    const NOW: i64 = 1_795_000_000;

    fn sign(secret: &[u8], timestamp: i64, body: &[u8]) -> String {
        let mut mac = Hmac::<Sha256>::new_from_slice(secret).unwrap();
        mac.update(format!("{timestamp}.").as_bytes());
        mac.update(body);
        hex::encode(mac.finalize().into_bytes())
    }

    #[test]
    fn accepts_a_fresh_signature_and_returns_its_timestamp() {
        let header = format!("t={NOW},v1={}", sign(SECRET, NOW, BODY));
        assert_eq!(verify(Some(&header), BODY, SECRET, 300, NOW + 10), Ok(NOW));
    }

    #[test]
    fn any_of_several_v1_signatures_may_match() {
        let header = format!(
            "t={NOW},v1={},v1={},v0={}",
            sign(b"whsec_old", NOW, BODY),
            sign(SECRET, NOW, BODY),
            sign(SECRET, NOW, BODY)
        );
        assert_eq!(verify(Some(&header), BODY, SECRET, 300, NOW), Ok(NOW));
    }

    #[test]
    fn refuses_a_wrong_secret_a_tampered_body_or_a_tampered_timestamp() {
        let header = format!("t={NOW},v1={}", sign(b"whsec_other", NOW, BODY));
        assert_eq!(
            verify(Some(&header), BODY, SECRET, 300, NOW),
            Err(SignatureError::Mismatch)
        );
        let header = format!("t={NOW},v1={}", sign(SECRET, NOW, BODY));
        let tampered = br#"{"id":"evt_1","type":"payment_intent.succeeded" }"#;
        assert_eq!(
            verify(Some(&header), tampered, SECRET, 300, NOW),
            Err(SignatureError::Mismatch)
        );
        let header = format!("t={},v1={}", NOW + 1, sign(SECRET, NOW, BODY));
        assert_eq!(
            verify(Some(&header), BODY, SECRET, 300, NOW),
            Err(SignatureError::Mismatch)
        );
    }

    #[test]
    fn refuses_a_timestamp_older_than_the_tolerance() {
        let old = NOW - 301;
        let header = format!("t={old},v1={}", sign(SECRET, old, BODY));
        assert_eq!(
            verify(Some(&header), BODY, SECRET, 300, NOW),
            Err(SignatureError::TooOld {
                age: 301,
                tolerance: 300
            })
        );
        let edge = NOW - 300;
        let header = format!("t={edge},v1={}", sign(SECRET, edge, BODY));
        assert_eq!(verify(Some(&header), BODY, SECRET, 300, NOW), Ok(edge));
    }

    #[test]
    fn refuses_missing_and_malformed_headers() {
        assert_eq!(
            verify(None, BODY, SECRET, 300, NOW),
            Err(SignatureError::Missing)
        );
        let signature = sign(SECRET, NOW, BODY);
        for header in [
            String::new(),
            "garbage".to_owned(),
            format!("v1={signature}"),
            format!("t=yesterday,v1={signature}"),
            format!("t={NOW}"),
            format!("t={NOW},v0={signature}"),
        ] {
            assert_eq!(
                verify(Some(&header), BODY, SECRET, 300, NOW),
                Err(SignatureError::Malformed),
                "{header}"
            );
        }
        let header = format!("t={NOW},v1=not-hex");
        assert_eq!(
            verify(Some(&header), BODY, SECRET, 300, NOW),
            Err(SignatureError::Malformed)
        );
    }
}
