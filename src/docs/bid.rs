//! The 投标书 (bid document, 投标文件), DESIGN §5: cover (正本 / 副本 n), table of contents with page
//! numbers, 投标函, 法定代表人授权委托书, 开标一览表, 分项报价表, 技术偏离表, 商务偏离表, 售后服务承诺
//! and 资格证明文件 (the certificate scans). The seal goes where a bound bid is stamped: the cover
//! and the signed end of every section (投标函, 授权委托书, 开标一览表, 分项报价表, both 偏离表, 承诺,
//! 业绩表) and each certificate copy — always over the bidder's name, clear of the （签字） lines;
//! every page has `第 x 页 / 共 y 页` and the verification code.
//!
//! **Copies.** A tender asks for one 正本 and a number of 副本, each bound separately with its own
//! cover. One PDF holds them all, one volume after the other: the 正本, then 副本 1 … n, each a
//! complete set with its own cover, its own table of contents and its own page numbers (the
//! contents of every volume point into that volume). One file rather than one per copy because
//! issuing is one act: one register entry, one SHA-256 to verify, one file to send to the print
//! room, and a 副本 can never be printed from a different revision than its 正本. The scans and the
//! seal are embedded once and referenced by every volume, so each 副本 adds little to the file.
//!
//! **Page numbers in the contents** come from two passes: the first draws one volume to learn on
//! which page each section starts, the second draws every volume with those numbers. The contents
//! lines never wrap, so the numbers cannot move the pages they point to (checked, not assumed).

use chrono::{DateTime, NaiveDate, Utc};

use super::DocError;
use super::canvas::{Align, Canvas, Column, Drawn, Finish, GREY, PAGE_HEIGHT, PAGE_WIDTH, RULE, Rgb8, SEAL_RED, Style};
use super::fonts::DocFonts;
use super::pdf::{Meta, document_id, save};
use super::quote::{DRAFT_WATERMARK, RenderedPdf, Stamp, UNISSUED_WATERMARK};
use crate::domain::bid::BidFigures;
use crate::domain::company::CompanyProfile;
use crate::domain::dates::cn_date;
use crate::domain::inquiry::ClauseKind;
use crate::domain::quote::{ClauseResponse, RevisionContent};

/// One certificate printed among the qualification documents.
#[derive(Debug, Clone)]
pub struct BidCertificate {
    pub name: String,
    pub kind: String,
    pub number: String,
    pub issuer: String,
    /// `2029年6月30日` or `长期`.
    pub valid_until: String,
    /// The scan (PNG or JPEG).
    pub image: Vec<u8>,
}

/// One row of the 业绩表.
#[derive(Debug, Clone)]
pub struct BidReference {
    pub customer_name: String,
    pub project: String,
    pub products: String,
    pub amount: crate::domain::money::Money,
    pub signed_on: NaiveDate,
    pub contact: String,
}

/// The tender bond as the bid states it.
#[derive(Debug, Clone)]
pub struct BidBond {
    pub amount: crate::domain::money::Money,
    /// 银行转账 / 银行保函 (`None`: not paid yet).
    pub form: Option<String>,
    pub paid_on: Option<NaiveDate>,
    /// The receipt or guarantee scan (PNG or JPEG), printed in the 投标保证金 section.
    pub receipt: Option<Vec<u8>>,
}

/// Everything the 投标书 prints, gathered by the service.
#[derive(Debug, Clone)]
pub struct BidDoc {
    pub company: CompanyProfile,
    /// TB-2026-0001
    pub number: String,
    pub revision: u32,
    /// 投标日期 (the issue date; today on a draft).
    pub date: NaiveDate,
    /// 招标编号, 采购人, 项目名称, 标段/包号 from the tender.
    pub tender_no: String,
    pub purchaser: String,
    pub project: String,
    pub lot: String,
    /// 委托代理人: the bid's author, with their contacts, 性别 (男/女; empty when not entered) and
    /// 身份证号码 (whole: the bid goes to the committee).
    pub agent_name: String,
    pub agent_phone: String,
    pub agent_email: String,
    pub agent_gender: String,
    pub agent_id_number: String,
    /// 投标保证金 as the tender asks it and as it was paid (`None`: the tender asks none).
    pub bond: Option<BidBond>,
    /// A 骑缝章 across the right edge of each copy (with the seal image only).
    pub riding_seal: bool,
    pub content: RevisionContent,
    /// The money figures as printed (checked by `domain::bid::cross_check` before issuing).
    pub figures: BidFigures,
    /// The after-sales commitment with this bid's facts filled in.
    pub after_sales: String,
    pub certificates: Vec<BidCertificate>,
    /// The 业绩表's rows (the bid's references from the 业绩库).
    pub references: Vec<BidReference>,
    /// How many 副本 follow the 正本 (0: the 正本 alone).
    pub duplicates: u32,
    pub verification_code: String,
    pub stamp: Stamp,
    /// The PDF's fixed date (reprints are byte-identical).
    pub fixed_time: DateTime<Utc>,
    /// The revision's content hash: part of the PDF's identity.
    pub content_hash: String,
}

/// A bid is bound on its left edge (装订线): the text starts 28 mm in and ends 15 mm from the right.
pub const BINDING_LEFT: f32 = 28.0;
const BID_TEXT_WIDTH: f32 = PAGE_WIDTH - BINDING_LEFT - 15.0;

/// A canvas laid out for binding.
fn bound_canvas(fonts: &'static DocFonts) -> Canvas {
    let mut c = Canvas::new(fonts);
    c.left = BINDING_LEFT;
    c.text_width = BID_TEXT_WIDTH;
    c
}

/// The sections, in the order of the document and of its table of contents.
/// The order of 《标准施工招标文件》's 投标文件格式 and of goods tenders' templates: the letter and
/// the bidder's people first, then the bond, the prices, the deviations and the qualifications.
pub const SECTIONS: [&str; 12] = [
    "一、投标函",
    "二、法定代表人身份证明",
    "三、法定代表人授权委托书",
    "四、投标保证金",
    "五、开标一览表",
    "六、分项报价表",
    "七、技术偏离表",
    "八、商务偏离表",
    "九、售后服务承诺",
    "十、资格声明",
    "十一、业绩表",
    "十二、资格证明文件",
];

/// The section of the certificate scans (the last).
pub const QUALIFICATIONS: usize = SECTIONS.len() - 1;

/// The rendered bid and where things are in it (for the window and the tests).
#[derive(Debug, Clone)]
pub struct RenderedBid {
    pub pdf: RenderedPdf,
    /// Pages in each volume (正本 and every 副本 have the same number).
    pub pages_per_volume: usize,
    /// The first page (within a volume, from 1) of each of [`SECTIONS`].
    pub section_pages: Vec<usize>,
    /// The page of each qualification attachment, in order.
    pub attachment_pages: Vec<usize>,
    /// The pages (within a volume) that carry the seal, or its 盖章处 box when issued.
    pub sealed_pages: Vec<usize>,
}

