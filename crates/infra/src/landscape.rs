//! The summary across files: services -> where they run -> what they talk
//! to, and the CI systems, clouds and databases in use.
//!
//! Services merge by name, and also when they are built from the same
//! Dockerfile (a compose `web` and the fly.toml beside its Dockerfile are
//! one deployable): the first name seen wins, the others become aliases.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

use serde::Serialize;

use crate::fact::{CiSystem, Fact, Family, LinkKind, Pin, Platform, Service, StoreKind};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Default)]
pub struct Landscape {
    pub services: Vec<LandscapeService>,
    pub ci: Vec<CiUse>,
    pub clouds: Vec<CloudUse>,
    pub databases: Vec<DatabaseUse>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LandscapeService {
    pub name: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub aliases: Vec<String>,
    pub runs_on: Vec<Placement>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub images: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub built_from: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub base_image: Option<String>,
    pub talks_to: Vec<Talk>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub exposed_at: Vec<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub deployed_by: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Placement {
    pub platform: Platform,
    /// Human wording: `Fly.io (lhr)`.
    pub display: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub region: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub role: Option<String>,
    pub source: String,
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Talk {
    pub target: String,
    pub kind: LinkKind,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub engine: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CiUse {
    pub system: CiSystem,
    pub files: Vec<String>,
    pub jobs: usize,
    pub runners: Vec<String>,
    pub deploys_to: Vec<String>,
    /// Reused actions/orbs not pinned to a commit (or version, for orbs).
    pub unpinned: usize,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CloudUse {
    pub provider: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub versions: Vec<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub regions: Vec<String>,
    pub resources: usize,
    pub families: BTreeMap<Family, usize>,
    pub files: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DatabaseUse {
    pub engine: String,
    pub kind: StoreKind,
    pub versions: Vec<String>,
    /// `file:line (evidence)`.
    pub sources: Vec<String>,
}

fn cloud_platform(provider: &str) -> Platform {
    match provider {
        "aws" => Platform::Aws,
        "google" => Platform::Gcp,
        "azurerm" => Platform::Azure,
        "digitalocean" => Platform::DigitalOcean,
        "cloudflare" => Platform::Cloudflare,
        "heroku" => Platform::Heroku,
        "fly" => Platform::Fly,
        "render" => Platform::Render,
        "vercel" => Platform::Vercel,
        "railway" => Platform::Railway,
        _ => Platform::Other,
    }
}

/// The platform a CI deploy target ships to, for `deployed_by`.
fn target_platform(target: &str) -> Option<Platform> {
    Some(match target {
        "Fly.io" => Platform::Fly,
        "Vercel" => Platform::Vercel,
        "Netlify" => Platform::Netlify,
        "Heroku" => Platform::Heroku,
        "Render" => Platform::Render,
        "Railway" => Platform::Railway,
        "Google App Engine" => Platform::AppEngine,
        "Kubernetes" | "Google Kubernetes Engine" => Platform::Kubernetes,
        "AWS Lambda (Serverless)" => Platform::Serverless,
        t if t.starts_with("AWS") => Platform::Aws,
        t if t.starts_with("Google Cloud") => Platform::Gcp,
        t if t.starts_with("Azure") => Platform::Azure,
        t if t.starts_with("Cloudflare") => Platform::Cloudflare,
        t if t.starts_with("DigitalOcean") => Platform::DigitalOcean,
        _ => return None,
    })
}

pub fn landscape(facts: &[Fact]) -> Landscape {
    let mut services: Vec<LandscapeService> = Vec::new();
    let mut seen: Vec<Seen> = Vec::new();
    let mut by_name: HashMap<String, usize> = HashMap::new();
    let provider_regions: BTreeMap<&str, &str> = facts
        .iter()
        .filter_map(|f| match f {
            Fact::Provider(p) => p.region.as_deref().map(|r| (p.name.as_str(), r)),
            _ => None,
        })
        .collect();

    for f in facts {
        match f {
            Fact::Service(s) => add(s, &mut services, &mut seen, &mut by_name),
            Fact::CloudResource(r) if r.family.runs_code() && !is_scaffolding(&r.resource_type) => {
                let mut s = Service::new(&r.file, r.line, &r.name, cloud_platform(&r.provider));
                s.role = Some(r.resource_type.clone());
                s.runtime = r.runtime.clone();
                s.region = r.region.clone().or_else(|| {
                    provider_regions
                        .get(r.provider.as_str())
                        .map(|s| s.to_string())
                });
                add(&s, &mut services, &mut seen, &mut by_name);
            }
            _ => {}
        }
    }

    // Base images of the Dockerfiles services are built from.
    for s in &mut services {
        if let Some(path) = &s.built_from {
            s.base_image = facts.iter().find_map(|f| match f {
                Fact::Dockerfile(d) if &d.file == path => d.base.clone(),
                _ => None,
            });
        }
    }
    // Engines of sibling services that are databases (`db` runs postgres).
    let engine_of_service: BTreeMap<&str, &str> = facts
        .iter()
        .filter_map(|f| match f {
            Fact::Database(d) if d.evidence.starts_with("image ") => {
                d.name.as_deref().map(|n| (n, d.engine.as_str()))
            }
            _ => None,
        })
        .collect();
    for s in &mut services {
        for t in &mut s.talks_to {
            if t.engine.is_none() && t.kind == LinkKind::Service {
                t.engine = engine_of_service
                    .get(t.target.as_str())
                    .map(|e| e.to_string());
            }
        }
    }
    for f in facts {
        if let Fact::PublicHost(h) = f {
            let target = h.service.as_deref();
            if let Some(s) = services
                .iter_mut()
                .find(|s| Some(s.name.as_str()) == target)
            {
                if !s.exposed_at.contains(&h.host) {
                    s.exposed_at.push(h.host.clone());
                }
            }
        }
    }
    // CI jobs deploying to a platform a service runs on.
    for f in facts {
        let Fact::Pipeline(p) = f else { continue };
        for job in &p.jobs {
            for target in &job.deploys_to {
                let Some(platform) = target_platform(target) else {
                    continue;
                };
                let by = format!("{} job {} ({})", p.system.display(), job.name, p.file);
                for s in services
                    .iter_mut()
                    .filter(|s| s.runs_on.iter().any(|r| r.platform == platform))
                {
                    if !s.deployed_by.contains(&by) {
                        s.deployed_by.push(by.clone());
                    }
                }
            }
        }
    }

    Landscape {
        services,
        ci: ci_uses(facts),
        clouds: cloud_uses(facts),
        databases: database_uses(facts),
    }
}

/// What an entry was built from and which files it came from.
#[derive(Default)]
struct Seen {
    build: Option<String>,
    files: Vec<String>,
}

fn add(
    svc: &Service,
    services: &mut Vec<LandscapeService>,
    seen: &mut Vec<Seen>,
    by_name: &mut HashMap<String, usize>,
) {
    let idx = by_name.get(&svc.name).copied().or_else(|| {
        // The same Dockerfile deployed from another file (a fly.toml
        // beside it, a render.yaml) is the same deployable; two services
        // of one compose file sharing a build are not.
        let build = svc.build.as_ref()?;
        seen.iter()
            .position(|x| x.build.as_ref() == Some(build) && !x.files.contains(&svc.file))
    });
    let idx = match idx {
        Some(i) => i,
        None => {
            services.push(LandscapeService {
                name: svc.name.clone(),
                aliases: Vec::new(),
                runs_on: Vec::new(),
                images: Vec::new(),
                built_from: None,
                base_image: None,
                talks_to: Vec::new(),
                exposed_at: Vec::new(),
                deployed_by: Vec::new(),
            });
            seen.push(Seen::default());
            services.len() - 1
        }
    };
    by_name.entry(svc.name.clone()).or_insert(idx);
    let (Some(entry), Some(seen)) = (services.get_mut(idx), seen.get_mut(idx)) else {
        return;
    };
    if !seen.files.contains(&svc.file) {
        seen.files.push(svc.file.clone());
    }
    if svc.build.is_some() && seen.build.is_none() {
        seen.build = svc.build.clone();
        entry.built_from = svc.build.clone();
    }
    if entry.name != svc.name && !entry.aliases.contains(&svc.name) {
        entry.aliases.push(svc.name.clone());
    }
    let display = match &svc.region {
        Some(r) => format!("{} ({r})", svc.platform.display()),
        None => svc.platform.display().to_string(),
    };
    let placement = Placement {
        platform: svc.platform,
        display,
        region: svc.region.clone(),
        role: svc.role.clone(),
        source: format!("{}:{}", svc.file, svc.line),
    };
    if !entry.runs_on.iter().any(|p| {
        p.platform == placement.platform && p.region == placement.region && p.role == placement.role
    }) {
        entry.runs_on.push(placement);
    }
    if let Some(img) = &svc.image {
        if !entry.images.contains(img) {
            entry.images.push(img.clone());
        }
    }
    for l in &svc.talks_to {
        let talk = Talk {
            target: l.target.clone(),
            kind: l.kind,
            engine: l.engine.clone(),
        };
        match entry
            .talks_to
            .iter_mut()
            .find(|t| t.target == talk.target && t.kind == talk.kind)
        {
            Some(t) if t.engine.is_none() => t.engine = talk.engine,
            Some(_) => {}
            None => entry.talks_to.push(talk),
        }
    }
}

/// Resources that hold code-running services up rather than being one.
fn is_scaffolding(ty: &str) -> bool {
    ty.ends_with("_cluster")
        || ty.ends_with("_task_definition")
        || ty.ends_with("_application")
        || ty.ends_with("_job")
}

fn push_unique(v: &mut Vec<String>, s: &str) {
    if !v.iter().any(|x| x == s) {
        v.push(s.to_string());
    }
}

fn ci_uses(facts: &[Fact]) -> Vec<CiUse> {
    let mut out: Vec<CiUse> = Vec::new();
    for f in facts {
        let Fact::Pipeline(p) = f else { continue };
        let i = match out.iter().position(|c| c.system == p.system) {
            Some(i) => i,
            None => {
                out.push(CiUse {
                    system: p.system,
                    files: Vec::new(),
                    jobs: 0,
                    runners: Vec::new(),
                    deploys_to: Vec::new(),
                    unpinned: 0,
                });
                out.len() - 1
            }
        };
        let c = &mut out[i];
        push_unique(&mut c.files, &p.file);
        c.jobs += p.jobs.len();
        for j in &p.jobs {
            for r in &j.runs_on {
                push_unique(&mut c.runners, r);
            }
            for d in &j.deploys_to {
                push_unique(&mut c.deploys_to, d);
            }
        }
        c.unpinned += p
            .imports
            .iter()
            .chain(p.jobs.iter().flat_map(|j| j.uses.iter()))
            .filter(|u| !u.first_party && !matches!(u.pin, Pin::Sha | Pin::Local))
            .count();
    }
    out
}

fn cloud_uses(facts: &[Fact]) -> Vec<CloudUse> {
    let mut out: BTreeMap<String, CloudUse> = BTreeMap::new();
    for f in facts {
        match f {
            Fact::Provider(p) => {
                let c = out
                    .entry(p.name.clone())
                    .or_insert_with(|| new_cloud(&p.name));
                if c.source.is_none() {
                    c.source = p.source.clone();
                }
                if let Some(v) = &p.version {
                    push_unique(&mut c.versions, v);
                }
                if let Some(r) = &p.region {
                    push_unique(&mut c.regions, r);
                }
                push_unique(&mut c.files, &p.file);
            }
            Fact::CloudResource(r) => {
                let c = out
                    .entry(r.provider.clone())
                    .or_insert_with(|| new_cloud(&r.provider));
                c.resources += 1;
                *c.families.entry(r.family).or_insert(0) += 1;
                if let Some(reg) = &r.region {
                    push_unique(&mut c.regions, reg);
                }
                push_unique(&mut c.files, &r.file);
            }
            _ => {}
        }
    }
    out.into_values().collect()
}

fn new_cloud(name: &str) -> CloudUse {
    CloudUse {
        provider: name.to_string(),
        source: None,
        versions: Vec::new(),
        regions: Vec::new(),
        resources: 0,
        families: BTreeMap::new(),
        files: Vec::new(),
    }
}

fn database_uses(facts: &[Fact]) -> Vec<DatabaseUse> {
    let mut out: BTreeMap<String, (StoreKind, BTreeSet<String>, Vec<String>)> = BTreeMap::new();
    let mut seen_sources: HashSet<(String, String)> = HashSet::new();
    for f in facts {
        let Fact::Database(d) = f else { continue };
        let e = out
            .entry(d.engine.clone())
            .or_insert_with(|| (d.kind, BTreeSet::new(), Vec::new()));
        if let Some(v) = &d.version {
            e.1.insert(v.clone());
        }
        let src = format!("{}:{} ({})", d.file, d.line, d.evidence);
        if seen_sources.insert((d.engine.clone(), src.clone())) {
            e.2.push(src);
        }
    }
    out.into_iter()
        .map(|(engine, (kind, versions, sources))| DatabaseUse {
            engine,
            kind,
            versions: versions.into_iter().collect(),
            sources,
        })
        .collect()
}
