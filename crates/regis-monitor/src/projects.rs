//! Projects and users, written once for both stores over [`crate::sql::Tx`]: projects are
//! created by admins or the lead region's council members (one or a batch, all or nothing),
//! changed on the version read (the row is locked first), may list partner regions (a
//! cooperation project spanning several regions) and partner organisations (with the executing
//! one, the actors of the cooperation network), and the public sees published projects only;
//! users are created by admins with an Argon2id hash and authenticated against it.

use serde_json::json;

use crate::auth::{admin, edit_region, hash_password, verify_password};
use crate::results::audit;
use crate::rules::{check_project, status_from, status_id};
use crate::sql::{SqlError, SqlValue, Tx};
use crate::{
    Actor, MonitorError, OrganisationType, Partner, Project, ProjectInput, Result, Role, Status,
};

const PROJECT_COLS: &str = "id, programme_id, title, objective, region, industry, organisation, start_year, end_year, status, version, organisation_type";

fn project_from(r: &[SqlValue]) -> Result<Project> {
    Ok(Project {
        id: r[0].int()?,
        programme_id: r[1].int()?,
        title: r[2].text()?,
        objective: r[3].text()?,
        region: r[4].text()?,
        partner_regions: Vec::new(),
        industry: r[5].text()?,
        organisation: r[6].text()?,
        organisation_type: OrganisationType::parse(&r[11].text()?).unwrap_or_default(),
        partners: Vec::new(),
        start_year: r[7].int()? as i32,
        end_year: r[8].int()? as i32,
        status: status_from(&r[9].text()?),
        version: r[10].int()?,
    })
}

fn project_by_id(tx: &mut dyn Tx, id: i64, lock: bool) -> Result<Option<Project>> {
    let suffix = if lock { tx.for_update() } else { "" };
    let sql = format!("SELECT {PROJECT_COLS} FROM projects WHERE id = ?1{suffix}");
    let mut project = tx
        .query(&sql, &[id.into()])?
        .first()
        .map(|r| project_from(r))
        .transpose()?;
    if let Some(p) = project.as_mut() {
        p.partner_regions = tx
            .query(
                "SELECT region FROM project_regions WHERE project_id = ?1 ORDER BY region",
                &[id.into()],
            )?
            .iter()
            .map(|r| r[0].text())
            .collect::<Result<Vec<_>>>()?;
        p.partners = tx
            .query(
                "SELECT organisation, organisation_type, region FROM project_partners WHERE project_id = ?1 ORDER BY organisation",
                &[id.into()],
            )?
            .iter()
            .map(|r| partner_from(&r[..]))
            .collect::<Result<Vec<_>>>()?;
    }
    Ok(project)
}

fn partner_from(r: &[SqlValue]) -> Result<Partner> {
    Ok(Partner {
        organisation: r[0].text()?,
        organisation_type: OrganisationType::parse(&r[1].text()?).unwrap_or_default(),
        region: r[2].text()?,
    })
}

/// Replaces a project's partner organisations.
fn write_partners(tx: &mut dyn Tx, id: i64, partners: &[Partner]) -> Result<()> {
    tx.execute(
        "DELETE FROM project_partners WHERE project_id = ?1",
        &[id.into()],
    )?;
    for p in partners {
        tx.execute(
            "INSERT INTO project_partners (project_id, organisation, organisation_type, region) VALUES (?1, ?2, ?3, ?4)",
            &[
                id.into(),
                p.organisation.as_str().into(),
                p.organisation_type.id().into(),
                p.region.as_str().into(),
            ],
        )?;
    }
    Ok(())
}

/// Replaces a project's partner regions.
fn write_partner_regions(tx: &mut dyn Tx, id: i64, regions: &[String]) -> Result<()> {
    tx.execute(
        "DELETE FROM project_regions WHERE project_id = ?1",
        &[id.into()],
    )?;
    for r in regions {
        tx.execute(
            "INSERT INTO project_regions (project_id, region) VALUES (?1, ?2)",
            &[id.into(), r.as_str().into()],
        )?;
    }
    Ok(())
}

