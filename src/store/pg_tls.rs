//! Encrypted connections to the office server, with libpq's words for them in the address:
//! `?sslmode=verify-full&sslrootcert=C:\办公室\ca.crt`.
//!
//! - `disable`: no encryption (a test bench).
//! - `prefer` (the default, as libpq's): encrypted when the server offers it, not checked.
//! - `require`: encrypted or no connection; the server's certificate is not checked (someone who
//!   can redirect the office network could still pose as the server).
//! - `verify-ca`: encrypted, and the server's certificate must be signed by the office's CA.
//! - `verify-full`: as `verify-ca`, and the certificate must name the server as the address does.
//!   What an office should use: the admin makes a CA once (README, server guide), gives each PC
//!   its certificate file, and a seat then talks only to the real server.
//!
//! TLS is rustls (pure Rust, ring for the cryptography): the same code builds for Windows with
//! MinGW, where OpenSSL would be one more thing to cross-build and ship.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use postgres::config::SslMode;
use rustls::client::WebPkiServerVerifier;
use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::crypto::CryptoProvider;
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::{CertificateError, ClientConfig, DigitallySignedStruct, RootCertStore, SignatureScheme};
use tokio_postgres_rustls::MakeRustlsConnect;

/// How the connection is encrypted and checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum TlsMode {
    Disable,
    #[default]
    Prefer,
    Require,
    VerifyCa,
    VerifyFull,
}

impl TlsMode {
    /// libpq's word for it.
    pub fn keyword(self) -> &'static str {
        match self {
            TlsMode::Disable => "disable",
            TlsMode::Prefer => "prefer",
            TlsMode::Require => "require",
            TlsMode::VerifyCa => "verify-ca",
            TlsMode::VerifyFull => "verify-full",
        }
    }

    pub fn from_keyword(word: &str) -> Option<TlsMode> {
        [TlsMode::Disable, TlsMode::Prefer, TlsMode::Require, TlsMode::VerifyCa, TlsMode::VerifyFull]
            .into_iter()
            .find(|m| m.keyword() == word)
    }

    /// Whether the server's certificate is checked against the office's CA.
    pub fn verifies(self) -> bool {
        matches!(self, TlsMode::VerifyCa | TlsMode::VerifyFull)
    }
}

/// What the address asks for.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct TlsSettings {
    pub mode: TlsMode,
    /// The office's CA certificate (PEM), for `verify-ca` and `verify-full`.
    pub root_cert: Option<PathBuf>,
}

/// What went wrong with the encryption, in the words the user reads; nothing was written.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TlsProblem {
    #[error(
        "办公室服务器没有开启加密连接（SSL），而连接设置要求加密，所以没有连接。请管理员在服务器上开启 SSL（见 README“办公室服务器”一节），并确认连接的是办公室的服务器。"
    )]
    ServerRefusesTls,
    #[error(
        "连接设置要求核对服务器证书，但没有选择办公室的 CA 证书。请在“连接数据库”中选择管理员给的 CA 证书文件（.crt 或 .pem）。"
    )]
    NoRootCert,
    #[error("无法读取 CA 证书文件 {path}（{detail}）。请选择管理员给的 CA 证书文件（.crt 或 .pem）。")]
    RootCert { path: String, detail: String },
    #[error(
        "服务器的证书不是由所选的 CA 证书签发的，可能连到了冒充的服务器，或选错了 CA 证书，所以没有连接。请向管理员核对 CA 证书文件和服务器地址。"
    )]
    UnknownIssuer,
    #[error(
        "服务器的证书已过期或尚未生效（也可能是这台电脑的日期不对），所以没有连接。请核对本机日期，并请管理员更新服务器证书。"
    )]
    Expired,
    #[error(
        "服务器证书上的名称与所填的服务器地址“{host}”不符，所以没有连接。请按证书上的名称填写服务器地址（问管理员），或请管理员为这个地址签发证书。"
    )]
    WrongName { host: String },
    #[error("与办公室服务器建立加密连接失败（{0}）。请检查连接设置，或请管理员查看服务器的 SSL 设置。")]
    Handshake(String),
}

/// Splits libpq's `sslmode` and `sslrootcert` off the address (the PostgreSQL client reads
/// neither), returning the rest and what they say.
pub(super) fn split(url: &str) -> Result<(String, TlsSettings), String> {
    let Some((base, query)) = url.split_once('?') else {
        return Ok((url.to_string(), TlsSettings::default()));
    };
    let (rest, settings) = split_params(query)?;
    let url = if rest.is_empty() { base.to_string() } else { format!("{base}?{rest}") };
    Ok((url, settings))
}

