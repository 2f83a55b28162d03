use fcto_engage::{validate, Client, ClientEdit, NewClient};
use sqlx::any::AnyRow;
use sqlx::Row;

use crate::error::{is_unique_violation, StoreError, StoreResult};
use crate::{date, word, Store};

const COLUMNS: &str =
    "id, slug, name, sector, currency, tier, owner_name, owner_email, start_date, archived";

fn client_from_row(r: &AnyRow) -> StoreResult<Client> {
    Ok(Client {
        id: r.try_get("id")?,
        slug: r.try_get("slug")?,
        name: r.try_get("name")?,
        sector: r.try_get("sector")?,
        currency: r.try_get("currency")?,
        tier: word(r, "tier")?,
        owner_name: r.try_get("owner_name")?,
        owner_email: r.try_get("owner_email")?,
        start_date: date(r, "start_date")?,
        archived: r.try_get::<i64, _>("archived")? != 0,
    })
}

impl Store {
    pub async fn add_client(&self, c: &NewClient) -> StoreResult<Client> {
        validate::new_client(c)?;
        let res = sqlx::query(
            "INSERT INTO clients (slug, name, sector, currency, tier, owner_name, owner_email, start_date, archived, created_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 0, $9) RETURNING id",
        )
        .bind(&c.slug)
        .bind(&c.name)
        .bind(c.sector.as_deref())
        .bind(&c.currency)
        .bind(c.tier.as_str())
        .bind(c.owner_name.as_deref())
        .bind(c.owner_email.as_deref())
        .bind(c.start_date.to_string())
        .bind(crate::now_text())
        .fetch_one(&self.pool)
        .await;
        match res {
            Ok(_) => self.client(&c.slug).await,
            Err(e) if is_unique_violation(&e) => Err(StoreError::DuplicateSlug(c.slug.clone())),
            Err(e) => Err(e.into()),
        }
    }

    /// Clients by slug; archived ones only when asked.
    pub async fn list_clients(&self, include_archived: bool) -> StoreResult<Vec<Client>> {
        let sql = format!(
            "SELECT {COLUMNS} FROM clients {} ORDER BY slug",
            if include_archived {
                ""
            } else {
                "WHERE archived = 0"
            }
        );
        let rows = sqlx::query(&sql).fetch_all(&self.pool).await?;
        rows.iter().map(client_from_row).collect()
    }

    pub async fn client(&self, slug: &str) -> StoreResult<Client> {
        let row = sqlx::query(&format!("SELECT {COLUMNS} FROM clients WHERE slug = $1"))
            .bind(slug)
            .fetch_optional(&self.pool)
            .await?;
        match row {
            Some(r) => client_from_row(&r),
            None => Err(StoreError::UnknownClient(slug.to_string())),
        }
    }

    pub async fn client_by_id(&self, id: i64) -> StoreResult<Client> {
        let row = sqlx::query(&format!("SELECT {COLUMNS} FROM clients WHERE id = $1"))
            .bind(id)
            .fetch_optional(&self.pool)
            .await?;
        match row {
            Some(r) => client_from_row(&r),
            None => Err(StoreError::NotFound(format!("client #{id}"))),
        }
    }

    /// Apply the given changes, validating the result as a whole before
    /// anything is written.
    pub async fn edit_client(&self, slug: &str, edit: &ClientEdit) -> StoreResult<Client> {
        let cur = self.client(slug).await?;
        let next = NewClient {
            slug: cur.slug.clone(),
            name: edit.name.clone().unwrap_or(cur.name),
            sector: edit.sector.clone().or(cur.sector),
            currency: edit.currency.clone().unwrap_or(cur.currency),
            tier: edit.tier.unwrap_or(cur.tier),
            owner_name: edit.owner_name.clone().or(cur.owner_name),
            owner_email: edit.owner_email.clone().or(cur.owner_email),
            start_date: edit.start_date.unwrap_or(cur.start_date),
        };
        validate::new_client(&next)?;
        sqlx::query(
            "UPDATE clients SET name = $1, sector = $2, currency = $3, tier = $4, owner_name = $5,
             owner_email = $6, start_date = $7 WHERE id = $8",
        )
        .bind(&next.name)
        .bind(next.sector.as_deref())
        .bind(&next.currency)
        .bind(next.tier.as_str())
        .bind(next.owner_name.as_deref())
        .bind(next.owner_email.as_deref())
        .bind(next.start_date.to_string())
        .bind(cur.id)
        .execute(&self.pool)
        .await?;
        self.client(slug).await
    }

    /// Archive (or restore) a client. Its records stay; it leaves the week
    /// plan and the dashboard.
    pub async fn set_archived(&self, slug: &str, archived: bool) -> StoreResult<Client> {
        let c = self.client(slug).await?;
        sqlx::query("UPDATE clients SET archived = $1 WHERE id = $2")
            .bind(archived as i64)
            .bind(c.id)
            .execute(&self.pool)
            .await?;
        self.client(slug).await
    }
}
