//! The scan: one Aho-Corasick pass over the bytes finds every rule's anchor
//! (a vendor prefix, `-----BEGIN `, `eyJ`, `://`, or a keyword of the generic
//! rule); each hit runs only its own validator on the bytes around it. No
//! regex runs over whole lines or files, so the cost is the automaton's pass
//! plus work proportional to the hits, and every look-around is bounded.

use aho_corasick::{AhoCorasick, AhoCorasickKind, MatchKind};

use crate::finding::{fingerprint, SecretFinding, Severity};
use crate::rules::{assign, azure, dburl, jwt, pem, tokens, RuleId};
use crate::text;

/// What a hit on an anchor asks to be checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Anchor {
    AwsKeyId,
    GcpKey,
    Stripe,
    GithubClassic,
    GithubPat,
    Gitlab,
    SlackToken,
    SlackHook,
    Sendgrid,
    SkDash,
    PemBegin,
    Jwt,
    UrlScheme,
    AzureAccountKey,
    AzureSharedKey,
    AzureSig,
    Keyword,
}

/// The anchors, matched case-sensitively. Every anchor is at least three
/// bytes and there are at most 64, so the automaton's SIMD prefilter
/// (Teddy) stays on: two-byte anchors or more patterns would switch it off
/// and cost half the speed. Families share one anchor (`xox`, `_live_`)
/// and the validator reads the rest. The generic rule's keywords are listed
/// in the three spellings code uses (lower, UPPER, Title); the validator
/// then reads the whole identifier around the hit, so `dbPassword` and
/// `DB_PASSWORD` are both found through `Pass`/`PASS`. Twilio's two-byte
/// `SK`/`AC` prefixes get their own substring passes (see `Scanner::scan`).
const ANCHORS: &[(&str, Anchor)] = &[
    ("AKIA", Anchor::AwsKeyId),
    ("ASIA", Anchor::AwsKeyId),
    ("ABIA", Anchor::AwsKeyId),
    ("ACCA", Anchor::AwsKeyId),
    ("AIza", Anchor::GcpKey),
    ("_live_", Anchor::Stripe),
    ("_test_", Anchor::Stripe),
    ("ghp_", Anchor::GithubClassic),
    ("gho_", Anchor::GithubClassic),
    ("ghu_", Anchor::GithubClassic),
    ("ghs_", Anchor::GithubClassic),
    ("ghr_", Anchor::GithubClassic),
    ("github_pat_", Anchor::GithubPat),
    ("glpat-", Anchor::Gitlab),
    ("gldt-", Anchor::Gitlab),
    ("glrt-", Anchor::Gitlab),
    ("glptt-", Anchor::Gitlab),
    ("xox", Anchor::SlackToken),
    ("hooks.slack.com/", Anchor::SlackHook),
    ("SG.", Anchor::Sendgrid),
    ("sk-", Anchor::SkDash),
    ("-----BEGIN ", Anchor::PemBegin),
    ("eyJ", Anchor::Jwt),
    ("://", Anchor::UrlScheme),
    ("AccountKey=", Anchor::AzureAccountKey),
    ("SharedAccessKey=", Anchor::AzureSharedKey),
    ("sig=", Anchor::AzureSig),
    ("pass", Anchor::Keyword),
    ("PASS", Anchor::Keyword),
    ("Pass", Anchor::Keyword),
    ("pwd", Anchor::Keyword),
    ("PWD", Anchor::Keyword),
    ("Pwd", Anchor::Keyword),
    ("secret", Anchor::Keyword),
    ("SECRET", Anchor::Keyword),
    ("Secret", Anchor::Keyword),
    ("token", Anchor::Keyword),
    ("TOKEN", Anchor::Keyword),
    ("Token", Anchor::Keyword),
    ("auth", Anchor::Keyword),
    ("AUTH", Anchor::Keyword),
    ("Auth", Anchor::Keyword),
    ("api", Anchor::Keyword),
    ("Api", Anchor::Keyword),
    ("API", Anchor::Keyword),
];

/// A validated value before line numbers and suppressions are attached.
#[derive(Debug)]
pub(crate) struct Candidate {
    pub start: usize,
    pub end: usize,
    pub rule: RuleId,
    pub severity: Severity,
    pub redacted: String,
    pub fingerprint: String,
}

