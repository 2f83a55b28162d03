//! `vendor-sdk-in-domain`: a vendor SDK imported (or, in Ruby and PHP,
//! referenced by its namespace) in a file under a configured domain folder.

use std::collections::HashSet;

use super::hit;
use crate::coupling::source::Source;
use crate::coupling::{Hit, Language, Rule};

pub(crate) fn check(source: &Source, hits: &mut Vec<Hit>) {
    let mut seen: HashSet<&'static str> = HashSet::new();
    for t in 0..source.len() {
        let Some((module, vendor)) = import_at(source, t) else {
            continue;
        };
        if !seen.insert(vendor) {
            continue;
        }
        hits.push(hit(
            source,
            Rule::VendorSdkInDomain,
            t,
            format!("{vendor} SDK (`{module}`) used directly in domain code"),
            fix(source.language, vendor),
        ));
    }
}

/// The vendor module imported at token `t`, if any.
fn import_at(source: &Source, t: usize) -> Option<(String, &'static str)> {
    let word = source.text(t);
    match source.language {
        Language::Python => {
            if !(word == "import" || word == "from") || !source.tokens[t].first_on_line {
                return None;
            }
            let module = dotted(source, t + 1, ".");
            vendor_of(&PYTHON, &module).map(|v| (module, v))
        }
        Language::JavaScript | Language::TypeScript => {
            if !source.is_str(t) || t == 0 {
                return None;
            }
            let before = source.text(t - 1);
            let imported = matches!(before, "from" | "import")
                || (before == "(" && t >= 2 && matches!(source.text(t - 2), "require" | "import"));
            let module = source.inner(t);
            (imported).then_some(())?;
            vendor_of(&JAVASCRIPT, module).map(|v| (module.to_string(), v))
        }
        Language::Ruby => {
            if word == "require" && source.is_str(t + 1) {
                let module = source.inner(t + 1);
                return vendor_of(&RUBY_GEMS, module).map(|v| (module.to_string(), v));
            }
            if source.is_ident(t) && source.is(t + 1, "::") && !source.after_member(t) {
                return vendor_of(&RUBY_CONSTANTS, word).map(|v| (format!("{word}::"), v));
            }
            None
        }
        Language::Go => {
            if !source.is_str(t) || !inside_go_import(source, t) {
                return None;
            }
            let module = source.inner(t);
            vendor_of(&GO, module).map(|v| (module.to_string(), v))
        }
        Language::Java => {
            if word != "import" || !source.tokens[t].first_on_line {
                return None;
            }
            let start = if source.is(t + 1, "static") {
                t + 2
            } else {
                t + 1
            };
            let module = dotted(source, start, ".");
            vendor_of(&JAVA, &module).map(|v| (module, v))
        }
        Language::Php => {
            let use_statement = word == "use" && source.tokens[t].first_on_line;
            let qualified = word == "\\" && (t == 0 || !source.is_ident(t - 1));
            let start = if use_statement || qualified {
                t + 1
            } else {
                return None;
            };
            let start = if source.is(start, "\\") {
                start + 1
            } else {
                start
            };
            let module = dotted(source, start, "\\");
            vendor_of(&PHP, &module).map(|v| (module, v))
        }
        Language::Rust => {
            let start = match word {
                "use" => t + 1,
                "crate" if t > 0 && source.is(t - 1, "extern") => t + 1,
                _ => return None,
            };
            let start = if source.is(start, "::") {
                start + 1
            } else {
                start
            };
            let module = source.text(start).to_string();
            vendor_of(&RUST, &module).map(|v| (module, v))
        }
    }
}

/// `a.b.c` (or `A\B\C`) starting at `t`.
fn dotted(source: &Source, t: usize, separator: &str) -> String {
    let mut out = String::new();
    let mut j = t;
    while source.is_ident(j) && out.len() < 200 {
        out.push_str(source.text(j));
        if source.is(j + 1, separator) && source.is_ident(j + 2) {
            out.push_str(separator);
            j += 2;
        } else {
            break;
        }
    }
    out
}

fn inside_go_import(source: &Source, t: usize) -> bool {
    if t >= 1 && source.is(t - 1, "import") {
        return true;
    }
    if t >= 2 && source.is_ident(t - 1) && source.is(t - 2, "import") {
        return true;
    }
    source
        .parent(t)
        .is_some_and(|open| open > 0 && source.is(open, "(") && source.is(open - 1, "import"))
}

/// (module prefix, vendor). A prefix matches the whole module or a leading
/// part followed by a separator, so `stripe` matches `stripe.error` but not
/// `stripey`.
type Table = [(&'static str, &'static str)];

