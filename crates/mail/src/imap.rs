//! Incremental IMAP sync of one folder: UIDVALIDITY and UIDNEXT decide
//! what is new, messages come in UID order in bounded batches, and the
//! caller records each one's UID as handled, so a sync cut short (a dropped
//! connection, a crash) resumes where it stopped and never hands a message
//! over twice. A changed UIDVALIDITY means the server renumbered the
//! folder: everything is fetched again and flagged as a reset, and the
//! caller's Message-ID check keeps it from being processed twice.

use async_imap::{Client, Session};
use futures_util::TryStreamExt;
use serde::{Deserialize, Serialize};
use thiserror::Error;
use tokio::io::{AsyncRead, AsyncWrite};

use crate::message::MAX_MESSAGE_BYTES;

/// Messages fetched per UID FETCH: memory stays at one batch.
const BATCH: usize = 50;

#[derive(Debug, Error)]
pub enum ImapError {
    #[error("{server}: cannot connect: {detail}")]
    Connect { server: String, detail: String },
    #[error("{server}: login refused for {user}: {detail}")]
    Login {
        server: String,
        user: String,
        detail: String,
    },
    #[error("{server}: {folder}: {detail}")]
    Folder {
        server: String,
        folder: String,
        detail: String,
    },
    #[error("plaintext IMAP is only allowed to loopback, not {0}: use TLS")]
    NotLoopback(String),
    /// The caller's handler failed; the sync stopped there. `resume` is
    /// where the next sync starts (that message again).
    #[error("stopped at UID {uid}: {detail}")]
    Handler {
        uid: u32,
        detail: String,
        resume: FolderState,
    },
}

/// Where a folder's sync stands: persist it after each handled message.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct FolderState {
    pub uid_validity: u32,
    /// The next UID not yet handled.
    pub uid_next: u32,
    pub highest_modseq: Option<u64>,
}

/// Why an IDLE ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Wake {
    /// The server reported a change (new mail, most often): sync.
    NewMail,
    /// Nothing within the timeout: IDLE again (after a sync, to be safe).
    Quiet,
}

/// A folder known by its use rather than its name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Special {
    Drafts,
    Sent,
}

fn folder_err(server: &str, folder: &str, detail: impl std::fmt::Display) -> ImapError {
    ImapError::Folder {
        server: server.into(),
        folder: folder.into(),
        detail: detail.to_string(),
    }
}

fn flag_name(flag: &async_imap::types::Flag<'_>) -> String {
    use async_imap::types::Flag;
    match flag {
        Flag::Seen => "\\Seen".into(),
        Flag::Answered => "\\Answered".into(),
        Flag::Flagged => "\\Flagged".into(),
        Flag::Deleted => "\\Deleted".into(),
        Flag::Draft => "\\Draft".into(),
        Flag::Recent => "\\Recent".into(),
        Flag::MayCreate => "\\*".into(),
        Flag::Custom(name) => name.to_string(),
    }
}

/// One message as fetched.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fetched {
    pub uid: u32,
    pub raw: Vec<u8>,
    /// Where the folder's sync stands once this message is handled: store
    /// it with the message.
    pub state: FolderState,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SyncReport {
    pub folder: String,
    pub state: FolderState,
    pub fetched: usize,
    /// UIDVALIDITY changed since the state given: everything was fetched again.
    pub reset: bool,
    /// (UID, size) of messages over the size limit, passed over unread.
    pub too_large: Vec<(u32, u32)>,
}

/// An IMAP session over any byte stream (plain TCP to loopback here; a TLS
/// stream from the caller).
pub struct Mailbox<T: AsyncRead + AsyncWrite + Unpin + std::fmt::Debug + Send> {
    server: String,
    session: Session<T>,
}

/// Log in over plain TCP, which is refused unless the server is loopback.
pub async fn connect_plain(
    server: &str,
    user: &str,
    password: &str,
) -> Result<Mailbox<tokio::net::TcpStream>, ImapError> {
    let connect = |detail: String| ImapError::Connect {
        server: server.into(),
        detail,
    };
    let addr = tokio::net::lookup_host(server)
        .await
        .map_err(|e| connect(e.to_string()))?
        .next()
        .ok_or_else(|| connect("no address".into()))?;
    if !addr.ip().is_loopback() {
        return Err(ImapError::NotLoopback(server.into()));
    }
    let tcp = tokio::net::TcpStream::connect(addr)
        .await
        .map_err(|e| connect(e.to_string()))?;
    login(server, tcp, user, password).await
}

