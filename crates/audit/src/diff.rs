//! What changed between two audits of one client: the list a CTO reads at
//! the monthly review ("two secrets gone, one library upgraded, a new
//! single-owner component").

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use crate::model::{Audit, SecretRecord};

#[derive(Debug, Clone, Default, Serialize, PartialEq)]
pub struct AuditDiff {
    pub from: String,
    pub to: String,
    pub languages: Vec<LanguageChange>,
    pub components_added: Vec<String>,
    pub components_removed: Vec<String>,
    pub components_changed: Vec<VersionChange>,
    pub vulnerabilities_new: Vec<String>,
    pub vulnerabilities_fixed: Vec<String>,
    pub secrets_new: Vec<SecretRecord>,
    pub secrets_removed: Vec<SecretRecord>,
    pub risks_new: Vec<String>,
    pub risks_gone: Vec<String>,
    pub infrastructure_added: Vec<String>,
    pub infrastructure_removed: Vec<String>,
    pub migrations: Vec<CountChange>,
}

impl AuditDiff {
    pub fn is_empty(&self) -> bool {
        self.languages.is_empty()
            && self.components_added.is_empty()
            && self.components_removed.is_empty()
            && self.components_changed.is_empty()
            && self.vulnerabilities_new.is_empty()
            && self.vulnerabilities_fixed.is_empty()
            && self.secrets_new.is_empty()
            && self.secrets_removed.is_empty()
            && self.risks_new.is_empty()
            && self.risks_gone.is_empty()
            && self.infrastructure_added.is_empty()
            && self.infrastructure_removed.is_empty()
            && self.migrations.is_empty()
    }
}

#[derive(Debug, Clone, Default, Serialize, PartialEq, Eq)]
pub struct LanguageChange {
    pub language: String,
    pub code_before: u64,
    pub code_after: u64,
}

#[derive(Debug, Clone, Default, Serialize, PartialEq, Eq)]
pub struct VersionChange {
    pub ecosystem: String,
    pub name: String,
    pub before: Vec<String>,
    pub after: Vec<String>,
}

#[derive(Debug, Clone, Default, Serialize, PartialEq, Eq)]
pub struct CountChange {
    pub name: String,
    pub before: u64,
    pub after: u64,
}

/// Items in `after` and not in `before`, and the other way round.
fn added_removed<T: Ord + Clone>(before: &BTreeSet<T>, after: &BTreeSet<T>) -> (Vec<T>, Vec<T>) {
    (
        after.difference(before).cloned().collect(),
        before.difference(after).cloned().collect(),
    )
}

pub fn diff(before: &Audit, after: &Audit) -> AuditDiff {
    let mut out = AuditDiff {
        from: before.started_at.clone(),
        to: after.started_at.clone(),
        ..AuditDiff::default()
    };

    let code = |a: &Audit| -> BTreeMap<String, u64> {
        a.languages
            .rows
            .iter()
            .map(|r| (r.language.clone(), r.code))
            .collect()
    };
    let (code_before, code_after) = (code(before), code(after));
    let names: BTreeSet<&String> = code_before.keys().chain(code_after.keys()).collect();
    for name in names {
        let (b, a) = (
            code_before.get(name).copied().unwrap_or(0),
            code_after.get(name).copied().unwrap_or(0),
        );
        if a != b {
            out.languages.push(LanguageChange {
                language: name.clone(),
                code_before: b,
                code_after: a,
            });
        }
    }

    // Components by (ecosystem, name): a changed version is an upgrade,
    // not one removal plus one addition.
    let versions = |a: &Audit| -> BTreeMap<(String, String), BTreeSet<String>> {
        let mut map: BTreeMap<(String, String), BTreeSet<String>> = BTreeMap::new();
        for c in &a.dependencies.components {
            map.entry((c.ecosystem.clone(), c.name.clone()))
                .or_default()
                .insert(c.version.clone());
        }
        map
    };
    let (v_before, v_after) = (versions(before), versions(after));
    for (key, after_versions) in &v_after {
        match v_before.get(key) {
            None => out.components_added.push(format!("{} {}", key.0, key.1)),
            Some(before_versions) if before_versions != after_versions => {
                out.components_changed.push(VersionChange {
                    ecosystem: key.0.clone(),
                    name: key.1.clone(),
                    before: before_versions.iter().cloned().collect(),
                    after: after_versions.iter().cloned().collect(),
                })
            }
            Some(_) => {}
        }
    }
    for key in v_before.keys() {
        if !v_after.contains_key(key) {
            out.components_removed.push(format!("{} {}", key.0, key.1));
        }
    }

    let vulns = |a: &Audit| -> BTreeSet<String> {
        a.vulnerabilities
            .findings
            .iter()
            .map(|v| format!("{} in {} {}", v.id, v.package, v.version))
            .collect()
    };
    (out.vulnerabilities_new, out.vulnerabilities_fixed) =
        added_removed(&vulns(before), &vulns(after));

    // Secrets by fingerprint: moving a line does not make a new secret.
    let prints = |a: &Audit| -> BTreeSet<String> {
        a.secrets
            .findings
            .iter()
            .map(|s| s.fingerprint.clone())
            .collect()
    };
    let (p_before, p_after) = (prints(before), prints(after));
    out.secrets_new = after
        .secrets
        .findings
        .iter()
        .filter(|s| !p_before.contains(&s.fingerprint))
        .cloned()
        .collect();
    out.secrets_removed = before
        .secrets
        .findings
        .iter()
        .filter(|s| !p_after.contains(&s.fingerprint))
        .cloned()
        .collect();

    let risks = |a: &Audit| -> BTreeSet<String> { a.risks.iter().map(|r| r.key.clone()).collect() };
    let (new_keys, gone_keys) = added_removed(&risks(before), &risks(after));
    let title = |a: &Audit, key: &str| {
        a.risks
            .iter()
            .find(|r| r.key == key)
            .map(|r| r.title.clone())
            .unwrap_or_else(|| key.to_string())
    };
    out.risks_new = new_keys.iter().map(|k| title(after, k)).collect();
    out.risks_gone = gone_keys.iter().map(|k| title(before, k)).collect();

    let infra = |a: &Audit| -> BTreeSet<String> {
        a.infrastructure
            .files
            .iter()
            .map(|f| format!("{} ({})", f.path, f.kind))
            .collect()
    };
    (out.infrastructure_added, out.infrastructure_removed) =
        added_removed(&infra(before), &infra(after));

    let sets = |a: &Audit| -> BTreeMap<String, u64> {
        a.data
            .migrations
            .iter()
            .map(|m| (m.framework.clone(), m.files))
            .collect()
    };
    let (m_before, m_after) = (sets(before), sets(after));
    let frameworks: BTreeSet<&String> = m_before.keys().chain(m_after.keys()).collect();
    for name in frameworks {
        let (b, a) = (
            m_before.get(name).copied().unwrap_or(0),
            m_after.get(name).copied().unwrap_or(0),
        );
        if a != b {
            out.migrations.push(CountChange {
                name: name.clone(),
                before: b,
                after: a,
            });
        }
    }
    out
}