fn fields(input: &ProjectInput) -> Vec<SqlValue> {
    vec![
        input.programme_id.into(),
        input.title.as_str().into(),
        input.objective.as_str().into(),
        input.region.as_str().into(),
        input.industry.as_str().into(),
        input.organisation.as_str().into(),
        input.start_year.into(),
        input.end_year.into(),
        status_id(input.status).into(),
        input.organisation_type.id().into(),
    ]
}

/// Creates a project.
pub fn create_project(tx: &mut dyn Tx, actor: &Actor, input: &ProjectInput) -> Result<Project> {
    edit_region(actor, &input.region, "create projects")?;
    check_project(input)?;
    if tx
        .query(
            "SELECT id FROM programmes WHERE id = ?1",
            &[input.programme_id.into()],
        )?
        .is_empty()
    {
        return Err(MonitorError::Invalid {
            field: "programme_id",
            message: format!("no programme {}", input.programme_id),
        });
    }
    let id = tx.insert(
        "INSERT INTO projects (programme_id, title, objective, region, industry, organisation, start_year, end_year, status, organisation_type) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
        &fields(input),
    )?;
    write_partner_regions(tx, id, &input.partner_regions)?;
    write_partners(tx, id, &input.partners)?;
    let p = project_by_id(tx, id, false)?
        .ok_or_else(|| MonitorError::Storage(format!("project {id} vanished")))?;
    audit(
        tx,
        actor,
        "create",
        "project",
        id,
        serde_json::Value::Null,
        json!(p),
    )?;
    Ok(p)
}

/// Creates every project in the caller's transaction, or fails naming the item.
pub fn import_projects(
    tx: &mut dyn Tx,
    actor: &Actor,
    rows: &[ProjectInput],
) -> Result<Vec<Project>> {
    rows.iter()
        .enumerate()
        .map(|(index, input)| {
            create_project(tx, actor, input).map_err(|e| MonitorError::AtRow {
                index,
                error: Box::new(e),
            })
        })
        .collect()
}

/// Changes a project read at `expected_version` (its region's council members or admins; a
/// move to another region needs the right to that region too).
pub fn update_project(
    tx: &mut dyn Tx,
    actor: &Actor,
    id: i64,
    expected_version: i64,
    input: &ProjectInput,
) -> Result<Project> {
    check_project(input)?;
    let before = project_by_id(tx, id, true)?
        .ok_or_else(|| MonitorError::NotFound(format!("project {id}")))?;
    edit_region(actor, &before.region, "edit projects")?;
    edit_region(actor, &input.region, "move projects")?;
    if before.version != expected_version {
        return Err(MonitorError::Conflict {
            entity: "project",
            id,
            expected: expected_version,
            current: before.version,
        });
    }
    let mut params = fields(input);
    params.push(id.into());
    params.push(expected_version.into());
    tx.execute(
        "UPDATE projects SET programme_id = ?1, title = ?2, objective = ?3, region = ?4, industry = ?5, organisation = ?6, start_year = ?7, end_year = ?8, status = ?9, organisation_type = ?10, version = version + 1 WHERE id = ?11 AND version = ?12",
        &params,
    )?;
    write_partner_regions(tx, id, &input.partner_regions)?;
    write_partners(tx, id, &input.partners)?;
    let after = project_by_id(tx, id, false)?
        .ok_or_else(|| MonitorError::NotFound(format!("project {id}")))?;
    audit(
        tx,
        actor,
        "update",
        "project",
        id,
        json!(before),
        json!(after),
    )?;
    Ok(after)
}

/// One project (the public: published only).
pub fn project(tx: &mut dyn Tx, actor: &Actor, id: i64) -> Result<Project> {
    match project_by_id(tx, id, false)? {
        Some(p) if p.status == Status::Published || actor.role != Role::Public => Ok(p),
        _ => Err(MonitorError::NotFound(format!("project {id}"))),
    }
}