/// Read the greeting and log in over an open stream.
pub async fn login<T: AsyncRead + AsyncWrite + Unpin + std::fmt::Debug + Send>(
    server: &str,
    stream: T,
    user: &str,
    password: &str,
) -> Result<Mailbox<T>, ImapError> {
    login_with(server, stream, user, password, AuthMethod::Password, false).await
}

/// Read the greeting (unless `greeted`, as after STARTTLS) and log in with
/// `method`.
pub async fn login_with<T: AsyncRead + AsyncWrite + Unpin + std::fmt::Debug + Send>(
    server: &str,
    stream: T,
    user: &str,
    secret: &str,
    method: AuthMethod,
    greeted: bool,
) -> Result<Mailbox<T>, ImapError> {
    let mut client = Client::new(stream);
    if !greeted {
        match client.read_response().await {
            Some(Ok(_)) => {}
            Some(Err(e)) => {
                return Err(ImapError::Connect {
                    server: server.into(),
                    detail: format!("no greeting: {e}"),
                })
            }
            None => {
                return Err(ImapError::Connect {
                    server: server.into(),
                    detail: "closed before the greeting".into(),
                })
            }
        }
    }
    authenticate(server, client, user, secret, method).await
}

async fn authenticate<T: AsyncRead + AsyncWrite + Unpin + std::fmt::Debug + Send>(
    server: &str,
    client: Client<T>,
    user: &str,
    secret: &str,
    method: AuthMethod,
) -> Result<Mailbox<T>, ImapError> {
    let refused = |e: async_imap::error::Error| ImapError::Login {
        server: server.into(),
        user: user.into(),
        detail: e.to_string(),
    };
    let session = match method {
        AuthMethod::Password => client
            .login(user, secret)
            .await
            .map_err(|(e, _)| refused(e))?,
        AuthMethod::XOAuth2 => client
            .authenticate(
                "XOAUTH2",
                XOAuth2 {
                    user: user.into(),
                    token: secret.into(),
                    sent: false,
                },
            )
            .await
            .map_err(|(e, _)| refused(e))?,
    };
    Ok(Mailbox {
        server: server.into(),
        session,
    })
}

/// How the secret logs in: a password (LOGIN), or an OAuth 2.0 access
/// token (SASL XOAUTH2, as Gmail and Microsoft 365 take).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum AuthMethod {
    #[default]
    Password,
    XOAuth2,
}

/// SASL XOAUTH2: one response, `user=U^Aauth=Bearer T^A^A`. A refusal
/// arrives as a challenge holding an error, answered with nothing.
struct XOAuth2 {
    user: String,
    token: String,
    sent: bool,
}

impl async_imap::Authenticator for XOAuth2 {
    type Response = String;

    fn process(&mut self, _challenge: &[u8]) -> String {
        if self.sent {
            return String::new();
        }
        self.sent = true;
        format!("user={}\x01auth=Bearer {}\x01\x01", self.user, self.token)
    }
}

impl<T: AsyncRead + AsyncWrite + Unpin + std::fmt::Debug + Send> Mailbox<T> {
    fn folder_error(&self, folder: &str, detail: impl std::fmt::Display) -> ImapError {
        ImapError::Folder {
            server: self.server.clone(),
            folder: folder.into(),
            detail: detail.to_string(),
        }
    }

