//! Saved office-server passwords (记住密码) live in the system's credential store — the Windows
//! Credential Manager, the Secret Service (GNOME Keyring, KWallet) on Linux — never in the
//! window's settings file. Where no store answers (a desktop without a keyring, a locked one), the
//! password is not saved and the connection dialog asks for it at each start.
//!
//! The store is reached through `keyring-core` and one store crate per system (what the keyring
//! project recommends for applications that know their platforms). The window holds a [`Vault`],
//! so its tests use an in-memory one and never the PC's real keyring.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use crate::service::Location;

/// The service name entries are saved under (the account is the address without its password).
const SERVICE: &str = "SalesDesk 办公室服务器";

/// Where saved passwords go.
pub trait Vault: Send + Sync {
    /// Saves `password` for the server address `key` (an address without password).
    fn save(&self, key: &str, password: &str) -> Result<(), String>;
    /// The password saved for `key`, if any.
    fn load(&self, key: &str) -> Option<String>;
    /// Forgets what was saved for `key` (记住密码 turned off).
    fn forget(&self, key: &str);
}

/// The system's credential store.
#[derive(Default)]
pub struct SystemVault;

impl SystemVault {
    fn entry(key: &str) -> Result<keyring_core::Entry, String> {
        let store = system_store().ok_or_else(|| "这台电脑没有可用的系统密码库".to_string())?;
        store.build(SERVICE, key, None).map_err(|e| e.to_string())
    }
}

/// The platform's store, made once; `None` where there is none.
fn system_store() -> Option<Arc<keyring_core::CredentialStore>> {
    static STORE: std::sync::OnceLock<Option<Arc<keyring_core::CredentialStore>>> = std::sync::OnceLock::new();
    STORE
        .get_or_init(|| {
            #[cfg(windows)]
            let made = windows_native_keyring_store::Store::new().map(|s| s as Arc<keyring_core::CredentialStore>);
            #[cfg(target_os = "linux")]
            let made = zbus_secret_service_keyring_store::Store::new().map(|s| s as Arc<keyring_core::CredentialStore>);
            #[cfg(not(any(windows, target_os = "linux")))]
            let made: Result<Arc<keyring_core::CredentialStore>, String> = Err("unsupported".to_string());
            match made {
                Ok(store) => Some(store),
                Err(e) => {
                    log::warn!("no credential store: {e}");
                    None
                }
            }
        })
        .clone()
}

impl Vault for SystemVault {
    fn save(&self, key: &str, password: &str) -> Result<(), String> {
        SystemVault::entry(key)?.set_password(password).map_err(|e| e.to_string())
    }

    fn load(&self, key: &str) -> Option<String> {
        SystemVault::entry(key).ok()?.get_password().ok()
    }

    fn forget(&self, key: &str) {
        if let Ok(entry) = SystemVault::entry(key) {
            let _ = entry.delete_credential();
        }
    }
}

/// A vault in memory (tests); `unavailable()` refuses to save, as a PC without a keyring does.
#[derive(Default)]
pub struct MemoryVault {
    saved: Mutex<HashMap<String, String>>,
    unavailable: bool,
}

impl MemoryVault {
    pub fn unavailable() -> MemoryVault {
        MemoryVault { unavailable: true, ..Default::default() }
    }

    pub fn saved(&self) -> HashMap<String, String> {
        self.saved.lock().map(|m| m.clone()).unwrap_or_default()
    }
}

impl Vault for MemoryVault {
    fn save(&self, key: &str, password: &str) -> Result<(), String> {
        if self.unavailable {
            return Err("这台电脑没有可用的系统密码库".into());
        }
        self.saved.lock().map_err(|e| e.to_string())?.insert(key.to_string(), password.to_string());
        Ok(())
    }

    fn load(&self, key: &str) -> Option<String> {
        self.saved.lock().ok()?.get(key).cloned()
    }

    fn forget(&self, key: &str) {
        if let Ok(mut m) = self.saved.lock() {
            m.remove(key);
        }
    }
}

/// The office to open at start from what the settings remember: a server address gets its saved
/// password from `vault`. A password still inside a remembered address (written by an older
/// version) moves into the vault and out of the settings — kept only if the vault takes it.
pub fn remembered_location(remembered: &mut Option<String>, vault: &dyn Vault) -> Option<Location> {
    let text = remembered.clone()?;
    let Some(mut fields) = super::connect::ServerFields::from_url(&text) else {
        return Some(Location::parse(&text));
    };
    if !fields.password.is_empty() {
        let key = fields.address(false);
        if let Err(e) = vault.save(&key, &fields.password) {
            log::warn!("the password in the settings could not move to the credential store: {e}");
        }
        *remembered = Some(key);
        return Some(Location::parse(&text));
    }
    match vault.load(&text) {
        Some(password) => {
            fields.password = password;
            Some(Location::parse(&fields.address(true)))
        }
        None => Some(Location::parse(&text)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The real Secret Service: `tests/all.sh` runs this under its own D-Bus session with an
    /// unlocked GNOME Keyring (SALESDESK_TEST_KEYRING=1); elsewhere it says it was skipped.
    #[test]
    fn the_system_vault_saves_reads_and_forgets_a_password() {
        if std::env::var("SALESDESK_TEST_KEYRING").is_err() {
            eprintln!("skipped: SALESDESK_TEST_KEYRING is not set (tests/all.sh sets it with a keyring running)");
            return;
        }
        let vault = SystemVault;
        let key = format!("postgres://li@office-server:5432/test-{}", std::process::id());
        vault.save(&key, "密码 pw1").expect("the Secret Service takes it");
        assert_eq!(vault.load(&key).as_deref(), Some("密码 pw1"));
        vault.save(&key, "pw2").expect("replaced");
        assert_eq!(vault.load(&key).as_deref(), Some("pw2"));
        vault.forget(&key);
        assert_eq!(vault.load(&key), None);
    }
}
