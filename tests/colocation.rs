//! The schema can be distributed with Citus by facility_id: every key of a session-scoped table holds facility_id.
//!
//! Citus shards a distributed table by one column and enforces a primary key, a unique
//! constraint or index, or an exclusion constraint only when it contains that column (then
//! one shard can check it alone); a foreign key between two distributed tables only when it
//! matches the distribution column to the distribution column (then both rows live on the
//! same shard); a reference table (copied to every node) never references a distributed one.
//! gsess means to distribute its session-scoped tables by `facility_id`, co-located with
//! `group_session`, and to make the lookups reference tables. This file reads the catalog and
//! names every table and constraint that would break that, so a new table or key that does
//! not follow the rule fails here rather than on the day the database is distributed.
//!
//! Which tables are session-scoped is read from the catalog, never listed: every table of the
//! schema with a `facility_id` column is, except the few named in [`NOT_DISTRIBUTED`]; the
//! rest are reference tables. A session-scoped table whose `facility_id` may be NULL is itself
//! a violation (Citus refuses a row with no distribution value), so a new table with a
//! nullable `facility_id` cannot slip out of the check either.

mod common;

use common::TestDb;
use serde_json::Value;
use std::collections::BTreeSet;
use std::fmt;

/// The schema gsess's migrations create their tables in.
const SCHEMA: &str = "public";

/// The distribution column of every session-scoped table.
const DISTRIBUTION_COLUMN: &str = "facility_id";

/// Where a table not distributed by facility_id would live on Citus.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Placement {
    /// `create_reference_table`: a copy on every node.
    Reference,
    /// Stays on the coordinator only (a plain table, or `citus_add_local_table_to_metadata`).
    CoordinatorLocal,
}

/// A table left out of distribution on purpose, and why.
struct NotDistributed {
    table: &'static str,
    placement: Placement,
    why: &'static str,
}

/// The one explicit list of tables that hold facilities but are not distributed by
/// facility_id. Every other table with a `facility_id` column is session-scoped.
const NOT_DISTRIBUTED: &[NotDistributed] = &[
    NotDistributed {
        table: "facility",
        placement: Placement::Reference,
        why: "the facilities themselves: its `id` is the value every facility_id holds, and \
              each shard's foreign key to it needs the row on its own node",
    },
    NotDistributed {
        table: "audit_log",
        placement: Placement::CoordinatorLocal,
        why: "its facility_id is NULL for entries of no facility (an import, a billing run) and \
              its key is a plain identity: it stays one log on the coordinator for now; \
              distributing it means a NOT NULL facility_id and a (facility_id, id) key",
    },
    NotDistributed {
        table: "_sqlx_migrations",
        placement: Placement::CoordinatorLocal,
        why: "sqlx's record of the applied migrations: the migrator runs on the coordinator",
    },
];

/// One way the schema breaks the co-location rule: the table, the constraint (or column) at
/// fault, and what is wrong.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
struct Violation {
    table: String,
    constraint: String,
    problem: String,
}

impl fmt::Display for Violation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "table {}, {}: {}",
            self.table, self.constraint, self.problem
        )
    }
}

fn strings(value: &Value) -> Vec<String> {
    value
        .as_array()
        .unwrap_or_else(|| panic!("an array of names, not {value}"))
        .iter()
        .map(|v| v.as_str().expect("a name").to_owned())
        .collect()
}

fn text(row: &Value, key: &str) -> String {
    row[key]
        .as_str()
        .unwrap_or_else(|| panic!("{key} in {row}"))
        .to_owned()
}

/// The tables of the schema (partitions are judged by their parent) and their facility_id:
/// (table, has a facility_id column, that column is NOT NULL).
fn tables(db: &TestDb) -> Vec<(String, bool, bool)> {
    db.rows(&format!(
        "SELECT c.relname::text AS table, a.attnum IS NOT NULL AS has_facility,
                coalesce(a.attnotnull, false) AS not_null
           FROM pg_class c
           JOIN pg_namespace n ON n.oid = c.relnamespace
           LEFT JOIN pg_attribute a ON a.attrelid = c.oid AND a.attname = '{DISTRIBUTION_COLUMN}'
                                   AND a.attnum > 0 AND NOT a.attisdropped
          WHERE n.nspname = '{SCHEMA}' AND c.relkind IN ('r', 'p') AND NOT c.relispartition
          ORDER BY c.relname"
    ))
    .iter()
    .map(|r| {
        (
            text(r, "table"),
            r["has_facility"].as_bool().expect("has_facility"),
            r["not_null"].as_bool().expect("not_null"),
        )
    })
    .collect()
}

