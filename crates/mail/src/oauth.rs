//! OAuth 2.0 access tokens from a refresh token (RFC 6749 §6), for XOAUTH2
//! logins to Gmail and Microsoft 365: their access tokens live an hour, so
//! a mailbox kept for days holds the refresh token and asks the provider's
//! token endpoint for a new access token when the last one runs out.
//!
//! The request is the RFC's: a form-encoded POST of `grant_type=
//! refresh_token`, the refresh token and the client's id (and secret, when
//! it has one: `client_secret_post`, which Google and Microsoft accept).
//! The answer is §5.1's JSON (`access_token`, `token_type` Bearer,
//! `expires_in`, perhaps a new `refresh_token` that replaces the old one)
//! or §5.2's error (`invalid_grant`: the grant was revoked or expired, the
//! user must connect again; `invalid_client`: wrong client id or secret).

use std::time::Duration;

use serde::Deserialize;

/// The application fcto is registered as at the provider.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OAuthClient {
    /// The token endpoint (`https://oauth2.googleapis.com/token`,
    /// `https://login.microsoftonline.com/TENANT/oauth2/v2.0/token`).
    pub token_url: String,
    pub client_id: String,
    pub client_secret: Option<String>,
}

/// What the token endpoint granted.
#[derive(Clone, PartialEq, Eq)]
pub struct Grant {
    pub access_token: String,
    /// Seconds the access token lives, when the endpoint said.
    pub expires_in: Option<u64>,
    /// A new refresh token: the old one must be forgotten (RFC 6749 §6).
    pub refresh_token: Option<String>,
}

impl std::fmt::Debug for Grant {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Grant")
            .field("expires_in", &self.expires_in)
            .field("refresh_token_rotated", &self.refresh_token.is_some())
            .finish_non_exhaustive()
    }
}

#[derive(Debug, thiserror::Error)]
pub enum OAuthError {
    /// The endpoint refused: `code` is RFC 6749 §5.2's (`invalid_grant`,
    /// `invalid_client`, ...).
    #[error("the token endpoint refused the refresh: {code}{}", description.as_deref().map(|d| format!(" ({d})")).unwrap_or_default())]
    Refused {
        code: String,
        description: Option<String>,
    },
    #[error("token endpoint {url}: {message}")]
    Unreachable { url: String, message: String },
    #[error("token endpoint answered something that is not a token response: {0}")]
    Malformed(String),
    #[error("token endpoint {0}: only https, or http to this machine")]
    Insecure(String),
}

impl OAuthError {
    /// The grant itself is gone (revoked, expired, password changed): only
    /// the user connecting again mends it.
    pub fn needs_reconnect(&self) -> bool {
        matches!(self, OAuthError::Refused { code, .. } if code == "invalid_grant" || code == "invalid_client" || code == "unauthorized_client")
    }
}

/// Whether a token endpoint may be spoken to: the refresh token and client
/// secret cross in the body, so plain HTTP only to loopback (tests, a local
/// proxy).
fn check_url(url: &str) -> Result<(), OAuthError> {
    let lower = url.to_ascii_lowercase();
    if lower.starts_with("https://") {
        return Ok(());
    }
    let Some(rest) = lower.strip_prefix("http://") else {
        return Err(OAuthError::Insecure(url.to_string()));
    };
    let host = rest.split(['/', '?']).next().unwrap_or_default();
    let host = match host.strip_prefix('[') {
        Some(v6) => v6.split(']').next().unwrap_or_default(),
        None => host.rsplit_once(':').map_or(host, |(h, _)| h),
    };
    let loopback = host == "localhost"
        || host
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback());
    if loopback {
        Ok(())
    } else {
        Err(OAuthError::Insecure(url.to_string()))
    }
}

/// Ask `client.token_url` for a new access token with `refresh_token`.
pub async fn refresh(client: &OAuthClient, refresh_token: &str) -> Result<Grant, OAuthError> {
    check_url(&client.token_url)?;
    let unreachable = |e: reqwest::Error| OAuthError::Unreachable {
        url: client.token_url.clone(),
        message: e.to_string(),
    };
    let http = reqwest::Client::builder()
        .connect_timeout(Duration::from_secs(15))
        .timeout(Duration::from_secs(60))
        .build()
        .map_err(unreachable)?;
    let mut form = vec![
        ("grant_type", "refresh_token"),
        ("refresh_token", refresh_token),
        ("client_id", client.client_id.as_str()),
    ];
    if let Some(secret) = &client.client_secret {
        form.push(("client_secret", secret.as_str()));
    }
    let response = http
        .post(&client.token_url)
        .header(reqwest::header::ACCEPT, "application/json")
        .form(&form)
        .send()
        .await
        .map_err(unreachable)?;
    let status = response.status().as_u16();
    let body = response.bytes().await.map_err(unreachable)?;
    parse_response(status, &body)
}

