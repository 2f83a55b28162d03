//! Web users, their password hashes (argon2id) and login sessions.
//!
//! Session tokens are random 256-bit values; only their SHA-256 is stored, so
//! a leaked database does not hand out live sessions.

use argon2::password_hash::rand_core::OsRng;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use chrono::{DateTime, Duration, Utc};
use fcto_engage::{validate, Role};
use rand::RngCore;
use serde::Serialize;
use sha2::{Digest, Sha256};
use sqlx::any::AnyRow;
use sqlx::Row;

use crate::error::{is_unique_violation, StoreError, StoreResult};
use crate::{word, Store};

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct User {
    pub id: i64,
    pub email: String,
    pub display_name: String,
    pub role: Role,
    /// The one client a client user belongs to.
    pub client_id: Option<i64>,
    pub client_slug: Option<String>,
}

impl User {
    /// May this user see the client with this id?
    pub fn can_see(&self, client_id: i64) -> bool {
        match self.role {
            Role::Cto => true,
            Role::Client => self.client_id == Some(client_id),
        }
    }
}

pub struct NewUser<'a> {
    pub email: &'a str,
    pub display_name: &'a str,
    pub password: &'a str,
    pub role: Role,
    pub client: Option<&'a str>,
}

#[derive(Debug, Clone)]
pub struct Session {
    pub user: User,
    pub csrf_token: String,
}

/// Shortest password accepted.
pub const MIN_PASSWORD_LEN: usize = 10;

fn user_from_row(r: &AnyRow) -> StoreResult<User> {
    Ok(User {
        id: r.try_get("id")?,
        email: r.try_get("email")?,
        display_name: r.try_get("display_name")?,
        role: word(r, "role")?,
        client_id: r.try_get("client_id")?,
        client_slug: r.try_get("slug")?,
    })
}

const USER_SELECT: &str = "SELECT u.id, u.email, u.display_name, u.role, u.client_id, c.slug
    FROM users u LEFT JOIN clients c ON c.id = u.client_id";

pub fn random_token() -> String {
    let mut b = [0u8; 32];
    rand::thread_rng().fill_bytes(&mut b);
    hex::encode(b)
}

fn token_hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

impl Store {
    pub async fn add_user(&self, u: &NewUser<'_>) -> StoreResult<User> {
        validate::email("email", u.email)?;
        validate::text("name", u.display_name, 200)?;
        if u.password.chars().count() < MIN_PASSWORD_LEN {
            return Err(fcto_engage::EngageError::invalid(
                "password",
                format!("must be at least {MIN_PASSWORD_LEN} characters"),
            )
            .into());
        }
        let client_id = match (u.role, u.client) {
            (Role::Client, Some(slug)) => Some(self.client(slug).await?.id),
            (Role::Client, None) => {
                return Err(fcto_engage::EngageError::invalid(
                    "client",
                    "a client user needs --client",
                )
                .into())
            }
            (Role::Cto, Some(_)) => {
                return Err(fcto_engage::EngageError::invalid(
                    "client",
                    "a CTO user sees every client; drop --client",
                )
                .into())
            }
            (Role::Cto, None) => None,
        };
        let salt = SaltString::generate(&mut OsRng);
        let hash = Argon2::default()
            .hash_password(u.password.as_bytes(), &salt)
            .map_err(|e| StoreError::Hash(e.to_string()))?
            .to_string();
        let res = sqlx::query(
            "INSERT INTO users (email, display_name, password_hash, role, client_id, created_at)
             VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
        )
        .bind(u.email.to_ascii_lowercase())
        .bind(u.display_name)
        .bind(hash)
        .bind(u.role.as_str())
        .bind(client_id)
        .bind(crate::now_text())
        .fetch_one(&self.pool)
        .await;
        match res {
            Ok(_) => self
                .user_by_email(u.email)
                .await?
                .ok_or_else(|| StoreError::NotFound("new user".into())),
            Err(e) if is_unique_violation(&e) => {
                Err(StoreError::Duplicate(format!("user {}", u.email)))
            }
            Err(e) => Err(e.into()),
        }
    }

