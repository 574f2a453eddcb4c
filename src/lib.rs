//! gsess: group session attendance and billing administration over PostgreSQL.

pub mod rules;
