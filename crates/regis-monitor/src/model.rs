//! The monitoring model: programmes, projects, budgets, results framework (indicators with
//! periods of baseline, target and actual, in the spirit of the IATI results standard),
//! evaluations, users and roles, and the audit log.

use serde::{Deserialize, Serialize};

/// Roles of the system.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Central agency administrator: everything.
    Admin,
    /// Regional council member: edits only their own region's plans and projects.
    Council,
    /// Evaluator: scores only the projects assigned to them.
    Evaluator,
    /// The public: published data only.
    Public,
}

impl Role {
    /// Stable id.
    pub fn id(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Council => "council",
            Role::Evaluator => "evaluator",
            Role::Public => "public",
        }
    }

    /// Parses an id.
    pub fn parse(s: &str) -> Option<Role> {
        match s {
            "admin" => Some(Role::Admin),
            "council" => Some(Role::Council),
            "evaluator" => Some(Role::Evaluator),
            "public" => Some(Role::Public),
            _ => None,
        }
    }
}

/// Who is acting.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Actor {
    /// User id (0 for the anonymous public).
    pub user_id: i64,
    /// User name, for the audit log.
    pub username: String,
    /// Role.
    pub role: Role,
    /// Region (SGIS code) of a council member.
    pub region: Option<String>,
}

impl Actor {
    /// The anonymous public.
    pub fn public() -> Actor {
        Actor {
            user_id: 0,
            username: "public".into(),
            role: Role::Public,
            region: None,
        }
    }
}

/// A programme (e.g. a ministry's regional industry promotion programme).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Programme {
    /// Id.
    pub id: i64,
    /// Short code.
    pub code: String,
    /// Name.
    pub name: String,
    /// Responsible ministry.
    pub ministry: String,
    /// Policy area.
    pub policy_area: String,
    /// First year.
    pub start_year: i32,
    /// Last year.
    pub end_year: i32,
    /// Optimistic-concurrency version.
    pub version: i64,
}

/// Publication status of a project.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// Visible to staff only.
    Draft,
    /// Visible to the public.
    Published,
}

/// What kind of organisation an actor of a project is: the actor types of innovation-network
/// analysis (firms, universities and public research institutes are the triple helix's
/// industry and university; support organisations such as technoparks and government bodies
/// its government side).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OrganisationType {
    /// A firm.
    Firm,
    /// A university or college.
    University,
    /// A public research institute.
    ResearchInstitute,
    /// A support organisation (technopark, agency, association).
    SupportOrganisation,
    /// Central or local government.
    Government,
    /// Anything else, or not stated.
    #[default]
    Other,
}

impl OrganisationType {
    /// Every type, in the order forms list them.
    pub const ALL: [OrganisationType; 6] = [
        OrganisationType::Firm,
        OrganisationType::University,
        OrganisationType::ResearchInstitute,
        OrganisationType::SupportOrganisation,
        OrganisationType::Government,
        OrganisationType::Other,
    ];

    /// The stored id (the JSON name).
    ///
    /// ```
    /// use regis_monitor::OrganisationType;
    /// assert_eq!(OrganisationType::ResearchInstitute.id(), "research_institute");
    /// assert_eq!(OrganisationType::parse("university"), Some(OrganisationType::University));
    /// ```
    pub fn id(self) -> &'static str {
        match self {
            OrganisationType::Firm => "firm",
            OrganisationType::University => "university",
            OrganisationType::ResearchInstitute => "research_institute",
            OrganisationType::SupportOrganisation => "support_organisation",
            OrganisationType::Government => "government",
            OrganisationType::Other => "other",
        }
    }

    /// The type of a stored id.
    pub fn parse(id: &str) -> Option<OrganisationType> {
        Self::ALL.into_iter().find(|t| t.id() == id)
    }
}

/// A partner organisation of a project.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Partner {
    /// Name (an organisation is identified by its name across projects).
    pub organisation: String,
    /// What kind of organisation it is.
    #[serde(default)]
    pub organisation_type: OrganisationType,
    /// Its region (SGIS province code).
    pub region: String,
}

