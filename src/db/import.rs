//! The SQL of an import: the look-ups validation needs (one query per kind of key, `= ANY`)
//! and the upserts, one set-based statement per section — or per batch of up to 10,000 of its
//! rows — in foreign-key order, all inside the caller's transaction.
//!
//! Each upsert is `INSERT … SELECT FROM unnest(…) ON CONFLICT (natural key) DO UPDATE … WHERE
//! (columns) IS DISTINCT FROM (new columns)`, so an unchanged row is not written at all, and
//! `RETURNING (xmax = 0)` tells a created row from an updated one: the counts come back from
//! the statement itself. A 10,000-member document costs the same handful of statements as a
//! one-member one; a 100,000-member one ten times as many, so that none binds more than a few
//! megabytes of arrays. Arrays of arrays (diagnosis codes, modifiers) travel as one delimited
//! string per row — PostgreSQL arrays must be rectangular — after validation made sure the
//! delimiter cannot occur in them.

use super::{DbError, DbResult};
use crate::dataset::validate::{ExistingBand, Known, Outside};
use crate::dataset::{
    Counts, CoverageEntry, Document, Facility, GroupType, ImportOutcome, Kept, Member, Payer,
    Provider, Section, Session, SizeBandEntry, StaffAssignment, SupervisionRuleEntry, User,
};
use chrono::NaiveDate;
use sqlx::postgres::{PgArguments, Postgres};
use sqlx::query::QueryAs;
use sqlx::PgConnection;
use std::collections::HashSet;

/// Ask the database which of the document's outside references it holds, and for the bands of
/// the document's band payers: one query per kind.
pub async fn lookup(conn: &mut PgConnection, outside: &Outside<'_>) -> DbResult<Known> {
    Ok(Known {
        facilities: existing(
            conn,
            "SELECT code FROM facility WHERE code = ANY($1::text[])",
            &outside.facilities,
        )
        .await?,
        payers: existing(
            conn,
            "SELECT code FROM payer WHERE code = ANY($1::text[])",
            &outside.payers,
        )
        .await?,
        group_types: existing(
            conn,
            "SELECT code FROM group_type WHERE code = ANY($1::text[])",
            &outside.group_types,
        )
        .await?,
        members: existing(
            conn,
            "SELECT mrn FROM member WHERE mrn = ANY($1::text[])",
            &outside.members,
        )
        .await?,
        providers: existing(
            conn,
            "SELECT npi::text FROM provider WHERE npi::text = ANY($1::text[])",
            &outside.providers,
        )
        .await?,
        bands: existing_bands(conn, &outside.band_payers).await?,
    })
}

async fn existing(
    conn: &mut PgConnection,
    sql: &'static str,
    keys: &[&str],
) -> DbResult<HashSet<String>> {
    if keys.is_empty() {
        return Ok(HashSet::new());
    }
    let found: Vec<String> = sqlx::query_scalar(sql)
        .bind(keys)
        .fetch_all(&mut *conn)
        .await?;
    Ok(found.into_iter().collect())
}

type BandRow = (
    i64,
    String,
    String,
    Option<String>,
    Option<NaiveDate>,
    Option<NaiveDate>,
    i32,
    i32,
);

async fn existing_bands(conn: &mut PgConnection, payers: &[&str]) -> DbResult<Vec<ExistingBand>> {
    if payers.is_empty() {
        return Ok(Vec::new());
    }
    let rows: Vec<BandRow> = sqlx::query_as(
        "SELECT b.id, p.code, b.state, g.code, b.start_date, b.end_date, b.min_size, b.max_size
           FROM size_band b
           JOIN payer p ON p.id = b.payer_id
           LEFT JOIN group_type g ON g.id = b.group_type_id
          WHERE p.code = ANY($1::text[])
          ORDER BY b.id",
    )
    .bind(payers)
    .fetch_all(&mut *conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(
            |(id, payer, state, group_type, start, end, min, max)| ExistingBand {
                id,
                payer,
                state,
                group_type,
                start,
                end,
                min: i64::from(min),
                max: i64::from(max),
            },
        )
        .collect())
}

/// Rows bound to one statement: enough to stay set-based, few enough that the bind arrays and
/// the message carrying them stay a few megabytes whatever the size of the document.
const BATCH: usize = 10_000;
/// A section written in one statement whatever its size (see `apply`).
const WHOLE: usize = usize::MAX;

