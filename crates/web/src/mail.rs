//! The email responder's approval page: the client's owner (or the CTO)
//! reads each queued draft beside the inquiry, edits it, and approves or
//! rejects it. Approving sends it through the outbox when fcto serve knows
//! where the mail key is; otherwise `fcto mail send` sends it.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::Form;
use fcto_store::mail_drafts::MailDraft;
use maud::html;
use serde::Deserialize;

use crate::auth::{visible_client, CurrentUser};
use crate::error::{PageError, PageResult};
use crate::pages::layout;
use crate::AppState;

fn responder_error(e: fcto_responder::ResponderError) -> PageError {
    match e {
        fcto_responder::ResponderError::Store(s) => s.into(),
        other => PageError::Conflict(other.to_string()),
    }
}

pub async fn queue_page(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(slug): Path<String>,
) -> PageResult {
    let c = visible_client(&state, &user, &slug).await?;
    let drafts = state.store().mail_drafts(&c.slug, &[]).await?;
    let waiting: Vec<&MailDraft> = drafts
        .iter()
        .filter(|d| matches!(d.status.as_str(), "queued" | "uncertain" | "failed"))
        .collect();
    let metrics = fcto_responder::metrics::compute(&drafts);
    let body = html! {
        p.muted { a href={"/clients/" (c.slug)} { (c.name) } " · replies" }
        h1 { "Replies waiting for approval" }
        @if waiting.is_empty() {
            div.card { p.muted { "Nothing waits for approval." } }
        } @else {
            table {
                thead { tr { th { "#" } th { "To" } th { "Subject" } th { "Status" } th { "Flags" } } }
                tbody {
                    @for d in &waiting {
                        tr {
                            td { a href={"/clients/" (c.slug) "/mail/" (d.id)} { (d.id) } }
                            td { (d.to_address) }
                            td { (d.subject) }
                            td { span class={"status-" (d.status)} { (d.status) } }
                            td { (d.flags.len()) }
                        }
                    }
                }
            }
        }
        h2 { "How it is going" }
        div.card {
            p { (metrics.drafts) " drafts: " (metrics.sent) " sent, " (metrics.rejected) " rejected, "
                (metrics.handled_outside) " answered from the mail client" }
            @if let (Some(p50), Some(p95)) = (metrics.latency_p50_ms, metrics.latency_p95_ms) {
                p { "Drafted in " (p50) " ms (median), " (p95) " ms (95th percentile)" }
            }
            @if let Some(rate) = metrics.approval_rate {
                p { "Approval rate " (format!("{:.0}%", rate * 100.0)) }
            }
        }
    };
    Ok(layout("Replies", &user, body).into_response())
}

pub async fn draft_page(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((slug, id)): Path<(String, i64)>,
) -> PageResult {
    let c = visible_client(&state, &user, &slug).await?;
    let d = state.store().mail_draft(&c.slug, id).await?;
    let body = html! {
        p.muted { a href={"/clients/" (c.slug) "/mail"} { (c.name) " · replies" } " · draft " (d.id) }
        h1 { (d.subject) }
        div.card {
            p { strong { "From: " } (d.inquiry_from.as_deref().unwrap_or("(unknown)")) " · " (d.inquiry_at) }
            pre.mail { (d.inquiry_body.trim()) }
        }
        @if !d.flags.is_empty() {
            div.card.flags { ul { @for f in &d.flags { li { (f) } } } }
        }
        @if d.status == "queued" {
            form.card method="post" action={"/clients/" (c.slug) "/mail/" (d.id) "/decide"} {
                input type="hidden" name="csrf" value=(user.0.csrf_token);
                label for="body" { "Reply to " (d.to_address) }
                textarea id="body" name="body" rows="12" maxlength="100000" { (d.body) }
                p {
                    button.primary type="submit" name="action" value="approve" { "Approve and send" } " "
                    button type="submit" name="action" value="reject" { "Reject" }
                }
            }
        } @else {
            div.card {
                p { strong { "Status: " } span class={"status-" (d.status)} { (d.status) }
                    @if let Some(by) = &d.decided_by { " · decided by " (by) } }
                pre.mail { (d.body.trim()) }
                @if let Some(e) = &d.last_error { p.muted { (e) } }
            }
        }
        p.muted { "Drafted by " (d.model) " in " (d.latency_ms) " ms from a " (d.prompt_chars) "-character prompt." }
    };
    Ok(layout(&d.subject, &user, body).into_response())
}

#[derive(Deserialize)]
pub struct DecideForm {
    csrf: String,
    action: String,
    #[serde(default)]
    body: String,
}

pub async fn decide(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((slug, id)): Path<(String, i64)>,
    Form(f): Form<DecideForm>,
) -> PageResult {
    user.check_csrf(&f.csrf)?;
    let c = visible_client(&state, &user, &slug).await?;
    let store = state.store();
    let by = user.0.user.display_name.clone();
    let account = match state.mail_home() {
        Some(home) => fcto_responder::Account::open(store, home, &c.slug)
            .await
            .ok(),
        None => None,
    };
    match f.action.as_str() {
        "approve" => {
            let d = store.mail_draft(&c.slug, id).await?;
            let body = f.body.replace("\r\n", "\n");
            if !body.trim().is_empty() && body.trim_end() != d.body.trim_end() {
                fcto_responder::edit(store, &c.slug, id, &body, account.as_ref())
                    .await
                    .map_err(responder_error)?;
            }
            fcto_responder::approve(store, &c.slug, id, &by)
                .await
                .map_err(responder_error)?;
            if let Some(account) = &account {
                // A failed send leaves the draft approved (or uncertain), as
                // the page then shows; nothing is lost.
                if let Err(e) = fcto_responder::outbox::run(store, account).await {
                    tracing::warn!(client = %c.slug, draft = id, "send after approval: {e}");
                }
            }
        }
        "reject" => {
            fcto_responder::reject(store, &c.slug, id, &by, None, account.as_ref())
                .await
                .map_err(responder_error)?;
        }
        _ => return Err(PageError::BadRequest("action must be approve or reject")),
    }
    let to = format!("/clients/{}/mail/{id}", c.slug);
    Ok((StatusCode::SEE_OTHER, [(axum::http::header::LOCATION, to)]).into_response())
}
