//! Encrypted connections to the office server, against the real server with TLS switched on over
//! loopback: a test CA and the server's certificate made here (rcgen), the server told to use them
//! (`ALTER SYSTEM`, reloaded), then each way a seat may meet it — verify-full against the office's
//! CA, a certificate for another name, a stranger's CA, an expired certificate, a server that
//! refuses TLS — each a clear Chinese message and no connection. Needs SALESDESK_TEST_PG and a
//! superuser on it who may write into the server's data folder (CI: root, pg_virtualenv).

use std::net::{IpAddr, Ipv4Addr};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use rcgen::{BasicConstraints, CertificateParams, DnType, IsCa, Issuer, KeyPair, SanType};
use salesdesk::store::pg_tls::TlsProblem;
use salesdesk::store::{Store, StoreError};

use crate::support::{new_server_database, require_server, server_url};

/// A CA and the key that signs with it.
struct Ca {
    pem: String,
    issuer: Issuer<'static, KeyPair>,
}

fn ca(name: &str) -> Ca {
    let key = KeyPair::generate().expect("key");
    let mut params = CertificateParams::new(Vec::<String>::new()).expect("params");
    params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    params.distinguished_name.push(DnType::CommonName, name);
    let cert = params.self_signed(&key).expect("CA certificate");
    Ca { pem: cert.pem(), issuer: Issuer::new(params, key) }
}

/// A server certificate for `names` (DNS names or IP addresses) signed by `ca`, and its key.
fn server_cert(ca: &Ca, names: &[&str], expired: bool) -> (String, String) {
    let key = KeyPair::generate().expect("key");
    let mut params = CertificateParams::new(Vec::<String>::new()).expect("params");
    for n in names {
        params.subject_alt_names.push(match n.parse::<IpAddr>() {
            Ok(ip) => SanType::IpAddress(ip),
            Err(_) => SanType::DnsName((*n).try_into().expect("a DNS name")),
        });
    }
    params.distinguished_name.push(DnType::CommonName, names[0]);
    if expired {
        params.not_before = rcgen::date_time_ymd(2020, 1, 1);
        params.not_after = rcgen::date_time_ymd(2021, 1, 1);
    }
    let cert = params.signed_by(&key, &ca.issuer).expect("server certificate");
    (cert.pem(), key.serialize_pem())
}

/// Runs `sql` on the server as the test's superuser.
fn admin(base: &str, sql: &str) -> Vec<postgres::Row> {
    let mut c = postgres::Client::connect(&server_url(base, "postgres"), postgres::NoTls).expect("admin connects");
    c.query(sql, &[]).unwrap_or_else(|e| panic!("{sql}: {e:?}"))
}

/// Where the server reads its files from, and whose they must be.
struct ServerFiles {
    dir: PathBuf,
    uid: u32,
    gid: u32,
}

impl ServerFiles {
    fn new(base: &str) -> Option<ServerFiles> {
        use std::os::unix::fs::MetadataExt;
        let data: String = admin(base, "SHOW data_directory")[0].get(0);
        let meta = std::fs::metadata(&data).ok()?;
        let dir = Path::new(&data).join(format!("sdt_tls_{}", std::process::id()));
        std::fs::create_dir_all(&dir).ok()?;
        std::os::unix::fs::chown(&dir, Some(meta.uid()), Some(meta.gid())).ok()?;
        Some(ServerFiles { dir, uid: meta.uid(), gid: meta.gid() })
    }

    /// The server uses this certificate and key from now on (reloaded; waited for).
    fn install(&self, base: &str, tag: &str, cert: &str, key: &str) {
        use std::os::unix::fs::PermissionsExt;
        let (c, k) = (self.dir.join(format!("{tag}.crt")), self.dir.join(format!("{tag}.key")));
        std::fs::write(&c, cert).expect("certificate written");
        std::fs::write(&k, key).expect("key written");
        for f in [&c, &k] {
            std::os::unix::fs::chown(f, Some(self.uid), Some(self.gid)).expect("owned by the server");
            std::fs::set_permissions(f, std::fs::Permissions::from_mode(0o600)).expect("private");
        }
        admin(base, &format!("ALTER SYSTEM SET ssl_cert_file = '{}'", c.display()));
        admin(base, &format!("ALTER SYSTEM SET ssl_key_file = '{}'", k.display()));
        admin(base, "ALTER SYSTEM SET ssl = on");
        reload(base, "on");
    }
}

