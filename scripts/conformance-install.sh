#!/usr/bin/env bash
# Install the pinned MCP conformance suite (@modelcontextprotocol/conformance)
# plus `glob` into target/conformance/, from the package.json/package-lock.json
# kept in scripts/conformance/, and patch it to run on Node 20.
#
# Why the patch: the suite's dist/index.js does `import { globSync } from "fs"`,
# which only exists from Node 22. We rewrite that one import to take globSync
# from the `glob` npm package instead (same call shape: globSync(pattern, {cwd})).
#
# Idempotent: if target/conformance already holds an install made from the
# current lockfile and the patch is in place, nothing is done.
#
# Usage: scripts/conformance-install.sh            # install (or no-op)
#        FORCE=1 scripts/conformance-install.sh    # reinstall from scratch
# Afterwards: node target/conformance/node_modules/@modelcontextprotocol/conformance/dist/index.js --help
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
SRC="$ROOT/scripts/conformance"
DEST="$ROOT/target/conformance"
PKG_DIR="$DEST/node_modules/@modelcontextprotocol/conformance"
ENTRY="$PKG_DIR/dist/index.js"
EXPECTED_VERSION="0.2.0-alpha.12"
STAMP="$DEST/.install-stamp"

command -v node >/dev/null || { echo "conformance-install: node not found" >&2; exit 1; }
command -v npm >/dev/null || { echo "conformance-install: npm not found" >&2; exit 1; }
[ -f "$SRC/package.json" ] && [ -f "$SRC/package-lock.json" ] \
  || { echo "conformance-install: missing $SRC/package.json or package-lock.json" >&2; exit 1; }

lock_hash() { cat "$SRC/package.json" "$SRC/package-lock.json" | sha256sum | cut -d' ' -f1; }
WANT="$(lock_hash)"

is_patched() {
  [ -f "$ENTRY" ] && grep -q 'from"glob";/\*conformance-install: globSync patch\*/' "$ENTRY"
}

if [ "${FORCE:-0}" != "1" ] && [ -f "$STAMP" ] && [ "$(cat "$STAMP")" = "$WANT" ] && is_patched; then
  echo "conformance-install: up to date ($DEST)"
  exit 0
fi

mkdir -p "$DEST"
rm -f "$STAMP"
cp "$SRC/package.json" "$SRC/package-lock.json" "$DEST/"
(
  cd "$DEST"
  # --ignore-scripts: nothing in this tree needs install scripts.
  npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
)

[ -f "$ENTRY" ] || { echo "conformance-install: $ENTRY not found after npm ci" >&2; exit 1; }

GOT_VERSION="$(node -p "require('$PKG_DIR/package.json').version")"
if [ "$GOT_VERSION" != "$EXPECTED_VERSION" ]; then
  echo "conformance-install: expected @modelcontextprotocol/conformance $EXPECTED_VERSION, got $GOT_VERSION" >&2
  echo "  (update EXPECTED_VERSION here and re-check the globSync patch)" >&2
  exit 1
fi

# Apply the globSync patch. The bundle is minified: the import looks like
#   import{existsSync as i,globSync as a,mkdtempSync as o,...}from"fs";
# We drop `globSync as X` from that import and add
#   import{globSync as X}from"glob";
# right after it. Fails loudly if the exact import shape is not found.
node - "$ENTRY" <<'EOF'
const fs = require("fs");
const file = process.argv[2];
const src = fs.readFileSync(file, "utf8");
const MARK = "/*conformance-install: globSync patch*/";
if (src.includes(MARK)) { console.log("conformance-install: globSync patch already applied"); process.exit(0); }
const re = /import\{([^{}]*)\}from"fs";/g;
const hits = [...src.matchAll(re)].filter((m) => /(^|,)globSync as [A-Za-z_$][\w$]*(,|$)/.test(m[1]));
if (hits.length !== 1) {
  console.error(`conformance-install: expected exactly one 'import{...globSync as X...}from"fs";' in ${file}, found ${hits.length}`);
  console.error("  The suite version or its bundling changed: re-check the Node 20 globSync patch.");
  process.exit(1);
}
const m = hits[0];
const specs = m[1].split(",");
const idx = specs.findIndex((s) => /^globSync as [A-Za-z_$][\w$]*$/.test(s));
const local = specs[idx].split(" as ")[1];
specs.splice(idx, 1);
const fsImport = specs.length ? `import{${specs.join(",")}}from"fs";` : "";
const replacement = `${fsImport}import{globSync as ${local}}from"glob";${MARK}`;
const out = src.slice(0, m.index) + replacement + src.slice(m.index + m[0].length);
fs.writeFileSync(file, out);
// Verify.
const check = fs.readFileSync(file, "utf8");
if (!check.includes(`import{globSync as ${local}}from"glob";${MARK}`) || /import\{[^{}]*globSync[^{}]*\}from"fs"/.test(check)) {
  console.error("conformance-install: globSync patch verification failed");
  process.exit(1);
}
console.log(`conformance-install: patched globSync import (local name '${local}') -> from "glob"`);
EOF

is_patched || { echo "conformance-install: patch marker missing after patching" >&2; exit 1; }

# Smoke test: the CLI must at least load under this Node.
(cd "$DEST" && node "$ENTRY" --help >/dev/null) \
  || { echo "conformance-install: patched CLI fails to load under $(node --version)" >&2; exit 1; }

echo "$WANT" > "$STAMP"
echo "conformance-install: installed @modelcontextprotocol/conformance $GOT_VERSION into $DEST"
