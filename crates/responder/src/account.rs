//! A client's mailbox as the responder uses it: the server addresses and
//! the password, opened with the mail key (FCTO_MAIL_KEY, else `mail.key`
//! in fcto's home, mode 0600), which never reaches the database.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use fcto_mail::imap::{AuthMethod, ImapError, Mailbox};
use fcto_mail::oauth::{OAuthClient, OAuthError};
use fcto_mail::secret::{self, SecretKey};
use fcto_mail::tls::{MailStream, Security};
use fcto_store::Store;

use crate::error::{ResponderError, Result};

pub const KEY_ENV: &str = "FCTO_MAIL_KEY";

/// An opened mailbox account.
#[derive(Clone)]
pub struct Account {
    pub client: String,
    pub imap: String,
    pub smtp: Option<String>,
    pub user: String,
    pub password: String,
    /// `Name <address>` or an address; the user name when it is one.
    pub from: String,
    pub security: Security,
    pub ca_file: Option<PathBuf>,
    /// A password, or an OAuth 2.0 access token for XOAUTH2.
    pub method: AuthMethod,
    pub smtp_security: Option<Security>,
    /// The SMTP server files sent mail in Sent itself: fcto does not.
    pub server_saves_sent: bool,
    /// XOAUTH2 with a refresh token: access tokens are fetched as needed
    /// and `password` is empty.
    oauth: Option<Arc<Refresher>>,
}

/// The sealed secret of an account that logs in with a refresh token.
#[derive(serde::Serialize, serde::Deserialize)]
pub struct OAuthSecret {
    pub refresh_token: String,
    pub client_secret: Option<String>,
}

impl OAuthSecret {
    pub fn seal(&self, key: &SecretKey, client: &str) -> (String, String) {
        // Two strings into JSON: serialising cannot fail.
        let text = serde_json::to_string(self).unwrap_or_default();
        secret::seal(key, client, &text)
    }
}

/// Exchanges the refresh token for access tokens, one at a time, and keeps
/// a rotated refresh token (RFC 6749 §6) sealed in the store.
struct Refresher {
    client: OAuthClient,
    store: Store,
    key: SecretKey,
    slug: String,
    state: tokio::sync::Mutex<TokenState>,
}

struct TokenState {
    refresh_token: String,
    access_token: Option<String>,
    /// When the access token stops working, less a margin.
    good_until: Option<Instant>,
}

/// An access token is renewed this long before the provider said it ends,
/// so a login never races its expiry.
const RENEW_BEFORE: Duration = Duration::from_secs(60);

impl Refresher {
    async fn access_token(&self) -> Result<String> {
        let mut state = self.state.lock().await;
        if let (Some(token), Some(until)) = (&state.access_token, state.good_until) {
            if Instant::now() < until {
                return Ok(token.clone());
            }
        }
        let grant = fcto_mail::oauth::refresh(&self.client, &state.refresh_token)
            .await
            .map_err(|e| oauth_error(&self.slug, e))?;
        if let Some(rotated) = &grant.refresh_token {
            let sealed = OAuthSecret {
                refresh_token: rotated.clone(),
                client_secret: self.client.client_secret.clone(),
            };
            let (nonce, text) = sealed.seal(&self.key, &self.slug);
            self.store
                .reseal_mail_secret(&self.slug, &nonce, &text)
                .await?;
            state.refresh_token = rotated.clone();
        }
        // No lifetime given: good for this use only.
        let lives = Duration::from_secs(grant.expires_in.unwrap_or(0));
        state.good_until = Some(Instant::now() + lives.saturating_sub(RENEW_BEFORE));
        state.access_token = Some(grant.access_token.clone());
        Ok(grant.access_token)
    }
}

fn oauth_error(client: &str, e: OAuthError) -> ResponderError {
    if e.needs_reconnect() {
        ResponderError::User(format!(
            "{client}'s mailbox: {e}; the grant was revoked or has expired: connect the mailbox again with a new refresh token (nothing was read or sent)"
        ))
    } else {
        ResponderError::OAuth(e)
    }
}

impl std::fmt::Debug for Account {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Account")
            .field("client", &self.client)
            .field("imap", &self.imap)
            .field("smtp", &self.smtp)
            .field("user", &self.user)
            .finish_non_exhaustive()
    }
}

