//! Which infrastructure format a file is, from its path and the first few KB
//! of its content. Cheap: path rules first; content sniffing only for YAML
//! files no path rule claims, and only over the head the caller passes.

use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum InfraKind {
    Dockerfile,
    Compose,
    Kubernetes,
    HelmChart,
    HelmValues,
    /// A file under a chart's `templates/`: Go templates, not YAML.
    HelmTemplate,
    Terraform,
    GithubActions,
    GitlabCi,
    CircleCi,
    Bitbucket,
    AzurePipelines,
    Jenkins,
    Serverless,
    Vercel,
    Netlify,
    Fly,
    Render,
    Procfile,
    AppEngine,
    /// Heroku's `app.json`.
    HerokuApp,
    Railway,
}

impl InfraKind {
    pub const ALL: [InfraKind; 22] = [
        InfraKind::Dockerfile,
        InfraKind::Compose,
        InfraKind::Kubernetes,
        InfraKind::HelmChart,
        InfraKind::HelmValues,
        InfraKind::HelmTemplate,
        InfraKind::Terraform,
        InfraKind::GithubActions,
        InfraKind::GitlabCi,
        InfraKind::CircleCi,
        InfraKind::Bitbucket,
        InfraKind::AzurePipelines,
        InfraKind::Jenkins,
        InfraKind::Serverless,
        InfraKind::Vercel,
        InfraKind::Netlify,
        InfraKind::Fly,
        InfraKind::Render,
        InfraKind::Procfile,
        InfraKind::AppEngine,
        InfraKind::HerokuApp,
        InfraKind::Railway,
    ];
}

/// Bytes of a file's start worth passing to [`classify`].
pub const HEAD_BYTES: usize = 4096;

/// The infrastructure kind of a file, or `None` for files this crate does
/// not read. `rel_path` uses `/` separators.
pub fn classify(rel_path: &str, head: &[u8]) -> Option<InfraKind> {
    let name = rel_path.rsplit('/').next().unwrap_or(rel_path);
    let lower = name.to_ascii_lowercase();
    let parent = parent_dir(rel_path);
    let is_yaml = lower.ends_with(".yml") || lower.ends_with(".yaml");

    if name == "Dockerfile"
        || name == "Containerfile"
        || lower.starts_with("dockerfile.") && !lower.ends_with(".dockerignore")
        || lower.ends_with(".dockerfile")
        || lower.starts_with("containerfile.")
    {
        return Some(InfraKind::Dockerfile);
    }
    if is_yaml
        && (lower.starts_with("docker-compose")
            || lower.starts_with("compose.")
            || lower.starts_with("compose-"))
    {
        return Some(InfraKind::Compose);
    }
    if name == "Chart.yaml" || name == "Chart.yml" {
        return Some(InfraKind::HelmChart);
    }
    if lower.ends_with(".tf") {
        return Some(InfraKind::Terraform);
    }
    if is_yaml && (parent.ends_with(".github/workflows") || parent == ".github/workflows") {
        return Some(InfraKind::GithubActions);
    }
    if lower == ".gitlab-ci.yml" || lower == ".gitlab-ci.yaml" || lower.ends_with(".gitlab-ci.yml")
    {
        return Some(InfraKind::GitlabCi);
    }
    if is_yaml
        && lower.starts_with("config.")
        && (parent == ".circleci" || parent.ends_with("/.circleci"))
    {
        return Some(InfraKind::CircleCi);
    }
    if lower == "bitbucket-pipelines.yml" || lower == "bitbucket-pipelines.yaml" {
        return Some(InfraKind::Bitbucket);
    }
    if lower == "azure-pipelines.yml" || lower == "azure-pipelines.yaml" {
        return Some(InfraKind::AzurePipelines);
    }
    if name == "Jenkinsfile" || lower.ends_with(".jenkinsfile") {
        return Some(InfraKind::Jenkins);
    }
    if lower == "serverless.yml" || lower == "serverless.yaml" {
        return Some(InfraKind::Serverless);
    }
    match lower.as_str() {
        "vercel.json" => return Some(InfraKind::Vercel),
        "netlify.toml" => return Some(InfraKind::Netlify),
        "fly.toml" => return Some(InfraKind::Fly),
        "render.yaml" | "render.yml" => return Some(InfraKind::Render),
        "railway.json" | "railway.toml" => return Some(InfraKind::Railway),
        _ => {}
    }
    if name == "Procfile" || lower.starts_with("procfile.") && !lower.ends_with(".md") {
        return Some(InfraKind::Procfile);
    }
    let head = std::str::from_utf8(head).unwrap_or_else(|e| {
        // A head cut inside a UTF-8 sequence is still useful up to the cut.
        std::str::from_utf8(&head[..e.valid_up_to()]).unwrap_or("")
    });
    if lower == "app.json" {
        let heroku = ["\"buildpacks\"", "\"addons\"", "\"formation\"", "\"stack\""]
            .iter()
            .any(|k| head.contains(k));
        return (heroku && !head.contains("\"expo\"")).then_some(InfraKind::HerokuApp);
    }
    if (lower == "app.yaml" || lower == "app.yml") && has_top_key(head, "runtime") {
        return Some(InfraKind::AppEngine);
    }
    if is_under_templates(rel_path) && is_yaml {
        return Some(InfraKind::HelmTemplate);
    }
    if is_yaml {
        let values_file = lower.starts_with("values.") || lower.starts_with("values-");
        if values_file && !has_top_key(head, "apiVersion") {
            return Some(InfraKind::HelmValues);
        }
        if has_top_key(head, "apiVersion") && has_top_key(head, "kind") {
            if head.contains("{{") {
                return Some(InfraKind::HelmTemplate);
            }
            return Some(InfraKind::Kubernetes);
        }
    }
    None
}

