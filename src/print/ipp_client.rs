//! The print service over IPP: CUPS's own operations for the printer list and the default, and the
//! standard ones for a printer's state, sending a job and reading a job back.

use std::collections::HashMap;
use std::time::Duration;

use ipp::attribute::IppAttribute;
use ipp::model::{DelimiterTag, IppVersion, Operation, StatusCode};
use ipp::operation::IppOperation;
use ipp::prelude::*;

use super::{JobState, JobStatus, PageRanges, PrintError, PrintRequest, Printer, PrinterState, SentJob, Sides};

/// Long enough for a busy scheduler to take a 300-page bid, short enough that a vanished one does
/// not hang the window's worker.
const TIMEOUT: Duration = Duration::from_secs(30);

/// The attributes the printer list and the state check read.
const PRINTER_ATTRIBUTES: &[&str] = &[
    "printer-name",
    "printer-info",
    "printer-location",
    "printer-state",
    "printer-state-reasons",
    "printer-is-accepting-jobs",
    "sides-supported",
];

/// Where the print service listens: `localhost:631` for the computer's own CUPS, or an office
/// print server (`printserver:631`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PrintServer {
    /// `host:port`
    address: String,
}

impl PrintServer {
    /// `host`, `host:port`, or an `ipp://` / `http://` address; the port defaults to 631.
    pub fn new(address: &str) -> PrintServer {
        let a = address.trim();
        let a = a.strip_prefix("ipp://").or_else(|| a.strip_prefix("http://")).unwrap_or(a);
        let a = a.split('/').next().unwrap_or("").trim();
        let a = if a.is_empty() { "localhost" } else { a };
        let has_port = a.rsplit_once(':').is_some_and(|(_, p)| p.parse::<u16>().is_ok()) && !a.ends_with(']');
        PrintServer { address: if has_port { a.to_string() } else { format!("{a}:631") } }
    }

    /// This computer's print service: `CUPS_SERVER` if set (as CUPS's own tools read it, when the
    /// program starts), else `localhost:631`. A socket path in `CUPS_SERVER` is not IPP over the
    /// network: the local port is used then.
    pub fn from_environment() -> PrintServer {
        match std::env::var("CUPS_SERVER") {
            Ok(s) if !s.trim().is_empty() && !s.trim().starts_with('/') => PrintServer::new(&s),
            _ => PrintServer::new("localhost:631"),
        }
    }

    pub fn address(&self) -> &str {
        &self.address
    }

    fn uri(&self, path: &str) -> Result<Uri, PrintError> {
        format!("ipp://{}{path}", self.address)
            .parse()
            .map_err(|_| PrintError::NoService { address: self.address.clone(), detail: "地址格式不对".into() })
    }

    fn printer_uri(&self, name: &str) -> Result<Uri, PrintError> {
        // Queue names are letters, digits, '-' and '_' in CUPS; anything else is not one of them.
        if name.is_empty() || !name.chars().all(|c| c.is_ascii_alphanumeric() || "-_.@".contains(c)) {
            return Err(PrintError::UnknownPrinter(name.to_string()));
        }
        self.uri(&format!("/printers/{name}"))
    }

    fn send(&self, uri: Uri, request: IppRequestResponse) -> Result<IppRequestResponse, PrintError> {
        let client = IppClient::builder(uri).request_timeout(TIMEOUT).build();
        client.send(request).map_err(|e| match e {
            ipp::error::IppError::StatusError(code) => PrintError::Refused(format!("{code:?}")),
            other => {
                log::warn!("print service at {}: {other}", self.address);
                PrintError::NoService { address: self.address.clone(), detail: short_detail(&other.to_string()) }
            }
        })
    }

    /// The printers the service offers, the default first, then by name.
    pub fn printers(&self) -> Result<Vec<Printer>, PrintError> {
        let mut request = IppRequestResponse::new(IppVersion::v1_1(), Operation::CupsGetPrinters, None);
        request_attributes(&mut request);
        let response = self.send(self.uri("/")?, request)?;
        let status = response.header().status_code();
        // CUPS answers "not found" when it has no printer at all.
        if status == StatusCode::ClientErrorNotFound {
            return Ok(Vec::new());
        }
        if !status.is_success() {
            return Err(PrintError::Refused(format!("{status:?}")));
        }
        let default = self.default_name()?;
        let mut out: Vec<Printer> = response
            .attributes()
            .groups_of(DelimiterTag::PrinterAttributes)
            .map(|g| printer_from(g.attributes(), default.as_deref()))
            .filter(|p| !p.name.is_empty())
            .collect();
        out.sort_by(|a, b| b.is_default.cmp(&a.is_default).then_with(|| a.name.cmp(&b.name)));
        Ok(out)
    }