/// The same for the part after `?`: the other parameters as they were, and the TLS settings.
pub fn split_params(query: &str) -> Result<(String, TlsSettings), String> {
    let mut settings = TlsSettings::default();
    let mut rest = Vec::new();
    for pair in query.split('&').filter(|p| !p.is_empty()) {
        let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
        match key {
            "sslmode" => {
                settings.mode = TlsMode::from_keyword(value).ok_or_else(|| {
                    format!("sslmode={value} 不认识，应为 disable、prefer、require、verify-ca 或 verify-full")
                })?;
            }
            "sslrootcert" => settings.root_cert = Some(PathBuf::from(percent_decode(value))),
            _ => rest.push(pair),
        }
    }
    Ok((rest.join("&"), settings))
}

/// `%XX` decoded (a path in an address is percent-encoded; `+` stays a plus).
pub fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes.get(i + 1..i + 3).and_then(|h| std::str::from_utf8(h).ok());
        match hex.filter(|_| bytes[i] == b'%').and_then(|h| u8::from_str_radix(h, 16).ok()) {
            Some(b) => {
                out.push(b);
                i += 3;
            }
            None => {
                out.push(bytes[i]);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The PostgreSQL client's mode and the TLS connector for `settings`.
pub(super) fn connector(settings: &TlsSettings) -> Result<(SslMode, MakeRustlsConnect), TlsProblem> {
    // rustls 0.23.48 marks ring's provider deprecated for lacking post-quantum key exchange; the
    // alternative (aws-lc-rs) needs CMake and NASM to cross-build for Windows. A LAN server's
    // TLS 1.3 with X25519 is what libpq negotiates too.
    #[allow(deprecated)]
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let builder = ClientConfig::builder_with_provider(provider.clone())
        .with_safe_default_protocol_versions()
        .map_err(|e| TlsProblem::Handshake(e.to_string()))?;
    let config = if settings.mode.verifies() {
        let path = settings.root_cert.as_deref().ok_or(TlsProblem::NoRootCert)?;
        let roots = Arc::new(root_store(path)?);
        let webpki = WebPkiServerVerifier::builder_with_provider(roots, provider)
            .build()
            .map_err(|e| TlsProblem::Handshake(e.to_string()))?;
        let verifier: Arc<dyn ServerCertVerifier> = match settings.mode {
            TlsMode::VerifyCa => Arc::new(SignedByCa(webpki)),
            _ => webpki,
        };
        builder.dangerous().with_custom_certificate_verifier(verifier).with_no_client_auth()
    } else {
        builder.dangerous().with_custom_certificate_verifier(Arc::new(Unchecked(provider))).with_no_client_auth()
    };
    let mode = match settings.mode {
        TlsMode::Disable => SslMode::Disable,
        TlsMode::Prefer => SslMode::Prefer,
        TlsMode::Require | TlsMode::VerifyCa | TlsMode::VerifyFull => SslMode::Require,
    };
    Ok((mode, MakeRustlsConnect::new(config)))
}

/// The office's CA certificates from a PEM file.
fn root_store(path: &Path) -> Result<RootCertStore, TlsProblem> {
    let problem = |detail: String| TlsProblem::RootCert { path: path.display().to_string(), detail };
    let bytes = std::fs::read(path).map_err(|e| problem(e.to_string()))?;
    // PEM (`-----BEGIN CERTIFICATE-----`, what the guide makes), or one binary (DER) certificate
    // as Windows exports a `.cer`.
    let certs: Vec<CertificateDer<'static>> = if bytes.starts_with(&[0x30]) {
        vec![CertificateDer::from(bytes)]
    } else {
        CertificateDer::pem_slice_iter(&bytes)
            .collect::<Result<_, _>>()
            .map_err(|e| problem(format!("不是证书文件：{e}")))?
    };
    if certs.is_empty() {
        return Err(problem("文件里没有证书".into()));
    }
    let mut roots = RootCertStore::empty();
    let (added, _) = roots.add_parsable_certificates(certs);
    if added == 0 {
        return Err(problem("证书无法解析".into()));
    }
    Ok(roots)
}

/// `require` and `prefer`: encrypted, the certificate not checked (libpq does the same). The
/// handshake's signatures are still verified, so the session is bound to the presented key.
#[derive(Debug)]
struct Unchecked(Arc<CryptoProvider>);

impl ServerCertVerifier for Unchecked {
    fn verify_server_cert(
        &self,
        _end_entity: &CertificateDer<'_>,
        _intermediates: &[CertificateDer<'_>],
        _server_name: &ServerName<'_>,
        _ocsp_response: &[u8],
        _now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        Ok(ServerCertVerified::assertion())
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls12_signature(message, cert, dss, &self.0.signature_verification_algorithms)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls13_signature(message, cert, dss, &self.0.signature_verification_algorithms)
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.0.signature_verification_algorithms.supported_schemes()
    }
}

/// `verify-ca`: the chain must lead to the office's CA; the name is not compared (webpki checks
/// the chain before the name, so a name mismatch means the chain was good).
#[derive(Debug)]
struct SignedByCa(Arc<WebPkiServerVerifier>);

impl ServerCertVerifier for SignedByCa {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        server_name: &ServerName<'_>,
        ocsp_response: &[u8],
        now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        match self.0.verify_server_cert(end_entity, intermediates, server_name, ocsp_response, now) {
            Err(rustls::Error::InvalidCertificate(
                CertificateError::NotValidForName | CertificateError::NotValidForNameContext { .. },
            )) => Ok(ServerCertVerified::assertion()),
            other => other,
        }
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        self.0.verify_tls12_signature(message, cert, dss)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        self.0.verify_tls13_signature(message, cert, dss)
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.0.supported_verify_schemes()
    }
}

/// The TLS problem behind a failed connection, if it was one.
pub(super) fn problem_of(e: &postgres::Error, host: &str) -> Option<TlsProblem> {
    let text = e.to_string();
    let mut current: Option<&(dyn std::error::Error + 'static)> = Some(e);
    while let Some(err) = current {
        // tokio-postgres's words when the server answers the TLS request with "no".
        if err.to_string().contains("server does not support TLS") {
            return Some(TlsProblem::ServerRefusesTls);
        }
        let found = err.downcast_ref::<rustls::Error>().or_else(|| {
            err.downcast_ref::<std::io::Error>()
                .and_then(|io| io.get_ref())
                .and_then(|i| i.downcast_ref::<rustls::Error>())
        });
        if let Some(r) = found {
            return Some(match r {
                rustls::Error::InvalidCertificate(c) => match c {
                    CertificateError::UnknownIssuer | CertificateError::BadSignature => TlsProblem::UnknownIssuer,
                    CertificateError::Expired
                    | CertificateError::ExpiredContext { .. }
                    | CertificateError::NotValidYet
                    | CertificateError::NotValidYetContext { .. } => TlsProblem::Expired,
                    CertificateError::NotValidForName | CertificateError::NotValidForNameContext { .. } => {
                        TlsProblem::WrongName { host: host.to_string() }
                    }
                    other => TlsProblem::Handshake(format!("{other:?}")),
                },
                other => TlsProblem::Handshake(other.to_string()),
            });
        }
        current = err.source();
    }
    text.contains("TLS").then_some(TlsProblem::Handshake(text))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_address_s_ssl_words_are_read_and_the_rest_kept() {
        let (url, s) = split("postgres://u@h:5432/db").expect("plain");
        assert_eq!((url.as_str(), s), ("postgres://u@h:5432/db", TlsSettings::default()));
        let (url, s) =
            split("postgres://u@h/db?connect_timeout=3&sslmode=verify-full&sslrootcert=C%3A%5C%E5%8A%9E%5Cca.crt")
                .expect("tls");
        assert_eq!(url, "postgres://u@h/db?connect_timeout=3");
        assert_eq!(s.mode, TlsMode::VerifyFull);
        assert_eq!(s.root_cert, Some(PathBuf::from("C:\\办\\ca.crt")));
        let e = split("postgres://u@h/db?sslmode=allow").expect_err("unknown");
        assert!(e.contains("sslmode=allow"), "{e}");
    }

    #[test]
    fn verifying_without_a_ca_file_or_with_a_wrong_one_says_which() {
        let settings = TlsSettings { mode: TlsMode::VerifyFull, root_cert: None };
        assert_eq!(connector(&settings).err(), Some(TlsProblem::NoRootCert));
        let dir = tempfile::tempdir().expect("folder");
        let file = dir.path().join("ca.crt");
        std::fs::write(&file, "not a certificate").expect("written");
        let settings = TlsSettings { mode: TlsMode::VerifyCa, root_cert: Some(file) };
        assert!(matches!(connector(&settings), Err(TlsProblem::RootCert { .. })));
        let missing = TlsSettings { mode: TlsMode::VerifyFull, root_cert: Some(dir.path().join("none.crt")) };
        assert!(matches!(connector(&missing), Err(TlsProblem::RootCert { .. })));
        assert!(connector(&TlsSettings::default()).is_ok());
    }
}
