//! For a Windows build only: gives `salesdesk.exe` and `salesdeskw.exe` their icon and version
//! information (Explorer's Properties → Details), as a resource compiled by MinGW's `windres`
//! (Debian's binutils-mingw-w64-x86-64, installed with the cross compiler). Nothing to do for other
//! targets. Fifteen lines of our own instead of a resource crate: the crates for this pull a TOML
//! parser into every build, on every platform.

use std::env;
use std::path::PathBuf;
use std::process::Command;

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rerun-if-changed=assets/icon/salesdesk.ico");
    if env::var("CARGO_CFG_TARGET_OS").as_deref() != Ok("windows") {
        return;
    }
    let root = PathBuf::from(env::var("CARGO_MANIFEST_DIR").expect("cargo sets it"));
    let out = PathBuf::from(env::var("OUT_DIR").expect("cargo sets it"));
    let version = env::var("CARGO_PKG_VERSION").expect("cargo sets it");
    let mut parts: Vec<u32> = version.split(['.', '-']).filter_map(|p| p.parse().ok()).take(3).collect();
    parts.resize(4, 0);
    let numbers = parts.iter().map(u32::to_string).collect::<Vec<_>>().join(",");
    let icon = root.join("assets/icon/salesdesk.ico").display().to_string().replace('\\', "/");
    let rc = format!(
        r#"#pragma code_page(65001)
1 ICON "{icon}"
1 VERSIONINFO
FILEVERSION {numbers}
PRODUCTVERSION {numbers}
BEGIN
  BLOCK "StringFileInfo"
  BEGIN
    BLOCK "080404B0"
    BEGIN
      VALUE "CompanyName", "SalesDesk"
      VALUE "FileDescription", "SalesDesk 销售部工作台"
      VALUE "FileVersion", "{version}"
      VALUE "ProductName", "销售部工作台"
      VALUE "ProductVersion", "{version}"
    END
  END
  BLOCK "VarFileInfo"
  BEGIN
    VALUE "Translation", 0x804, 1200
  END
END
"#
    );
    let rc_path = out.join("salesdesk.rc");
    std::fs::write(&rc_path, rc).expect("OUT_DIR is writable");
    let res = out.join("salesdesk-res.o");
    let windres = env::var("WINDRES").unwrap_or_else(|_| "x86_64-w64-mingw32-windres".into());
    let status = Command::new(&windres)
        .arg("--input")
        .arg(&rc_path)
        .arg("--output-format=coff")
        .arg("--output")
        .arg(&res)
        .status()
        .unwrap_or_else(|e| panic!("{windres} not found ({e}): install binutils-mingw-w64-x86-64"));
    assert!(status.success(), "{windres} failed on {}", rc_path.display());
    println!("cargo:rustc-link-arg-bins={}", res.display());
}
