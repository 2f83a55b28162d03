use anyhow::{Context, Result};

use crate::cli::ServeArgs;
use crate::output::Output;
use crate::Ctx;

pub async fn serve(
    ctx: &Ctx,
    store: fcto_store::Store,
    addr: std::net::SocketAddr,
    secure_cookies: bool,
) -> Result<()> {
    let state = fcto_web::AppState::new(
        store,
        ctx.cfg.tiers.clone(),
        secure_cookies,
        ctx.today_override,
    )
    .with_mail_home(ctx.cfg.home.clone());
    let listener = tokio::net::TcpListener::bind(addr)
        .await
        .with_context(|| format!("binding {addr}"))?;
    eprintln!("fcto dashboard on http://{addr}/ (Ctrl-C to stop)");
    fcto_web::serve(listener, state).await.context("serving")?;
    Ok(())
}

pub async fn run(ctx: &Ctx, a: ServeArgs) -> Result<Output> {
    let store = ctx.store().await?;
    serve(ctx, store, a.addr, !a.insecure_cookies).await?;
    Output::new(&serde_json::json!({"stopped": true}), "")
}
