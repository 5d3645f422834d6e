// js-bson (npm "bson", the official JavaScript BSON library) on the same file as the .NET harness.
// Usage: node peer-js-bson.mjs <data.bson> [passes]. Needs `cd tests/tools && npm ci`.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const tools = process.env.OTTKIT_TOOLS_DIR ?? path.resolve(here, '../../../tools/node_modules');
const require = createRequire(path.join(tools, 'noop.js'));
const BSON = require('bson');
const version = JSON.parse(readFileSync(path.join(tools, 'bson', 'package.json'), 'utf8')).version;

const file = process.argv[2];
const passes = Number(process.argv[3] ?? 5);
const data = readFileSync(file);
const docs = [];
for (let offset = 0; offset < data.length;) {
  const length = data.readInt32LE(offset);
  docs.push([offset, length]);
  offset += length;
}

// Best pass by process CPU time (user + system, all threads), as the .NET harness does; wall time is reported too.
function measure(pass) {
  pass();
  let bestCpu = Infinity;
  let bestWall = Infinity;
  for (let i = 0; i < passes; i++) {
    const cpu = process.cpuUsage();
    const start = process.hrtime.bigint();
    pass();
    bestWall = Math.min(bestWall, Number(process.hrtime.bigint() - start) / 1e9);
    const used = process.cpuUsage(cpu);
    bestCpu = Math.min(bestCpu, (used.user + used.system) / 1e6);
  }
  return { cpu: data.length / 1e6 / bestCpu, wall: data.length / 1e6 / bestWall };
}

const decoded = new Array(docs.length);
const decode = measure(() => {
  for (let i = 0; i < docs.length; i++) {
    const [offset, length] = docs[i];
    decoded[i] = BSON.deserialize(data.subarray(offset, offset + length));
  }
});
const encode = measure(() => {
  for (let i = 0; i < decoded.length; i++) BSON.serialize(decoded[i]);
});
console.log(JSON.stringify({
  peer: `js-bson ${version} (node ${process.version})`,
  decode_MBps: +decode.cpu.toFixed(1), encode_MBps: +encode.cpu.toFixed(1),
  decode_wall_MBps: +decode.wall.toFixed(1), encode_wall_MBps: +encode.wall.toFixed(1),
}));
