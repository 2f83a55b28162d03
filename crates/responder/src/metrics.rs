//! How the responder is doing for a client: draft latency (p50, p95),
//! approval rate, how much the owner edited before approving, and the time
//! from an inquiry to its reply. The scorecard reads these.

use chrono::DateTime;
use fcto_store::mail_drafts::MailDraft;
use serde::Serialize;

/// Characters compared per text; longer drafts are compared on their start
/// (an O(n*m) distance on whole long mails is not worth it).
const MAX_DISTANCE_CHARS: usize = 4_000;

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Metrics {
    pub drafts: usize,
    pub queued: usize,
    pub approved: usize,
    pub rejected: usize,
    pub sent: usize,
    /// Answered from the owner's mail client instead.
    pub handled_outside: usize,
    pub uncertain: usize,
    pub failed: usize,
    pub latency_p50_ms: Option<i64>,
    pub latency_p95_ms: Option<i64>,
    /// Approved / (approved + rejected), over decided drafts.
    pub approval_rate: Option<f64>,
    /// Mean characters changed before approval, and as a share of the draft.
    pub mean_edit_chars: Option<f64>,
    pub mean_edit_share: Option<f64>,
    /// Approved drafts sent unchanged.
    pub unedited_share: Option<f64>,
    /// Inquiry's date to the reply's, over replies sent.
    pub reply_p50_minutes: Option<f64>,
    pub reply_p95_minutes: Option<f64>,
}

/// Levenshtein distance in characters.
pub fn edit_distance(a: &str, b: &str) -> i64 {
    let a: Vec<char> = a.chars().take(MAX_DISTANCE_CHARS).collect();
    let b: Vec<char> = b.chars().take(MAX_DISTANCE_CHARS).collect();
    if a == b {
        return 0;
    }
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    let mut current = vec![0; b.len() + 1];
    for (i, ca) in a.iter().enumerate() {
        current[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let substitute = previous[j] + usize::from(ca != cb);
            current[j + 1] = substitute.min(previous[j + 1] + 1).min(current[j] + 1);
        }
        std::mem::swap(&mut previous, &mut current);
    }
    i64::try_from(previous[b.len()]).unwrap_or(i64::MAX)
}

/// The value at quantile `q` (nearest rank) of sorted values.
fn quantile<T: Copy>(sorted: &[T], q: f64) -> Option<T> {
    if sorted.is_empty() {
        return None;
    }
    let rank = ((q * sorted.len() as f64).ceil() as usize).clamp(1, sorted.len());
    Some(sorted[rank - 1])
}

fn mean(values: &[f64]) -> Option<f64> {
    (!values.is_empty()).then(|| values.iter().sum::<f64>() / values.len() as f64)
}

pub fn compute(drafts: &[MailDraft]) -> Metrics {
    let count = |s: &str| drafts.iter().filter(|d| d.status == s).count();
    let mut m = Metrics {
        drafts: drafts.len(),
        queued: count("queued"),
        rejected: count("rejected"),
        sent: count("sent"),
        handled_outside: count("handled"),
        uncertain: count("uncertain"),
        failed: count("failed"),
        ..Metrics::default()
    };
    // Approved: every draft a person said yes to, whatever became of the send.
    m.approved = drafts
        .iter()
        .filter(|d| d.decided_at.is_some() && d.status != "rejected")
        .count();
    let mut latencies: Vec<i64> = drafts.iter().map(|d| d.latency_ms).collect();
    latencies.sort_unstable();
    m.latency_p50_ms = quantile(&latencies, 0.5);
    m.latency_p95_ms = quantile(&latencies, 0.95);
    let decided = m.approved + m.rejected;
    m.approval_rate = (decided > 0).then(|| m.approved as f64 / decided as f64);
    let edits: Vec<(f64, f64)> = drafts
        .iter()
        .filter_map(|d| {
            let distance = d.edit_distance? as f64;
            let size = d.drafted_body.chars().count().max(1) as f64;
            Some((distance, distance / size))
        })
        .collect();
    m.mean_edit_chars = mean(&edits.iter().map(|e| e.0).collect::<Vec<_>>());
    m.mean_edit_share = mean(&edits.iter().map(|e| e.1).collect::<Vec<_>>());
    m.unedited_share = (!edits.is_empty())
        .then(|| edits.iter().filter(|e| e.0 == 0.0).count() as f64 / edits.len() as f64);
    let mut waits: Vec<f64> = drafts
        .iter()
        .filter_map(|d| {
            let sent = DateTime::parse_from_rfc3339(d.sent_at.as_deref()?).ok()?;
            let asked = DateTime::parse_from_rfc3339(&d.inquiry_at).ok()?;
            Some((sent - asked).num_seconds().max(0) as f64 / 60.0)
        })
        .collect();
    waits.sort_by(f64::total_cmp);
    m.reply_p50_minutes = quantile(&waits, 0.5);
    m.reply_p95_minutes = quantile(&waits, 0.95);
    m
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn distances() {
        assert_eq!(edit_distance("kitten", "sitting"), 3);
        assert_eq!(edit_distance("", "abc"), 3);
        assert_eq!(edit_distance("£10 per head", "£10 per head"), 0);
        assert_eq!(edit_distance("café", "cafe"), 1);
    }

    #[test]
    fn quantiles_by_nearest_rank() {
        let v: Vec<i64> = (1..=20).collect();
        assert_eq!(quantile(&v, 0.5), Some(10));
        assert_eq!(quantile(&v, 0.95), Some(19));
        assert_eq!(quantile::<i64>(&[], 0.5), None);
        assert_eq!(quantile(&[7], 0.95), Some(7));
    }
}
