use anyhow::{Context, Result};
use fcto_engage::Role;
use fcto_store::NewUser;

use crate::cli::UserCmd;
use crate::output::{table, Output};
use crate::{user_error, Ctx};

pub(crate) fn read_password(
    env: Option<String>,
    file: Option<std::path::PathBuf>,
) -> Result<String> {
    if let Some(var) = env {
        return std::env::var(&var)
            .map_err(|_| user_error(format!("environment variable {var} is not set")));
    }
    if let Some(path) = file {
        let text = std::fs::read_to_string(&path)
            .with_context(|| format!("reading {}", path.display()))?;
        return Ok(text.lines().next().unwrap_or("").to_string());
    }
    rpassword::prompt_password("Password: ")
        .map_err(|e| user_error(format!("cannot read a password: {e}")))
}

pub async fn run(ctx: &Ctx, cmd: UserCmd) -> Result<Output> {
    let store = ctx.store().await?;
    match cmd {
        UserCmd::Add {
            email,
            name,
            role,
            client,
            password_env,
            password_file,
        } => {
            let role: Role = role.parse()?;
            let password = read_password(password_env, password_file)?;
            let u = store
                .add_user(&NewUser {
                    email: &email,
                    display_name: &name,
                    password: &password,
                    role,
                    client: client.as_deref(),
                })
                .await?;
            let text = format!(
                "Added {} user {}{}.\n",
                u.role,
                u.email,
                u.client_slug
                    .as_ref()
                    .map(|c| format!(" (sees {c} only)"))
                    .unwrap_or_default()
            );
            Output::new(&u, text)
        }
        UserCmd::List => {
            let users = store.users().await?;
            let rows: Vec<Vec<String>> = users
                .iter()
                .map(|u| {
                    vec![
                        u.email.clone(),
                        u.display_name.clone(),
                        u.role.to_string(),
                        u.client_slug.clone().unwrap_or_else(|| "all".into()),
                    ]
                })
                .collect();
            Output::new(&users, table(&["EMAIL", "NAME", "ROLE", "SEES"], &rows))
        }
    }
}
