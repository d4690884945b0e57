//! The worker's side of documents: printing, issuing (用印发出), the issued-documents register and
//! verification. It calls the service and handles the files; every rule is the service's.

use std::path::{Path, PathBuf};

use super::legacy::{Outcome, Request, read_file, write_file};
use crate::domain::document::IssuedDocument;
use crate::domain::ids::{QuoteId, UserId};
use crate::domain::visit::Week;
use crate::service::{Actor, Service, ServiceError, Verification};

type Res<T> = Result<T, ServiceError>;

pub enum DocRequest {
    /// Revision `revision` to a PDF file: the issued file if it was issued, else a draft.
    Print {
        quote: QuoteId,
        revision: u32,
        path: PathBuf,
        open: bool,
    },
    /// 用印发出 of the latest revision into `path`.
    Issue {
        quote: QuoteId,
        copies: u32,
        path: PathBuf,
        open: bool,
    },
    /// The weekly visit plan (周六例会) as a PDF.
    VisitPlan {
        week: Week,
        path: PathBuf,
        open: bool,
    },
    /// 工作周报 as a PDF (one salesperson's, or all the reader may read).
    WeeklyReports {
        week: Week,
        user: Option<UserId>,
        path: PathBuf,
        open: bool,
    },
    /// The register.
    Register,
    /// A register entry's file, saved to `path` (or, with `open`, also shown).
    SaveIssued {
        entry: i64,
        path: PathBuf,
        open: bool,
    },
    /// A register entry's file shown in the system viewer (from a temporary copy).
    OpenIssued {
        entry: i64,
    },
    VerifyFile(PathBuf),
    VerifyCode(String),
}

impl From<DocRequest> for Request {
    fn from(r: DocRequest) -> Self {
        Request::Document(r)
    }
}

/// A file written, and whether it could be shown.
pub struct Written {
    pub path: PathBuf,
    /// `Some(Err)`: saved, but the viewer could not be started.
    pub opened: Option<Result<(), String>>,
}

pub enum DocOutcome {
    Printed { quote: QuoteId, stamped: bool, result: Res<Written> },
    Issued { quote: QuoteId, result: Res<(IssuedDocument, Written)> },
    Register(Res<Vec<IssuedDocument>>),
    Saved(Res<Written>),
    Verified(Res<Verification>),
}

impl From<DocOutcome> for Outcome {
    fn from(o: DocOutcome) -> Self {
        Outcome::Document(o)
    }
}

pub(super) fn execute(svc: &mut Service, a: &Actor, request: DocRequest) -> Outcome {
    use DocRequest::*;
    let outcome = match request {
        Print { quote, revision, path, open } => match svc.print_quote(a, quote, Some(revision)) {
            Ok(p) => {
                let result = write_file(&path, &p.bytes).map(|()| shown(path, open));
                DocOutcome::Printed { quote, stamped: p.stamped, result }
            }
            Err(e) => DocOutcome::Printed { quote, stamped: false, result: Err(e) },
        },
        Issue { quote, copies, path, open } => {
            let result = svc.issue_quote(a, quote, copies, &path).map(|e| (e, shown(path, open)));
            DocOutcome::Issued { quote, result }
        }
        VisitPlan { week, path, open } => DocOutcome::Saved(
            svc.print_visit_plan(a, week).and_then(|bytes| write_file(&path, &bytes)).map(|()| shown(path, open)),
        ),
        WeeklyReports { week, user, path, open } => DocOutcome::Saved(
            svc.print_weekly_reports(a, week, user)
                .and_then(|bytes| write_file(&path, &bytes))
                .map(|()| shown(path, open)),
        ),
        Register => DocOutcome::Register(svc.issued_documents(a)),
        SaveIssued { entry, path, open } => DocOutcome::Saved(
            svc.issued_file(a, entry).and_then(|(_, bytes)| write_file(&path, &bytes)).map(|()| shown(path, open)),
        ),
        OpenIssued { entry } => DocOutcome::Saved(svc.issued_file(a, entry).and_then(|(e, bytes)| {
            let dir = std::env::temp_dir().join("SalesDesk");
            std::fs::create_dir_all(&dir).map_err(|err| ServiceError::Rule(format!("无法创建临时文件夹：{err}")))?;
            let name = if e.file_name.is_empty() { format!("{}_V{}.pdf", e.number, e.revision) } else { e.file_name };
            let path = dir.join(name);
            write_file(&path, &bytes)?;
            Ok(shown(path, true))
        })),
        VerifyFile(path) => DocOutcome::Verified(read_file(&path).and_then(|bytes| svc.verify_pdf(&bytes))),
        VerifyCode(code) => DocOutcome::Verified(svc.verify_code(&code)),
    };
    outcome.into()
}

fn shown(path: PathBuf, open: bool) -> Written {
    let opened = open.then(|| open_in_viewer(&path));
    Written { path, opened }
}

/// Opens a file with the system's viewer (best effort: the file is saved either way).
pub fn open_in_viewer(path: &Path) -> Result<(), String> {
    #[cfg(target_os = "windows")]
    let mut command = {
        let mut c = std::process::Command::new("cmd");
        c.args(["/C", "start", ""]);
        c
    };
    #[cfg(target_os = "macos")]
    let mut command = std::process::Command::new("open");
    #[cfg(not(any(target_os = "windows", target_os = "macos")))]
    let mut command = std::process::Command::new("xdg-open");
    command.arg(path).spawn().map(drop).map_err(|e| e.to_string())
}