/// A project of a programme.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Project {
    /// Id.
    pub id: i64,
    /// Programme id.
    pub programme_id: i64,
    /// Title.
    pub title: String,
    /// Objective (free text, Korean or English).
    pub objective: String,
    /// Lead region (SGIS province code): its council members edit the project.
    pub region: String,
    /// Partner regions of a cooperation project spanning several regions (may be empty).
    #[serde(default)]
    pub partner_regions: Vec<String>,
    /// Industry code.
    pub industry: String,
    /// Executing organisation.
    pub organisation: String,
    /// What kind of organisation the executing one is.
    #[serde(default)]
    pub organisation_type: OrganisationType,
    /// Partner organisations (the cooperation network among the monitored programmes' actors
    /// is read from the executing organisations and these).
    #[serde(default)]
    pub partners: Vec<Partner>,
    /// First year.
    pub start_year: i32,
    /// Last year.
    pub end_year: i32,
    /// Draft or published.
    pub status: Status,
    /// Optimistic-concurrency version.
    pub version: i64,
}

impl Project {
    /// The lead region and the partner regions.
    pub fn regions(&self) -> impl Iterator<Item = &str> {
        std::iter::once(self.region.as_str()).chain(self.partner_regions.iter().map(|r| r.as_str()))
    }
}

/// Fields to create or change a project.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProjectInput {
    /// Programme id.
    pub programme_id: i64,
    /// Title.
    pub title: String,
    /// Objective.
    pub objective: String,
    /// Lead region (SGIS province code).
    pub region: String,
    /// Partner regions of a cooperation project (may be empty).
    #[serde(default)]
    pub partner_regions: Vec<String>,
    /// Industry code.
    pub industry: String,
    /// Executing organisation.
    pub organisation: String,
    /// What kind of organisation the executing one is.
    #[serde(default)]
    pub organisation_type: OrganisationType,
    /// Partner organisations (the cooperation network among the monitored programmes' actors
    /// is read from the executing organisations and these).
    #[serde(default)]
    pub partners: Vec<Partner>,
    /// First year.
    pub start_year: i32,
    /// Last year.
    pub end_year: i32,
    /// Draft or published.
    pub status: Status,
}

/// A key performance indicator of a project.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Indicator {
    /// Id.
    pub id: i64,
    /// Project id.
    pub project_id: i64,
    /// Name.
    pub name: String,
    /// Unit.
    pub unit: String,
    /// Baseline value.
    pub baseline: f64,
    /// Baseline year.
    pub baseline_year: i32,
}

/// An indicator's target and actual in one period.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IndicatorValue {
    /// Id.
    pub id: i64,
    /// Indicator id.
    pub indicator_id: i64,
    /// Year.
    pub period: i32,
    /// Target.
    pub target: Option<f64>,
    /// Actual.
    pub actual: Option<f64>,
    /// Optimistic-concurrency version.
    pub version: i64,
}

/// A budget line: a project's planned and executed amounts for a year and a source of funds.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BudgetLine {
    /// Id.
    pub id: i64,
    /// Project id.
    pub project_id: i64,
    /// Year.
    pub year: i32,
    /// `central`, `local`, `private` or `special_account`.
    pub source: String,
    /// Planned amount (million KRW).
    pub planned: f64,
    /// Executed amount (million KRW).
    pub executed: f64,
    /// Optimistic-concurrency version.
    pub version: i64,
}

/// An evaluation of a project (interim or final) by an evaluator.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Evaluation {
    /// Id.
    pub id: i64,
    /// Project id.
    pub project_id: i64,
    /// `interim` or `final`.
    pub kind: String,
    /// Evaluator's user id.
    pub evaluator_id: i64,
    /// Criterion scores (0-100) and weights: (criterion, score, weight).
    pub scores: Vec<(String, f64, f64)>,
    /// Weighted score.
    pub total: f64,
    /// Grade (S, A, B, C, D).
    pub grade: String,
}

/// An impact estimate attached to an evaluation: what a causal method says the project (or
/// its programme) changed, beside the evaluator's grade.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ImpactEstimate {
    /// Id.
    pub id: i64,
    /// The evaluation it is attached to.
    pub evaluation_id: i64,
    /// `cs`, `did`, `sc` or `sdid` (the `regis evaluate` subcommand).
    pub method: String,
    /// The outcome: measure, industry, per head (e.g. `grdp_nominal C per population`).
    pub outcome: String,
    /// The average effect on the treated, in the outcome's unit.
    pub att: f64,
    /// Its standard error.
    pub std_error: Option<f64>,
    /// Lower bound of its 95% interval.
    pub ci_low: Option<f64>,
    /// Upper bound.
    pub ci_high: Option<f64>,
    /// Pre-treatment fit (RMSPE for synthetic control), when the method has one.
    pub pre_fit: Option<f64>,
    /// The data it was computed on (measure id and vintage or file digest).
    pub data_version: String,
    /// The query that reproduces it (a dashboard path), if any.
    pub query: String,
    /// Who attached it.
    pub attached_by: String,
}