    /// Fetch what is new in `folder` since `previous`, oldest first, handing
    /// each message to `handle`; stops at the first handler error. The
    /// report's state is where the next sync starts.
    pub async fn sync(
        &mut self,
        folder: &str,
        previous: Option<FolderState>,
        mut handle: impl AsyncFnMut(Fetched) -> Result<(), String>,
    ) -> Result<SyncReport, ImapError> {
        let server = self.server.clone();
        let fail = |e: &dyn std::fmt::Display| ImapError::Folder {
            server: server.clone(),
            folder: folder.into(),
            detail: e.to_string(),
        };
        let selected = self
            .session
            .select_condstore(folder)
            .await
            .map_err(|e| fail(&e))?;
        let uid_validity = selected
            .uid_validity
            .ok_or_else(|| fail(&"the server sent no UIDVALIDITY"))?;
        let server_next = selected.uid_next.unwrap_or(1);
        let reset = previous.is_some_and(|p| p.uid_validity != uid_validity);
        let from = match previous {
            Some(p) if !reset => p.uid_next.max(1),
            _ => 1,
        };
        let mut state = FolderState {
            uid_validity,
            uid_next: from,
            highest_modseq: selected.highest_modseq,
        };
        let mut report = SyncReport {
            folder: folder.into(),
            state,
            fetched: 0,
            reset,
            too_large: Vec::new(),
        };
        // An empty folder has no `*` to fetch up to.
        if selected.exists == 0 {
            report.state.uid_next = from.max(server_next);
            return Ok(report);
        }
        if from >= server_next && !reset && previous.is_some() {
            report.state.uid_next = report.state.uid_next.max(server_next);
            return Ok(report);
        }
        // UIDs and sizes first: `N:*` also names the last message when N is
        // past it, so keep only UIDs >= N.
        let mut sizes: Vec<(u32, u32)> = {
            let stream = self
                .session
                .uid_fetch(format!("{from}:*"), "(UID RFC822.SIZE)")
                .await
                .map_err(|e| fail(&e))?;
            let fetches: Vec<_> = stream.try_collect().await.map_err(|e| fail(&e))?;
            fetches
                .iter()
                .filter_map(|f| Some((f.uid?, f.size.unwrap_or(0))))
                .filter(|(uid, _)| *uid >= from)
                .collect()
        };
        sizes.sort_unstable();
        sizes.dedup();
        for batch in sizes.chunks(BATCH) {
            let wanted: Vec<u32> = batch
                .iter()
                .filter(|(uid, size)| {
                    let small = (*size as usize) <= MAX_MESSAGE_BYTES;
                    if !small {
                        report.too_large.push((*uid, *size));
                    }
                    small
                })
                .map(|(uid, _)| *uid)
                .collect();
            let mut bodies: Vec<Fetched> = Vec::with_capacity(wanted.len());
            if !wanted.is_empty() {
                let set = wanted
                    .iter()
                    .map(u32::to_string)
                    .collect::<Vec<_>>()
                    .join(",");
                let stream = self
                    .session
                    .uid_fetch(set, "(UID BODY.PEEK[])")
                    .await
                    .map_err(|e| fail(&e))?;
                let fetches: Vec<_> = stream.try_collect().await.map_err(|e| fail(&e))?;
                for f in &fetches {
                    if let (Some(uid), Some(body)) = (f.uid, f.body()) {
                        if wanted.contains(&uid) {
                            bodies.push(Fetched {
                                uid,
                                raw: body.to_vec(),
                                state: FolderState {
                                    uid_next: uid.saturating_add(1),
                                    ..state
                                },
                            });
                        }
                    }
                }
                bodies.sort_by_key(|f| f.uid);
                bodies.dedup_by_key(|f| f.uid);
            }
            // Handle in UID order; every UID of the batch counts as passed
            // once handled (or skipped as too large).
            let mut next_body = bodies.into_iter().peekable();
            for (uid, _) in batch {
                if next_body.peek().is_some_and(|f| f.uid == *uid) {
                    if let Some(fetched) = next_body.next() {
                        let resume = state;
                        handle(fetched).await.map_err(|detail| ImapError::Handler {
                            uid: *uid,
                            detail,
                            resume,
                        })?;
                        report.fetched += 1;
                    }
                }
                state.uid_next = uid.saturating_add(1);
                report.state = state;
            }
        }
        report.state.uid_next = report.state.uid_next.max(server_next);
        Ok(report)
    }

