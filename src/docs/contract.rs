//! The 销售合同 (sales contract) as it goes to the customer for signature: the title and number,
//! the two parties, the goods with 单价, 折扣, 折后单价 and 金额 that multiply out, the total in
//! figures and 大写, then the clauses — made from the contract's own data where they have it
//! (交货, 付款方式 from the payment schedule with our bank, 质量保证 from the warranty) and the
//! admin's template for the standard ones (质量要求, 包装运输, 验收, 违约责任, 争议解决, 其他) — and a
//! signature table for both parties with our seal over our name. Compared with the 工业品买卖合同
//! sample texts (出卖人/买受人, 签订地点/时间, 第一条 标的物 … 合计人民币金额（大写）).

use chrono::{DateTime, Utc};

use super::DocError;
use super::canvas::{Align, CONTENT_WIDTH, Canvas, Column, Drawn, Finish, GREY, MARGIN_LEFT, RULE, Rgb8, Style};
use super::fonts::DocFonts;
use super::pdf::{Meta, document_id, save};
use super::quote::{RenderedPdf, Stamp};
use crate::domain::company::CompanyProfile;
use crate::domain::contract::{Basis, ContractContent, Share, Trigger, installment_amounts};
use crate::domain::contract_template::ContractTemplate;
use crate::domain::money::net_unit_price_text;
use crate::domain::quote::RevisionContent;
use crate::domain::rmb::rmb_uppercase;

/// One side of the contract, as its signature table prints it.
#[derive(Debug, Clone, Default)]
pub struct Party {
    pub name: String,
    pub address: String,
    pub legal_representative: String,
    /// 委托代理人: our salesperson; the customer's contact.
    pub agent: String,
    pub phone: String,
    pub bank_name: String,
    pub bank_account: String,
    /// 税号 (统一社会信用代码)
    pub tax_id: String,
}

/// Everything the contract prints, gathered by the service.
#[derive(Debug, Clone)]
pub struct ContractDoc {
    pub company: CompanyProfile,
    pub template: ContractTemplate,
    /// HT-2026-0001
    pub number: String,
    pub subject: String,
    /// 需方（甲方）: the customer.
    pub buyer: Party,
    /// 供方（乙方）: us.
    pub seller: Party,
    pub content: ContractContent,
    pub total: crate::domain::money::Money,
    pub verification_code: String,
    pub content_hash: String,
    pub stamp: Stamp,
    pub fixed_time: DateTime<Utc>,
}

const DRAFT_WATERMARK: &str = "草稿 — 合同待确认";
const UNISSUED_WATERMARK: &str = "草稿 — 未用印发出";

impl ContractDoc {
    fn watermark(&self) -> Option<&'static str> {
        match self.stamp {
            Stamp::Draft => Some(DRAFT_WATERMARK),
            Stamp::ApprovedDraft => Some(UNISSUED_WATERMARK),
            Stamp::Seal(_) | Stamp::StampBox => None,
        }
    }

    fn texts(&self) -> Vec<(String, &str)> {
        let mut out: Vec<(String, &str)> = vec![
            ("合同标题".into(), self.template.title.as_str()),
            ("签订地点".into(), self.template.sign_place.as_str()),
            ("项目".into(), self.subject.as_str()),
            ("交货地点".into(), self.content.terms.delivery_place.as_str()),
            ("其他条款".into(), self.content.terms.other.as_str()),
        ];
        for (_, name, text) in self.template.clauses_named() {
            out.push((format!("合同模板“{name}”"), text));
        }
        for (who, p) in [("需方", &self.buyer), ("供方", &self.seller)] {
            for (what, t) in [
                ("名称", &p.name),
                ("地址", &p.address),
                ("法定代表人", &p.legal_representative),
                ("委托代理人", &p.agent),
                ("电话", &p.phone),
                ("开户银行", &p.bank_name),
            ] {
                out.push((format!("{who}{what}"), t.as_str()));
            }
        }
        for i in &self.content.schedule {
            out.push(("付款节点名称".into(), i.label.as_str()));
        }
        out.extend(super::line_texts(&self.content.lines));
        out
    }
}