fn parent_dir(rel_path: &str) -> &str {
    rel_path.rsplit_once('/').map_or("", |(p, _)| p)
}

fn is_under_templates(rel_path: &str) -> bool {
    rel_path.starts_with("templates/") || rel_path.contains("/templates/")
}

/// A `key:` at column 0 (or after a `---` marker line) in the head.
fn has_top_key(head: &str, key: &str) -> bool {
    head.lines().any(|l| {
        l.strip_prefix(key)
            .is_some_and(|r| r.trim_start_matches([' ', '\t']).starts_with(':'))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use InfraKind::*;

    #[test]
    fn paths_and_heads() {
        let cases: &[(&str, &str, Option<InfraKind>)] = &[
            ("Dockerfile", "", Some(Dockerfile)),
            ("api/Dockerfile.prod", "", Some(Dockerfile)),
            ("build/web.Dockerfile", "", Some(Dockerfile)),
            ("Containerfile", "", Some(Dockerfile)),
            ("docker-compose.override.yml", "", Some(Compose)),
            ("deploy/compose.yaml", "", Some(Compose)),
            ("charts/api/Chart.yaml", "", Some(HelmChart)),
            ("charts/api/values.yaml", "image:\n", Some(HelmValues)),
            ("charts/api/values-prod.yaml", "image:\n", Some(HelmValues)),
            (
                "charts/api/templates/deployment.yaml",
                "apiVersion: apps/v1\n",
                Some(HelmTemplate),
            ),
            ("charts/api/templates/_helpers.tpl", "", None),
            ("infra/main.tf", "", Some(Terraform)),
            (".github/workflows/ci.yml", "", Some(GithubActions)),
            ("sub/.github/workflows/ci.yaml", "", Some(GithubActions)),
            (".github/dependabot.yml", "", None),
            (".gitlab-ci.yml", "", Some(GitlabCi)),
            (".circleci/config.yml", "", Some(CircleCi)),
            ("bitbucket-pipelines.yml", "", Some(Bitbucket)),
            ("azure-pipelines.yml", "", Some(AzurePipelines)),
            ("Jenkinsfile", "", Some(Jenkins)),
            ("serverless.yml", "", Some(Serverless)),
            ("vercel.json", "", Some(Vercel)),
            ("netlify.toml", "", Some(Netlify)),
            ("fly.toml", "", Some(Fly)),
            ("render.yaml", "", Some(Render)),
            ("Procfile", "", Some(Procfile)),
            ("app.yaml", "runtime: python312\n", Some(AppEngine)),
            ("app.yaml", "name: x\n", None),
            (
                "app.json",
                "{\"name\":\"x\",\"addons\":[]}",
                Some(HerokuApp),
            ),
            ("app.json", "{\"expo\":{\"name\":\"x\"}}", None),
            ("railway.toml", "", Some(Railway)),
            (
                "k8s/deploy.yaml",
                "---\napiVersion: apps/v1\nkind: Deployment\n",
                Some(Kubernetes),
            ),
            (
                "k8s/deploy.yaml",
                "apiVersion: v1\nkind: {{ .Values.kind }}\n",
                Some(HelmTemplate),
            ),
            ("config/settings.yaml", "name: x\nkind: y\n", None),
            ("src/main.rs", "apiVersion:\nkind:\n", None),
        ];
        for (path, head, want) in cases {
            assert_eq!(classify(path, head.as_bytes()), *want, "{path}");
        }
    }
}
