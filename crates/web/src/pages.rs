use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect};
use axum::Form;
use fcto_engage::health::{FirstSystemState, Health, TrendDirection};
use fcto_engage::{DecidedBy, Decision, DecisionStatus, Month, Role};
use fcto_store::decisions::DecisionFilter;
use maud::{html, Markup, DOCTYPE};
use serde::Deserialize;

use crate::auth::{visible_client, CurrentUser};
use crate::charts;
use crate::error::{PageError, PageResult};
use crate::AppState;

/// Months of history on the dashboard and client pages.
const MONTHS: usize = 6;

pub fn layout_bare(title: &str, body: Markup) -> Markup {
    html! {
        (DOCTYPE)
        html lang="en" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (title) " · fcto" }
                link rel="stylesheet" href="/assets/app.css";
            }
            body { (body) }
        }
    }
}

pub fn layout(title: &str, user: &CurrentUser, body: Markup) -> Markup {
    let u = &user.0.user;
    layout_bare(
        title,
        html! {
            header {
                span.brand { "fcto" }
                nav {
                    @match u.role {
                        Role::Cto => { a href="/" { "Clients" } }
                        Role::Client => {
                            @if let Some(slug) = &u.client_slug { a href={"/clients/" (slug)} { "Overview" } }
                        }
                    }
                    a href="/decisions" { "Decisions" }
                }
                span.who {
                    span { (u.display_name) }
                    form.inline method="post" action="/logout" {
                        input type="hidden" name="csrf" value=(user.0.csrf_token);
                        button type="submit" { "Sign out" }
                    }
                }
            }
            main { (body) }
        },
    )
}

pub async fn not_found() -> PageError {
    PageError::NotFound
}

fn pct(s: Option<f64>) -> String {
    s.map(|s| format!("{:.0}%", s * 100.0))
        .unwrap_or_else(|| "–".into())
}

fn hours(h: f64) -> String {
    let s = format!("{h:.2}");
    s.trim_end_matches('0').trim_end_matches('.').to_string()
}

fn trend_word(t: TrendDirection) -> &'static str {
    match t {
        TrendDirection::Falling => "falling ✓",
        TrendDirection::Flat => "flat",
        TrendDirection::Rising => "rising ⚠",
        TrendDirection::Unknown => "too early",
    }
}

fn first_system_word(h: &Health) -> Markup {
    match (&h.first_system.live_in_first_month, h.first_system.state) {
        (Some(name), _) => html! { span.within { "live: " (name) } },
        (None, FirstSystemState::Pending) => {
            html! { span.under { "due by " (h.first_system.first_month_ends) } }
        }
        (None, _) => html! { span.over { "none in month one" } },
    }
}

pub async fn dashboard(State(state): State<AppState>, user: CurrentUser) -> PageResult {
    if user.0.user.role == Role::Client {
        return match &user.0.user.client_slug {
            Some(slug) => Ok(Redirect::to(&format!("/clients/{slug}")).into_response()),
            None => Err(PageError::NotFound),
        };
    }
    let today = state.today();
    let all = state
        .store()
        .all_health(state.tiers(), today, MONTHS)
        .await?;
    let this_month = Month::of(today);
    let body = html! {
        h1 { "Clients" }
        p.muted { (all.len()) " active engagements · " (this_month) }
        @if all.is_empty() {
            div.card { p { "No clients yet. Add one with " code { "fcto client add \"Name\" --tier growth" } "." } }
        } @else {
            table {
                thead { tr {
                    th { "Client" } th { "Tier" } th { "Hours this month vs budget" } th.num { "Hours" }
                    th { "Executor share (6 months)" } th { "Trend" } th { "First system" } th.num { "Overdue" }
                } }
                tbody {
                    @for h in &all {
                        @let current = h.months.iter().find(|m| m.month == this_month);
                        @let used = current.map(|m| m.hours).unwrap_or(0.0);
                        @let b = state.tiers().budget(h.tier.parse().unwrap_or(fcto_engage::Tier::Growth));
                        tr {
                            td { a href={"/clients/" (h.client)} { (h.name) } }
                            td { (h.tier) br; span.muted { (h.budget) } }
                            td { (charts::budget_bar(used, b.min_hours, b.max_hours)) }
                            td.num { (hours(used)) }
                            td { (charts::share_sparkline(&h.months.iter().map(|m| m.executor_share).collect::<Vec<_>>())) }
                            td { (trend_word(h.executor_trend.direction)) }
                            td { (first_system_word(h)) }
                            td.num { (h.decisions.overdue.len()) }
                        }
                    }
                }
            }
            h2 { "Needs attention" }
            div.card {
                @let flagged: Vec<(&Health, &String)> = all.iter().flat_map(|h| h.flags.iter().map(move |f| (h, f))).collect();
                @if flagged.is_empty() { p.muted { "Nothing flagged." } }
                @for (h, f) in flagged {
                    p.flag { strong { (h.name) } ": " (f) }
                }
            }
        }
    };
    Ok(layout("Clients", &user, body).into_response())
}