/// Fields of an impact estimate to attach.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EstimateInput {
    /// The evaluation.
    pub evaluation_id: i64,
    /// `cs`, `did`, `sc` or `sdid`.
    pub method: String,
    /// The outcome.
    pub outcome: String,
    /// The effect.
    pub att: f64,
    /// Its standard error.
    #[serde(default)]
    pub std_error: Option<f64>,
    /// Lower bound of its 95% interval.
    #[serde(default)]
    pub ci_low: Option<f64>,
    /// Upper bound.
    #[serde(default)]
    pub ci_high: Option<f64>,
    /// Pre-treatment fit.
    #[serde(default)]
    pub pre_fit: Option<f64>,
    /// The data version.
    pub data_version: String,
    /// The query that reproduces it (a dashboard path starting with `/`), if any.
    #[serde(default)]
    pub query: String,
}

/// One audit-log entry: who changed what, when, before and after.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AuditEntry {
    /// Id.
    pub id: i64,
    /// Unix time in milliseconds.
    pub at_ms: i64,
    /// User name.
    pub username: String,
    /// Action (`create`, `update`, `score`...).
    pub action: String,
    /// Entity (`project`, `indicator_value`...).
    pub entity: String,
    /// Entity id.
    pub entity_id: i64,
    /// State before (JSON; null on create).
    pub before: serde_json::Value,
    /// State after (JSON).
    pub after: serde_json::Value,
}

/// The grade of a weighted evaluation score (0-100): S ≥ 90, A ≥ 80, B ≥ 70, C ≥ 60, else D.
pub fn grade(total: f64) -> &'static str {
    match total {
        t if t >= 90.0 => "S",
        t if t >= 80.0 => "A",
        t if t >= 70.0 => "B",
        t if t >= 60.0 => "C",
        _ => "D",
    }
}

/// Where a regional development plan stands in its review.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PlanStatus {
    /// Being written by the region.
    Draft,
    /// Sent for review.
    Submitted,
    /// Under council review.
    InReview,
    /// Approved (public).
    Approved,
    /// Returned with comments; the region revises and resubmits.
    Returned,
}

impl PlanStatus {
    /// Stored id.
    pub fn id(self) -> &'static str {
        match self {
            PlanStatus::Draft => "draft",
            PlanStatus::Submitted => "submitted",
            PlanStatus::InReview => "in_review",
            PlanStatus::Approved => "approved",
            PlanStatus::Returned => "returned",
        }
    }
    /// From a stored id.
    pub fn parse(s: &str) -> Option<PlanStatus> {
        [
            PlanStatus::Draft,
            PlanStatus::Submitted,
            PlanStatus::InReview,
            PlanStatus::Approved,
            PlanStatus::Returned,
        ]
        .into_iter()
        .find(|p| p.id() == s)
    }
}

/// The fields of a regional development plan a region writes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PlanInput {
    /// Region (SGIS province code).
    pub region: String,
    /// Title.
    pub title: String,
    /// First year.
    pub start_year: i32,
    /// Last year.
    pub end_year: i32,
    /// The plan's text (strategy, strategic industries, projects).
    pub body: String,
}

/// A regional development plan with its review state.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Plan {
    /// Id.
    pub id: i64,
    /// Region.
    pub region: String,
    /// Title.
    pub title: String,
    /// First year.
    pub start_year: i32,
    /// Last year.
    pub end_year: i32,
    /// Text.
    pub body: String,
    /// Review state.
    pub status: PlanStatus,
    /// The reviewers' comments of the last return (empty otherwise).
    pub comments: String,
    /// Optimistic-concurrency version.
    pub version: i64,
}