/// Write a validated document, section by section in foreign-key order, each in batches of
/// rows (whose counts add up).
pub async fn apply(
    conn: &mut PgConnection,
    document: &Document,
) -> Result<ImportOutcome, SectionError> {
    let mut outcome = ImportOutcome::default();
    macro_rules! section {
        ($field:ident, $section:expr, $upsert:ident, $batch:expr) => {
            if let Some(rows) = &document.$field {
                let mut counts = Counts::default();
                for batch in rows.chunks($batch) {
                    counts += $upsert(conn, batch).await.map_err(in_section($section))?;
                }
                outcome.sections.push(($section, counts));
            }
        };
    }
    section!(facilities, Section::Facilities, facilities, BATCH);
    section!(payers, Section::Payers, payers, BATCH);
    section!(group_types, Section::GroupTypes, group_types, BATCH);
    section!(members, Section::Members, members, BATCH);
    section!(providers, Section::Providers, providers, BATCH);
    section!(users, Section::Users, users, BATCH);
    section!(coverages, Section::Coverages, coverages, BATCH);
    // The assignments' trigger derives the supervisors of their members' sessions once per
    // statement: in batches, a provider moving from one member to another could be taken off a
    // session by one batch and put back by the next.
    section!(
        staff_assignments,
        Section::StaffAssignments,
        assignments,
        WHOLE
    );
    section!(supervision_rules, Section::SupervisionRules, rules, BATCH);
    // Shrinking bands go first across the whole section (see `bands`).
    section!(size_bands, Section::SizeBands, bands, WHOLE);
    // Sessions and their rosters in one statement each (their bind arrays are a few numbers a
    // row): in batches, the roster trigger would derive supervisors once a batch, planned
    // against tables this transaction grew from nothing, without statistics — nested loops
    // over every supervisor row written so far, quadratic.
    if let Some(rows) = &document.sessions {
        sessions(conn, rows, &mut outcome).await?;
    }
    Ok(outcome)
}

/// One entry in the audit log for the import, written by the definer function `audit_import`.
pub async fn audit(conn: &mut PgConnection, summary: &serde_json::Value) -> DbResult<i64> {
    Ok(sqlx::query_scalar("SELECT audit_import($1::jsonb)")
        .bind(summary)
        .fetch_one(&mut *conn)
        .await?)
}

/// A section the database refused (a constraint, a trigger), or an answer that broke the
/// import's own bookkeeping; the caller's transaction then rolls everything back.
#[derive(Debug)]
pub struct SectionError {
    pub section: Section,
    pub error: DbError,
}

fn in_section(section: Section) -> impl FnOnce(DbError) -> SectionError {
    move |error| SectionError { section, error }
}

/// A column of bind values drawn from the rows (borrowed, not copied).
fn column<'a, T, V>(rows: &'a [T], value: impl Fn(&'a T) -> V) -> Vec<V> {
    rows.iter().map(value).collect()
}

type CountsQuery<'q> = QueryAs<'q, Postgres, (i64, i64, i64), PgArguments>;

/// Run an upsert that answers (rows after resolving references, created, updated).
async fn counted(conn: &mut PgConnection, query: CountsQuery<'_>, rows: usize) -> DbResult<Counts> {
    // Unnamed, so each batch is planned for its own arrays: a statement the server has seen five
    // times may otherwise get a generic plan that guesses ten rows an array.
    let (resolved, created, updated) = query.persistent(false).fetch_one(&mut *conn).await?;
    if resolved != rows as i64 {
        // Validation resolved every reference; losing a row here would be a bug, not input.
        return Err(DbError::unexpected(format!(
            "import: {resolved} of {rows} rows resolved their references"
        )));
    }
    Ok(Counts {
        created,
        updated,
        unchanged: resolved - created - updated,
        removed: 0,
    })
}

async fn facilities(conn: &mut PgConnection, rows: &[Facility]) -> DbResult<Counts> {
    let query = sqlx::query_as(
        "WITH input AS (
             SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[],
                                  $6::text[], $7::text[], $8::text[], $9::text[], $10::text[],
                                  $11::text[], $12::text[], $13::text[], $14::text[], $15::text[])
                 AS t(code, name, state, timezone, npi, tax_id, taxonomy, phone, place_of_service,
                      submitter_id, line1, line2, city, address_state, zip)
         ), up AS (
             INSERT INTO facility AS f (code, name, state, timezone, npi, tax_id, taxonomy, phone,
                                        place_of_service, submitter_id, address_line1,
                                        address_line2, address_city, address_state, address_zip)
             SELECT code, name, state, timezone, npi, tax_id, taxonomy, phone, place_of_service,
                    submitter_id, line1, line2, city, address_state, zip
               FROM input
             ON CONFLICT (code) DO UPDATE SET
                 name = EXCLUDED.name, state = EXCLUDED.state, timezone = EXCLUDED.timezone,
                 npi = EXCLUDED.npi, tax_id = EXCLUDED.tax_id, taxonomy = EXCLUDED.taxonomy,
                 phone = EXCLUDED.phone, place_of_service = EXCLUDED.place_of_service,
                 submitter_id = EXCLUDED.submitter_id, address_line1 = EXCLUDED.address_line1,
                 address_line2 = EXCLUDED.address_line2, address_city = EXCLUDED.address_city,
                 address_state = EXCLUDED.address_state, address_zip = EXCLUDED.address_zip
             WHERE (f.name, f.state, f.timezone, f.npi, f.tax_id, f.taxonomy, f.phone,
                    f.place_of_service, f.submitter_id, f.address_line1, f.address_line2,
                    f.address_city, f.address_state, f.address_zip)
                   IS DISTINCT FROM
                   (EXCLUDED.name, EXCLUDED.state, EXCLUDED.timezone, EXCLUDED.npi,
                    EXCLUDED.tax_id, EXCLUDED.taxonomy, EXCLUDED.phone, EXCLUDED.place_of_service,
                    EXCLUDED.submitter_id, EXCLUDED.address_line1, EXCLUDED.address_line2,
                    EXCLUDED.address_city, EXCLUDED.address_state, EXCLUDED.address_zip)
             RETURNING (f.xmax = 0) AS created
         )
         SELECT (SELECT count(*) FROM input), count(*) FILTER (WHERE created),
                count(*) FILTER (WHERE NOT created)
           FROM up",
    )
    .bind(column(rows, |f| f.code.as_str()))
    .bind(column(rows, |f| f.name.as_str()))
    .bind(column(rows, |f| f.state.as_str()))
    .bind(column(rows, |f| f.timezone.as_str()))
    .bind(column(rows, |f| f.npi.as_str()))
    .bind(column(rows, |f| f.tax_id.as_str()))
    .bind(column(rows, |f| f.taxonomy.as_deref()))
    .bind(column(rows, |f| f.phone.as_deref()))
    .bind(column(rows, |f| {
        f.place_of_service
            .as_deref()
            .unwrap_or(Facility::DEFAULT_PLACE_OF_SERVICE)
    }))
    .bind(column(rows, |f| f.submitter_id.as_deref()))
    .bind(column(rows, |f| f.address.line1.as_str()))
    .bind(column(rows, |f| f.address.line2.as_deref()))
    .bind(column(rows, |f| f.address.city.as_str()))
    .bind(column(rows, |f| f.address.state.as_str()))
    .bind(column(rows, |f| f.address.zip.as_str()));
    counted(conn, query, rows.len()).await
}

