; SalesDesk's Windows installer (NSIS 3, Unicode). Made by packaging/build.sh:
;   makensis -INPUTCHARSET UTF8 -DVERSION=0.1.0 -DSRCDIR=<folder with the .exe files>
;            -DOUTFILE=dist/SalesDesk-0.1.0-setup.exe packaging/windows/installer.nsi
; A per-user install: no administrator rights, the program under %LOCALAPPDATA%\Programs\SalesDesk,
; shortcuts in the user's Start menu and on the desktop, the uninstall entry under HKCU. The office
; data lives elsewhere (%LOCALAPPDATA%\SalesDesk\SalesDesk\data): installing a newer version over an
; older one replaces only the program, and the program upgrades the office when it opens it;
; uninstalling keeps the data and says where it is. /S installs or uninstalls silently.

; A 64-bit installer for a 64-bit program: it runs where the program can (and under Wine's wine64).
Target amd64-unicode
!ifdef FAST
  SetCompressor zlib          ; CI's debug smoke builds: seconds, not minutes
!else
  SetCompressor /SOLID lzma
!endif
RequestExecutionLevel user
ManifestDPIAware true

!include "MUI2.nsh"

!ifndef VERSION
  !error "pass -DVERSION=x.y.z"
!endif
!ifndef SRCDIR
  !error "pass -DSRCDIR=<folder with salesdesk.exe and salesdeskw.exe>"
!endif
!ifndef OUTFILE
  !define OUTFILE "SalesDesk-${VERSION}-setup.exe"
!endif
!define ICON "${__FILEDIR__}/../../assets/icon/salesdesk.ico"
!define UNINSTALL_KEY "Software\Microsoft\Windows\CurrentVersion\Uninstall\SalesDesk"
!define APP_NAME "销售部工作台"

Name "${APP_NAME} SalesDesk ${VERSION}"
OutFile "${OUTFILE}"
InstallDir "$LOCALAPPDATA\Programs\SalesDesk"
InstallDirRegKey HKCU "Software\SalesDesk" "InstallDir"
BrandingText "SalesDesk ${VERSION}"

VIProductVersion "${VERSION}.0"
VIAddVersionKey /LANG=2052 "ProductName" "${APP_NAME}"
VIAddVersionKey /LANG=2052 "FileDescription" "${APP_NAME} 安装程序"
VIAddVersionKey /LANG=2052 "FileVersion" "${VERSION}"
VIAddVersionKey /LANG=2052 "ProductVersion" "${VERSION}"
VIAddVersionKey /LANG=2052 "CompanyName" "SalesDesk"
VIAddVersionKey /LANG=2052 "LegalCopyright" "MIT"

!define MUI_ICON "${ICON}"
!define MUI_UNICON "${ICON}"
!define MUI_ABORTWARNING
!define MUI_FINISHPAGE_RUN "$INSTDIR\salesdeskw.exe"
!define MUI_FINISHPAGE_RUN_TEXT "启动销售部工作台"

!insertmacro MUI_PAGE_WELCOME
!insertmacro MUI_PAGE_DIRECTORY
!insertmacro MUI_PAGE_INSTFILES
!insertmacro MUI_PAGE_FINISH
!insertmacro MUI_UNPAGE_CONFIRM
!insertmacro MUI_UNPAGE_INSTFILES
!insertmacro MUI_LANGUAGE "SimpChinese"

Section "销售部工作台" SecMain
  SectionIn RO
  SetOutPath "$INSTDIR"
  File "${SRCDIR}/salesdesk.exe"
  File "${SRCDIR}/salesdeskw.exe"
  File /oname=salesdesk.ico "${ICON}"
  File /oname=LICENSE-fonts.txt "${__FILEDIR__}/../../assets/fonts/OFL.txt"
  WriteUninstaller "$INSTDIR\uninstall.exe"

  CreateDirectory "$SMPROGRAMS\${APP_NAME}"
  CreateShortCut "$SMPROGRAMS\${APP_NAME}\${APP_NAME}.lnk" "$INSTDIR\salesdeskw.exe" "" "$INSTDIR\salesdesk.ico" 0
  ; The command line (demo, check, render, issue, verify, migrate, print): a console in the program folder.
  CreateShortCut "$SMPROGRAMS\${APP_NAME}\${APP_NAME} 命令行.lnk" "$SYSDIR\cmd.exe" '/k cd /d "$INSTDIR" && salesdesk.exe --help' "$INSTDIR\salesdesk.ico" 0
  CreateShortCut "$SMPROGRAMS\${APP_NAME}\卸载${APP_NAME}.lnk" "$INSTDIR\uninstall.exe"
  CreateShortCut "$DESKTOP\${APP_NAME}.lnk" "$INSTDIR\salesdeskw.exe" "" "$INSTDIR\salesdesk.ico" 0

  WriteRegStr HKCU "Software\SalesDesk" "InstallDir" "$INSTDIR"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "DisplayName" "${APP_NAME} SalesDesk"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "DisplayVersion" "${VERSION}"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "Publisher" "SalesDesk"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "DisplayIcon" "$INSTDIR\salesdesk.ico"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "InstallLocation" "$INSTDIR"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "UninstallString" '"$INSTDIR\uninstall.exe"'
  WriteRegStr HKCU "${UNINSTALL_KEY}" "QuietUninstallString" '"$INSTDIR\uninstall.exe" /S'
  WriteRegDWORD HKCU "${UNINSTALL_KEY}" "NoModify" 1
  WriteRegDWORD HKCU "${UNINSTALL_KEY}" "NoRepair" 1
SectionEnd

Section "Uninstall"
  Delete "$INSTDIR\salesdesk.exe"
  Delete "$INSTDIR\salesdeskw.exe"
  Delete "$INSTDIR\salesdesk.ico"
  Delete "$INSTDIR\LICENSE-fonts.txt"
  Delete "$INSTDIR\uninstall.exe"
  RMDir "$INSTDIR"
  Delete "$SMPROGRAMS\${APP_NAME}\${APP_NAME}.lnk"
  Delete "$SMPROGRAMS\${APP_NAME}\${APP_NAME} 命令行.lnk"
  Delete "$SMPROGRAMS\${APP_NAME}\卸载${APP_NAME}.lnk"
  RMDir "$SMPROGRAMS\${APP_NAME}"
  Delete "$DESKTOP\${APP_NAME}.lnk"
  DeleteRegKey HKCU "${UNINSTALL_KEY}"
  DeleteRegKey HKCU "Software\SalesDesk"
  ; The office data is the company's records: never removed by an uninstall.
  MessageBox MB_OK|MB_ICONINFORMATION "销售部工作台已卸载。$\r$\n$\r$\n办公室数据没有删除，仍在：$\r$\n$LOCALAPPDATA\SalesDesk$\r$\n重新安装后可继续使用；确定不再需要时，可手动删除该文件夹（请先备份）。" /SD IDOK
SectionEnd