/// Where sections start, learnt by a pass.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Layout {
    sections: Vec<usize>,
    attachments: Vec<usize>,
    sealed: Vec<usize>,
    /// Pages in each volume.
    pub pages: usize,
}

fn watermark(stamp: &Stamp) -> Option<&'static str> {
    match stamp {
        Stamp::Draft => Some(DRAFT_WATERMARK),
        Stamp::ApprovedDraft => Some(UNISSUED_WATERMARK),
        Stamp::Seal(_) | Stamp::StampBox => None,
    }
}

fn money(m: crate::domain::money::Money) -> String {
    format!("¥{m}")
}

impl BidDoc {
    /// Every piece of text the document prints, with where it comes from (for the glyph check).
    fn texts(&self) -> Vec<(String, String)> {
        let c = &self.company;
        let mut out: Vec<(String, String)> = vec![
            ("公司名称".into(), c.name.clone()),
            ("公司地址".into(), c.address.clone()),
            ("法定代表人".into(), c.legal_representative.clone()),
            ("开户银行".into(), c.bank_name.clone()),
            ("采购人".into(), self.purchaser.clone()),
            ("项目名称".into(), self.project.clone()),
            ("招标编号".into(), self.tender_no.clone()),
            ("标段".into(), self.lot.clone()),
            ("委托代理人".into(), self.agent_name.clone()),
            ("委托代理人身份证号码".into(), self.agent_id_number.clone()),
            ("法定代表人职务".into(), c.legal_rep_title.clone()),
            ("法定代表人身份证号码".into(), c.legal_rep_id_number.clone()),
            ("银行账号".into(), c.bank_account.clone()),
            ("售后服务承诺".into(), self.after_sales.clone()),
            ("付款方式".into(), self.content.terms.payment_schedule.clone()),
            ("备注".into(), self.content.notes.clone()),
        ];
        out.extend(super::line_texts(&self.content.lines).into_iter().map(|(f, t)| (f, t.to_string())));
        for r in &self.content.responses {
            let at = format!("条款 {}", r.clause_no);
            out.push((at.clone(), format!("{}{}{}{}", r.clause_no, r.requirement, r.response, r.note)));
        }
        for cert in &self.certificates {
            out.push(("资质证书".into(), format!("{}{}{}{}", cert.name, cert.kind, cert.number, cert.issuer)));
        }
        for r in &self.references {
            out.push(("业绩表".into(), format!("{}{}{}{}", r.customer_name, r.project, r.products, r.contact)));
        }
        out
    }
}

/// Characters the font lacks, named with the field they are in: checked before anything is drawn.
pub fn check_coverage(fonts: &DocFonts, doc: &BidDoc) -> Result<(), DocError> {
    super::check_fields(fonts, doc.texts())
}

/// Renders the 投标书: the 正本 and `doc.duplicates` 副本 in one PDF. The same `doc` gives the
/// same bytes.
pub fn render(fonts: &'static DocFonts, doc: &BidDoc) -> Result<RenderedBid, DocError> {
    let (drawn, meta, layout) = draw(fonts, doc)?;
    let bytes = save(fonts, drawn, &meta)?;
    Ok(RenderedBid {
        pdf: RenderedPdf { bytes, pdf_id: document_id(&meta.identity) },
        pages_per_volume: layout.pages,
        section_pages: layout.sections,
        attachment_pages: layout.attachments,
        sealed_pages: layout.sealed,
    })
}

/// Lays out the 投标书 (the 正本 and `doc.duplicates` 副本) without writing the PDF: the pages, what
/// the PDF says about itself, and where each volume's sections landed.
pub fn draw(fonts: &'static DocFonts, doc: &BidDoc) -> Result<(Drawn, Meta, Layout), DocError> {
    check_coverage(fonts, doc)?;
    // Pass 1: where the sections start (the contents printed with blank numbers).
    let mut layout = {
        let mut c = bound_canvas(fonts);
        draw_volume(&mut c, doc, 0, None)?
    };
    // Pass 2 draws with those numbers; a third only if they moved anything, which they should not.
    let mut c = bound_canvas(fonts);
    let mut drawn = draw_volume(&mut c, doc, 0, Some(&layout))?;
    let mut passes = 2;
    while drawn != layout {
        if passes == 3 {
            return Err(DocError::Write("目录页码无法确定".into()));
        }
        layout = drawn;
        c = bound_canvas(fonts);
        drawn = draw_volume(&mut c, doc, 0, Some(&layout))?;
        passes += 1;
    }
    for copy in 1..=doc.duplicates {
        let again = draw_volume(&mut c, doc, copy, Some(&layout))?;
        if again != layout {
            return Err(DocError::Write("副本与正本的页码不一致".into()));
        }
    }
    let riding_seal = match (&doc.stamp, doc.riding_seal) {
        (Stamp::Seal(png), true) => Some(std::sync::Arc::<[u8]>::from(png.as_slice())),
        _ => None,
    };
    let state = match (&doc.stamp, riding_seal.is_some()) {
        (Stamp::Draft | Stamp::ApprovedDraft, _) => "draft",
        (Stamp::StampBox, _) => "issued-box",
        (Stamp::Seal(_), false) => "issued",
        (Stamp::Seal(_), true) => "issued-riding",
    };
    let finish = Finish {
        footer_left: format!("验证码 {}", doc.verification_code),
        footer_right: format!("{} V{}", doc.number, doc.revision),
        watermark: watermark(&doc.stamp).map(str::to_string),
        riding_seal,
    };
    let drawn = c.finish(&finish)?;
    let identity = format!("{}:{}:{}:{state}:{}", doc.number, doc.revision, doc.content_hash, doc.duplicates);
    let meta = Meta {
        title: format!("投标文件 {} V{} {}", doc.number, doc.revision, doc.project),
        author: doc.company.name.clone(),
        subject: format!("{} 招标编号 {}", doc.purchaser, doc.tender_no),
        date: doc.fixed_time,
        identity,
    };
    Ok((drawn, meta, layout))
}

/// `正本`, `副本 1` …
pub fn volume_label(copy: u32) -> String {
    if copy == 0 { "正本".into() } else { format!("副本 {copy}") }
}

