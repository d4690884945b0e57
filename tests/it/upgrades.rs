//! Upgrades tested on real old files: for every schema version 1..=latest an office file made by
//! the commit that introduced that version, with that commit's own program (its `salesdesk demo`,
//! its command line, or a few lines against its own service API — tests/fixtures/upgrades/
//! MANIFEST.md names the commit and the commands). Today's build must open each one, migrate it to
//! the latest version in place, pass the full check with every audit entry kept, let the people of
//! that time sign in with the demo password, and show the data through the service.
//!
//! The fixtures are never regenerated: a file made by today's code would prove nothing about
//! yesterday's. When a migration lands, its commit makes `schema-vN.db.gz` once (see the manifest).

use std::io::Read;
use std::path::{Path, PathBuf};

use chrono::{NaiveDate, TimeZone, Utc};
use salesdesk::domain::customer::Grade;
use salesdesk::domain::inquiry::{InquiryKind, InquirySource, InquiryStatus};
use salesdesk::domain::money::{Money, TaxRate};
use salesdesk::domain::negotiation::OutcomeKind;
use salesdesk::domain::quote::{QuoteKind, QuoteStatus, RevisionStatus};
use salesdesk::domain::role::Role;
use salesdesk::domain::visit::{VisitStatus, Week};
use salesdesk::service::{Actor, CustomerFilter, InquiryFilter, OwnerFilter, Service, ServiceError, Verification};
use sha2::{Digest, Sha256};
use tempfile::TempDir;

use crate::support::sign_in;

/// Where the fixtures and their manifest live.
fn fixtures_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/upgrades")
}

/// The fixture of `version`, gzipped: `schema-vN.db.gz` (the repository ignores `*.db`).
fn fixture_file(version: i64) -> Option<PathBuf> {
    Some(fixtures_dir().join(format!("schema-v{version}.db.gz"))).filter(|p| p.is_file())
}

fn gunzip(path: &Path) -> Vec<u8> {
    let raw = crate::support::file_bytes(path);
    let mut out = Vec::new();
    flate2::read::GzDecoder::new(raw.as_slice())
        .read_to_end(&mut out)
        .unwrap_or_else(|e| panic!("gunzip {}: {e}", path.display()));
    out
}

fn user_version(path: &Path) -> i64 {
    let conn = rusqlite::Connection::open(path).expect("open with rusqlite");
    conn.pragma_query_value(None, "user_version", |r| r.get(0)).expect("user_version")
}

fn audit_rows(path: &Path) -> i64 {
    let conn = rusqlite::Connection::open(path).expect("open with rusqlite");
    conn.query_row("SELECT count(*) FROM audit_log", [], |r| r.get(0)).expect("audit rows")
}

/// The schema version today's program writes (`store::LATEST` is not public): a new office's.
fn latest_version() -> i64 {
    static LATEST: std::sync::OnceLock<i64> = std::sync::OnceLock::new();
    *LATEST.get_or_init(|| {
        let dir = tempfile::tempdir().expect("temporary folder");
        let path = dir.path().join("new.db");
        drop(Service::open(&path).expect("a new office opens"));
        user_version(&path)
    })
}

/// An office file of an earlier version, upgraded by today's build.
struct Upgraded {
    _dir: TempDir,
    svc: Service,
}

/// Copies the fixture of `version` to a temporary folder, checks it is what the manifest says,
/// opens it with today's `Service::open` (which migrates it), and checks the result.
fn upgraded(version: i64) -> Upgraded {
    let source = fixture_file(version)
        .unwrap_or_else(|| panic!("no fixture for schema version {version} in {}", fixtures_dir().display()));
    let dir = tempfile::tempdir().expect("temporary folder");
    let path = dir.path().join("office.db");
    std::fs::write(&path, gunzip(&source)).expect("the fixture is copied");
    assert_eq!(user_version(&path), version, "{} is not a version-{version} office", source.display());
    let entries_before = audit_rows(&path);

    let mut svc = Service::open(&path)
        .unwrap_or_else(|e| panic!("today's build cannot open the office made at schema version {version}: {e}"));
    assert_eq!(
        user_version(&path),
        latest_version(),
        "the version-{version} office was not migrated to the version this program writes"
    );
    let report = svc.check().unwrap_or_else(|e| panic!("check of the upgraded version-{version} office: {e}"));
    assert!(report.is_ok(), "the upgraded version-{version} office fails the check: {report:?}");
    assert_eq!(report.audit_entries, entries_before, "the upgrade kept every audit entry of version {version}");
    Upgraded { _dir: dir, svc }
}

fn money(text: &str) -> Money {
    Money::parse(text).unwrap_or_else(|e| panic!("amount {text}: {e}"))
}

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("a date")
}

/// Everything a person sees in the customer list, up to 100 000 rows.
fn customers(
    svc: &mut Service,
    actor: &Actor,
    f: &CustomerFilter,
) -> Vec<salesdesk::domain::customer::CustomerSummary> {
    let page = svc.search_customers(actor, f, 100_000).expect("the customer list");
    page.rows.iter().map(|r| (**r).clone()).collect()
}

fn search(query: &str) -> CustomerFilter {
    CustomerFilter { query: query.into(), ..CustomerFilter::default() }
}

/// The one customer whose name is `name`, as `actor` finds it by searching for it.
fn customer_named(svc: &mut Service, actor: &Actor, name: &str) -> salesdesk::domain::customer::Customer {
    let found: Vec<_> = customers(svc, actor, &search(name)).into_iter().filter(|c| c.name == name).collect();
    assert_eq!(found.len(), 1, "{} finds exactly one {name}", actor.login());
    svc.customer(actor, found[0].id).expect("the customer card")
}

