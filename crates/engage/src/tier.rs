use serde::{Deserialize, Serialize};

use crate::model::Tier;

/// The monthly hour budget of one tier. `max_hours == None` means unlimited
/// (Dominance: "continuous").
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct TierBudget {
    pub min_hours: f64,
    pub max_hours: Option<f64>,
    /// Hours a month the week planner assumes for an unlimited tier.
    #[serde(default)]
    pub planning_hours: Option<f64>,
}

impl TierBudget {
    /// Hours per month the planner works towards.
    pub fn plan_hours(&self) -> f64 {
        self.planning_hours
            .or(self.max_hours)
            .unwrap_or(self.min_hours.max(60.0))
    }

    /// Where `used` hours sit against this budget.
    pub fn standing(&self, used: f64) -> BudgetStanding {
        match self.max_hours {
            Some(max) if used > max + 1e-9 => BudgetStanding::Over,
            _ if used + 1e-9 < self.min_hours => BudgetStanding::Under,
            _ => BudgetStanding::Within,
        }
    }

    pub fn label(&self) -> String {
        match self.max_hours {
            Some(max) => format!("{}–{} h", trim(self.min_hours), trim(max)),
            None => "unlimited".to_string(),
        }
    }
}

fn trim(h: f64) -> String {
    if h.fract() == 0.0 {
        format!("{h:.0}")
    } else {
        format!("{h:.1}")
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum BudgetStanding {
    Under,
    Within,
    Over,
}

/// Budgets per tier; the defaults are the seed's (Foundation 8–10 h,
/// Growth 15–20 h, Dominance continuous) and a config file may override them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TierTable {
    pub foundation: TierBudget,
    pub growth: TierBudget,
    pub dominance: TierBudget,
}

impl Default for TierTable {
    fn default() -> Self {
        TierTable {
            foundation: TierBudget {
                min_hours: 8.0,
                max_hours: Some(10.0),
                planning_hours: None,
            },
            growth: TierBudget {
                min_hours: 15.0,
                max_hours: Some(20.0),
                planning_hours: None,
            },
            dominance: TierBudget {
                min_hours: 0.0,
                max_hours: None,
                planning_hours: Some(80.0),
            },
        }
    }
}

impl TierTable {
    pub fn budget(&self, tier: Tier) -> TierBudget {
        match tier {
            Tier::Foundation => self.foundation,
            Tier::Growth => self.growth,
            Tier::Dominance => self.dominance,
        }
    }

    /// Reject budgets that make no sense (negative, min above max).
    pub fn validate(&self) -> crate::Result<()> {
        for (name, b) in [
            ("foundation", self.foundation),
            ("growth", self.growth),
            ("dominance", self.dominance),
        ] {
            let bad = !b.min_hours.is_finite()
                || b.min_hours < 0.0
                || b.max_hours
                    .is_some_and(|m| !m.is_finite() || m < b.min_hours)
                || b.planning_hours.is_some_and(|p| !p.is_finite() || p < 0.0);
            if bad {
                return Err(crate::EngageError::invalid(
                    "tiers",
                    format!("the {name} budget must have 0 <= min_hours <= max_hours"),
                ));
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn standing_against_seed_budgets() {
        let t = TierTable::default();
        assert_eq!(
            t.budget(Tier::Foundation).standing(7.5),
            BudgetStanding::Under
        );
        assert_eq!(
            t.budget(Tier::Foundation).standing(9.0),
            BudgetStanding::Within
        );
        assert_eq!(
            t.budget(Tier::Foundation).standing(10.25),
            BudgetStanding::Over
        );
        assert_eq!(
            t.budget(Tier::Dominance).standing(300.0),
            BudgetStanding::Within
        );
        assert_eq!(t.budget(Tier::Growth).label(), "15–20 h");
    }

    #[test]
    fn nonsense_budgets_are_rejected() {
        let mut t = TierTable::default();
        t.growth.max_hours = Some(5.0);
        assert!(t.validate().is_err());
        t.growth.max_hours = Some(f64::NAN);
        assert!(t.validate().is_err());
    }
}