    /// The folder the server marks with a SPECIAL-USE attribute (RFC 6154),
    /// such as `\Drafts` or `\Sent`; else the first of the usual names
    /// that exists. None when neither.
    pub async fn special_folder(&mut self, special: Special) -> Result<Option<String>, ImapError> {
        let server = self.server.clone();
        use async_imap::imap_proto::NameAttribute;
        let names: Vec<_> = {
            let stream = self
                .session
                .list(Some(""), Some("*"))
                .await
                .map_err(|e| folder_err(&server, "*", e))?;
            stream
                .try_collect()
                .await
                .map_err(|e| folder_err(&server, "*", e))?
        };
        let marked = names.iter().find(|n| {
            n.attributes().iter().any(|a| match special {
                Special::Drafts => matches!(a, NameAttribute::Drafts),
                Special::Sent => matches!(a, NameAttribute::Sent),
            })
        });
        if let Some(name) = marked {
            return Ok(Some(name.name().to_string()));
        }
        let usual: &[&str] = match special {
            Special::Drafts => &[
                "Drafts",
                "INBOX.Drafts",
                "INBOX/Drafts",
                "[Gmail]/Drafts",
                "Draft",
            ],
            Special::Sent => &[
                "Sent",
                "Sent Items",
                "Sent Messages",
                "INBOX.Sent",
                "INBOX/Sent",
                "[Gmail]/Sent Mail",
            ],
        };
        Ok(usual
            .iter()
            .find(|u| names.iter().any(|n| n.name() == **u))
            .map(|u| u.to_string()))
    }

    /// Add a message with flags (`\Draft`, `\Seen`, keywords), returning
    /// nothing: find it again by a header ([`Mailbox::find_by_header`]).
    pub async fn append_flagged(
        &mut self,
        folder: &str,
        flags: &str,
        raw: &[u8],
    ) -> Result<(), ImapError> {
        let server = self.server.clone();
        let flags = format!("({flags})");
        self.session
            .append(folder, Some(&flags), None, raw)
            .await
            .map_err(|e| folder_err(&server, folder, e))
    }

    /// UIDs in `folder` whose `header` contains `value` (IMAP SEARCH HEADER),
    /// each with its flags.
    pub async fn find_by_header(
        &mut self,
        folder: &str,
        header: &str,
        value: &str,
    ) -> Result<Vec<(u32, Vec<String>)>, ImapError> {
        let server = self.server.clone();
        if !value
            .chars()
            .all(|c| c.is_ascii_graphic() && c != '"' && c != '\\')
        {
            return Err(folder_err(
                &server,
                folder,
                format!("cannot search for {value:?}"),
            ));
        }
        self.session
            .select(folder)
            .await
            .map_err(|e| folder_err(&server, folder, e))?;
        let mut uids: Vec<u32> = self
            .session
            .uid_search(format!("HEADER {header} \"{value}\""))
            .await
            .map_err(|e| folder_err(&server, folder, e))?
            .into_iter()
            .collect();
        uids.sort_unstable();
        if uids.is_empty() {
            return Ok(Vec::new());
        }
        let set = uids
            .iter()
            .map(u32::to_string)
            .collect::<Vec<_>>()
            .join(",");
        let fetches: Vec<_> = {
            let stream = self
                .session
                .uid_fetch(set, "(UID FLAGS)")
                .await
                .map_err(|e| folder_err(&server, folder, e))?;
            stream
                .try_collect()
                .await
                .map_err(|e| folder_err(&server, folder, e))?
        };
        let mut found: Vec<(u32, Vec<String>)> = fetches
            .iter()
            .filter_map(|f| {
                let uid = f.uid?;
                let flags = f.flags().map(|flag| flag_name(&flag)).collect();
                Some((uid, flags))
            })
            .filter(|(uid, _)| uids.contains(uid))
            .collect();
        found.sort_by_key(|(uid, _)| *uid);
        found.dedup_by_key(|(uid, _)| *uid);
        Ok(found)
    }

    /// Add (`+FLAGS`) or remove (`-FLAGS`) flags on messages of the folder
    /// [`Mailbox::find_by_header`] selected last.
    pub async fn set_flags(
        &mut self,
        folder: &str,
        uids: &[u32],
        add: bool,
        flags: &str,
    ) -> Result<(), ImapError> {
        let server = self.server.clone();
        if uids.is_empty() {
            return Ok(());
        }
        let set = uids
            .iter()
            .map(u32::to_string)
            .collect::<Vec<_>>()
            .join(",");
        let op = if add {
            "+FLAGS.SILENT"
        } else {
            "-FLAGS.SILENT"
        };
        let stream = self
            .session
            .uid_store(set, format!("{op} ({flags})"))
            .await
            .map_err(|e| folder_err(&server, folder, e))?;
        let _: Vec<_> = stream
            .try_collect()
            .await
            .map_err(|e| folder_err(&server, folder, e))?;
        Ok(())
    }

