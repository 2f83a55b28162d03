use std::net::SocketAddr;
use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

/// fcto — the fractional CTO's workbench.
#[derive(Debug, Parser)]
#[command(name = "fcto", version, about, propagate_version = true)]
pub struct Cli {
    /// Where fcto keeps its config and SQLite database [default: XDG data dir/fcto]
    #[arg(long, global = true, env = "FCTO_HOME", value_name = "DIR")]
    pub home: Option<PathBuf>,
    /// Database URL: sqlite:PATH or postgres://USER@HOST/DB (overrides the config)
    #[arg(long, global = true, value_name = "URL")]
    pub db: Option<String>,
    /// Print the result as JSON
    #[arg(long, global = true)]
    pub json: bool,
    /// Treat this date as today (for reports about the past, and tests)
    #[arg(
        long,
        global = true,
        env = "FCTO_TODAY",
        value_name = "DATE",
        hide = true
    )]
    pub today: Option<String>,
    #[command(subcommand)]
    pub command: Command,
}

// Parsed once per run; the size of the biggest variant does not matter.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Create the config and the database (SQLite by default; --db for PostgreSQL)
    Init,
    /// Clients: who, which tier, who owns technology on their side
    #[command(subcommand)]
    Client(ClientCmd),
    /// The time log, each hour classed as deciding or executing
    #[command(subcommand)]
    Time(TimeCmd),
    /// Decision records (MADR) with decide-by dates
    #[command(subcommand)]
    Decision(DecisionCmd),
    /// Systems built for clients, and when they went live
    #[command(subcommand)]
    System(SystemCmd),
    /// Lay out the week across active clients (optionally as iCalendar)
    Week(WeekArgs),
    /// Engagement health: hours vs budget, executor share, decisions, first system
    Health(HealthArgs),
    /// SaaS spend: import bank exports, find subscriptions and savings
    #[command(subcommand)]
    Spend(SpendCmd),
    /// The vendor register: contracts, renewals, notice periods, contacts
    #[command(subcommand)]
    Vendor(VendorCmd),
    /// Review changes for migrations that hurt at 10x data and vendor coupling
    Review(ReviewArgs),
    /// Audit a client's repositories: languages, dependencies, vulnerabilities,
    /// secrets, what runs where, data, git history; ranked risks
    Audit(AuditArgs),
    /// The email responder: connect a client's mailbox, sync and triage it
    #[command(subcommand)]
    Mail(MailCmd),
    /// Known-vulnerability data (OSV advisories) the audit matches offline
    #[command(subcommand)]
    Osv(OsvCmd),
    /// Web users (the CTO, and client people who see their own business only)
    #[command(subcommand)]
    User(UserCmd),
    /// Serve the web dashboard
    Serve(ServeArgs),
    /// Build a demo workspace with sample clients and a month of records
    Demo(DemoArgs),
}

#[derive(Debug, Subcommand)]
pub enum ClientCmd {
    /// Add a client
    Add(ClientAddArgs),
    /// List clients
    List {
        /// Include archived clients
        #[arg(long)]
        all: bool,
    },
    /// Show one client with this month's hours
    Show { client: String },
    /// Change a client's details
    Edit(ClientEditArgs),
    /// Archive a client (records are kept)
    Archive { client: String },
}

#[derive(Debug, Args)]
pub struct ClientAddArgs {
    /// The client's name, e.g. "Northern Lights Hospitality"
    pub name: String,
    /// Short id used in every command [default: derived from the name]
    #[arg(long)]
    pub slug: Option<String>,
    #[arg(long)]
    pub sector: Option<String>,
    /// ISO 4217 code
    #[arg(long, default_value = "GBP")]
    pub currency: String,
    /// foundation, growth or dominance
    #[arg(long)]
    pub tier: String,
    /// The client's named internal owner of technology
    #[arg(long)]
    pub owner_name: Option<String>,
    #[arg(long)]
    pub owner_email: Option<String>,
    /// Engagement start date [default: today]
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub start: Option<String>,
}

#[derive(Debug, Args)]
pub struct ClientEditArgs {
    pub client: String,
    #[arg(long)]
    pub name: Option<String>,
    #[arg(long)]
    pub sector: Option<String>,
    #[arg(long)]
    pub currency: Option<String>,
    #[arg(long)]
    pub tier: Option<String>,
    #[arg(long)]
    pub owner_name: Option<String>,
    #[arg(long)]
    pub owner_email: Option<String>,
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub start: Option<String>,
    /// Bring an archived client back
    #[arg(long)]
    pub restore: bool,
}

