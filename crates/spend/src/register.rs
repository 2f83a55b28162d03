//! The vendor register: every active vendor with its contract terms,
//! renewal date, notice period, owner and escalation contacts — what a
//! handover needs and what stops a contract renewing by default.

use chrono::{Duration, NaiveDate};
use fcto_ical::{Calendar, Event, When};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Billing {
    Monthly,
    Quarterly,
    Annual,
    Other,
}

impl std::str::FromStr for Billing {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "monthly" => Ok(Billing::Monthly),
            "quarterly" => Ok(Billing::Quarterly),
            "annual" | "yearly" => Ok(Billing::Annual),
            "other" => Ok(Billing::Other),
            o => Err(format!(
                "{o:?} is not one of monthly, quarterly, annual, other"
            )),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum DpaStatus {
    Signed,
    Pending,
    None,
    NotNeeded,
}

impl std::str::FromStr for DpaStatus {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "signed" => Ok(DpaStatus::Signed),
            "pending" => Ok(DpaStatus::Pending),
            "none" => Ok(DpaStatus::None),
            "not-needed" | "n/a" => Ok(DpaStatus::NotNeeded),
            o => Err(format!(
                "{o:?} is not one of signed, pending, none, not-needed"
            )),
        }
    }
}

/// One vendor of one client.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct VendorRecord {
    /// Catalog id, or a slug of the name for vendors outside the catalog.
    pub vendor_id: String,
    pub name: String,
    pub category: Option<String>,
    pub plan: Option<String>,
    pub seats: Option<i64>,
    /// Cost per billing period, minor units.
    pub cost: Option<i64>,
    pub currency: String,
    pub billing: Option<Billing>,
    pub contract_start: Option<NaiveDate>,
    pub renewal_date: Option<NaiveDate>,
    /// Days before renewal by which notice must be given.
    pub notice_days: Option<i64>,
    pub auto_renew: Option<bool>,
    pub owner: Option<String>,
    /// Escalation contact at the vendor.
    pub vendor_contact: Option<String>,
    /// Escalation contact on the client's side.
    pub our_contact: Option<String>,
    pub data_location: Option<String>,
    pub dpa: Option<DpaStatus>,
    pub notes: Option<String>,
}

impl VendorRecord {
    pub fn new(vendor_id: &str, name: &str, currency: &str) -> Self {
        VendorRecord {
            vendor_id: vendor_id.into(),
            name: name.into(),
            category: None,
            plan: None,
            seats: None,
            cost: None,
            currency: currency.into(),
            billing: None,
            contract_start: None,
            renewal_date: None,
            notice_days: None,
            auto_renew: None,
            owner: None,
            vendor_contact: None,
            our_contact: None,
            data_location: None,
            dpa: None,
            notes: None,
        }
    }

    /// Last day to give notice before the renewal.
    pub fn notice_deadline(&self) -> Option<NaiveDate> {
        let r = self.renewal_date?;
        Some(r - Duration::days(self.notice_days.unwrap_or(0)))
    }

    /// Check values a person typed; names the field.
    pub fn validate(&self) -> Result<(), (&'static str, String)> {
        if self.name.trim().is_empty() || self.name.chars().count() > 200 {
            return Err(("name", "must be 1–200 characters".into()));
        }
        if self.seats.is_some_and(|s| !(0..=1_000_000).contains(&s)) {
            return Err(("seats", "must be 0 to 1,000,000".into()));
        }
        if self
            .cost
            .is_some_and(|c| !(0..=10_000_000_000).contains(&c))
        {
            return Err(("cost", "must be 0 or more, and not absurd".into()));
        }
        if self.notice_days.is_some_and(|d| !(0..=730).contains(&d)) {
            return Err(("notice-days", "must be 0 to 730".into()));
        }
        if let (Some(s), Some(r)) = (self.contract_start, self.renewal_date) {
            if r < s {
                return Err(("renewal", format!("{r} is before the contract start {s}")));
            }
        }
        for (field, v) in [
            ("owner", &self.owner),
            ("vendor-contact", &self.vendor_contact),
            ("our-contact", &self.our_contact),
            ("notes", &self.notes),
        ] {
            if v.as_deref()
                .is_some_and(|t| t.chars().any(|c| c.is_control() && c != '\n'))
            {
                return Err((field, "contains control characters".into()));
            }
        }
        Ok(())
    }
}

