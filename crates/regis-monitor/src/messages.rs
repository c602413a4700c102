//! Korean renderings of the store's refusal messages, for the Korean pages of the dashboard.
//!
//! The store words its refusals in English from a small set of templates (auth.rs, the
//! version checks, the `NotFound` and `Invalid` variants); [`korean`] recognises each template
//! and says the same in Korean, keeping the names, codes and numbers. A message it does not
//! recognise comes back unchanged (English is better than a wrong translation). The tests below
//! pin every template, so a changed English wording shows up as a failing test.

/// The Korean phrase of an operation named in a permission message ("edit projects").
fn operation(what: &str) -> Option<&'static str> {
    Some(match what {
        "add indicators" => "성과지표를 추가할",
        "assign evaluators" => "평가위원을 배정할",
        "back up the store" => "저장소를 백업할",
        "create programmes" => "프로그램을 만들",
        "create projects" => "사업을 만들",
        "create users" => "사용자를 만들",
        "edit plans" => "계획을 수정할",
        "edit projects" => "사업을 수정할",
        "enter budgets" => "예산을 입력할",
        "log conflicts" => "갈등을 기록할",
        "look up users" => "사용자를 조회할",
        "move projects" => "사업을 다른 지역으로 옮길",
        "read the audit log" => "감사 기록을 볼",
        "report KPIs" => "성과지표 실적을 보고할",
        "settle conflicts" => "갈등을 조정할",
        "submit plans" => "계획을 제출할",
        "write plans" => "계획을 작성할",
        "add milestones" => "마일스톤을 추가할",
        "add results" => "성과 항목을 추가할",
        "change results" => "성과 항목을 바꿀",
        "complete milestones" => "마일스톤을 완료 처리할",
        "report indicator values" => "지역별 실적을 보고할",
        "evaluate" => "평가할",
        _ => return None,
    })
}

fn role(id: &str) -> &str {
    match id {
        "admin" => "중앙 관리자",
        "council" => "지역 의원",
        "evaluator" => "평가위원",
        "public" => "일반 공개",
        other => other,
    }
}

fn entity(e: &str) -> &str {
    match e {
        "project" => "사업",
        "indicator" => "성과지표",
        "indicator_value" => "성과지표 실적",
        "region_value" => "지역별 실적",
        "milestone" => "마일스톤",
        "plan" => "계획",
        "plan_conflict" | "conflict" => "갈등 기록",
        "result" => "성과 항목",
        "evaluator" => "평가위원",
        other => other,
    }
}