/// Draws one volume (copy 0 = 正本) and returns where its sections landed.
fn draw_volume(c: &mut Canvas, doc: &BidDoc, copy: u32, toc: Option<&Layout>) -> Result<Layout, DocError> {
    let mut layout = Layout::default();
    c.running_header = String::new();
    c.start_volume(Some(format!("{} V{}　{}", doc.number, doc.revision, volume_label(copy))));
    let first_page = c.page_number();
    cover(c, doc, copy)?;
    layout.sealed.push(c.page_in_volume());
    c.running_header = format!("{}　投标文件　{}　{}", doc.company.name, doc.project, volume_label(copy));

    c.new_page();
    contents(c, doc, toc);

    let section = |c: &mut Canvas, layout: &mut Layout, i: usize| {
        c.new_page();
        layout.sections.push(c.page_in_volume());
        heading(c, SECTIONS[i]);
    };
    // Every section but the certificate copies ends signed and sealed.
    let sections: [SectionFn; QUALIFICATIONS] = [
        letter,
        identity,
        authorisation,
        bond,
        schedule,
        items,
        |c, d| deviations(c, d, ClauseKind::Technical),
        |c, d| deviations(c, d, ClauseKind::Commercial),
        after_sales,
        declaration,
        references,
    ];
    for (i, draw) in sections.iter().enumerate() {
        section(c, &mut layout, i);
        draw(c, doc)?;
        layout.sealed.push(c.page_in_volume());
    }

    section(c, &mut layout, QUALIFICATIONS);
    qualifications(c, doc, &mut layout)?;
    layout.pages = c.page_number() - first_page + 1;
    layout.sealed.dedup();
    Ok(layout)
}

type SectionFn = fn(&mut Canvas, &BidDoc) -> Result<(), DocError>;

/// A section title, centred, with room below.
fn heading(c: &mut Canvas, title: &str) {
    let style = Style::bold(16.0);
    c.y += 4.0;
    c.text_in(c.left, c.text_width, c.y, title, style, Align::Center);
    c.y += style.line_height() + 5.0;
}

/// The cover: 正本/副本 box, project, 投 标 文 件, the tender's particulars, the bidder with the seal.
fn cover(c: &mut Canvas, doc: &BidDoc, copy: u32) -> Result<(), DocError> {
    // 正本 / 副本 n in a box at the top right, as the print room stamps it.
    let label = volume_label(copy);
    let label_style = Style::bold(18.0).with_color(if copy == 0 { SEAL_RED } else { Rgb8(0x1a, 0x1a, 0x1a) });
    let box_w = 38.0;
    let box_x = PAGE_WIDTH - 18.0 - box_w;
    c.rect(box_x, 22.0, box_w, 14.0, Some((1.2, label_style.color)), None);
    c.text_in(box_x, box_w, 22.0 + (14.0 - label_style.line_height()) / 2.0, &label, label_style, Align::Center);

    let project_style = Style::bold(18.0);
    c.y = 62.0;
    for line in c.wrap(&doc.project, c.text_width - 20.0, project_style) {
        c.text_in(c.left, c.text_width, c.y, &line, project_style, Align::Center);
        c.y += project_style.line_height();
    }
    if !doc.lot.is_empty() {
        let lot = Style::regular(13.0);
        c.text_in(c.left, c.text_width, c.y + 1.0, &format!("（{}）", doc.lot), lot, Align::Center);
        c.y += lot.line_height() + 1.0;
    }

    let title = Style::bold(40.0);
    let top = 112.0_f32.max(c.y + 14.0);
    c.text_in(c.left, c.text_width, top, "投 标 文 件", title, Align::Center);
    let rule_y = top + title.line_height() + 3.0;
    c.hline(c.left + 30.0, PAGE_WIDTH - c.left - 30.0, rule_y, 1.4, SEAL_RED);
    c.hline(c.left + 30.0, PAGE_WIDTH - c.left - 30.0, rule_y + 1.0, 0.4, SEAL_RED);

    let style = Style::regular(13.0);
    let lh = style.line_height() + 3.5;
    let x = c.left + 22.0;
    let w = c.text_width - 44.0;
    c.y = rule_y + 22.0;
    let mut rows: Vec<(&str, String)> =
        vec![("招标编号：", doc.tender_no.clone()), ("采 购 人：", doc.purchaser.clone())];
    if !doc.lot.is_empty() {
        rows.push(("标段（包）：", doc.lot.clone()));
    }
    rows.push(("文件编号：", format!("{} V{}", doc.number, doc.revision)));
    for (label, value) in rows {
        c.labelled(x, w, label, &value, style);
        c.y += 3.5;
    }

    // The signature line, then the bidder with the seal over its name, clear of the signature.
    let sign_top = 214.0_f32.max(c.y + 10.0);
    c.text(x, sign_top, "法定代表人或其委托代理人：＿＿＿＿＿＿＿＿（签字）", style);
    let bidder_top = sign_top + SEAL_CLEARANCE;
    c.text(x, bidder_top, &format!("投 标 人：{}（盖章）", doc.company.name), style);
    c.text(x, bidder_top + lh, &format!("日　　期：{}", cn_date(doc.date)), style);
    let name_w = c.width("投 标 人：", style);
    let seal_x = x + name_w + c.width(&doc.company.name, style) / 2.0 - 21.0;
    seal(c, doc, seal_x, bidder_top - 16.0)?;
    c.y = PAGE_HEIGHT - 30.0;
    Ok(())
}

/// The seal (issued), the 盖章处 box (issued, no seal image), or nothing (a draft), 42 mm wide
/// with its top-left at (x, y).
fn seal(c: &mut Canvas, doc: &BidDoc, x: f32, y: f32) -> Result<(), DocError> {
    let size = 42.0;
    match &doc.stamp {
        Stamp::Draft | Stamp::ApprovedDraft => {}
        Stamp::Seal(png) => c.image_keyed("seal", png, x, y, size, size)?,
        Stamp::StampBox => {
            c.rect(x + 5.0, y + 5.0, size - 10.0, size - 10.0, Some((0.6, Rgb8(0x99, 0x99, 0x99))), None);
            // The label at the top of the box: the bidder's name runs through its middle.
            c.text_in(x, size, y + 6.5, "盖章处", Style::regular(10.0).with_color(GREY), Align::Center);
        }
    }
    Ok(())
}