/// The state one scan of one file shares with the validators.
pub(crate) struct Ctx<'a> {
    pub bytes: &'a [u8],
    /// The generic assignment rule runs (off for lockfiles and minified code).
    pub generic: bool,
    /// A programming-language source file: only quoted literals are values.
    pub code: bool,
    /// End of the last identifier the generic rule read, so a second
    /// keyword inside it (`AUTH_TOKEN`) is not read again.
    pub last_ident_end: usize,
    pub found: Vec<Candidate>,
    /// Bounds of the last line asked for, reused while hits stay on it.
    line_cache: Option<(usize, usize, bool)>,
    /// Bytes the context look-arounds (neighbouring lines) may still read,
    /// a fixed multiple of the file size, so hostile files stay linear.
    budget: usize,
}

/// How far a line is read either side of a hit; a longer line is "cut".
pub(crate) const LINE_WINDOW: usize = 4096;
/// A file with more findings than this is generated or hostile; the scan
/// stops there.
pub const MAX_FINDINGS_PER_FILE: usize = 10_000;

impl<'a> Ctx<'a> {
    pub fn new(bytes: &'a [u8], label: &str) -> Self {
        Ctx {
            bytes,
            generic: generic_rule_applies(label),
            code: is_code(label),
            last_ident_end: 0,
            found: Vec::new(),
            line_cache: None,
            budget: bytes.len().saturating_mul(4).saturating_add(1 << 18),
        }
    }

    /// The line around `pos` (see [`text::line_around`]), read at most once
    /// per window: hits on the same line reuse it.
    pub fn line(&mut self, pos: usize) -> (usize, usize, bool) {
        if let Some((start, end, cut)) = self.line_cache {
            if start <= pos && pos < end {
                return (start, end, cut);
            }
        }
        let found = text::line_around(self.bytes, pos, LINE_WINDOW);
        self.line_cache = Some(found);
        found
    }

    /// Takes `n` bytes from the look-around budget; false once it is spent.
    pub fn spend(&mut self, n: usize) -> bool {
        match self.budget.checked_sub(n) {
            Some(rest) => {
                self.budget = rest;
                true
            }
            None => false,
        }
    }

    /// Records a finding over `bytes[start..end]`; `value` is what the
    /// fingerprint covers (usually the same bytes).
    pub fn push(
        &mut self,
        rule: RuleId,
        start: usize,
        end: usize,
        severity: Severity,
        redacted: String,
        value: &[u8],
    ) {
        self.found.push(Candidate {
            start,
            end,
            rule,
            severity,
            redacted,
            fingerprint: fingerprint(rule.rule().id, value),
        });
    }
}

/// The secret scanner. Build it once; it is `Send + Sync` and `scan` takes
/// `&self`, so one instance serves every thread.
pub struct Scanner {
    automaton: AhoCorasick,
    twilio_key: memchr::memmem::Finder<'static>,
    twilio_sid: memchr::memmem::Finder<'static>,
}

impl Default for Scanner {
    fn default() -> Self {
        Self::new()
    }
}

impl std::fmt::Debug for Scanner {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Scanner")
            .field("anchors", &ANCHORS.len())
            .finish()
    }
}

impl Scanner {
    pub fn new() -> Self {
        let automaton = AhoCorasick::builder()
            .match_kind(MatchKind::LeftmostLongest)
            .kind(Some(AhoCorasickKind::DFA))
            .build(ANCHORS.iter().map(|(literal, _)| literal))
            .expect("the anchor set is static and small, so the automaton always builds");
        Scanner {
            automaton,
            twilio_key: memchr::memmem::Finder::new(b"SK"),
            twilio_sid: memchr::memmem::Finder::new(b"AC"),
        }
    }

    /// Every secret in `bytes`. `label` is the file's path, used only to
    /// recognise lockfiles and minified files (where the generic rule is
    /// off); it never appears in a finding. Text need not be UTF-8.
    pub fn scan(&self, label: &str, bytes: &[u8]) -> Vec<SecretFinding> {
        let mut ctx = Ctx::new(bytes, label);
        for hit in self.automaton.find_iter(bytes) {
            if ctx.found.len() >= MAX_FINDINGS_PER_FILE {
                break;
            }
            let Some((literal, anchor)) = ANCHORS.get(hit.pattern().as_usize()) else {
                continue;
            };
            dispatch(&mut ctx, *anchor, literal, hit.start(), hit.end());
        }
        // Twilio keys start with two letters; as automaton anchors they
        // would disable its prefilter, while these two substring searches
        // (rare upper-case pairs) cost a few percent.
        for start in self.twilio_key.find_iter(bytes) {
            if ctx.found.len() >= MAX_FINDINGS_PER_FILE {
                break;
            }
            tokens::twilio_api_key(&mut ctx, start);
        }
        for start in self.twilio_sid.find_iter(bytes) {
            if ctx.found.len() >= MAX_FINDINGS_PER_FILE {
                break;
            }
            tokens::twilio_account_sid(&mut ctx, start);
        }
        finish(bytes, ctx.found)
    }
}

