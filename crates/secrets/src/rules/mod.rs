//! The rule catalog and the validators behind each anchor.

pub(crate) mod assign;
pub(crate) mod azure;
pub(crate) mod dburl;
pub(crate) mod jwt;
pub(crate) mod pem;
pub(crate) mod tokens;

use crate::finding::Severity;

/// One kind of secret the scanner knows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct Rule {
    pub id: &'static str,
    pub title: &'static str,
    /// The usual severity; some findings are lowered (test keys, localhost).
    pub severity: Severity,
    pub description: &'static str,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum RuleId {
    AwsAccessKeyId,
    AwsSecretAccessKey,
    GcpApiKey,
    GcpServiceAccountKey,
    AzureStorageAccountKey,
    AzureSharedAccessKey,
    AzureSasToken,
    StripeSecretKey,
    StripeRestrictedKey,
    StripeTestKey,
    GithubToken,
    GitlabToken,
    SlackToken,
    SlackWebhookUrl,
    TwilioApiKey,
    TwilioAuthToken,
    SendgridApiKey,
    OpenaiApiKey,
    AnthropicApiKey,
    PrivateKey,
    Jwt,
    DatabaseUrlPassword,
    GenericSecretAssignment,
}

impl RuleId {
    pub(crate) fn rule(self) -> &'static Rule {
        // The enum and the table are kept in the same order; the test below
        // checks every id resolves to its own entry.
        &RULES[self as usize]
    }
}

macro_rules! rule {
    ($id:literal, $sev:ident, $title:literal, $desc:literal) => {
        Rule {
            id: $id,
            title: $title,
            severity: Severity::$sev,
            description: $desc,
        }
    };
}

/// Every rule, in a stable order.
pub static RULES: &[Rule] = &[
    rule!("aws-access-key-id", High, "AWS access key id",
        "AKIA/ASIA/ABIA/ACCA followed by 16 upper-case letters or digits. ASIA ids are temporary (medium). AWS's documented example AKIAIOSFODNN7EXAMPLE is not reported."),
    rule!("aws-secret-access-key", High, "AWS secret access key",
        "40 base64 characters assigned to an aws_secret_access_key-like name, or a secret/secret_key near AWS context (the word aws or an access key id)."),
    rule!("gcp-api-key", Medium, "Google Cloud API key", "AIza followed by 35 URL-safe characters."),
    rule!("gcp-service-account-key", High, "Google Cloud service-account private key",
        "A PEM private key in the \"private_key\" field of a service-account JSON file."),
    rule!("azure-storage-account-key", High, "Azure storage account key",
        "AccountKey= in a storage connection string with an 88-character base64 key. The Azurite emulator's published key is not reported."),
    rule!("azure-shared-access-key", High, "Azure shared access key",
        "SharedAccessKey= in a Service Bus / Event Hubs / IoT Hub connection string."),
    rule!("azure-sas-token", Medium, "Azure shared access signature",
        "A sig= signature in a query string that also carries sv= (a SAS token)."),
    rule!("stripe-secret-key", High, "Stripe live secret key", "sk_live_ followed by 16 or more letters and digits."),
    rule!("stripe-restricted-key", High, "Stripe live restricted key", "rk_live_ followed by 16 or more letters and digits."),
    rule!("stripe-test-key", Low, "Stripe test-mode key", "sk_test_ or rk_test_: grants access to test data only."),
    rule!("github-token", High, "GitHub token",
        "ghp_/gho_/ghu_/ghs_/ghr_ followed by 36 or more letters and digits, or a github_pat_ fine-grained token."),
    rule!("gitlab-token", High, "GitLab token", "glpat-, gldt-, glrt- or glptt- followed by 20 or more URL-safe characters."),
    rule!("slack-token", High, "Slack token", "xoxb-/xoxp-/xoxa-/xoxr-/xoxs-/xoxe- followed by a numeric team part and the token."),
    rule!("slack-webhook-url", Medium, "Slack incoming webhook URL", "https://hooks.slack.com/services/T…/B…/… (and workflow/trigger URLs)."),
    rule!("twilio-api-key", High, "Twilio API key", "SK followed by 32 lower-case hex digits."),
    rule!("twilio-auth-token", High, "Twilio auth token",
        "32 hex digits beside a Twilio account SID (AC + 32 hex) or assigned to an auth-token name near Twilio context."),
    rule!("sendgrid-api-key", High, "SendGrid API key", "SG.<22>.<43>"),
    rule!("openai-api-key", High, "OpenAI API key", "sk-proj-/sk-svcacct-/sk-admin- keys and legacy sk- keys of 48 characters."),
    rule!("anthropic-api-key", High, "Anthropic API key", "sk-ant-api03-… and sk-ant-admin01-… keys."),
    rule!("private-key", High, "Private key",
        "-----BEGIN … PRIVATE KEY----- (RSA, EC, DSA, OPENSSH, PGP, ENCRYPTED, PKCS#8) with a base64 body; encrypted keys are medium."),
    rule!("jwt", Medium, "JSON Web Token",
        "Three base64url parts whose header decodes to a JSON object with \"alg\" and whose signature is present."),
    rule!("database-url-password", High, "Database URL with a password",
        "postgres(ql)/mysql/mariadb/mongodb(+srv)/redis(s)/amqp(s)/mssql/sqlserver URLs with user:password@; a localhost host is low; placeholder and default passwords are not reported."),
    rule!("generic-secret-assignment", Medium, "Hard-coded secret",
        "A literal assigned to a name ending in password/passwd/pass/pwd/secret/token/apikey/secret_key/auth whose value is long and random enough (Shannon entropy) and is no placeholder, reference, UUID, hash, path or word."),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_rule_id_resolves_to_its_entry() {
        let all = [
            (RuleId::AwsAccessKeyId, "aws-access-key-id"),
            (RuleId::AwsSecretAccessKey, "aws-secret-access-key"),
            (RuleId::GcpApiKey, "gcp-api-key"),
            (RuleId::GcpServiceAccountKey, "gcp-service-account-key"),
            (RuleId::AzureStorageAccountKey, "azure-storage-account-key"),
            (RuleId::AzureSharedAccessKey, "azure-shared-access-key"),
            (RuleId::AzureSasToken, "azure-sas-token"),
            (RuleId::StripeSecretKey, "stripe-secret-key"),
            (RuleId::StripeRestrictedKey, "stripe-restricted-key"),
            (RuleId::StripeTestKey, "stripe-test-key"),
            (RuleId::GithubToken, "github-token"),
            (RuleId::GitlabToken, "gitlab-token"),
            (RuleId::SlackToken, "slack-token"),
            (RuleId::SlackWebhookUrl, "slack-webhook-url"),
            (RuleId::TwilioApiKey, "twilio-api-key"),
            (RuleId::TwilioAuthToken, "twilio-auth-token"),
            (RuleId::SendgridApiKey, "sendgrid-api-key"),
            (RuleId::OpenaiApiKey, "openai-api-key"),
            (RuleId::AnthropicApiKey, "anthropic-api-key"),
            (RuleId::PrivateKey, "private-key"),
            (RuleId::Jwt, "jwt"),
            (RuleId::DatabaseUrlPassword, "database-url-password"),
            (RuleId::GenericSecretAssignment, "generic-secret-assignment"),
        ];
        assert_eq!(all.len(), RULES.len());
        for (id, name) in all {
            assert_eq!(id.rule().id, name);
        }
    }
}
