//! Regis programme monitoring and evaluation: programmes, projects, KPIs, evaluations, users and
//! roles, and an audit log of every change, behind the [`Store`] trait.
//!
//! Invariants: every write checks the actor's role and region first ([`auth`]), runs in one
//! transaction together with its audit entry (before and after), and fails with
//! [`MonitorError::Conflict`] when the record's version is not the one the writer read
//! (optimistic concurrency: nobody silently overwrites anybody); SQL is parameterised only;
//! passwords are stored as Argon2id hashes (memory-hard). The embedded store is SQLite in WAL
//! mode, which survives a killed process.

pub mod analytics;
pub mod auth;
pub mod conflicts;
pub mod demo;
pub mod estimates;
pub mod evaluations;
pub mod exchange;
pub mod files;
pub mod kpi;
pub mod messages;
pub mod migrations;
pub mod model;
pub mod overlap;
pub mod plans;
#[cfg(feature = "postgres")]
pub mod postgres;
pub mod projects;
pub mod records;
pub mod results;
pub mod rules;
pub mod sessions;
pub mod sql;
pub mod sqlite;

pub use model::*;

/// Errors of the monitoring store.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum MonitorError {
    /// Unknown user or wrong password (the two are not told apart).
    #[error("unauthenticated: {0}")]
    Unauthenticated(String),
    /// The actor may not do this.
    #[error("forbidden: {0}")]
    Forbidden(String),
    /// No such record (or not visible to the actor).
    #[error("not found: {0}")]
    NotFound(String),
    /// The record changed since the writer read it.
    #[error("conflict: {entity} {id} is at version {current}, the change was made on version {expected}; reload and retry")]
    Conflict {
        /// Entity.
        entity: &'static str,
        /// Id.
        id: i64,
        /// Version the writer had.
        expected: i64,
        /// Version in the store.
        current: i64,
    },
    /// Invalid input (names the field).
    #[error("invalid {field}: {message}")]
    Invalid {
        /// Field.
        field: &'static str,
        /// What is wrong.
        message: String,
    },
    /// An error in item `index` (0-based) of a batch; nothing of the batch was stored.
    #[error("item {}: {error}", index + 1)]
    AtRow {
        /// Position in the batch.
        index: usize,
        /// What went wrong there.
        error: Box<MonitorError>,
    },
    /// Storage failure (details logged, not shown to users).
    #[error("storage error: {0}")]
    Storage(String),
}

impl MonitorError {
    /// The error itself, or for a batch item's error the error of the item.
    pub fn innermost(&self) -> &MonitorError {
        match self {
            MonitorError::AtRow { error, .. } => error.innermost(),
            e => e,
        }
    }
}

/// Result alias.
pub type Result<T, E = MonitorError> = std::result::Result<T, E>;