pub async fn client(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(slug): Path<String>,
) -> PageResult {
    let c = visible_client(&state, &user, &slug).await?;
    let today = state.today();
    let health = state
        .store()
        .client_health(&c, state.tiers(), today, MONTHS)
        .await?;
    let systems = state.store().systems(Some(&c.slug)).await?;
    let decisions = state
        .store()
        .decisions(&DecisionFilter {
            client: Some(c.slug.clone()),
            ..Default::default()
        })
        .await?;
    let body = html! {
        h1 { (c.name) }
        p { a href={"/clients/" (c.slug) "/spend"} { "Software spend" } " · " a href={"/clients/" (c.slug) "/vendors"} { "Vendor register" } " · " a href={"/clients/" (c.slug) "/mail"} { "Replies" } }
        div.grid {
            div.card {
                p { strong { "Tier: " } (c.tier) " (" (health.budget) " a month)" }
                p { strong { "Internal owner: " }
                    @match (&c.owner_name, &c.owner_email) {
                        (Some(n), Some(e)) => { (n) " <" (e) ">" }
                        (Some(n), None) => { (n) }
                        (None, Some(e)) => { (e) }
                        (None, None) => { span.over { "none named" } }
                    }
                }
                p { strong { "Started: " } (c.start_date) " · month " (health.engagement_month) }
                @if let Some(s) = &c.sector { p.muted { (s) } }
            }
            div.card {
                p { strong { "Executor share trend: " } (trend_word(health.executor_trend.direction)) }
                p { strong { "Decided by the team: " } (pct(health.decisions.team_share))
                    span.muted { " (" (health.decisions.decided_by_team) " of " (health.decisions.decided) ")" } }
                p { strong { "First system: " } (first_system_word(&health)) }
                p { strong { "Systems live: " } (health.systems_live) }
            }
        }
        h2 { "Hours and executor share" }
        div.card { (charts::monthly_chart(&health.months)) }
        @if !health.flags.is_empty() {
            h2 { "Flags" }
            div.card { @for f in &health.flags { p.flag { (f) } } }
        }
        h2 { "Systems" }
        table {
            thead { tr { th { "System" } th { "Status" } th { "Live since" } th { "Owner" } th { "Metric" } } }
            tbody {
                @for s in &systems {
                    tr { td { (s.name) } td { (s.status) }
                         td { (s.live_date.map(|d| d.to_string()).unwrap_or_default()) }
                         td { (s.owner.clone().unwrap_or_default()) } td { (s.metric.clone().unwrap_or_default()) } }
                }
                @if systems.is_empty() { tr { td colspan="5" .muted { "No systems recorded." } } }
            }
        }
        h2 { "Decisions" }
        (decision_table(&decisions, today, false))
    };
    Ok(layout(&c.name, &user, body).into_response())
}

fn decision_table(ds: &[Decision], today: chrono::NaiveDate, with_client: bool) -> Markup {
    html! {
        table {
            thead { tr {
                @if with_client { th { "Client" } }
                th.num { "No" } th { "Title" } th { "Status" } th { "Decide by" } th { "Decided by" }
            } }
            tbody {
                @for d in ds {
                    @let overdue = d.status == DecisionStatus::Proposed && d.decide_by.is_some_and(|b| b < today);
                    tr {
                        @if with_client { td { (d.client_slug) } }
                        td.num { (format!("{:04}", d.number)) }
                        td { a href={"/clients/" (d.client_slug) "/decisions/" (d.number)} { (d.title) } }
                        td { span class={"status-" (d.status)} { (d.status) } }
                        td { @if let Some(b) = d.decide_by { (b) @if overdue { " " span.over { "overdue" } } } }
                        td { (d.decided_by.as_ref().map(|b| b.label().to_string()).unwrap_or_default()) }
                    }
                }
                @if ds.is_empty() { tr { td colspan="6" .muted { "No decisions recorded." } } }
            }
        }
    }
}