async fn payers(conn: &mut PgConnection, rows: &[Payer]) -> DbResult<Counts> {
    let query = sqlx::query_as(
        "WITH input AS (
             SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[])
                 AS t(code, name, payer_id, receiver_id, filing_indicator)
         ), up AS (
             INSERT INTO payer AS p (code, name, payer_id, receiver_id, filing_indicator)
             SELECT code, name, payer_id, receiver_id, filing_indicator FROM input
             ON CONFLICT (code) DO UPDATE SET
                 name = EXCLUDED.name, payer_id = EXCLUDED.payer_id,
                 receiver_id = EXCLUDED.receiver_id, filing_indicator = EXCLUDED.filing_indicator
             WHERE (p.name, p.payer_id, p.receiver_id, p.filing_indicator)
                   IS DISTINCT FROM
                   (EXCLUDED.name, EXCLUDED.payer_id, EXCLUDED.receiver_id, EXCLUDED.filing_indicator)
             RETURNING (p.xmax = 0) AS created
         )
         SELECT (SELECT count(*) FROM input), count(*) FILTER (WHERE created),
                count(*) FILTER (WHERE NOT created)
           FROM up",
    )
    .bind(column(rows, |p| p.code.as_str()))
    .bind(column(rows, |p| p.name.as_str()))
    .bind(column(rows, |p| p.payer_id.as_str()))
    .bind(column(rows, |p| p.receiver_id.as_deref()))
    .bind(column(rows, |p| {
        p.filing_indicator
            .as_deref()
            .unwrap_or(Payer::DEFAULT_FILING_INDICATOR)
    }));
    counted(conn, query, rows.len()).await
}

async fn group_types(conn: &mut PgConnection, rows: &[GroupType]) -> DbResult<Counts> {
    let query = sqlx::query_as(
        "WITH input AS (
             SELECT * FROM unnest($1::text[], $2::text[]) AS t(code, name)
         ), up AS (
             INSERT INTO group_type AS g (code, name)
             SELECT code, name FROM input
             ON CONFLICT (code) DO UPDATE SET name = EXCLUDED.name
             WHERE g.name IS DISTINCT FROM EXCLUDED.name
             RETURNING (g.xmax = 0) AS created
         )
         SELECT (SELECT count(*) FROM input), count(*) FILTER (WHERE created),
                count(*) FILTER (WHERE NOT created)
           FROM up",
    )
    .bind(column(rows, |g| g.code.as_str()))
    .bind(column(rows, |g| g.name.as_str()));
    counted(conn, query, rows.len()).await
}

