//! The facts parsers produce: plain data, serialisable, each with the file
//! (the caller's label) and the 1-based line it came from.

use serde::Serialize;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "fact", rename_all = "snake_case")]
pub enum Fact {
    Image(Image),
    Dockerfile(Dockerfile),
    Service(Service),
    PublicHost(PublicHost),
    ConfigRef(ConfigRef),
    CloudResource(CloudResource),
    Provider(Provider),
    Module(Module),
    HelmChart(HelmChart),
    Pipeline(Pipeline),
    Database(Database),
}

impl Fact {
    pub fn file(&self) -> &str {
        match self {
            Fact::Image(f) => &f.file,
            Fact::Dockerfile(f) => &f.file,
            Fact::Service(f) => &f.file,
            Fact::PublicHost(f) => &f.file,
            Fact::ConfigRef(f) => &f.file,
            Fact::CloudResource(f) => &f.file,
            Fact::Provider(f) => &f.file,
            Fact::Module(f) => &f.file,
            Fact::HelmChart(f) => &f.file,
            Fact::Pipeline(f) => &f.file,
            Fact::Database(f) => &f.file,
        }
    }
}

/// Where an image reference was found; decides which warnings apply.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ImageUse {
    /// `FROM` in a Dockerfile.
    DockerfileBase,
    Compose,
    Kubernetes,
    HelmValues,
    HelmTemplate,
    /// A CI job's container (GitLab `image:`, CircleCI docker executor...).
    Ci,
    /// A platform config (fly.toml `[build] image`, render.yaml `image`).
    Platform,
}