    /// Delete messages by UID (flag `\Deleted`, then UID EXPUNGE, which
    /// leaves any other deleted message alone).
    pub async fn remove(&mut self, folder: &str, uids: &[u32]) -> Result<(), ImapError> {
        let server = self.server.clone();
        if uids.is_empty() {
            return Ok(());
        }
        self.set_flags(folder, uids, true, "\\Deleted").await?;
        let set = uids
            .iter()
            .map(u32::to_string)
            .collect::<Vec<_>>()
            .join(",");
        let stream = self
            .session
            .uid_expunge(set)
            .await
            .map_err(|e| folder_err(&server, folder, e))?;
        let _: Vec<_> = stream
            .try_collect()
            .await
            .map_err(|e| folder_err(&server, folder, e))?;
        Ok(())
    }

    /// Wait in IDLE (RFC 2177) on `folder` until the server reports a
    /// change or `timeout` passes (servers drop an IDLE after 30 minutes:
    /// keep it under 29). Mail that came after the caller's last sync
    /// (UIDNEXT past `known_uid_next`) wakes at once, so nothing slips in
    /// between a sync and the IDLE. A dropped connection is an error: the
    /// caller reconnects.
    pub async fn idle(
        mut self,
        folder: &str,
        known_uid_next: u32,
        timeout: std::time::Duration,
    ) -> Result<(Self, Wake), ImapError> {
        use async_imap::extensions::idle::IdleResponse;
        let server = self.server.clone();
        let selected = self
            .session
            .select(folder)
            .await
            .map_err(|e| folder_err(&server, folder, e))?;
        if selected.uid_next.is_some_and(|next| next > known_uid_next) {
            return Ok((self, Wake::NewMail));
        }
        let mut handle = self.session.idle();
        handle
            .init()
            .await
            .map_err(|e| folder_err(&server, folder, format!("IDLE: {e}")))?;
        let response = {
            let (wait, stop) = handle.wait_with_timeout(timeout);
            let response = wait.await;
            // Dropping the stop source would interrupt the wait: keep it
            // until the wait is over.
            drop(stop);
            response
        };
        let wake = match response {
            Ok(IdleResponse::NewData(_)) => Wake::NewMail,
            Ok(IdleResponse::Timeout) => Wake::Quiet,
            // The stop source was held, so this is the stream ending.
            Ok(IdleResponse::ManualInterrupt) => {
                return Err(ImapError::Connect {
                    server,
                    detail: "the connection closed during IDLE".into(),
                })
            }
            Err(e) => {
                return Err(ImapError::Connect {
                    server,
                    detail: format!("IDLE: {e}"),
                })
            }
        };
        let session = handle.done().await.map_err(|e| ImapError::Connect {
            server: server.clone(),
            detail: format!("ending IDLE: {e}"),
        })?;
        Ok((Mailbox { server, session }, wake))
    }

    /// Add a message to a folder (tests seed mailboxes with it; drafts use it).
    pub async fn append(&mut self, folder: &str, raw: &[u8]) -> Result<(), ImapError> {
        self.session
            .append(folder, None, None, raw)
            .await
            .map_err(|e| self.folder_error(folder, e))
    }

    pub async fn create_folder(&mut self, folder: &str) -> Result<(), ImapError> {
        self.session
            .create(folder)
            .await
            .map_err(|e| self.folder_error(folder, e))
    }

    pub async fn delete_folder(&mut self, folder: &str) -> Result<(), ImapError> {
        // Dovecot disconnects a client whose selected folder is deleted:
        // leave it first (with nothing selected the command is refused,
        // which is fine).
        let _ = self.session.run_command_and_check_ok("UNSELECT").await;
        self.session
            .delete(folder)
            .await
            .map_err(|e| self.folder_error(folder, e))
    }

    pub async fn logout(mut self) -> Result<(), ImapError> {
        let server = self.server.clone();
        self.session.logout().await.map_err(|e| ImapError::Connect {
            server,
            detail: format!("logout: {e}"),
        })
    }
}