#[derive(Debug, Subcommand)]
pub enum TimeCmd {
    /// Log hours against a client
    Log(TimeLogArgs),
    /// List logged time, newest first
    List(TimeListArgs),
}

#[derive(Debug, Args)]
pub struct TimeLogArgs {
    pub client: String,
    /// Hours, e.g. 1.5 (more than 0, at most 24)
    #[arg(allow_negative_numbers = true)]
    pub hours: String,
    /// decide or execute
    #[arg(long)]
    pub kind: String,
    /// review, build, session, vendor, audit, docs or support
    #[arg(long)]
    pub activity: String,
    /// [default: today]
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub date: Option<String>,
    #[arg(long)]
    pub note: Option<String>,
}

#[derive(Debug, Args)]
pub struct TimeListArgs {
    #[arg(long)]
    pub client: Option<String>,
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub from: Option<String>,
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub to: Option<String>,
    #[arg(long, default_value_t = 50)]
    pub limit: i64,
}

#[derive(Debug, Subcommand)]
pub enum DecisionCmd {
    /// Propose a decision
    New(DecisionNewArgs),
    /// List decisions
    List(DecisionListArgs),
    /// Show one decision (as MADR markdown with --madr)
    Show {
        client: String,
        number: i64,
        #[arg(long)]
        madr: bool,
    },
    /// Accept a proposed decision
    Accept(DecideArgs),
    /// Reject a proposed decision
    Reject(DecideArgs),
    /// Mark an accepted decision as replaced by a newer one
    Supersede {
        client: String,
        number: i64,
        /// The number of the decision that replaces it
        #[arg(long = "by-decision", value_name = "N")]
        by_decision: i64,
    },
    /// Write decisions as MADR markdown files (NNNN-title.md) into a folder
    Export {
        #[arg(long)]
        client: Option<String>,
        #[arg(long, value_name = "DIR")]
        dir: PathBuf,
    },
}

#[derive(Debug, Args)]
pub struct DecisionNewArgs {
    pub client: String,
    pub title: String,
    #[arg(long, default_value = "")]
    pub context: String,
    /// An option considered (repeat for each)
    #[arg(long = "option")]
    pub options: Vec<String>,
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub decide_by: Option<String>,
}

#[derive(Debug, Args)]
pub struct DecisionListArgs {
    #[arg(long)]
    pub client: Option<String>,
    /// proposed, accepted, rejected or superseded
    #[arg(long)]
    pub status: Option<String>,
    /// Only proposed decisions due within this many days (overdue included)
    #[arg(long, value_name = "DAYS")]
    pub due_within: Option<i64>,
}

#[derive(Debug, Args)]
pub struct DecideArgs {
    pub client: String,
    pub number: i64,
    /// What was chosen and why
    #[arg(long)]
    pub outcome: Option<String>,
    /// `cto`, or the name of the client's person who decided
    #[arg(long, default_value = "cto")]
    pub by: String,
    /// [default: today]
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub date: Option<String>,
}

#[derive(Debug, Subcommand)]
pub enum SystemCmd {
    /// Record a system being planned or built
    Add {
        client: String,
        name: String,
        /// planned or building
        #[arg(long, default_value = "building")]
        status: String,
        /// The client's person who owns it
        #[arg(long)]
        owner: Option<String>,
        /// The commercial metric it should move
        #[arg(long)]
        metric: Option<String>,
    },
    /// List systems
    List {
        #[arg(long)]
        client: Option<String>,
    },
    /// Mark a system live
    Live {
        client: String,
        name: String,
        /// [default: today]
        #[arg(long, value_name = "YYYY-MM-DD")]
        date: Option<String>,
    },
}

