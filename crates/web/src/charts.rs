//! Server-rendered SVG charts. Presentation attributes only (no inline
//! styles), so the strict CSP holds.

use fcto_engage::health::MonthHealth;
use maud::{html, Markup, PreEscaped};

const ACCENT: &str = "#2f6fde";
const DECIDE: &str = "#2e7d4f";
const EXECUTE: &str = "#e0a03a";
const BAND: &str = "#dfe9f8";
const GRID: &str = "#dde2ea";
const MUTED: &str = "#5c6675";

fn f(x: f64) -> String {
    format!("{x:.1}")
}

/// Hours this month against the tier budget: a bar over the budget band.
pub fn budget_bar(used: f64, min: f64, max: Option<f64>) -> Markup {
    let (w, h) = (180.0, 18.0);
    let scale_max = max.unwrap_or(min.max(used)).max(used).max(1.0) * 1.15;
    let x = |v: f64| (v / scale_max * w).min(w);
    let label = match max {
        Some(m) => format!("{used:.1} of {min:.0}–{m:.0} hours"),
        None => format!("{used:.1} hours (unlimited tier)"),
    };
    let over = max.is_some_and(|m| used > m);
    html! {
        svg width=(w) height=(h) viewBox={"0 0 " (w) " " (h)} role="img" aria-label=(label) {
            title { (label) }
            rect x="0" y="0" width=(w) height=(h) fill="#f1f3f6" {}
            @if let Some(m) = max {
                rect x=(f(x(min))) y="0" width=(f((x(m) - x(min)).max(1.0))) height=(h) fill=(BAND) {}
            }
            rect x="0" y="4" width=(f(x(used))) height=(h - 8.0) fill=(if over { "#b3261e" } else { ACCENT }) {}
        }
    }
}

/// Executor share per month as a small line (0–100%).
pub fn share_sparkline(points: &[Option<f64>]) -> Markup {
    let (w, h) = (120.0, 30.0);
    let n = points.len().max(2) as f64 - 1.0;
    let coords: Vec<(f64, f64)> = points
        .iter()
        .enumerate()
        .filter_map(|(i, p)| p.map(|s| (i as f64 / n * (w - 6.0) + 3.0, h - 3.0 - s * (h - 6.0))))
        .collect();
    let path: String = coords
        .iter()
        .map(|(x, y)| format!("{},{}", f(*x), f(*y)))
        .collect::<Vec<_>>()
        .join(" ");
    let label = points
        .iter()
        .map(|p| {
            p.map(|s| format!("{:.0}%", s * 100.0))
                .unwrap_or_else(|| "–".into())
        })
        .collect::<Vec<_>>()
        .join(", ");
    html! {
        svg width=(w) height=(h) viewBox={"0 0 " (w) " " (h)} role="img" aria-label={"executor share by month: " (label)} {
            title { "Executor share by month: " (label) }
            line x1="0" y1=(f(h / 2.0)) x2=(w) y2=(f(h / 2.0)) stroke=(GRID) stroke-dasharray="2 2" {}
            @if coords.len() > 1 {
                polyline points=(path) fill="none" stroke=(EXECUTE) stroke-width="2" {}
            }
            @for (x, y) in &coords {
                circle cx=(f(*x)) cy=(f(*y)) r="2.2" fill=(EXECUTE) {}
            }
        }
    }
}