/// Every quote as `actor` lists them, each opened: its revisions' stored content hashes must be
/// the hashes of their content as today's code reads it, or every approval bound to them breaks.
fn quotes_with_content_hashes_kept(svc: &mut Service, actor: &Actor) -> Vec<salesdesk::service::QuoteView> {
    let mut views = Vec::new();
    for s in svc.quotes(actor).expect("the quote list") {
        let view = svc.quote_view(actor, s.quote.id).expect("the quote opens");
        for r in &view.revisions {
            if !r.content_hash.is_empty() {
                // Submitted before schema version 14, a revision was hashed with its floors (now
                // kept beside its content and put back for a reader who may see them); since,
                // without them.
                let with_floors = r.content.hash_with_floors().expect("the content encodes");
                let offered = r.content.content_hash().expect("the content encodes");
                assert!(
                    r.content_hash == with_floors || r.content_hash == offered,
                    "{} reads back with a different content hash than it was submitted with",
                    s.quote.number.revision_label(r.revision)
                );
            }
            for a in &r.approvals {
                assert_eq!(a.content_hash, r.content_hash, "an approval of {} names its content", s.quote.number);
            }
        }
        svc.negotiation(actor, s.quote.id)
            .unwrap_or_else(|e| panic!("{} does not open in the negotiation view: {e}", s.quote.number));
        views.push(view);
    }
    views.sort_by_key(|v| v.quote.number.to_string());
    views
}

fn view_of<'a>(views: &'a [salesdesk::service::QuoteView], number: &str) -> &'a salesdesk::service::QuoteView {
    views.iter().find(|v| v.quote.number.to_string() == number).unwrap_or_else(|| panic!("no quote {number}"))
}

/// The demo office's people at versions 1 and 2 (the demo grew to 14 people at version 3).
const FIRST_STAFF: &[(&str, &str)] = &[
    ("admin", "系统管理员"),
    ("zhaomin", "赵敏"),
    ("zhoujg", "周建国"),
    ("sunli", "孙丽"),
    ("liqiang", "李强"),
    ("wangfang", "王芳"),
    ("liuyang", "刘洋"),
    ("chenming", "陈明"),
];

const DEMO_COMPANY: &str = "苏州恒信电气设备有限公司（演示）";

/// What every demo office from version 3 on holds (`salesdesk demo` of d40b364 and later).
fn assert_the_grown_demo_office(svc: &mut Service) {
    let admin = sign_in(svc, "admin");
    let users = svc.list_users(&admin).expect("the admin lists users");
    assert_eq!(users.len(), 14, "the demo's 14 people");
    for login in ["fengxue", "heyan", "qianjun", "wuhaitao", "xuli", "zhengkai"] {
        sign_in(svc, login);
    }
    let head = sign_in(svc, "zhaomin");
    assert_eq!(svc.search_customers(&head, &CustomerFilter::default(), 1).expect("list").visible_total, 330);
    let table = svc.price_table(&head, None).expect("the price table");
    let notes: Vec<_> = table.versions.iter().map(|v| (v.effective, v.note.as_str())).collect();
    assert!(notes.contains(&(day(2026, 1, 1), "2026年上半年价格表")), "{notes:?}");
    assert!(notes.contains(&(day(2026, 7, 1), "2026年下半年价格表")), "{notes:?}");
    let second = table.versions.iter().find(|v| v.effective == day(2026, 7, 1)).expect("the second version");
    let in_second = svc.price_table(&head, Some(second.id)).expect("the second version");
    assert_eq!(in_second.products.len(), 239);
    assert!(in_second.shows_floor);
    let busbar = in_second.products.iter().find(|p| p.draft.code == "CMC-1000").expect("CMC-1000");
    assert_eq!(busbar.draft.name, "密集型母线槽");
    assert_eq!(busbar.draft.list_price, money("1936.00"));
}

#[test]
fn there_is_an_office_file_made_by_every_schema_version_up_to_the_latest() {
    let latest = latest_version();
    let missing: Vec<i64> = (1..=latest).filter(|v| fixture_file(*v).is_none()).collect();
    assert!(
        missing.is_empty(),
        "no upgrade fixture for schema version(s) {missing:?}; this program writes version {latest}. \
         Make it once with the code of the commit that introduces that version (the same commit \
         carries it; an older version's file is never remade with later code): build that code's \
         salesdesk, run its `salesdesk demo --db schema-vN.db` (plus its own CLI or service API for \
         the tables the migration adds, if the demo leaves them empty), `PRAGMA \
         journal_mode=DELETE; VACUUM;`, `gzip -9 -n` it (*.db is git-ignored), put schema-vN.db.gz \
         in tests/fixtures/upgrades/, add its row (commit, commands, size, data) to \
         tests/fixtures/upgrades/MANIFEST.md and its test to tests/it/upgrades.rs"
    );
    let stray: Vec<_> = std::fs::read_dir(fixtures_dir())
        .expect("the fixtures folder")
        .filter_map(|e| e.ok().map(|e| e.file_name().to_string_lossy().into_owned()))
        .filter(|n| n.starts_with("schema-v"))
        .filter(|n| !(1..=latest).any(|v| *n == format!("schema-v{v}.db.gz")))
        .collect();
    assert!(stray.is_empty(), "fixtures that are no schema version 1..={latest}: {stray:?}");
}

#[test]
fn an_office_made_at_schema_version_1_upgrades_and_keeps_its_people_and_settings() {
    let Upgraded { svc: mut s, .. } = upgraded(1);
    for (login, _) in FIRST_STAFF {
        sign_in(&mut s, login);
    }
    // The password hashes of version 1 still tell a wrong password from the right one.
    assert!(matches!(s.sign_in("zhoujg", "demo12345"), Err(ServiceError::SignInFailed)));
    let admin = sign_in(&mut s, "admin");
    let users = s.list_users(&admin).expect("the admin lists users");
    let people: Vec<_> = users.iter().map(|u| (u.login.as_str(), u.display_name.as_str())).collect();
    assert_eq!(people.len(), FIRST_STAFF.len(), "{people:?}");
    for who in FIRST_STAFF {
        assert!(people.contains(who), "{who:?} in {people:?}");
    }
    let leader = users.iter().find(|u| u.login == "zhoujg").expect("周建国");
    assert!(leader.roles.contains(Role::Leader) && leader.active && !leader.must_change_password);
    let settings = s.settings(&admin).expect("the settings");
    assert_eq!(settings.company.value.name, DEMO_COMPANY);
    assert_eq!(settings.company.value.legal_representative, "周建国");
    assert_eq!(settings.company.value.phone, "0512-66881200");
    assert!(settings.company.value.seal.is_none(), "the version-1 demo had no seal");
    // The tables later versions added are there, empty.
    assert_eq!(s.search_customers(&admin, &CustomerFilter::default(), 10).expect("list").visible_total, 0);
    assert!(s.price_table(&admin, None).expect("prices").versions.is_empty());
    assert!(s.quotes(&admin).expect("quotes").is_empty());
    // The upgraded office works: the admin adds a user who then signs in.
    s.create_user(&admin, crate::support::new_user("newbie", "新同事", &[Role::Sales])).expect("a new user");
    crate::support::first_sign_in(&mut s, "newbie");
}