#[derive(Debug, Args)]
pub struct WeekArgs {
    /// Any day of the week to plan [default: this week]
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub start: Option<String>,
    /// Also write the plan as an iCalendar file
    #[arg(long, value_name = "FILE")]
    pub ics: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct ReviewArgs {
    /// Review these files (whole files, no git needed) instead of a diff
    pub files: Vec<std::path::PathBuf>,
    /// The repository [default: the current directory]
    #[arg(long, default_value = ".")]
    pub repo: std::path::PathBuf,
    /// Old side of the diff [default: merge-base of HEAD with the default branch]
    #[arg(long)]
    pub base: Option<String>,
    /// New side of the diff
    #[arg(long, default_value = "HEAD")]
    pub head: String,
    /// Also review uncommitted changes (tracked and untracked files)
    #[arg(long, conflicts_with = "all")]
    pub worktree: bool,
    /// Review every migration and source file of the tree, not a diff
    #[arg(long)]
    pub all: bool,
    /// text, json, sarif, github (a pull request review body) or markdown
    #[arg(long, default_value = "text")]
    pub format: String,
    /// Exit 4 when a finding at or above this severity exists: note, warning, error or never
    #[arg(long, default_value = "error")]
    pub fail_on: String,
    /// Row counts per table: CSV (table,rows[,bytes]) or JSON
    #[arg(long)]
    pub table_sizes: Option<std::path::PathBuf>,
    /// Read table sizes from this PostgreSQL's catalog (read-only)
    #[arg(long)]
    pub database_url: Option<String>,
    /// SQL dialect: postgres, mysql or sqlite [default: from .fcto/review.toml]
    #[arg(long)]
    pub dialect: Option<String>,
}

#[derive(Debug, Args)]
pub struct HealthArgs {
    /// One client [default: every active client]
    pub client: Option<String>,
    /// Months of history
    #[arg(long, default_value_t = 6, value_parser = clap::value_parser!(u16).range(1..=120))]
    pub months: u16,
}

#[derive(Debug, Subcommand)]
pub enum UserCmd {
    /// Add a web user. The password comes from --password-env, --password-file or a prompt.
    Add {
        email: String,
        #[arg(long)]
        name: String,
        /// cto or client
        #[arg(long)]
        role: String,
        /// The client a client user belongs to
        #[arg(long)]
        client: Option<String>,
        /// Read the password from this environment variable
        #[arg(long, value_name = "VAR")]
        password_env: Option<String>,
        /// Read the password from the first line of this file
        #[arg(long, value_name = "FILE")]
        password_file: Option<PathBuf>,
    },
    /// List web users
    List,
}

#[derive(Debug, Args)]
pub struct ServeArgs {
    #[arg(long, default_value = "127.0.0.1:8080")]
    pub addr: SocketAddr,
    /// Send session cookies without the Secure flag (only for plain HTTP beyond localhost)
    #[arg(long)]
    pub insecure_cookies: bool,
}

#[derive(Debug, Args)]
pub struct DemoArgs {
    /// Then serve the dashboard and print a login
    #[arg(long)]
    pub serve: bool,
    #[arg(long, default_value = "127.0.0.1:8080")]
    pub addr: SocketAddr,
}

#[derive(Debug, Subcommand)]
pub enum SpendCmd {
    /// Import bank/card exports (CSV of UK banks, Xero, QuickBooks, OFX/QFX, CAMT.053)
    Import {
        client: String,
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// auto, or one of: monzo, starling, revolut-business, barclays, hsbc, lloyds,
        /// natwest, amex, xero, quickbooks, ofx, camt053
        #[arg(long, default_value = "auto")]
        format: String,
    },
    /// Import a vendor's seat or user export (Google Workspace, Microsoft 365, Slack, any CSV with emails)
    Seats {
        client: String,
        /// Catalog id of the vendor, e.g. google-workspace or slack
        vendor: String,
        file: PathBuf,
    },
    /// Subscriptions, spend by category and month, and savings
    Report {
        client: String,
        /// text, md or html (use --json for JSON)
        #[arg(long, default_value = "text")]
        format: String,
        /// Write the report to this file
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
        /// Analyse as of this date [default: the latest transaction]
        #[arg(long, value_name = "YYYY-MM-DD")]
        as_of: Option<String>,
    },
    /// The vendor catalog (with the client's additions when --client is given)
    Catalog {
        #[arg(long)]
        client: Option<String>,
        /// Only vendors whose name, id or category contains this
        #[arg(long)]
        search: Option<String>,
        /// Set the client's catalog additions from a TOML file (same layout as the built-in catalog)
        #[arg(long, value_name = "FILE", requires = "client")]
        add: Option<PathBuf>,
    },
}

#[derive(Debug, Args, Default)]
pub struct VendorFields {
    #[arg(long)]
    pub category: Option<String>,
    #[arg(long)]
    pub plan: Option<String>,
    #[arg(long)]
    pub seats: Option<i64>,
    /// Cost per billing period, e.g. 1200.00
    #[arg(long, allow_negative_numbers = true)]
    pub cost: Option<String>,
    #[arg(long)]
    pub currency: Option<String>,
    /// monthly, quarterly, annual or other
    #[arg(long)]
    pub billing: Option<String>,
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub start: Option<String>,
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub renewal: Option<String>,
    /// Days of notice needed before the renewal
    #[arg(long, allow_negative_numbers = true)]
    pub notice_days: Option<i64>,
    /// true or false
    #[arg(long)]
    pub auto_renew: Option<bool>,
    /// The client's person who owns this vendor
    #[arg(long)]
    pub owner: Option<String>,
    /// Escalation contact at the vendor
    #[arg(long)]
    pub vendor_contact: Option<String>,
    /// Escalation contact on the client's side
    #[arg(long)]
    pub our_contact: Option<String>,
    #[arg(long)]
    pub data_location: Option<String>,
    /// signed, pending, none or not-needed
    #[arg(long)]
    pub dpa: Option<String>,
    #[arg(long)]
    pub notes: Option<String>,
}

#[derive(Debug, Subcommand)]
pub enum VendorCmd {
    /// Add a vendor to a client's register
    Add {
        client: String,
        name: String,
        /// Id [default: the catalog id matching the name, or a slug of it]
        #[arg(long)]
        id: Option<String>,
        #[command(flatten)]
        fields: VendorFields,
    },
    /// Change a vendor's record
    Edit {
        client: String,
        id: String,
        #[arg(long)]
        name: Option<String>,
        #[command(flatten)]
        fields: VendorFields,
    },
    /// List vendors (one client, or every active client)
    List { client: Option<String> },
    /// Show one vendor's record
    Show { client: String, id: String },
    /// Add detected subscriptions to the register in one step
    Promote {
        client: String,
        /// Catalog ids of subscriptions to promote
        ids: Vec<String>,
        /// Promote every active subscription not yet in the register
        #[arg(long)]
        all: bool,
    },
    /// Renewals whose notice deadline is coming
    Renewals {
        #[arg(long)]
        client: Option<String>,
        /// Window, e.g. 60d or 60
        #[arg(long, default_value = "60d")]
        within: String,
        /// Also write the notice deadlines as an iCalendar file
        #[arg(long, value_name = "FILE")]
        ics: Option<PathBuf>,
    },
}

#[derive(Debug, Args)]
#[command(args_conflicts_with_subcommands = true, subcommand_negates_reqs = true)]
pub struct AuditArgs {
    #[command(subcommand)]
    pub command: Option<AuditCmd>,
    #[command(flatten)]
    pub run: AuditRunArgs,
}

#[derive(Debug, Args)]
pub struct AuditRunArgs {
    /// Repositories or folders to audit (a git work tree or a plain folder)
    #[arg(required = true, value_name = "PATH")]
    pub paths: Vec<PathBuf>,
    /// Store the audit under this client (for `audit diff`) and include its notes
    #[arg(long)]
    pub client: Option<String>,
    /// md, html, json, cyclonedx or sarif
    #[arg(long, default_value = "md")]
    pub format: String,
    /// Write the report here instead of printing it
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
    /// Run only these sections (comma-separated): languages, dependencies,
    /// vulnerabilities, secrets, infrastructure, data, history
    #[arg(long, value_delimiter = ',')]
    pub only: Vec<String>,
    /// Skip the git history section
    #[arg(long)]
    pub no_history: bool,
    /// Accepted secrets (TOML) [default: .fcto/secrets-allow.toml in each PATH]
    #[arg(long, value_name = "FILE")]
    pub allowlist: Option<PathBuf>,
    /// Day rate in GBP used to price each risk's rough cost of fixing
    #[arg(long, default_value_t = 800)]
    pub day_rate: u64,
    /// Worker threads for the scan [default: the number of cores]
    #[arg(long)]
    pub threads: Option<usize>,
    /// Skip files larger than this many MB (listed as warnings)
    #[arg(long, default_value_t = 32)]
    pub max_file_mb: u64,
    /// Exit with 4 when a risk of this severity or worse is found:
    /// low, medium, high, critical or never
    #[arg(long, default_value = "never")]
    pub fail_on: String,
}

#[derive(Debug, Subcommand)]
pub enum MailCmd {
    /// Connect a client's mailbox (the password is checked by logging in,
    /// then sealed with the mail key: FCTO_MAIL_KEY, or $FCTO_HOME/mail.key)
    Connect {
        client: String,
        /// IMAP server, HOST:PORT
        #[arg(long, value_name = "HOST:PORT")]
        imap: String,
        /// SMTP server for sending approved replies, HOST:PORT
        #[arg(long, value_name = "HOST:PORT")]
        smtp: Option<String>,
        #[arg(long)]
        user: String,
        /// The address replies go out from ("Name <address>"); the user name by default
        #[arg(long, value_name = "ADDRESS")]
        from: Option<String>,
        /// tls (IMAPS), starttls, or none (loopback only) [default: tls on 993,
        /// none to loopback, else starttls]
        #[arg(long, value_name = "MODE", value_parser = ["tls", "starttls", "none"])]
        imap_security: Option<String>,
        /// A CA certificate (PEM) the servers' certificates chain to, for a
        /// private CA; the public roots are trusted either way
        #[arg(long, value_name = "FILE")]
        ca_file: Option<PathBuf>,
        /// The secret given is an OAuth 2.0 access token (SASL XOAUTH2, as
        /// Gmail and Microsoft 365 take), not a password
        #[arg(long)]
        xoauth2: bool,
        /// tls (465), starttls, or none (loopback only) [default: tls on 465,
        /// none to loopback, else starttls]
        #[arg(long, value_name = "MODE", value_parser = ["tls", "starttls", "none"])]
        smtp_security: Option<String>,
        /// The SMTP server files sent mail in Sent itself (Gmail, Microsoft
        /// 365): fcto does not file a second copy
        #[arg(long)]
        server_saves_sent: bool,
        /// Log in with XOAUTH2 using a refresh token (the secret given):
        /// access tokens are fetched from this OAuth 2.0 token endpoint as
        /// they run out (https://oauth2.googleapis.com/token for Gmail)
        #[arg(long, value_name = "URL", requires = "oauth_client_id")]
        oauth_token_url: Option<String>,
        /// fcto's OAuth client id at the provider
        #[arg(long, value_name = "ID", requires = "oauth_token_url")]
        oauth_client_id: Option<String>,
        /// Read the OAuth client secret from this environment variable
        #[arg(long, value_name = "VAR", requires = "oauth_token_url")]
        oauth_client_secret_env: Option<String>,
        /// Read the password from this environment variable
        #[arg(long, value_name = "VAR", conflicts_with = "password_file")]
        password_env: Option<String>,
        /// Read the password from the first line of this file
        #[arg(long, value_name = "FILE")]
        password_file: Option<PathBuf>,
    },
    /// Fetch what is new, triage it and keep it (each message once); sync
    /// the Sent folder too so drafts learn from past replies
    Sync {
        client: String,
        #[arg(long, default_value = "INBOX")]
        folder: String,
        /// Then draft every new inquiry into the approval queue
        #[arg(long)]
        draft: bool,
        #[command(flatten)]
        model: ModelArgs,
    },
    /// Documents drafts may draw on: prices, FAQs, policies, opening hours
    #[command(subcommand)]
    Knowledge(KnowledgeCmd),
    /// Show the client's voice, or learn it from sent replies (.eml files)
    Voice {
        client: String,
        /// Sent replies to learn from
        #[arg(long = "learn", value_name = "EML", conflicts_with_all = ["from_sent", "load"])]
        learn: Vec<PathBuf>,
        /// Learn from the replies synced from the mailbox's Sent folder
        /// (`fcto mail sync CLIENT --folder Sent` first)
        #[arg(long, conflicts_with = "load")]
        from_sent: bool,
        /// Replace the profile with an edited one (the JSON `--json` prints)
        #[arg(long, value_name = "FILE")]
        load: Option<PathBuf>,
    },
    /// Draft every synced inquiry without a draft into the approval queue
    /// (and the mailbox's Drafts folder); with --eml, draft replies to
    /// message files instead (no mailbox needed) and print them
    Draft {
        client: String,
        /// Message files (repeat for several: one model load, latency p50/p95)
        #[arg(long, value_name = "FILE")]
        eml: Vec<PathBuf>,
        #[command(flatten)]
        model: ModelArgs,
    },
    /// The approval queue: drafts waiting (--all: every draft and its state)
    Queue {
        client: String,
        #[arg(long)]
        all: bool,
    },
    /// One draft: the inquiry, the reply, its flags and how it was made
    Show { client: String, id: i64 },
    /// Change a queued draft's text (from a file, or standard input with -)
    Edit {
        client: String,
        id: i64,
        #[arg(long, value_name = "FILE")]
        file: PathBuf,
    },
    /// Approve a queued draft and send it (exactly once)
    Approve {
        client: String,
        id: i64,
        /// Who approves [default: $USER]
        #[arg(long)]
        by: Option<String>,
        /// Approve only; the next `fcto mail send` sends it
        #[arg(long)]
        no_send: bool,
    },
    /// Reject a queued draft; nothing is sent and its Drafts copy goes
    Reject {
        client: String,
        id: i64,
        #[arg(long)]
        reason: Option<String>,
        #[arg(long)]
        by: Option<String>,
    },
    /// Send approved drafts, finish sends a crash cut short, and notice
    /// replies sent from the owner's own mail client
    Send { client: String },
    /// Settle a send fcto could not confirm: it arrived, or send it again
    Resolve {
        client: String,
        id: i64,
        #[arg(
            long,
            conflicts_with = "not_arrived",
            required_unless_present = "not_arrived"
        )]
        arrived: bool,
        #[arg(long)]
        not_arrived: bool,
    },
    /// Draft latency p50/p95, approval rate, edits before approval, time to reply
    Metrics { client: String },
    /// Keep watching: sync, draft new inquiries, send approved replies, then
    /// wait for new mail (IDLE); reconnects after a dropped connection. Ctrl-C stops
    Watch {
        client: String,
        #[arg(long, default_value = "INBOX")]
        folder: String,
        #[command(flatten)]
        model: ModelArgs,
        /// Re-issue IDLE after this many seconds (servers drop it at 30 minutes)
        #[arg(long, default_value_t = 1500, value_parser = clap::value_parser!(u64).range(1..=1740))]
        idle_seconds: u64,
        /// Stop after this many rounds of sync and draft
        #[arg(long)]
        rounds: Option<u32>,
    },
    /// The inquiries read so far, newest first (--all: skipped mail too)
    Inbox {
        client: String,
        #[arg(long)]
        all: bool,
        #[arg(long, default_value_t = 50)]
        limit: i64,
    },
}

