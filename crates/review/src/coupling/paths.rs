//! What a file's path says about it: configuration (where hosts belong) or
//! a request path (where unbounded queries hurt).

fn parts(path: &str) -> (Vec<String>, String) {
    let lower = path.to_ascii_lowercase().replace('\\', "/");
    let mut segments: Vec<String> = lower
        .split('/')
        .filter(|s| !s.is_empty() && *s != ".")
        .map(str::to_string)
        .collect();
    let name = segments.pop().unwrap_or_default();
    (segments, name)
}

/// The file name up to its first dot (`.env.local` gives `env`).
fn stem(name: &str) -> &str {
    let name = name.trim_start_matches('.');
    name.split('.').next().unwrap_or(name)
}

/// Configuration files: anything under a `config/` or `settings/` folder,
/// or named like `settings.py`, `config.ts`, `vite.config.js`, `.env`.
pub fn is_config_path(path: &str) -> bool {
    let (dirs, name) = parts(path);
    if dirs.iter().any(|d| {
        matches!(
            d.as_str(),
            "config" | "configs" | "settings" | "conf" | ".config"
        )
    }) {
        return true;
    }
    let stem = stem(&name);
    name.starts_with(".env")
        || name.contains(".config.")
        || matches!(
            stem,
            "settings" | "config" | "configuration" | "conf" | "env"
        )
        || stem.starts_with("settings_")
        || stem.starts_with("config_")
}

/// Files that serve requests: views, controllers, handlers, routes, API
/// folders and resolvers.
pub fn is_request_path(path: &str) -> bool {
    const WORDS: [&str; 14] = [
        "views",
        "view",
        "controllers",
        "controller",
        "handlers",
        "handler",
        "routes",
        "route",
        "routers",
        "router",
        "api",
        "endpoints",
        "resolvers",
        "pages",
    ];
    let (dirs, name) = parts(path);
    if dirs.iter().any(|d| WORDS.contains(&d.as_str())) {
        return true;
    }
    let stem = stem(&name);
    WORDS.contains(&stem)
        || [
            "controller",
            "_views",
            "handler",
            "_routes",
            "_api",
            "_view",
            "resolver",
        ]
        .iter()
        .any(|suffix| stem.ends_with(suffix))
        || [
            ".controller.",
            ".routes.",
            ".handler.",
            ".resolver.",
            ".route.",
        ]
        .iter()
        .any(|infix| name.contains(infix))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn config_paths() {
        assert!(is_config_path("config/services.rb"));
        assert!(is_config_path("app/settings.py"));
        assert!(is_config_path("src/config.ts"));
        assert!(is_config_path("vite.config.js"));
        assert!(is_config_path("project/settings/prod.py"));
        assert!(!is_config_path("app/billing.py"));
        assert!(!is_config_path("app/configurator.py"));
    }

    #[test]
    fn request_paths() {
        assert!(is_request_path("shop/views.py"));
        assert!(is_request_path("app/controllers/orders_controller.rb"));
        assert!(is_request_path("src/routes/orders.ts"));
        assert!(is_request_path("src/orders.controller.ts"));
        assert!(is_request_path("internal/handlers/orders.go"));
        assert!(is_request_path("src/main/java/x/OrderController.java"));
        assert!(!is_request_path("app/jobs/nightly.py"));
        assert!(!is_request_path("lib/reviewer.rb"));
    }
}