/// A step of the review workflow.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "action", rename_all = "snake_case")]
pub enum PlanAction {
    /// The region sends a draft (or a returned plan) for review.
    Submit,
    /// The council takes a submitted plan into review.
    StartReview,
    /// The council approves a plan in review.
    Approve,
    /// The council returns a plan in review with comments.
    Return {
        /// What to change.
        comments: String,
    },
}

/// An entry of the conflict log: a plan clashes with another region (e.g. both target the same
/// strategic industry or site), until settled with a recorded resolution.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PlanConflict {
    /// Id.
    pub id: i64,
    /// The plan.
    pub plan_id: i64,
    /// The other region.
    pub other_region: String,
    /// What the conflict is about.
    pub subject: String,
    /// Settled.
    pub resolved: bool,
    /// How it was settled.
    pub resolution: String,
    /// Optimistic-concurrency version.
    pub version: i64,
}

/// The level of a result in a project's results chain, as in the IATI results standard
/// (result type 1 output, 2 outcome, 3 impact).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ResultLevel {
    /// What the project delivers (산출).
    Output,
    /// The change it brings about (성과).
    Outcome,
    /// The longer-term effect it contributes to (영향).
    Impact,
}

impl ResultLevel {
    /// Stable id (`output`, `outcome`, `impact`).
    pub fn id(self) -> &'static str {
        match self {
            ResultLevel::Output => "output",
            ResultLevel::Outcome => "outcome",
            ResultLevel::Impact => "impact",
        }
    }

    /// Parses an id.
    pub fn parse(s: &str) -> Option<ResultLevel> {
        match s {
            "output" => Some(ResultLevel::Output),
            "outcome" => Some(ResultLevel::Outcome),
            "impact" => Some(ResultLevel::Impact),
            _ => None,
        }
    }
}

/// A result of a project (the level above its indicators): what the indicators measure.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProjectResult {
    /// Id.
    pub id: i64,
    /// Project id.
    pub project_id: i64,
    /// Output, outcome or impact.
    pub level: ResultLevel,
    /// Title.
    pub title: String,
    /// Description.
    pub description: String,
    /// The indicators measuring this result.
    pub indicator_ids: Vec<i64>,
    /// Optimistic-concurrency version.
    pub version: i64,
}

/// A project milestone: a dated step, completed or not.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Milestone {
    /// Id.
    pub id: i64,
    /// Project id.
    pub project_id: i64,
    /// Title.
    pub title: String,
    /// Due date, `YYYY-MM-DD`.
    pub due_on: String,
    /// Completion date, `YYYY-MM-DD`, if completed.
    pub completed_on: Option<String>,
    /// Optimistic-concurrency version.
    pub version: i64,
}

/// Where a milestone stands on a given day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MilestoneStatus {
    /// Not completed, not yet due.
    Planned,
    /// Not completed and past its due date.
    Overdue,
    /// Completed on or before its due date.
    Done,
    /// Completed after its due date.
    DoneLate,
}

impl Milestone {
    /// The status on `today` (`YYYY-MM-DD`; ISO dates compare as text).
    pub fn status(&self, today: &str) -> MilestoneStatus {
        match &self.completed_on {
            Some(d) if d.as_str() <= self.due_on.as_str() => MilestoneStatus::Done,
            Some(_) => MilestoneStatus::DoneLate,
            None if today > self.due_on.as_str() => MilestoneStatus::Overdue,
            None => MilestoneStatus::Planned,
        }
    }
}

/// An indicator's target and actual in one period for one region inside the project's region
/// (disaggregation by region, e.g. districts of the province).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RegionValue {
    /// Id.
    pub id: i64,
    /// Indicator id.
    pub indicator_id: i64,
    /// Year.
    pub period: i32,
    /// Region code (the project's region or one inside it).
    pub region: String,
    /// Target.
    pub target: Option<f64>,
    /// Actual.
    pub actual: Option<f64>,
    /// Optimistic-concurrency version.
    pub version: i64,
}

/// A region value to record: `version` None creates the record, Some(v) updates the record
/// read at version v.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RegionValueInput {
    /// Indicator id.
    pub indicator_id: i64,
    /// Year.
    pub period: i32,
    /// Region code.
    pub region: String,
    /// Target.
    pub target: Option<f64>,
    /// Actual.
    pub actual: Option<f64>,
    /// The version read (None to create).
    pub version: Option<i64>,
}
