// Drives the real snapshot.js Client712 (with the ethers v5 Wallet it is built on) against a running portal, as any
// Snapshot client would: proposals of three voting types, a vote in each of the three signed forms, a cancellation, a
// vote refused on the cancelled proposal, and every answer read back. Prints one JSON object for the C# test.
// Usage: node snapshot-client.mjs <portal-url> <private-key> <space> <snapshot-block>
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(join(here, '../../../../Contracts/package.json'));
const snapshot = require('@snapshot-labs/snapshot.js');
const { Wallet } = require('@ethersproject/wallet');

const [portal, privateKey, space, block] = process.argv.slice(2);
const wallet = new Wallet(privateKey);
const client = new snapshot.Client712(`${portal}/api/msg`);
const now = Math.floor(Date.now() / 1e3);

async function get(path) {
  const response = await fetch(`${portal}${path}`);
  if (!response.ok) throw new Error(`GET ${path}: ${response.status} ${await response.text()}`);
  return response.json();
}

// What anyone can do with a receipt: fetch the signed message and check it with snapshot.js itself.
async function check(receipt) {
  const stored = await get(`/api/msg/${receipt.id}`);
  return {
    ...receipt,
    hashMatches: snapshot.utils.getHash(stored.data) === receipt.id,
    signatureValid: await snapshot.utils.verify(stored.address, stored.sig, stored.data),
  };
}

async function propose(type, title) {
  return check(await client.proposal(wallet, wallet.address, {
    space, type, title, body: `A **${type}** question from snapshot.js.`, choices: ['sd15', 'sdxl', 'flux-dev'],
    start: now, end: now + 3600, snapshot: Number(block), plugins: '{}', app: 'snapshot-compat',
  }));
}

async function vote(proposal, type, choice) {
  return check(await client.vote(wallet, wallet.address, { space, proposal, type, choice, reason: `a ${type} vote`, app: 'snapshot-compat' }));
}

const proposals = {
  single: await propose('single-choice', 'One model'),
  approval: await propose('approval', 'Some models'),
  weighted: await propose('weighted', 'A split'),
  cancelled: await propose('single-choice', 'Withdrawn'),
};
const votes = {
  single: await vote(proposals.single.id, 'single-choice', 2),
  approval: await vote(proposals.approval.id, 'approval', [1, 3]),
  weighted: await vote(proposals.weighted.id, 'weighted', { 1: 70, 2: 30 }),
};
const cancel = await check(await client.cancelProposal(wallet, wallet.address, { space, proposal: proposals.cancelled.id }));
let refusal = null;
try {
  await client.vote(wallet, wallet.address, { space, proposal: proposals.cancelled.id, type: 'single-choice', choice: 1, reason: '', app: 'snapshot-compat' });
} catch (error) {
  refusal = error;
}
const reads = {};
for (const [name, receipt] of Object.entries(proposals)) reads[name] = await get(`/api/proposals/${receipt.id}`);

console.log(JSON.stringify({ address: wallet.address, proposals, votes, cancel, refusal, reads }));
