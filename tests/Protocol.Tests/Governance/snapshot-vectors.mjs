// Prints the scores and totals that snapshot.js computes for the vote sets of the Governance tests, and what its
// isValidChoice says about a set of choices; the C# tests hold these numbers as their oracle.
//
//   mkdir -p /tmp/snapjs && cd /tmp/snapjs && npm init -y >/dev/null \
//     && npm install @snapshot-labs/snapshot.js@0.17 --no-audit --no-fund
//   node tests/Protocol.Tests/Governance/snapshot-vectors.mjs            # or SNAPSHOT_JS_DIR=/elsewhere node ...
//
// Produced with @snapshot-labs/snapshot.js 0.17.5 on node 20.
import { createRequire } from 'node:module';
import path from 'node:path';

const dir = process.env.SNAPSHOT_JS_DIR ?? '/tmp/snapjs';
const require = createRequire(path.join(dir, 'package.json'));
const snapshot = require('@snapshot-labs/snapshot.js');
const voting = (snapshot.default ?? snapshot).utils.voting;
const version = require('@snapshot-labs/snapshot.js/package.json').version;

const labels = (n) => Array.from({ length: n }, (_, i) => `choice ${i + 1}`);

function tally(type, n, votes) {
  const proposal = { choices: labels(n) };
  const ballots = votes.map(([choice, balance]) => ({ choice, balance, scores: [balance] }));
  const counter = new voting[type](proposal, ballots, [{ name: 'ticket', network: '1', params: {} }], null);
  return { scores: counter.getScores(), total: counter.getScoresTotal() };
}

// Each vote is [choice, power], one voter each.
const cases = [
  ['single-choice', 3, [[1, 10], [2, 5.5], [1, 2.25], [3, 0.125]]],
  ['basic', 3, [[1, 40], [2, 35], [3, 50], [2, 7.5]]],
  ['approval', 4, [[[1, 2], 10], [[2, 3], 5], [[], 3], [[4], 7], [[1, 2, 3, 4], 1]]],
  ['ranked-choice', 3, [[[1, 2, 3], 60], [[2, 3, 1], 25], [[3, 2, 1], 15]]],
  ['ranked-choice', 4, [[[1, 2, 3, 4], 40], [[2, 3, 1, 4], 30], [[3, 2, 1, 4], 20], [[4, 2, 3, 1], 10]]],
  ['ranked-choice', 3, [[[1, 2, 3], 40], [[2, 3, 1], 30], [[3, 1, 2], 30]]],
  ['ranked-choice', 5, [
    [[3, 1, 2, 5, 4], 12.5], [[1, 3, 2, 4, 5], 9], [[2, 1, 3, 4, 5], 7.25], [[5, 4, 2, 1, 3], 3],
    [[4, 5, 3, 2, 1], 4], [[2, 3, 1, 5, 4], 6], [[5, 2, 4, 3, 1], 2.5], [[1, 2, 3, 4, 5], 1.75]]],
  ['ranked-choice', 4, [[[1, 4, 2, 3], 40], [[2, 4, 1, 3], 35], [[3, 4, 1, 2], 25]]],
  ['ranked-choice', 3, [[[1, 2, 3], 30], [[2, 1, 3], 30], [[3, 1, 2], 5], [[3, 2, 1], 5]]],
  ['weighted', 3, [[{ 1: 1, 2: 1 }, 10], [{ 1: 3, 3: 1 }, 8], [{ 2: 1, 3: 2 }, 3], [{ 1: 1, 2: 2 }, 1], [{ 1: 0, 3: 5 }, 0.7]]],
  ['quadratic', 2, [[{ 1: 1 }, 100], [{ 2: 1 }, 25], [{ 2: 1 }, 25], [{ 2: 1 }, 25], [{ 2: 1 }, 25]]],
  ['quadratic', 3, [[{ 1: 1, 3: 3 }, 16], [{ 2: 2, 3: 1 }, 9], [{ 1: 1, 2: 1, 3: 1 }, 30], [{ 2: 5 }, 2.5], [{ 1: 0, 3: 1 }, 1]]],
];

console.log(`snapshot.js ${version}`);
for (const [type, n, votes] of cases) {
  const { scores, total } = tally(type, n, votes);
  console.log(`${type} ${JSON.stringify(votes.map(([c, p]) => `${JSON.stringify(c)}:${p}`))}`);
  console.log(`  scores [${scores.join(', ')}] total ${total}`);
}

// isValidChoice for choices our reader accepts; [type, number of choices, choice].
const choices = [
  ['single-choice', 3, 1], ['single-choice', 3, 3], ['single-choice', 3, 0], ['single-choice', 3, 4], ['single-choice', 3, -1],
  ['single-choice', 3, [1]],
  ['basic', 3, 2], ['basic', 3, 4],
  ['approval', 3, []], ['approval', 3, [1, 3]], ['approval', 3, [1, 2, 3]], ['approval', 3, [1, 1]], ['approval', 3, [0]],
  ['approval', 3, [4]], ['approval', 3, 1],
  ['ranked-choice', 3, [2, 3, 1]], ['ranked-choice', 3, [1, 2]], ['ranked-choice', 3, []], ['ranked-choice', 3, [1, 2, 2]],
  ['ranked-choice', 3, [1, 2, 3, 4]], ['ranked-choice', 3, [1, 2, 4]], ['ranked-choice', 1, [1]],
  ['weighted', 3, { 1: 1 }], ['weighted', 3, { 1: 0, 2: 2 }], ['weighted', 3, {}], ['weighted', 3, { 1: 0 }],
  ['weighted', 3, { 1: -1, 2: 2 }], ['weighted', 3, { 4: 1 }], ['weighted', 3, { 0: 1 }], ['weighted', 3, [1]], ['weighted', 3, 1],
  ['weighted', 3, { 1: 0.5, 3: 0.25 }],
  ['quadratic', 3, { 2: 7 }], ['quadratic', 3, { 1: 0, 3: 0 }], ['quadratic', 3, { 3: -2 }], ['quadratic', 3, { 5: 1 }],
];
for (const [type, n, choice] of choices) {
  console.log(`isValidChoice ${type} of ${n}: ${JSON.stringify(choice)} -> ${voting[type].isValidChoice(choice, labels(n))}`);
}