/// Reloads the server's settings and waits until `ssl` reads `want`.
fn reload(base: &str, want: &str) {
    admin(base, "SELECT pg_reload_conf()");
    let started = Instant::now();
    loop {
        let now: String = admin(base, "SHOW ssl")[0].get(0);
        if now == want {
            // New connections read the reloaded certificate: give the postmaster a moment more.
            std::thread::sleep(Duration::from_millis(300));
            return;
        }
        assert!(started.elapsed() < Duration::from_secs(10), "ssl stayed {now}");
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// `url` with its host replaced by `host` and `params` added.
fn with(url: &str, host: &str, params: &str) -> String {
    let (creds, rest) = url.trim_start_matches("postgres://").split_once('@').expect("user@host");
    let port_and_db = &rest[rest.find(':').expect("host:port")..];
    format!("postgres://{creds}@{host}{port_and_db}?{params}")
}

fn tls_problem(url: &str) -> TlsProblem {
    match Store::open_server(url) {
        Err(StoreError::Tls(p)) => p,
        Err(other) => panic!("{url}: not a TLS problem: {other:?}"),
        Ok(_) => panic!("{url}: connected"),
    }
}

#[test]
fn a_seat_talks_only_to_the_office_server_its_ca_vouches_for() {
    let Some(base) = require_server("server TLS") else { return };
    let Some(files) = ServerFiles::new(&base) else {
        assert!(std::env::var("CI").is_err(), "CI: cannot write into the server's data folder");
        eprintln!("server TLS: skipped, the server's data folder is not writable here");
        return;
    };
    let db = new_server_database(&base, None);
    let dir = tempfile::tempdir().expect("temporary folder");
    let office = ca("办公室 CA");
    let ca_file = dir.path().join("办公室 CA.crt");
    std::fs::write(&ca_file, &office.pem).expect("CA written");
    let stranger = ca("Stranger CA");
    let stranger_file = dir.path().join("stranger.crt");
    std::fs::write(&stranger_file, &stranger.pem).expect("written");
    let encoded = |p: &Path| {
        p.display()
            .to_string()
            .bytes()
            .map(|b| {
                if b.is_ascii_alphanumeric() || b"/._-".contains(&b) {
                    (b as char).to_string()
                } else {
                    format!("%{b:02X}")
                }
            })
            .collect::<String>()
    };
    let _restore = Restore { base: base.clone(), ssl: admin(&base, "SHOW ssl")[0].get(0), dir: files.dir.clone() };

    // The server's certificate names `localhost` only.
    let (cert, key) = server_cert(&office, &["localhost"], false);
    files.install(&base, "good", &cert, &key);
    let full = with(&db, "localhost", &format!("sslmode=verify-full&sslrootcert={}", encoded(&ca_file)));
    let store = Store::open_server(&full).expect("verify-full against the office CA connects");
    let encrypted: i64 = admin(
        &base,
        &format!(
            "SELECT count(*) FROM pg_stat_ssl s JOIN pg_stat_activity a USING (pid) \
             WHERE s.ssl AND a.application_name = 'salesdesk' AND a.datname = '{}'",
            db.rsplit('/').next().expect("db name")
        ),
    )[0]
    .get(0);
    assert!(encrypted >= 1, "the seat's connection is encrypted");
    drop(store);

    // By IP address the name does not match: verify-full refuses, verify-ca (chain only) connects.
    let by_ip =
        with(&db, &Ipv4Addr::LOCALHOST.to_string(), &format!("sslmode=verify-full&sslrootcert={}", encoded(&ca_file)));
    let p = tls_problem(&by_ip);
    assert!(matches!(p, TlsProblem::WrongName { ref host } if host == "127.0.0.1"), "{p:?}");
    assert!(p.to_string().contains("名称") && p.to_string().contains("127.0.0.1"), "{p}");
    Store::open_server(&by_ip.replace("verify-full", "verify-ca")).expect("verify-ca checks the chain only");

    // Another CA's file: the server cannot prove itself.
    let p =
        tls_problem(&with(&db, "localhost", &format!("sslmode=verify-full&sslrootcert={}", encoded(&stranger_file))));
    assert_eq!(p, TlsProblem::UnknownIssuer);
    assert!(p.to_string().contains("冒充"), "{p}");

    // No CA file chosen for a mode that checks.
    assert_eq!(tls_problem(&with(&db, "localhost", "sslmode=verify-full")), TlsProblem::NoRootCert);

    // An expired certificate.
    let (cert, key) = server_cert(&office, &["localhost"], true);
    files.install(&base, "expired", &cert, &key);
    assert_eq!(tls_problem(&full), TlsProblem::Expired);
    // require encrypts without checking (as libpq): it connects to the same server.
    Store::open_server(&with(&db, "localhost", "sslmode=require")).expect("require does not check the certificate");

    // A server without TLS: require refuses, prefer (the default) connects unencrypted.
    admin(&base, "ALTER SYSTEM SET ssl = off");
    reload(&base, "off");
    let p = tls_problem(&with(&db, "localhost", "sslmode=require"));
    assert_eq!(p, TlsProblem::ServerRefusesTls);
    assert!(p.to_string().contains("没有开启加密连接"), "{p}");
    Store::open_server(&db).expect("prefer falls back when the server has no TLS");
}

/// Puts the server's TLS settings back as they were (its own configuration file's), pass or fail.
struct Restore {
    base: String,
    ssl: String,
    dir: PathBuf,
}

impl Drop for Restore {
    fn drop(&mut self) {
        for setting in ["ssl", "ssl_cert_file", "ssl_key_file"] {
            admin(&self.base, &format!("ALTER SYSTEM RESET {setting}"));
        }
        reload(&self.base, &self.ssl);
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}