async fn members(conn: &mut PgConnection, rows: &[Member]) -> DbResult<Counts> {
    let query = sqlx::query_as(
        "WITH input AS (
             SELECT t.mrn, t.first_name, t.last_name, t.birth_date, t.sex,
                    string_to_array(t.diagnosis_codes, ',') AS diagnosis_codes,
                    t.line1, t.line2, t.city, t.state, t.zip
               FROM unnest($1::text[], $2::text[], $3::text[], $4::date[], $5::text[], $6::text[],
                           $7::text[], $8::text[], $9::text[], $10::text[], $11::text[])
                    AS t(mrn, first_name, last_name, birth_date, sex, diagnosis_codes,
                         line1, line2, city, state, zip)
         ), up AS (
             INSERT INTO member AS m (mrn, first_name, last_name, birth_date, sex, diagnosis_codes,
                                      address_line1, address_line2, address_city, address_state,
                                      address_zip)
             SELECT mrn, first_name, last_name, birth_date, sex, diagnosis_codes,
                    line1, line2, city, state, zip
               FROM input
             ON CONFLICT (mrn) DO UPDATE SET
                 first_name = EXCLUDED.first_name, last_name = EXCLUDED.last_name,
                 birth_date = EXCLUDED.birth_date, sex = EXCLUDED.sex,
                 diagnosis_codes = EXCLUDED.diagnosis_codes,
                 address_line1 = EXCLUDED.address_line1, address_line2 = EXCLUDED.address_line2,
                 address_city = EXCLUDED.address_city, address_state = EXCLUDED.address_state,
                 address_zip = EXCLUDED.address_zip
             WHERE (m.first_name, m.last_name, m.birth_date, m.sex, m.diagnosis_codes,
                    m.address_line1, m.address_line2, m.address_city, m.address_state,
                    m.address_zip)
                   IS DISTINCT FROM
                   (EXCLUDED.first_name, EXCLUDED.last_name, EXCLUDED.birth_date, EXCLUDED.sex,
                    EXCLUDED.diagnosis_codes, EXCLUDED.address_line1, EXCLUDED.address_line2,
                    EXCLUDED.address_city, EXCLUDED.address_state, EXCLUDED.address_zip)
             RETURNING (m.xmax = 0) AS created
         )
         SELECT (SELECT count(*) FROM input), count(*) FILTER (WHERE created),
                count(*) FILTER (WHERE NOT created)
           FROM up",
    )
    .bind(column(rows, |m| m.mrn.as_str()))
    .bind(column(rows, |m| m.first_name.as_str()))
    .bind(column(rows, |m| m.last_name.as_str()))
    .bind(column(rows, |m| m.birth_date.0))
    .bind(column(rows, |m| m.sex.as_str()))
    // Validated codes are letters and digits only: a comma cannot occur in them.
    .bind(column(rows, |m| {
        m.diagnosis_codes.as_deref().unwrap_or_default().join(",")
    }))
    .bind(column(rows, |m| {
        m.address.as_ref().map(|a| a.line1.as_str())
    }))
    .bind(column(rows, |m| {
        m.address.as_ref().and_then(|a| a.line2.as_deref())
    }))
    .bind(column(rows, |m| {
        m.address.as_ref().map(|a| a.city.as_str())
    }))
    .bind(column(rows, |m| {
        m.address.as_ref().map(|a| a.state.as_str())
    }))
    .bind(column(rows, |m| m.address.as_ref().map(|a| a.zip.as_str())));
    counted(conn, query, rows.len()).await
}

async fn providers(conn: &mut PgConnection, rows: &[Provider]) -> DbResult<Counts> {
    let query = sqlx::query_as(
        "WITH input AS (
             SELECT * FROM unnest($1::text[], $2::text[], $3::text[]) AS t(npi, first_name, last_name)
         ), up AS (
             INSERT INTO provider AS p (npi, first_name, last_name)
             SELECT npi, first_name, last_name FROM input
             ON CONFLICT (npi) DO UPDATE SET
                 first_name = EXCLUDED.first_name, last_name = EXCLUDED.last_name
             WHERE (p.first_name, p.last_name) IS DISTINCT FROM (EXCLUDED.first_name, EXCLUDED.last_name)
             RETURNING (p.xmax = 0) AS created
         )
         SELECT (SELECT count(*) FROM input), count(*) FILTER (WHERE created),
                count(*) FILTER (WHERE NOT created)
           FROM up",
    )
    .bind(column(rows, |p| p.npi.as_str()))
    .bind(column(rows, |p| p.first_name.as_str()))
    .bind(column(rows, |p| p.last_name.as_str()));
    counted(conn, query, rows.len()).await
}

async fn users(conn: &mut PgConnection, rows: &[User]) -> DbResult<Counts> {
    let query = sqlx::query_as(
        "WITH input AS (
             SELECT t.login, t.name, f.id AS home_facility_id
               FROM unnest($1::text[], $2::text[], $3::text[]) AS t(login, name, home_facility)
               LEFT JOIN facility f ON f.code = t.home_facility
              WHERE t.home_facility IS NULL OR f.id IS NOT NULL
         ), up AS (
             INSERT INTO app_user AS u (login, name, home_facility_id)
             SELECT login, name, home_facility_id FROM input
             ON CONFLICT (login) DO UPDATE SET
                 name = EXCLUDED.name, home_facility_id = EXCLUDED.home_facility_id
             WHERE (u.name, u.home_facility_id) IS DISTINCT FROM (EXCLUDED.name, EXCLUDED.home_facility_id)
             RETURNING (u.xmax = 0) AS created
         )
         SELECT (SELECT count(*) FROM input), count(*) FILTER (WHERE created),
                count(*) FILTER (WHERE NOT created)
           FROM up",
    )
    .bind(column(rows, |u| u.login.as_str()))
    .bind(column(rows, |u| u.name.as_str()))
    .bind(column(rows, |u| u.home_facility.as_deref()));
    counted(conn, query, rows.len()).await
}