#[test]
fn an_office_made_at_schema_version_2_upgrades_and_keeps_its_customers_and_price_versions() {
    let Upgraded { svc: mut s, .. } = upgraded(2);
    let li = sign_in(&mut s, "liqiang");
    let wang = sign_in(&mut s, "wangfang");
    let head = sign_in(&mut s, "zhaomin");
    let admin = sign_in(&mut s, "admin");

    assert_eq!(customers(&mut s, &head, &CustomerFilter::default()).len(), 3);
    let huaneng = customer_named(&mut s, &li, "江苏华能电力设备有限公司");
    assert_eq!(huaneng.owner, Some(li.id()));
    assert_eq!(huaneng.owner_name, "李强");
    assert_eq!(huaneng.draft.credit_code, "91320594MA1X00101U");
    assert_eq!(huaneng.draft.grade, Grade::A);
    assert_eq!((huaneng.draft.province.as_str(), huaneng.draft.city.as_str()), ("江苏", "苏州"));
    let contacts: Vec<_> = huaneng
        .draft
        .contacts
        .iter()
        .map(|c| (c.name.as_str(), c.title.as_str(), c.mobile.as_str(), c.primary))
        .collect();
    assert_eq!(contacts, [("张伟", "采购经理", "13912345678", true), ("王静", "技术主管", "13912345679", false)]);
    assert_eq!(customer_named(&mut s, &wang, "浙江中天电缆有限公司").owner, Some(wang.id()));
    let pool = customers(&mut s, &head, &CustomerFilter { owner: OwnerFilter::Pool, ..CustomerFilter::default() });
    let pool: Vec<_> = pool.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(pool, ["重庆市电力公司"]);
    // 李强 does not see 王芳's customer.
    assert!(customers(&mut s, &li, &search("中天")).is_empty());

    let table = s.price_table(&admin, None).expect("the price table");
    let mut versions = table.versions.clone();
    versions.sort_by_key(|v| v.effective);
    let notes: Vec<_> = versions.iter().map(|v| (v.effective, v.note.as_str())).collect();
    assert_eq!(notes, [(day(2026, 12, 6), "导入 prices-first.csv"), (day(2027, 1, 1), "导入 prices-second.csv")]);
    let first = s.price_table(&admin, Some(versions[0].id)).expect("the first version");
    assert!(first.shows_floor);
    assert_eq!(first.products.len(), 4);
    let transformer = first.products.iter().find(|p| p.draft.code == "HX-SCB13-1000").expect("the transformer");
    assert_eq!(transformer.draft.name, "干式变压器");
    assert_eq!(transformer.draft.model, "SCB13-1000/10");
    assert_eq!(transformer.draft.list_price, money("186000.00"));
    assert_eq!(transformer.draft.floor_price, Some(money("162000.00")));
    assert_eq!(transformer.draft.tax_rate, TaxRate::parse("13%").expect("a rate"));
    let cabinet = first.products.iter().find(|p| p.draft.code == "HX-GCS-LV").expect("the LV cabinet");
    assert_eq!(cabinet.draft.floor_price, None);
    let second = s.price_table(&admin, Some(versions[1].id)).expect("the second version");
    assert_eq!(second.products.len(), 5);
    let transformer = second.products.iter().find(|p| p.draft.code == "HX-SCB13-1000").expect("the transformer");
    assert_eq!(
        (transformer.draft.list_price, transformer.draft.floor_price),
        (money("189500.00"), Some(money("165000.00")))
    );
    let service = second.products.iter().find(|p| p.draft.code == "HX-SVC-INSTALL").expect("the service");
    assert_eq!(service.draft.tax_rate, TaxRate::parse("6%").expect("a rate"));
    // A salesperson sees no floor prices.
    let for_li = s.price_table(&li, Some(versions[0].id)).expect("the table for 李强");
    assert!(!for_li.shows_floor && for_li.products.iter().all(|p| p.draft.floor_price.is_none()));
}