/// The Korean wording of a refusal message of the store, or the message itself when it is not
/// one of the store's templates.
///
/// ```
/// use regis_monitor::messages::korean;
/// assert_eq!(
///     korean("a council member of region 11 may not edit projects in region 26"),
///     "11 지역 의원은 26 지역의 사업을 수정할 수 없습니다."
/// );
/// ```
pub fn korean(message: &str) -> String {
    if let Some((item, rest)) = message
        .strip_prefix("item ")
        .and_then(|r| r.split_once(": "))
    {
        return format!("{item}번째 항목: {}", korean(rest));
    }
    if let Some(what) = message.strip_prefix("only the central agency may ") {
        if let Some(op) = operation(what) {
            return format!("중앙 관리자만 {op} 수 있습니다.");
        }
    }
    if let Some(rest) = message.strip_prefix("a council member of region ") {
        if let Some((own, rest)) = rest.split_once(" may not ") {
            if let Some((what, other)) = rest.rsplit_once(" in region ") {
                if let Some(op) = operation(what) {
                    return format!("{own} 지역 의원은 {other} 지역의 {op} 수 없습니다.");
                }
            }
        }
    }
    if let Some(rest) = message.strip_prefix("role ") {
        if let Some((r, what)) = rest.split_once(" may not ") {
            if let Some(op) = operation(what) {
                return format!("{} 역할은 {op} 수 없습니다.", role(r));
            }
        }
    }
    if let Some(rest) = message.strip_prefix("evaluator ") {
        if let Some((who, project)) = rest.split_once(" is not assigned to project ") {
            return format!("평가위원 {who}은(는) 사업 {project}에 배정되지 않았습니다.");
        }
    }
    if let Some(rest) = message.strip_prefix("conflict: ") {
        // "{entity} {id} is at version {current}, the change was made on version {expected}; reload and retry"
        let parsed = rest.split_once(" is at version ").and_then(|(head, tail)| {
            let (e, id) = head.rsplit_once(' ')?;
            let (current, tail) = tail.split_once(", the change was made on version ")?;
            let (expected, _) = tail.split_once(';')?;
            Some((e, id, current, expected))
        });
        if let Some((e, id, current, expected)) = parsed {
            return format!(
                "편집 충돌: 다른 사람이 먼저 고쳤습니다 ({} {id}: 지금 버전 {current}, 고친 바탕 버전 {expected}). 다시 불러온 뒤 고치세요.",
                entity(e)
            );
        }
    }
    if let Some(rest) = message.strip_prefix("invalid ") {
        if let Some((field, what)) = rest.split_once(": ") {
            return format!("입력 오류 — {field} 항목: {what}");
        }
    }
    match message {
        "the store already has users" => return "저장소에 이미 사용자가 있습니다.".into(),
        "unknown user or wrong password" => {
            return "사용자 이름이나 비밀번호가 맞지 않습니다.".into()
        }
        "the conflict log is for staff" => return "갈등 기록은 담당자만 볼 수 있습니다.".into(),
        _ => {}
    }
    // NotFound messages are "{entity} {id}".
    if let Some((e, id)) = message.split_once(' ') {
        if entity(e) != e && id.chars().all(|c| c.is_ascii_digit()) {
            return format!("{} {id}을(를) 찾을 수 없습니다.", entity(e));
        }
    }
    message.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Actor, MonitorError, Role};

    fn actor(role: Role, region: Option<&str>) -> Actor {
        Actor {
            user_id: 1,
            username: "kim".into(),
            role,
            region: region.map(Into::into),
        }
    }

    /// Every template, produced by the code that produces it where possible.
    #[test]
    fn every_store_template_has_a_korean_wording() {
        let council = actor(Role::Council, Some("11"));
        let e = crate::auth::edit_region(&council, "26", "edit projects").unwrap_err();
        let MonitorError::Forbidden(m) = e else {
            panic!()
        };
        assert_eq!(
            korean(&m),
            "11 지역 의원은 26 지역의 사업을 수정할 수 없습니다."
        );
        let e = crate::auth::admin(&council, "read the audit log").unwrap_err();
        let MonitorError::Forbidden(m) = e else {
            panic!()
        };
        assert_eq!(korean(&m), "중앙 관리자만 감사 기록을 볼 수 있습니다.");
        let e = crate::auth::edit_region(&actor(Role::Evaluator, None), "26", "report KPIs")
            .unwrap_err();
        let MonitorError::Forbidden(m) = e else {
            panic!()
        };
        assert_eq!(
            korean(&m),
            "평가위원 역할은 성과지표 실적을 보고할 수 없습니다."
        );
        let e = crate::rules::stale("milestone", 7, 1, 2).unwrap_err();
        assert_eq!(
            korean(&e.to_string()),
            "편집 충돌: 다른 사람이 먼저 고쳤습니다 (마일스톤 7: 지금 버전 2, 고친 바탕 버전 1). 다시 불러온 뒤 고치세요."
        );
        assert_eq!(
            korean("evaluator eva is not assigned to project 2"),
            "평가위원 eva은(는) 사업 2에 배정되지 않았습니다."
        );
        assert_eq!(korean("project 5"), "사업 5을(를) 찾을 수 없습니다.");
        assert_eq!(
            korean("item 3: invalid period: expected a year"),
            "3번째 항목: 입력 오류 — period 항목: expected a year"
        );
        assert_eq!(
            korean("unknown user or wrong password"),
            "사용자 이름이나 비밀번호가 맞지 않습니다."
        );
        // Unknown wording: unchanged.
        assert_eq!(korean("something else"), "something else");
    }

    /// Every operation named in a permission check has a Korean phrase.
    #[test]
    fn every_operation_is_translated() {
        let sources = [
            include_str!("auth.rs"),
            include_str!("sqlite.rs"),
            include_str!("postgres.rs"),
            include_str!("results.rs"),
            include_str!("rules.rs"),
            include_str!("records.rs"),
            include_str!("plans.rs"),
            include_str!("conflicts.rs"),
            include_str!("kpi.rs"),
            include_str!("evaluations.rs"),
            include_str!("projects.rs"),
        ];
        let mut checked = 0;
        for text in sources {
            let calls = [
                "edit_region(",
                "admin(actor, ",
                "editable_project(tx, actor, ",
            ];
            for (start, _) in calls.iter().flat_map(|c| text.match_indices(c)) {
                let call = &text[start..text[start..].find(')').map_or(text.len(), |e| start + e)];
                if let Some(q) = call.rfind('"') {
                    let open = call[..q].rfind('"').unwrap();
                    let what = &call[open + 1..q];
                    assert!(operation(what).is_some(), "no Korean for `{what}`");
                    checked += 1;
                }
            }
        }
        assert!(checked >= 20, "only {checked} permission checks found");
    }
}
