//! CI systems: jobs, where they run, what they reuse (actions, orbs, pipes,
//! tasks) and how firmly it is pinned, and where they deploy to.

pub mod azure;
pub mod bitbucket;
pub mod circleci;
pub mod github;
pub mod gitlab;
pub mod jenkins;

use crate::fact::{ActionUse, Database, Fact, ImageUse, Pin};
use crate::image::{engine_of_image, image_fact, tag_version};

/// `owner/repo[/path]@ref` (GitHub) pinning.
pub fn github_pin(uses: &str) -> Pin {
    if uses.starts_with("./") || uses.starts_with("../") {
        return Pin::Local;
    }
    if let Some(image) = uses.strip_prefix("docker://") {
        return if image.contains("@sha256:") {
            Pin::Sha
        } else {
            Pin::Docker
        };
    }
    match uses.rsplit_once('@') {
        None => Pin::None,
        Some((_, r)) => ref_pin(r),
    }
}

/// A git ref or version: a full SHA, a version-looking tag, or a branch.
pub fn ref_pin(r: &str) -> Pin {
    if r.len() == 40 && r.bytes().all(|b| b.is_ascii_hexdigit()) {
        Pin::Sha
    } else if r.is_empty() {
        Pin::None
    } else if r.starts_with(|c: char| c.is_ascii_digit())
        || (r.starts_with('v') && r[1..].starts_with(|c: char| c.is_ascii_digit()))
    {
        Pin::Tag
    } else {
        Pin::Branch
    }
}

pub fn action_use(uses: &str, line: u32, pin: Pin, first_party_owners: &[&str]) -> ActionUse {
    let owner = uses.split('/').next().unwrap_or("");
    ActionUse {
        uses: uses.to_string(),
        line,
        pin,
        first_party: first_party_owners.contains(&owner),
    }
}

/// Where a well-known action, orb, pipe or task deploys to.
pub fn deploy_target_of_reuse(uses: &str) -> Option<&'static str> {
    let u = uses.to_ascii_lowercase();
    let name = u.split(['@', ':']).next().unwrap_or(&u);
    let table: &[(&str, &str)] = &[
        ("superfly/flyctl-actions", "Fly.io"),
        ("aws-actions/amazon-ecs-deploy", "AWS ECS"),
        ("aws-actions/aws-cloudformation", "AWS CloudFormation"),
        ("aws-actions/amazon-ecr-login", "AWS ECR"),
        ("aws-actions/configure-aws-credentials", "AWS"),
        ("google-github-actions/deploy-cloudrun", "Google Cloud Run"),
        (
            "google-github-actions/deploy-appengine",
            "Google App Engine",
        ),
        (
            "google-github-actions/deploy-cloud-functions",
            "Google Cloud Functions",
        ),
        (
            "google-github-actions/get-gke-credentials",
            "Google Kubernetes Engine",
        ),
        ("google-github-actions/auth", "Google Cloud"),
        ("azure/webapps-deploy", "Azure App Service"),
        ("azure/functions-action", "Azure Functions"),
        ("azure/static-web-apps-deploy", "Azure Static Web Apps"),
        ("azure/k8s-deploy", "Kubernetes"),
        ("azure/login", "Azure"),
        ("amondnet/vercel-action", "Vercel"),
        ("vercel/", "Vercel"),
        ("nwtgck/actions-netlify", "Netlify"),
        ("netlify/actions", "Netlify"),
        ("akhileshns/heroku-deploy", "Heroku"),
        ("cloudflare/wrangler-action", "Cloudflare Workers"),
        ("cloudflare/pages-action", "Cloudflare Pages"),
        ("peaceiris/actions-gh-pages", "GitHub Pages"),
        ("actions/deploy-pages", "GitHub Pages"),
        ("docker/build-push-action", "container registry"),
        ("appleboy/ssh-action", "a server over SSH"),
        ("hashicorp/setup-terraform", "Terraform"),
        ("firebaseextended/action-hosting-deploy", "Firebase Hosting"),
        ("railwayapp/", "Railway"),
        ("circleci/heroku", "Heroku"),
        ("circleci/aws-ecs", "AWS ECS"),
        ("circleci/aws-ecr", "AWS ECR"),
        ("circleci/aws-s3", "AWS S3"),
        ("circleci/aws-eks", "Kubernetes"),
        ("circleci/kubernetes", "Kubernetes"),
        ("circleci/gcp-cloud-run", "Google Cloud Run"),
        ("circleci/gcp-gke", "Google Kubernetes Engine"),
        ("circleci/azure-", "Azure"),
        ("circleci/serverless-framework", "AWS Lambda (Serverless)"),
        ("heroku/", "Heroku"),
        ("aws-ecs/", "AWS ECS"),
        ("aws-ecr/", "AWS ECR"),
        ("aws-s3/", "AWS S3"),
        ("gcp-cloud-run/", "Google Cloud Run"),
        ("kubernetes/", "Kubernetes"),
        ("atlassian/aws-ecs-deploy", "AWS ECS"),
        ("atlassian/aws-s3-deploy", "AWS S3"),
        ("atlassian/aws-lambda-deploy", "AWS Lambda"),
        (
            "atlassian/aws-elasticbeanstalk-deploy",
            "AWS Elastic Beanstalk",
        ),
        ("atlassian/aws-code-deploy", "AWS CodeDeploy"),
        ("atlassian/heroku-deploy", "Heroku"),
        ("atlassian/google-app-engine-deploy", "Google App Engine"),
        (
            "atlassian/google-cloud-storage-deploy",
            "Google Cloud Storage",
        ),
        ("atlassian/azure-web-apps-deploy", "Azure App Service"),
        ("atlassian/azure-functions-deploy", "Azure Functions"),
        ("atlassian/kubectl-run", "Kubernetes"),
        ("atlassian/firebase-deploy", "Firebase Hosting"),
        ("atlassian/ssh-run", "a server over SSH"),
        ("atlassian/scp-deploy", "a server over SSH"),
        ("azurewebapp", "Azure App Service"),
        ("azurermwebappdeployment", "Azure App Service"),
        ("azurefunctionapp", "Azure Functions"),
        ("kubernetesmanifest", "Kubernetes"),
        ("helmdeploy", "Kubernetes"),
    ];
    table
        .iter()
        .find(|(prefix, _)| name.starts_with(prefix))
        .map(|(_, t)| *t)
}