/// 目录: each section with dotted leaders to its page; the attachments under 资格证明文件.
fn contents(c: &mut Canvas, doc: &BidDoc, toc: Option<&Layout>) {
    heading(c, "目　　录");
    c.y += 4.0;
    let style = Style::regular(12.0);
    let small = Style::regular(10.5);
    let page = |n: Option<usize>| n.map(|n| n.to_string()).unwrap_or_default();
    let mut entries: Vec<(String, String, Style, f32)> = Vec::new();
    for (i, title) in SECTIONS.iter().enumerate() {
        entries.push((title.to_string(), page(toc.and_then(|t| t.sections.get(i).copied())), style, 0.0));
        if i == QUALIFICATIONS {
            for (k, cert) in doc.certificates.iter().enumerate() {
                let n = page(toc.and_then(|t| t.attachments.get(k).copied()));
                entries.push((format!("附件 {}　{}", k + 1, cert.name), n, small, 8.0));
            }
        }
    }
    for (title, number, style, indent) in entries {
        let lh = style.line_height() + if indent > 0.0 { 1.2 } else { 3.0 };
        c.ensure(lh);
        let x = c.left + 10.0 + indent;
        let right = c.left + c.text_width - 10.0;
        // The title is cut to one line so the numbers can never move the pages they point to.
        let max_title = right - x - 20.0;
        let title = c.wrap(&title, max_title, style).into_iter().next().unwrap_or_default();
        c.text(x, c.y, &title, style);
        let tw = c.width(&title, style);
        // Page numbers are at most 4 digits: reserve their width whether known yet or not.
        let nw = c.width("0000", style);
        c.text_in(right - nw, nw, c.y, &number, style, Align::Right);
        let dot = c.width("·", style);
        let (from, to) = (x + tw + 2.0, right - nw - 1.0);
        if to > from {
            let n = ((to - from) / dot) as usize;
            c.text_in(from, to - from, c.y, &"·".repeat(n), style.with_color(GREY), Align::Right);
        }
        c.y += lh;
    }
}

/// How far below the last （签字） line the bidder's sealed name sits: the 42 mm seal centred on
/// the name (its top 16 mm above the baseline) stays clear of the signature lines.
const SEAL_CLEARANCE: f32 = 24.0;

/// Signature block at the right: the （签字） lines, then `投标人（盖章）：…` with the seal over the
/// name (or the 盖章处 box; nothing on a draft) and the date. The seal never covers a （签字） line.
fn sign_block(c: &mut Canvas, doc: &BidDoc, signers: &[&str]) -> Result<(), DocError> {
    let style = Style::regular(11.0);
    let lh = style.line_height() + 2.5;
    c.ensure(10.0 + signers.len() as f32 * lh + SEAL_CLEARANCE + 2.0 * lh + 12.0);
    let x = c.left + c.text_width * 0.38;
    let mut y = c.y + 8.0;
    for s in signers {
        c.text(x, y, &format!("{s}：＿＿＿＿＿＿"), style);
        y += lh;
    }
    let name_y = y - lh + SEAL_CLEARANCE;
    c.text(x, name_y, &format!("投标人（盖章）：{}", doc.company.name), style);
    c.text(x, name_y + lh, &format!("日期：{}", cn_date(doc.date)), style);
    let label_w = c.width("投标人（盖章）：", style);
    let sx = x + label_w + c.width(&doc.company.name, style) / 2.0 - 21.0;
    seal(c, doc, sx, name_y - 16.0)?;
    c.y = name_y + 2.0 * lh + 12.0;
    Ok(())
}

/// A paragraph indented by two characters, as Chinese letters are written.
fn body(c: &mut Canvas, text: &str, style: Style) {
    c.paragraph(c.left, c.text_width, &format!("　　{text}"), style);
    c.y += 1.5;
}

/// 一、投标函
fn letter(c: &mut Canvas, doc: &BidDoc) -> Result<(), DocError> {
    let style = Style::regular(11.0);
    let t = &doc.content.terms;
    let f = &doc.figures;
    c.text(c.left, c.y, &format!("致：{}", doc.purchaser), Style::bold(11.5));
    c.y += style.line_height() + 2.0;
    let lot = if doc.lot.is_empty() { String::new() } else { format!("，{}", doc.lot) };
    let copies = match doc.duplicates {
        0 => "正本一份".to_string(),
        n => format!("正本一份、副本{n}份"),
    };
    body(
        c,
        &format!(
            "根据贵方{}（招标编号：{}{lot}）的招标文件，我方经详细研究，决定参加投标。正式授权{}代表我方{}，\
             提交投标文件{copies}，并宣布同意如下：",
            doc.project, doc.tender_no, doc.agent_name, doc.company.name
        ),
        style,
    );
    // The VAT as the lines carry it: one rate, or each rate.
    let rates: Vec<String> = doc.content.totals().by_rate.iter().map(|b| format!("{}", b.rate)).collect();
    let vat = match rates.len() {
        0 => "增值税".to_string(),
        _ => format!("{}增值税", rates.join("、")),
    };
    let mut items = vec![
        format!(
            "我方愿以投标总价人民币（大写）{}（小写：{}）按招标文件的要求提供全部货物及服务，报价已含{vat}。",
            f.letter_upper,
            money(f.letter_total)
        ),
        format!("我方承诺在合同生效后 {} 天内交货；质保期为验收合格之日起 {} 个月。", t.delivery_days, t.warranty_months),
        format!(
            "本投标文件的有效期为自投标截止之日起 {} 天。在投标有效期内我方不撤销投标文件，本投标文件对我方始终具有约束力，并可能在期满前被接受。",
            t.validity_days
        ),
        "我方已详细审查全部招标文件，包括修改文件（如有）及全部参考资料和有关附件，完全理解并同意放弃对这方面有不明及误解的权利；除偏离表所列偏离外，我方响应招标文件的全部要求。".into(),
        "我方所递交的投标文件及有关资料内容完整、真实和准确。".into(),
        "如我方中标，我方承诺按招标文件的规定签订合同、履行合同责任和义务，并按规定交纳履约保证金（如有）；中标后不提出附加条件。".into(),
        "我方同意提供贵方可能要求的与本投标有关的一切数据或资料，并理解贵方不一定接受最低价的投标。".into(),
    ];
    if let Some(b) = &doc.bond {
        items.insert(3, bond_sentence(b));
    }
    for (i, item) in items.iter().enumerate() {
        numbered(c, i + 1, item, style);
    }
    numbered(c, items.len() + 1, "与本投标有关的一切正式往来通讯请寄：", style);
    let co = &doc.company;
    let mut contact = Vec::new();
    if !co.address.is_empty() {
        contact.push(format!("地址：{}", co.address));
    }
    let mut phones = Vec::new();
    if !co.phone.is_empty() {
        phones.push(format!("电话：{}", co.phone));
    }
    if !co.fax.is_empty() {
        phones.push(format!("传真：{}", co.fax));
    }
    if !phones.is_empty() {
        contact.push(phones.join("　"));
    }
    contact.push(format!("委托代理人：{}　电话：{}", doc.agent_name, doc.agent_phone));
    if !doc.agent_email.is_empty() {
        contact.push(format!("电子邮箱：{}", doc.agent_email));
    }
    if !co.bank_name.is_empty() {
        contact.push(format!("开户银行：{}　账号：{}", co.bank_name, co.bank_account));
    }
    let indent = c.width("　　8. ", style);
    for line in contact {
        c.paragraph(c.left + indent, c.text_width - indent, &line, style);
    }
    sign_block(c, doc, &["法定代表人或委托代理人（签字）"])
}