fn vendor_of(table: &Table, module: &str) -> Option<&'static str> {
    table.iter().find_map(|&(prefix, vendor)| {
        let matches = module == prefix
            || (module.starts_with(prefix)
                && (prefix.ends_with(['/', '-', '_', '.', '\\'])
                    || module[prefix.len()..].starts_with(['.', '/', '\\', ':', '-'])));
        matches.then_some(vendor)
    })
}

const PYTHON: [(&str, &str); 32] = [
    ("stripe", "Stripe"),
    ("twilio", "Twilio"),
    ("sendgrid", "SendGrid"),
    ("boto3", "AWS"),
    ("botocore", "AWS"),
    ("aiobotocore", "AWS"),
    ("openai", "OpenAI"),
    ("anthropic", "Anthropic"),
    ("slack_sdk", "Slack"),
    ("slack_bolt", "Slack"),
    ("mailgun", "Mailgun"),
    ("hubspot", "HubSpot"),
    ("simple_salesforce", "Salesforce"),
    ("shopify", "Shopify"),
    ("paypalrestsdk", "PayPal"),
    ("paypalcheckoutsdk", "PayPal"),
    ("braintree", "Braintree"),
    ("plaid", "Plaid"),
    ("mailchimp_marketing", "Mailchimp"),
    ("mailchimp3", "Mailchimp"),
    ("google.cloud", "Google Cloud"),
    ("azure", "Azure"),
    ("square", "Square"),
    ("intercom", "Intercom"),
    ("zenpy", "Zendesk"),
    ("auth0", "Auth0"),
    ("okta", "Okta"),
    ("algoliasearch", "Algolia"),
    ("postmarker", "Postmark"),
    ("resend", "Resend"),
    ("firebase_admin", "Firebase"),
    ("cohere", "Cohere"),
];

const JAVASCRIPT: [(&str, &str); 28] = [
    ("stripe", "Stripe"),
    ("@stripe/", "Stripe"),
    ("twilio", "Twilio"),
    ("@sendgrid/", "SendGrid"),
    ("aws-sdk", "AWS"),
    ("@aws-sdk/", "AWS"),
    ("openai", "OpenAI"),
    ("@anthropic-ai/", "Anthropic"),
    ("@slack/", "Slack"),
    ("mailgun.js", "Mailgun"),
    ("mailgun-js", "Mailgun"),
    ("@hubspot/", "HubSpot"),
    ("jsforce", "Salesforce"),
    ("@shopify/", "Shopify"),
    ("@paypal/", "PayPal"),
    ("braintree", "Braintree"),
    ("plaid", "Plaid"),
    ("@mailchimp/", "Mailchimp"),
    ("@google-cloud/", "Google Cloud"),
    ("@azure/", "Azure"),
    ("square", "Square"),
    ("intercom-client", "Intercom"),
    ("auth0", "Auth0"),
    ("@okta/", "Okta"),
    ("algoliasearch", "Algolia"),
    ("postmark", "Postmark"),
    ("resend", "Resend"),
    ("firebase-admin", "Firebase"),
];

const RUBY_GEMS: [(&str, &str); 14] = [
    ("stripe", "Stripe"),
    ("twilio-ruby", "Twilio"),
    ("sendgrid-ruby", "SendGrid"),
    ("aws-sdk", "AWS"),
    ("openai", "OpenAI"),
    ("anthropic", "Anthropic"),
    ("slack-ruby-client", "Slack"),
    ("mailgun-ruby", "Mailgun"),
    ("hubspot-api-client", "HubSpot"),
    ("restforce", "Salesforce"),
    ("shopify_api", "Shopify"),
    ("paypal-sdk", "PayPal"),
    ("braintree", "Braintree"),
    ("plaid", "Plaid"),
];

const RUBY_CONSTANTS: [(&str, &str); 14] = [
    ("Stripe", "Stripe"),
    ("Twilio", "Twilio"),
    ("SendGrid", "SendGrid"),
    ("Aws", "AWS"),
    ("OpenAI", "OpenAI"),
    ("Anthropic", "Anthropic"),
    ("Slack", "Slack"),
    ("Mailgun", "Mailgun"),
    ("Hubspot", "HubSpot"),
    ("Restforce", "Salesforce"),
    ("ShopifyAPI", "Shopify"),
    ("PayPal", "PayPal"),
    ("Braintree", "Braintree"),
    ("Plaid", "Plaid"),
];