/// A renewal whose notice deadline falls in a window.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Renewal {
    pub client: String,
    pub vendor_id: String,
    pub name: String,
    pub renewal_date: NaiveDate,
    pub notice_deadline: NaiveDate,
    pub days_to_deadline: i64,
    pub auto_renew: Option<bool>,
    pub cost: Option<i64>,
    pub currency: String,
    pub owner: Option<String>,
}

/// Renewals whose notice deadline is between `today` and `today + within`
/// (and those already past the deadline but not yet renewed).
pub fn upcoming(
    records: &[(String, VendorRecord)],
    today: NaiveDate,
    within_days: i64,
) -> Vec<Renewal> {
    let mut out: Vec<Renewal> = records
        .iter()
        .filter_map(|(client, r)| {
            let renewal = r.renewal_date?;
            let deadline = r.notice_deadline()?;
            let days = (deadline - today).num_days();
            (renewal >= today && days <= within_days).then(|| Renewal {
                client: client.clone(),
                vendor_id: r.vendor_id.clone(),
                name: r.name.clone(),
                renewal_date: renewal,
                notice_deadline: deadline,
                days_to_deadline: days,
                auto_renew: r.auto_renew,
                cost: r.cost,
                currency: r.currency.clone(),
                owner: r.owner.clone(),
            })
        })
        .collect();
    out.sort_by_key(|r| (r.notice_deadline, r.client.clone(), r.vendor_id.clone()));
    out
}

/// Each notice deadline as an all-day event with a reminder a week before.
pub fn renewals_calendar(renewals: &[Renewal]) -> Calendar {
    let mut cal = Calendar::new("fcto vendor notice deadlines");
    for r in renewals {
        cal.events.push(Event {
            uid: format!(
                "notice-{}-{}-{}@fcto",
                r.client, r.vendor_id, r.renewal_date
            ),
            when: When::AllDay(r.notice_deadline),
            summary: format!(
                "Notice deadline: {} ({}) renews {}",
                r.name, r.client, r.renewal_date
            ),
            description: Some(format!(
                "Give notice by {} or {} {} on {}.{}",
                r.notice_deadline,
                r.name,
                if r.auto_renew == Some(false) {
                    "lapses"
                } else {
                    "renews automatically"
                },
                r.renewal_date,
                r.owner
                    .as_ref()
                    .map(|o| format!(" Owner: {o}."))
                    .unwrap_or_default()
            )),
            categories: vec![r.client.clone(), "renewal".into()],
            alarm_minutes_before: Some(7 * 24 * 60),
        });
    }
    cal
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).expect("date")
    }

    #[test]
    fn notice_deadlines_and_window() {
        let mut a = VendorRecord::new("hubspot", "HubSpot", "GBP");
        a.renewal_date = Some(d(2027, 1, 31));
        a.notice_days = Some(30);
        let mut b = VendorRecord::new("xero", "Xero", "GBP");
        b.renewal_date = Some(d(2027, 6, 1));
        b.notice_days = Some(90);
        let mut c = VendorRecord::new("old", "Old", "GBP");
        c.renewal_date = Some(d(2026, 1, 1));
        let recs = vec![
            ("acme".to_string(), a.clone()),
            ("acme".to_string(), b),
            ("acme".to_string(), c),
        ];
        assert_eq!(a.notice_deadline(), Some(d(2027, 1, 1)));
        let up = upcoming(&recs, d(2026, 11, 25), 60);
        assert_eq!(up.len(), 1);
        assert_eq!(up[0].vendor_id, "hubspot");
        assert_eq!(up[0].days_to_deadline, 37);
        let ics =
            renewals_calendar(&up).render_at(d(2026, 11, 25).and_hms_opt(0, 0, 0).expect("t"));
        assert!(ics.contains("DTSTART;VALUE=DATE:20270101"));
        assert!(ics.contains("TRIGGER:-PT10080M"));
    }

    #[test]
    fn validation_names_the_field() {
        let mut r = VendorRecord::new("x", "X", "GBP");
        r.notice_days = Some(-3);
        assert_eq!(r.validate().map_err(|e| e.0), Err("notice-days"));
        r.notice_days = None;
        r.contract_start = Some(d(2026, 5, 1));
        r.renewal_date = Some(d(2026, 4, 1));
        assert_eq!(r.validate().map_err(|e| e.0), Err("renewal"));
    }
}