async fn coverages(conn: &mut PgConnection, rows: &[CoverageEntry]) -> DbResult<Counts> {
    let query = sqlx::query_as(
        "WITH input AS (
             SELECT m.id AS member_id, p.id AS payer_id, t.priority, t.subscriber_id,
                    t.relationship, t.first_name, t.last_name, t.birth_date, t.sex,
                    t.start_date, t.end_date
               FROM unnest($1::text[], $2::text[], $3::int4[], $4::text[], $5::text[], $6::text[],
                           $7::text[], $8::date[], $9::text[], $10::date[], $11::date[])
                    AS t(member, payer, priority, subscriber_id, relationship, first_name,
                         last_name, birth_date, sex, start_date, end_date)
               JOIN member m ON m.mrn = t.member
               JOIN payer p ON p.code = t.payer
         ), up AS (
             INSERT INTO coverage_policy AS c (member_id, payer_id, priority, subscriber_id,
                                               subscriber_relationship, subscriber_first_name,
                                               subscriber_last_name, subscriber_birth_date,
                                               subscriber_sex, start_date, end_date)
             SELECT member_id, payer_id, priority, subscriber_id, relationship, first_name,
                    last_name, birth_date, sex, start_date, end_date
               FROM input
             ON CONFLICT (member_id, payer_id, priority, start_date) DO UPDATE SET
                 subscriber_id = EXCLUDED.subscriber_id,
                 subscriber_relationship = EXCLUDED.subscriber_relationship,
                 subscriber_first_name = EXCLUDED.subscriber_first_name,
                 subscriber_last_name = EXCLUDED.subscriber_last_name,
                 subscriber_birth_date = EXCLUDED.subscriber_birth_date,
                 subscriber_sex = EXCLUDED.subscriber_sex, end_date = EXCLUDED.end_date
             WHERE (c.subscriber_id, c.subscriber_relationship, c.subscriber_first_name,
                    c.subscriber_last_name, c.subscriber_birth_date, c.subscriber_sex, c.end_date)
                   IS DISTINCT FROM
                   (EXCLUDED.subscriber_id, EXCLUDED.subscriber_relationship,
                    EXCLUDED.subscriber_first_name, EXCLUDED.subscriber_last_name,
                    EXCLUDED.subscriber_birth_date, EXCLUDED.subscriber_sex, EXCLUDED.end_date)
             RETURNING (c.xmax = 0) AS created
         )
         SELECT (SELECT count(*) FROM input), count(*) FILTER (WHERE created),
                count(*) FILTER (WHERE NOT created)
           FROM up",
    )
    .bind(column(rows, |c| c.member.as_str()))
    .bind(column(rows, |c| c.payer.as_str()))
    // Validation kept priority within int4.
    .bind(column(rows, |c| c.priority as i32))
    .bind(column(rows, |c| c.subscriber_id.as_deref()))
    .bind(column(rows, |c| {
        c.subscriber.as_ref().map(|s| s.relationship.as_str())
    }))
    .bind(column(rows, |c| {
        c.subscriber.as_ref().map(|s| s.first_name.as_str())
    }))
    .bind(column(rows, |c| {
        c.subscriber.as_ref().map(|s| s.last_name.as_str())
    }))
    .bind(column(rows, |c| {
        c.subscriber.as_ref().map(|s| s.birth_date.0)
    }))
    .bind(column(rows, |c| {
        c.subscriber.as_ref().map(|s| s.sex.as_str())
    }))
    .bind(column(rows, |c| c.start.0))
    .bind(column(rows, |c| c.end.map(|d| d.0)));
    counted(conn, query, rows.len()).await
}

async fn assignments(conn: &mut PgConnection, rows: &[StaffAssignment]) -> DbResult<Counts> {
    // UNIQUE NULLS NOT DISTINCT: a missing start is a key value, and ON CONFLICT finds it.
    let query = sqlx::query_as(
        "WITH input AS (
             SELECT p.id AS provider_id, m.id AS member_id, t.role, t.start_date, t.end_date
               FROM unnest($1::text[], $2::text[], $3::text[], $4::date[], $5::date[])
                    AS t(provider, member, role, start_date, end_date)
               JOIN provider p ON p.npi::text = t.provider
               JOIN member m ON m.mrn = t.member
         ), up AS (
             INSERT INTO staff_assignment AS a (provider_id, member_id, role, start_date, end_date)
             SELECT provider_id, member_id, role, start_date, end_date FROM input
             ON CONFLICT (provider_id, member_id, role, start_date) DO UPDATE SET
                 end_date = EXCLUDED.end_date
             WHERE a.end_date IS DISTINCT FROM EXCLUDED.end_date
             RETURNING (a.xmax = 0) AS created
         )
         SELECT (SELECT count(*) FROM input), count(*) FILTER (WHERE created),
                count(*) FILTER (WHERE NOT created)
           FROM up",
    )
    .bind(column(rows, |a| a.provider.as_str()))
    .bind(column(rows, |a| a.member.as_str()))
    .bind(column(rows, |a| a.role.as_str()))
    .bind(column(rows, |a| a.start.map(|d| d.0)))
    .bind(column(rows, |a| a.end.map(|d| d.0)));
    counted(conn, query, rows.len()).await
}

