//! The 报价单 (formal quotation), DESIGN §5: letterhead, title, number and revision, customer and
//! salesperson, the priced table, totals with tax per rate and 人民币大写, terms, the seal (or a
//! 盖章处 box, or nothing on a draft) and a footer with page x / y and the verification code.

use chrono::{DateTime, NaiveDate, Utc};

use super::DocError;
use super::canvas::{
    Align, CONTENT_WIDTH, Canvas, Column, Drawn, Finish, GREY, MARGIN_LEFT, MARGIN_RIGHT, MARGIN_TOP, PAGE_WIDTH, RULE,
    Rgb8, SEAL_RED, Style,
};
use super::fonts::DocFonts;
use super::pdf::{Meta, document_id, save};
use crate::domain::company::CompanyProfile;
use crate::domain::dates::cn_date;
use crate::domain::money::TaxRate;
use crate::domain::quote::RevisionContent;
use crate::domain::rmb::rmb_uppercase;

/// What is printed where the company stamps.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Stamp {
    /// A draft: watermark 草稿 — 未经审批 on every page, no seal.
    Draft,
    /// An approved revision printed before it is issued: watermark 草稿 — 未用印发出, no seal.
    ApprovedDraft,
    /// An issued approved revision with the company's seal image (PNG/JPEG bytes).
    Seal(Vec<u8>),
    /// An issued approved revision, the office has no seal image: a 盖章处 box for the physical stamp.
    StampBox,
}

pub const DRAFT_WATERMARK: &str = "草稿 — 未经审批";
pub const UNISSUED_WATERMARK: &str = "草稿 — 未用印发出";

impl Stamp {
    fn watermark(&self) -> Option<&'static str> {
        match self {
            Stamp::Draft => Some(DRAFT_WATERMARK),
            Stamp::ApprovedDraft => Some(UNISSUED_WATERMARK),
            Stamp::Seal(_) | Stamp::StampBox => None,
        }
    }
}

/// Everything the 报价单 prints, gathered by the service.
#[derive(Debug, Clone)]
pub struct QuotationDoc {
    pub company: CompanyProfile,
    pub logo: Option<Vec<u8>>,
    /// BJ-2026-0001
    pub number: String,
    pub revision: u32,
    /// The quotation's date (the revision's approval date, or today's on a draft).
    pub date: NaiveDate,
    pub customer_name: String,
    pub customer_address: String,
    pub contact_name: String,
    pub contact_phone: String,
    pub subject: String,
    pub salesperson_name: String,
    pub salesperson_phone: String,
    pub salesperson_email: String,
    pub content: RevisionContent,
    /// Printed in the footer; the same on every print of the revision.
    pub verification_code: String,
    pub stamp: Stamp,
    /// The PDF's fixed date (reprints are byte-identical).
    pub fixed_time: DateTime<Utc>,
    /// The revision's content hash: the PDF's identity.
    pub content_hash: String,
}

impl QuotationDoc {
    pub fn valid_until(&self) -> NaiveDate {
        self.date + chrono::Days::new(u64::from(self.content.terms.validity_days))
    }

    /// Every piece of text the document prints, with where it comes from (for the glyph check).
    fn texts(&self) -> Vec<(String, &str)> {
        let c = &self.company;
        let mut out: Vec<(String, &str)> = vec![
            ("公司名称".into(), c.name.as_str()),
            ("公司地址".into(), c.address.as_str()),
            ("公司电话".into(), c.phone.as_str()),
            ("公司传真".into(), c.fax.as_str()),
            ("公司网址".into(), c.website.as_str()),
            ("开户银行".into(), c.bank_name.as_str()),
            ("客户名称".into(), self.customer_name.as_str()),
            ("客户地址".into(), self.customer_address.as_str()),
            ("联系人".into(), self.contact_name.as_str()),
            ("联系电话".into(), self.contact_phone.as_str()),
            ("项目".into(), self.subject.as_str()),
            ("报价人".into(), self.salesperson_name.as_str()),
            ("付款方式".into(), self.content.terms.payment_schedule.as_str()),
            ("其他条款".into(), self.content.terms.other.as_str()),
            ("备注".into(), self.content.notes.as_str()),
        ];
        out.extend(super::line_texts(&self.content.lines));
        out
    }
}