/// Boxes side by side, `h` mm high, where copies are pasted (ID cards, a receipt): each with its
/// label and `caption` in grey.
fn paste_boxes(c: &mut Canvas, labels: &[&str], caption: &str, h: f32) {
    c.ensure(h + 4.0);
    let n = labels.len().max(1) as f32;
    let w = (c.text_width - 8.0 * (n - 1.0)) / n;
    let s = Style::regular(9.5).with_color(GREY);
    for (i, label) in labels.iter().enumerate() {
        let x = c.left + i as f32 * (w + 8.0);
        c.rect(x, c.y, w, h, Some((0.6, Rgb8(0x99, 0x99, 0x99))), None);
        c.text_in(x, w, c.y + h / 2.0 - 3.0, label, s, Align::Center);
        c.text_in(x, w, c.y + h / 2.0 + 2.0, caption, s, Align::Center);
    }
    c.y += h;
}

/// Full years from `born` to `on`.
fn age(born: NaiveDate, on: NaiveDate) -> i32 {
    use chrono::Datelike;
    let mut years = on.year() - born.year();
    if (on.month(), on.day()) < (born.month(), born.day()) {
        years -= 1;
    }
    years
}

/// `text`, or a blank line to fill in by hand when nothing was entered.
fn or_blank(text: &str, blank: &str) -> String {
    if text.trim().is_empty() { blank.to_string() } else { text.to_string() }
}

/// The 投标函's sentence on the bond, as templates word it.
fn bond_sentence(b: &BidBond) -> String {
    let upper = crate::domain::rmb::rmb_uppercase(b.amount).unwrap_or_default();
    match &b.form {
        Some(form) => format!(
            "我方已按招标文件的规定提交投标保证金人民币（大写）{upper}（小写：{}），形式为{form}。",
            money(b.amount)
        ),
        None => format!("我方将按招标文件的规定提交投标保证金人民币（大写）{upper}（小写：{}）。", money(b.amount)),
    }
}

/// 二、法定代表人身份证明: who the legal representative is, from the company profile.
fn identity(c: &mut Canvas, doc: &BidDoc) -> Result<(), DocError> {
    let style = Style::regular(11.5);
    let co = &doc.company;
    let rows = [
        ("投标人名称：", co.name.clone()),
        ("单位性质：", or_blank(&co.company_type, "＿＿＿＿＿＿")),
        ("地　　址：", co.address.clone()),
        ("成立时间：", co.founded_on.map(cn_date).unwrap_or_else(|| "＿＿＿＿年＿＿月＿＿日".into())),
        ("经营期限：", or_blank(&co.business_term, "＿＿＿＿＿＿")),
        ("统一社会信用代码：", co.credit_code.clone()),
        ("姓　　名：", or_blank(&co.legal_representative, "＿＿＿＿＿＿")),
        ("性　　别：", or_blank(co.legal_rep_gender.map(|g| g.label()).unwrap_or_default(), "＿＿＿")),
        (
            "出生日期：",
            co.legal_rep_birth
                .map(|b| format!("{}（{}岁）", cn_date(b), age(b, doc.date)))
                .unwrap_or_else(|| "＿＿＿＿年＿＿月＿＿日".into()),
        ),
        ("职　　务：", or_blank(&co.legal_rep_title, "＿＿＿＿＿＿")),
        ("身份证号码：", or_blank(&co.legal_rep_id_number, "＿＿＿＿＿＿＿＿＿＿＿＿＿＿＿＿＿＿")),
    ];
    c.y += 2.0;
    for (label, value) in rows {
        c.labelled(c.left + 8.0, c.text_width - 8.0, label, &value, style);
        c.y += 2.5;
    }
    c.y += 3.0;
    let rep = or_blank(&co.legal_representative, "＿＿＿＿＿＿");
    body(c, &format!("{rep}系{}的法定代表人。", co.name), style);
    body(c, "特此证明。", style);
    c.y += 3.0;
    paste_boxes(c, &["法定代表人身份证（正面）", "法定代表人身份证（反面）"], "复印件粘贴处", 52.0);
    sign_block(c, doc, &[])
}

/// 四、投标保证金: the amount, the form, when it was paid, and the receipt or guarantee.
fn bond(c: &mut Canvas, doc: &BidDoc) -> Result<(), DocError> {
    let style = Style::regular(11.0);
    c.text(c.left, c.y, &format!("致：{}", doc.purchaser), Style::bold(11.5));
    c.y += style.line_height() + 2.0;
    let Some(b) = &doc.bond else {
        body(c, &format!("本项目（招标编号：{}）招标文件未要求提交投标保证金。", doc.tender_no), style);
        return sign_block(c, doc, &["法定代表人或委托代理人（签字）"]);
    };
    body(c, &format!("就{}（招标编号：{}）的投标，{}", doc.project, doc.tender_no, bond_sentence(b)), style);
    let upper = crate::domain::rmb::rmb_uppercase(b.amount).unwrap_or_default();
    let rows = vec![
        vec!["保证金金额".into(), format!("{}（人民币{upper}）", money(b.amount))],
        vec!["缴纳形式".into(), b.form.clone().unwrap_or_else(|| "＿＿＿＿＿＿".into())],
        vec!["缴纳日期".into(), b.paid_on.map(cn_date).unwrap_or_else(|| "＿＿＿＿年＿＿月＿＿日".into())],
        vec!["缴纳单位".into(), doc.company.name.clone()],
        vec!["汇出银行及账号".into(), format!("{}　{}", doc.company.bank_name, doc.company.bank_account)],
    ];
    let columns = [Column::new("项　目", 44.0, Align::Center), Column::new("内　容", c.text_width - 44.0, Align::Left)];
    c.table(&columns, &rows, style);
    c.y += 4.0;
    body(c, "我方承诺：若有招标文件规定的没收投标保证金的情形，我方同意贵方没收上述投标保证金。", style);
    c.y += 2.0;
    let label =
        if b.form.as_deref() == Some("银行保函") { "保函复印件" } else { "缴纳凭证（银行回单）" };
    match &b.receipt {
        Some(scan) => {
            let (pw, ph) = Canvas::image_size(scan)?;
            let w = c.text_width * 0.8;
            let h = (w * ph as f32 / pw.max(1) as f32).min(100.0);
            c.ensure(h + 10.0);
            c.text(c.left, c.y, &format!("附：{label}"), Style::bold(10.5));
            c.y += 6.0;
            c.image(scan, c.left + (c.text_width - w) / 2.0, c.y, w, h)?;
            c.y += h + 2.0;
        }
        None => {
            c.ensure(54.0);
            c.text(c.left, c.y, &format!("附：{label}"), Style::bold(10.5));
            c.y += 6.0;
            paste_boxes(c, &[label], "复印件粘贴处", 44.0);
        }
    }
    sign_block(c, doc, &["法定代表人或委托代理人（签字）"])
}