async fn rules(conn: &mut PgConnection, rows: &[SupervisionRuleEntry]) -> DbResult<Counts> {
    // A missing group type or start is a key value (UNIQUE NULLS NOT DISTINCT).
    let query = sqlx::query_as(
        "WITH input AS (
             SELECT p.id AS payer_id, t.state, g.id AS group_type_id, t.start_date, t.end_date,
                    t.max_per_supervisor
               FROM unnest($1::text[], $2::text[], $3::text[], $4::date[], $5::date[], $6::int4[])
                    AS t(payer, state, group_type, start_date, end_date, max_per_supervisor)
               JOIN payer p ON p.code = t.payer
               LEFT JOIN group_type g ON g.code = t.group_type
              WHERE t.group_type IS NULL OR g.id IS NOT NULL
         ), up AS (
             INSERT INTO supervision_rule AS r (payer_id, state, group_type_id, start_date,
                                                end_date, max_per_supervisor)
             SELECT payer_id, state, group_type_id, start_date, end_date, max_per_supervisor
               FROM input
             ON CONFLICT (payer_id, state, group_type_id, start_date) DO UPDATE SET
                 end_date = EXCLUDED.end_date, max_per_supervisor = EXCLUDED.max_per_supervisor
             WHERE (r.end_date, r.max_per_supervisor)
                   IS DISTINCT FROM (EXCLUDED.end_date, EXCLUDED.max_per_supervisor)
             RETURNING (r.xmax = 0) AS created
         )
         SELECT (SELECT count(*) FROM input), count(*) FILTER (WHERE created),
                count(*) FILTER (WHERE NOT created)
           FROM up",
    )
    .bind(column(rows, |r| r.payer.as_str()))
    .bind(column(rows, |r| r.state.as_str()))
    .bind(column(rows, |r| r.group_type.as_deref()))
    .bind(column(rows, |r| r.start.map(|d| d.0)))
    .bind(column(rows, |r| r.end.map(|d| d.0)))
    .bind(column(rows, |r| r.max_per_supervisor as i32));
    counted(conn, query, rows.len()).await
}

async fn bands(conn: &mut PgConnection, rows: &[SizeBandEntry]) -> DbResult<Counts> {
    // The exclusion constraint against overlapping bands is checked row by row, not at the end
    // of the statement: when a document reshapes a payer's bands (one shrinks, a neighbour
    // grows into the room it left), the shrinking rows must be written first.
    let query = sqlx::query_as(
        "WITH input AS (
             SELECT t.ord, p.id AS payer_id, t.state, g.id AS group_type_id, t.start_date,
                    t.end_date, t.min_size, t.max_size, t.procedure_code,
                    string_to_array(t.modifiers, ' ') AS modifiers, t.rate, t.unit_minutes
               FROM unnest($1::text[], $2::text[], $3::text[], $4::date[], $5::date[], $6::int4[],
                           $7::int4[], $8::text[], $9::text[], $10::numeric[], $11::int4[])
                    WITH ORDINALITY
                    AS t(payer, state, group_type, start_date, end_date, min_size, max_size,
                         procedure_code, modifiers, rate, unit_minutes, ord)
               JOIN payer p ON p.code = t.payer
               LEFT JOIN group_type g ON g.code = t.group_type
              WHERE t.group_type IS NULL OR g.id IS NOT NULL
         ), ordered AS (
             SELECT i.*,
                    EXISTS (SELECT 1 FROM size_band o
                             WHERE o.payer_id = i.payer_id AND o.state = i.state
                               AND o.group_type_id IS NOT DISTINCT FROM i.group_type_id
                               AND o.start_date IS NOT DISTINCT FROM i.start_date
                               AND o.min_size = i.min_size
                               AND (i.max_size < o.max_size
                                    OR (i.end_date IS NOT NULL
                                        AND (o.end_date IS NULL OR i.end_date < o.end_date))))
                        AS shrinks
               FROM input i
         ), up AS (
             INSERT INTO size_band AS b (payer_id, state, group_type_id, start_date, end_date,
                                         min_size, max_size, procedure_code, modifiers, rate,
                                         unit_minutes)
             SELECT payer_id, state, group_type_id, start_date, end_date, min_size, max_size,
                    procedure_code, modifiers, rate, unit_minutes
               FROM ordered
              ORDER BY shrinks DESC, ord
             ON CONFLICT (payer_id, state, group_type_id, start_date, min_size) DO UPDATE SET
                 end_date = EXCLUDED.end_date, max_size = EXCLUDED.max_size,
                 procedure_code = EXCLUDED.procedure_code, modifiers = EXCLUDED.modifiers,
                 rate = EXCLUDED.rate, unit_minutes = EXCLUDED.unit_minutes
             WHERE (b.end_date, b.max_size, b.procedure_code, b.modifiers, b.rate, b.unit_minutes)
                   IS DISTINCT FROM
                   (EXCLUDED.end_date, EXCLUDED.max_size, EXCLUDED.procedure_code,
                    EXCLUDED.modifiers, EXCLUDED.rate, EXCLUDED.unit_minutes)
             RETURNING (b.xmax = 0) AS created
         )
         SELECT (SELECT count(*) FROM input), count(*) FILTER (WHERE created),
                count(*) FILTER (WHERE NOT created)
           FROM up",
    )
    .bind(column(rows, |b| b.payer.as_str()))
    .bind(column(rows, |b| b.state.as_str()))
    .bind(column(rows, |b| b.group_type.as_deref()))
    .bind(column(rows, |b| b.start.map(|d| d.0)))
    .bind(column(rows, |b| b.end.map(|d| d.0)))
    .bind(column(rows, |b| b.min as i32))
    .bind(column(rows, |b| b.max as i32))
    .bind(column(rows, |b| b.procedure_code.as_str()))
    // Validated modifiers are two letters or digits: a space cannot occur in them.
    .bind(column(rows, |b| {
        b.modifiers.as_deref().unwrap_or_default().join(" ")
    }))
    .bind(column(rows, |b| b.rate.0.round_dp(2)))
    .bind(column(rows, |b| b.unit_minutes.map(|m| m as i32)));
    counted(conn, query, rows.len()).await
}