/// The monitoring store. Implementations: [`sqlite::SqliteStore`] (embedded default) and, with the
/// `postgres` feature, `postgres::PgStore` (a PostgreSQL server; same schema and rules).
pub trait Store: Send + Sync {
    /// Creates the first administrator of an empty store (no actor needed; refused once the
    /// store has users).
    fn bootstrap_admin(&self, username: &str, password: &str) -> Result<i64>;
    /// Creates a user (admin only); the password is hashed with Argon2id.
    fn create_user(
        &self,
        actor: &Actor,
        username: &str,
        password: &str,
        role: Role,
        region: Option<&str>,
    ) -> Result<i64> {
        let hash = projects::prepare_user(actor, password, role, region)?;
        in_transaction(self, |tx| {
            projects::create_user(tx, actor, username, &hash, role, region)
        })
    }
    /// The id of a user name (admin only).
    fn user_id(&self, actor: &Actor, username: &str) -> Result<Option<i64>> {
        in_transaction(self, |tx| projects::user_id(tx, actor, username))
    }
    /// Checks a password and returns the actor.
    fn authenticate(&self, username: &str, password: &str) -> Result<Actor> {
        let record = in_transaction(self, |tx| projects::user_record(tx, username))?;
        projects::authenticate(record, username, password)
    }
    /// Records a login session by the hash of its token (see [`sessions`]; no actor check:
    /// the caller checked the login).
    fn save_session(
        &self,
        token_hash: &str,
        user_id: i64,
        csrf: &str,
        expires_at: i64,
        now: i64,
    ) -> Result<()> {
        in_transaction(self, |tx| {
            sessions::save(tx, token_hash, user_id, csrf, expires_at, now)
        })
    }
    /// The sessions alive at `now` (seconds since 1970).
    fn live_sessions(&self, now: i64) -> Result<Vec<sessions::StoredSession>> {
        in_transaction(self, |tx| sessions::live(tx, now))
    }
    /// The session of a token hash alive at `now`, with its user's current role and region.
    fn find_session(&self, token_hash: &str, now: i64) -> Result<Option<sessions::StoredSession>> {
        in_transaction(self, |tx| sessions::find(tx, token_hash, now))
    }
    /// Ends a session by the hash of its token.
    fn end_session(&self, token_hash: &str) -> Result<()> {
        in_transaction(self, |tx| sessions::end(tx, token_hash))
    }
    /// Creates a programme (admin only).
    #[allow(clippy::too_many_arguments)]
    fn create_programme(
        &self,
        actor: &Actor,
        code: &str,
        name: &str,
        ministry: &str,
        policy_area: &str,
        start_year: i32,
        end_year: i32,
    ) -> Result<Programme> {
        let fields = Programme {
            id: 0,
            code: code.into(),
            name: name.into(),
            ministry: ministry.into(),
            policy_area: policy_area.into(),
            start_year,
            end_year,
            version: 1,
        };
        in_transaction(self, |tx| records::create_programme(tx, actor, &fields))
    }
    /// All programmes (programmes are public).
    fn programmes(&self) -> Result<Vec<Programme>> {
        in_transaction(self, records::programmes)
    }
    /// Creates a project (admin; a council member in their own region).
    fn create_project(&self, actor: &Actor, input: &ProjectInput) -> Result<Project> {
        in_transaction(self, |tx| projects::create_project(tx, actor, input))
    }
    /// Changes a project made on `expected_version`.
    fn update_project(
        &self,
        actor: &Actor,
        id: i64,
        expected_version: i64,
        input: &ProjectInput,
    ) -> Result<Project> {
        in_transaction(self, |tx| {
            projects::update_project(tx, actor, id, expected_version, input)
        })
    }
    /// One project (the public sees published projects only).
    fn project(&self, actor: &Actor, id: i64) -> Result<Project> {
        in_transaction(self, |tx| projects::project(tx, actor, id))
    }
    /// Projects visible to the actor.
    fn projects(&self, actor: &Actor) -> Result<Vec<Project>> {
        in_transaction(self, |tx| projects::projects(tx, actor))
    }
    /// Adds an indicator to a project.
    fn create_indicator(
        &self,
        actor: &Actor,
        project_id: i64,
        name: &str,
        unit: &str,
        baseline: f64,
        baseline_year: i32,
    ) -> Result<Indicator> {
        in_transaction(self, |tx| {
            records::create_indicator(tx, actor, project_id, name, unit, baseline, baseline_year)
        })
    }
    /// Records an indicator's target and actual for a period: `expected_version` None creates
    /// the period's record, Some(v) updates the record read at version v.
    fn record_value(
        &self,
        actor: &Actor,
        indicator_id: i64,
        period: i32,
        expected_version: Option<i64>,
        target: Option<f64>,
        actual: Option<f64>,
    ) -> Result<IndicatorValue> {
        let row = exchange::KpiRow {
            indicator_id,
            period,
            target,
            actual,
            version: expected_version,
        };
        in_transaction(self, |tx| kpi::record_value(tx, actor, &row))
    }
    /// Values of an indicator.
    fn values(&self, actor: &Actor, indicator_id: i64) -> Result<Vec<IndicatorValue>> {
        in_transaction(self, |tx| kpi::values(tx, actor, indicator_id))
    }
    /// Assigns an evaluator to a project (admin only).
    fn assign(&self, actor: &Actor, evaluator_id: i64, project_id: i64) -> Result<()> {
        in_transaction(self, |tx| {
            records::assign(tx, actor, evaluator_id, project_id)
        })
    }
    /// Scores a project (assigned evaluators and admins).
    fn evaluate(
        &self,
        actor: &Actor,
        project_id: i64,
        kind: &str,
        scores: &[(String, f64, f64)],
    ) -> Result<Evaluation> {
        in_transaction(self, |tx| {
            evaluations::evaluate(tx, actor, project_id, kind, scores)
        })
    }
    /// Evaluations visible to the actor: admins all; evaluators their own; council members
    /// their region's; the public those of published projects.
    fn evaluations(&self, actor: &Actor) -> Result<Vec<Evaluation>> {
        let projects = self.projects(actor)?;
        let all = in_transaction(self, evaluations::all_evaluations)?;
        Ok(rules::visible_evaluations(actor, &projects, all))
    }
    /// Attaches an impact estimate to an evaluation (admins, or the evaluators assigned to its
    /// project).
    fn attach_estimate(&self, actor: &Actor, input: &EstimateInput) -> Result<ImpactEstimate> {
        in_transaction(self, |tx| estimates::attach(tx, actor, input))
    }
    /// Impact estimates of the evaluations visible to the actor, oldest first.
    fn estimates(&self, actor: &Actor) -> Result<Vec<ImpactEstimate>> {
        let visible: Vec<i64> = self.evaluations(actor)?.iter().map(|e| e.id).collect();
        let all = in_transaction(self, estimates::all_estimates)?;
        Ok(all
            .into_iter()
            .filter(|e| visible.contains(&e.evaluation_id))
            .map(|mut e| {
                // Staff see who attached an estimate; the public does not see login names.
                if actor.role == Role::Public {
                    e.attached_by = String::new();
                }
                e
            })
            .collect())
    }
    /// The audit log (admin only), oldest first.
    fn audit(&self, actor: &Actor) -> Result<Vec<AuditEntry>> {
        in_transaction(self, |tx| records::audit_log(tx, actor))
    }
    /// Adds a budget line (year, source: central, local, private, special_account).
    fn add_budget(
        &self,
        actor: &Actor,
        project_id: i64,
        year: i32,
        source: &str,
        planned: f64,
        executed: f64,
    ) -> Result<BudgetLine> {
        in_transaction(self, |tx| {
            records::add_budget(tx, actor, project_id, year, source, (planned, executed))
        })
    }
    /// Budget lines of the projects visible to the actor.
    fn budgets(&self, actor: &Actor) -> Result<Vec<(Project, BudgetLine)>> {
        let projects = self.projects(actor)?;
        in_transaction(self, |tx| records::budgets(tx, &projects))
    }
    /// Indicators with their values, of the projects visible to the actor.
    fn indicators(&self, actor: &Actor) -> Result<Vec<(Project, Indicator, Vec<IndicatorValue>)>> {
        let projects = self.projects(actor)?;
        in_transaction(self, |tx| records::indicators(tx, &projects))
    }
    /// Creates all the projects in one transaction, or none (the error names the item).
    fn import_projects(&self, actor: &Actor, rows: &[ProjectInput]) -> Result<Vec<Project>> {
        in_transaction(self, |tx| projects::import_projects(tx, actor, rows))
    }
    /// Records all the KPI values in one transaction, or none (the error names the item).
    fn import_values(
        &self,
        actor: &Actor,
        rows: &[crate::exchange::KpiRow],
    ) -> Result<Vec<IndicatorValue>> {
        in_transaction(self, |tx| kpi::import_values(tx, actor, rows))
    }
    /// Creates a regional development plan (`id` None; a draft) or changes one read at
    /// `expected_version` (drafts and returned plans only); the region's council members or
    /// admins.
    fn save_plan(
        &self,
        actor: &Actor,
        id: Option<i64>,
        expected_version: i64,
        input: &PlanInput,
    ) -> Result<Plan> {
        in_transaction(self, |tx| {
            plans::save_plan(tx, actor, id, expected_version, input)
        })
    }
    /// Takes a step of the review workflow ([`rules::plan_step`]) on a plan read at
    /// `expected_version`.
    fn plan_step(
        &self,
        actor: &Actor,
        id: i64,
        expected_version: i64,
        action: &PlanAction,
    ) -> Result<Plan> {
        in_transaction(self, |tx| {
            plans::plan_step(tx, actor, id, expected_version, action)
        })
    }
    /// Plans visible to the actor (the public sees approved plans only).
    fn plans(&self, actor: &Actor) -> Result<Vec<Plan>> {
        in_transaction(self, |tx| plans::plans(tx, actor))
    }
    /// Logs a conflict between a plan and another region (the plan's region, the other
    /// region's council members, or admins).
    fn log_conflict(
        &self,
        actor: &Actor,
        plan_id: i64,
        other_region: &str,
        subject: &str,
    ) -> Result<PlanConflict> {
        in_transaction(self, |tx| {
            conflicts::log_conflict(tx, actor, plan_id, other_region, subject)
        })
    }
    /// Settles a logged conflict read at `expected_version`, recording how (admins, or the
    /// plan's region).
    fn resolve_conflict(
        &self,
        actor: &Actor,
        id: i64,
        expected_version: i64,
        resolution: &str,
    ) -> Result<PlanConflict> {
        in_transaction(self, |tx| {
            conflicts::resolve_conflict(tx, actor, id, expected_version, resolution)
        })
    }
    /// The conflict log (staff only).
    fn conflicts(&self, actor: &Actor) -> Result<Vec<PlanConflict>> {
        in_transaction(self, |tx| conflicts::conflicts(tx, actor))
    }
    /// Writes a consistent copy of the whole store to a new file (admin only).
    fn backup(&self, actor: &Actor, to: &std::path::Path) -> Result<()>;
    /// Runs the storage engine's integrity check; Ok when sound.
    fn integrity_check(&self) -> Result<()>;