/// The projects visible to the actor, oldest first.
pub fn projects(tx: &mut dyn Tx, actor: &Actor) -> Result<Vec<Project>> {
    let sql = if actor.role == Role::Public {
        format!("SELECT {PROJECT_COLS} FROM projects WHERE status = 'published' ORDER BY id")
    } else {
        format!("SELECT {PROJECT_COLS} FROM projects ORDER BY id")
    };
    let mut list: Vec<Project> = tx
        .query(&sql, &[])?
        .iter()
        .map(|r| project_from(r))
        .collect::<Result<_>>()?;
    let mut partners: std::collections::HashMap<i64, Vec<String>> = Default::default();
    for r in &tx.query(
        "SELECT project_id, region FROM project_regions ORDER BY project_id, region",
        &[],
    )? {
        partners.entry(r[0].int()?).or_default().push(r[1].text()?);
    }
    let mut organisations: std::collections::HashMap<i64, Vec<Partner>> = Default::default();
    for r in &tx.query(
        "SELECT project_id, organisation, organisation_type, region FROM project_partners ORDER BY project_id, organisation",
        &[],
    )? {
        organisations
            .entry(r[0].int()?)
            .or_default()
            .push(partner_from(&r[1..])?);
    }
    for p in list.iter_mut() {
        p.partner_regions = partners.remove(&p.id).unwrap_or_default();
        p.partners = organisations.remove(&p.id).unwrap_or_default();
    }
    Ok(list)
}

/// Creates a user (admins only); a council member needs a region. `hash` is the Argon2id hash
/// of the password (computed before the transaction: hashing is slow on purpose).
pub fn create_user(
    tx: &mut dyn Tx,
    actor: &Actor,
    username: &str,
    hash: &str,
    role: Role,
    region: Option<&str>,
) -> Result<i64> {
    let id = tx
        .insert(
            "INSERT INTO users (username, password_hash, role, region) VALUES (?1, ?2, ?3, ?4)",
            &[
                username.into(),
                hash.into(),
                role.id().into(),
                region.into(),
            ],
        )
        .map_err(|e| match e {
            SqlError::Unique(_) => MonitorError::Invalid {
                field: "username",
                message: format!("`{username}` exists"),
            },
            e => e.into(),
        })?;
    audit(
        tx,
        actor,
        "create",
        "user",
        id,
        serde_json::Value::Null,
        json!({"username": username, "role": role, "region": region}),
    )?;
    Ok(id)
}

/// Checks who may create a user and hashes the password (before any transaction).
pub fn prepare_user(
    actor: &Actor,
    password: &str,
    role: Role,
    region: Option<&str>,
) -> Result<String> {
    admin(actor, "create users")?;
    if role == Role::Council && region.is_none() {
        return Err(MonitorError::Invalid {
            field: "region",
            message: "a council member needs a region".into(),
        });
    }
    hash_password(password)
}

/// The id of a user (admins only).
pub fn user_id(tx: &mut dyn Tx, actor: &Actor, username: &str) -> Result<Option<i64>> {
    admin(actor, "look up users")?;
    tx.query(
        "SELECT id FROM users WHERE username = ?1",
        &[username.into()],
    )?
    .first()
    .map(|r| r[0].int())
    .transpose()
}

/// What is stored of a user: id, password hash, role id and region.
pub type UserRecord = (i64, String, String, Option<String>);

/// The stored record of a user, if any (for [`authenticate`]).
pub fn user_record(tx: &mut dyn Tx, username: &str) -> Result<Option<UserRecord>> {
    tx.query(
        "SELECT id, password_hash, role, region FROM users WHERE username = ?1",
        &[username.into()],
    )?
    .first()
    .map(|r| Ok((r[0].int()?, r[1].text()?, r[2].text()?, r[3].text_opt()?)))
    .transpose()
}

/// The actor for a user name and password (verified outside any transaction).
///
/// An unknown user name is verified against a dummy hash of the same cost, so the answer takes
/// as long as for a wrong password and does not reveal which user names exist.
pub fn authenticate(record: Option<UserRecord>, username: &str, password: &str) -> Result<Actor> {
    let refused = || MonitorError::Unauthenticated("unknown user or wrong password".into());
    match record {
        Some((id, hash, role, region)) => {
            if !verify_password(password, &hash) {
                return Err(refused());
            }
            Ok(Actor {
                user_id: id,
                username: username.into(),
                role: Role::parse(&role).unwrap_or(Role::Public),
                region,
            })
        }
        None => {
            let _ = verify_password(password, crate::auth::dummy_hash());
            Err(refused())
        }
    }
}