/// 十、资格声明: the bidder meets the conditions of 《政府采购法》第二十二条 and the usual
/// integrity undertakings tenders ask for.
fn declaration(c: &mut Canvas, doc: &BidDoc) -> Result<(), DocError> {
    let style = Style::regular(11.0);
    c.text(c.left, c.y, &format!("致：{}", doc.purchaser), Style::bold(11.5));
    c.y += style.line_height() + 2.0;
    body(
        c,
        &format!("我方参加贵方组织的{}（招标编号：{}）投标活动，现郑重声明如下：", doc.project, doc.tender_no),
        style,
    );
    let items = [
        "我方具有独立承担民事责任的能力；",
        "我方具有良好的商业信誉和健全的财务会计制度；",
        "我方具有履行合同所必需的设备和专业技术能力；",
        "我方有依法缴纳税收和社会保障资金的良好记录；",
        "参加本次投标活动前三年内，我方在经营活动中没有重大违法记录；",
        "我方未被列入“信用中国”网站失信被执行人名单、重大税收违法失信主体名单，未被列入中国政府采购网政府采购严重违法失信行为记录名单；",
        "我方与其他投标人不存在单位负责人为同一人或者存在直接控股、管理关系的情形；",
        "我方未为本项目提供整体设计、规范编制或者项目管理、监理、检测等服务；",
        "本投标文件所附资格证明文件及业绩均真实有效。",
    ];
    for (i, item) in items.iter().enumerate() {
        numbered(c, i + 1, item, style);
    }
    body(c, "我方对上述声明的真实性负责。如有虚假，我方愿意承担由此产生的一切法律责任。", style);
    sign_block(c, doc, &["法定代表人或委托代理人（签字）"])
}

/// `n. text`, hanging.
fn numbered(c: &mut Canvas, n: usize, text: &str, style: Style) {
    let number = format!("　　{n}. ");
    let nw = c.width(&number, style);
    c.ensure(style.line_height());
    c.text(c.left, c.y, &number, style);
    c.paragraph(c.left + nw, c.text_width - nw, text, style);
    c.y += 1.2;
}

/// 二、法定代表人授权委托书: the legal representative authorises the bid's author.
fn authorisation(c: &mut Canvas, doc: &BidDoc) -> Result<(), DocError> {
    let style = Style::regular(11.0);
    let rep = if doc.company.legal_representative.is_empty() {
        "＿＿＿＿".to_string()
    } else {
        doc.company.legal_representative.clone()
    };
    body(
        c,
        &format!(
            "本人{rep}系{}的法定代表人，现委托{}为我方代理人。代理人根据授权，以我方名义签署、澄清、说明、补正、递交、\
             撤回、修改{}（招标编号：{}）投标文件、签订合同和处理有关事宜，其法律后果由我方承担。",
            doc.company.name, doc.agent_name, doc.project, doc.tender_no
        ),
        style,
    );
    body(c, "代理人无转委托权。特此委托。", style);
    c.y += 3.0;
    let rows = [
        (
            "法定代表人：",
            format!(
                "{rep}　　身份证号码：{}",
                or_blank(&doc.company.legal_rep_id_number, "＿＿＿＿＿＿＿＿＿＿＿＿＿＿＿＿＿＿")
            ),
        ),
        ("委托代理人：", format!("{}　　性别：{}", doc.agent_name, or_blank(&doc.agent_gender, "＿＿＿"))),
        ("身份证号码：", or_blank(&doc.agent_id_number, "＿＿＿＿＿＿＿＿＿＿＿＿＿＿＿＿＿＿")),
        ("联系电话：", doc.agent_phone.clone()),
        ("电子邮箱：", doc.agent_email.clone()),
        ("统一社会信用代码：", doc.company.credit_code.clone()),
        ("委托期限：", format!("自 {} 起至本项目投标有效期满止", cn_date(doc.date))),
    ];
    for (label, value) in rows.iter().filter(|(_, v)| !v.is_empty()) {
        c.labelled(c.left + 8.0, c.text_width - 8.0, label, value, style);
        c.y += 1.5;
    }
    // Where the two ID cards are pasted.
    c.y += 4.0;
    paste_boxes(c, &["法定代表人身份证复印件（正反面）", "委托代理人身份证复印件（正反面）"], "粘贴处", 48.0);
    sign_block(c, doc, &["法定代表人（签字）", "委托代理人（签字）"])
}

/// 三、开标一览表: one table of the figures read aloud at the opening.
fn schedule(c: &mut Canvas, doc: &BidDoc) -> Result<(), DocError> {
    let t = &doc.content.terms;
    let f = &doc.figures;
    let mut rows: Vec<Vec<String>> = vec![
        vec!["投标人名称".into(), doc.company.name.clone()],
        vec!["项目名称".into(), doc.project.clone()],
        vec!["招标编号".into(), doc.tender_no.clone()],
    ];
    if !doc.lot.is_empty() {
        rows.push(vec!["标段（包）".into(), doc.lot.clone()]);
    }
    rows.extend([
        vec!["投标总价（小写）".into(), money(f.schedule_total)],
        vec!["投标总价（大写）".into(), format!("人民币{}", f.schedule_upper)],
        vec!["交货期".into(), format!("合同生效后 {} 天内", t.delivery_days)],
        vec!["质保期".into(), format!("验收合格之日起 {} 个月", t.warranty_months)],
        vec!["投标有效期".into(), format!("投标截止之日起 {} 天", t.validity_days)],
        vec!["付款方式".into(), t.payment_schedule.clone()],
    ]);
    if let Some(b) = &doc.bond {
        let how = match (&b.form, b.paid_on) {
            (Some(form), Some(on)) => format!("（{form}，{}已缴）", cn_date(on)),
            (Some(form), None) => format!("（{form}）"),
            _ => String::new(),
        };
        rows.push(vec!["投标保证金".into(), format!("{}{how}", money(b.amount))]);
    }
    rows.extend([vec!["备注".into(), "投标总价为含税价，含货物、运输、保险、安装指导、调试及培训等全部费用。".into()]]);
    let columns = [Column::new("项　目", 44.0, Align::Center), Column::new("内　容", c.text_width - 44.0, Align::Left)];
    c.table(&columns, &rows, Style::regular(11.0));
    c.y += 2.0;
    c.paragraph(
        c.left,
        c.text_width,
        "注：开标一览表的投标总价应与投标函、分项报价表合计一致；大写金额与小写金额不一致的，以大写金额为准。",
        Style::regular(9.0).with_color(GREY),
    );
    sign_block(c, doc, &["法定代表人或委托代理人（签字）"])
}