/// 第一条, 第二条 … 第二十条.
fn article(n: usize) -> String {
    const DIGITS: [&str; 10] = ["", "一", "二", "三", "四", "五", "六", "七", "八", "九"];
    let text = match n {
        1..=9 => DIGITS[n].to_string(),
        10 => "十".into(),
        11..=19 => format!("十{}", DIGITS[n - 10]),
        20..=99 => format!("{}十{}", DIGITS[n / 10], DIGITS[n % 10]),
        _ => n.to_string(),
    };
    format!("第{text}条")
}

/// Renders the contract to PDF bytes. The same `doc` gives the same bytes.
pub fn render(fonts: &'static DocFonts, doc: &ContractDoc) -> Result<RenderedPdf, DocError> {
    let (drawn, meta) = draw(fonts, doc)?;
    let bytes = save(fonts, drawn, &meta)?;
    Ok(RenderedPdf { bytes, pdf_id: document_id(&meta.identity) })
}

const BODY: Style = Style::regular(9.5);
const HEAD: Style = Style::bold(10.5);

/// The pages of the contract and what the file says about itself, before saving.
pub fn draw(fonts: &'static DocFonts, doc: &ContractDoc) -> Result<(Drawn, Meta), DocError> {
    super::check_fields(fonts, doc.texts())?;
    let mut c = Canvas::new(fonts);
    c.running_header = format!("{}　{}　{}", doc.company.name, doc.template.title, doc.number);
    heading(&mut c, doc);
    c.paragraph(
        MARGIN_LEFT,
        CONTENT_WIDTH,
        "根据《中华人民共和国民法典》及有关法律法规，甲乙双方在平等、自愿、协商一致的基础上，\
         就甲方向乙方购买下列产品事宜订立本合同，共同遵守。",
        BODY,
    );
    c.y += 2.0;

    let mut n = 0;
    let mut next = || {
        n += 1;
        article(n)
    };
    clause_heading(&mut c, &next(), "产品名称、型号、数量及价款");
    goods(&mut c, doc)?;
    let clauses = clauses(doc);
    let last = clauses.len().saturating_sub(1);
    for (i, (title, paragraphs)) in clauses.iter().enumerate() {
        let number = next();
        if i == last {
            // The last clause goes with the signatures: no page holds the signature table alone.
            let needed = clause_height(&c, paragraphs) + SIGNATURE_HEIGHT + 8.0;
            c.ensure(needed);
        }
        clause_heading(&mut c, &number, title);
        for p in paragraphs {
            c.paragraph(MARGIN_LEFT + 4.0, CONTENT_WIDTH - 4.0, p, BODY);
        }
        c.y += 1.5;
    }
    c.paragraph(MARGIN_LEFT, CONTENT_WIDTH, "（以下无正文）", BODY.with_color(GREY));
    signatures(&mut c, doc)?;

    let finish = Finish {
        footer_left: format!("验证码 {}", doc.verification_code),
        footer_right: doc.number.clone(),
        watermark: doc.watermark().map(str::to_string),
        riding_seal: None,
    };
    let drawn = c.finish(&finish)?;
    let state = if doc.watermark().is_some() { "draft" } else { "issued" };
    let meta = Meta {
        title: format!("{} {}", doc.template.title, doc.number),
        author: doc.company.name.clone(),
        subject: format!("需方 {}", doc.buyer.name),
        date: doc.fixed_time,
        identity: format!("{}:contract:{}:{state}", doc.number, doc.content_hash),
    };
    Ok((drawn, meta))
}

fn heading(c: &mut Canvas, doc: &ContractDoc) {
    let title = Style::bold(20.0);
    let spaced: String = {
        let chars: Vec<String> = doc.template.title.chars().map(String::from).collect();
        if chars.len() <= 6 { chars.join(" ") } else { doc.template.title.clone() }
    };
    c.text_in(MARGIN_LEFT, CONTENT_WIDTH, c.y, &spaced, title, Align::Center);
    c.y += title.line_height() + 3.0;
    let small = Style::regular(9.5);
    let right = MARGIN_LEFT + CONTENT_WIDTH * 0.62;
    let w = CONTENT_WIDTH * 0.38;
    let mut lines = vec![format!("合同编号：{}", doc.number)];
    if !doc.template.sign_place.is_empty() {
        lines.push(format!("签订地点：{}", doc.template.sign_place));
    }
    lines.push("签订日期：　　　　年　　月　　日".into());
    let top = c.y;
    for (i, l) in lines.iter().enumerate() {
        c.text_in(right, w, top + i as f32 * small.line_height(), l, small, Align::Left);
    }
    let parties = [format!("需方（甲方）：{}", doc.buyer.name), format!("供方（乙方）：{}", doc.seller.name)];
    c.y = top;
    for p in &parties {
        c.paragraph(MARGIN_LEFT, CONTENT_WIDTH * 0.6, p, Style::bold(10.5));
    }
    if !doc.subject.is_empty() {
        c.paragraph(MARGIN_LEFT, CONTENT_WIDTH * 0.6, &format!("项目名称：{}", doc.subject), small);
    }
    c.y = c.y.max(top + lines.len() as f32 * small.line_height()) + 3.0;
}