/// Hours per month stacked decide/execute, the budget band, and the executor
/// share as a line on the right-hand axis.
pub fn monthly_chart(months: &[MonthHealth]) -> Markup {
    let (w, h, left, right, top, bottom) = (660.0, 240.0, 40.0, 44.0, 14.0, 28.0);
    let plot_w = w - left - right;
    let plot_h = h - top - bottom;
    let max_hours = months
        .iter()
        .map(|m| m.hours.max(m.budget_max.unwrap_or(m.budget_min)))
        .fold(1.0_f64, f64::max)
        * 1.15;
    let y = |v: f64| top + plot_h - v / max_hours * plot_h;
    let slot = plot_w / months.len().max(1) as f64;
    let bar_w = (slot * 0.55).min(48.0);
    let ticks: Vec<f64> = {
        let step = if max_hours > 60.0 {
            20.0
        } else if max_hours > 25.0 {
            10.0
        } else {
            5.0
        };
        (0..)
            .map(|i| i as f64 * step)
            .take_while(|v| *v <= max_hours)
            .collect()
    };
    let share_pts: Vec<(f64, f64)> = months
        .iter()
        .enumerate()
        .filter_map(|(i, m)| {
            m.executor_share
                .map(|s| (left + slot * (i as f64 + 0.5), top + plot_h - s * plot_h))
        })
        .collect();
    let share_path = share_pts
        .iter()
        .map(|(x, yy)| format!("{},{}", f(*x), f(*yy)))
        .collect::<Vec<_>>()
        .join(" ");
    html! {
        svg width="100%" viewBox={"0 0 " (w) " " (h)} role="img" aria-label="Hours per month by kind, with the tier budget and the executor share" {
            title { "Hours per month (decide and execute), tier budget band, executor share line" }
            // The band is per month: the first month of an engagement may be prorated.
            @for (i, m) in months.iter().enumerate() {
                @if let Some(max) = m.budget_max {
                    rect x=(f(left + slot * i as f64)) y=(f(y(max))) width=(f(slot)) height=(f((y(m.budget_min) - y(max)).max(1.0))) fill=(BAND) {
                        title { (m.month) " budget: " (m.budget_min) "–" (max) " h" }
                    }
                }
            }
            @for t in &ticks {
                line x1=(left) y1=(f(y(*t))) x2=(left + plot_w) y2=(f(y(*t))) stroke=(GRID) {}
                text x=(left - 6.0) y=(f(y(*t) + 4.0)) text-anchor="end" fill=(MUTED) { (t) }
            }
            @for pct in [0, 50, 100] {
                text x=(left + plot_w + 6.0) y=(f(top + plot_h - pct as f64 / 100.0 * plot_h + 4.0)) fill=(EXECUTE) { (pct) "%" }
            }
            @for (i, m) in months.iter().enumerate() {
                @let x = left + slot * (i as f64 + 0.5) - bar_w / 2.0;
                rect x=(f(x)) y=(f(y(m.execute_hours))) width=(f(bar_w)) height=(f(top + plot_h - y(m.execute_hours))) fill=(EXECUTE) {
                    title { (m.month) ": " (format!("{:.2}", m.execute_hours)) " h executing" }
                }
                rect x=(f(x)) y=(f(y(m.hours))) width=(f(bar_w)) height=(f(y(m.execute_hours) - y(m.hours))) fill=(DECIDE) {
                    title { (m.month) ": " (format!("{:.2}", m.decide_hours)) " h deciding" }
                }
                text x=(f(left + slot * (i as f64 + 0.5))) y=(h - 10.0) text-anchor="middle" fill=(MUTED) { (m.month) }
            }
            @if share_pts.len() > 1 {
                polyline points=(share_path) fill="none" stroke="#1d2430" stroke-width="2" stroke-dasharray="5 3" {}
            }
            @for (x, yy) in &share_pts {
                circle cx=(f(*x)) cy=(f(*yy)) r="3" fill="#1d2430" {}
            }
        }
        p.muted {
            (legend(DECIDE)) " deciding  " (legend(EXECUTE)) " executing  " (legend(BAND)) " tier budget  "
            (legend("#1d2430")) " executor share (right axis)"
        }
    }
}

fn legend(color: &str) -> Markup {
    html! {
        svg width="10" height="10" viewBox="0 0 10 10" aria-hidden="true" { rect width="10" height="10" fill=(color) {} }
        (PreEscaped(""))
    }
}