/// The session-scoped tables: every table with a facility_id column that is not named in
/// `not_distributed`.
fn session_scoped(
    all: &[(String, bool, bool)],
    not_distributed: &[NotDistributed],
) -> BTreeSet<String> {
    all.iter()
        .filter(|(table, has_facility, _)| {
            *has_facility && !not_distributed.iter().any(|n| n.table == table)
        })
        .map(|(table, _, _)| table.clone())
        .collect()
}

/// Every violation of the co-location rule in the test database's schema.
fn colocation_violations(db: &TestDb) -> Vec<Violation> {
    violations_with(db, NOT_DISTRIBUTED)
}

/// The same, with a given list of tables left out of distribution.
fn violations_with(db: &TestDb, not_distributed: &[NotDistributed]) -> Vec<Violation> {
    let all = tables(db);
    let scoped = session_scoped(&all, not_distributed);
    let coordinator_local: BTreeSet<&str> = not_distributed
        .iter()
        .filter(|n| n.placement == Placement::CoordinatorLocal)
        .map(|n| n.table)
        .collect();
    let mut found = Vec::new();
    let mut violation = |table: &str, constraint: &str, problem: String| {
        found.push(Violation {
            table: table.to_owned(),
            constraint: constraint.to_owned(),
            problem,
        })
    };

    // The list itself: a table it names that is gone is a stale excuse.
    for n in not_distributed {
        if !all.iter().any(|(table, _, _)| table == n.table) {
            violation(
                n.table,
                "NOT_DISTRIBUTED",
                format!(
                    "is listed as not distributed ({}) but is not in the schema",
                    n.why
                ),
            );
        }
    }

    // A session-scoped row needs a shard.
    for (table, _, not_null) in &all {
        if scoped.contains(table) && !not_null {
            violation(
                table,
                &format!("column {DISTRIBUTION_COLUMN}"),
                format!(
                    "{DISTRIBUTION_COLUMN} may be NULL: a session-scoped row needs it to find its \
                     shard (make it NOT NULL, or name the table in NOT_DISTRIBUTED with why)"
                ),
            );
        }
    }

    // Primary keys, unique constraints, unique indexes (partial and expression ones too) and
    // exclusion constraints: only their key columns count (not INCLUDE ones), and only as
    // plain columns (an expression over facility_id does not route to one shard).
    let keys = db.rows(&format!(
        "SELECT t.relname::text AS table, coalesce(k.conname, i.relname)::text AS name,
                CASE WHEN x.indisprimary THEN 'primary key'
                     WHEN k.contype = 'u' THEN 'unique constraint'
                     WHEN k.contype = 'x' THEN 'exclusion constraint'
                     WHEN x.indpred IS NOT NULL THEN 'partial unique index'
                     ELSE 'unique index' END AS kind,
                ARRAY(SELECT coalesce(a.attname::text, '(expression)')
                        FROM unnest(x.indkey::int2[]) WITH ORDINALITY AS u(attnum, ord)
                        LEFT JOIN pg_attribute a ON a.attrelid = x.indrelid AND a.attnum = u.attnum
                       WHERE u.ord <= x.indnkeyatts
                       ORDER BY u.ord) AS columns
           FROM pg_index x
           JOIN pg_class i ON i.oid = x.indexrelid
           JOIN pg_class t ON t.oid = x.indrelid
           JOIN pg_namespace n ON n.oid = t.relnamespace
           LEFT JOIN pg_constraint k ON k.conindid = x.indexrelid AND k.conrelid = x.indrelid
                                    AND k.contype IN ('p', 'u', 'x')
          WHERE n.nspname = '{SCHEMA}' AND (x.indisunique OR x.indisexclusion)
          ORDER BY 1, 2"
    ));
    for key in &keys {
        let table = text(key, "table");
        let columns = strings(&key["columns"]);
        if scoped.contains(&table) && !columns.iter().any(|c| c == DISTRIBUTION_COLUMN) {
            violation(
                &table,
                &format!("{} {}", text(key, "kind"), text(key, "name")),
                format!(
                    "its key ({}) lacks {DISTRIBUTION_COLUMN}: Citus could not check it on one shard",
                    columns.join(", ")
                ),
            );
        }
    }

    // Foreign keys, as declared (not the copies PostgreSQL makes on partitions).
    let foreign_keys = db.rows(&format!(
        "SELECT t.relname::text AS table, k.conname::text AS name,
                r.oid::regclass::text AS referenced, rn.nspname = '{SCHEMA}' AS referenced_here,
                r.relname::text AS referenced_name,
                ARRAY(SELECT a.attname::text FROM unnest(k.conkey) WITH ORDINALITY AS u(attnum, ord)
                        JOIN pg_attribute a ON a.attrelid = k.conrelid AND a.attnum = u.attnum
                       ORDER BY u.ord) AS columns,
                ARRAY(SELECT a.attname::text FROM unnest(k.confkey) WITH ORDINALITY AS u(attnum, ord)
                        JOIN pg_attribute a ON a.attrelid = k.confrelid AND a.attnum = u.attnum
                       ORDER BY u.ord) AS referenced_columns
           FROM pg_constraint k
           JOIN pg_class t ON t.oid = k.conrelid
           JOIN pg_namespace n ON n.oid = t.relnamespace
           JOIN pg_class r ON r.oid = k.confrelid
           JOIN pg_namespace rn ON rn.oid = r.relnamespace
          WHERE k.contype = 'f' AND k.conparentid = 0 AND n.nspname = '{SCHEMA}'
          ORDER BY 1, 2"
    ));
    for fk in &foreign_keys {
        let table = text(fk, "table");
        let name = format!("foreign key {}", text(fk, "name"));
        let referenced = text(fk, "referenced");
        let referenced_name = text(fk, "referenced_name");
        let here = fk["referenced_here"].as_bool().expect("referenced_here");
        let referenced_scoped = here && scoped.contains(&referenced_name);
        let referenced_local = here && coordinator_local.contains(referenced_name.as_str());
        let columns = strings(&fk["columns"]);
        let referenced_columns = strings(&fk["referenced_columns"]);
        let pairs = || {
            columns
                .iter()
                .zip(&referenced_columns)
                .map(|(c, r)| format!("{c} -> {r}"))
                .collect::<Vec<_>>()
                .join(", ")
        };
        if scoped.contains(&table) && referenced_scoped {
            match columns.iter().position(|c| c == DISTRIBUTION_COLUMN) {
                None => violation(
                    &table,
                    &name,
                    format!(
                        "references session-scoped {referenced} ({}) without {DISTRIBUTION_COLUMN}: \
                         the two rows could be on different shards",
                        pairs()
                    ),
                ),
                Some(at) if referenced_columns[at] != DISTRIBUTION_COLUMN => violation(
                    &table,
                    &name,
                    format!(
                        "references session-scoped {referenced} ({}) matching {DISTRIBUTION_COLUMN} \
                         to {}, not to {DISTRIBUTION_COLUMN}: the two rows could be on different shards",
                        pairs(),
                        referenced_columns[at]
                    ),
                ),
                Some(_) => {}
            }
        } else if scoped.contains(&table) && referenced_local {
            violation(
                &table,
                &name,
                format!(
                    "references {referenced}, which stays on the coordinator: a shard cannot \
                     check a key there"
                ),
            );
        } else if !scoped.contains(&table) && referenced_scoped {
            violation(
                &table,
                &name,
                format!(
                    "a table not distributed by {DISTRIBUTION_COLUMN} references session-scoped \
                     {referenced} ({}): Citus refuses a foreign key from a reference or local \
                     table to a distributed one",
                    pairs()
                ),
            );
        }
        // A session-scoped table referencing a reference table is fine: every node has it.
    }

    found.sort();
    found.dedup();
    found
}

