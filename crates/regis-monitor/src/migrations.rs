//! The one set of versioned schema migrations both stores run. Written once with three type
//! words that each dialect spells its own way: `@ID` (an auto-numbered 64-bit primary key),
//! `@INT64` (a 64-bit integer) and `@FLOAT` (a double); everything else is standard SQL.

/// Migrations, oldest first; a store records how many it has run.
pub const MIGRATIONS: &[&str] = &[
    r#"
CREATE TABLE users (id @ID, username TEXT NOT NULL UNIQUE, password_hash TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('admin','council','evaluator','public')), region TEXT);
CREATE TABLE programmes (id @ID, code TEXT NOT NULL UNIQUE, name TEXT NOT NULL, ministry TEXT NOT NULL,
    policy_area TEXT NOT NULL, start_year INTEGER NOT NULL, end_year INTEGER NOT NULL, version @INT64 NOT NULL DEFAULT 1);
CREATE TABLE projects (id @ID, programme_id @INT64 NOT NULL REFERENCES programmes(id), title TEXT NOT NULL,
    objective TEXT NOT NULL, region TEXT NOT NULL, industry TEXT NOT NULL, organisation TEXT NOT NULL,
    start_year INTEGER NOT NULL, end_year INTEGER NOT NULL, status TEXT NOT NULL CHECK (status IN ('draft','published')),
    version @INT64 NOT NULL DEFAULT 1);
CREATE TABLE indicators (id @ID, project_id @INT64 NOT NULL REFERENCES projects(id), name TEXT NOT NULL,
    unit TEXT NOT NULL, baseline @FLOAT NOT NULL, baseline_year INTEGER NOT NULL);
CREATE TABLE indicator_values (id @ID, indicator_id @INT64 NOT NULL REFERENCES indicators(id),
    period INTEGER NOT NULL, target @FLOAT, actual @FLOAT, version @INT64 NOT NULL DEFAULT 1, UNIQUE (indicator_id, period));
CREATE TABLE assignments (evaluator_id @INT64 NOT NULL REFERENCES users(id), project_id @INT64 NOT NULL REFERENCES projects(id),
    PRIMARY KEY (evaluator_id, project_id));
CREATE TABLE evaluations (id @ID, project_id @INT64 NOT NULL REFERENCES projects(id), kind TEXT NOT NULL
    CHECK (kind IN ('interim','final')), evaluator_id @INT64 NOT NULL REFERENCES users(id), scores TEXT NOT NULL,
    total @FLOAT NOT NULL, grade TEXT NOT NULL);
CREATE TABLE audit (id @ID, at_ms @INT64 NOT NULL, username TEXT NOT NULL, action TEXT NOT NULL,
    entity TEXT NOT NULL, entity_id @INT64 NOT NULL, before TEXT NOT NULL, after TEXT NOT NULL);
"#,
    r#"
CREATE TABLE budget_lines (id @ID, project_id @INT64 NOT NULL REFERENCES projects(id), year INTEGER NOT NULL,
    source TEXT NOT NULL CHECK (source IN ('central','local','private','special_account')), planned @FLOAT NOT NULL CHECK (planned >= 0),
    executed @FLOAT NOT NULL CHECK (executed >= 0), version @INT64 NOT NULL DEFAULT 1, UNIQUE (project_id, year, source));
"#,
    r#"
CREATE TABLE plans (id @ID, region TEXT NOT NULL, title TEXT NOT NULL, start_year INTEGER NOT NULL, end_year INTEGER NOT NULL,
    body TEXT NOT NULL, status TEXT NOT NULL CHECK (status IN ('draft','submitted','in_review','approved','returned')),
    comments TEXT NOT NULL DEFAULT '', version @INT64 NOT NULL DEFAULT 1);