impl Account {
    pub async fn open(store: &Store, home: &Path, client: &str) -> Result<Account> {
        let account = store.mail_account(client).await?.ok_or_else(|| {
            ResponderError::User(format!(
                "{client} has no mailbox: fcto mail connect {client} --imap HOST:PORT --user USER"
            ))
        })?;
        let key = mail_key(home, false)?;
        let mut password =
            secret::open(&key, client, &account.secret_nonce, &account.secret_sealed).map_err(
                |e| {
                    ResponderError::User(format!(
                        "{client}'s mailbox password: {e}; connect it again"
                    ))
                },
            )?;
        let oauth = match (&account.oauth_token_url, &account.oauth_client_id) {
            (Some(token_url), Some(client_id)) => {
                // The refresh token lives in the refresher alone.
                let opened = std::mem::take(&mut password);
                let sealed: OAuthSecret = serde_json::from_str(&opened).map_err(|_| {
                    ResponderError::User(format!(
                        "{client}'s mailbox: the sealed refresh token is unreadable; connect it again"
                    ))
                })?;
                Some(Arc::new(Refresher {
                    client: OAuthClient {
                        token_url: token_url.clone(),
                        client_id: client_id.clone(),
                        client_secret: sealed.client_secret,
                    },
                    store: store.clone(),
                    key: key.clone(),
                    slug: client.to_string(),
                    state: tokio::sync::Mutex::new(TokenState {
                        refresh_token: sealed.refresh_token,
                        access_token: None,
                        good_until: None,
                    }),
                }))
            }
            _ => None,
        };
        let from = account
            .from_address
            .clone()
            .unwrap_or_else(|| account.username.clone());
        let security = match account.imap_security.as_deref() {
            Some(text) => Security::parse(text).ok_or_else(|| {
                ResponderError::User(format!("{client}'s mailbox: unknown security {text:?}"))
            })?,
            None => default_security(&account.imap_server).await,
        };
        let method = match account.auth_method.as_deref() {
            Some("xoauth2") => AuthMethod::XOAuth2,
            _ => AuthMethod::Password,
        };
        let smtp_security = match account.smtp_security.as_deref() {
            Some(text) => Some(Security::parse(text).ok_or_else(|| {
                ResponderError::User(format!(
                    "{client}'s mailbox: unknown SMTP security {text:?}"
                ))
            })?),
            None => None,
        };
        Ok(Account {
            oauth,
            smtp_security,
            server_saves_sent: account.server_saves_sent,
            method,
            security,
            ca_file: account.ca_file.map(PathBuf::from),
            client: client.into(),
            imap: account.imap_server,
            smtp: account.smtp_server,
            user: account.username,
            password,
            from,
        })
    }

    /// What the servers take to log in: the password, or an access token
    /// (fetched with the refresh token when the last one is used up).
    async fn secret(&self) -> Result<String> {
        match &self.oauth {
            Some(refresher) => refresher.access_token().await,
            None => Ok(self.password.clone()),
        }
    }

    pub async fn imap(&self) -> Result<Mailbox<MailStream>> {
        let secret = self.secret().await?;
        fcto_mail::tls::connect_with(
            &self.imap,
            &self.user,
            &secret,
            self.method,
            self.security,
            self.ca_file.as_deref(),
        )
        .await
        .map_err(|e| match e {
            ImapError::Login { .. } => ResponderError::User(format!(
                "{e}: if the password changed or was revoked (or the access token expired), connect the mailbox again (nothing was read or sent)"
            )),
            other => other.into(),
        })
    }

    pub async fn smtp(&self) -> Result<fcto_mail::SmtpSettings> {
        let server = self.smtp.clone().ok_or_else(|| {
            ResponderError::User(format!(
                "{} has no SMTP server: connect the mailbox again with --smtp HOST:PORT",
                self.client
            ))
        })?;
        Ok(fcto_mail::SmtpSettings {
            server,
            user: self.user.clone(),
            password: self.secret().await?,
            timeout: std::time::Duration::from_secs(60),
            ca_file: self.ca_file.clone(),
            xoauth2: self.method == AuthMethod::XOAuth2,
            security: self.smtp_security,
        })
    }
}

/// TLS on 993, plain to loopback, STARTTLS elsewhere.
pub async fn default_security(server: &str) -> Security {
    let port = server
        .rsplit_once(':')
        .and_then(|(_, p)| p.parse::<u16>().ok())
        .unwrap_or(143);
    let loopback = match tokio::net::lookup_host(server).await {
        Ok(mut addrs) => addrs.next().is_some_and(|a| a.ip().is_loopback()),
        Err(_) => false,
    };
    Security::for_server(loopback, port)
}

/// The mail key: FCTO_MAIL_KEY (64 hex characters), else `mail.key` in
/// fcto's home, made (mode 0600) when `create` and missing.
pub fn mail_key(home: &Path, create: bool) -> Result<SecretKey> {
    if let Ok(text) = std::env::var(KEY_ENV) {
        return SecretKey::from_hex(&text)
            .map_err(|e| ResponderError::User(format!("{KEY_ENV}: {e}")));
    }
    let path: PathBuf = home.join("mail.key");
    match std::fs::read_to_string(&path) {
        Ok(text) => SecretKey::from_hex(&text)
            .map_err(|e| ResponderError::User(format!("{}: {e}", path.display()))),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound && create => {
            let key = SecretKey::generate();
            write_private(&path, &key.to_hex())?;
            Ok(key)
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Err(ResponderError::User(format!(
            "no mail key: set {KEY_ENV} or restore {}, then connect the mailbox again",
            path.display()
        ))),
        Err(e) => Err(ResponderError::User(format!(
            "reading {}: {e}",
            path.display()
        ))),
    }
}

fn write_private(path: &Path, text: &str) -> Result<()> {
    use std::io::Write;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let fail = |e: std::io::Error| ResponderError::User(format!("writing {}: {e}", path.display()));
    let mut file = options.open(path).map_err(fail)?;
    file.write_all(text.as_bytes()).map_err(fail)
}