fn listing(violations: &[Violation]) -> String {
    violations
        .iter()
        .map(|v| format!("  {v}"))
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn every_key_of_a_session_scoped_table_holds_facility_id() {
    let db = TestDb::new();
    let violations = colocation_violations(&db);
    assert!(
        violations.is_empty(),
        "the schema breaks Citus's co-location rule (distribution by {DISTRIBUTION_COLUMN}):\n{}\n\
         Add {DISTRIBUTION_COLUMN} to the key (leading it, as the schema does elsewhere), or, for \
         a table that is deliberately not distributed, name it in NOT_DISTRIBUTED with why.",
        listing(&violations)
    );

    // The classification comes from the catalog; this only proves it sees what the README's
    // "Scaling out" section distributes and copies (a query that matched nothing would pass
    // the check above vacuously).
    let all = tables(&db);
    let scoped = session_scoped(&all, NOT_DISTRIBUTED);
    for table in [
        "group_session",
        "session_participant",
        "session_supervisor",
        "accepted_exception",
        "charge",
        "edi_document",
        "claim",
        "claim_line",
        "claim_issue",
        "force_token",
    ] {
        assert!(
            scoped.contains(table),
            "{table} is not seen as session-scoped; seen: {scoped:?}"
        );
    }
    let reference: BTreeSet<&str> = all
        .iter()
        .map(|(table, _, _)| table.as_str())
        .filter(|t| !scoped.contains(*t))
        .filter(|t| {
            !NOT_DISTRIBUTED
                .iter()
                .any(|n| n.table == *t && n.placement == Placement::CoordinatorLocal)
        })
        .collect();
    for table in [
        "facility",
        "payer",
        "group_type",
        "member",
        "provider",
        "coverage_policy",
        "staff_assignment",
        "supervision_rule",
        "size_band",
        "app_user",
        "attendance_transition",
    ] {
        assert!(
            reference.contains(table),
            "{table} is not seen as a reference table; seen: {reference:?}"
        );
    }
}

#[test]
fn the_check_names_each_broken_table_and_constraint() {
    let db = TestDb::new();
    // Deliberately broken tables in this test's own database, one for each way to break the
    // rule; `colo_lookup` has no facility_id, so it is a reference table.
    db.sql(
        "CREATE TABLE colo_broken (
             id          bigint PRIMARY KEY,
             facility_id bigint NOT NULL REFERENCES facility,
             code        text NOT NULL UNIQUE,
             CONSTRAINT colo_broken_code_excl EXCLUDE USING btree (code WITH =)
         );
         CREATE UNIQUE INDEX colo_broken_live ON colo_broken (code) WHERE id > 0;
         CREATE UNIQUE INDEX colo_broken_expr ON colo_broken ((facility_id + 0), code);
         CREATE TABLE colo_child (
             id          bigint NOT NULL,
             facility_id bigint NOT NULL,
             session_id  bigint NOT NULL,
             broken_id   bigint NOT NULL,
             PRIMARY KEY (facility_id, id),
             CONSTRAINT colo_child_swapped FOREIGN KEY (session_id, facility_id)
                 REFERENCES group_session (facility_id, id),
             CONSTRAINT colo_child_no_facility FOREIGN KEY (broken_id) REFERENCES colo_broken (id)
         );
         CREATE TABLE colo_nullable (facility_id bigint REFERENCES facility, note text);
         CREATE TABLE colo_lookup (
             id                bigint PRIMARY KEY,
             session_facility  bigint NOT NULL,
             session_id        bigint NOT NULL,
             CONSTRAINT colo_lookup_session FOREIGN KEY (session_facility, session_id)
                 REFERENCES group_session (facility_id, id)
         );",
    );

    let violations = colocation_violations(&db);
    let named: BTreeSet<(String, String)> = violations
        .iter()
        .map(|v| (v.table.clone(), v.constraint.clone()))
        .collect();
    let expected = [
        ("colo_broken", "primary key colo_broken_pkey"),
        ("colo_broken", "unique constraint colo_broken_code_key"),
        ("colo_broken", "exclusion constraint colo_broken_code_excl"),
        ("colo_broken", "partial unique index colo_broken_live"),
        ("colo_broken", "unique index colo_broken_expr"),
        ("colo_child", "foreign key colo_child_swapped"),
        ("colo_child", "foreign key colo_child_no_facility"),
        ("colo_nullable", "column facility_id"),
        ("colo_lookup", "foreign key colo_lookup_session"),
    ];
    for (table, constraint) in expected {
        assert!(
            named.contains(&(table.to_owned(), constraint.to_owned())),
            "the check does not report {constraint} on {table}; it reported:\n{}",
            listing(&violations)
        );
    }
    assert_eq!(
        violations.len(),
        expected.len(),
        "the check reported something else too:\n{}",
        listing(&violations)
    );
    // Each report names its table and constraint in what a failing test prints.
    let swapped = violations
        .iter()
        .find(|v| v.constraint == "foreign key colo_child_swapped")
        .expect("the swapped foreign key");
    assert!(
        swapped.to_string().contains("table colo_child")
            && swapped.to_string().contains("colo_child_swapped")
            && swapped.problem.contains("to id"),
        "{swapped}"
    );

    // A table left out of distribution that is no longer there is reported too.
    let stale = [NotDistributed {
        table: "colo_gone",
        placement: Placement::CoordinatorLocal,
        why: "a stale entry",
    }];
    let with_stale = violations_with(&db, &stale);
    assert!(
        with_stale
            .iter()
            .any(|v| v.table == "colo_gone" && v.constraint == "NOT_DISTRIBUTED"),
        "a stale NOT_DISTRIBUTED entry is not reported:\n{}",
        listing(&with_stale)
    );
}