/// Characters the font lacks, named with the field they are in: checked before anything is drawn.
pub fn check_coverage(fonts: &DocFonts, doc: &QuotationDoc) -> Result<(), DocError> {
    super::check_fields(fonts, doc.texts())
}

/// A rendered PDF and its trailer `/ID`.
#[derive(Debug, Clone)]
pub struct RenderedPdf {
    pub bytes: Vec<u8>,
    pub pdf_id: String,
}

/// Renders the 报价单 to PDF bytes. The same `doc` gives the same bytes.
pub fn render(fonts: &'static DocFonts, doc: &QuotationDoc) -> Result<RenderedPdf, DocError> {
    let (drawn, meta) = draw(fonts, doc)?;
    let bytes = save(fonts, drawn, &meta)?;
    Ok(RenderedPdf { bytes, pdf_id: document_id(&meta.identity) })
}

/// The pages of the 报价单 and what the file says about itself, before saving.
pub fn draw(fonts: &'static DocFonts, doc: &QuotationDoc) -> Result<(Drawn, Meta), DocError> {
    check_coverage(fonts, doc)?;
    let mut c = Canvas::new(fonts);
    c.running_header = format!("{}　报价单　{}　V{}", doc.company.name, doc.number, doc.revision);
    letterhead(&mut c, &doc.company, doc.logo.as_deref())?;
    heading(&mut c, doc);
    parties(&mut c, doc);
    c.y += 1.5;
    c.paragraph(MARGIN_LEFT, CONTENT_WIDTH, "承蒙垂询，现将我公司产品报价如下，敬请审阅：", Style::regular(9.5));
    c.y += 1.0;
    lines_table(&mut c, &doc.content);
    totals(&mut c, &doc.content)?;
    // The terms and the signatures go together: when both do not fit under the table, they
    // start the next page, so no page holds a signature block alone.
    let items = term_items(doc);
    let closing = terms_height(&c, &items) + SIGNATURE_HEIGHT;
    if c.remaining() >= closing {
        terms(&mut c, &items, 0, "商务条款");
    } else {
        // As many terms as fit stay under the table; the last ones (two at least) go over with
        // the signatures, so no page is left half empty and none holds a signature block alone.
        let mut k = items.len().saturating_sub(2);
        while k > 0 && terms_height(&c, &items[..k]) > c.remaining() {
            k -= 1;
        }
        if k >= 3 {
            terms(&mut c, &items[..k], 0, "商务条款");
            c.new_page();
            terms(&mut c, &items[k..], k, "商务条款（续）");
        } else {
            if closing < c.bottom() - MARGIN_TOP - 20.0 {
                c.new_page();
            }
            terms(&mut c, &items, 0, "商务条款");
        }
    }
    signature(&mut c, doc)?;

    let finish = Finish {
        footer_left: format!("验证码 {}", doc.verification_code),
        footer_right: format!("{} V{}", doc.number, doc.revision),
        watermark: doc.stamp.watermark().map(str::to_string),
        riding_seal: None,
    };
    let drawn = c.finish(&finish)?;
    let draft = if doc.stamp.watermark().is_some() { "draft" } else { "issued" };
    let meta = Meta {
        title: format!("报价单 {} V{}", doc.number, doc.revision),
        author: doc.company.name.clone(),
        subject: format!("致 {}", doc.customer_name),
        date: doc.fixed_time,
        identity: format!("{}:{}:{}:{draft}", doc.number, doc.revision, doc.content_hash),
    };
    Ok((drawn, meta))
}

