//! A real CUPS scheduler for the printing tests: its own configuration, spool and port on loopback,
//! started by the test and stopped when it is dropped, with cups-pdf queues (Debian's virtual
//! printer, which writes each job as a PDF file into a folder of the test's). No mock of the print
//! service: jobs go through the same scheduler, filters and backend an office's printer would.
//!
//! Needs `cupsd` (Debian's `cups`), `printer-driver-cups-pdf`, `pdftoppm` (`poppler-utils`) and
//! tesseract with its Chinese data (`tesseract-ocr-chi-sim`, to read printed pages back);
//! `tests/all.sh` installs them. Without them the printing tests say they were skipped, and fail
//! under `CI=true`.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use salesdesk::print::PrintServer;
use tempfile::TempDir;

const CUPS_PDF_BACKEND: &str = "/usr/lib/cups/backend/cups-pdf";
const CUPS_PDF_PPD: &str = "/usr/share/ppd/cups-pdf/CUPS-PDF_opt.ppd";

static QUEUES: AtomicUsize = AtomicUsize::new(0);

/// Whether this machine can run the printing tests; says why not (and fails under CI).
pub fn available(test: &str) -> bool {
    let missing: Vec<&str> = [
        ("/usr/sbin/cupsd", "cups"),
        (CUPS_PDF_BACKEND, "printer-driver-cups-pdf"),
        ("/usr/bin/pdftoppm", "poppler-utils"),
        ("/usr/bin/tesseract", "tesseract-ocr"),
        ("/usr/share/tesseract-ocr/5/tessdata/chi_sim.traineddata", "tesseract-ocr-chi-sim"),
        ("/usr/sbin/lpadmin", "cups-client"),
    ]
    .into_iter()
    .filter(|(path, _)| !Path::new(path).exists())
    .map(|(_, package)| package)
    .collect();
    // cups-pdf takes a queue's output folder from /etc/cups/cups-pdf-<queue>.conf only.
    let probe = Path::new("/etc/cups").join(format!(".sdt-probe-{}", std::process::id()));
    let writable = std::fs::write(&probe, b"").is_ok();
    let _ = std::fs::remove_file(&probe);
    if missing.is_empty() && writable {
        return true;
    }
    let missing = if missing.is_empty() { vec!["write access to /etc/cups (run as root)"] } else { missing };
    if std::env::var("CI").is_ok_and(|v| v == "true") {
        panic!("{test}: CI=true but {} not installed; tests/all.sh installs them", missing.join(", "));
    }
    eprintln!("{test}: skipped, {} not installed (see README: tests)", missing.join(", "));
    false
}

/// One scheduler; killed (and its cups-pdf queue settings removed) on drop.
pub struct Scheduler {
    dir: TempDir,
    port: u16,
    child: Child,
    queues: Vec<String>,
}

impl Scheduler {
    /// Starts a scheduler with no printers.
    pub fn start() -> Scheduler {
        Scheduler::start_with("")
    }

