#!/usr/bin/env bash
# Re-locks the three lock files from pyproject.toml and the *.in files, resolved for the lowest supported
# Python (Debian 12's own 3.11.2, /usr/bin/python3): a pin that needs a newer 3.11 never enters a lock.
#   requirements.txt         base + [book] + [trainer]: what ./course installs (book, pdf, paper, records, serve)
#   requirements-dev.txt     everything, with the runtime pins exactly: what ./course test installs
#   binder/requirements.txt  base + [lab] and Binder's own image packages: what Binder installs
set -eo pipefail
cd "$(dirname "$0")"
PYTHON="${LOCK_PYTHON:-/usr/bin/python3}"
TOOLS="$(mktemp -d)"
trap 'rm -rf "$TOOLS"' EXIT
"$PYTHON" -m venv "$TOOLS"
"$TOOLS/bin/pip" install -q --disable-pip-version-check pip-tools
compile() {  # in-file out-file: pip-compile names the project by its absolute path; the lock says -e .
  "$TOOLS/bin/pip-compile" --quiet --allow-unsafe --no-emit-find-links --no-emit-index-url --no-emit-trusted-host \
    --strip-extras --output-file="$2" "$1"
  sed -i -E -e 's|^-e file:///.*$|-e .|' -e "s|^    # via (file:///)?-\$|    # via -r $1|" "$2"
}
compile requirements.in requirements.txt
compile requirements-dev.in requirements-dev.txt
compile binder/requirements.in binder/requirements.txt