    pub async fn user_by_email(&self, email: &str) -> StoreResult<Option<User>> {
        let row = sqlx::query(&format!("{USER_SELECT} WHERE u.email = $1"))
            .bind(email.to_ascii_lowercase())
            .fetch_optional(&self.pool)
            .await?;
        row.as_ref().map(user_from_row).transpose()
    }

    pub async fn users(&self) -> StoreResult<Vec<User>> {
        let rows = sqlx::query(&format!("{USER_SELECT} ORDER BY u.email"))
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(user_from_row).collect()
    }

    /// The user if the password is right. Unknown emails cost a hash too,
    /// so timing does not reveal which accounts exist.
    pub async fn verify_login(&self, email: &str, password: &str) -> StoreResult<Option<User>> {
        let row = sqlx::query("SELECT password_hash FROM users WHERE email = $1")
            .bind(email.to_ascii_lowercase())
            .fetch_optional(&self.pool)
            .await?;
        let stored = match row {
            Some(r) => Some(r.try_get::<String, _>("password_hash")?),
            None => None,
        };
        let ok = tokio::task::spawn_blocking({
            let password = password.to_string();
            move || {
                let dummy;
                let hash_text = match &stored {
                    Some(h) => h.as_str(),
                    None => {
                        dummy = Argon2::default()
                            .hash_password(b"not-a-password", &SaltString::generate(&mut OsRng))
                            .map(|h| h.to_string())
                            .unwrap_or_default();
                        dummy.as_str()
                    }
                };
                let verified = PasswordHash::new(hash_text)
                    .map(|h| {
                        Argon2::default()
                            .verify_password(password.as_bytes(), &h)
                            .is_ok()
                    })
                    .unwrap_or(false);
                stored.is_some() && verified
            }
        })
        .await
        .map_err(|e| StoreError::Hash(e.to_string()))?;
        if ok {
            self.user_by_email(email).await
        } else {
            Ok(None)
        }
    }

    /// Start a session; returns the token for the cookie.
    pub async fn create_session(&self, user_id: i64, ttl: Duration) -> StoreResult<String> {
        let token = random_token();
        let now = Utc::now();
        sqlx::query(
            "INSERT INTO sessions (token_hash, user_id, csrf_token, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(token_hash(&token))
        .bind(user_id)
        .bind(random_token())
        .bind(now.to_rfc3339())
        .bind((now + ttl).to_rfc3339())
        .execute(&self.pool)
        .await?;
        Ok(token)
    }

    /// The live session of a token, if any.
    pub async fn session(&self, token: &str) -> StoreResult<Option<Session>> {
        let row = sqlx::query(
            "SELECT s.csrf_token, s.expires_at, u.id, u.email, u.display_name, u.role, u.client_id, c.slug
             FROM sessions s JOIN users u ON u.id = s.user_id LEFT JOIN clients c ON c.id = u.client_id
             WHERE s.token_hash = $1",
        )
        .bind(token_hash(token))
        .fetch_optional(&self.pool)
        .await?;
        let Some(row) = row else { return Ok(None) };
        let expires: String = row.try_get("expires_at")?;
        let expired = DateTime::parse_from_rfc3339(&expires)
            .map(|e| e < Utc::now())
            .unwrap_or(true);
        if expired {
            self.end_session(token).await?;
            return Ok(None);
        }
        Ok(Some(Session {
            user: user_from_row(&row)?,
            csrf_token: row.try_get("csrf_token")?,
        }))
    }

    pub async fn end_session(&self, token: &str) -> StoreResult<()> {
        sqlx::query("DELETE FROM sessions WHERE token_hash = $1")
            .bind(token_hash(token))
            .execute(&self.pool)
            .await?;
        Ok(())
    }
}
