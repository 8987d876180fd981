//! Access tokens: HS256 JWTs naming the account and its role (RFC 7519).

use invoicing_store::users::Role;
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use secrecy::{ExposeSecret, SecretString};
use serde::{Deserialize, Serialize};
use std::time::{Duration, SystemTime, UNIX_EPOCH};
use uuid::Uuid;

const ISSUER: &str = "invoicing-api";

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Claims {
    pub sub: Uuid,
    pub role: Role,
    /// The session the token was issued for (see `sessions`).
    pub sid: String,
    pub iat: u64,
    pub exp: u64,
    pub iss: String,
}

/// Signs and verifies access tokens with one secret.
pub struct Tokens {
    encoding: EncodingKey,
    decoding: DecodingKey,
    validation: Validation,
    ttl: Duration,
}

/// A freshly issued token and how long it lasts.
pub struct Issued {
    pub token: String,
    pub expires_in: u64,
}

impl Tokens {
    pub fn new(secret: &SecretString, ttl: Duration) -> Self {
        let key = secret.expose_secret().as_bytes();
        let mut validation = Validation::new(Algorithm::HS256);
        validation.set_issuer(&[ISSUER]);
        validation.set_required_spec_claims(&["exp", "iat", "iss", "sub"]);
        // A token is valid until `exp`, with no grace period.
        validation.leeway = 0;
        Self {
            encoding: EncodingKey::from_secret(key),
            decoding: DecodingKey::from_secret(key),
            validation,
            ttl,
        }
    }

    pub fn issue(&self, user_id: Uuid, role: Role, session: &str) -> anyhow::Result<Issued> {
        let now = SystemTime::now().duration_since(UNIX_EPOCH)?.as_secs();
        let claims = Claims {
            sub: user_id,
            role,
            sid: session.to_owned(),
            iat: now,
            exp: now + self.ttl.as_secs(),
            iss: ISSUER.to_owned(),
        };
        let token = jsonwebtoken::encode(&Header::new(Algorithm::HS256), &claims, &self.encoding)?;
        Ok(Issued {
            token,
            expires_in: self.ttl.as_secs(),
        })
    }

    pub fn verify(&self, token: &str) -> Result<Claims, jsonwebtoken::errors::Error> {
        jsonwebtoken::decode::<Claims>(token, &self.decoding, &self.validation)
            .map(|data| data.claims)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tokens(secret: &str, ttl: u64) -> Tokens {
        Tokens::new(
            &SecretString::from(secret.to_owned()),
            Duration::from_secs(ttl),
        )
    }

    #[test]
    fn a_token_verifies_with_its_own_secret_only() {
        let user = Uuid::new_v4();
        let issued = tokens("a-secret-of-at-least-thirty-two-bytes", 60)
            .issue(user, Role::Admin, "s1")
            .unwrap();
        let claims = tokens("a-secret-of-at-least-thirty-two-bytes", 60)
            .verify(&issued.token)
            .unwrap();
        assert_eq!(claims.sub, user);
        assert_eq!(claims.role, Role::Admin);
        assert!(
            tokens("another-secret-of-at-least-32-bytes!", 60)
                .verify(&issued.token)
                .is_err()
        );
    }

    #[test]
    fn an_expired_token_is_refused() {
        let keys = tokens("a-secret-of-at-least-thirty-two-bytes", 60);
        let now = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .unwrap()
            .as_secs();
        let expired = Claims {
            sub: Uuid::new_v4(),
            role: Role::User,
            sid: "s1".to_owned(),
            iat: now - 120,
            exp: now - 60,
            iss: ISSUER.to_owned(),
        };
        let token =
            jsonwebtoken::encode(&Header::new(Algorithm::HS256), &expired, &keys.encoding).unwrap();
        assert!(keys.verify(&token).is_err());
        let fresh = keys.issue(expired.sub, Role::User, "s1").unwrap();
        assert!(keys.verify(&fresh.token).is_ok());
    }

    #[test]
    fn garbage_is_refused() {
        let keys = tokens("a-secret-of-at-least-thirty-two-bytes", 60);
        for token in ["", "abc", "a.b.c", "eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0."] {
            assert!(keys.verify(token).is_err(), "{token}");
        }
    }
}