#[test]
fn an_office_made_at_schema_version_3_upgrades_and_keeps_its_inquiries_tenders_and_decisions() {
    let Upgraded { svc: mut s, .. } = upgraded(3);
    assert_the_grown_demo_office(&mut s);
    let head = sign_in(&mut s, "zhaomin");
    let admin = sign_in(&mut s, "admin");
    let mut list = s.inquiries(&head, &InquiryFilter::default()).expect("the inquiries");
    list.sort_by_key(|i| i.number.to_string());
    let rows: Vec<_> = list.iter().map(|i| (i.number.to_string(), i.kind, i.status, i.subject.as_str())).collect();
    assert_eq!(
        rows,
        [
            ("XJ-2026-0001".to_string(), InquiryKind::Inquiry, InquiryStatus::Go, "升级样本：配电房改造设备询价"),
            ("XJ-2026-0002".to_string(), InquiryKind::Tender, InquiryStatus::Go, "升级样本：110kV变电站设备招标"),
            ("XJ-2026-0003".to_string(), InquiryKind::Inquiry, InquiryStatus::NoGo, "升级样本：进口断路器比价"),
            ("XJ-2026-0004".to_string(), InquiryKind::Inquiry, InquiryStatus::Registered, "升级样本：电话询价"),
        ]
    );

    let first = s.inquiry(&head, list[0].id).expect("XJ-2026-0001");
    assert_eq!(first.customer_name, "中铁四局集团苏州工程有限公司");
    assert_eq!(first.registered_by_name, "李强");
    assert_eq!(first.draft.source, InquirySource::Visit);
    assert_eq!(first.draft.estimate, Some(money("380000")));
    let lines: Vec<_> =
        first.draft.lines.iter().map(|l| (l.description.as_str(), l.quantity.map(|q| q.to_string()))).collect();
    assert_eq!(lines, [("密集型母线槽", Some("2".to_string())), ("密集型母线槽", Some("6".to_string()))]);
    let decisions: Vec<_> = first.decisions.iter().map(|d| (d.by_name.as_str(), d.go, d.comment.as_str())).collect();
    assert_eq!(decisions, [("赵敏", true, "可以参与")]);

    let tender = s.inquiry(&head, list[1].id).expect("XJ-2026-0002");
    assert!(tender.major, "a flagged tender over ¥500,000 is major");
    assert_eq!(tender.draft.tender.tender_no, "SZ-ZB-2026-0815");
    assert_eq!(tender.draft.tender.bond, Some(money("50000")));
    let clauses: Vec<_> = tender.draft.tender.clauses.iter().map(|c| c.no.as_str()).collect();
    assert_eq!(clauses, ["2.1", "★5.4"]);
    let decisions: Vec<_> = tender.decisions.iter().map(|d| (d.by_name.as_str(), d.go)).collect();
    assert_eq!(decisions, [("赵敏", true), ("周建国", true)]);

    let declined = s.inquiry(&head, list[2].id).expect("XJ-2026-0003");
    assert_eq!(declined.decisions.iter().map(|d| d.comment.as_str()).collect::<Vec<_>>(), ["非我司产品"]);
    let phone = s.inquiry(&head, list[3].id).expect("XJ-2026-0004");
    assert_eq!((phone.draft.source, phone.registered_by_name.as_str()), (InquirySource::Phone, "孙丽"));
    // No use case reads the phone-price log back; its entry in the audit log is what shows.
    let answers = crate::support::audit_with_action(&mut s, &admin, "phone.answer");
    assert_eq!(answers.len(), 1, "the one call 孙丽 answered");
    assert!(answers[0].after.contains("CMC-1250"), "{}", answers[0].after);
}

#[test]
fn an_office_made_at_schema_version_4_upgrades_and_keeps_its_quotes_revisions_and_approvals() {
    let Upgraded { svc: mut s, .. } = upgraded(4);
    assert_the_grown_demo_office(&mut s);
    let head = sign_in(&mut s, "zhaomin");
    let li = sign_in(&mut s, "liqiang");
    assert_eq!(s.inquiries(&head, &InquiryFilter::default()).expect("inquiries").len(), 36);
    let views = quotes_with_content_hashes_kept(&mut s, &head);
    assert_eq!(views.len(), 2);

    let approved = view_of(&views, "BJ-2026-0001");
    assert_eq!(approved.quote.customer_name, "中铁四局集团苏州工程有限公司");
    assert_eq!((approved.quote.author_name.as_str(), approved.quote.status), ("李强", QuoteStatus::Open));
    let v1 = approved.latest().expect("V1");
    assert_eq!((v1.revision, v1.status, v1.total), (1, RevisionStatus::Approved, money("11060.00")));
    assert_eq!(v1.content.notes, "升级样本：V1 按价格表报价");
    let approvals: Vec<_> = v1.approvals.iter().map(|a| (a.by_name.as_str(), a.approved, a.comment.as_str())).collect();
    assert_eq!(approvals, [("赵敏", true, "同意")]);

    let reworked = view_of(&views, "BJ-2026-0002");
    assert_eq!(reworked.quote.customer_name, "南京博隆照明工程有限公司");
    let revisions: Vec<_> = reworked.revisions.iter().map(|r| (r.revision, r.status, r.total)).collect();
    assert_eq!(
        revisions,
        [(1, RevisionStatus::Rejected, money("3003.00")), (2, RevisionStatus::Draft, money("17759.00"))]
    );
    assert_eq!(reworked.revisions[0].approvals[0].comment, "价格再核实后重报");
    assert_eq!(reworked.revisions[1].content.lines.len(), 2);
    let reviews: Vec<_> =
        reworked.reviews.iter().map(|r| (r.question.as_str(), r.answer.as_deref(), r.answered_by.as_deref())).collect();
    assert_eq!(reviews, [("型号是否满足招标技术要求？", Some("满足，型号无需调整"), Some("陈明 (chenming)"))]);

    // The salesperson finds the quote by its number and may go on with the V2 draft.
    let id = s.quote_by_number(&li, "BJ-2026-0002").expect("found by number");
    let v2 = s.quote_view(&li, id).expect("opens").latest().expect("V2").clone();
    let saved = s.save_draft(&li, v2.id, v2.version, v2.content.clone()).expect("the old draft saves again");
    assert_eq!(saved.latest().map(|r| r.total), Some(money("17759.00")));
}

#[test]
fn an_office_made_at_schema_version_5_upgrades_and_keeps_its_visits_and_weekly_notes() {
    let Upgraded { svc: mut s, .. } = upgraded(5);
    assert_the_grown_demo_office(&mut s);
    let head = sign_in(&mut s, "zhaomin");
    let li = sign_in(&mut s, "liqiang");
    let views = quotes_with_content_hashes_kept(&mut s, &head);
    assert_eq!(views.len(), 14, "the demo's quotes and bids");
    let statuses: Vec<_> = views.iter().map(|v| (v.quote.number.to_string(), v.quote.status)).collect();
    for wanted in [
        ("BJ-2026-0005", QuoteStatus::Won),
        ("BJ-2026-0006", QuoteStatus::Lost),
        ("TB-2026-0006", QuoteStatus::Expired),
    ] {
        assert!(statuses.contains(&(wanted.0.to_string(), wanted.1)), "{wanted:?} in {statuses:?}");
    }

    let customer = customer_named(&mut s, &li, "中铁四局集团苏州工程有限公司");
    let mut visits = s.customer_visits(&li, customer.id).expect("the customer's visits");
    visits.sort_by_key(|v| v.id);
    let rows: Vec<_> = visits
        .iter()
        .map(|v| (v.plan.purpose.as_str(), v.status, v.key, v.retroactive, v.owner_name.as_str()))
        .collect();
    assert_eq!(
        rows,
        [
            ("技术交流", VisitStatus::Done, false, false, "李强"),
            ("商务洽谈", VisitStatus::Planned, true, false, "李强"),
            ("催收货款", VisitStatus::Cancelled, false, false, "李强"),
            ("老客户回访", VisitStatus::Done, false, true, "李强"),
        ]
    );
    let record = visits[0].record.as_ref().expect("the record of the visit");
    assert_eq!((record.visited_on, record.outcome.as_str()), (Some(day(2026, 12, 4)), "升级样本：确认明年技改预算"));
    assert_eq!(record.met, "张工（设备科）");
    assert_eq!(visits[2].cancel_reason, "升级样本：客户出差");
    assert_eq!(visits[3].record.as_ref().and_then(|r| r.visited_on), Some(day(2026, 12, 1)));

    let report = s.weekly_report(&li, li.id(), Week { year: 2026, week: 49 }).expect("the weekly report");
    assert_eq!(
        (report.notes.notes.as_str(), report.notes.next_focus.as_str()),
        ("升级样本：本周小结", "下周跟进技改方案")
    );
    assert_eq!(report.notes.version, 1);
    let recorded: Vec<_> = report.visits.iter().filter(|v| v.status == VisitStatus::Done).map(|v| v.id).collect();
    assert!(recorded.contains(&visits[0].id) && recorded.contains(&visits[3].id), "{recorded:?}");
}