fn dispatch(ctx: &mut Ctx, anchor: Anchor, literal: &'static str, start: usize, end: usize) {
    match anchor {
        Anchor::AwsKeyId => tokens::aws_key_id(ctx, literal, start),
        Anchor::GcpKey => tokens::gcp_api_key(ctx, literal, start),
        Anchor::Stripe => tokens::stripe(ctx, literal, start),
        Anchor::GithubClassic => tokens::github_classic(ctx, literal, start),
        Anchor::GithubPat => tokens::github_pat(ctx, literal, start),
        Anchor::Gitlab => tokens::gitlab(ctx, literal, start),
        Anchor::SlackToken => tokens::slack_token(ctx, start),
        Anchor::SlackHook => tokens::slack_webhook(ctx, start, end),
        Anchor::Sendgrid => tokens::sendgrid(ctx, literal, start),
        Anchor::SkDash => tokens::sk_dash(ctx, start),
        Anchor::PemBegin => pem::begin(ctx, start, end),
        Anchor::Jwt => jwt::check(ctx, start),
        Anchor::UrlScheme => dburl::check(ctx, start, end),
        Anchor::AzureAccountKey => azure::account_key(ctx, start, end),
        Anchor::AzureSharedKey => azure::shared_access_key(ctx, start, end),
        Anchor::AzureSig => azure::sas_signature(ctx, start, end),
        Anchor::Keyword => assign::keyword(ctx, start, end),
    }
}

/// Lockfiles hold hashes, not credentials; minified bundles and source maps
/// are one long line of code. The token rules still run on them.
fn generic_rule_applies(label: &str) -> bool {
    let name = label
        .rsplit(['/', '\\'])
        .next()
        .unwrap_or(label)
        .to_ascii_lowercase();
    const LOCKFILES: &[&str] = &[
        "package-lock.json",
        "npm-shrinkwrap.json",
        "yarn.lock",
        "pnpm-lock.yaml",
        "bun.lock",
        "go.sum",
        "cargo.lock",
        "poetry.lock",
        "pipfile.lock",
        "uv.lock",
        "pdm.lock",
        "composer.lock",
        "gemfile.lock",
        "packages.lock.json",
        "mix.lock",
        "pubspec.lock",
        "package.resolved",
        "gradle.lockfile",
    ];
    if LOCKFILES.contains(&name.as_str()) {
        return false;
    }
    !(name.ends_with(".min.js")
        || name.ends_with(".min.css")
        || name.ends_with(".min.mjs")
        || name.ends_with(".map"))
}

/// Source files of programming languages, where `token = value` with a
/// bare right-hand side is an expression. Shell, Dockerfiles, config and
/// docs are not: there a bare value is the literal.
fn is_code(label: &str) -> bool {
    const CODE: &[&str] = &[
        "py", "pyi", "js", "jsx", "mjs", "cjs", "ts", "tsx", "mts", "cts", "go", "rb", "php",
        "java", "kt", "kts", "scala", "cs", "fs", "vb", "rs", "swift", "c", "cc", "cpp", "cxx",
        "h", "hpp", "m", "mm", "dart", "lua", "ex", "exs", "erl", "clj", "groovy", "gradle", "pl",
        "pm", "r", "jl", "vue", "svelte", "zig", "nim", "hs", "ml", "elm",
    ];
    let name = label.rsplit(['/', '\\']).next().unwrap_or(label);
    match name.rsplit_once('.') {
        Some((stem, ext)) if !stem.is_empty() => CODE.iter().any(|c| c.eq_ignore_ascii_case(ext)),
        _ => false,
    }
}

/// Overlapping candidates (a JWT inside a `token = "…"` assignment, a key id
/// found by two anchors) keep the specific rule; then line, column and any
/// inline allow comment are attached in one forward pass.
fn finish(bytes: &[u8], mut found: Vec<Candidate>) -> Vec<SecretFinding> {
    if found.is_empty() {
        return Vec::new();
    }
    found.sort_by_key(|c| (c.start, std::cmp::Reverse(c.end)));
    let mut kept: Vec<Candidate> = Vec::with_capacity(found.len());
    for cand in found {
        match kept.last_mut() {
            Some(last) if cand.start < last.end => {
                let last_generic = last.rule == RuleId::GenericSecretAssignment;
                let cand_generic = cand.rule == RuleId::GenericSecretAssignment;
                if last_generic && !cand_generic {
                    *last = cand;
                }
            }
            _ => kept.push(cand),
        }
    }
    let allows = inline_allows(bytes);
    let mut lines = LineTracker::new(bytes);
    kept.into_iter()
        .map(|c| {
            let (line, column) = lines.locate(c.start);
            let rule = c.rule.rule();
            SecretFinding {
                rule_id: rule.id,
                title: rule.title,
                severity: c.severity,
                line,
                column,
                redacted: c.redacted,
                fingerprint: c.fingerprint,
                inline_allow: allows.get(&line).cloned(),
            }
        })
        .collect()
}