/// The brand and maker of a line: a technical parameter 品牌 / 制造商 (or 生产厂家) if the line has
/// one, else our own.
fn brand_and_maker(doc: &BidDoc, line: &crate::domain::quote::QuoteLine) -> (String, String) {
    let param = |keys: &[&str]| line.params.iter().find(|p| keys.contains(&p.key.trim())).map(|p| p.value.clone());
    let ours = doc.company.name.trim_end_matches("（演示）").to_string();
    let short =
        ours.strip_prefix("苏州").unwrap_or(&ours).trim_end_matches("有限公司").trim_end_matches("设备").to_string();
    let brand = param(&["品牌"]).unwrap_or(short);
    let maker = param(&["制造商", "生产厂家", "生产厂商"]).unwrap_or(ours);
    (brand, maker)
}

/// 四、分项报价表: every line, the 合计 and the total in 大写. When every line has the same brand and
/// maker (our own make), they are stated once above the table and their columns give 型号规格 the
/// room; 备注 is a column only when a line has one.
fn items(c: &mut Canvas, doc: &BidDoc) -> Result<(), DocError> {
    const NAME: usize = 1;
    const BRAND: usize = 2;
    const MODEL: usize = 3;
    const MAKER: usize = 4;
    const AMOUNT: usize = 8;
    const NOTE: usize = 9;
    let all = [
        Column::new("序号", 8.0, Align::Center),
        Column::new("货物名称", 0.0, Align::Left),
        Column::new("品牌", 16.0, Align::Center),
        Column::new("型号规格", 0.0, Align::Left),
        Column::new("制造商", 0.0, Align::Left),
        Column::new("数量", 11.0, Align::Right),
        Column::new("单位", 8.0, Align::Center),
        Column::new("单价(元)", 19.0, Align::Right),
        Column::new("金额(元)", 21.0, Align::Right),
        Column::new("备注", 16.0, Align::Left),
    ];
    let f = &doc.figures;
    let makers: Vec<(String, String)> = doc.content.lines.iter().map(|l| brand_and_maker(doc, l)).collect();
    let one_maker = makers.first().filter(|first| makers.iter().all(|m| m == *first)).cloned();
    let notes = doc.content.lines.iter().any(|l| !l.note.trim().is_empty());
    let keep: Vec<usize> = (0..all.len())
        .filter(|i| !(one_maker.is_some() && [BRAND, MAKER].contains(i)) && (notes || *i != NOTE))
        .collect();
    let mut columns: Vec<Column> = keep.iter().map(|i| all[*i].clone()).collect();
    let flexible = c.text_width - columns.iter().map(|c| c.width).sum::<f32>();
    let weights = |i: usize| match (i, one_maker.is_some()) {
        (NAME, true) => 0.42,
        (MODEL, true) => 0.58,
        (NAME, false) => 0.36,
        (MODEL, false) => 0.38,
        (MAKER, false) => 0.26,
        _ => 0.0,
    };
    for (col, i) in columns.iter_mut().zip(&keep) {
        if col.width == 0.0 {
            col.width = flexible * weights(*i);
        }
    }
    let mut rows: Vec<Vec<String>> = doc
        .content
        .lines
        .iter()
        .zip(&f.items)
        .zip(makers)
        .enumerate()
        .map(|(i, ((l, amount), (brand, maker)))| {
            let mut model = l.model.clone();
            let shown: Vec<String> = l
                .params
                .iter()
                .filter(|p| !["品牌", "制造商", "生产厂家", "生产厂商"].contains(&p.key.trim()))
                .map(|p| format!("{}：{}", p.key, p.value))
                .collect();
            if !shown.is_empty() {
                model = if model.is_empty() { shown.join("；") } else { format!("{model}\n{}", shown.join("；")) };
            }
            // The price actually bid per unit, after the discount, written so it multiplies out.
            let unit_price = crate::domain::money::net_unit_price_text(l.unit_price, l.discount);
            let cells = [
                (i + 1).to_string(),
                l.name.clone(),
                brand,
                model,
                maker,
                l.quantity.to_string(),
                l.unit.clone(),
                unit_price,
                amount.to_string(),
                l.note.clone(),
            ];
            keep.iter().map(|k| cells[*k].clone()).collect()
        })
        .collect();
    let mut total = vec![String::new(); columns.len()];
    if let Some(at) = keep.iter().position(|k| *k == NAME) {
        total[at] = "合计".into();
    }
    if let Some(at) = keep.iter().position(|k| *k == AMOUNT) {
        total[at] = f.items_total.to_string();
    }
    rows.push(total);
    if let Some((brand, maker)) = &one_maker {
        c.paragraph(
            c.left,
            c.text_width,
            &format!("品牌：{brand}　　制造商：{maker}（以下各项均同）"),
            Style::regular(10.0),
        );
        c.y += 1.5;
    }
    c.table(&columns, &rows, Style::regular(8.5));
    let style = Style::bold(10.5);
    c.ensure(style.line_height() * 2.0 + 4.0);
    c.y += 2.0;
    c.paragraph(
        c.left,
        c.text_width,
        &format!("合计人民币（大写）：{}　　（小写）{}", f.schedule_upper, money(f.items_total)),
        style,
    );
    c.y += 1.0;
    let mut note =
        "注：1. 单价、金额均为含税价；有优惠的，单价为优惠后单价。2. 各行金额之和应与开标一览表投标总价一致。"
            .to_string();
    if !doc.content.notes.trim().is_empty() {
        note.push_str(&format!("3. {}", doc.content.notes.trim()));
    }
    c.paragraph(c.left, c.text_width, &note, Style::regular(9.0).with_color(GREY));
    sign_block(c, doc, &["法定代表人或委托代理人（签字）"])
}