/// RFC 6749 §5.1 (success) or §5.2 (error) from the status and body.
pub fn parse_response(status: u16, body: &[u8]) -> Result<Grant, OAuthError> {
    #[derive(Deserialize)]
    struct Success {
        access_token: Option<String>,
        token_type: Option<String>,
        expires_in: Option<serde_json::Value>,
        refresh_token: Option<String>,
    }
    #[derive(Deserialize)]
    struct Failure {
        error: String,
        error_description: Option<String>,
    }
    let snippet = || String::from_utf8_lossy(&body[..body.len().min(200)]).into_owned();
    if !(200..300).contains(&status) {
        return match serde_json::from_slice::<Failure>(body) {
            Ok(f) => Err(OAuthError::Refused {
                code: f.error,
                description: f.error_description,
            }),
            Err(_) => Err(OAuthError::Malformed(format!(
                "HTTP {status}: {}",
                snippet()
            ))),
        };
    }
    let ok: Success = serde_json::from_slice(body)
        .map_err(|e| OAuthError::Malformed(format!("{e}: {}", snippet())))?;
    let access_token = ok
        .access_token
        .filter(|t| !t.is_empty() && !t.chars().any(char::is_control))
        .ok_or_else(|| OAuthError::Malformed("no access_token".into()))?;
    match ok.token_type.as_deref() {
        Some(t) if t.eq_ignore_ascii_case("bearer") => {}
        other => {
            return Err(OAuthError::Malformed(format!(
                "token_type {other:?}, not Bearer"
            )))
        }
    }
    // A number, though some endpoints send it as a string.
    let expires_in = match ok.expires_in {
        None | Some(serde_json::Value::Null) => None,
        Some(serde_json::Value::Number(n)) => n.as_u64(),
        Some(serde_json::Value::String(s)) => s.parse().ok(),
        Some(other) => {
            return Err(OAuthError::Malformed(format!("expires_in {other}")));
        }
    };
    Ok(Grant {
        access_token,
        expires_in,
        refresh_token: ok.refresh_token.filter(|t| !t.is_empty()),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_token_response_is_read_and_a_rotated_refresh_token_kept() {
        let grant = parse_response(
            200,
            br#"{"access_token":"ya29.a","token_type":"Bearer","expires_in":3599,"scope":"https://mail.google.com/"}"#,
        )
        .expect("a grant");
        assert_eq!(grant.access_token, "ya29.a");
        assert_eq!(grant.expires_in, Some(3599));
        assert_eq!(grant.refresh_token, None);
        let rotated = parse_response(
            200,
            br#"{"access_token":"b","token_type":"bearer","expires_in":"60","refresh_token":"r2"}"#,
        )
        .expect("a grant");
        assert_eq!(rotated.refresh_token.as_deref(), Some("r2"));
        assert_eq!(rotated.expires_in, Some(60));
    }

    #[test]
    fn refusals_and_malformed_answers_are_told_apart() {
        let revoked = parse_response(
            400,
            br#"{"error":"invalid_grant","error_description":"Token has been expired or revoked."}"#,
        )
        .unwrap_err();
        assert!(revoked.needs_reconnect());
        assert!(revoked.to_string().contains("invalid_grant"), "{revoked}");
        let busy = parse_response(503, b"<html>busy</html>").unwrap_err();
        assert!(matches!(busy, OAuthError::Malformed(_)) && !busy.needs_reconnect());
        for body in [
            &br#"{"token_type":"Bearer"}"#[..],
            br#"{"access_token":"a","token_type":"mac"}"#,
            br#"{"access_token":"a\r\nX: y","token_type":"Bearer"}"#,
            br#"{"access_token":"a","token_type":"Bearer","expires_in":[1]}"#,
            b"{\"access_token\":",
            b"",
        ] {
            assert!(
                matches!(parse_response(200, body), Err(OAuthError::Malformed(_))),
                "{}",
                String::from_utf8_lossy(body)
            );
        }
        let huge = format!("{{\"access_token\":\"{}\"", "a".repeat(1 << 20));
        assert!(parse_response(200, huge.as_bytes()).is_err());
    }

    #[test]
    fn secrets_go_over_https_or_to_this_machine_only() {
        for ok in [
            "https://oauth2.googleapis.com/token",
            "http://127.0.0.1:14080/token",
            "http://localhost/token",
            "http://[::1]:8080/token",
        ] {
            assert!(check_url(ok).is_ok(), "{ok}");
        }
        for bad in [
            "http://oauth2.googleapis.com/token",
            "http://127.0.0.1.evil.test/token",
            "ftp://x",
            "token",
        ] {
            assert!(
                matches!(check_url(bad), Err(OAuthError::Insecure(_))),
                "{bad}"
            );
        }
    }
}