fn clause_heading(c: &mut Canvas, number: &str, title: &str) {
    c.ensure(HEAD.line_height() + BODY.line_height() * 2.0);
    c.text(MARGIN_LEFT, c.y, &format!("{number}　{title}"), HEAD);
    c.y += HEAD.line_height() + 0.5;
}

fn clause_height(c: &Canvas, paragraphs: &[String]) -> f32 {
    let lines: usize = paragraphs.iter().map(|p| c.wrap(p, CONTENT_WIDTH - 4.0, BODY).len().max(1)).sum();
    HEAD.line_height() + 0.5 + lines as f32 * BODY.line_height() + 1.5
}

/// 第一条: the goods table, where each line's 金额 is its quantity times its 折后单价, and the total
/// in figures and 大写, with the VAT stated.
fn goods(c: &mut Canvas, doc: &ContractDoc) -> Result<(), DocError> {
    let lines = &doc.content.lines;
    let with_discount = lines.iter().any(|l| !l.discount.is_zero());
    let mut cols = vec![
        Column::new("序号", 9.0, Align::Center),
        Column::new("产品名称", 0.0, Align::Left),
        Column::new("型号规格", 0.0, Align::Left),
        Column::new("单位", 9.0, Align::Center),
        Column::new("数量", 14.0, Align::Right),
        Column::new("单价(元)", 21.0, Align::Right),
    ];
    if with_discount {
        cols.push(Column::new("折扣", 11.0, Align::Right));
        cols.push(Column::new("折后单价(元)", 22.0, Align::Right));
    }
    cols.push(Column::new("金额(元)", 25.0, Align::Right));
    let used: f32 = cols.iter().map(|c| c.width).sum();
    let flexible = CONTENT_WIDTH - used;
    cols[1].width = flexible * 0.4;
    cols[2].width = flexible * 0.6;
    let rows: Vec<Vec<String>> = lines
        .iter()
        .enumerate()
        .map(|(i, l)| {
            let mut row = vec![
                (i + 1).to_string(),
                l.name.clone(),
                l.model.clone(),
                l.unit.clone(),
                l.quantity.to_string(),
                l.unit_price.to_string(),
            ];
            if with_discount {
                row.push(if l.discount.is_zero() { String::new() } else { l.discount.to_string() });
                row.push(net_unit_price_text(l.unit_price, l.discount));
            }
            row.push(l.amount().to_string());
            row
        })
        .collect();
    c.table(&cols, &rows, Style::regular(9.0));
    let upper = rmb_uppercase(doc.total).map_err(|e| DocError::Write(e.to_string()))?;
    let style = Style::bold(10.0);
    let box_h = style.line_height() + 2.4;
    c.ensure(box_h + BODY.line_height() * 2.0);
    c.y += 0.8;
    c.rect(MARGIN_LEFT, c.y, CONTENT_WIDTH, box_h, Some((0.5, RULE)), None);
    let label = "合同总金额（大写）：";
    c.text(MARGIN_LEFT + 2.0, c.y + 1.2, label, style);
    let lw = c.width(label, style);
    c.text(MARGIN_LEFT + 2.0 + lw, c.y + 1.2, &upper, style);
    c.text_in(MARGIN_LEFT, CONTENT_WIDTH - 2.0, c.y + 1.2, &format!("（小写）¥{}", doc.total), style, Align::Right);
    c.y += box_h + 1.0;
    let tax = RevisionContent { lines: lines.clone(), ..Default::default() }.tax_wording();
    if !tax.is_empty() {
        c.paragraph(MARGIN_LEFT + 4.0, CONTENT_WIDTH - 4.0, &format!("{tax}。"), BODY);
    }
    if with_discount {
        c.paragraph(
            MARGIN_LEFT + 4.0,
            CONTENT_WIDTH - 4.0,
            "金额 = 数量 × 折后单价（单价扣除折扣后，精确到分）。",
            BODY,
        );
    }
    c.y += 1.5;
    Ok(())
}