/// 技术偏离表 / 商务偏离表 from the responses of that kind.
fn deviations(c: &mut Canvas, doc: &BidDoc, kind: ClauseKind) -> Result<(), DocError> {
    let responses: &[ClauseResponse] = &doc.content.responses;
    let mut columns = vec![
        Column::new("序号", 9.0, Align::Center),
        Column::new("条款号", 15.0, Align::Center),
        Column::new("招标文件要求", 0.0, Align::Left),
        Column::new("投标响应", 0.0, Align::Left),
        Column::new("偏离情况", 15.0, Align::Center),
        Column::new("说明", 0.0, Align::Left),
    ];
    let used: f32 = columns.iter().map(|c| c.width).sum();
    let flexible = c.text_width - used;
    columns[2].width = flexible * 0.38;
    columns[3].width = flexible * 0.38;
    columns[5].width = flexible * 0.24;
    let mine: Vec<&ClauseResponse> = responses.iter().filter(|r| r.kind == kind).collect();
    let what = if kind == ClauseKind::Technical { "技术" } else { "商务" };
    let rows: Vec<Vec<String>> = if mine.is_empty() {
        vec![vec![
            "1".into(),
            "—".into(),
            format!("招标文件全部{what}条款"),
            "完全响应".into(),
            "无偏离".into(),
            String::new(),
        ]]
    } else {
        mine.iter()
            .enumerate()
            .map(|(i, r)| {
                vec![
                    (i + 1).to_string(),
                    r.clause_no.clone(),
                    r.requirement.clone(),
                    r.response.clone(),
                    r.deviation.label().into(),
                    r.note.clone(),
                ]
            })
            .collect()
    };
    c.table(&columns, &rows, Style::regular(9.5));
    c.y += 2.0;
    c.paragraph(
        c.left,
        c.text_width,
        &format!("注：本表未列出的招标文件{what}条款，我方均完全响应、无偏离。"),
        Style::regular(9.0).with_color(GREY),
    );
    c.y += 2.0;
    let positive = mine.iter().filter(|r| r.deviation == crate::domain::quote::Deviation::Positive).count();
    let negative = mine.iter().filter(|r| r.deviation == crate::domain::quote::Deviation::Negative).count();
    c.paragraph(
        c.left,
        c.text_width,
        &format!("共 {} 条：正偏离 {positive} 条，负偏离 {negative} 条。", mine.len().max(1)),
        Style::regular(10.0),
    );
    sign_block(c, doc, &["法定代表人或委托代理人（签字）"])
}

/// 七、售后服务承诺: the admin's template with this bid's facts, one paragraph per line.
fn after_sales(c: &mut Canvas, doc: &BidDoc) -> Result<(), DocError> {
    let style = Style::regular(11.0);
    for para in doc.after_sales.lines().map(str::trim).filter(|p| !p.is_empty()) {
        body(c, para, style);
    }
    sign_block(c, doc, &["法定代表人或委托代理人（签字）"])
}

/// 八、业绩表: the supply references the bid lists, newest first as picked.
fn references(c: &mut Canvas, doc: &BidDoc) -> Result<(), DocError> {
    if doc.references.is_empty() {
        body(c, "（本投标未列同类业绩。）", Style::regular(11.0));
        return sign_block(c, doc, &["法定代表人或委托代理人（签字）"]);
    }
    let mut columns = vec![
        Column::new("序号", 9.0, Align::Center),
        Column::new("用户名称", 0.0, Align::Left),
        Column::new("项目名称", 0.0, Align::Left),
        Column::new("主要供货内容", 0.0, Align::Left),
        Column::new("合同金额（元）", 25.0, Align::Right),
        Column::new("签订日期", 20.0, Align::Center),
        Column::new("用户联系人及电话", 31.0, Align::Left),
    ];
    let flexible = c.text_width - columns.iter().map(|c| c.width).sum::<f32>();
    columns[1].width = flexible * 0.3;
    columns[2].width = flexible * 0.35;
    columns[3].width = flexible * 0.35;
    let rows: Vec<Vec<String>> = doc
        .references
        .iter()
        .enumerate()
        .map(|(i, r)| {
            vec![
                (i + 1).to_string(),
                r.customer_name.clone(),
                r.project.clone(),
                r.products.clone(),
                r.amount.to_string(),
                crate::domain::dates::cn_date(r.signed_on),
                r.contact.clone(),
            ]
        })
        .collect();
    c.table(&columns, &rows, Style::regular(9.0));
    c.y += 2.0;
    c.paragraph(
        c.left,
        c.text_width,
        &format!("共 {} 项。以上业绩均有合同原件备查。", doc.references.len()),
        Style::regular(10.0).with_color(GREY),
    );
    sign_block(c, doc, &["法定代表人或委托代理人（签字）"])
}

/// 九、资格证明文件: a list, then each scan on its own page under its caption.
fn qualifications(c: &mut Canvas, doc: &BidDoc, layout: &mut Layout) -> Result<(), DocError> {
    if doc.certificates.is_empty() {
        body(c, "（本投标未附资格证明文件。）", Style::regular(11.0));
        return Ok(());
    }
    let columns = [
        Column::new("附件", 11.0, Align::Center),
        Column::new("证书名称", 52.0, Align::Left),
        Column::new("证书编号", 37.0, Align::Left),
        Column::new("发证机关", 41.0, Align::Left),
        Column::new("有效期至", c.text_width - 141.0, Align::Center),
    ];
    let rows: Vec<Vec<String>> = doc
        .certificates
        .iter()
        .enumerate()
        .map(|(i, k)| {
            vec![(i + 1).to_string(), k.name.clone(), k.number.clone(), k.issuer.clone(), k.valid_until.clone()]
        })
        .collect();
    c.table(&columns, &rows, Style::regular(9.5));
    c.y += 2.0;
    c.paragraph(c.left, c.text_width, "以上证书复印件均与原件一致，原件备查。", Style::regular(10.0).with_color(GREY));
    for (i, k) in doc.certificates.iter().enumerate() {
        c.new_page();
        layout.attachments.push(c.page_in_volume());
        let caption = Style::bold(13.0);
        c.text(c.left, c.y, &format!("附件 {}：{}", i + 1, k.name), caption);
        c.y += caption.line_height() + 1.0;
        let mut facts = vec![format!("类别：{}", k.kind)];
        if !k.number.is_empty() {
            facts.push(format!("编号：{}", k.number));
        }
        if !k.issuer.is_empty() {
            facts.push(format!("发证机关：{}", k.issuer));
        }
        facts.push(format!("有效期至：{}", k.valid_until));
        c.paragraph(c.left, c.text_width, &facts.join("　"), Style::regular(9.5).with_color(GREY));
        c.y += 3.0;
        let (top, bottom) = (c.y, c.bottom() - 4.0);
        let h = bottom - top;
        c.rect(c.left, top, c.text_width, h, Some((0.4, RULE)), None);
        c.image_keyed(&format!("certificate-{i}"), &k.image, c.left + 3.0, top + 3.0, c.text_width - 6.0, h - 16.0)?;
        // A copy is valid with the bidder's seal on it: at its foot, under 与原件一致.
        let note = Style::regular(10.0);
        let nx = c.left + c.text_width - 60.0;
        c.text(nx, bottom - 8.0, "复印件与原件一致", note);
        seal(c, doc, nx + 4.0, bottom - 36.0)?;
        layout.sealed.push(c.page_in_volume());
        c.y = bottom;
    }
    Ok(())
}