/// The register as the head sees it, oldest first, each file read back and verified.
fn issued_register(s: &mut Service, head: &Actor) -> Vec<salesdesk::domain::document::IssuedDocument> {
    let mut list = s.issued_documents(head).expect("the register");
    list.sort_by_key(|e| e.id);
    for e in &list {
        let (entry, bytes) = s.issued_file(head, e.id).expect("the issued PDF");
        assert_eq!(
            hex::encode(Sha256::digest(&bytes)),
            entry.sha256,
            "{} V{} is the file issued",
            e.number,
            e.revision
        );
        assert!(matches!(s.verify_pdf(&bytes), Ok(Verification::Genuine(_))), "{} verifies", e.number);
        assert!(
            matches!(s.verify_code(&e.verify_code), Ok(Verification::CodeIssued(ref found)) if found.iter().any(|f| f.id == e.id)),
            "the code of {} is found",
            e.number
        );
    }
    list
}

fn register_rows(
    list: &[salesdesk::domain::document::IssuedDocument],
) -> Vec<(String, u32, QuoteKind, String, String)> {
    list.iter()
        .map(|e| (e.number.clone(), e.revision, e.kind, e.customer_name.clone(), e.verify_code.clone()))
        .collect()
}

#[test]
fn an_office_made_at_schema_version_6_upgrades_and_keeps_its_issued_documents() {
    let Upgraded { svc: mut s, .. } = upgraded(6);
    assert_the_grown_demo_office(&mut s);
    let head = sign_in(&mut s, "zhaomin");
    let admin = sign_in(&mut s, "admin");
    quotes_with_content_hashes_kept(&mut s, &head);
    let register = issued_register(&mut s, &head);
    assert_eq!(
        register_rows(&register),
        [
            (
                "BJ-2026-0005".into(),
                1,
                QuoteKind::Quote,
                "中铁四局集团苏州工程有限公司".into(),
                "1F27-MBA0-Q750".into()
            ),
            ("BJ-2026-0006".into(), 1, QuoteKind::Quote, "众通数据科技(包头)有限公司".into(), "G8FQ-61VS-XNKK".into()),
        ]
    );
    for e in &register {
        assert_eq!((e.copies, e.reprint, e.issued_by_name.as_str()), (2, false, "何燕"));
    }
    // The demo seal of version 6 is still the company's seal image.
    let seal = s.settings(&admin).expect("settings").company.value.seal;
    assert!(seal.is_some(), "the demo company has its seal");
}

#[test]
fn an_office_made_at_schema_version_7_upgrades_and_keeps_its_certificates_and_a_year_of_visits() {
    let Upgraded { svc: mut s, .. } = upgraded(7);
    assert_the_grown_demo_office(&mut s);
    let head = sign_in(&mut s, "zhaomin");
    let li = sign_in(&mut s, "liqiang");
    quotes_with_content_hashes_kept(&mut s, &head);

    let certificates = s.certificates(&li).expect("the certificate library");
    let mut rows: Vec<_> =
        certificates.iter().map(|c| (c.draft.name.as_str(), c.draft.number.as_str(), c.active)).collect();
    rows.sort();
    assert_eq!(
        rows,
        [
            ("ISO 14001 环境管理体系认证证书", "00124E30988R1M", true),
            ("ISO 9001 质量管理体系认证证书", "00124Q31567R2M", true),
            ("KYN28A-12 型式试验报告", "GB2025-0316", true),
            ("中国国家强制性产品认证证书（低压成套开关设备）", "2019010301187766", true),
            ("营业执照（副本）", "91320594MA1XK7RD3D", true),
        ]
    );
    let iso = certificates.iter().find(|c| c.draft.number == "00124Q31567R2M").expect("ISO 9001");
    assert_eq!((iso.draft.valid_from, iso.draft.valid_until), (Some(day(2024, 12, 20)), Some(day(2027, 12, 19))));
    assert_eq!(iso.draft.issuer, "中国质量认证中心");
    for c in &certificates {
        let scan = s.certificate_image(&li, c.id).expect("the scan");
        assert_eq!(scan.mime, "image/png");
        assert_eq!(hex::encode(Sha256::digest(&scan.bytes)), scan.sha256, "the scan of {}", c.draft.name);
    }

    let from = Utc.with_ymd_and_hms(2000, 1, 1, 0, 0, 0).single().expect("a time");
    let to = Utc.with_ymd_and_hms(2100, 1, 1, 0, 0, 0).single().expect("a time");
    let visits = s.visits(&head, from, to, None).expect("every visit");
    let count = |status| visits.iter().filter(|v| v.status == status).count();
    assert_eq!(
        (visits.len(), count(VisitStatus::Done), count(VisitStatus::Cancelled), count(VisitStatus::Planned)),
        (1013, 925, 60, 28)
    );
    assert_eq!(visits.iter().filter(|v| v.owner_name == "李强").count(), 223);

    let register = issued_register(&mut s, &head);
    assert_eq!(
        register_rows(&register)[0],
        ("TB-2026-0004".into(), 1, QuoteKind::Bid, "东莞科峰特钢有限公司".into(), "BXMH-AJE0-TGDS".into())
    );
    assert_eq!(register.len(), 3);
    let template = s.after_sales_template(&head).expect("the after-sales template of version 7");
    assert!(template.version >= 1);
}