/// Where a shell command deploys to.
pub fn deploy_targets_of_command(cmd: &str) -> Vec<&'static str> {
    let c = cmd.to_ascii_lowercase();
    let table: &[(&str, &str)] = &[
        ("flyctl deploy", "Fly.io"),
        ("fly deploy", "Fly.io"),
        ("vercel deploy", "Vercel"),
        ("vercel --prod", "Vercel"),
        ("netlify deploy", "Netlify"),
        ("heroku container:release", "Heroku"),
        ("git push heroku", "Heroku"),
        ("gcloud run deploy", "Google Cloud Run"),
        ("gcloud app deploy", "Google App Engine"),
        ("gcloud functions deploy", "Google Cloud Functions"),
        ("aws ecs update-service", "AWS ECS"),
        ("ecs-deploy", "AWS ECS"),
        ("aws lambda update-function-code", "AWS Lambda"),
        ("aws s3 sync", "AWS S3"),
        ("aws cloudformation deploy", "AWS CloudFormation"),
        ("sam deploy", "AWS Lambda (SAM)"),
        ("cdk deploy", "AWS CDK"),
        ("serverless deploy", "AWS Lambda (Serverless)"),
        ("sls deploy", "AWS Lambda (Serverless)"),
        ("eb deploy", "AWS Elastic Beanstalk"),
        ("kubectl apply", "Kubernetes"),
        ("kubectl set image", "Kubernetes"),
        ("kubectl rollout", "Kubernetes"),
        ("helm upgrade", "Kubernetes"),
        ("helm install", "Kubernetes"),
        ("terraform apply", "Terraform"),
        ("railway up", "Railway"),
        ("wrangler deploy", "Cloudflare Workers"),
        ("wrangler publish", "Cloudflare Workers"),
        ("wrangler pages deploy", "Cloudflare Pages"),
        ("firebase deploy", "Firebase Hosting"),
        ("az webapp", "Azure App Service"),
        ("az functionapp", "Azure Functions"),
        ("az containerapp", "Azure Container Apps"),
        ("docker push", "container registry"),
        ("api.render.com/deploy", "Render"),
        ("capistrano", "a server over SSH"),
        ("cap production deploy", "a server over SSH"),
        ("kamal deploy", "a server over SSH (Kamal)"),
        ("doctl apps", "DigitalOcean App Platform"),
    ];
    let mut out: Vec<&'static str> = Vec::new();
    for (needle, target) in table {
        if c.contains(needle) && !out.contains(target) {
            out.push(target);
        }
    }
    out
}

pub fn add_targets(into: &mut Vec<String>, targets: impl IntoIterator<Item = &'static str>) {
    for t in targets {
        if !into.iter().any(|x| x == t) {
            into.push(t.to_string());
        }
    }
}

/// A CI container image (job image or service container): an `Image` fact,
/// and a `Database` fact when it runs a store engine.
pub fn ci_image(label: &str, line: u32, reference: &str, job: &str, facts: &mut Vec<Fact>) {
    let mut img = image_fact(label, line, ImageUse::Ci, reference);
    img.owner = Some(job.to_string());
    if let Some((engine, kind)) = engine_of_image(&img.name) {
        facts.push(Fact::Database(Database {
            file: label.to_string(),
            line,
            engine: engine.to_string(),
            kind,
            version: img.tag.as_deref().and_then(tag_version),
            evidence: format!("CI service image {}", img.reference),
            name: Some(job.to_string()),
        }));
    }
    facts.push(Fact::Image(img));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pins() {
        assert_eq!(github_pin("actions/checkout@v4"), Pin::Tag);
        assert_eq!(
            github_pin("actions/checkout@b4ffde65f46336ab88eb53be808477a3936bae11"),
            Pin::Sha
        );
        assert_eq!(github_pin("foo/bar@main"), Pin::Branch);
        assert_eq!(github_pin("foo/bar"), Pin::None);
        assert_eq!(github_pin("./.github/actions/setup"), Pin::Local);
        assert_eq!(github_pin("docker://alpine:3.20"), Pin::Docker);
    }

    #[test]
    fn deploy_commands() {
        assert_eq!(
            deploy_targets_of_command("flyctl deploy --remote-only"),
            vec!["Fly.io"]
        );
        assert!(deploy_targets_of_command("npm test").is_empty());
        assert_eq!(
            deploy_target_of_reuse("superfly/flyctl-actions/setup-flyctl@master"),
            Some("Fly.io")
        );
    }
}
