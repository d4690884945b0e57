#!/usr/bin/env bash
# The whole test suite on both backends: every office on a SQLite file, then the service suite
# again with every office on a throwaway PostgreSQL server that pg_virtualenv (Debian's
# postgresql-common) starts on loopback for this run and removes afterwards.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v pg_virtualenv >/dev/null; then
  echo "installing PostgreSQL from Debian's packages (for the server tests)"
  sudo=""
  [ "$(id -u)" -ne 0 ] && sudo=sudo
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends postgresql postgresql-contrib >/dev/null
fi

# The printing tests run a real CUPS scheduler of their own with Debian's cups-pdf virtual printer,
# and read what it printed back with pdftoppm and tesseract.
print_need=()
[ -x /usr/sbin/cupsd ] || print_need+=(cups)
[ -x /usr/sbin/lpadmin ] || print_need+=(cups-client)
[ -e /usr/lib/cups/backend/cups-pdf ] || print_need+=(printer-driver-cups-pdf)
command -v pdftoppm >/dev/null || print_need+=(poppler-utils)
command -v qpdf >/dev/null || print_need+=(qpdf)
command -v tesseract >/dev/null || print_need+=(tesseract-ocr)
[ -e /usr/share/tesseract-ocr/5/tessdata/chi_sim.traineddata ] || print_need+=(tesseract-ocr-chi-sim)
# 记住密码 keeps server passwords in the system's credential store: on Linux the Secret Service,
# which the last step reaches through a D-Bus session of its own with GNOME Keyring unlocked.
command -v gnome-keyring-daemon >/dev/null || print_need+=(gnome-keyring)
command -v dbus-run-session >/dev/null || print_need+=(dbus-daemon)
if [ ${#print_need[@]} -gt 0 ]; then
  echo "installing the print service and its test tools: ${print_need[*]}"
  sudo=""
  [ "$(id -u)" -ne 0 ] && sudo=sudo
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${print_need[@]}" >/dev/null
fi

# The service and store tests that run again on the server; the rest are about SQLite files
# (damage, crashes, tampering with the file, the CLI on a file) or the window, and run once.
server_modules=(bids:: contracts:: customers:: documents:: imports:: inquiries:: negotiation:: prices::
  printing:: quotes:: server:: settings:: sign_in:: stored_values:: tender_checks:: timeline:: users:: visits::)

# A fresh machine may have no locale set: the throwaway cluster would then be SQL_ASCII, which the
# office refuses (it needs UTF-8). The newest installed PostgreSQL, if there are several.
export LANG=C.UTF-8 LC_ALL=C.UTF-8
version=$(ls /usr/lib/postgresql | sort -V | tail -1)

# -t: the cluster lives in a temporary folder even as root, so a run killed earlier (or one running
# beside this) does not stand in the way.
pg_virtualenv -t -v "$version" bash -c '
  set -euo pipefail
  export SALESDESK_TEST_PG="postgres://$PGUSER:$PGPASSWORD@$PGHOST:$PGPORT/postgres"
  echo "== the whole suite, offices on SQLite files (the server tests use $PGHOST:$PGPORT)"
  cargo test
  echo "== the service suite again, every office on the PostgreSQL server"
  SALESDESK_TEST_BACKEND=postgres cargo test --test it -- --skip ui_ "$@"
' all.sh "${server_modules[@]}"

echo "== the system credential store (Secret Service), in a D-Bus session of its own"
dbus-run-session -- bash -c '
  # A keyring of its own in a temporary folder, made and unlocked with this password.
  export XDG_DATA_HOME=$(mktemp -d)
  echo -n salesdesk-test | gnome-keyring-daemon --unlock --components=secrets --daemonize >/dev/null
  SALESDESK_TEST_KEYRING=1 cargo test --lib ui::credentials
'
