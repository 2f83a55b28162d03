use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use fcto_store::StoreError;
use maud::html;

use crate::pages::layout_bare;

/// Why a page could not be shown. From a `StoreError`, missing things become
/// 404 and faults are logged without being shown to the visitor.
#[derive(Debug)]
pub enum PageError {
    NotFound,
    Forbidden(&'static str),
    BadRequest(&'static str),
    Conflict(String),
    Server,
}

pub type PageResult = Result<Response, PageError>;

impl From<StoreError> for PageError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::NotFound(_) | StoreError::UnknownClient(_) => PageError::NotFound,
            StoreError::Conflict(_) | StoreError::Invalid(_) => PageError::Conflict(e.to_string()),
            e => {
                tracing::error!(error = %e, "request failed");
                PageError::Server
            }
        }
    }
}

impl IntoResponse for PageError {
    fn into_response(self) -> Response {
        match self {
            PageError::NotFound => (
                StatusCode::NOT_FOUND,
                layout_bare(
                    "Not found",
                    html! { main { h1 { "Not found" } p { a href="/" { "Back to the dashboard" } } } },
                ),
            )
                .into_response(),
            PageError::Forbidden(m) => (StatusCode::FORBIDDEN, m).into_response(),
            PageError::BadRequest(m) => (StatusCode::BAD_REQUEST, m).into_response(),
            PageError::Conflict(m) => (StatusCode::CONFLICT, m).into_response(),
            PageError::Server => (
                StatusCode::INTERNAL_SERVER_ERROR,
                "Something went wrong on the server; it has been logged.",
            )
                .into_response(),
        }
    }
}
