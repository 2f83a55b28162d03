//! IMAP over TLS: implicit TLS (port 993) or STARTTLS (RFC 3501 6.2.1) on
//! any other port, with rustls (ring) and the Mozilla roots, plus a CA file
//! for a server with a private certificate. Plaintext stays loopback-only.

use std::path::Path;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};

use async_imap::Client;
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, ServerName};
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::TcpStream;
use tokio_rustls::client::TlsStream;
use tokio_rustls::TlsConnector;

use crate::imap::{login_with, AuthMethod, ImapError, Mailbox};

/// How a connection is protected.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Security {
    /// TLS from the first byte (IMAPS, port 993).
    Tls,
    /// Plain first, then STARTTLS before logging in.
    StartTls,
    /// Plaintext: loopback only (a local bridge, tests).
    None,
}

impl Security {
    /// The usual choice for a server: 993 is TLS, loopback is plain,
    /// anything else STARTTLS.
    pub fn for_server(host_is_loopback: bool, port: u16) -> Security {
        match port {
            993 => Security::Tls,
            _ if host_is_loopback => Security::None,
            _ => Security::StartTls,
        }
    }

    pub fn parse(text: &str) -> Option<Security> {
        match text {
            "tls" => Some(Security::Tls),
            "starttls" => Some(Security::StartTls),
            "none" | "plain" => Some(Security::None),
            _ => None,
        }
    }
}

/// A connection, plain or TLS, for one `Mailbox` type either way.
pub enum MailStream {
    Plain(TcpStream),
    Tls(Box<TlsStream<TcpStream>>),
}

impl std::fmt::Debug for MailStream {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            MailStream::Plain(_) => "MailStream::Plain",
            MailStream::Tls(_) => "MailStream::Tls",
        })
    }
}

impl AsyncRead for MailStream {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<std::io::Result<()>> {
        match self.get_mut() {
            MailStream::Plain(s) => Pin::new(s).poll_read(cx, buf),
            MailStream::Tls(s) => Pin::new(s.as_mut()).poll_read(cx, buf),
        }
    }
}

impl AsyncWrite for MailStream {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<std::io::Result<usize>> {
        match self.get_mut() {
            MailStream::Plain(s) => Pin::new(s).poll_write(cx, buf),
            MailStream::Tls(s) => Pin::new(s.as_mut()).poll_write(cx, buf),
        }
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        match self.get_mut() {
            MailStream::Plain(s) => Pin::new(s).poll_flush(cx),
            MailStream::Tls(s) => Pin::new(s.as_mut()).poll_flush(cx),
        }
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        match self.get_mut() {
            MailStream::Plain(s) => Pin::new(s).poll_shutdown(cx),
            MailStream::Tls(s) => Pin::new(s.as_mut()).poll_shutdown(cx),
        }
    }
}

/// The roots a server certificate must chain to: Mozilla's, and the
/// certificates of `ca_file` (PEM) when given.
pub fn client_config(ca_file: Option<&Path>) -> Result<Arc<rustls::ClientConfig>, String> {
    let mut roots = rustls::RootCertStore::empty();
    roots.extend(webpki_roots::TLS_SERVER_ROOTS.iter().cloned());
    if let Some(path) = ca_file {
        let certs: Vec<CertificateDer<'static>> = CertificateDer::pem_file_iter(path)
            .map_err(|e| format!("{}: {e}", path.display()))?
            .collect::<Result<_, _>>()
            .map_err(|e| format!("{}: {e}", path.display()))?;
        if certs.is_empty() {
            return Err(format!("{}: no PEM certificate in it", path.display()));
        }
        for cert in certs {
            roots
                .add(cert)
                .map_err(|e| format!("{}: {e}", path.display()))?;
        }
    }
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let config = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| e.to_string())?
        .with_root_certificates(roots)
        .with_no_client_auth();
    Ok(Arc::new(config))
}

/// Connect and log in as `security` says. Plaintext is refused unless the
/// server is loopback; TLS checks the certificate against `ca_file` and the
/// public roots.
pub async fn connect(
    server: &str,
    user: &str,
    password: &str,
    security: Security,
    ca_file: Option<&Path>,
) -> Result<Mailbox<MailStream>, ImapError> {
    connect_with(
        server,
        user,
        password,
        AuthMethod::Password,
        security,
        ca_file,
    )
    .await
}

/// [`connect`], logging in with `method` (a password, or an OAuth 2.0
/// access token as `secret` for XOAUTH2).
pub async fn connect_with(
    server: &str,
    user: &str,
    secret: &str,
    method: AuthMethod,
    security: Security,
    ca_file: Option<&Path>,
) -> Result<Mailbox<MailStream>, ImapError> {
    let fail = |detail: String| ImapError::Connect {
        server: server.into(),
        detail,
    };
    let (host, _) = server
        .rsplit_once(':')
        .ok_or_else(|| fail("give the server as HOST:PORT".into()))?;
    let host = host.trim_matches(['[', ']']);
    let addr = tokio::net::lookup_host(server)
        .await
        .map_err(|e| fail(e.to_string()))?
        .next()
        .ok_or_else(|| fail("no address".into()))?;
    if security == Security::None && !addr.ip().is_loopback() {
        return Err(ImapError::NotLoopback(server.into()));
    }
    let tcp = TcpStream::connect(addr)
        .await
        .map_err(|e| fail(e.to_string()))?;
    if security == Security::None {
        return login_with(server, MailStream::Plain(tcp), user, secret, method, false).await;
    }
    let config = client_config(ca_file).map_err(fail)?;
    let name = ServerName::try_from(host.to_string()).map_err(|e| fail(format!("{host}: {e}")))?;
    let tcp = if security == Security::StartTls {
        // The greeting and STARTTLS in the clear; nothing else.
        let mut client = Client::new(tcp);
        match client.read_response().await {
            Some(Ok(_)) => {}
            Some(Err(e)) => return Err(fail(format!("no greeting: {e}"))),
            None => return Err(fail("closed before the greeting".into())),
        }
        client
            .run_command_and_check_ok("STARTTLS", None)
            .await
            .map_err(|e| fail(format!("STARTTLS refused: {e}")))?;
        client.into_inner()
    } else {
        tcp
    };
    let tls = TlsConnector::from(config)
        .connect(name, tcp)
        .await
        .map_err(|e| fail(format!("TLS: {e}")))?;
    let stream = MailStream::Tls(Box::new(tls));
    // After STARTTLS the server sends no second greeting.
    let greeted = security == Security::StartTls;
    login_with(server, stream, user, secret, method, greeted).await
}