/// Which model drafts: an OpenAI-compatible endpoint when --model-url is
/// given, else the embedded model.
#[derive(Debug, Clone, Args)]
pub struct ModelArgs {
    /// An OpenAI-compatible endpoint up to /v1 (Ollama, vLLM, llama.cpp, OpenAI)
    #[arg(long, env = "FCTO_MODEL_URL", value_name = "URL")]
    pub model_url: Option<String>,
    /// The endpoint's model name
    #[arg(long, env = "FCTO_MODEL", default_value = "smollm2")]
    pub model: String,
    /// Environment variable holding the endpoint's API key
    #[arg(long, value_name = "VAR")]
    pub model_key_env: Option<String>,
    /// A GGUF instruct model for the embedded backend [default: SmolLM2-135M-Instruct under ~/.cache/fcto/models]
    #[arg(long, env = "FCTO_MODEL_PATH", value_name = "FILE")]
    pub model_path: Option<PathBuf>,
}

#[derive(Debug, Subcommand)]
pub enum KnowledgeCmd {
    /// Add or replace (by file name) Markdown or text documents
    Add {
        client: String,
        #[arg(required = true, value_name = "FILE")]
        files: Vec<PathBuf>,
    },
    /// The client's documents
    List { client: String },
}

#[derive(Debug, Subcommand)]
pub enum OsvCmd {
    /// Load OSV advisories: osv.dev's per-ecosystem all.zip, a folder of OSV
    /// JSON files or one file. All or nothing: one bad advisory and none is stored
    Import {
        #[arg(required = true, value_name = "FILE_OR_DIR")]
        sources: Vec<PathBuf>,
    },
    /// How many advisories are stored, per ecosystem, and how fresh they are
    Status,
}

#[derive(Debug, Subcommand)]
pub enum AuditCmd {
    /// Add a part no scanner can see (vendors, pipelines, backlog, skills, scorecard)
    Note {
        client: String,
        /// vendors, pipelines, backlog, skills or scorecard
        #[arg(long)]
        section: String,
        /// The note; several words are joined
        #[arg(required = true)]
        text: Vec<String>,
    },
    /// List a client's notes
    Notes { client: String },
    /// List a client's stored audits
    List { client: String },
    /// Render a stored audit again (the newest unless --id)
    Show {
        client: String,
        #[arg(long)]
        id: Option<i64>,
        /// md, html, json, cyclonedx or sarif
        #[arg(long, default_value = "md")]
        format: String,
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
    },
    /// What changed between two audits (the two newest unless --from/--to)
    Diff {
        client: String,
        #[arg(long)]
        from: Option<i64>,
        #[arg(long)]
        to: Option<i64>,
    },
}