/// A session of the document as the database has it after the upsert.
#[derive(sqlx::FromRow)]
struct SessionRow {
    id: i64,
    facility_id: i64,
    /// Some(true) created, Some(false) updated, None untouched.
    created: Option<bool>,
    /// A claim exists: the import leaves the session (schedule and roster) as it is.
    locked: bool,
}

/// Sessions by (facility, external id), then their rosters: removals for all sessions in one
/// statement, additions (in document order, so roster ids follow `participants`) in another.
async fn sessions(
    conn: &mut PgConnection,
    rows: &[Session],
    outcome: &mut ImportOutcome,
) -> Result<(), SectionError> {
    let participants_total: usize = rows.iter().map(|s| s.participants.len()).sum();
    if rows.is_empty() {
        outcome
            .sections
            .push((Section::Sessions, Counts::default()));
        outcome
            .sections
            .push((Section::Participants, Counts::default()));
        return Ok(());
    }
    // The ON CONFLICT row lock holds every existing session of the document until commit, so
    // attendance cannot change under the roster step below (the attendance trigger locks the
    // session row too) and a claim cannot be built in between.
    let saved: Vec<SessionRow> = sqlx::query_as(
        "WITH input AS (
             SELECT t.ord, f.id AS facility_id, t.external_id, g.id AS group_type_id,
                    t.starts_at, t.ends_at, t.place_of_service
               FROM unnest($1::text[], $2::text[], $3::text[], $4::timestamptz[],
                           $5::timestamptz[], $6::text[])
                    WITH ORDINALITY AS t(facility, external_id, group_type, starts_at, ends_at,
                                         place_of_service, ord)
               JOIN facility f ON f.code = t.facility
               JOIN group_type g ON g.code = t.group_type
         ), up AS (
             INSERT INTO group_session AS s (facility_id, external_id, group_type_id, starts_at,
                                             ends_at, place_of_service, source)
             SELECT facility_id, external_id, group_type_id, starts_at, ends_at,
                    place_of_service, 'FEED'
               FROM input ORDER BY ord
             ON CONFLICT (facility_id, external_id) DO UPDATE SET
                 group_type_id = EXCLUDED.group_type_id, starts_at = EXCLUDED.starts_at,
                 ends_at = EXCLUDED.ends_at, place_of_service = EXCLUDED.place_of_service
             WHERE (s.group_type_id, s.starts_at, s.ends_at, s.place_of_service)
                   IS DISTINCT FROM
                   (EXCLUDED.group_type_id, EXCLUDED.starts_at, EXCLUDED.ends_at,
                    EXCLUDED.place_of_service)
               AND NOT session_is_locked(s.facility_id, s.id)
             RETURNING s.facility_id, s.external_id, s.id, (s.xmax = 0) AS created
         )
         SELECT coalesce(u.id, old.id) AS id, i.facility_id, u.created,
                (u.id IS NULL AND session_is_locked(old.facility_id, old.id)) AS locked
           FROM input i
           LEFT JOIN up u ON u.facility_id = i.facility_id AND u.external_id = i.external_id
           LEFT JOIN group_session old
                  ON old.facility_id = i.facility_id AND old.external_id = i.external_id
          ORDER BY i.ord",
    )
    .bind(column(rows, |s| s.facility.as_str()))
    .bind(column(rows, |s| {
        s.external_id.as_deref().unwrap_or_default()
    }))
    .bind(column(rows, |s| s.group_type.as_str()))
    .bind(column(rows, |s| s.starts_at.0))
    .bind(column(rows, |s| s.ends_at.0))
    .bind(column(rows, |s| s.place_of_service.as_deref()))
    .fetch_all(&mut *conn)
    .await
    .map_err(|e| in_section(Section::Sessions)(e.into()))?;
    if saved.len() != rows.len() {
        return Err(in_section(Section::Sessions)(DbError::unexpected(format!(
            "import: {} of {} sessions resolved their references",
            saved.len(),
            rows.len()
        ))));
    }

    // What the import left as it was, by session in document order.
    let mut kept: Vec<(usize, Kept)> = Vec::new();
    let mut counts = Counts::default();
    for (i, row) in saved.iter().enumerate() {
        match row.created {
            Some(true) => counts.created += 1,
            Some(false) => counts.updated += 1,
            None => counts.unchanged += 1,
        }
        if row.locked {
            kept.push((
                i,
                Kept {
                    path: format!("$.sessions[{i}]"),
                    reason: format!(
                        "session {} is locked (a claim exists): import leaves its schedule and \
                     roster as they are",
                        row.id
                    ),
                },
            ));
        }
    }
    outcome.sections.push((Section::Sessions, counts));

    let participants = roster(conn, rows, &saved, &mut kept)
        .await
        .map_err(in_section(Section::Participants))?;
    kept.sort_by_key(|(i, _)| *i);
    outcome.kept.extend(kept.into_iter().map(|(_, k)| k));
    debug_assert_eq!(
        participants.created + participants.unchanged,
        participants_total as i64
    );
    outcome.sections.push((Section::Participants, participants));
    Ok(())
}

