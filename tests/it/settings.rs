//! Office settings (系统设置): the company profile and its images, the approval policy and the
//! standard terms; only the admin changes them, every save is versioned and a stale save is refused.

use rust_decimal::Decimal;
use salesdesk::domain::company::CompanyProfile;
use salesdesk::domain::money::Money;
use salesdesk::domain::policy::{ApprovalPolicy, CommercialTerms};
use salesdesk::domain::role::Role;
use salesdesk::domain::validate::credit_code_check_char;
use salesdesk::service::{ImageSlot, ServiceError};
use salesdesk::store::StoreError;

use crate::support::{assert_field_error, audit_with_action, demo_office, first_sign_in, new_user, png_bytes, sign_in};

fn credit_code() -> String {
    let first17 = "91310115MA1K4LQ5X";
    let check = credit_code_check_char(first17).expect("valid characters");
    format!("{first17}{check}")
}

fn shanghai_profile() -> CompanyProfile {
    CompanyProfile {
        name: "  上海华东电缆销售有限公司 ".into(),
        address: "上海市浦东新区张江路88号".into(),
        phone: "021-58881234".into(),
        fax: "021-58881235".into(),
        email: "office@huadong-cable.cn".into(),
        website: "www.huadong-cable.cn".into(),
        bank_name: "招商银行上海张江支行".into(),
        bank_account: "1219 0888 0010 001".into(),
        credit_code: credit_code().to_lowercase(),
        legal_representative: "陈立新".into(),
        logo: None,
        seal: None,
        ..Default::default()
    }
}

#[test]
fn the_company_profile_is_saved_and_survives_reopening_the_file() {
    let (dir, mut svc) = demo_office();
    let admin = sign_in(&mut svc, "admin");
    let loaded = svc.settings(&admin).expect("reads").company;
    let saved = svc.update_company_profile(&admin, loaded.version, shanghai_profile()).expect("saved");
    assert_eq!(saved.version, loaded.version + 1);
    assert_eq!(saved.value.name, "上海华东电缆销售有限公司", "trimmed");
    assert_eq!(saved.value.credit_code, credit_code(), "upper-cased");
    assert_eq!(saved.updated_by, "系统管理员 (admin)");
    drop(svc);

    let mut reopened = crate::support::reopen(&dir).expect("reopens");
    let sales = sign_in(&mut reopened, "liqiang");
    let read = reopened.settings(&sales).expect("everyone signed in may read").company;
    assert_eq!(read.value, saved.value);
    assert_eq!(read.version, saved.version);
    let admin = sign_in(&mut reopened, "admin");
    let entry = audit_with_action(&mut reopened, &admin, "settings.company").into_iter().next().expect("audited");
    assert!(entry.before.contains("苏州恒信") && entry.after.contains("上海华东"), "{entry:?}");
}

#[test]
fn a_credit_code_with_a_wrong_check_character_is_refused_on_its_field() {
    let (_dir, mut svc) = demo_office();
    let admin = sign_in(&mut svc, "admin");
    let loaded = svc.settings(&admin).expect("reads").company;
    let mut profile = shanghai_profile();
    let good = credit_code();
    let wrong_last = if good.ends_with('0') { '1' } else { '0' };
    profile.credit_code = format!("{}{wrong_last}", &good[..17]);
    let err = svc.update_company_profile(&admin, loaded.version, profile).expect_err("refused");
    assert_field_error(&err, "credit_code");
    assert_eq!(svc.settings(&admin).expect("reads").company, loaded, "nothing saved");
}

#[test]
fn only_the_admin_edits_the_company_profile() {
    let (_dir, mut svc) = demo_office();
    let head = sign_in(&mut svc, "zhaomin");
    let loaded = svc.settings(&head).expect("reads").company;
    let err = svc.update_company_profile(&head, loaded.version, shanghai_profile()).expect_err("refused");
    assert!(matches!(err, ServiceError::Denied(_)), "{err:?}");
    assert_eq!(svc.settings(&head).expect("reads").company, loaded);
}

#[test]
fn the_admin_loads_a_seal_image_and_everyone_reads_it_back() {
    let (_dir, mut svc) = demo_office();
    let admin = sign_in(&mut svc, "admin");
    let demo = svc.company_image(&admin, ImageSlot::Seal).expect("reads").expect("the demo office's generated seal");
    assert_eq!(demo.file_name, "演示专用章.png");
    let png = png_bytes();
    let profile = svc.set_company_image(&admin, ImageSlot::Seal, Some(("报价专用章.png", &png))).expect("stored");
    assert!(profile.value.seal.is_some());

    let assistant = sign_in(&mut svc, "sunli");
    let seal = svc.company_image(&assistant, ImageSlot::Seal).expect("reads").expect("a seal");
    assert_eq!(seal.bytes, png);
    assert_eq!(seal.mime, "image/png");
    assert_eq!(seal.file_name, "报价专用章.png");
    assert_eq!(svc.company_image(&assistant, ImageSlot::Logo).expect("reads"), None, "the logo is separate");
    assert_eq!(audit_with_action(&mut svc, &admin, "settings.seal_replace").len(), 1);

    // Saving the text fields keeps the seal.
    let loaded = svc.settings(&admin).expect("reads").company;
    svc.update_company_profile(&admin, loaded.version, shanghai_profile()).expect("saved");
    assert_eq!(svc.company_image(&admin, ImageSlot::Seal).expect("reads").map(|a| a.bytes), Some(png));

    svc.set_company_image(&admin, ImageSlot::Seal, None).expect("removed");
    assert_eq!(svc.company_image(&assistant, ImageSlot::Seal).expect("reads"), None);
    assert_eq!(audit_with_action(&mut svc, &admin, "settings.seal_remove").len(), 1);
}