pub async fn decisions(State(state): State<AppState>, user: CurrentUser) -> PageResult {
    let ds = state
        .store()
        .decisions(&DecisionFilter {
            only_clients: user.scope(),
            ..Default::default()
        })
        .await?;
    let today = state.today();
    let open = ds
        .iter()
        .filter(|d| d.status == DecisionStatus::Proposed)
        .count();
    let body = html! {
        h1 { "Decisions" }
        p.muted { (ds.len()) " recorded · " (open) " open" }
        (decision_table(&ds, today, user.scope().is_none()))
    };
    Ok(layout("Decisions", &user, body).into_response())
}

pub async fn decision(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((slug, number)): Path<(String, i64)>,
) -> PageResult {
    let c = visible_client(&state, &user, &slug).await?;
    let d = state.store().decision(&c.slug, number).await?;
    let body = html! {
        p.muted { a href={"/clients/" (c.slug)} { (c.name) } " · decision " (format!("{:04}", d.number)) }
        h1 { (d.title) }
        div.card {
            p { strong { "Status: " } span class={"status-" (d.status)} { (d.status) }
                @if let Some(by) = d.decide_by { " · decide by " (by) } }
            @if let Some(by) = &d.decided_by { p { strong { "Decided by: " } (by.label()) @if let Some(on) = d.decided_on { " on " (on) } } }
            @if let Some(n) = d.superseded_by { p { "Superseded by " a href={"/clients/" (c.slug) "/decisions/" (n)} { (format!("{n:04}")) } } }
        }
        h2 { "Context" }
        div.card { @if d.context.is_empty() { p.muted { "No context recorded." } } @else { p { (d.context) } } }
        @if !d.options.is_empty() {
            h2 { "Options considered" }
            div.card { ul { @for o in &d.options { li { (o) } } } }
        }
        @if let Some(o) = &d.outcome { h2 { "Outcome" } div.card { p { (o) } } }
        @if d.status == DecisionStatus::Proposed {
            h2 { "Decide" }
            form.card method="post" action={"/clients/" (c.slug) "/decisions/" (d.number) "/decide"} {
                input type="hidden" name="csrf" value=(user.0.csrf_token);
                label for="outcome" { "Outcome: what was chosen, and why" }
                textarea id="outcome" name="outcome" rows="3" maxlength="20000" {}
                p {
                    button.primary type="submit" name="action" value="accept" { "Accept" } " "
                    button type="submit" name="action" value="reject" { "Reject" }
                }
            }
        }
    };
    Ok(layout(&d.title, &user, body).into_response())
}

#[derive(Deserialize)]
pub struct DecideForm {
    csrf: String,
    action: String,
    #[serde(default)]
    outcome: String,
}

pub async fn decide(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((slug, number)): Path<(String, i64)>,
    Form(f): Form<DecideForm>,
) -> PageResult {
    user.check_csrf(&f.csrf)?;
    let c = visible_client(&state, &user, &slug).await?;
    let status = match f.action.as_str() {
        "accept" => DecisionStatus::Accepted,
        "reject" => DecisionStatus::Rejected,
        _ => return Err(PageError::BadRequest("action must be accept or reject")),
    };
    // A client's own person deciding is what the health measure counts.
    let by = match user.0.user.role {
        Role::Cto => DecidedBy::Cto,
        Role::Client => DecidedBy::Team(user.0.user.display_name.clone()),
    };
    let outcome = Some(f.outcome.trim()).filter(|o| !o.is_empty());
    state
        .store()
        .decide(&c.slug, number, status, outcome, &by, state.today())
        .await?;
    let to = format!("/clients/{}/decisions/{number}", c.slug);
    Ok((StatusCode::SEE_OTHER, [(axum::http::header::LOCATION, to)]).into_response())
}
