//! Assemble the domain's reports from stored records, so the CLI and the web
//! ask for "health of X" or "the week of D" the same way.

use chrono::{Duration, NaiveDate, NaiveTime};
use fcto_engage::health::{assess, Health, HealthInput};
use fcto_engage::week::{monday_of, plan_week, ClientWeekInput, WeekPlan};
use fcto_engage::{Client, Decision, Month, MonthHours, System, TierTable};

use crate::decisions::DecisionFilter;
use crate::{Store, StoreError, StoreResult};

impl Store {
    pub async fn client_health(
        &self,
        client: &Client,
        tiers: &TierTable,
        today: NaiveDate,
        months: usize,
    ) -> StoreResult<Health> {
        let hours = self.monthly_hours(client.id).await?;
        let decisions = self
            .decisions(&DecisionFilter {
                client: Some(client.slug.clone()),
                ..Default::default()
            })
            .await?;
        let systems = self.systems(Some(&client.slug)).await?;
        Ok(assess(&HealthInput {
            client,
            budget: tiers.budget(client.tier),
            hours: &hours,
            decisions: &decisions,
            systems: &systems,
            today,
            months,
        }))
    }

    /// Health of every active client in three queries (not three per client),
    /// for the dashboard.
    pub async fn all_health(
        &self,
        tiers: &TierTable,
        today: NaiveDate,
        months: usize,
    ) -> StoreResult<Vec<Health>> {
        let clients = self.list_clients(false).await?;
        let hours = self.monthly_hours_all().await?;
        let decisions = self.decisions(&DecisionFilter::default()).await?;
        let systems = self.systems(None).await?;
        Ok(clients
            .iter()
            .map(|c| {
                let h: Vec<(Month, MonthHours)> = hours
                    .iter()
                    .filter(|(id, _, _)| *id == c.id)
                    .map(|(_, m, h)| (*m, *h))
                    .collect();
                let d: Vec<Decision> = decisions
                    .iter()
                    .filter(|d| d.client_slug == c.slug)
                    .cloned()
                    .collect();
                let s: Vec<System> = systems
                    .iter()
                    .filter(|s| s.client_slug == c.slug)
                    .cloned()
                    .collect();
                assess(&HealthInput {
                    client: c,
                    budget: tiers.budget(c.tier),
                    hours: &h,
                    decisions: &d,
                    systems: &s,
                    today,
                    months,
                })
            })
            .collect())
    }

    /// The plan for the week containing `day`, across every active client.
    pub async fn week_plan(&self, day: NaiveDate, tiers: &TierTable) -> StoreResult<WeekPlan> {
        let start = monday_of(day);
        let friday = start + Duration::days(4);
        let due = self
            .decisions(&DecisionFilter {
                due_by: Some(friday),
                ..Default::default()
            })
            .await?;
        let systems = self.systems(None).await?;
        let mut inputs = Vec::new();
        for client in self.list_clients(false).await? {
            // Hours already spent this month before the week begins.
            let used = self
                .hours_between(
                    client.id,
                    Month::of(start).first_day(),
                    start - Duration::days(1),
                )
                .await?;
            inputs.push(ClientWeekInput {
                budget: tiers.budget(client.tier),
                used_this_month: used,
                decisions_due: due
                    .iter()
                    .filter(|d| d.client_slug == client.slug)
                    .cloned()
                    .collect(),
                systems: systems
                    .iter()
                    .filter(|s| s.client_slug == client.slug)
                    .cloned()
                    .collect(),
                client,
            });
        }
        let nine = NaiveTime::from_hms_opt(9, 0, 0).unwrap_or(NaiveTime::MIN);
        Ok(plan_week(start, &inputs, nine))
    }
}

impl Store {
    /// The built-in vendor catalog plus this client's additions.
    pub async fn client_catalog(&self, client: &str) -> StoreResult<fcto_spend::catalog::Catalog> {
        let mut catalog = fcto_spend::catalog::Catalog::builtin();
        if let Some((source, body)) = self.catalog_extension(client).await? {
            // The extension was validated when it was stored.
            let extra = fcto_spend::catalog::Catalog::from_toml(&body, &source)
                .map_err(|e| StoreError::Corrupt(e.to_string()))?;
            catalog.extend(extra);
        }
        Ok(catalog)
    }

    /// A client's spend analysis as of a date (default: its latest
    /// transaction); `None` when nothing has been imported.
    pub async fn spend_analysis(
        &self,
        client: &str,
        as_of: Option<NaiveDate>,
    ) -> StoreResult<Option<fcto_spend::analysis::Analysis>> {
        use fcto_spend::opportunities::{Context, VendorSeats};
        let started = std::time::Instant::now();
        let txs = self.spend_transactions(client).await?;
        tracing::debug!(
            rows = txs.len(),
            ms = started.elapsed().as_millis() as u64,
            "loaded transactions"
        );
        if txs.is_empty() {
            return Ok(None);
        }
        let catalog = self.client_catalog(client).await?;
        let as_of = match as_of {
            Some(d) => d,
            // Oldest first: the last is the "as of" of the data.
            None => txs
                .last()
                .map(|t| t.date)
                .unwrap_or_else(|| chrono::Local::now().date_naive()),
        };
        let seat_lists = self.seat_lists(client).await?;
        let directory = seat_lists
            .iter()
            .find(|(v, _)| v == "google-workspace")
            .or_else(|| seat_lists.iter().find(|(v, _)| v == "microsoft-365"))
            .map(|(_, l)| l);
        let owned = self
            .vendors(Some(client))
            .await?
            .into_iter()
            .filter(|(_, r)| r.owner.is_some())
            .map(|(_, r)| r.vendor_id)
            .collect();
        let ctx = Context {
            seats: seat_lists
                .iter()
                .map(|(v, l)| VendorSeats {
                    vendor_id: v,
                    list: l,
                })
                .collect(),
            directory,
            owned,
        };
        let started = std::time::Instant::now();
        let analysis = fcto_spend::analysis::analyse(&txs, &catalog, &ctx, as_of);
        tracing::debug!(ms = started.elapsed().as_millis() as u64, "analysed");
        Ok(Some(analysis))
    }
}