/// The clauses after 第一条, in order: (title, paragraphs). Empty template clauses are left out.
fn clauses(doc: &ContractDoc) -> Vec<(String, Vec<String>)> {
    let t = &doc.template;
    let terms = &doc.content.terms;
    let mut out: Vec<(String, Vec<String>)> = Vec::new();
    let mut push = |title: &str, paragraphs: Vec<String>| {
        let paragraphs: Vec<String> = paragraphs.into_iter().filter(|p| !p.trim().is_empty()).collect();
        if !paragraphs.is_empty() {
            out.push((title.to_string(), paragraphs));
        }
    };
    push("质量要求", vec![t.quality.clone()]);
    let place = if terms.delivery_place.trim().is_empty() {
        "甲方指定地点".to_string()
    } else {
        terms.delivery_place.trim().to_string()
    };
    push(
        "交货时间、地点及方式",
        vec![
            format!("1. 交货期：合同生效后 {} 天内交货。", terms.delivery_days),
            format!("2. 交货地点：{place}。"),
            { if t.packing.is_empty() { String::new() } else { format!("3. {}", t.packing) } },
        ],
    );
    push("验收", vec![t.acceptance.clone()]);
    push("付款方式", payment(doc));
    push("质量保证", warranty(doc));
    push("违约责任", vec![t.liability.clone()]);
    push("争议解决", vec![t.disputes.clone()]);
    let mut other = Vec::new();
    if !terms.other.trim().is_empty() {
        other.push(terms.other.trim().to_string());
    }
    other.push(t.other.clone());
    push("其他", other);
    out
}

/// Each installment with its share, amount and condition, then how and where to pay.
fn payment(doc: &ContractDoc) -> Vec<String> {
    let amounts = installment_amounts(&doc.content.schedule, doc.total);
    let mut out: Vec<String> = doc
        .content
        .schedule
        .iter()
        .zip(amounts)
        .enumerate()
        .map(|(i, (inst, amount))| {
            let share = match inst.share {
                Share::Percent(p) => format!("合同总金额的 {}%，即 ¥{amount}", p.normalize()),
                Share::Amount(_) => format!("¥{amount}"),
            };
            let when = match inst.trigger {
                Trigger::FixedDate { date } => format!("于 {} 前", crate::domain::dates::cn_date(date)),
                _ => inst.condition(),
            };
            format!("{}. {}：{share}，{when}支付。", i + 1, inst.label)
        })
        .collect();
    let co = &doc.company;
    if !co.bank_name.is_empty() {
        let mut bank = format!(
            "甲方以银行转账方式付至乙方账户。户名：{}；开户银行：{}；账号：{}",
            co.name, co.bank_name, co.bank_account
        );
        if !co.credit_code.is_empty() {
            bank.push_str(&format!("；税号：{}", co.credit_code));
        }
        bank.push('。');
        out.push(bank);
    }
    out.push("乙方按甲方实际付款金额开具增值税发票。".into());
    out
}

/// The warranty: its length, from when it runs (the 质保金's basis), and what it covers.
fn warranty(doc: &ContractDoc) -> Vec<String> {
    let months = doc.content.terms.warranty_months;
    if months == 0 {
        return Vec::new();
    }
    let retention = doc.content.schedule.iter().find(|i| matches!(i.trigger, Trigger::AfterWarranty { .. }));
    let from = match retention.map(|i| i.basis) {
        Some(Basis::Acceptance) => "产品验收合格之日",
        Some(Basis::ProRata) => "每批产品交货之日",
        _ => "全部产品交货之日",
    };
    vec![format!(
        "质保期为 {months} 个月，自{from}起计算。质保期内因产品质量问题造成的故障或损坏，乙方负责免费维修或更换；\
         因甲方使用、保管不当造成的除外。"
    )]
}

/// Reads one field of a party (a row of the signature table).
type PartyField = fn(&Party) -> &str;

