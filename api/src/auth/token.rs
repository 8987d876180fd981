//! Access tokens: HS256 JWTs naming the account and its role (RFC 7519).

use invoicing_store::users::Role;
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation, errors::ErrorKind};
use secrecy::{ExposeSecret, SecretString};
use serde::{Deserialize, Serialize};
use std::time::{Duration, SystemTime, UNIX_EPOCH};
use uuid::Uuid;

const ISSUER: &str = "invoicing-api";

/// How far a token's times may be off this replica's clock: `exp` may have passed, and `iat`
/// and `nbf` may lie ahead, by this much. Tokens are issued by one replica and checked by
/// another, and hosts kept in time by NTP still differ by up to a few seconds; without a
/// leeway a token could be refused the instant it was issued. 30 s covers that while a token
/// dated further ahead (made with a wrong clock, or forged with a stolen key to outlive a key
/// rotation) is refused. RFC 7519 §4.1.4–4.1.5 allow "some small leeway".
pub const CLOCK_LEEWAY_SECS: u64 = 30;

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
        // `iat` is required by `Claims` and checked in `verify`.
        validation.set_required_spec_claims(&["exp", "iss", "sub"]);
        // `nbf` is checked when present (this API issues none).
        validation.validate_nbf = true;
        validation.leeway = CLOCK_LEEWAY_SECS;
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

    /// The claims of a token signed with this secret that is current: `exp` not passed,
    /// `nbf` (if present) and `iat` not ahead, each within [`CLOCK_LEEWAY_SECS`].
    pub fn verify(&self, token: &str) -> Result<Claims, jsonwebtoken::errors::Error> {
        let claims =
            jsonwebtoken::decode::<Claims>(token, &self.decoding, &self.validation)?.claims;
        let now = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_err(|_| ErrorKind::ImmatureSignature)?
            .as_secs();
        if claims.iat > now + CLOCK_LEEWAY_SECS {
            return Err(ErrorKind::ImmatureSignature.into());
        }
        Ok(claims)
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

    fn now() -> u64 {
        SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .unwrap()
            .as_secs()
    }

    /// A token with `claims` plus `extra` (e.g. `nbf`), signed with `keys`' secret.
    fn signed(keys: &Tokens, claims: &Claims, extra: serde_json::Value) -> String {
        let mut json = serde_json::to_value(claims).unwrap();
        for (name, value) in extra.as_object().unwrap() {
            json[name] = value.clone();
        }
        jsonwebtoken::encode(&Header::new(Algorithm::HS256), &json, &keys.encoding).unwrap()
    }

    fn claims(iat: u64, exp: u64) -> Claims {
        Claims {
            sub: Uuid::new_v4(),
            role: Role::User,
            sid: "s1".to_owned(),
            iat,
            exp,
            iss: ISSUER.to_owned(),
        }
    }

    #[test]
    fn times_are_checked_within_the_leeway_only() {
        let keys = tokens("a-secret-of-at-least-thirty-two-bytes", 60);
        let now = now();
        let leeway = CLOCK_LEEWAY_SECS;
        let none = serde_json::json!({});
        let accepted = [
            ("current", claims(now, now + 60), none.clone()),
            (
                "iat a little ahead",
                claims(now + leeway / 2, now + 60),
                none.clone(),
            ),
            (
                "exp just passed",
                claims(now - 120, now - leeway / 2),
                none.clone(),
            ),
            (
                "nbf passed",
                claims(now, now + 60),
                serde_json::json!({ "nbf": now - 10 }),
            ),
            (
                "nbf a little ahead",
                claims(now, now + 60),
                serde_json::json!({ "nbf": now + leeway / 2 }),
            ),
        ];
        for (what, claims, extra) in accepted {
            assert!(
                keys.verify(&signed(&keys, &claims, extra)).is_ok(),
                "{what}"
            );
        }
        let refused = [
            (
                "iat an hour ahead",
                claims(now + 3600, now + 4000),
                none.clone(),
            ),
            (
                "iat beyond the leeway",
                claims(now + leeway + 5, now + 600),
                none.clone(),
            ),
            (
                "exp beyond the leeway",
                claims(now - 120, now - leeway - 5),
                none.clone(),
            ),
            (
                "nbf an hour ahead",
                claims(now, now + 60),
                serde_json::json!({ "nbf": now + 3600 }),
            ),
            (
                "nbf not a time",
                claims(now, now + 60),
                serde_json::json!({ "nbf": "soon" }),
            ),
        ];
        for (what, claims, extra) in refused {
            assert!(
                keys.verify(&signed(&keys, &claims, extra)).is_err(),
                "{what}"
            );
        }
    }

    #[test]
    fn garbage_is_refused() {
        let keys = tokens("a-secret-of-at-least-thirty-two-bytes", 60);
        for token in ["", "abc", "a.b.c", "eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0."] {
            assert!(keys.verify(token).is_err(), "{token}");
        }
    }
}
