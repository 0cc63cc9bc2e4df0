//! Signing in: browser sessions with CSRF tokens, rate-limited sign-ins, revocable and
//! expiring API tokens, disabled users.

mod common;

use serde_json::{Value, json};
use truce::client::Client;

struct Reply {
    status: u16,
    headers: Vec<(String, String)>,
    body: Value,
}

impl Reply {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }
}

fn agent() -> ureq::Agent {
    ureq::Agent::config_builder().http_status_as_error(false).build().new_agent()
}

fn send(method: &str, url: &str, headers: &[(&str, &str)], body: Option<&str>) -> Reply {
    let agent = agent();
    let mut req = ureq::http::Request::builder().method(method).uri(url);
    for (k, v) in headers {
        req = req.header(*k, *v);
    }
    let mut res = match body {
        Some(b) => agent
            .run(req.header("content-type", "application/json").body(b.to_owned()).expect("request"))
            .expect("answer"),
        None => agent.run(req.body(()).expect("request")).expect("answer"),
    };
    let headers =
        res.headers().iter().map(|(k, v)| (k.as_str().to_owned(), v.to_str().unwrap_or_default().to_owned())).collect();
    let status = res.status().as_u16();
    let text = res.body_mut().read_to_string().unwrap_or_default();
    Reply { status, headers, body: serde_json::from_str(&text).unwrap_or(Value::Null) }
}

fn sign_in(base: &str, name: &str, password: &str) -> Reply {
    send("POST", &format!("{base}/api/v1/session"), &[], Some(&json!({"name": name, "password": password}).to_string()))
}

#[test]
fn a_browser_session_needs_its_csrf_token_for_every_write_and_ends_on_sign_out() {
    let app = common::TestApp::spawn();
    common::TestApp::token_for(&app.store, "arm.liaison", "ARM", "party");
    let base = &app.base;

    let wrong = sign_in(base, "arm.liaison", "not the password");
    assert_eq!(wrong.status, 401, "{}", wrong.body);
    assert_eq!(wrong.body["error"]["message"], "wrong user name or password");
    let unknown = sign_in(base, "nobody.here", "a test password");
    assert_eq!((unknown.status, &unknown.body["error"]["message"]), (401, &wrong.body["error"]["message"]));

    let ok = sign_in(base, "arm.liaison", "a test password");
    assert_eq!(ok.status, 200, "{}", ok.body);
    assert_eq!(ok.body["user"]["org"], "ARM");
    let set_cookie = ok.header("set-cookie").expect("a session cookie").to_owned();
    assert!(set_cookie.contains("HttpOnly") && set_cookie.contains("SameSite=Strict"), "{set_cookie}");
    let cookie = set_cookie.split(';').next().expect("name=value").to_owned();
    let csrf = ok.body["csrf_token"].as_str().expect("csrf token").to_owned();

    let me = send("GET", &format!("{base}/api/v1/me"), &[("cookie", &cookie)], None);
    assert_eq!((me.status, &me.body["name"]), (200, &json!("arm.liaison")));

    let claim = common::claim().to_string();
    let before = app.journal_len();
    let forged = send("POST", &format!("{base}/api/v1/claims"), &[("cookie", &cookie)], Some(&claim));
    assert_eq!(forged.status, 403, "{}", forged.body);
    assert!(forged.body["error"]["message"].as_str().is_some_and(|m| m.contains("CSRF")), "{}", forged.body);
    let wrong_token =
        send("POST", &format!("{base}/api/v1/claims"), &[("cookie", &cookie), ("x-csrf-token", "x")], Some(&claim));
    assert_eq!(wrong_token.status, 403);
    assert_eq!(app.journal_len(), before, "refused writes wrote nothing");
    let posted =
        send("POST", &format!("{base}/api/v1/claims"), &[("cookie", &cookie), ("x-csrf-token", &csrf)], Some(&claim));
    assert_eq!(posted.status, 201, "{}", posted.body);
    assert_eq!(posted.body["actor"], "arm.liaison", "the journal names the user who submitted");

    let out = send("DELETE", &format!("{base}/api/v1/session"), &[("cookie", &cookie)], None);
    assert_eq!(out.status, 204);
    assert!(out.header("set-cookie").is_some_and(|c| c.contains("Max-Age=0")));
    let after = send("GET", &format!("{base}/api/v1/me"), &[("cookie", &cookie)], None);
    assert_eq!(after.status, 401);
}

#[test]
fn sign_ins_are_rate_limited_per_account() {
    let app = common::TestApp::spawn();
    common::TestApp::token_for(&app.store, "aze.liaison", "AZE", "party");
    for _ in 0..truce_server::auth::LOGIN_FAILURES_PER_ACCOUNT {
        assert_eq!(sign_in(&app.base, "aze.liaison", "guess guess guess").status, 401);
    }
    // Now even the right password waits: the account is locked for the window.
    let locked = sign_in(&app.base, "aze.liaison", "a test password");
    assert_eq!(locked.status, 429, "{}", locked.body);
    assert!(locked.header("retry-after").and_then(|s| s.parse::<u64>().ok()).is_some_and(|s| s > 0));
    // Another account from the same address is not locked.
    common::TestApp::token_for(&app.store, "arm.liaison", "ARM", "party");
    assert_eq!(sign_in(&app.base, "arm.liaison", "a test password").status, 200);
}

#[test]
fn sign_ins_are_rate_limited_per_address() {
    let app = common::TestApp::spawn();
    let mut last = 0;
    for i in 0..=truce_server::auth::LOGIN_ATTEMPTS_PER_ADDRESS {
        last = sign_in(&app.base, &format!("someone.{i}"), "a test password").status;
    }
    assert_eq!(last, 429, "one address trying many accounts is held back");
}

