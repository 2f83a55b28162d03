//! A client's mailbox as the responder uses it: the server addresses and
//! the password, opened with the mail key (FCTO_MAIL_KEY, else `mail.key`
//! in fcto's home, mode 0600), which never reaches the database.

use std::path::{Path, PathBuf};

use fcto_mail::imap::{AuthMethod, ImapError, Mailbox};
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
        let password = secret::open(&key, client, &account.secret_nonce, &account.secret_sealed)
            .map_err(|e| {
                ResponderError::User(format!(
                    "{client}'s mailbox password: {e}; connect it again"
                ))
            })?;
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

    pub async fn imap(&self) -> Result<Mailbox<MailStream>> {
        fcto_mail::tls::connect_with(
            &self.imap,
            &self.user,
            &self.password,
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

    pub fn smtp(&self) -> Result<fcto_mail::SmtpSettings> {
        let server = self.smtp.clone().ok_or_else(|| {
            ResponderError::User(format!(
                "{} has no SMTP server: connect the mailbox again with --smtp HOST:PORT",
                self.client
            ))
        })?;
        Ok(fcto_mail::SmtpSettings {
            server,
            user: self.user.clone(),
            password: self.password.clone(),
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