    /// Starts one with extra `cupsd.conf` lines (e.g. `MaxRequestSize 40k`: it answers questions
    /// about printers but refuses any document, as a print service that fails at the last step).
    pub fn start_with(extra: &str) -> Scheduler {
        let dir = tempfile::tempdir().expect("temporary folder");
        let root = dir.path();
        for sub in ["spool", "cache", "state", "log", "ppd"] {
            std::fs::create_dir_all(root.join(sub)).expect("folders");
        }
        let port = free_port();
        std::fs::write(
            root.join("cupsd.conf"),
            format!(
                "Listen 127.0.0.1:{port}\nLogLevel warn\nWebInterface No\nBrowsing No\nDefaultAuthType None\n\
                 <Location />\n  Order allow,deny\n  Allow all\n</Location>\n\
                 <Location /admin>\n  Order allow,deny\n  Allow all\n</Location>\n\
                 <Policy default>\n  <Limit All>\n    Order deny,allow\n  </Limit>\n</Policy>\n{extra}\n"
            ),
        )
        .expect("cupsd.conf");
        let r = root.display();
        std::fs::write(
            root.join("cups-files.conf"),
            format!(
                "ServerRoot {r}\nRequestRoot {r}/spool\nCacheDir {r}/cache\nStateDir {r}/state\nTempDir {r}/spool\n\
                 AccessLog {r}/log/access_log\nErrorLog {r}/log/error_log\nPageLog {r}/log/page_log\n\
                 ServerBin /usr/lib/cups\nDataDir /usr/share/cups\nSystemGroup root\n"
            ),
        )
        .expect("cups-files.conf");
        let child = Command::new("/usr/sbin/cupsd")
            .arg("-f")
            .arg("-c")
            .arg(root.join("cupsd.conf"))
            .arg("-s")
            .arg(root.join("cups-files.conf"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("cupsd starts");
        let s = Scheduler { dir, port, child, queues: Vec::new() };
        let started = Instant::now();
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(started.elapsed() < Duration::from_secs(20), "cupsd did not listen on {port}: {}", s.log());
            std::thread::sleep(Duration::from_millis(50));
        }
        s
    }

    /// The address SalesDesk is given.
    pub fn server(&self) -> PrintServer {
        PrintServer::new(&self.address())
    }

    pub fn address(&self) -> String {
        format!("127.0.0.1:{}", self.port)
    }

    /// Adds a cups-pdf queue described as `description`, writing its jobs into its own folder;
    /// returns the queue's name. The first one becomes the default.
    pub fn add_pdf_printer(&mut self, description: &str) -> String {
        let name = format!("sdt{}_{}", std::process::id(), QUEUES.fetch_add(1, Ordering::SeqCst));
        let out = self.out_dir(&name);
        std::fs::create_dir_all(&out).expect("output folder");
        // A job from a user the system does not know (SalesDesk logins are not system accounts)
        // is written by cups-pdf as `nobody`: the folder must be reachable and writable for it.
        use std::os::unix::fs::PermissionsExt;
        for (path, mode) in [
            (self.dir.path().to_path_buf(), 0o755),
            (out.parent().expect("out").to_path_buf(), 0o755),
            (out.clone(), 0o777),
        ] {
            std::fs::set_permissions(&path, std::fs::Permissions::from_mode(mode)).expect("permissions");
        }
        // cups-pdf reads /etc/cups/cups-pdf-<name>.conf for a queue whose device is cups-pdf:/<name>.
        std::fs::write(
            conf_path(&name),
            format!("Out {}\nAnonDirName {}\nLabel 1\nUserUMask 0000\nAnonUMask 0000\n", out.display(), out.display()),
        )
        .expect("cups-pdf settings");
        self.queues.push(name.clone());
        self.lpadmin(&["-p", &name, "-v", &format!("cups-pdf:/{name}"), "-P", CUPS_PDF_PPD, "-D", description, "-E"]);
        if self.queues.len() == 1 {
            self.lpadmin(&["-d", &name]);
        }
        name
    }

    /// `cupsdisable`: the queue still takes jobs but holds them (a paused printer).
    pub fn stop(&self, name: &str) {
        self.run("cupsdisable", &[name]);
    }

    /// `cupsreject`: the queue refuses new jobs.
    pub fn reject(&self, name: &str) {
        self.run("cupsreject", &[name]);
    }

    fn lpadmin(&self, args: &[&str]) {
        self.run("lpadmin", args);
    }

    fn run(&self, tool: &str, args: &[&str]) {
        let out = Command::new(tool).arg("-h").arg(self.address()).args(args).output().expect("CUPS tool runs");
        assert!(out.status.success(), "{tool} {args:?}: {}", String::from_utf8_lossy(&out.stderr));
    }

    fn out_dir(&self, name: &str) -> PathBuf {
        self.dir.path().join("out").join(name)
    }

    /// The PDFs cups-pdf wrote for `name`, waiting up to 30 s for `count` of them.
    pub fn printed(&self, name: &str, count: usize) -> Vec<PathBuf> {
        let started = Instant::now();
        loop {
            let mut files: Vec<PathBuf> = std::fs::read_dir(self.out_dir(name))
                .map(|d| d.filter_map(Result::ok).map(|e| e.path()).collect())
                .unwrap_or_default();
            files.retain(|p| p.extension().is_some_and(|e| e == "pdf"));
            files.sort();
            // cups-pdf writes through Ghostscript: wait until each file is complete.
            if files.len() >= count && files.iter().all(|f| pdf_complete(f)) {
                return files;
            }
            assert!(
                started.elapsed() < Duration::from_secs(30),
                "{count} job(s) on {name}, found {files:?}: {}",
                self.log()
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    /// Jobs the scheduler logged as printed for `name` (CUPS's page log: one line per job).
    pub fn page_log(&self) -> String {
        std::fs::read_to_string(self.dir.path().join("log/page_log")).unwrap_or_default()
    }

    pub fn log(&self) -> String {
        std::fs::read_to_string(self.dir.path().join("log/error_log")).unwrap_or_default()
    }
}

impl Drop for Scheduler {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        for q in &self.queues {
            let _ = std::fs::remove_file(conf_path(q));
        }
    }
}

fn conf_path(queue: &str) -> PathBuf {
    PathBuf::from(format!("/etc/cups/cups-pdf-{queue}.conf"))
}

fn free_port() -> u16 {
    std::net::TcpListener::bind(("127.0.0.1", 0)).expect("a free port").local_addr().expect("address").port()
}

fn pdf_complete(path: &Path) -> bool {
    std::fs::read(path).is_ok_and(|b| b.len() > 100 && b.windows(5).rev().take(64).any(|w| w == b"%%EOF"))
}

/// The pages of a PDF as grey pixels at `dpi` (pdftoppm), one `Vec<u8>` per page, with its size.
pub fn pages_as_grey(pdf: &Path, dpi: u32) -> Vec<(u32, u32, Vec<u8>)> {
    let dir = tempfile::tempdir().expect("temporary folder");
    let prefix = dir.path().join("p");
    let out = Command::new("pdftoppm")
        .args(["-gray", "-r", &dpi.to_string()])
        .arg(pdf)
        .arg(&prefix)
        .output()
        .expect("pdftoppm runs");
    assert!(out.status.success(), "pdftoppm {}: {}", pdf.display(), String::from_utf8_lossy(&out.stderr));
    let mut files: Vec<PathBuf> =
        std::fs::read_dir(dir.path()).expect("pages").filter_map(Result::ok).map(|e| e.path()).collect();
    files.sort();
    files.iter().map(|f| read_pgm(&std::fs::read(f).expect("page"))).collect()
}

/// A binary PGM (P5) as (width, height, pixels).
fn read_pgm(bytes: &[u8]) -> (u32, u32, Vec<u8>) {
    let mut fields = Vec::new();
    let mut i = 0;
    while fields.len() < 4 {
        while bytes[i].is_ascii_whitespace() {
            i += 1;
        }
        let start = i;
        while !bytes[i].is_ascii_whitespace() {
            i += 1;
        }
        fields.push(String::from_utf8_lossy(&bytes[start..i]).into_owned());
    }
    assert_eq!(fields[0], "P5", "a grey page");
    let (w, h): (u32, u32) = (fields[1].parse().expect("width"), fields[2].parse().expect("height"));
    (w, h, bytes[i + 1..].to_vec())
}

/// How far two renderings of a page differ, at the scale of a line of text: the mean absolute
/// difference of their grey levels averaged over 8 × 8-pixel blocks (0 = the same, 255 = inverted).
/// Ghostscript redraws text as outlines and may move it by a fraction of a pixel, which a
/// pixel-by-pixel difference would count; a different document (another quote from the same
/// template) moves whole blocks.
pub fn page_difference(a: &(u32, u32, Vec<u8>), b: &(u32, u32, Vec<u8>)) -> f64 {
    // Ghostscript rounds A4 to whole points (595 × 842): a pixel more or less at the edge.
    assert!(a.0.abs_diff(b.0) <= 2 && a.1.abs_diff(b.1) <= 2, "page sizes differ: {:?} {:?}", (a.0, a.1), (b.0, b.1));
    let (w, h) = (a.0.min(b.0) as usize, a.1.min(b.1) as usize);
    let block = |p: &(u32, u32, Vec<u8>), bx: usize, by: usize| -> f64 {
        let stride = p.0 as usize;
        let mut sum = 0u32;
        for y in by * 8..by * 8 + 8 {
            for x in bx * 8..bx * 8 + 8 {
                sum += u32::from(p.2[y * stride + x]);
            }
        }
        f64::from(sum) / 64.0
    };
    let (bw, bh) = (w / 8, h / 8);
    let mut total = 0.0;
    for by in 0..bh {
        for bx in 0..bw {
            total += (block(a, bx, by) - block(b, bx, by)).abs();
        }
    }
    total / (bw * bh) as f64
}

/// The text tesseract reads on the first page (Chinese and Latin), at 150 dpi.
pub fn ocr_first_page(pdf: &Path) -> String {
    let dir = tempfile::tempdir().expect("temporary folder");
    let prefix = dir.path().join("p");
    let out = Command::new("pdftoppm")
        .args(["-png", "-r", "150", "-f", "1", "-l", "1", "-singlefile"])
        .arg(pdf)
        .arg(&prefix)
        .output()
        .expect("pdftoppm runs");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let out = Command::new("tesseract")
        .arg(prefix.with_extension("png"))
        .args(["-", "-l", "chi_sim+eng"])
        .output()
        .expect("tesseract runs");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stdout).into_owned()
}
