mod audit;
mod client;
mod decision;
pub mod demo;
mod demo_audit;
mod demo_mail;
mod health;
mod init;
pub(crate) mod mail;
mod mail_queue;
mod mail_watch;
mod osv;
mod review;
mod serve;
mod spend;
mod system;
mod time;
mod user;
mod vendor;
mod week;

use anyhow::Result;

use crate::cli::{Cli, Command};
use crate::output::Output;
use crate::Ctx;

pub async fn dispatch(ctx: &Ctx, cli: Cli) -> Result<Output> {
    match cli.command {
        Command::Init => init::run(ctx).await,
        Command::Client(c) => client::run(ctx, c).await,
        Command::Time(c) => time::run(ctx, c).await,
        Command::Decision(c) => decision::run(ctx, c).await,
        Command::System(c) => system::run(ctx, c).await,
        Command::Week(a) => week::run(ctx, a).await,
        Command::Health(a) => health::run(ctx, a).await,
        Command::Spend(c) => spend::run(ctx, c).await,
        Command::Vendor(c) => vendor::run(ctx, c).await,
        Command::Review(a) => review::run(ctx, a).await,
        Command::Audit(a) => audit::run(ctx, a).await,
        Command::Mail(c) => mail::run(ctx, c).await,
        Command::Osv(c) => osv::run(ctx, c).await,
        Command::User(c) => user::run(ctx, c).await,
        Command::Serve(a) => serve::run(ctx, a).await,
        Command::Demo(a) => demo::run(ctx, a).await,
    }
}