/// The height of the signature table.
const SIGNATURE_HEIGHT: f32 = 62.0;

/// Both parties' details side by side, 甲方 left and 乙方 right, with our seal over our name (or
/// the 盖章处 box; nothing on a draft).
fn signatures(c: &mut Canvas, doc: &ContractDoc) -> Result<(), DocError> {
    c.ensure(SIGNATURE_HEIGHT + 4.0);
    c.y += 3.0;
    let top = c.y;
    let half = CONTENT_WIDTH / 2.0;
    let label_w = 24.0;
    let style = Style::regular(9.0);
    let rows: [(&str, PartyField); 8] = [
        ("单位名称（章）", |p| &p.name),
        ("单位地址", |p| &p.address),
        ("法定代表人", |p| &p.legal_representative),
        ("委托代理人", |p| &p.agent),
        ("电话", |p| &p.phone),
        ("开户银行", |p| &p.bank_name),
        ("账号", |p| &p.bank_account),
        ("税号", |p| &p.tax_id),
    ];
    let head_h = 7.0;
    c.rect(MARGIN_LEFT, top, CONTENT_WIDTH, head_h, Some((0.5, RULE)), Some(Rgb8(0xF2, 0xF2, 0xF2)));
    c.text_in(MARGIN_LEFT, half, top + 1.5, "需方（甲方）", Style::bold(10.0), Align::Center);
    c.text_in(MARGIN_LEFT + half, half, top + 1.5, "供方（乙方）", Style::bold(10.0), Align::Center);
    let mut y = top + head_h;
    let mut name_row = (y, 0.0);
    for (i, (label, get)) in rows.iter().enumerate() {
        let cells = [get(&doc.buyer), get(&doc.seller)];
        let wrapped: Vec<Vec<String>> = cells.iter().map(|t| c.wrap(t, half - label_w - 3.0, style)).collect();
        let lines = wrapped.iter().map(|w| w.len().max(1)).max().unwrap_or(1);
        let h = if i == 0 {
            14.0f32.max(lines as f32 * style.line_height() + 2.0)
        } else {
            lines as f32 * style.line_height() + 2.0
        };
        if i == 0 {
            name_row = (y, h);
        }
        for (k, w) in wrapped.iter().enumerate() {
            let x = MARGIN_LEFT + k as f32 * half;
            c.rect(x, y, label_w, h, Some((0.5, RULE)), None);
            c.rect(x + label_w, y, half - label_w, h, Some((0.5, RULE)), None);
            c.text_in(x + 1.0, label_w - 2.0, y + 1.0, label, style.with_color(GREY), Align::Left);
            for (j, line) in w.iter().enumerate() {
                c.text(x + label_w + 1.5, y + 1.0 + j as f32 * style.line_height(), line, style);
            }
        }
        y += h;
    }
    let date_h = 8.0;
    for k in 0..2 {
        let x = MARGIN_LEFT + k as f32 * half;
        c.rect(x, y, half, date_h, Some((0.5, RULE)), None);
        c.text(x + 1.5, y + 1.5, "签字：＿＿＿＿＿＿　　日期：　　　年　　月　　日", style);
    }
    y += date_h;
    // The seal over our name: centred on the right half's name cell.
    let seal = 38.0;
    // Its top just under the header row, so 供方（乙方） stays readable.
    let (sx, sy) = (MARGIN_LEFT + half + half / 2.0 - seal / 2.0 + 8.0, name_row.0 + 0.5);
    match &doc.stamp {
        Stamp::Draft | Stamp::ApprovedDraft => {}
        Stamp::Seal(png) => c.image(png, sx, sy, seal, seal)?,
        Stamp::StampBox => {
            c.rect(sx + 6.0, sy + 6.0, seal - 12.0, seal - 12.0, Some((0.6, Rgb8(0x99, 0x99, 0x99))), None);
            c.text_in(sx, seal, sy + seal / 2.0 - 3.0, "盖章处", Style::regular(10.0).with_color(GREY), Align::Center);
        }
    }
    c.y = y + 2.0;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn articles_are_numbered_in_chinese() {
        assert_eq!(article(1), "第一条");
        assert_eq!(article(10), "第十条");
        assert_eq!(article(12), "第十二条");
        assert_eq!(article(21), "第二十一条");
    }
}
