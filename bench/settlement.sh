#!/usr/bin/env bash
# One epoch's settlement without a chain: settle.miners, settle.stakers, settle.leaves, settle.seconds (Settle, the
# RewardLeaf list, the Merkle tree and a proof for every leaf, after a warm-up), settle.budget_wei (one 1-day epoch of
# the schedule's first month), settle.unallocated_wei, settle.sum_exact=true|false (leaf sums equal the totals,
# allocated + unallocated = budget, 1,000 sampled proofs verify) and proof.depth (the longest proof). key=value lines.
# The epoch is synthetic, drawn from --seed in bench/Settlement/SyntheticEpoch.cs: Pareto points, stakes across the
# 10,000/100,000-token efficiency edges, distinct stakers (some on several miners), bribes 0-10,000 bps.
# Then on an anvil of its own: claim.gas (gasUsed of RewardsDistributor.claim for the benchmark tree's deepest leaf,
# with claim.leaves and claim.proof_depth; claim.gas_returning is the same account's claim of the next epoch, once
# it holds HEU and esHEU), and indexer.events_per_s (ChainIndexer catching up a burst of --events
# Staked transactions, mined in one block, into a fresh PostgreSQL cluster; with indexer.events, .staked_events and
# .seconds).
#   bench/settlement.sh [--miners N] [--stakers N] [--seed N] [--events N]     (defaults 10000, 100000, 1, 10000)
set -euo pipefail
cd "$(dirname "$0")/.."

# Quiet: the build's output is shown only when it fails.
if ! build_log=$(dotnet build bench/Settlement/Settlement.csproj -c Release --nologo -v quiet 2>&1); then
  echo "$build_log" >&2
  exit 1
fi
dotnet bench/Settlement/bin/Release/net10.0/Settlement.dll "$@"