#[test]
fn an_office_made_at_schema_version_8_upgrades_and_keeps_its_negotiations_outcomes_and_confirmations() {
    let Upgraded { svc: mut s, .. } = upgraded(8);
    assert_the_grown_demo_office(&mut s);
    let head = sign_in(&mut s, "zhaomin");
    let views = quotes_with_content_hashes_kept(&mut s, &head);

    let won = view_of(&views, "TB-2026-0004");
    assert_eq!((won.quote.status, won.quote.author_name.as_str()), (QuoteStatus::Won, "冯雪"));
    let n = s.negotiation(&head, won.quote.id).expect("the negotiation view");
    let rounds: Vec<_> = n.rounds.iter().map(|r| (r.date, r.customer_side.as_str(), r.asked.as_str())).collect();
    assert_eq!(
        rounds,
        [
            (day(2026, 12, 6), "采购部 刘经理", "升级样本：要求总价再降5%"),
            (day(2026, 12, 6), "采购部 刘经理、总工", "升级样本：接受再降3%"),
        ]
    );
    let outcome = n.outcome.as_ref().expect("the outcome");
    assert_eq!(
        (outcome.kind, outcome.date, outcome.reason.as_str(), outcome.competitor.as_str(), outcome.revision),
        (OutcomeKind::Won, day(2026, 12, 6), "升级样本：价格与交期均满足", "正泰电气", 1)
    );
    assert_eq!(n.changes.len(), 1, "V2 was made after issue");
    let changes = &n.changes[0];
    assert_eq!((changes.number, changes.base), (2, 1));
    let mut keys: Vec<_> = changes.set.changes.iter().map(|c| c.key.as_str()).collect();
    keys.sort();
    assert_eq!(keys, ["content:notes", "line:p171#0:discount"]);
    let answers: Vec<_> = changes.confirmations.iter().map(|c| (c.by_name.as_str(), c.confirmed)).collect();
    assert_eq!(answers.len(), 4, "{answers:?}");
    assert!(answers.iter().all(|(_, ok)| *ok), "{answers:?}");
    for c in &changes.set.changes {
        for step in [salesdesk::domain::quote::ApprovalStep::Head, salesdesk::domain::quote::ApprovalStep::Leader] {
            assert!(changes.answer(&c.key, step).is_some_and(|a| a.confirmed), "{} confirmed at {step:?}", c.key);
        }
    }
    assert_eq!(won.latest().map(|r| (r.revision, r.status)), Some((2, RevisionStatus::Approved)));
    assert!(
        matches!(n.contract, Some(Ok(_))),
        "the won quote is ready for a contract: {:?}",
        n.contract.as_ref().map(|c| c.as_ref().err())
    );

    let lost = view_of(&views, "BJ-2026-0003");
    let n = s.negotiation(&head, lost.quote.id).expect("the negotiation view");
    let outcome = n.outcome.as_ref().expect("the outcome");
    assert_eq!(
        (outcome.kind, outcome.competitor.as_str(), outcome.competitor_price, outcome.by_name.as_str()),
        (OutcomeKind::Lost, "西门子（中国）", Some(money("123456.00")), "王芳")
    );
    assert_eq!(n.rounds.len(), 1);
    assert_eq!(n.issued.map(|(revision, _)| revision), Some(1));

    let register = issued_register(&mut s, &head);
    let last = register.last().expect("four entries");
    assert_eq!((register.len(), last.number.as_str(), last.issued_by_name.as_str()), (4, "BJ-2026-0003", "孙丽"));
    assert_eq!(last.verify_code, "TM0T-8E0M-0FNB");
}

#[test]
fn an_office_made_at_schema_version_9_upgrades_and_keeps_its_contract_deliveries_invoices_receipts_and_targets() {
    let Upgraded { svc: mut s, .. } = upgraded(9);
    assert_the_grown_demo_office(&mut s);
    let head = sign_in(&mut s, "zhaomin");
    let li = sign_in(&mut s, "liqiang");
    let views = quotes_with_content_hashes_kept(&mut s, &head);
    let outcomes: Vec<_> = views
        .iter()
        .filter_map(|v| {
            let n = s.negotiation(&head, v.quote.id).expect("the negotiation view");
            n.outcome.map(|o| (v.quote.number.to_string(), o.kind))
        })
        .collect();
    assert_eq!(
        outcomes,
        [
            ("BJ-2026-0005".to_string(), OutcomeKind::Won),
            ("BJ-2026-0006".to_string(), OutcomeKind::Lost),
            ("TB-2026-0006".to_string(), OutcomeKind::Expired),
        ]
    );

    let ledgers = s.contracts(&head).expect("the contracts");
    assert_eq!(ledgers.len(), 1);
    let c = &ledgers[0].contract;
    assert_eq!(
        (c.number.to_string(), c.quote_number.as_str(), c.customer_name.as_str(), c.salesperson_name.as_str()),
        ("HT-2026-0001".to_string(), "BJ-2026-0005", "中铁四局集团苏州工程有限公司", "李强")
    );
    assert_eq!((c.signed_on, c.total, c.major), (Some(day(2026, 12, 6)), money("10477986.05"), true));
    assert_eq!(c.content.content_hash().expect("encodes"), c.content_hash, "the contract's content hash is kept");
    let approvals: Vec<_> = c.current_approvals().iter().map(|a| (a.by_name.clone(), a.approved)).collect();
    assert_eq!(approvals, [("赵敏".to_string(), true), ("周建国".to_string(), true)]);

    let quote = view_of(&views, "BJ-2026-0005").quote.id;
    assert_eq!(s.contract_of_quote(&li, quote).expect("the quote's contract"), Some(c.id));
    let view = s.contract(&li, c.id).expect("李强 opens his contract");
    let l = &view.ledger;
    assert_eq!((l.received, l.invoiced), (money("105000.00"), money("10477986.05")));
    assert_eq!(l.deliveries.len(), 1);
    assert_eq!(l.deliveries[0].note, "升级样本：顺丰 SF1234567890");
    assert!(view.lines_left.iter().all(|(_, q)| q.is_zero()), "all delivered: {:?}", view.lines_left);
    let invoices: Vec<_> = l.invoices.iter().map(|i| (i.number.as_str(), i.amount, i.tax)).collect();
    assert_eq!(invoices, [("UPG-20260001", money("10477986.05"), money("1205432.02"))]);
    let receipts: Vec<_> = l
        .receipts
        .iter()
        .map(|r| (r.amount, r.collected_by_salesperson, r.handed_in_on, r.handed_in_by.as_str()))
        .collect();
    assert_eq!(
        receipts,
        [(money("100000.00"), false, None, ""), (money("5000.00"), true, Some(day(2026, 12, 6)), "孙丽")]
    );

    let targets = s.targets(&head, 2026).expect("the targets");
    let rows: Vec<_> = targets
        .iter()
        .map(|t| (t.salesperson_name.as_str(), t.draft.month, t.draft.sales, t.draft.collection))
        .collect();
    assert_eq!(rows, [("李强", None, money("8000000"), money("6000000"))]);
}