    /// The service's default printer, if one is set.
    fn default_name(&self) -> Result<Option<String>, PrintError> {
        let mut request = IppRequestResponse::new(IppVersion::v1_1(), Operation::CupsGetDefault, None);
        request_attributes(&mut request);
        let response = self.send(self.uri("/")?, request)?;
        if !response.header().status_code().is_success() {
            return Ok(None);
        }
        Ok(response
            .attributes()
            .groups_of(DelimiterTag::PrinterAttributes)
            .find_map(|g| text(g.attributes(), "printer-name")))
    }

    /// One printer as it is now (checked just before a job is sent).
    pub fn printer(&self, name: &str) -> Result<Printer, PrintError> {
        let uri = self.printer_uri(name)?;
        let mut request =
            IppRequestResponse::new(IppVersion::v1_1(), Operation::GetPrinterAttributes, Some(uri.clone()));
        request_attributes(&mut request);
        let response = self.send(uri, request)?;
        let status = response.header().status_code();
        if status == StatusCode::ClientErrorNotFound {
            return Err(PrintError::UnknownPrinter(name.to_string()));
        }
        if !status.is_success() {
            return Err(PrintError::Refused(format!("{status:?}")));
        }
        let default = self.default_name()?;
        response
            .attributes()
            .groups_of(DelimiterTag::PrinterAttributes)
            .map(|g| printer_from(g.attributes(), default.as_deref()))
            .next()
            .ok_or_else(|| PrintError::UnknownPrinter(name.to_string()))
    }

    /// Sends a PDF after checking the printer: a stopped queue or one that rejects jobs is refused
    /// with what to do, and nothing is sent.
    pub fn print(&self, job: &PrintRequest<'_>) -> Result<SentJob, PrintError> {
        if job.copies == 0 || job.copies > super::MAX_COPIES {
            return Err(PrintError::BadCopies { max: super::MAX_COPIES });
        }
        let printer = self.printer(job.printer)?;
        if let Some(problem) = printer.problem() {
            return Err(problem);
        }
        let uri = self.printer_uri(job.printer)?;
        let payload = IppPayload::new(std::io::Cursor::new(job.pdf.to_vec()));
        let mut op = IppOperationBuilder::print_job(uri.clone(), payload)
            .user_name(safe_user(job.user))
            .job_title(job.title)
            .document_format("application/pdf")
            .attribute(IppAttribute::new("copies", IppValue::Integer(job.copies as i32)))
            // At 100 %: the seal and the signature lines keep their real size (our margins are
            // wider than any printer's unprintable edge, so nothing is cut).
            .attribute(IppAttribute::new("print-scaling", IppValue::Keyword("none".into())));
        if !job.pages.is_all() {
            let ranges = job
                .pages
                .ranges()
                .iter()
                .map(|&(a, b)| IppValue::RangeOfInteger { min: a as i32, max: b as i32 })
                .collect();
            op = op.attribute(IppAttribute::new("page-ranges", IppValue::Array(ranges)));
        }
        if job.sides == Sides::TwoSided && printer.duplex {
            op = op.attribute(IppAttribute::new("sides", IppValue::Keyword("two-sided-long-edge".into())));
        }
        let response = self.send(uri, op.build().into_ipp_request())?;
        let status = response.header().status_code();
        if !status.is_success() {
            return Err(PrintError::Refused(format!("{status:?}")));
        }
        let job_id = response
            .attributes()
            .groups_of(DelimiterTag::JobAttributes)
            .find_map(|g| integer(g.attributes(), "job-id"))
            .ok_or_else(|| PrintError::Refused("没有任务号".into()))?;
        Ok(SentJob { printer: job.printer.to_string(), job_id })
    }