    /// Runs `work` in one transaction of the store, committed when it returns Ok and rolled
    /// back otherwise. The features written once for both stores ([`results`]) use it.
    fn transact(&self, work: &mut dyn FnMut(&mut dyn sql::Tx) -> Result<()>) -> Result<()>;

    /// Adds a result (output, outcome, impact) to a project. See [`results::add_result`].
    fn add_result(
        &self,
        actor: &Actor,
        project_id: i64,
        level: ResultLevel,
        title: &str,
        description: &str,
    ) -> Result<ProjectResult> {
        in_transaction(self, |tx| {
            results::add_result(tx, actor, project_id, level, title, description)
        })
    }

    /// Puts an indicator under a result. See [`results::link_indicator`].
    fn link_indicator(
        &self,
        actor: &Actor,
        result_id: i64,
        indicator_id: i64,
    ) -> Result<ProjectResult> {
        in_transaction(self, |tx| {
            results::link_indicator(tx, actor, result_id, indicator_id)
        })
    }

    /// The results of a project with their indicator ids.
    fn results(&self, actor: &Actor, project_id: i64) -> Result<Vec<ProjectResult>> {
        in_transaction(self, |tx| results::results(tx, actor, project_id))
    }

    /// Adds a milestone due on a date (`YYYY-MM-DD`).
    fn add_milestone(
        &self,
        actor: &Actor,
        project_id: i64,
        title: &str,
        due_on: &str,
    ) -> Result<Milestone> {
        in_transaction(self, |tx| {
            results::add_milestone(tx, actor, project_id, title, due_on)
        })
    }