#[test]
fn an_office_made_at_schema_version_10_opens_and_keeps_what_was_sent_to_the_printer() {
    let Upgraded { svc: mut s, .. } = upgraded(10);
    assert_the_grown_demo_office(&mut s);
    let head = sign_in(&mut s, "zhaomin");
    assert_eq!(quotes_with_content_hashes_kept(&mut s, &head).len(), 31, "the demo's quotes and bids");
    let ledgers = s.contracts(&head).expect("the contracts");
    assert_eq!(ledgers.len(), 15, "the demo's contracts");
    for l in &ledgers {
        let c = &l.contract;
        assert_eq!(c.content.content_hash().expect("encodes"), c.content_hash, "{} keeps its content hash", c.number);
    }

    let register = issued_register(&mut s, &head);
    assert_eq!(register.len(), 39);
    let printed: Vec<_> = register
        .iter()
        .filter(|e| !e.prints.is_empty())
        .map(|e| {
            let jobs: Vec<_> = e
                .prints
                .iter()
                .map(|p| {
                    (p.printer.as_str(), p.job_id, p.copies, p.pages.as_str(), p.two_sided, p.sent, p.by_name.as_str())
                })
                .collect();
            (e.number.as_str(), e.revision, e.reprint, e.issued_by_name.as_str(), jobs)
        })
        .collect();
    assert_eq!(
        printed,
        [
            ("BJ-2026-0005", 2, true, "孙丽", vec![("销售部激光打印机", Some(1), 2, "", false, true, "孙丽")]),
            ("TB-2026-0004", 1, true, "何燕", vec![("销售部激光打印机", Some(2), 2, "1-3", false, true, "何燕")]),
        ]
    );
}

#[test]
fn an_office_made_at_schema_version_11_opens_and_keeps_its_typed_clauses_and_its_references() {
    let Upgraded { svc: mut s, .. } = upgraded(11);
    assert_the_grown_demo_office(&mut s);
    let head = sign_in(&mut s, "zhaomin");
    assert_eq!(quotes_with_content_hashes_kept(&mut s, &head).len(), 31, "the demo's quotes and bids");

    // The tenders' clauses as pasted then: ★ and typed where the text states a requirement.
    let bid = s
        .quotes(&head)
        .expect("quotes")
        .into_iter()
        .find(|q| q.quote.number.to_string() == "TB-2026-0002")
        .expect("TB-2026-0002");
    let inquiry = bid.quote.inquiry.expect("a bid answers a tender");
    let clauses = s.inquiry(&head, inquiry).expect("the tender").draft.tender.clauses;
    let warranty = clauses.iter().find(|c| c.no == "★5.4").expect("★5.4");
    assert!(warranty.starred);
    assert_eq!(warranty.typed, Some(salesdesk::domain::clause::Requirement::WarrantyMonths { at_least: 24 }));
    let validity = clauses.iter().find(|c| c.no == "5.8").expect("5.8");
    assert!(!validity.starred);
    assert_eq!(validity.typed, Some(salesdesk::domain::clause::Requirement::ValidityDays { at_least: 90 }));
    // Its draft took the standard warranty back: submitting is refused at the ★ clause.
    let r = s.quote_view(&head, bid.quote.id).expect("the bid").latest().expect("a revision").clone();
    assert_eq!(r.status, salesdesk::domain::quote::RevisionStatus::Draft);
    assert_eq!(r.content.terms.warranty_months, 12);

    // The 业绩库: the eight signed contracts the head listed, in use, readable by a salesperson.
    let listed = s.references(&head).expect("the 业绩库");
    assert_eq!(listed.len(), 8);
    assert!(listed.iter().all(|r| r.active && r.contract_number.starts_with("HT-") && r.draft.amount > Money::ZERO));
    let sales = sign_in(&mut s, "liqiang");
    assert_eq!(s.references(&sales).expect("a bid author reads it"), listed);
}