    /// A job's state and the attributes it was sent with, asked as `user`, who sent it (CUPS
    /// shows a job's private attributes, such as who sent it, to its owner only).
    pub fn job(&self, printer: &str, job_id: i32, user: &str) -> Result<JobStatus, PrintError> {
        let uri = self.printer_uri(printer)?;
        let op = IppOperationBuilder::get_job_attributes(uri.clone(), job_id).user_name(safe_user(user)).build();
        let response = self.send(uri, op.into_ipp_request())?;
        let status = response.header().status_code();
        if !status.is_success() {
            return Err(PrintError::Refused(format!("{status:?}")));
        }
        let group = response
            .attributes()
            .groups_of(DelimiterTag::JobAttributes)
            .next()
            .ok_or_else(|| PrintError::Refused("没有任务信息".into()))?;
        let a = group.attributes();
        let state = match integer(a, "job-state") {
            Some(3) => JobState::Pending,
            Some(4) => JobState::Held,
            Some(5) => JobState::Processing,
            Some(6) => JobState::Stopped,
            Some(7) => JobState::Canceled,
            Some(8) => JobState::Aborted,
            _ => JobState::Completed,
        };
        let pages = a.get("page-ranges").map(|attr| {
            let ranges = values(attr.value())
                .filter_map(|v| match v {
                    IppValue::RangeOfInteger { min, max } => Some((*min as u32, *max as u32)),
                    _ => None,
                })
                .collect();
            PageRanges(ranges)
        });
        let sides = match text(a, "sides").as_deref() {
            Some(s) if s.starts_with("two-sided") => Sides::TwoSided,
            _ => Sides::OneSided,
        };
        Ok(JobStatus {
            state,
            copies: integer(a, "copies").map_or(1, |c| c.max(1) as u32),
            pages,
            sides,
            title: text(a, "job-name").unwrap_or_default(),
            user: text(a, "job-originating-user-name").unwrap_or_default(),
        })
    }
}

/// `requesting-user-name` is a name in IPP; keep it to what every scheduler accepts.
fn safe_user(user: &str) -> String {
    let u: String = user.chars().filter(|c| c.is_ascii_alphanumeric() || "-_.".contains(*c)).collect();
    if u.is_empty() { "salesdesk".into() } else { u }
}

/// The first line of a transport error, without the noise.
fn short_detail(text: &str) -> String {
    let t = text.lines().next().unwrap_or("").trim();
    if t.contains("Connection refused") || t.contains("onnection refused") {
        "连接被拒绝".into()
    } else if t.contains("timed out") || t.contains("Timeout") {
        "连接超时".into()
    } else if t.contains("resolve") || t.contains("lookup") {
        "找不到该主机".into()
    } else {
        "无法连接".into()
    }
}

fn request_attributes(request: &mut IppRequestResponse) {
    let names = PRINTER_ATTRIBUTES.iter().map(|n| IppValue::Keyword((*n).to_string())).collect();
    request
        .attributes_mut()
        .add(DelimiterTag::OperationAttributes, IppAttribute::new("requested-attributes", IppValue::Array(names)));
}

fn values(v: &IppValue) -> Box<dyn Iterator<Item = &IppValue> + '_> {
    match v {
        IppValue::Array(items) => Box::new(items.iter()),
        other => Box::new(std::iter::once(other)),
    }
}

fn text(a: &HashMap<String, IppAttribute>, name: &str) -> Option<String> {
    a.get(name).and_then(|attr| match attr.value() {
        IppValue::NameWithoutLanguage(s)
        | IppValue::TextWithoutLanguage(s)
        | IppValue::Keyword(s)
        | IppValue::Uri(s)
        | IppValue::NameWithLanguage { name: s, .. }
        | IppValue::TextWithLanguage { text: s, .. } => Some(s.clone()),
        IppValue::Array(items) => items.first().map(|v| v.to_string()),
        _ => None,
    })
}

fn integer(a: &HashMap<String, IppAttribute>, name: &str) -> Option<i32> {
    a.get(name).and_then(|attr| match attr.value() {
        IppValue::Integer(i) | IppValue::Enum(i) => Some(*i),
        _ => None,
    })
}

fn printer_from(a: &HashMap<String, IppAttribute>, default: Option<&str>) -> Printer {
    let name = text(a, "printer-name").unwrap_or_default();
    let info = text(a, "printer-info").filter(|s| !s.trim().is_empty());
    let state = match integer(a, "printer-state") {
        Some(5) => PrinterState::Stopped,
        Some(4) => PrinterState::Processing,
        _ => PrinterState::Idle,
    };
    let reasons = a
        .get("printer-state-reasons")
        .map(|attr| values(attr.value()).map(|v| v.to_string()).filter(|r| r != "none").collect())
        .unwrap_or_default();
    let accepting =
        !matches!(a.get("printer-is-accepting-jobs").map(IppAttribute::value), Some(IppValue::Boolean(false)));
    let duplex = a
        .get("sides-supported")
        .is_some_and(|attr| values(attr.value()).any(|v| v.to_string().starts_with("two-sided")));
    Printer {
        is_default: default == Some(name.as_str()),
        description: info.unwrap_or_else(|| name.clone()),
        location: text(a, "printer-location").unwrap_or_default(),
        name,
        state,
        accepting,
        reasons,
        duplex,
    }
}