#[derive(sqlx::FromRow)]
struct Leftover {
    ord: i64,
    mrn: String,
    session_id: i64,
    status: String,
}

async fn roster(
    conn: &mut PgConnection,
    rows: &[Session],
    saved: &[SessionRow],
    kept: &mut Vec<(usize, Kept)>,
) -> DbResult<Counts> {
    let total: usize = rows.iter().map(|s| s.participants.len()).sum();
    // The participants of unlocked sessions, in document order.
    let mut facility_ids = Vec::with_capacity(total);
    let mut session_ids = Vec::with_capacity(total);
    let mut mrns: Vec<&str> = Vec::with_capacity(total);
    // Sessions that existed before (and are not locked): their leftovers are removed.
    let (mut old_facilities, mut old_sessions, mut old_ords) = (Vec::new(), Vec::new(), Vec::new());
    for (i, (row, saved)) in rows.iter().zip(saved).enumerate() {
        if saved.locked {
            continue;
        }
        for mrn in &row.participants {
            facility_ids.push(saved.facility_id);
            session_ids.push(saved.id);
            mrns.push(mrn.as_str());
        }
        if saved.created != Some(true) {
            old_facilities.push(saved.facility_id);
            old_sessions.push(saved.id);
            old_ords.push(i as i64);
        }
    }

    let mut removed = 0;
    if !old_sessions.is_empty() {
        let leftovers: Vec<Leftover> = sqlx::query_as(
            "WITH wanted AS (
                 SELECT t.session_id, m.id AS member_id
                   FROM unnest($1::bigint[], $2::text[]) AS t(session_id, mrn)
                   JOIN member m ON m.mrn = t.mrn
             ), target AS (
                 SELECT * FROM unnest($3::bigint[], $4::bigint[], $5::bigint[])
                     AS t(facility_id, session_id, ord)
             ), gone AS (
                 SELECT t.ord, p.facility_id, p.session_id, p.id, p.status, m.mrn
                   FROM target t
                   JOIN session_participant p
                     ON p.facility_id = t.facility_id AND p.session_id = t.session_id
                   JOIN member m ON m.id = p.member_id
                  WHERE NOT EXISTS (SELECT 1 FROM wanted w
                                     WHERE w.session_id = p.session_id
                                       AND w.member_id = p.member_id)
             ), removed AS (
                 DELETE FROM session_participant p USING gone g
                  WHERE p.facility_id = g.facility_id AND p.id = g.id AND g.status = 'SCHEDULED'
                 RETURNING p.id
             )
             SELECT g.ord, g.mrn, g.session_id, g.status::text AS status
               FROM gone g
              ORDER BY g.ord, g.id",
        )
        .bind(&session_ids)
        .bind(&mrns)
        .bind(&old_facilities)
        .bind(&old_sessions)
        .bind(&old_ords)
        .fetch_all(&mut *conn)
        .await?;
        for leftover in leftovers {
            if leftover.status == "SCHEDULED" {
                removed += 1;
            } else {
                kept.push((
                    leftover.ord as usize,
                    Kept {
                        path: format!("$.sessions[{}]", leftover.ord),
                        reason: format!(
                        "member {:?} is not in participants but is {} on session {}: kept (only \
                         SCHEDULED participants are removed)",
                        leftover.mrn, leftover.status, leftover.session_id
                    ),
                    },
                ));
            }
        }
    }

    let mut created = 0;
    if !mrns.is_empty() {
        let (resolved, added): (i64, i64) = sqlx::query_as(
            "WITH input AS (
                 SELECT t.ord, t.facility_id, t.session_id, m.id AS member_id
                   FROM unnest($1::bigint[], $2::bigint[], $3::text[])
                        WITH ORDINALITY AS t(facility_id, session_id, mrn, ord)
                   JOIN member m ON m.mrn = t.mrn
             ), added AS (
                 INSERT INTO session_participant (facility_id, session_id, member_id)
                 SELECT i.facility_id, i.session_id, i.member_id
                   FROM input i
                  WHERE NOT EXISTS (SELECT 1 FROM session_participant p
                                     WHERE p.facility_id = i.facility_id
                                       AND p.session_id = i.session_id
                                       AND p.member_id = i.member_id)
                  ORDER BY i.ord
                 ON CONFLICT (facility_id, session_id, member_id) DO NOTHING
                 RETURNING 1
             )
             SELECT (SELECT count(*) FROM input), (SELECT count(*) FROM added)",
        )
        .bind(&facility_ids)
        .bind(&session_ids)
        .bind(&mrns)
        .fetch_one(&mut *conn)
        .await?;
        if resolved != mrns.len() as i64 {
            return Err(DbError::unexpected(format!(
                "import: {resolved} of {} participants resolved their member",
                mrns.len()
            )));
        }
        created = added;
    }
    Ok(Counts {
        created,
        updated: 0,
        unchanged: total as i64 - created,
        removed,
    })
}