#[test]
fn revoked_tokens_and_disabled_users_are_refused() {
    let app = common::TestApp::spawn();
    let token = common::TestApp::token_for(&app.store, "arm.liaison", "ARM", "party");
    let me = |t: &str| Client::new(&app.base).with_token(Some(t.to_owned())).get("/api/v1/me", &[]).expect("answer");
    assert_eq!(me(&token).status, 200);
    assert_eq!(me("truce_not-a-real-token").status, 401);

    // The admin lists, revokes and issues through the API.
    let admin = app.client_as("jmc.admin", "JMC", "admin");
    let tokens = admin.get("/api/v1/users/arm.liaison/tokens", &[]).expect("answer");
    assert_eq!(tokens.status, 200);
    assert!(!tokens.body.to_string().contains(&token), "a token is never shown again");
    let id = tokens.body[0]["id"].as_str().expect("id").to_owned();
    assert_eq!(admin.post_raw(&format!("/api/v1/tokens/{id}/revoke"), "").expect("answer").status, 204);
    assert_eq!(me(&token).status, 401, "a revoked token stops working");
    assert_eq!(admin.post_raw(&format!("/api/v1/tokens/{id}/revoke"), "").expect("answer").status, 409);
    assert_eq!(admin.post_raw("/api/v1/tokens/nope/revoke", "").expect("answer").status, 404);

    let issued =
        admin.post_raw("/api/v1/users/arm.liaison/tokens", r#"{"label": "laptop", "expires_in_days": 7}"#).expect("a");
    assert_eq!(issued.status, 201, "{}", issued.body);
    let fresh = issued.body["token"].as_str().expect("token").to_owned();
    assert_eq!(me(&fresh).status, 200);
    let bad = admin.post_raw("/api/v1/users/arm.liaison/tokens", r#"{"expires_in_days": 0}"#).expect("a");
    assert_eq!((bad.status, &bad.body["error"]["fields"][0]["field"]), (422, &json!("expires_in_days")));

    // A token stops working when it expires.
    let user = truce_core::ids::UserName::parse("arm.liaison").expect("name");
    let soon = chrono::Utc::now() + chrono::Duration::milliseconds(1500);
    let (short, record) = truce_core::users::issue_token(user, "short", soon).expect("token");
    let cmd = truce_core::journal::Command::IssueToken(Box::new(record));
    app.store.execute_blocking(truce_core::journal::Actor::system(), cmd).expect("issue");
    assert_eq!(me(&short).status, 200);
    std::thread::sleep(std::time::Duration::from_millis(1600));
    assert_eq!(me(&short).status, 401, "an expired token stops working");

    // A party may not manage accounts, not even its own tokens.
    let party = Client::new(&app.base).with_token(Some(fresh.clone()));
    assert_eq!(party.get("/api/v1/users", &[]).expect("answer").status, 403);

    let before = app.journal_len();
    let dup = admin
        .post_raw(
            "/api/v1/users",
            r#"{"name": "arm.liaison", "org": "ARM", "role": "party", "password": "another long one"}"#,
        )
        .expect("answer");
    assert_eq!(dup.status, 409, "{}", dup.body);
    let bad = admin
        .post_raw("/api/v1/users", r#"{"name": "X", "org": "NOPE", "role": "king", "password": "short"}"#)
        .expect("a");
    assert_eq!(bad.status, 422);
    let fields: Vec<&str> =
        bad.body["error"]["fields"].as_array().expect("fields").iter().filter_map(|f| f["field"].as_str()).collect();
    assert_eq!(fields, ["name", "org", "role", "password"]);
    assert_eq!(app.journal_len(), before, "refused account changes write nothing");

    let disabled = admin.post_raw("/api/v1/users/arm.liaison/disable", "").expect("answer");
    assert_eq!((disabled.status, &disabled.body["disabled"]), (200, &json!(true)));
    assert_eq!(me(&fresh).status, 401, "a disabled user's tokens stop working");
    assert_eq!(sign_in(&app.base, "arm.liaison", "a test password").status, 401);
    assert_eq!(admin.post_raw("/api/v1/users/arm.liaison/disable", "").expect("answer").status, 409);
    assert_eq!(admin.post_raw("/api/v1/users/nobody.here/disable", "").expect("answer").status, 404);
}

#[test]
fn account_changes_survive_a_rebuild_and_are_journaled_without_secrets() {
    let app = common::TestApp::spawn();
    let token = common::TestApp::token_for(&app.store, "arm.liaison", "ARM", "party");
    let admin = app.client_as("jmc.admin", "JMC", "admin");
    let entries = |from: u64| app.store.journal_len_blocking().expect("len") - from;
    let before = app.journal_len();
    assert_eq!(admin.post_raw("/api/v1/users/arm.liaison/disable", "").expect("answer").status, 200);
    assert_eq!(entries(before), 1);
    let rebuilt = app.store.rebuild_blocking().expect("rebuild");
    assert!(rebuilt > 0);
    let me = Client::new(&app.base).with_token(Some(token.clone())).get("/api/v1/me", &[]).expect("answer");
    assert_eq!(me.status, 401, "still disabled after a rebuild from the journal");
    // No payload of an account entry is served, to anyone.
    for seq in 1..app.journal_len() {
        let a = admin.get(&format!("/api/v1/log/entries/{seq}"), &[]).expect("answer");
        if a.status == 200 {
            let text = a.body.to_string();
            assert!(!text.contains("argon2") && !text.contains(&token), "entry {seq} leaks a secret: {text}");
        }
    }
}
