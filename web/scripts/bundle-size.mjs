// Prints the production bundle's size per file, raw and gzip-compressed (what a browser
// downloads), after `vite build`.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { gzipSync } from 'node:zlib';

const dist = new URL('../dist/', import.meta.url).pathname;
const files = [];
(function walk(dir) {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) walk(path);
    else if (!name.endsWith('.map')) files.push(path);
  }
})(dist);

const kib = (bytes) => `${(bytes / 1024).toFixed(1)} KiB`;
let raw = 0;
let gzip = 0;
console.log('\nproduction bundle (web/dist):');
for (const path of files.sort()) {
  const content = readFileSync(path);
  const compressed = gzipSync(content, { level: 9 }).length;
  raw += content.length;
  gzip += compressed;
  console.log(`  ${relative(dist, path).padEnd(40)} ${kib(content.length).padStart(11)}  gzip ${kib(compressed).padStart(10)}`);
}
console.log(`  ${'total'.padEnd(40)} ${kib(raw).padStart(11)}  gzip ${kib(gzip).padStart(10)}`);