const ALLOW_MARKER: &[u8] = b"fcto:allow-secret";

/// Every `fcto:allow-secret <reason>` comment with a reason, by line: one
/// substring search over the file (nearly always finding none).
fn inline_allows(bytes: &[u8]) -> std::collections::HashMap<u32, String> {
    let mut allows = std::collections::HashMap::new();
    let mut lines = LineTracker::new(bytes);
    for at in memchr::memmem::find_iter(bytes, ALLOW_MARKER).take(MAX_FINDINGS_PER_FILE) {
        let (line, _) = lines.locate(at);
        let from = at + ALLOW_MARKER.len();
        let rest = text::slice(bytes, from, from.saturating_add(1024).min(bytes.len()));
        let end = memchr::memchr2(b'\n', b'\r', rest).unwrap_or(rest.len());
        if let Some(reason) = allow_reason(text::slice(rest, 0, end)) {
            allows.entry(line).or_insert(reason);
        }
    }
    allows
}

fn allow_reason(rest: &[u8]) -> Option<String> {
    let reason = String::from_utf8_lossy(rest);
    let reason = reason
        .trim()
        .trim_end_matches("*/")
        .trim_end_matches("-->")
        .trim_end_matches("#}")
        .trim();
    if reason.is_empty() {
        return None;
    }
    Some(reason.chars().take(200).collect())
}

/// Turns byte offsets (asked in increasing order) into 1-based line and
/// column, counting each byte once over the whole scan.
struct LineTracker<'a> {
    bytes: &'a [u8],
    pos: usize,
    line: u32,
    line_start: usize,
    /// Column of `pos` when `pos` is on the current line.
    column: u32,
}

impl<'a> LineTracker<'a> {
    fn new(bytes: &'a [u8]) -> Self {
        LineTracker {
            bytes,
            pos: 0,
            line: 1,
            line_start: 0,
            column: 1,
        }
    }

    fn locate(&mut self, target: usize) -> (u32, u32) {
        let target = target.min(self.bytes.len());
        if target < self.pos {
            // Candidates are sorted, so this does not happen; restart to stay correct.
            *self = LineTracker::new(self.bytes);
        }
        let span = text::slice(self.bytes, self.pos, target);
        for i in memchr::memchr2_iter(b'\n', b'\r', span) {
            let abs = self.pos + i;
            let is_crlf_cr = span.get(i) == Some(&b'\r') && text::at(self.bytes, abs + 1) == b'\n';
            if !is_crlf_cr {
                self.line = self.line.saturating_add(1);
                self.line_start = abs + 1;
            }
        }
        let from = self.pos.max(self.line_start);
        if from > self.pos || self.line_start > self.pos {
            self.column = 1;
        }
        let chars = text::slice(self.bytes, from, target)
            .iter()
            .filter(|&&b| (b & 0xC0) != 0x80)
            .count();
        self.column = self
            .column
            .saturating_add(u32::try_from(chars).unwrap_or(u32::MAX));
        self.pos = target;
        (self.line, self.column)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_tracker_counts_lf_crlf_and_cr() {
        let text = b"a\nb\r\nc\rd\xc3\xa9x";
        let mut t = LineTracker::new(text);
        assert_eq!(t.locate(0), (1, 1));
        assert_eq!(t.locate(2), (2, 1));
        assert_eq!(t.locate(5), (3, 1));
        assert_eq!(t.locate(7), (4, 1));
        assert_eq!(t.locate(10), (4, 3));
    }

    #[test]
    fn generic_rule_is_off_for_lockfiles_and_minified() {
        assert!(!generic_rule_applies("web/package-lock.json"));
        assert!(!generic_rule_applies("go.sum"));
        assert!(!generic_rule_applies("static/app.min.js"));
        assert!(generic_rule_applies("config/settings.py"));
    }

    #[test]
    fn scanner_is_send_and_sync() {
        fn assert_both<T: Send + Sync>() {}
        assert_both::<Scanner>();
    }
}
