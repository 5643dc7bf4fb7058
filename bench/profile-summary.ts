/**
 * `node dist/bench/profile-summary.js <file.cpuprofile> [skipSeconds] [rows]`: where a CPU profile of the bridge
 * (`BENCH_PROFILE_DIR=<dir> npm run bench`) spends its busy time, by package (or source file, or Node internal)
 * and by function. Samples from the first `skipSeconds` (default 8: start-up and warm-up) are left out.
 */
import { readFileSync } from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

const [file, skip = '8', rows = '25'] = process.argv.slice(2);
if (!file) throw new Error('usage: profile-summary <file.cpuprofile> [skipSeconds] [rows]');
const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
const nodes = new Map(profile.nodes.map((node) => [node.id, node]));

function owner({ callFrame: { url, functionName } }: ProfileNode): string {
  if (!url) return functionName || '(native)';
  const inPackage = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (inPackage) return inPackage[1]!;
  return url.startsWith('node:') ? url : url.replace(/^.*?\/dist\//, '');
}

const byOwner = new Map<string, number>();
const byFunction = new Map<string, number>();
let elapsedUs = 0;
let busyUs = 0;
profile.samples.forEach((id, index) => {
  const delta = profile.timeDeltas[index] ?? 0;
  elapsedUs += delta;
  const node = nodes.get(id)!;
  if (elapsedUs < Number(skip) * 1e6 || node.callFrame.functionName === '(idle)') return;
  busyUs += delta;
  const name = owner(node);
  byOwner.set(name, (byOwner.get(name) ?? 0) + delta);
  const fn = `${name} ${node.callFrame.functionName || '(anonymous)'}:${node.callFrame.lineNumber + 1}`;
  byFunction.set(fn, (byFunction.get(fn) ?? 0) + delta);
});

const top = (table: Map<string, number>) =>
  [...table]
    .sort((a, b) => b[1] - a[1])
    .slice(0, Number(rows))
    .map(([name, us]) => `${((100 * us) / busyUs).toFixed(1).padStart(5)}%  ${name}`);
console.log(`busy ${(busyUs / 1e6).toFixed(1)} s after the first ${skip} s; self time by owner:`);
console.log(top(byOwner).join('\n'));
console.log('\nby function:');
console.log(top(byFunction).join('\n'));