const GO: [(&str, &str); 13] = [
    ("github.com/stripe/stripe-go", "Stripe"),
    ("github.com/twilio/twilio-go", "Twilio"),
    ("github.com/sendgrid/", "SendGrid"),
    ("github.com/aws/aws-sdk-go", "AWS"),
    ("github.com/sashabaranov/go-openai", "OpenAI"),
    ("github.com/openai/openai-go", "OpenAI"),
    ("github.com/anthropics/anthropic-sdk-go", "Anthropic"),
    ("github.com/slack-go/slack", "Slack"),
    ("github.com/mailgun/mailgun-go", "Mailgun"),
    ("cloud.google.com/go/", "Google Cloud"),
    ("github.com/plaid/plaid-go", "Plaid"),
    ("github.com/braintree-go/", "Braintree"),
    ("github.com/Azure/azure-sdk-for-go", "Azure"),
];

const JAVA: [(&str, &str); 17] = [
    ("com.stripe", "Stripe"),
    ("com.twilio", "Twilio"),
    ("com.sendgrid", "SendGrid"),
    ("software.amazon.awssdk", "AWS"),
    ("com.amazonaws", "AWS"),
    ("com.openai", "OpenAI"),
    ("com.anthropic", "Anthropic"),
    ("com.slack.api", "Slack"),
    ("com.hubspot", "HubSpot"),
    ("com.shopify", "Shopify"),
    ("com.paypal", "PayPal"),
    ("com.braintreegateway", "Braintree"),
    ("com.plaid", "Plaid"),
    ("com.google.cloud", "Google Cloud"),
    ("com.azure", "Azure"),
    ("com.mailgun", "Mailgun"),
    ("com.sforce", "Salesforce"),
];

const PHP: [(&str, &str); 14] = [
    ("Stripe", "Stripe"),
    ("Twilio", "Twilio"),
    ("SendGrid", "SendGrid"),
    ("Aws", "AWS"),
    ("OpenAI", "OpenAI"),
    ("Anthropic", "Anthropic"),
    ("Mailgun", "Mailgun"),
    ("HubSpot", "HubSpot"),
    ("Shopify", "Shopify"),
    ("PayPal", "PayPal"),
    ("PayPalCheckoutSdk", "PayPal"),
    ("Braintree", "Braintree"),
    ("Google\\Cloud", "Google Cloud"),
    ("Plaid", "Plaid"),
];

const RUST: [(&str, &str); 12] = [
    ("stripe", "Stripe"),
    ("async_stripe", "Stripe"),
    ("aws_sdk_", "AWS"),
    ("aws_config", "AWS"),
    ("rusoto_", "AWS"),
    ("async_openai", "OpenAI"),
    ("openai", "OpenAI"),
    ("anthropic", "Anthropic"),
    ("twilio", "Twilio"),
    ("sendgrid", "SendGrid"),
    ("google_cloud_", "Google Cloud"),
    ("azure_", "Azure"),
];

fn fix(language: Language, vendor: &str) -> String {
    let port = match language {
        Language::Python => "`class PaymentGateway(Protocol): def charge(self, customer_id: str, amount: Money) -> ChargeId: ...` in the domain, `class StripeGateway(PaymentGateway)` in `adapters/`".to_string(),
        Language::JavaScript | Language::TypeScript => "`export interface PaymentGateway { charge(customerId: string, amount: Money): Promise<ChargeId> }` in the domain, `class StripeGateway implements PaymentGateway` in `adapters/`".to_string(),
        Language::Ruby => "a `PaymentGateway` port the domain calls (`gateway.charge(customer_id:, amount:)`), with `Adapters::StripeGateway` as the only class that mentions the SDK".to_string(),
        Language::Go => "`type PaymentGateway interface { Charge(ctx context.Context, customerID string, amount Money) (ChargeID, error) }` in the domain package, implemented in `internal/adapters/stripe`".to_string(),
        Language::Java => "`public interface PaymentGateway { ChargeId charge(CustomerId id, Money amount); }` in the domain, `StripePaymentGateway implements PaymentGateway` in an adapter package".to_string(),
        Language::Php => "`interface PaymentGateway { public function charge(string $customerId, Money $amount): ChargeId; }` in the domain, `StripePaymentGateway` in `Infrastructure/`".to_string(),
        Language::Rust => "`pub trait PaymentGateway { async fn charge(&self, customer: CustomerId, amount: Money) -> Result<ChargeId, GatewayError>; }` in the domain crate, implemented in an adapter crate".to_string(),
    };
    format!("Put {vendor} behind a port the domain owns: {port}; the domain depends on the port, wiring picks the vendor.")
}