/// Logo, company name and contact lines, then a double rule. Shared with the other documents.
pub fn letterhead(c: &mut Canvas, company: &CompanyProfile, logo: Option<&[u8]>) -> Result<(), DocError> {
    let top = c.y;
    let mut x = MARGIN_LEFT;
    if let Some(logo) = logo {
        c.image(logo, MARGIN_LEFT, top, 18.0, 16.0)?;
        x += 21.0;
    }
    let name_style = Style::bold(16.0);
    c.text(x, top, &company.name, name_style);
    let mut y = top + name_style.line_height();
    let small = Style::regular(8.0).with_color(GREY);
    let mut contact = Vec::new();
    if !company.address.is_empty() {
        contact.push(format!("地址：{}", company.address));
    }
    let mut phones = Vec::new();
    if !company.phone.is_empty() {
        phones.push(format!("电话：{}", company.phone));
    }
    if !company.fax.is_empty() {
        phones.push(format!("传真：{}", company.fax));
    }
    if !company.email.is_empty() {
        phones.push(format!("邮箱：{}", company.email));
    }
    if !company.website.is_empty() {
        phones.push(format!("网址：{}", company.website));
    }
    if !phones.is_empty() {
        contact.push(phones.join("　"));
    }
    for line in contact {
        for l in c.wrap(&line, PAGE_WIDTH - MARGIN_RIGHT - x, small) {
            c.text(x, y, &l, small);
            y += small.line_height();
        }
    }
    let y = y.max(top + if logo.is_some() { 16.0 } else { 0.0 }) + 1.5;
    c.hline(MARGIN_LEFT, PAGE_WIDTH - MARGIN_RIGHT, y, 1.4, SEAL_RED);
    c.hline(MARGIN_LEFT, PAGE_WIDTH - MARGIN_RIGHT, y + 0.9, 0.4, SEAL_RED);
    c.y = y + 4.0;
    Ok(())
}

fn heading(c: &mut Canvas, doc: &QuotationDoc) {
    let title = Style::bold(22.0);
    c.text_in(MARGIN_LEFT, CONTENT_WIDTH, c.y, "报 价 单", title, Align::Center);
    c.y += title.line_height() + 1.0;
    let small = Style::regular(9.0);
    c.text_in(
        MARGIN_LEFT,
        CONTENT_WIDTH,
        c.y,
        &format!("编号：{}　　版本：V{}", doc.number, doc.revision),
        small,
        Align::Right,
    );
    c.y += small.line_height() + 2.0;
}

/// 致 (customer) on the left, 报价方 (us) on the right.
fn parties(c: &mut Canvas, doc: &QuotationDoc) {
    let style = Style::regular(9.5);
    let half = CONTENT_WIDTH / 2.0;
    let left: Vec<(&str, String)> = vec![
        ("致：", doc.customer_name.clone()),
        ("地址：", doc.customer_address.clone()),
        ("联系人：", doc.contact_name.clone()),
        ("电话：", doc.contact_phone.clone()),
        ("项目：", doc.subject.clone()),
    ];
    let mut right: Vec<(&str, String)> =
        vec![("报价人：", doc.salesperson_name.clone()), ("电话：", doc.salesperson_phone.clone())];
    if !doc.salesperson_email.is_empty() {
        right.push(("邮箱：", doc.salesperson_email.clone()));
    }
    right.push(("报价日期：", cn_date(doc.date)));
    right.push(("有效期至：", cn_date(doc.valid_until())));
    let top = c.y;
    let mut y_left = top;
    for (label, value) in left.into_iter().filter(|(_, v)| !v.is_empty()) {
        c.y = y_left;
        c.labelled(MARGIN_LEFT, half - 4.0, label, &value, style);
        y_left = c.y;
    }
    let mut y_right = top;
    for (label, value) in right.into_iter().filter(|(_, v)| !v.is_empty()) {
        c.y = y_right;
        c.labelled(MARGIN_LEFT + half + 4.0, half - 4.0, label, &value, style);
        y_right = c.y;
    }
    c.y = y_left.max(y_right);
}