#[test]
fn a_head_cannot_replace_the_seal() {
    let (_dir, mut svc) = demo_office();
    let head = sign_in(&mut svc, "zhaomin");
    let png = png_bytes();
    let before = svc.company_image(&head, ImageSlot::Seal).expect("reads");
    let err = svc.set_company_image(&head, ImageSlot::Seal, Some(("fake.png", &png))).expect_err("refused");
    assert!(matches!(err, ServiceError::Denied(_)), "{err:?}");
    assert!(err.to_string().contains("公章"), "{err}");
    assert_eq!(svc.company_image(&head, ImageSlot::Seal).expect("reads"), before);
}

#[test]
fn bytes_that_are_not_a_png_or_jpeg_image_are_refused() {
    let (_dir, mut svc) = demo_office();
    let admin = sign_in(&mut svc, "admin");
    let png = png_bytes();
    let cut_png = &png[..png.len() / 2];
    let gif = b"GIF89a\x01\x00\x01\x00\x00\x00\x00;".as_slice();
    let before = svc.company_image(&admin, ImageSlot::Seal).expect("reads");
    for (name, bytes) in [("seal.png", b"this is not an image".as_slice()), ("cut.png", cut_png), ("seal.gif", gif)] {
        let err = svc.set_company_image(&admin, ImageSlot::Seal, Some((name, bytes))).expect_err(name);
        assert_field_error(&err, "image");
    }
    assert_eq!(svc.company_image(&admin, ImageSlot::Seal).expect("reads"), before, "the seal is unchanged");
}

#[test]
fn the_approval_policy_and_standard_terms_are_saved_with_a_new_version() {
    let (_dir, mut svc) = demo_office();
    let admin = sign_in(&mut svc, "admin");
    let bundle = svc.settings(&admin).expect("reads");
    assert_eq!(bundle.policy.value, ApprovalPolicy::default());

    let policy = ApprovalPolicy { major_threshold: Money::from_fen(100_000_000), ..ApprovalPolicy::default() };
    let saved = svc.update_approval_policy(&admin, bundle.policy.version, policy.clone()).expect("saved");
    assert_eq!((saved.value.clone(), saved.version), (policy, bundle.policy.version + 1));
    let zero = ApprovalPolicy { major_threshold: Money::from_fen(0), ..ApprovalPolicy::default() };
    assert_field_error(&svc.update_approval_policy(&admin, saved.version, zero).expect_err("zero"), "policy");

    let terms = CommercialTerms {
        validity_days: 45,
        prepayment_pct: Decimal::from(20),
        other: "  含运费。 ".into(),
        ..CommercialTerms::default()
    };
    let saved_terms = svc.update_standard_terms(&admin, bundle.terms.version, terms).expect("saved");
    assert_eq!(saved_terms.version, bundle.terms.version + 1);
    assert_eq!((saved_terms.value.validity_days, saved_terms.value.other.as_str()), (45, "含运费。"));
    let never = CommercialTerms { validity_days: 0, ..CommercialTerms::default() };
    assert_field_error(&svc.update_standard_terms(&admin, saved_terms.version, never).expect_err("0 days"), "terms");

    let head = sign_in(&mut svc, "zhaomin");
    let err = svc.update_standard_terms(&head, saved_terms.version, CommercialTerms::default()).expect_err("head");
    assert!(matches!(err, ServiceError::Denied(_)), "{err:?}");
    let now = svc.settings(&head).expect("reads");
    assert_eq!((now.policy, now.terms), (saved, saved_terms));
}

#[test]
fn a_second_seat_saving_over_a_newer_version_is_refused_naming_who_changed_it() {
    let (dir, mut first_seat) = demo_office();
    let admin = sign_in(&mut first_seat, "admin");
    first_seat.create_user(&admin, new_user("wangli", "王丽", &[Role::Admin])).expect("a second admin");

    let mut second_seat = crate::support::reopen(&dir).expect("the same file, another seat");
    let wangli = first_sign_in(&mut second_seat, "wangli");
    let first_form = first_seat.settings(&admin).expect("reads").terms;
    let second_form = second_seat.settings(&wangli).expect("reads").terms;
    assert_eq!(first_form.version, second_form.version);

    let mut mine = first_form.value.clone();
    mine.validity_days = 60;
    first_seat.update_standard_terms(&admin, first_form.version, mine).expect("the first save lands");

    let mut theirs = second_form.value.clone();
    theirs.validity_days = 90;
    let err = second_seat.update_standard_terms(&wangli, second_form.version, theirs).expect_err("stale");
    assert!(err.is_conflict(), "{err:?}");
    match &err {
        ServiceError::Store(StoreError::Conflict { by, .. }) => assert!(by.contains("系统管理员"), "{by}"),
        other => panic!("expected a conflict, got {other:?}"),
    }
    assert!(err.to_string().contains("系统管理员"), "the message names who changed it: {err}");

    let stored = second_seat.settings(&wangli).expect("reads").terms;
    assert_eq!(stored.value.validity_days, 60, "the first save stands");
    let saves = audit_with_action(&mut second_seat, &wangli, "settings.terms");
    assert_eq!(saves.len(), 1, "only the save that landed is audited");
    assert_eq!(saves[0].actor, "系统管理员 (admin)");
}
