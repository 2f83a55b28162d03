use axum::extract::{FromRequestParts, State};
use axum::http::header::{COOKIE, LOCATION, SET_COOKIE};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use fcto_engage::{Client, Role};
use fcto_store::{Session, StoreError};
use maud::html;
use serde::Deserialize;

use crate::error::{PageError, PageResult};
use crate::pages::layout_bare;
use crate::AppState;

pub const SESSION_COOKIE: &str = "fcto_session";
pub const LOGIN_CSRF_COOKIE: &str = "fcto_login_csrf";
const SESSION_HOURS: i64 = 12;

/// The value of one cookie from the request's `Cookie` headers.
pub fn cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.to_string())
}

fn set_cookie(state: &AppState, name: &str, value: &str, path: &str, max_age: i64) -> HeaderValue {
    let secure = if state.inner.secure_cookies {
        "; Secure"
    } else {
        ""
    };
    let v = format!(
        "{name}={value}; Path={path}; Max-Age={max_age}; HttpOnly; SameSite=Strict{secure}"
    );
    HeaderValue::from_str(&v).unwrap_or_else(|_| HeaderValue::from_static(""))
}

/// Compare secrets in time independent of where they differ.
pub fn constant_time_eq(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}

/// The logged-in user; handlers that take it redirect anonymous visitors to
/// the login page.
pub struct CurrentUser(pub Session);

impl FromRequestParts<AppState> for CurrentUser {
    type Rejection = Response;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let Some(token) = cookie(&parts.headers, SESSION_COOKIE) else {
            return Err(Redirect::to("/login").into_response());
        };
        match state.store().session(&token).await {
            Ok(Some(s)) => Ok(CurrentUser(s)),
            Ok(None) => Err(Redirect::to("/login").into_response()),
            Err(e) => Err(PageError::from(e).into_response()),
        }
    }
}

impl CurrentUser {
    /// Reject a POST whose CSRF token does not match the session's.
    pub fn check_csrf(&self, token: &str) -> Result<(), PageError> {
        if constant_time_eq(token, &self.0.csrf_token) {
            Ok(())
        } else {
            Err(PageError::Forbidden(
                "The form has expired or did not come from fcto; reload the page and try again.",
            ))
        }
    }

    /// Client slugs this user may see (`None` = all).
    pub fn scope(&self) -> Option<Vec<String>> {
        match self.0.user.role {
            Role::Cto => None,
            Role::Client => Some(self.0.user.client_slug.clone().into_iter().collect()),
        }
    }
}

/// The client of a URL if this user may see it; otherwise 404, the same
/// answer as for a client that does not exist, so ids cannot be probed.
pub async fn visible_client(
    state: &AppState,
    user: &CurrentUser,
    slug: &str,
) -> Result<Client, PageError> {
    match state.store().client(slug).await {
        Ok(c) if user.0.user.can_see(c.id) => Ok(c),
        Ok(_) | Err(StoreError::UnknownClient(_)) => Err(PageError::NotFound),
        Err(e) => Err(e.into()),
    }
}

pub async fn login_form(State(state): State<AppState>) -> Response {
    login_page(&state, None)
}

fn login_page(state: &AppState, error: Option<&str>) -> Response {
    let csrf = fcto_store::users_random_token();
    let body = html! {
        div.login.card {
            h1 { "fcto" }
            p.muted { "The fractional CTO's workbench" }
            @if let Some(e) = error { p.error { (e) } }
            form method="post" action="/login" {
                input type="hidden" name="csrf" value=(csrf);
                label for="email" { "Email" }
                input id="email" name="email" type="email" autocomplete="username" required;
                label for="password" { "Password" }
                input id="password" name="password" type="password" autocomplete="current-password" required;
                p { button.primary type="submit" { "Sign in" } }
            }
        }
    };
    let status = if error.is_some() {
        StatusCode::UNAUTHORIZED
    } else {
        StatusCode::OK
    };
    let mut res = (status, layout_bare("Sign in", body)).into_response();
    res.headers_mut().append(
        SET_COOKIE,
        set_cookie(state, LOGIN_CSRF_COOKIE, &csrf, "/login", 3600),
    );
    res
}

#[derive(Deserialize)]
pub struct LoginForm {
    email: String,
    password: String,
    csrf: String,
}

pub async fn login(
    State(state): State<AppState>,
    headers: HeaderMap,
    Form(f): Form<LoginForm>,
) -> PageResult {
    let expected = cookie(&headers, LOGIN_CSRF_COOKIE).unwrap_or_default();
    if expected.is_empty() || !constant_time_eq(&expected, &f.csrf) {
        return Err(PageError::Forbidden(
            "The sign-in form expired; reload it and try again.",
        ));
    }
    if f.email.len() > 254 || f.password.len() > 1024 {
        return Ok(login_page(&state, Some("Wrong email or password.")));
    }
    let Some(user) = state.store().verify_login(&f.email, &f.password).await? else {
        return Ok(login_page(&state, Some("Wrong email or password.")));
    };
    let token = state
        .store()
        .create_session(user.id, chrono::Duration::hours(SESSION_HOURS))
        .await?;
    let mut res = Redirect::to("/").into_response();
    let h = res.headers_mut();
    h.append(
        SET_COOKIE,
        set_cookie(&state, SESSION_COOKIE, &token, "/", SESSION_HOURS * 3600),
    );
    h.append(
        SET_COOKIE,
        set_cookie(&state, LOGIN_CSRF_COOKIE, "", "/login", 0),
    );
    Ok(res)
}

#[derive(Deserialize)]
pub struct CsrfForm {
    csrf: String,
}

pub async fn logout(
    State(state): State<AppState>,
    user: CurrentUser,
    headers: HeaderMap,
    Form(f): Form<CsrfForm>,
) -> PageResult {
    user.check_csrf(&f.csrf)?;
    if let Some(token) = cookie(&headers, SESSION_COOKIE) {
        state.store().end_session(&token).await?;
    }
    let mut res = (StatusCode::SEE_OTHER, [(LOCATION, "/login")]).into_response();
    res.headers_mut()
        .append(SET_COOKIE, set_cookie(&state, SESSION_COOKIE, "", "/", 0));
    Ok(res)
}
