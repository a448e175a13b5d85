// Compiles Contracts/src with solc-js and writes Contracts/artifacts/<ContractName>.json as
// { contractName, abi, bytecode, deployedBytecode }. EntryPoint, SimpleAccountFactory and SimpleAccount are copied
// from the published artifacts of @account-abstraction/contracts (never compiled here).
//
//   node scripts/build.mjs           write the artifacts
//   node scripts/build.mjs --check   compile in memory; exit 1 naming every stale, missing or unexpected artifact
//
// The output is deterministic: source unit names are relative (src/..., @openzeppelin/..., @account-abstraction/...),
// so the metadata hash in the bytecode does not depend on where the repository lives.

import { readFileSync, readdirSync, writeFileSync, mkdirSync, existsSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { createRequire } from "node:module";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const require = createRequire(join(root, "package.json"));
const solc = require("solc");

const srcDir = join(root, "src");
const artifactsDir = join(root, "artifacts");
const nodeModules = join(root, "node_modules");

const EXPECTED_SOLC = "0.8.37";
const SETTINGS = {
  optimizer: { enabled: true, runs: 200 },
  evmVersion: "cancun",
  viaIR: true,
  outputSelection: { "*": { "*": ["abi", "evm.bytecode.object", "evm.deployedBytecode.object"] } },
};
const PUBLISHED = ["EntryPoint", "SimpleAccountFactory", "SimpleAccount"];
const PUBLISHED_DIR = join(nodeModules, "@account-abstraction", "contracts", "artifacts");

function fail(message) {
  console.error(`build: ${message}`);
  process.exit(1);
}

function resolveImport(path) {
  if (!(path.startsWith("@openzeppelin/") || path.startsWith("@account-abstraction/")) || path.includes("..")) {
    return { error: `import ${path} is outside @openzeppelin/ and @account-abstraction/` };
  }
  const file = join(nodeModules, path);
  if (!existsSync(file)) return { error: `import ${path} not found in node_modules` };
  return { contents: readFileSync(file, "utf8") };
}

function artifactText(contractName, abi, bytecode, deployedBytecode) {
  const hex = (code) => (code.startsWith("0x") ? code : `0x${code}`);
  const artifact = { contractName, abi, bytecode: hex(bytecode), deployedBytecode: hex(deployedBytecode) };
  return `${JSON.stringify(artifact, null, 2)}\n`;
}

function compile() {
  const version = solc.version();
  if (!version.startsWith(`${EXPECTED_SOLC}+`)) fail(`solc ${EXPECTED_SOLC} expected, found ${version}`);

  const files = readdirSync(srcDir).filter((f) => f.endsWith(".sol")).sort();
  if (files.length === 0) fail(`no .sol files in ${srcDir}`);
  const sources = {};
  for (const f of files) sources[`src/${f}`] = { content: readFileSync(join(srcDir, f), "utf8") };

  const input = { language: "Solidity", sources, settings: SETTINGS };
  const output = JSON.parse(solc.compile(JSON.stringify(input), { import: resolveImport }));
  const errors = (output.errors ?? []).filter((e) => e.severity === "error");
  const warnings = (output.errors ?? []).filter((e) => e.severity !== "error" && e.sourceLocation?.file?.startsWith("src/"));
  if (!process.argv.includes("--check")) for (const w of warnings) console.error(w.formattedMessage);
  if (errors.length > 0) fail(`compilation failed:\n${errors.map((e) => e.formattedMessage).join("\n")}`);

  const result = new Map();
  for (const f of files) {
    const contracts = output.contracts[`src/${f}`] ?? {};
    const names = Object.keys(contracts);
    const expected = f.slice(0, -".sol".length);
    if (!names.includes(expected)) fail(`src/${f} must define contract ${expected} (found: ${names.join(", ") || "none"})`);
    for (const name of names) {
      const c = contracts[name];
      if (!c.evm.bytecode.object) continue; // interfaces and abstract contracts have no bytecode
      result.set(`${name}.json`, artifactText(name, c.abi, c.evm.bytecode.object, c.evm.deployedBytecode.object));
    }
  }
  for (const name of PUBLISHED) {
    const published = JSON.parse(readFileSync(join(PUBLISHED_DIR, `${name}.json`), "utf8"));
    if (published.contractName !== name) fail(`${PUBLISHED_DIR}/${name}.json names ${published.contractName}`);
    if (result.has(`${name}.json`)) fail(`src/ defines ${name}, which clashes with the published artifact`);
    result.set(`${name}.json`, artifactText(name, published.abi, published.bytecode, published.deployedBytecode));
  }
  return result;
}

const check = process.argv.includes("--check");
const expected = compile();

if (check) {
  const present = existsSync(artifactsDir)
    ? readdirSync(artifactsDir).filter((f) => f.endsWith(".json"))
    : [];
  const problems = [];
  for (const [file, text] of expected) {
    const path = join(artifactsDir, file);
    if (!existsSync(path)) problems.push(`missing: artifacts/${file}`);
    else if (readFileSync(path, "utf8") !== text) problems.push(`stale: artifacts/${file}`);
  }
  for (const file of present.sort()) {
    if (!expected.has(file)) problems.push(`unexpected: artifacts/${file}`);
  }
  if (problems.length > 0) {
    console.error(`artifacts differ from what src/ produces (run: npm run build):\n  ${problems.join("\n  ")}`);
    process.exit(1);
  }
  console.log(`artifacts up to date (${expected.size} files)`);
} else {
  mkdirSync(artifactsDir, { recursive: true });
  for (const file of readdirSync(artifactsDir)) {
    if (file.endsWith(".json") && !expected.has(file)) {
      console.log(`note: artifacts/${file} is not produced by the build; remove it if it is stale`);
    }
  }
  for (const [file, text] of expected) writeFileSync(join(artifactsDir, file), text);
  console.log(`wrote ${expected.size} artifacts to ${artifactsDir}`);
}