fn lines_table(c: &mut Canvas, content: &RevisionContent) {
    let with_note = content.lines.iter().any(|l| !l.note.trim().is_empty());
    let with_discount = content.lines.iter().any(|l| !l.discount.is_zero());
    let mut fixed = vec![
        Column::new("序号", 9.0, Align::Center),
        Column::new("产品名称", 0.0, Align::Left),
        Column::new("型号规格", 0.0, Align::Left),
        Column::new("单位", 9.0, Align::Center),
        Column::new("数量", 13.0, Align::Right),
        Column::new("单价(元)", 22.0, Align::Right),
    ];
    if with_discount {
        fixed.push(Column::new("优惠", 11.0, Align::Right));
    }
    fixed.push(Column::new("金额(元)", 24.0, Align::Right));
    if with_note {
        fixed.push(Column::new("备注", 19.0, Align::Left));
    }
    let used: f32 = fixed.iter().map(|c| c.width).sum();
    let flexible = CONTENT_WIDTH - used;
    // 型号规格 carries the parameters: it gets the room.
    fixed[1].width = flexible * 0.34;
    fixed[2].width = flexible * 0.66;

    let rows: Vec<Vec<String>> = content
        .lines
        .iter()
        .enumerate()
        .map(|(i, l)| {
            let mut model = l.model.clone();
            if !l.params.is_empty() {
                let params: Vec<String> = l.params.iter().map(|p| format!("{}：{}", p.key, p.value)).collect();
                model = if model.is_empty() { params.join("；") } else { format!("{model}\n{}", params.join("；")) };
            }
            let mut row = vec![
                (i + 1).to_string(),
                l.name.clone(),
                model,
                l.unit.clone(),
                l.quantity.to_string(),
                l.unit_price.to_string(),
            ];
            if with_discount {
                row.push(if l.discount.is_zero() { String::new() } else { l.discount.to_string() });
            }
            row.push(l.amount().to_string());
            if with_note {
                row.push(l.note.clone());
            }
            row
        })
        .collect();
    c.table(&fixed, &rows, Style::regular(9.0));
}

/// 合计 in figures and 大写, with the tax per rate, right under the table.
fn totals(c: &mut Canvas, content: &RevisionContent) -> Result<(), DocError> {
    let t = content.totals();
    let style = Style::regular(9.5);
    let lh = style.line_height();
    let rows = 3 + t.by_rate.len();
    c.ensure(lh * rows as f32 + 4.0);
    c.y += 1.5;
    let label_w = 40.0;
    let value_w = 36.0;
    let x_label = MARGIN_LEFT + CONTENT_WIDTH - label_w - value_w;
    let line = |c: &mut Canvas, label: &str, value: String, style: Style| {
        c.text_in(x_label, label_w, c.y, label, style, Align::Right);
        c.text_in(x_label + label_w, value_w, c.y, &value, style, Align::Right);
        c.y += style.line_height();
    };
    line(c, "不含税金额：", format!("¥{}", t.net), style);
    for b in &t.by_rate {
        line(c, &format!("增值税（{}）：", rate_text(b.rate)), format!("¥{}", b.tax), style);
    }
    line(c, "价税合计：", format!("¥{}", t.total), Style::bold(10.5));
    let upper = rmb_uppercase(t.total).map_err(|e| DocError::Write(e.to_string()))?;
    c.y += 0.8;
    let box_h = lh + 2.4;
    c.rect(MARGIN_LEFT, c.y, CONTENT_WIDTH, box_h, Some((0.5, RULE)), None);
    let label_style = Style::bold(10.0);
    c.text(MARGIN_LEFT + 2.0, c.y + 1.2, "合计人民币（大写）：", label_style);
    let lw = c.width("合计人民币（大写）：", label_style);
    c.text(MARGIN_LEFT + 2.0 + lw, c.y + 1.2, &upper, label_style);
    c.text_in(MARGIN_LEFT, CONTENT_WIDTH - 2.0, c.y + 1.2, &format!("（小写）¥{}", t.total), label_style, Align::Right);
    c.y += box_h + 3.0;
    Ok(())
}

fn rate_text(rate: TaxRate) -> String {
    rate.to_string()
}

/// The 商务条款 as numbered items, made from the revision's terms, its lines' tax rates and the
/// company's bank details.
fn term_items(doc: &QuotationDoc) -> Vec<String> {
    let t = &doc.content.terms;
    let mut items = vec![format!("报价有效期：{} 天（至 {}）", t.validity_days, cn_date(doc.valid_until()))];
    let tax = doc.content.tax_wording();
    if !tax.is_empty() {
        items.push(format!("税费：{tax}。"));
    }
    items.push(format!("交货期：合同生效后 {} 天内", t.delivery_days));
    if !t.delivery_place.trim().is_empty() {
        items.push(format!("交货地点：{}", t.delivery_place.trim()));
    }
    items.push(format!("付款方式：{}", t.payment_schedule));
    items.push(format!("质保期：{} 个月", t.warranty_months));
    if !t.other.trim().is_empty() {
        items.push(format!("其他：{}", t.other.trim()));
    }
    if !doc.content.notes.trim().is_empty() {
        items.push(format!("备注：{}", doc.content.notes.trim()));
    }
    let co = &doc.company;
    if !co.bank_name.is_empty() {
        let mut bank = vec![format!("户名：{}", co.name), format!("开户银行：{}", co.bank_name)];
        bank.push(format!("账号：{}", co.bank_account));
        if !co.credit_code.is_empty() {
            bank.push(format!("税号：{}", co.credit_code));
        }
        items.push(bank.join("　"));
    }
    items
}

