//! `fcto review`: gather the files (a diff, a whole tree, or named files),
//! hand each to `fcto_review`, keep findings on changed lines, print.

use std::path::{Path, PathBuf};

use anyhow::{Context as _, Result};
use fcto_review::diff::{self, Change, ChangedFile};
use fcto_review::render;
use fcto_review::route::{self, FileKind};
use fcto_review::scale::{TableSize, TableSizes};
use fcto_review::{Finding, ReviewConfig, Severity, Warning};
use serde::Serialize;

use crate::cli::ReviewArgs;
use crate::error::EXIT_FINDINGS;
use crate::git::Repo;
use crate::output::Output;
use crate::{user_error, Ctx};

/// Files larger than this are listed as not reviewed (generated or data).
const MAX_FILE_BYTES: u64 = 16 * 1024 * 1024;

#[derive(Serialize)]
struct ReviewResult {
    base: Option<String>,
    head: Option<String>,
    files_reviewed: usize,
    errors: usize,
    warnings: usize,
    notes: usize,
    findings: Vec<Finding>,
    /// Parts that could not be reviewed (unparseable statements, binary or
    /// oversized files), each with its place.
    not_reviewed: Vec<Warning>,
}

/// One file to review: its path as shown, and where its bytes come from.
struct Input {
    path: String,
    bytes: Option<Vec<u8>>,
}

pub async fn run(_ctx: &Ctx, args: ReviewArgs) -> Result<Output> {
    let format = args.format.as_str();
    if !["text", "json", "sarif", "github", "markdown", "md"].contains(&format) {
        return Err(user_error(format!(
            "invalid format: {format:?} is not one of text, json, sarif, github, markdown"
        )));
    }
    let fail_on = match args.fail_on.as_str() {
        "never" => None,
        other => Some(Severity::parse(other).ok_or_else(|| {
            user_error(format!(
                "invalid --fail-on: {other:?} is not one of note, warning, error, never"
            ))
        })?),
    };

    let mut warnings = Vec::new();
    let (inputs, changed, base, head, config_root) = if !args.files.is_empty() {
        if args.all || args.base.is_some() || args.worktree {
            return Err(user_error(
                "FILE arguments review whole files; they do not combine with --all, --base or --worktree",
            ));
        }
        let inputs = args
            .files
            .iter()
            .map(|p| read_input(p, &p.display().to_string(), &mut warnings))
            .collect();
        (inputs, None, None, None, args.repo.clone())
    } else if args.all {
        if !args.repo.is_dir() {
            return Err(user_error(format!(
                "{}: no such directory",
                args.repo.display()
            )));
        }
        let inputs = walk_tree(&args.repo, &mut warnings);
        (inputs, None, None, None, args.repo.clone())
    } else {
        let repo = Repo::open(&args.repo)?;
        let head = repo.commit(&args.head)?;
        let base = match &args.base {
            Some(rev) => repo.commit(rev)?,
            None => repo.default_base(&head)?,
        };
        let diff_text = repo.diff(&base, (!args.worktree).then_some(head.as_str()))?;
        let mut changed = diff::parse_unified(&diff_text)
            .map_err(|e| user_error(format!("reading git's diff: {e}")))?;
        if args.worktree {
            for path in repo.untracked()? {
                changed.push(ChangedFile {
                    path,
                    change: Change::Added,
                    binary: false,
                    added: Vec::new(),
                });
            }
        }
        let wanted: Vec<String> = changed
            .iter()
            .filter(|c| c.change != Change::Deleted && route::kind_of(&c.path) != FileKind::Other)
            .map(|c| c.path.clone())
            .collect();
        let inputs: Vec<Input> = if args.worktree {
            wanted
                .iter()
                .map(|p| read_input(&repo.root.join(p), p, &mut warnings))
                .collect()
        } else {
            let contents = repo.contents_at(&head, &wanted)?;
            wanted
                .into_iter()
                .zip(contents)
                .map(|(path, bytes)| Input { path, bytes })
                .collect()
        };
        let head_shown = if args.worktree {
            "(work tree)".to_string()
        } else {
            head
        };
        (
            inputs,
            Some(changed),
            Some(base),
            Some(head_shown),
            repo.root,
        )
    };

    let mut config = load_config(&config_root)?;
    if let Some(dialect) = &args.dialect {
        config.dialect = ReviewConfig::parse("--dialect", &format!("dialect = {dialect:?}"))
            .map_err(|_| {
                user_error(format!(
                    "invalid --dialect: {dialect:?} is not one of postgres, mysql, sqlite"
                ))
            })?
            .dialect;
    }
    let sizes = table_sizes(&args, &config).await?;

    let progress = progress_bar(inputs.len() as u64);
    let mut findings = Vec::new();
    let mut reviewed = 0usize;
    for input in &inputs {
        progress.inc(1);
        let Some(bytes) = &input.bytes else {
            continue;
        };
        if bytes.iter().take(8000).any(|b| *b == 0) {
            warnings.push(warning(&input.path, "binary file, not reviewed".into()));
            continue;
        }
        let text = String::from_utf8_lossy(bytes);
        reviewed += 1;
        let review = route::review_file(&input.path, &text, &config, &sizes);
        let keep = |f: &Finding| match &changed {
            None => true,
            Some(changed) => changed
                .iter()
                .any(|c| c.path == f.path && c.has_line(f.line)),
        };
        findings.extend(review.findings.into_iter().filter(keep));
        warnings.extend(review.warnings);
    }
    progress.finish_and_clear();
    render::sort(&mut findings);

    let count = |s| findings.iter().filter(|f| f.severity == s).count();
    let result = ReviewResult {
        base,
        head,
        files_reviewed: reviewed,
        errors: count(Severity::Error),
        warnings: count(Severity::Warning),
        notes: count(Severity::Note),
        findings,
        not_reviewed: warnings,
    };
    let failed = fail_on.is_some_and(|level| result.findings.iter().any(|f| f.severity >= level));
    let version = env!("CARGO_PKG_VERSION");
    let mut out = match format {
        "sarif" => {
            let doc = render::sarif(&result.findings, version);
            Output::new(&doc, serde_json::to_string_pretty(&doc)?)?
        }
        "github" => {
            let doc = render::github_review(
                &result.findings,
                changed.as_deref().unwrap_or(&[]),
                result.head.as_deref().unwrap_or(""),
            );
            Output::new(&doc, serde_json::to_string_pretty(&doc)?)?
        }
        "json" => Output::new(&result, serde_json::to_string_pretty(&result)?)?,
        "markdown" | "md" => Output::new(
            &result,
            render::markdown(&result.findings, &result.not_reviewed, reviewed),
        )?,
        _ => Output::new(
            &result,
            render::text(&result.findings, &result.not_reviewed, reviewed),
        )?,
    };
    if failed {
        out.exit_code = EXIT_FINDINGS;
    }
    Ok(out)
}

