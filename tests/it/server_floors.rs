//! What only the head, the leader and the admin may read (issue 24): floor prices in the price
//! table, beside each revision's content, and in the audit log's entries. On the office server the
//! others' own logins cannot read them at all — not through SalesDesk, not through `psql` — and
//! what the rules need of them is answered by narrow functions that never give a floor.

use postgres::error::SqlState;
use salesdesk::service::DEMO_PASSWORD;

use crate::server_logins::{as_person, server_office};
use crate::support::require_server;

fn refused(c: &mut postgres::Client, sql: &str) -> bool {
    match c.query(sql, &[]) {
        Ok(_) => false,
        Err(e) => e.code() == Some(&SqlState::INSUFFICIENT_PRIVILEGE),
    }
}

/// The one number `sql` answers.
pub(crate) fn one(c: &mut postgres::Client, sql: &str) -> i64 {
    c.query_one(sql, &[]).unwrap_or_else(|e| panic!("{sql}: {e}")).get(0)
}

#[test]
fn floors_and_the_audit_log_are_read_only_with_the_head_leader_and_admin_logins() {
    let Some(base) = require_server("floors") else { return };
    let (url, seat) = server_office(&base);
    drop(seat);
    let mut owner = postgres::Client::connect(&url, postgres::NoTls).expect("the owner connects");
    assert!(one(&mut owner, "SELECT count(*) FROM revisions WHERE floors IS NOT NULL") > 30, "the demo's floors");
    assert!(one(&mut owner, "SELECT count(*) FROM prices WHERE floor_fen IS NOT NULL") > 100);

    for login in ["wangfang", "liqiang", "sunli", "chenming"] {
        let mut c = as_person(&url, login, DEMO_PASSWORD).unwrap_or_else(|e| panic!("{login} connects: {e}"));
        for sql in [
            "SELECT floor_fen FROM prices",
            "SELECT * FROM prices",
            "SELECT floors FROM revisions",
            "SELECT * FROM revisions",
            "SELECT count(*) FROM audit_log",
            "SELECT after FROM audit_log WHERE action = 'product.price'",
        ] {
            assert!(refused(&mut c, sql), "{login}: {sql}");
        }
        // What the work needs stays readable, and no content holds a floor any more.
        assert!(one(&mut c, "SELECT count(*) FROM prices WHERE list_fen > 0") > 100, "{login}");
        assert_eq!(one(&mut c, "SELECT count(*) FROM revisions WHERE strpos(content, '\"floor_price\":\"') > 0"), 0);
        assert!(one(&mut c, "SELECT seq FROM audit_head") > 0, "{login}: the chain's head (for appending)");
    }
    for login in ["zhaomin", "zhoujg", "admin"] {
        let mut c = as_person(&url, login, DEMO_PASSWORD).unwrap_or_else(|e| panic!("{login} connects: {e}"));
        assert!(one(&mut c, "SELECT count(*) FROM prices WHERE floor_fen IS NOT NULL") > 100, "{login}");
        assert!(one(&mut c, "SELECT count(*) FROM revisions WHERE floors IS NOT NULL") > 30, "{login}");
        assert!(one(&mut c, "SELECT count(*) FROM audit_log") > 100, "{login}");
    }
}

#[test]
fn the_floor_functions_answer_below_or_not_and_a_salespersons_login_cannot_write_a_floor() {
    let Some(base) = require_server("floors") else { return };
    let (url, seat) = server_office(&base);
    drop(seat);
    let mut owner = postgres::Client::connect(&url, postgres::NoTls).expect("the owner connects");
    let row = owner
        .query_one(
            "SELECT version_id, product_id, floor_fen FROM prices WHERE floor_fen > 100000 ORDER BY version_id, product_id LIMIT 1",
            &[],
        )
        .unwrap();
    let (version, product, floor): (i64, i64, i64) = (row.get(0), row.get(1), row.get(2));
    let yuan = |fen: i64| format!("{}.{:02}", fen / 100, fen % 100);
    let mut wang = as_person(&url, "wangfang", DEMO_PASSWORD).expect("王芳 connects");
    let asked = format!(
        r#"[[{version},{product},"{}"],[{version},{product},"{}"],[{version},{product},"{}"],[{version},-1,"1"]]"#,
        yuan(floor - 1),
        yuan(floor),
        yuan(floor + 1)
    );
    let answer: String = wang.query_one("SELECT salesdesk_prices_below_floor($1)", &[&asked]).expect("asks").get(0);
    assert_eq!(answer, "[true, false, false, false]", "below by a fen; at the floor is fine; no such product");

    // A draft revision with a floor: a salesperson's login rewriting its floors (or its content)
    // gets the server's floors, never its own.
    let row = owner
        .query_one(
            "SELECT r.id, r.floors FROM revisions r WHERE r.status = 'draft' AND r.floors IS NOT NULL ORDER BY r.id LIMIT 1",
            &[],
        )
        .expect("the demo has a draft with floors");
    let (draft, floors): (i64, String) = (row.get(0), row.get(1));
    wang.execute("UPDATE revisions SET floors = '[\"1.00\"]' WHERE id = $1", &[&draft]).expect("a write it may make");
    let kept: String = owner.query_one("SELECT floors FROM revisions WHERE id = $1", &[&draft]).unwrap().get(0);
    assert_eq!(
        serde_json::from_str::<serde_json::Value>(&kept).unwrap(),
        serde_json::from_str::<serde_json::Value>(&floors).unwrap()
    );
    let floors: Vec<serde_json::Value> = serde_json::from_str(&floors).unwrap();
    let nets = serde_json::to_string(&vec!["0.01"; floors.len()]).unwrap();
    let answer: String = wang.query_one("SELECT salesdesk_below_floor($1, $2)", &[&draft, &nets]).expect("asks").get(0);
    let below: Vec<bool> = serde_json::from_str(&answer).unwrap();
    let has_floor: Vec<bool> = floors.iter().map(|f| !f.is_null()).collect();
    assert_eq!(below, has_floor, "a cent is below every floor the draft's lines have");
}