    /// Marks a milestone completed (or re-opens it with None), on the version read.
    fn complete_milestone(
        &self,
        actor: &Actor,
        milestone_id: i64,
        expected_version: i64,
        completed_on: Option<&str>,
    ) -> Result<Milestone> {
        in_transaction(self, |tx| {
            results::complete_milestone(tx, actor, milestone_id, expected_version, completed_on)
        })
    }

    /// The milestones of a project, by due date.
    fn milestones(&self, actor: &Actor, project_id: i64) -> Result<Vec<Milestone>> {
        in_transaction(self, |tx| results::milestones(tx, actor, project_id))
    }

    /// Records an indicator's value for a region inside the project's region.
    fn record_region_value(&self, actor: &Actor, input: &RegionValueInput) -> Result<RegionValue> {
        in_transaction(self, |tx| results::record_region_value(tx, actor, input))
    }

    /// An indicator's values by region.
    fn region_values(&self, actor: &Actor, indicator_id: i64) -> Result<Vec<RegionValue>> {
        in_transaction(self, |tx| results::region_values(tx, actor, indicator_id))
    }
}

/// Runs `work` through [`Store::transact`] and returns its value.
fn in_transaction<S: Store + ?Sized, T>(
    store: &S,
    mut work: impl FnMut(&mut dyn sql::Tx) -> Result<T>,
) -> Result<T> {
    let mut out = None;
    store.transact(&mut |tx| {
        out = Some(work(tx)?);
        Ok(())
    })?;
    out.ok_or_else(|| MonitorError::Storage("transaction returned nothing".into()))
}