fn warning(path: &str, message: String) -> Warning {
    Warning {
        path: path.to_string(),
        line: 0,
        column: 0,
        message,
    }
}

fn read_input(path: &Path, shown: &str, warnings: &mut Vec<Warning>) -> Input {
    let bytes = match std::fs::metadata(path) {
        Ok(meta) if meta.len() > MAX_FILE_BYTES => {
            warnings.push(warning(
                shown,
                format!(
                    "{} MiB is over the {} MiB limit, not reviewed",
                    meta.len() / 1024 / 1024,
                    MAX_FILE_BYTES / 1024 / 1024
                ),
            ));
            None
        }
        Ok(_) => match std::fs::read(path) {
            Ok(bytes) => Some(bytes),
            Err(err) => {
                warnings.push(warning(shown, format!("cannot read: {err}")));
                None
            }
        },
        Err(err) => {
            warnings.push(warning(shown, format!("cannot read: {err}")));
            None
        }
    };
    Input {
        path: shown.to_string(),
        bytes,
    }
}

/// Every reviewable file under `root`, honouring .gitignore; paths shown
/// relative to `root`.
fn walk_tree(root: &Path, warnings: &mut Vec<Warning>) -> Vec<Input> {
    let mut inputs = Vec::new();
    for entry in ignore::WalkBuilder::new(root).build() {
        let entry = match entry {
            Ok(entry) => entry,
            Err(err) => {
                warnings.push(warning(&root.display().to_string(), err.to_string()));
                continue;
            }
        };
        if !entry.file_type().is_some_and(|t| t.is_file()) {
            continue;
        }
        let relative = entry.path().strip_prefix(root).unwrap_or(entry.path());
        let shown = relative.to_string_lossy().replace('\\', "/");
        if route::kind_of(&shown) == FileKind::Other {
            continue;
        }
        inputs.push(read_input(entry.path(), &shown, warnings));
    }
    inputs.sort_by(|a, b| a.path.cmp(&b.path));
    inputs
}

fn load_config(root: &Path) -> Result<ReviewConfig> {
    let path: PathBuf = root.join(".fcto").join("review.toml");
    match std::fs::read_to_string(&path) {
        Ok(text) => ReviewConfig::parse(&path.display().to_string(), &text)
            .map_err(|e| user_error(e.to_string())),
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => Ok(ReviewConfig::default()),
        Err(err) => Err(err).with_context(|| format!("reading {}", path.display())),
    }
}

async fn table_sizes(args: &ReviewArgs, config: &ReviewConfig) -> Result<TableSizes> {
    let mut sizes = match &args.table_sizes {
        Some(path) => {
            let text = std::fs::read_to_string(path)
                .with_context(|| format!("reading {}", path.display()))?;
            TableSizes::parse(&path.display().to_string(), &text)
                .map_err(|e| user_error(e.to_string()))?
        }
        None => TableSizes::new(),
    };
    sizes.merge_config(config);
    if let Some(url) = &args.database_url {
        let tables = fcto_store::catalog::postgres_table_sizes(url)
            .await
            .context("reading table sizes (--database-url)")?;
        for t in tables {
            sizes.insert(
                &format!("{}.{}", t.schema, t.table),
                TableSize {
                    rows: t.rows,
                    bytes: Some(t.bytes),
                },
            );
        }
    }
    Ok(sizes)
}

fn progress_bar(len: u64) -> indicatif::ProgressBar {
    if len < 200 {
        return indicatif::ProgressBar::hidden();
    }
    let bar = indicatif::ProgressBar::new(len);
    if let Ok(style) =
        indicatif::ProgressStyle::with_template("reviewing {bar:30} {pos}/{len} files")
    {
        bar.set_style(style);
    }
    bar
}