const TERMS_STYLE: Style = Style::regular(9.0);

/// How tall the 商务条款 print (heading and wrapped items).
fn terms_height(c: &Canvas, items: &[String]) -> f32 {
    let style = TERMS_STYLE;
    let lines: usize = items
        .iter()
        .enumerate()
        .map(|(i, item)| {
            let nw = c.width(&format!("{}. ", i + 1), style);
            c.wrap(item, CONTENT_WIDTH - nw, style).len().max(1)
        })
        .sum();
    Style::bold(10.5).line_height() + 0.5 + lines as f32 * style.line_height() + 3.0
}

/// The terms `items`, numbered from `first + 1`, under `title`.
fn terms(c: &mut Canvas, items: &[String], first: usize, title: &str) {
    let style = TERMS_STYLE;
    c.ensure(style.line_height() * 4.0);
    c.text(MARGIN_LEFT, c.y, title, Style::bold(10.5));
    c.y += Style::bold(10.5).line_height() + 0.5;
    for (i, item) in items.iter().enumerate() {
        let number = format!("{}. ", first + i + 1);
        let nw = c.width(&number, style);
        c.ensure(style.line_height());
        c.text(MARGIN_LEFT, c.y, &number, style);
        c.paragraph(MARGIN_LEFT + nw, CONTENT_WIDTH - nw, item, style);
    }
    c.y += 3.0;
}

/// The height of the signature block (the seal reaches 28 mm below the company name).
const SIGNATURE_HEIGHT: f32 = 56.0;

/// The customer's confirmation (签字, 盖章, 日期) at the left; at the right the 报价人's signature
/// line, then our company's name with the seal over it (or the 盖章处 box) and the date — the seal
/// clear of the signature line.
fn signature(c: &mut Canvas, doc: &QuotationDoc) -> Result<(), DocError> {
    let style = Style::regular(10.0);
    let lh = style.line_height() + 2.0;
    // The seal reaches 12 mm above the company name and 28 mm below it.
    let block_h = SIGNATURE_HEIGHT;
    c.ensure(block_h);
    let top = c.y + 4.0;
    // 客户确认
    let lx = MARGIN_LEFT;
    c.text(lx, top, "客户确认：", Style::bold(10.0));
    c.text(lx, top + lh, "确认人（签字）：＿＿＿＿＿＿", style);
    c.text(lx, top + 2.0 * lh + 10.0, "客户（盖章）：", style);
    c.text(lx, top + 3.0 * lh + 10.0, "日期：　　　年　　月　　日", style);
    // 报价单位
    let x = MARGIN_LEFT + CONTENT_WIDTH * 0.52;
    let w = CONTENT_WIDTH * 0.48;
    c.text_in(x, w, top + lh, &format!("报价人（签字）：＿＿＿＿＿＿　{}", doc.salesperson_name), style, Align::Left);
    let name_y = top + lh + 22.0;
    c.text_in(x, w, name_y, &format!("报价单位（盖章）：{}", doc.company.name), style, Align::Left);
    c.text_in(x, w, name_y + lh, &format!("日期：{}", cn_date(doc.date)), style, Align::Left);
    let seal_size = 40.0;
    let (sx, sy) = (x + w / 2.0 - seal_size / 2.0 + 6.0, name_y - 12.0);
    match &doc.stamp {
        Stamp::Draft | Stamp::ApprovedDraft => {}
        Stamp::Seal(png) => c.image(png, sx, sy, seal_size, seal_size)?,
        Stamp::StampBox => {
            c.rect(sx + 4.0, sy + 4.0, seal_size - 8.0, seal_size - 8.0, Some((0.6, Rgb8(0x99, 0x99, 0x99))), None);
            c.text_in(
                sx,
                seal_size,
                sy + seal_size / 2.0 - 3.0,
                "盖章处",
                Style::regular(10.0).with_color(GREY),
                Align::Center,
            );
        }
    }
    c.y = top + block_h - 4.0;
    Ok(())
}