CREATE TABLE plan_conflicts (id @ID, plan_id @INT64 NOT NULL REFERENCES plans(id), other_region TEXT NOT NULL,
    subject TEXT NOT NULL, resolved INTEGER NOT NULL DEFAULT 0, resolution TEXT NOT NULL DEFAULT '',
    version @INT64 NOT NULL DEFAULT 1);
"#,
    r#"
CREATE TABLE results (id @ID, project_id @INT64 NOT NULL REFERENCES projects(id),
    level TEXT NOT NULL CHECK (level IN ('output','outcome','impact')), title TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '', version @INT64 NOT NULL DEFAULT 1);
CREATE TABLE result_indicators (indicator_id @INT64 PRIMARY KEY REFERENCES indicators(id),
    result_id @INT64 NOT NULL REFERENCES results(id));
CREATE TABLE milestones (id @ID, project_id @INT64 NOT NULL REFERENCES projects(id), title TEXT NOT NULL,
    due_on TEXT NOT NULL, completed_on TEXT, version @INT64 NOT NULL DEFAULT 1);
CREATE TABLE region_values (id @ID, indicator_id @INT64 NOT NULL REFERENCES indicators(id),
    period @INT64 NOT NULL, region TEXT NOT NULL, target @FLOAT, actual @FLOAT,
    version @INT64 NOT NULL DEFAULT 1, UNIQUE (indicator_id, period, region));
"#,
    r#"
CREATE TABLE project_regions (project_id @INT64 NOT NULL REFERENCES projects(id), region TEXT NOT NULL,
    PRIMARY KEY (project_id, region));
"#,
    r#"
CREATE TABLE sessions (token_hash TEXT PRIMARY KEY, user_id @INT64 NOT NULL REFERENCES users(id),
    csrf TEXT NOT NULL, expires_at @INT64 NOT NULL);
"#,
    r#"
CREATE TABLE impact_estimates (id @ID, evaluation_id @INT64 NOT NULL REFERENCES evaluations(id),
    method TEXT NOT NULL CHECK (method IN ('cs','did','sc','sdid')), outcome TEXT NOT NULL,
    att @FLOAT NOT NULL, std_error @FLOAT, ci_low @FLOAT, ci_high @FLOAT, pre_fit @FLOAT,
    data_version TEXT NOT NULL, query TEXT NOT NULL DEFAULT '', attached_by TEXT NOT NULL);
"#,
    r#"
ALTER TABLE projects ADD COLUMN organisation_type TEXT NOT NULL DEFAULT 'other';
CREATE TABLE project_partners (project_id @INT64 NOT NULL REFERENCES projects(id), organisation TEXT NOT NULL,
    organisation_type TEXT NOT NULL CHECK (organisation_type IN
        ('firm','university','research_institute','support_organisation','government','other')),
    region TEXT NOT NULL, PRIMARY KEY (project_id, organisation));
"#,
];

/// SQL dialects of the stores.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dialect {
    /// SQLite (`INTEGER PRIMARY KEY` is the 64-bit rowid).
    Sqlite,
    /// PostgreSQL.
    Postgres,
}

/// Migration `k` spelled for a dialect.
///
/// ```
/// use regis_monitor::migrations::{migration, Dialect, MIGRATIONS};
/// assert!(migration(0, Dialect::Postgres).contains("id BIGSERIAL PRIMARY KEY, username"));
/// assert!(migration(0, Dialect::Sqlite).contains("id INTEGER PRIMARY KEY, username"));
/// assert!(!migration(MIGRATIONS.len() - 1, Dialect::Sqlite).contains('@'));
/// ```
pub fn migration(k: usize, dialect: Dialect) -> String {
    let (id, int64, float) = match dialect {
        Dialect::Sqlite => ("INTEGER PRIMARY KEY", "INTEGER", "REAL"),
        Dialect::Postgres => ("BIGSERIAL PRIMARY KEY", "BIGINT", "DOUBLE PRECISION"),
    };
    MIGRATIONS[k]
        .replace("@ID", id)
        .replace("@INT64", int64)
        .replace("@FLOAT", float)
}