impl ImageUse {
    /// Manifests that describe what runs in production, where a tag can be
    /// moved under you and only a digest pins the bytes.
    pub fn is_production_manifest(self) -> bool {
        matches!(
            self,
            ImageUse::Kubernetes | ImageUse::HelmValues | ImageUse::HelmTemplate
        )
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Image {
    pub file: String,
    pub line: u32,
    pub used_in: ImageUse,
    /// The reference as written, after `ARG` substitution in Dockerfiles.
    pub reference: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub registry: Option<String>,
    /// Repository path without registry, tag or digest (`library/` dropped).
    pub name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tag: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub digest: Option<String>,
    /// The reference still holds a variable we could not resolve.
    #[serde(skip_serializing_if = "is_false")]
    pub unresolved: bool,
    /// Dockerfile: the stage this `FROM` starts (`AS name`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub stage: Option<String>,
    /// Dockerfile: this `FROM` starts the last stage, the one that ships.
    #[serde(skip_serializing_if = "is_false")]
    pub final_stage: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub platform: Option<String>,
    /// The service, workload or job that runs the image.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub owner: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Dockerfile {
    pub file: String,
    pub line: u32,
    pub stages: u32,
    /// The final stage's base, as written after substitution.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub base: Option<String>,
    /// The last `USER` of the final stage.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub user: Option<String>,
    pub expose: Vec<String>,
    pub healthcheck: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub entrypoint: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cmd: Option<String>,
}

/// Where a service runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Platform {
    DockerCompose,
    Kubernetes,
    Fly,
    Render,
    Heroku,
    AppEngine,
    Serverless,
    Vercel,
    Netlify,
    Railway,
    Aws,
    Gcp,
    Azure,
    DigitalOcean,
    Cloudflare,
    Other,
}

impl Platform {
    pub fn display(self) -> &'static str {
        match self {
            Platform::DockerCompose => "Docker Compose",
            Platform::Kubernetes => "Kubernetes",
            Platform::Fly => "Fly.io",
            Platform::Render => "Render",
            Platform::Heroku => "Heroku (Procfile)",
            Platform::AppEngine => "Google App Engine",
            Platform::Serverless => "Serverless Framework",
            Platform::Vercel => "Vercel",
            Platform::Netlify => "Netlify",
            Platform::Railway => "Railway",
            Platform::Aws => "AWS",
            Platform::Gcp => "Google Cloud",
            Platform::Azure => "Azure",
            Platform::DigitalOcean => "DigitalOcean",
            Platform::Cloudflare => "Cloudflare",
            Platform::Other => "other",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Service {
    pub file: String,
    pub line: u32,
    pub name: String,
    pub platform: Platform,
    /// What the platform calls it: Deployment, web, worker, function...
    #[serde(skip_serializing_if = "Option::is_none")]
    pub role: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub region: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub runtime: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub image: Option<String>,
    /// The Dockerfile it is built from, as a path relative to the scanned
    /// root when it can be resolved, else the build context as written.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub build: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub ports: Vec<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub talks_to: Vec<Link>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub networks: Vec<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub profiles: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub command: Option<String>,
    #[serde(skip_serializing_if = "is_false")]
    pub privileged: bool,
    #[serde(skip_serializing_if = "is_false")]
    pub host_network: bool,
}

impl Service {
    pub fn new(file: &str, line: u32, name: &str, platform: Platform) -> Self {
        Service {
            file: file.to_string(),
            line,
            name: name.to_string(),
            platform,
            role: None,
            region: None,
            runtime: None,
            image: None,
            build: None,
            ports: Vec::new(),
            talks_to: Vec::new(),
            networks: Vec::new(),
            profiles: Vec::new(),
            command: None,
            privileged: false,
            host_network: false,
        }
    }

    /// Adds a link unless the same target is already there.
    pub fn link(&mut self, link: Link) {
        if !self
            .talks_to
            .iter()
            .any(|l| l.target == link.target && l.kind == link.kind)
        {
            self.talks_to.push(link);
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum LinkKind {
    /// Another service of the same file or platform.
    Service,
    /// A database, cache, queue or search engine, by URL scheme or image.
    Datastore,
    /// A host outside the stack (an HTTP API, a managed service).
    ExternalHost,
    /// A ConfigMap or Secret (by name; values are never read).
    Config,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Link {
    pub target: String,
    pub kind: LinkKind,
    /// How we know: `depends_on`, `links`, `env DATABASE_URL`...
    pub via: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub engine: Option<String>,
}

/// A host name the outside world reaches a service at.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PublicHost {
    pub file: String,
    pub line: u32,
    pub host: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub service: Option<String>,
    pub platform: Platform,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ConfigRef {
    pub file: String,
    pub line: u32,
    /// `ConfigMap` or `Secret`.
    pub kind: String,
    pub name: String,
}

/// What a cloud resource is for, across providers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Family {
    Database,
    Cache,
    Queue,
    Stream,
    Search,
    Warehouse,
    Serverless,
    Container,
    Kubernetes,
    AppPlatform,
    Compute,
    Storage,
    Cdn,
    Dns,
    Network,
    Identity,
    Secrets,
    Monitoring,
    Registry,
    ApiGateway,
    Email,
    Other,
}

impl Family {
    /// Families that run an application's code, so count as services.
    pub fn runs_code(self) -> bool {
        matches!(
            self,
            Family::Serverless | Family::Container | Family::AppPlatform
        )
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CloudResource {
    pub file: String,
    pub line: u32,
    /// Provider prefix of the type: `aws`, `google`, `azurerm`...
    pub provider: String,
    pub resource_type: String,
    pub name: String,
    pub family: Family,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub engine: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub region: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub runtime: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Provider {
    pub file: String,
    pub line: u32,
    pub name: String,
    /// Registry address from `required_providers` (`hashicorp/aws`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub region: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub alias: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Module {
    pub file: String,
    pub line: u32,
    pub name: String,
    pub source: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct HelmChart {
    pub file: String,
    pub line: u32,
    pub name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub app_version: Option<String>,
    pub dependencies: Vec<ChartDependency>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ChartDependency {
    pub name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub repository: Option<String>,
    pub line: u32,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CiSystem {
    GithubActions,
    GitlabCi,
    CircleCi,
    Bitbucket,
    AzurePipelines,
    Jenkins,
}

impl CiSystem {
    pub fn display(self) -> &'static str {
        match self {
            CiSystem::GithubActions => "GitHub Actions",
            CiSystem::GitlabCi => "GitLab CI",
            CiSystem::CircleCi => "CircleCI",
            CiSystem::Bitbucket => "Bitbucket Pipelines",
            CiSystem::AzurePipelines => "Azure Pipelines",
            CiSystem::Jenkins => "Jenkins",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Pipeline {
    pub file: String,
    pub line: u32,
    pub system: CiSystem,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub stages: Vec<String>,
    /// Reusable pieces the whole pipeline pulls in (CircleCI orbs).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub imports: Vec<ActionUse>,
    pub jobs: Vec<Job>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Job {
    pub name: String,
    pub line: u32,
    /// Runner labels, executors or agent pools.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub runs_on: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub image: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub uses: Vec<ActionUse>,
    /// Where the job ships to, inferred from well-known actions and commands.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub deploys_to: Vec<String>,
}

/// How firmly a reused action, orb or pipe is pinned.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Pin {
    /// A full 40-hex commit SHA: the code cannot change under you.
    Sha,
    /// A tag or version (`v4`, `1.2.3`): the owner can move it.
    Tag,
    /// A branch name (`main`, `master`).
    Branch,
    /// No reference at all.
    None,
    /// A path in the same repository.
    Local,
    /// A container image (`docker://...`), pinned if it has a digest.
    Docker,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ActionUse {
    pub uses: String,
    pub line: u32,
    pub pin: Pin,
    /// Published by the CI vendor itself (`actions/`, `github/`, `circleci/`,
    /// `atlassian/`).
    pub first_party: bool,
}

/// What kind of store an engine is; the audit's Data section groups by it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum StoreKind {
    Relational,
    Document,
    KeyValue,
    Cache,
    Search,
    Queue,
    Stream,
    Warehouse,
    Graph,
    TimeSeries,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Database {
    pub file: String,
    pub line: u32,
    pub engine: String,
    pub kind: StoreKind,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
    /// How we know: `image postgres:16`, `terraform aws_db_instance.main`,
    /// `env DATABASE_URL`, `render database`...
    pub evidence: String,
    /// The service or resource that holds it, when there is one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
}

fn is_false(b: &bool) -> bool {
    !*b
}