#[test]
fn an_office_made_at_schema_version_12_opens_and_keeps_identities_bonds_coverage_and_print_variants() {
    let Upgraded { svc: mut s, .. } = upgraded(12);
    assert_the_grown_demo_office(&mut s);
    let head = sign_in(&mut s, "zhaomin");
    assert_eq!(quotes_with_content_hashes_kept(&mut s, &head).len(), 31, "the demo's quotes and bids");

    // The people who sign bids have their ID numbers; a salesperson reads others' masked.
    let whole = s.list_users(&head).expect("users");
    let li = whole.iter().find(|u| u.login == "liqiang").expect("李强");
    assert_eq!(li.id_number, "320506198809251514");
    assert_eq!(li.gender, Some(salesdesk::domain::user::Gender::Male));
    let sales = sign_in(&mut s, "wangfang");
    let masked = s.list_users(&sales).expect("users");
    assert_eq!(masked.iter().find(|u| u.login == "liqiang").expect("李强").id_number, "320***********1514");
    let company = s.settings(&head).expect("settings").company.value;
    assert_eq!(
        (company.legal_rep_title.as_str(), company.legal_rep_id_number.as_str()),
        ("董事长", "320503197208163013")
    );

    // Paid bonds carry their form and date.
    let paid: Vec<_> = s
        .inquiries(&head, &Default::default())
        .expect("inquiries")
        .into_iter()
        .filter(|i| i.kind == salesdesk::domain::inquiry::InquiryKind::Tender)
        .map(|i| s.inquiry(&head, i.id).expect("a tender"))
        .filter(|i| i.draft.tender.bond_paid)
        .collect();
    assert_eq!(paid.len(), 6);
    assert!(paid.iter().all(|i| i.bond_record.form.is_some() && i.bond_record.paid_on.is_some()));

    // What the certificates cover: the type-test report its switchgear, the CCC its assemblies.
    let library = s.certificates(&head).expect("the library");
    let report = library.iter().find(|c| c.draft.kind == "型式试验报告").expect("the type-test report");
    assert_eq!(report.draft.covers, ["KYN28A"]);
    assert_eq!(library.iter().filter(|c| c.draft.covers.is_empty()).count(), 3, "licence and two ISO certificates");

    // TB-2026-0001 went out as a wet-stamp print too: its own entry, its own file, verifiable.
    let assistant = sign_in(&mut s, "sunli");
    let register = s.issued_documents(&assistant).expect("the register");
    assert_eq!(register.len(), 38);
    let wet = register
        .iter()
        .find(|e| e.variant == salesdesk::domain::document::PrintVariant::WetStamp)
        .expect("the wet-stamp print");
    assert_eq!(wet.number, "TB-2026-0001");
    let (_, bytes) = s.issued_file(&assistant, wet.id).expect("its bytes");
    assert!(s.verify_pdf(&bytes).expect("verifies").is_genuine());
}

#[test]
fn an_office_made_at_schema_version_13_opens_and_keeps_its_acceptance_dates() {
    let Upgraded { svc: mut s, .. } = upgraded(13);
    assert_the_grown_demo_office(&mut s);
    let head = sign_in(&mut s, "zhaomin");
    let ledgers = s.contracts(&head).expect("contracts");
    assert_eq!(ledgers.len(), 15, "the demo's contracts");
    let accepted: Vec<_> = ledgers.iter().filter(|l| l.contract.accepted_on.is_some()).collect();
    assert_eq!(accepted.len(), 1);
    let l = accepted[0];
    assert_eq!(l.contract.number.to_string(), "HT-2026-0014");
    assert_eq!(l.contract.accepted_on, Some(day(2026, 11, 14)));
    assert_eq!(l.progress.completed_on, Some(day(2026, 11, 12)));
    // Its schedule counts from the completing delivery, so the acceptance moved nothing.
    let warranty = l.installments.last().expect("质保金");
    assert_eq!(warranty.trigger, "质保期满（全部发货后 18 个月）");
    assert_eq!(warranty.due, Some(day(2028, 5, 12)));
    let assistant = sign_in(&mut s, "sunli");
    assert_eq!(s.issued_documents(&assistant).expect("the register").len(), 37);
    // Schema version 14 moved the revisions' floors out of their content; read by the head they
    // are back on their lines, and every hash an approval names still matches.
    let views = quotes_with_content_hashes_kept(&mut s, &head);
    let floors =
        views.iter().flat_map(|v| &v.revisions).flat_map(|r| &r.content.lines).filter(|l| l.floor_price.is_some());
    assert!(floors.count() > 40, "the demo's priced lines keep their floors");
}

#[test]
fn the_floors_leave_the_content_of_every_revision_and_stay_beside_it() {
    let Upgraded { _dir: dir, svc } = upgraded(13);
    drop(svc);
    let conn = rusqlite::Connection::open(dir.path().join("office.db")).expect("open with rusqlite");
    let inside: i64 = conn
        .query_row("SELECT count(*) FROM revisions WHERE instr(content, '\"floor_price\":\"') > 0", [], |r| r.get(0))
        .expect("count");
    let beside: i64 =
        conn.query_row("SELECT count(*) FROM revisions WHERE floors IS NOT NULL", [], |r| r.get(0)).expect("count");
    assert_eq!(inside, 0, "no floor is left inside a revision's content");
    assert!(beside > 30, "the floors are kept beside the content: {beside}");
}

#[test]
fn an_office_made_at_schema_version_14_opens_with_its_floors_beside_the_contents() {
    let Upgraded { svc: mut s, .. } = upgraded(14);
    assert_the_grown_demo_office(&mut s);
    let head = sign_in(&mut s, "zhaomin");
    let views = quotes_with_content_hashes_kept(&mut s, &head);
    assert_eq!(views.len(), 31, "the demo's quotes and bids");
    let priced =
        views.iter().flat_map(|v| &v.revisions).flat_map(|r| &r.content.lines).filter(|l| l.floor_price.is_some());
    assert!(priced.count() > 40, "the head reads the floors back");
    let li = sign_in(&mut s, "liqiang");
    for q in s.quotes(&li).expect("his quotes") {
        let v = s.quote_view(&li, q.quote.id).expect("opens");
        assert!(
            v.revisions.iter().flat_map(|r| &r.content.lines).all(|l| l.floor_price.is_none()),
            "never a salesperson"
        );
    }
}

#[test]
fn an_office_made_at_schema_version_15_opens_and_finds_its_customers_by_name() {
    let Upgraded { svc: mut s, .. } = upgraded(15);
    assert_the_grown_demo_office(&mut s);
    let head = sign_in(&mut s, "zhaomin");
    let page = s.search_customers(&head, &CustomerFilter::default(), 1).expect("the list");
    let first = page.rows[0].clone();
    let draft = salesdesk::domain::customer::CustomerDraft { name: first.name.clone(), ..Default::default() };
    let hints = s.find_duplicates(&head, &draft, None).expect("the warning");
    assert!(hints.iter().any(|h| h.id == first.id), "{} is found by its own name", first.name);
}
