//! `webhook-without-signature-check`: a handler whose route or function
//! name mentions "webhook" (or that lives in a file named for webhooks)
//! and never verifies the sender's signature.

use super::hit;
use crate::coupling::source::{squash, Scope, Source};
use crate::coupling::{Hit, Language, Rule};

/// Signs of verification, matched on squashed (lower-case, no `_`/`-`)
/// identifiers and strings.
const VERIFY_WORDS: [&str; 14] = [
    "signature",
    "verif",
    "hmac",
    "comparedigest",
    "constructevent",
    "timingsafeequal",
    "securecompare",
    "hashequals",
    "constanttime",
    "svix",
    "signingsecret",
    "requestvalidator",
    "webhooksecret",
    "validaterequest",
];

pub(crate) fn check(source: &Source, hits: &mut Vec<Hit>) {
    let verifying: Vec<String> = source
        .scopes
        .iter()
        .filter(|s| source.mentions(s.header_start..s.body_end, &VERIFY_WORDS))
        .map(|s| s.name.clone())
        .collect();
    let calls_verifier = |range: std::ops::Range<usize>| {
        range.into_iter().any(|j| {
            source.is_ident(j)
                && source.is(j + 1, "(")
                && verifying.iter().any(|name| name == source.text(j))
        })
    };
    let path_is_webhook = squash(source.path).contains("webhook");
    if path_is_webhook {
        if source.file_mentions(&VERIFY_WORDS) {
            return;
        }
        let named =
            |s: &&Scope| !matches!(s.name.as_str(), "function" | "func" | "fn" | "=>" | "->");
        let first = source
            .scopes
            .iter()
            .filter(named)
            .min_by_key(|s| s.header_start)
            .or_else(|| source.scopes.first());
        let (at, what) = match first {
            Some(scope) => (scope.name_token, format!("`{}`", scope.name)),
            None => (0, "this file".to_string()),
        };
        hits.push(hit(
            source,
            Rule::WebhookWithoutSignatureCheck,
            at,
            format!("webhook handler {what} never verifies the sender's signature"),
            fix(source.language),
        ));
        return;
    }
    let is_candidate = |scope: &Scope| {
        let anonymous = matches!(
            scope.name.as_str(),
            "function" | "func" | "fn" | "=>" | "->"
        );
        (!anonymous || scope.route)
            && (squash(&scope.name).contains("webhook")
                || header_mentions_webhook(source, scope.header_start..scope.body_start))
    };
    let candidates: Vec<&Scope> = source.scopes.iter().filter(|s| is_candidate(s)).collect();
    // Verification wired at class or module level (`before_action
    // :verify_signature`, `app.use("/webhooks", verifyStripe)`) covers
    // every handler in the file.
    if !candidates.is_empty() && source.outside_functions_mentions(&VERIFY_WORDS) {
        return;
    }
    for scope in candidates.iter().copied() {
        // Report the outermost handler only.
        let nested = candidates.iter().any(|outer| {
            !std::ptr::eq(*outer, scope)
                && outer.header_start <= scope.header_start
                && scope.body_end <= outer.body_end
        });
        if nested {
            continue;
        }
        let whole = scope.header_start..scope.body_end;
        if source.mentions(whole.clone(), &VERIFY_WORDS) || calls_verifier(whole) {
            continue;
        }
        // A named webhook helper nested inside a checked handler is fine.
        if source.scopes.iter().any(|outer| {
            outer.body_start <= scope.header_start
                && scope.body_end <= outer.body_end
                && !std::ptr::eq(outer, scope)
                && source.mentions(outer.header_start..outer.body_end, &VERIFY_WORDS)
        }) {
            continue;
        }
        hits.push(hit(
            source,
            Rule::WebhookWithoutSignatureCheck,
            scope.name_token,
            format!(
                "webhook handler `{}` never verifies the sender's signature",
                scope.name
            ),
            fix(source.language),
        ));
    }
}

fn header_mentions_webhook(source: &Source, header: std::ops::Range<usize>) -> bool {
    source.mentions(header, &["webhook"])
}

fn fix(language: Language) -> String {
    match language {
        Language::Python => "Verify before parsing: `event = stripe.Webhook.construct_event(request.body, request.headers[\"Stripe-Signature\"], settings.STRIPE_WEBHOOK_SECRET)`; for generic HMAC, `hmac.compare_digest(hmac.new(secret, request.body, hashlib.sha256).hexdigest(), signature)` and reject with 400 on mismatch.".to_string(),
        Language::JavaScript | Language::TypeScript => "Verify on the raw body: `const event = stripe.webhooks.constructEvent(rawBody, req.headers['stripe-signature'], process.env.STRIPE_WEBHOOK_SECRET)`; for generic HMAC, `crypto.timingSafeEqual(Buffer.from(expected), Buffer.from(signature))` and return 400 on mismatch.".to_string(),
        Language::Ruby => "`event = Stripe::Webhook.construct_event(request.raw_post, request.headers['Stripe-Signature'], ENV.fetch('STRIPE_WEBHOOK_SECRET'))`; for generic HMAC, `ActiveSupport::SecurityUtils.secure_compare(OpenSSL::HMAC.hexdigest('SHA256', secret, request.raw_post), signature)`.".to_string(),
        Language::Go => "`event, err := webhook.ConstructEvent(body, r.Header.Get(\"Stripe-Signature\"), secret)`; for generic HMAC, `hmac.Equal(mac.Sum(nil), sig)` and `http.Error(w, \"bad signature\", 400)` on mismatch.".to_string(),
        Language::Java => "`Event event = Webhook.constructEvent(payload, sigHeader, endpointSecret);` or compare an HMAC-SHA256 of the raw body with `MessageDigest.isEqual(expected, received)` and return 400 on mismatch.".to_string(),
        Language::Php => "`$event = \\Stripe\\Webhook::constructEvent($payload, $_SERVER['HTTP_STRIPE_SIGNATURE'], $secret);` or `hash_equals(hash_hmac('sha256', $payload, $secret), $signature)` and return 400 on mismatch.".to_string(),
        Language::Rust => "Compute `Hmac::<Sha256>::new_from_slice(secret)?.chain_update(&body).verify_slice(&signature)?` on the raw body (constant-time) and return 400 on mismatch before deserialising.".to_string(),
    }
}
