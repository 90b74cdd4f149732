#!/usr/bin/env bash
# Installs, once, the Markdown renderer the tests render the Markdown summary with in Chromium: the
# npm package `marked` (GitHub-flavoured Markdown: tables, code spans, escapes), pinned here, into DIR.
# Usage: tools/markdown-renderer.sh DIR       (ReportMarkdownIT runs it on first use; needs npm)
set -euo pipefail
version=18.2.1
dir=${1:?usage: tools/markdown-renderer.sh DIR}
stamp="$dir/.marked-version"
if [ -f "$dir/node_modules/marked/package.json" ] && [ "$(cat "$stamp" 2>/dev/null)" = "$version" ]; then
  exit 0
fi
if ! command -v npm >/dev/null 2>&1; then
  echo "markdown-renderer: npm is not installed; install Node.js with npm (Debian: apt-get install npm)" >&2
  exit 2
fi
echo "markdown-renderer: installing marked@$version into $dir (once)" >&2
rm -rf "$dir"
mkdir -p "$dir"
npm install --prefix "$dir" --no-save --no-audit --no-fund --loglevel=error "marked@$version" >&2
echo "$version" > "$stamp"
