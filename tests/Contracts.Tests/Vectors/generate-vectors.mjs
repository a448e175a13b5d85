// Writes vectors.json: test vectors for the .NET Ethereum library, computed by viem and checked against ethers.
// Usage: node generate-vectors.mjs [output-path]   (default: vectors.json beside this script)
// Every input is fixed, so the output is byte-for-byte reproducible; a test re-runs this and compares.
import { createRequire } from 'node:module';
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import assert from 'node:assert/strict';

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(join(here, '../../../Contracts/package.json'));
const viem = require('viem');
const accounts = require('viem/accounts');
const ethers = require('ethers');

const { keccak256, toHex, toBytes, getAddress, encodeAbiParameters, parseAbiParameters, encodePacked, toRlp, fromRlp,
  hashTypedData, hashDomain, hashStruct, hashMessage, serializeTransaction, encodeFunctionData, encodeFunctionResult,
  encodeEventTopics, encodeErrorResult, encodeDeployData, toFunctionSelector, toEventSelector } = viem;

const text = (s) => toHex(new TextEncoder().encode(s));
const repeatHex = (byte, count) => '0x' + byte.repeat(count);
const seededKey = (label) => keccak256(text(label));

// ---------- Keccak-256 ----------
const keccakInputs = ['0x', text('abc'), text('hello world'), repeatHex('61', 135), repeatHex('61', 136), repeatHex('61', 137), repeatHex('ff', 1000)];
const keccak = keccakInputs.map((input) => {
  const hash = keccak256(input);
  assert.equal(hash, ethers.keccak256(input));
  return { input, hash };
});

// ---------- Keys, addresses, signatures ----------
const privateKeys = [
  '0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80', // anvil account 0
  '0x0000000000000000000000000000000000000000000000000000000000000001',
  '0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364140', // n - 1
  seededKey('heurist-vector-key-1'),
  seededKey('heurist-vector-key-2'),
];
const keys = privateKeys.map((privateKey) => {
  const account = accounts.privateKeyToAccount(privateKey);
  const wallet = new ethers.Wallet(privateKey);
  assert.equal(account.address, wallet.address);
  assert.equal(account.publicKey, wallet.signingKey.publicKey);
  return { privateKey, publicKey: account.publicKey, address: account.address };
});

const addressInputs = [
  '0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed',
  '0xFB6916095CA1DF60BB79CE92CE3EA74C37C5D359',
  '0xdbF03B407c01E7cD3CBea99509d93f8DDDC8C6FB',
  '0xD1220A0cf47c7B9Be7A2E6BA89F429762e7b9aDb',
  '0x0000000000000000000000000000000000000000',
  '0xffffffffffffffffffffffffffffffffffffffff',
  '0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266',
];
const addresses = addressInputs.map((input) => {
  const checksummed = getAddress(input);
  assert.equal(checksummed, ethers.getAddress(input));
  return { input, checksummed };
});

const hashesToSign = [keccak256('0x'), repeatHex('00', 32), repeatHex('ff', 32), keccak256(text('hello')), seededKey('heurist-vector-hash')];
const signatures = [];
for (const privateKey of privateKeys) {
  for (const hash of hashesToSign) {
    const sig = await accounts.sign({ hash, privateKey, to: 'object' });
    const serialized = viem.serializeSignature({ r: sig.r, s: sig.s, yParity: sig.yParity });
    const ethersSig = new ethers.SigningKey(privateKey).sign(hash);
    assert.equal(serialized, ethersSig.serialized);
    signatures.push({ privateKey, hash, signature: serialized, r: sig.r, s: sig.s, v: 27 + sig.yParity });
  }
}

// ---------- EIP-191 ----------
const messages = [
  { text: '' },
  { text: 'hello world' },
  { text: 'Sign in to Heurist: nonce 8f1c' },
  { text: 'héllo wörld 🚀 ünïcödé' },
  { text: 'x'.repeat(1000) },
  { bytes: '0x00ff10' },
  { bytes: repeatHex('ab', 32) },
];
const eip191 = messages.map((m) => {
  const message = m.text !== undefined ? m.text : { raw: m.bytes };
  const hash = hashMessage(message);
  assert.equal(hash, ethers.hashMessage(m.text !== undefined ? m.text : ethers.getBytes(m.bytes)));
  return { ...m, hash };
});

// ---------- EIP-712 ----------
// The JSON given to the .NET code keeps numbers as JSON numbers, decimal strings or hex strings on purpose;
// viem and ethers get the same values normalized.
const eip712Cases = [
  {
    name: 'mail (EIP-712 example)',
    typedData: {
      types: {
        EIP712Domain: [
          { name: 'name', type: 'string' }, { name: 'version', type: 'string' },
          { name: 'chainId', type: 'uint256' }, { name: 'verifyingContract', type: 'address' },
        ],
        Person: [{ name: 'name', type: 'string' }, { name: 'wallet', type: 'address' }],
        Mail: [{ name: 'from', type: 'Person' }, { name: 'to', type: 'Person' }, { name: 'contents', type: 'string' }],
      },
      primaryType: 'Mail',
      domain: { name: 'Ether Mail', version: '1', chainId: 1, verifyingContract: '0xCcCCccccCCCCcCCCCCCcCcCccCcCCCcCcccccccC' },
      message: {
        from: { name: 'Cow', wallet: '0xCD2a3d9F938E13CD947Ec05AbC7FE734Df8DD826' },
        to: { name: 'Bob', wallet: '0xbBbBBBBbbBBBbbbBbbBbbbbBBbBbbbbBbBbbBBbB' },
        contents: 'Hello, Bob!',
      },
    },
  },
  {
    name: 'mail with arrays of wallets and recipients',
    typedData: {
      types: {
        EIP712Domain: [
          { name: 'name', type: 'string' }, { name: 'version', type: 'string' },
          { name: 'chainId', type: 'uint256' }, { name: 'verifyingContract', type: 'address' },
        ],
        Person: [{ name: 'name', type: 'string' }, { name: 'wallets', type: 'address[]' }],
        Mail: [{ name: 'from', type: 'Person' }, { name: 'to', type: 'Person[]' }, { name: 'contents', type: 'string' }],
      },
      primaryType: 'Mail',
      domain: { name: 'Ether Mail', version: '1', chainId: '0x1', verifyingContract: '0xcccccccccccccccccccccccccccccccccccccccc' },
      message: {
        from: { name: 'Cow', wallets: ['0xCD2a3d9F938E13CD947Ec05AbC7FE734Df8DD826', '0xDeaDbeefdEAdbeefdEadbEEFdeadbeEFdEaDbeeF'] },
        to: [{ name: 'Bob', wallets: ['0xbBbBBBBbbBBBbbbBbbBbbbbBBbBbbbbBbBbbBBbB', '0xB0BdaBea57B0BDABeA57b0bdABEA57b0BDabEa57', '0xB0B0b0b0b0b0B000000000000000000000000000'] }],
        contents: 'Hello, Bob!',
      },
    },
  },
  {
    name: 'every kind of member, nested structs, fixed and nested arrays, salt',
    typedData: {
      types: {
        EIP712Domain: [
          { name: 'name', type: 'string' }, { name: 'version', type: 'string' }, { name: 'chainId', type: 'uint256' },
          { name: 'verifyingContract', type: 'address' }, { name: 'salt', type: 'bytes32' },
        ],
        Order: [
          { name: 'maker', type: 'Party' }, { name: 'items', type: 'Item[]' }, { name: 'flags', type: 'bool[2]' },
          { name: 'matrix', type: 'uint256[][]' }, { name: 'note', type: 'string' }, { name: 'blob', type: 'bytes' },
          { name: 'tag', type: 'bytes1' }, { name: 'digest', type: 'bytes32' }, { name: 'delta', type: 'int8' },
          { name: 'balance', type: 'int256' }, { name: 'cap', type: 'uint256' }, { name: 'small', type: 'uint8' },
          { name: 'deadline', type: 'uint64' },
        ],
        Party: [{ name: 'account', type: 'address' }, { name: 'profile', type: 'Zeta' }],
        Item: [{ name: 'id', type: 'uint256' }, { name: 'data', type: 'bytes' }, { name: 'aliases', type: 'string[]' }],
        Zeta: [{ name: 'level', type: 'uint16' }, { name: 'alpha', type: 'Alpha' }],
        Alpha: [{ name: 'label', type: 'string' }],
      },
      primaryType: 'Order',
      domain: {
        name: 'Heurist', version: '2', chainId: '31337', verifyingContract: '0x5FbDB2315678afecb367f032d93F642f64180aa3',
        salt: '0x' + 'f2'.repeat(32),
      },
      message: {
        maker: { account: '0x70997970c51812dc3a010c7d01b50e0d17dc79c8', profile: { level: 7, alpha: { label: '' } } },
        items: [
          { id: '0', data: '0x', aliases: [] },
          { id: '0xff', data: '0x' + '11'.repeat(33), aliases: ['a', '', 'a string longer than thirty-two bytes, for sure'] },
        ],
        flags: [true, false],
        matrix: [['1', '2'], [], ['115792089237316195423570985008687907853269984665640564039457584007913129639935']],
        note: 'héllo wörld 🚀',
        blob: '0x' + 'ab'.repeat(32),
        tag: '0x7f',
        digest: '0x' + '00'.repeat(31) + '01',
        delta: -128,
        balance: '-57896044618658097711785492504343953926634992332820282019728792003956564819968',
        cap: '0xffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff',
        small: '255',
        deadline: 1700000000,
      },
    },
  },
  {
    name: 'domain with name and chainId only, EIP712Domain left out of the types',
    typedData: {
      types: {
        Permit: [
          { name: 'owner', type: 'address' }, { name: 'spender', type: 'address' }, { name: 'value', type: 'uint256' },
          { name: 'nonce', type: 'uint256' }, { name: 'deadline', type: 'uint256' },
        ],
      },
      primaryType: 'Permit',
      domain: { name: 'Heurist Token', chainId: 8453 },
      message: {
        owner: '0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266', spender: '0x70997970C51812dc3A010C7d01b50e0d17dc79C8',
        value: '1000000000000000000000', nonce: 0, deadline: '0x6553f100',
      },
    },
  },
  {
    name: 'a struct named Point3d as the primary type',
    typedData: {
      types: { Point3d: [{ name: 'x', type: 'int256' }, { name: 'y', type: 'int256' }, { name: 'z', type: 'int256' }] },
      primaryType: 'Point3d',
      domain: { name: 'Shapes', chainId: 1 },
      message: { x: '1', y: '-2', z: '3' },
    },
  },
  {
    name: 'a struct named Point3d as a member',
    typedData: {
      types: {
        Shape: [{ name: 'origin', type: 'Point3d' }, { name: 'label', type: 'string' }],
        Point3d: [{ name: 'x', type: 'int256' }, { name: 'y', type: 'int256' }, { name: 'z', type: 'int256' }],
      },
      primaryType: 'Shape',
      domain: { name: 'Shapes', chainId: 1 },
      message: { origin: { x: '1', y: '-2', z: '3' }, label: 'cube' },
    },
  },
  {
    name: 'struct names that are prefixes of each other, and a lowercase one',
    typedData: {
      types: {
        Book: [{ name: 'author', type: 'Person' }, { name: 'editor', type: 'PersonA' }, { name: 'tags', type: 'alpha[]' }],
        Person: [{ name: 'name', type: 'string' }],
        PersonA: [{ name: 'name', type: 'string' }, { name: 'wallet', type: 'address' }],
        alpha: [{ name: 'label', type: 'string' }],
      },
      primaryType: 'Book',
      domain: { name: 'Library', version: '1', chainId: 1 },
      message: {
        author: { name: 'Ada' },
        editor: { name: 'Bob', wallet: '0x70997970C51812dc3A010C7d01b50e0d17dc79C8' },
        tags: [{ label: 'math' }, { label: '' }],
      },
    },
  },
  {
    name: 'mint authorization, as the portal asks a wallet',
    typedData: {
      types: {
        MintAuthorization: [
          { name: 'to', type: 'address' }, { name: 'imageHash', type: 'bytes32' }, { name: 'modelId', type: 'string' },
          { name: 'uri', type: 'string' }, { name: 'deadline', type: 'uint256' },
        ],
      },
      primaryType: 'MintAuthorization',
      domain: { name: 'Heurist Imaginaries', version: '1', chainId: 31337, verifyingContract: '0x5FbDB2315678afecb367f032d93F642f64180aa3' },
      message: {
        to: '0x70997970C51812dc3A010C7d01b50e0d17dc79C8', imageHash: '0x' + 'ab'.repeat(32), modelId: 'sdxl',
        uri: 'ipfs://bafybeigdyrzt5sfp7udm7hu76uh7y26nf3efuylqabf3oclgtqy55fbzdi/metadata.json', deadline: '1900000000',
      },
    },
  },
  {
    name: 'ERC-4337 v0.8 user operation, as the portal asks a wallet',
    typedData: {
      types: {
        PackedUserOperation: [
          { name: 'sender', type: 'address' }, { name: 'nonce', type: 'uint256' }, { name: 'initCode', type: 'bytes' },
          { name: 'callData', type: 'bytes' }, { name: 'accountGasLimits', type: 'bytes32' }, { name: 'preVerificationGas', type: 'uint256' },
          { name: 'gasFees', type: 'bytes32' }, { name: 'paymasterAndData', type: 'bytes' },
        ],
      },
      primaryType: 'PackedUserOperation',
      domain: { name: 'ERC4337', version: '1', chainId: 31337, verifyingContract: '0x4337084D9E255Ff0702461CF8895CE9E3b5Ff108' },
      message: {
        sender: '0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC', nonce: '5', initCode: '0x', callData: '0xb61d27f6' + '00'.repeat(40),
        accountGasLimits: '0x' + '00'.repeat(13) + '0186a0' + '00'.repeat(13) + '02bf20', preVerificationGas: '50000',
        gasFees: '0x' + '00'.repeat(12) + '3b9aca00' + '00'.repeat(12) + '77359400', paymasterAndData: '0x' + 'cd'.repeat(129),
      },
    },
  },
];

const isInt = (t) => /^u?int\d*$/.test(t);
function normalizeValue(types, type, value) {
  if (type.endsWith(']')) {
    const element = type.slice(0, type.lastIndexOf('['));
    return value.map((v) => normalizeValue(types, element, v));
  }
  if (types[type]) {
    return Object.fromEntries(types[type].map((f) => [f.name, normalizeValue(types, f.type, value[f.name])]));
  }
  return isInt(type) ? BigInt(value) : value;
}
const domainTypes = { EIP712Domain: [
  { name: 'name', type: 'string' }, { name: 'version', type: 'string' }, { name: 'chainId', type: 'uint256' },
  { name: 'verifyingContract', type: 'address' }, { name: 'salt', type: 'bytes32' },
] };

const eip712 = eip712Cases.map(({ name, typedData }) => {
  const { EIP712Domain, ...structTypes } = typedData.types;
  const domain = normalizeValue(domainTypes, 'EIP712Domain', typedData.domain);
  for (const key of Object.keys(domain)) { if (domain[key] === undefined) delete domain[key]; }
  const message = normalizeValue(structTypes, typedData.primaryType, typedData.message);
  const hash = hashTypedData({ domain, types: structTypes, primaryType: typedData.primaryType, message });
  assert.equal(hash, ethers.TypedDataEncoder.hash(domain, structTypes, message));
  const domainSeparator = hashDomain({ domain, types: { EIP712Domain: EIP712Domain ?? domainTypes.EIP712Domain.filter((f) => f.name in domain) } });
  assert.equal(domainSeparator, ethers.TypedDataEncoder.hashDomain(domain));
  const messageHash = hashStruct({ data: message, primaryType: typedData.primaryType, types: structTypes });
  const encoder = ethers.TypedDataEncoder.from(structTypes);
  assert.equal(messageHash, encoder.hashStruct(typedData.primaryType, message));
  const encodeType = encoder.encodeType(typedData.primaryType);
  const signature = new ethers.SigningKey(privateKeys[0]).sign(hash).serialized;
  return { name, typedData, encodeType, domainSeparator, messageHash, hash, privateKey: privateKeys[0], signature };
});

// ---------- ABI encoding ----------
const maxUint256 = ((1n << 256n) - 1n).toString();
const minInt256 = (-(1n << 255n)).toString();
const maxInt256 = ((1n << 255n) - 1n).toString();
const str32 = 'abcdefghijklmnopqrstuvwxyz012345';
const str33 = str32 + '6';
const abiCases = [
  { name: 'uint256 zero', types: ['uint256'], values: ['0'] },
  { name: 'uint256 max', types: ['uint256'], values: [maxUint256] },
  { name: 'small unsigned widths at their max', types: ['uint8', 'uint32', 'uint64', 'uint160'], values: ['255', '4294967295', '18446744073709551615', ((1n << 160n) - 1n).toString()] },
  { name: 'negative ints', types: ['int256', 'int8', 'int24', 'int256'], values: ['-1', '-128', '-8388608', minInt256] },
  { name: 'positive int extremes', types: ['int8', 'int256'], values: ['127', maxInt256] },
  { name: 'addresses', types: ['address', 'address', 'address'], values: ['0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266', '0x0000000000000000000000000000000000000000', '0xFFfFfFffFFfffFFfFFfFFFFFffFFFffffFfFFFfF'] },
  { name: 'bools', types: ['bool', 'bool'], values: [true, false] },
  { name: 'fixed bytes', types: ['bytes1', 'bytes4', 'bytes32'], values: ['0x01', '0xdeadbeef', '0x' + 'ab'.repeat(32)] },
  { name: 'empty bytes', types: ['bytes'], values: ['0x'] },
  { name: 'empty string', types: ['string'], values: [''] },
  { name: '32-byte string', types: ['string'], values: [str32] },
  { name: '33-byte string', types: ['string'], values: [str33] },
  { name: 'unicode string', types: ['string'], values: ['héllo wörld 🚀'] },
  { name: '32-, 33- and 64-byte bytes', types: ['bytes', 'bytes', 'bytes'], values: ['0x' + '01'.repeat(32), '0x' + '02'.repeat(33), '0x' + '03'.repeat(64)] },
  { name: 'empty dynamic array', types: ['uint8[]'], values: [[]] },
  { name: 'dynamic array', types: ['uint8[]'], values: [['1', '2', '3']] },
  { name: 'fixed array of bytes32', types: ['bytes32[3]'], values: [['0x' + '01'.repeat(32), '0x' + '02'.repeat(32), '0x' + '03'.repeat(32)]] },
  { name: 'array of static tuples', types: ['(address,uint256)[]'], values: [[['0x70997970C51812dc3A010C7d01b50e0d17dc79C8', '1'], ['0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC', maxUint256]]] },
  { name: 'string array', types: ['string[]'], values: [['a', '', str33]] },
  { name: 'nested dynamic arrays', types: ['uint256[][]'], values: [[['1', '2'], [], ['3']]] },
  { name: 'fixed array of dynamic arrays', types: ['string[2][]'], values: [[['a', 'b'], ['', str32]]] },
  { name: 'tuple with nested dynamic arrays and tuples', types: ['(uint256,string,bytes[],(bool,address)[])'],
    values: [['42', 'job', ['0x', '0x01', '0x' + 'ff'.repeat(40)], [[true, '0x70997970C51812dc3A010C7d01b50e0d17dc79C8'], [false, '0x0000000000000000000000000000000000000000']]]] },
  { name: 'fixed array of dynamic tuples', types: ['(string,uint256[])[2]'], values: [[['first', ['1']], ['', []]]] },
  { name: 'static tuple in a static array', types: ['(int128,bytes32)[2]', 'uint256'], values: [[['-5', '0x' + '00'.repeat(32)], ['5', '0x' + 'ee'.repeat(32)]], '7'] },
  { name: 'mixed head and tail', types: ['uint256', 'string', 'address', 'bytes', 'bool[]', '(int128,bytes32)'],
    values: ['1', 'hello', '0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266', '0xc0ffee', [true, false, true], ['-170141183460469231731687303715884105728', '0x' + '12'.repeat(32)]] },
  { name: 'deep nesting', types: ['((uint8,string)[],string[][])[]'], values: [[[[['1', 'x'], ['2', '']], [['p', 'q'], []]]]] },
];

function toLibraryValue(param, value) {
  if (param.type.endsWith(']')) {
    const inner = { ...param, type: param.type.slice(0, param.type.lastIndexOf('[')) };
    return value.map((v) => toLibraryValue(inner, v));
  }
  if (param.type === 'tuple') return param.components.map((c, i) => toLibraryValue(c, value[i]));
  return isInt(param.type) ? BigInt(value) : value;
}
const abi = abiCases.map(({ name, types, values }) => {
  const params = parseAbiParameters(types.join(', '));
  const encoded = encodeAbiParameters(params, values.map((v, i) => toLibraryValue(params[i], v)));
  assert.equal(encoded, ethers.AbiCoder.defaultAbiCoder().encode(types, values.map((v, i) => toLibraryValue(params[i], v))));
  return { name, types, values, encoded };
});

const packedCases = [
  { name: 'address, uint256, bool', types: ['address', 'uint256', 'bool'], values: ['0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266', '1', true] },
  { name: 'narrow ints, negative', types: ['uint8', 'uint16', 'int8', 'int32', 'uint48'], values: ['255', '258', '-1', '-2', '1700000000'] },
  { name: 'bytes, string, bytesN', types: ['bytes', 'string', 'bytes4', 'bytes32'], values: ['0x0102', 'héllo', '0xdeadbeef', '0x' + 'ab'.repeat(32)] },
  { name: 'empty bytes and string', types: ['bytes', 'string', 'uint256'], values: ['0x', '', maxUint256] },
  { name: 'arrays pad their elements', types: ['uint8[]', 'address[]', 'bool[2]'], values: [['1', '2'], ['0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266'], [true, false]] },
];
const abiPacked = packedCases.map(({ name, types, values }) => {
  const libraryValues = values.map((v, i) => toLibraryValue({ type: types[i] }, v));
  const encoded = encodePacked(types, libraryValues);
  assert.equal(encoded, ethers.solidityPacked(types, libraryValues));
  return { name, types, values, encoded };
});

// ---------- Contract ABI: selectors, calls, outputs, events, errors, deployment ----------
const contractAbi = [
  { type: 'constructor', stateMutability: 'nonpayable', inputs: [{ name: 'name', type: 'string' }, { name: 'decimals', type: 'uint8' }] },
  { type: 'function', name: 'transfer', stateMutability: 'nonpayable', inputs: [{ name: 'to', type: 'address' }, { name: 'amount', type: 'uint256' }], outputs: [{ name: '', type: 'bool' }] },
  { type: 'function', name: 'safeTransferFrom', stateMutability: 'nonpayable', inputs: [{ name: 'from', type: 'address' }, { name: 'to', type: 'address' }, { name: 'tokenId', type: 'uint256' }], outputs: [] },
  { type: 'function', name: 'safeTransferFrom', stateMutability: 'nonpayable', inputs: [{ name: 'from', type: 'address' }, { name: 'to', type: 'address' }, { name: 'tokenId', type: 'uint256' }, { name: 'data', type: 'bytes' }], outputs: [] },
  {
    type: 'function', name: 'submit', stateMutability: 'payable',
    inputs: [
      { name: 'report', type: 'tuple', components: [{ name: 'worker', type: 'address' }, { name: 'jobIds', type: 'uint256[]' }, { name: 'note', type: 'string' }] },
      { name: 'salt', type: 'bytes32' },
    ],
    outputs: [{ name: 'id', type: 'uint256' }, { name: 'status', type: 'string' }, { name: 'scores', type: 'tuple[]', components: [{ name: 'model', type: 'string' }, { name: 'score', type: 'int24' }] }],
  },
  { type: 'function', name: 'ping', stateMutability: 'view', inputs: [], outputs: [] },
  { type: 'event', name: 'Transfer', anonymous: false, inputs: [{ name: 'from', type: 'address', indexed: true }, { name: 'to', type: 'address', indexed: true }, { name: 'value', type: 'uint256', indexed: false }] },
  {
    type: 'event', name: 'Noted', anonymous: false,
    inputs: [
      { name: 'tag', type: 'string', indexed: true }, { name: 'payload', type: 'bytes', indexed: true }, { name: 'text', type: 'string', indexed: false },
      { name: 'pair', type: 'tuple', indexed: false, components: [{ name: 'a', type: 'uint256' }, { name: 'b', type: 'bool' }] }, { name: 'flag', type: 'bool', indexed: true },
    ],
  },
  { type: 'event', name: 'Anon', anonymous: true, inputs: [{ name: 'who', type: 'address', indexed: true }, { name: 'amount', type: 'int256', indexed: false }] },
  { type: 'error', name: 'InsufficientBalance', inputs: [{ name: 'available', type: 'uint256' }, { name: 'required', type: 'uint256' }] },
  { type: 'error', name: 'Unauthorized', inputs: [{ name: 'caller', type: 'address' }] },
  { type: 'error', name: 'Empty', inputs: [] },
  { type: 'fallback', stateMutability: 'payable' },
];
const iface = new ethers.Interface(contractAbi);
const addrA = '0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266';
const addrB = '0x70997970C51812dc3A010C7d01b50e0d17dc79C8';
const libraryArgs = (inputs, args) => args.map((a, i) => toLibraryValue(inputs[i], a));

const callCases = [
  { signature: 'transfer(address,uint256)', args: [addrB, '1000000000000000000'] },
  { signature: 'safeTransferFrom(address,address,uint256)', args: [addrA, addrB, '7'] },
  { signature: 'safeTransferFrom(address,address,uint256,bytes)', args: [addrA, addrB, '7', '0xc0ffee'] },
  { signature: 'submit((address,uint256[],string),bytes32)', args: [[addrA, ['1', '2', '3'], 'done'], '0x' + '5a'.repeat(32)] },
  { signature: 'ping()', args: [] },
];
const calls = callCases.map(({ signature, args }) => {
  const item = contractAbi.find((x) => x.type === 'function' && `${x.name}(${x.inputs.map(formatType).join(',')})` === signature);
  const encoded = encodeFunctionData({ abi: [item], functionName: item.name, args: libraryArgs(item.inputs, args) });
  assert.equal(encoded, iface.encodeFunctionData(signature, libraryArgs(item.inputs, args)));
  return { signature, selector: toFunctionSelector(signature), args, encoded };
});
function formatType(p) {
  if (!p.type.startsWith('tuple')) return p.type;
  return '(' + p.components.map(formatType).join(',') + ')' + p.type.slice(5);
}

const outputItem = contractAbi.find((x) => x.name === 'submit');
const outputValues = ['99', 'accepted', [['sdxl', '-8388608'], ['flux', '8388607']]];
const outputs = [{
  signature: 'submit((address,uint256[],string),bytes32)',
  values: outputValues,
  encoded: (() => {
    const e = encodeFunctionResult({ abi: [outputItem], functionName: 'submit', result: libraryArgs(outputItem.outputs, outputValues) });
    assert.equal(e, iface.encodeFunctionResult('submit', libraryArgs(outputItem.outputs, outputValues)));
    return e;
  })(),
}];

function eventLog(name, args) {
  const item = contractAbi.find((x) => x.type === 'event' && x.name === name);
  const lib = libraryArgs(item.inputs, args);
  const named = Object.fromEntries(item.inputs.map((p, i) => [p.name, lib[i]]));
  const indexedArgs = Object.fromEntries(item.inputs.filter((p) => p.indexed).map((p) => [p.name, named[p.name]]));
  const topics = encodeEventTopics({ abi: [item], eventName: name, args: indexedArgs });
  const nonIndexed = item.inputs.filter((p) => !p.indexed);
  const data = encodeAbiParameters(nonIndexed, nonIndexed.map((p) => named[p.name]));
  const ethersLog = iface.encodeEventLog(iface.getEvent(name), lib);
  assert.deepEqual(topics, ethersLog.topics);
  assert.equal(data, ethersLog.data);
  // What a decoder gives back: indexed dynamic values as the hash in their topic.
  let topicIndex = item.anonymous ? 0 : 1;
  const decoded = {};
  item.inputs.forEach((p, i) => {
    if (p.indexed && !/^(address|bool|u?int\d*|bytes\d+)$/.test(p.type)) decoded[p.name] = topics[topicIndex++];
    else { if (p.indexed) topicIndex++; decoded[p.name] = args[i]; }
  });
  const signature = `${name}(${item.inputs.map(formatType).join(',')})`;
  return { signature, topic0: toEventSelector(signature), anonymous: !!item.anonymous, topics, data, decoded };
}
const events = [
  eventLog('Transfer', [addrA, addrB, maxUint256]),
  eventLog('Noted', ['gpu', '0xc0ffee', 'a note longer than thirty-two bytes for the tail', ['5', true], false]),
  eventLog('Anon', [addrB, '-42']),
];

function errorData(name, args) {
  const item = contractAbi.find((x) => x.type === 'error' && x.name === name)
    ?? { Error: { type: 'error', name: 'Error', inputs: [{ name: 'message', type: 'string' }] }, Panic: { type: 'error', name: 'Panic', inputs: [{ name: 'code', type: 'uint256' }] } }[name];
  const data = encodeErrorResult({ abi: [item], errorName: name, args: libraryArgs(item.inputs, args) });
  if (contractAbi.includes(item)) assert.equal(data, iface.encodeErrorResult(name, libraryArgs(item.inputs, args)));
  const signature = `${name}(${item.inputs.map(formatType).join(',')})`;
  return { name, signature, selector: toFunctionSelector(signature), args, data };
}
const errors = [
  errorData('InsufficientBalance', ['10', maxUint256]),
  errorData('Unauthorized', [addrB]),
  errorData('Empty', []),
  errorData('Error', ['Ownable: caller is not the owner']),
  errorData('Panic', ['17']),
];

const bytecode = '0x6080604052348015600e575f80fd5b50';
const deployment = {
  bytecode,
  args: ['Heurist', '18'],
  encoded: (() => {
    const e = encodeDeployData({ abi: contractAbi, bytecode, args: ['Heurist', 18n] });
    assert.equal(e, ethers.concat([bytecode, iface.encodeDeploy(['Heurist', 18n])]));
    return e;
  })(),
};

// ---------- RLP ----------
const rlpValues = [
  { name: 'empty string', value: '0x' },
  { name: 'byte 0x00', value: '0x00' },
  { name: 'byte 0x7f', value: '0x7f' },
  { name: 'byte 0x80', value: '0x80' },
  { name: 'two bytes', value: '0x0400' },
  { name: '55-byte string', value: repeatHex('aa', 55) },
  { name: '56-byte string', value: repeatHex('bb', 56) },
  { name: '1024-byte string', value: repeatHex('cc', 1024) },
  { name: 'empty list', value: [] },
  { name: 'list of empties', value: ['0x', '0x', []] },
  { name: 'set-theoretic nesting', value: [[], [[]], [[], [[]]]] },
  { name: 'list with a 55-byte payload', value: [repeatHex('11', 53), '0x01'] },
  { name: 'list with a 56-byte payload', value: [repeatHex('11', 54), '0x01'] },
  { name: 'long nested list', value: [text('cat'), [text('puppy'), text('cow')], text('horse'), [[]], text('pig'), ['0x'], text('sheep'), repeatHex('dd', 60)] },
];
const rlp = rlpValues.map(({ name, value }) => {
  const encoded = toRlp(value);
  assert.equal(encoded, ethers.encodeRlp(value));
  return { name, value, encoded };
});
const integerValues = [0n, 1n, 127n, 128n, 255n, 256n, 1024n, 0xffffffn, (1n << 64n) - 1n, 1n << 64n, (1n << 256n) - 1n];
const rlpIntegers = integerValues.map((n) => {
  const encoded = ethers.encodeRlp(ethers.toBeArray(n));
  assert.equal(encoded, toRlp(n === 0n ? '0x' : toHex(n)));
  return { value: n.toString(), encoded };
});
const rlpInvalid = [
  { name: 'single byte below 0x80 with a string prefix', encoded: '0x8100' },
  { name: 'single byte 0x7f with a string prefix', encoded: '0x817f' },
  { name: 'short string in the long form', encoded: '0xb80100' },
  { name: 'long-form length with a leading zero', encoded: '0xb90038' + 'aa'.repeat(56) },
  { name: 'short list in the long form', encoded: '0xf80180' },
  { name: 'trailing bytes', encoded: '0x0102' },
  { name: 'string longer than the input', encoded: '0x83aabb' },
  { name: 'list longer than the input', encoded: '0xc3aabb' },
  { name: 'truncated length of length', encoded: '0xb9' },
  { name: 'item runs past the end of its list', encoded: '0xc283aabbcc' },
];
for (const { encoded } of rlpInvalid) {
  assert.throws(() => fromRlp(encoded, 'hex'), `viem accepted ${encoded}`);
}

// ---------- EIP-1559 transactions ----------
const txCases = [
  {
    name: 'ETH transfer on mainnet',
    privateKey: privateKeys[0],
    tx: { chainId: 1, nonce: 0, maxPriorityFeePerGas: '1000000000', maxFeePerGas: '30000000000', gas: 21000, to: '0x70997970C51812dc3A010C7d01b50e0d17dc79C8', value: '1000000000000000000', data: '0x', accessList: [] },
  },
  {
    name: 'contract creation (no to) on anvil',
    privateKey: privateKeys[3],
    tx: { chainId: 31337, nonce: 7, maxPriorityFeePerGas: '0', maxFeePerGas: '875000000', gas: 300000, to: null, value: '0', data: '0x600a600c600039600a6000f3602a60005260206000f3', accessList: [] },
  },
  {
    name: 'call with an access list and large values',
    privateKey: privateKeys[4],
    tx: {
      chainId: 8453, nonce: 4294967296, maxPriorityFeePerGas: '340282366920938463463374607431768211455', maxFeePerGas: '340282366920938463463374607431768211455',
      gas: 1000000, to: '0x5FbDB2315678afecb367f032d93F642f64180aa3', value: '123456789', data: '0xa9059cbb' + '00'.repeat(12) + '70997970c51812dc3a010c7d01b50e0d17dc79c8' + '00'.repeat(31) + '01',
      accessList: [
        { address: '0x5FbDB2315678afecb367f032d93F642f64180aa3', storageKeys: ['0x' + '00'.repeat(32), '0x' + '00'.repeat(31) + '01'] },
        { address: '0xDeaDbeefdEAdbeefdEadbEEFdeadbeEFdEaDbeeF', storageKeys: [] },
      ],
    },
  },
  {
    name: 'all zero',
    privateKey: privateKeys[1],
    tx: { chainId: 1, nonce: 0, maxPriorityFeePerGas: '0', maxFeePerGas: '0', gas: 0, to: '0x0000000000000000000000000000000000000000', value: '0', data: '0x', accessList: [] },
  },
];
const transactions = [];
for (const { name, privateKey, tx } of txCases) {
  const viemTx = {
    type: 'eip1559', chainId: tx.chainId, nonce: tx.nonce, maxPriorityFeePerGas: BigInt(tx.maxPriorityFeePerGas), maxFeePerGas: BigInt(tx.maxFeePerGas),
    gas: BigInt(tx.gas), value: BigInt(tx.value), data: tx.data, accessList: tx.accessList, ...(tx.to ? { to: tx.to } : {}),
  };
  const signingHash = keccak256(serializeTransaction(viemTx));
  const raw = await accounts.privateKeyToAccount(privateKey).signTransaction(viemTx);
  const ethersTx = ethers.Transaction.from({ ...viemTx, type: 2, gasLimit: viemTx.gas, to: tx.to });
  assert.equal(signingHash, ethersTx.unsignedHash);
  assert.equal(raw, await new ethers.Wallet(privateKey).signTransaction(ethersTx));
  const parsed = ethers.Transaction.from(raw);
  assert.equal(parsed.from, accounts.privateKeyToAccount(privateKey).address);
  transactions.push({ name, privateKey, tx, signingHash, raw, hash: keccak256(raw), sender: parsed.from });
}

// ---------- Sign-In with Ethereum (EIP-4361) ----------
// The message texts the siwe package writes for a few field sets (the .NET SiweMessage.ToMessage must write the
// same, and SiweMessageParser read them back), their EIP-191 hashes (viem, checked by ethers) and a signature that
// siwe's own verify accepts. Then a table of texts with siwe's verdict, so the .NET parser is held to the reference
// parser; `heurist` marks the few places where it decides otherwise on purpose, and says why.
const { SiweMessage } = require('siwe');
const siweKey = '0x92db14e403b83dfe3df233f83dfa3a0d7096f21ca9b0d6d6b8d88b2b4ec1564e'; // anvil account 6
const siweAccount = accounts.privateKeyToAccount(siweKey);
const siweBase = {
  domain: '127.0.0.1:5080', address: siweAccount.address, uri: 'http://127.0.0.1:5080/', version: '1', chainId: 31337,
  nonce: 'abcdefgh12345678', issuedAt: '2026-12-03T17:40:00.000Z',
};
const siweCases = [
  {
    name: 'the example of EIP-4361 (statement and resources)',
    fields: {
      domain: 'service.invalid', address: '0xC02aaA39b223FE8D0A0e5C4F27eAD9083C756Cc2',
      statement: 'I accept the ServiceOrg Terms of Service: https://service.invalid/tos', uri: 'https://service.invalid/login',
      version: '1', chainId: 1, nonce: '32891756', issuedAt: '2021-09-30T16:25:24.000Z',
      resources: ['ipfs://bafybeiemxf5abjwjbikoz4mc3a3dla6ual3jsgpdr4cjr3oz3evfyavhwq/', 'https://example.com/my-web2-claim.json'],
    },
  },
  { name: 'no statement', fields: siweBase },
  { name: 'an empty statement', fields: { ...siweBase, statement: '' } },
  { name: 'a statement', fields: { ...siweBase, statement: 'Sign in to Heurist.' } },
  {
    name: 'a scheme and every optional field',
    fields: {
      ...siweBase, scheme: 'https', domain: 'portal.example:8443', uri: 'https://portal.example:8443/sign-in', chainId: 8453,
      statement: 'Terms: https://portal.example/tos', expirationTime: '2026-12-03T18:40:00.000Z', notBefore: '2026-12-03T17:39:30.000Z',
      requestId: 'req-42', resources: ['https://portal.example/a', 'ipfs://bafy/b'],
    },
  },
];
const siwe = [];
for (const { name, fields } of siweCases) {
  const text = new SiweMessage(fields).prepareMessage();
  const reparsed = new SiweMessage(text);
  for (const [key, value] of Object.entries(fields)) assert.deepEqual(reparsed[key], value, `${name}: siwe reads ${key} back differently`);
  const hash = hashMessage(text);
  assert.equal(hash, ethers.hashMessage(text));
  // Only the messages for our key's address are signed (the EIP's example is for an address nobody here holds).
  let signature = null;
  if (fields.address === siweAccount.address) {
    signature = await siweAccount.signMessage({ message: text });
    // At the message's own issue time, not the clock's: a vector must not expire.
    const verified = await reparsed.verify({ signature, time: fields.issuedAt });
    assert.equal(verified.success, true, `${name}: siwe does not verify its own message`);
  }
  siwe.push({ name, fields, text, hash, signature });
}

const siweText = (lines) => lines.join('\n');
const siweBareLines = new SiweMessage(siweBase).prepareMessage().split('\n');
const siweBareWith = (index, line) => siweText(siweBareLines.map((l, i) => (i === index ? line : l)).filter((l) => l !== null));
const siweGrammarCases = [
  { name: 'no statement', text: siweText(siweBareLines) },
  { name: 'one blank line and no statement', text: siweBareWith(3, null) },
  { name: 'an empty statement', text: siweBareWith(3, '\n') },
  { name: 'a statement with a double quote', text: siweBareWith(3, 'say "yes"\n') },
  { name: 'a statement with a non-ASCII letter', text: siweBareWith(3, 'déjà vu\n') },
  { name: 'a trailing line break', text: siweText(siweBareLines) + '\n' },
  { name: 'CRLF line endings', text: siweBareLines.join('\r\n') },
  { name: 'version 2', text: siweBareWith(5, 'Version: 2') },
  { name: 'a hex chain id', text: siweBareWith(6, 'Chain ID: 0x1') },
  { name: 'a chain id with a leading zero', text: siweBareWith(6, 'Chain ID: 031337') },
  { name: 'a nonce of 7 characters', text: siweBareWith(7, 'Nonce: abc1234') },
  { name: 'a nonce with a dash', text: siweBareWith(7, 'Nonce: abcd-efgh-1234') },
  { name: 'an issued-at on 30 February', text: siweBareWith(8, 'Issued At: 2026-02-30T00:00:00Z') },
  { name: 'an issued-at with lower-case t and z and an offset', text: siweBareWith(8, 'Issued At: 2026-12-03t19:40:00.123456789+02:00') },
  { name: 'an issued-at without an offset', text: siweBareWith(8, 'Issued At: 2026-12-03T17:40:00') },
  { name: 'an issued-at with an offset of 24 hours', text: siweBareWith(8, 'Issued At: 2026-12-03T17:40:00+24:00') },
  { name: 'a leap second at the end of a UTC day', text: siweBareWith(8, 'Issued At: 2016-12-31T23:59:60Z') },
  { name: 'a relative URI', text: siweBareWith(4, 'URI: /login') },
  { name: 'a URI with a space', text: siweBareWith(4, 'URI: http://127.0.0.1:5080/a b') },
  { name: 'a domain with an IPv6 literal and a port', text: siweBareWith(0, '[::1]:5080 wants you to sign in with your Ethereum account:') },
  { name: 'a domain with a path', text: siweBareWith(0, '127.0.0.1:5080/login wants you to sign in with your Ethereum account:') },
  { name: 'an address of 41 bytes', text: siweBareWith(1, siweAccount.address + '00') },
  { name: 'an empty request id and an empty resource list', text: siweText([...siweBareLines, 'Request ID: ', 'Resources:']) },
  { name: 'optional fields out of order', text: siweText([...siweBareLines, 'Not Before: 2026-12-03T17:39:00Z', 'Expiration Time: 2026-12-03T17:50:00Z']) },
  { name: 'an unknown field', text: siweText([...siweBareLines, 'Foo: bar']) },
  { name: 'a resource that is not a URI', text: siweText([...siweBareLines, 'Resources:', '- not a uri']) },
  {
    name: 'a domain with user information', text: siweBareWith(0, 'user@127.0.0.1:5080 wants you to sign in with your Ethereum account:'),
    heurist: 'refused', why: 'a domain names who asks for the sign-in; RFC 3986 deprecates user information in an authority',
  },
  {
    name: 'an address that is not checksummed', text: siweBareWith(1, siweAccount.address.toLowerCase()),
    heurist: 'accepted', why: 'the parser checks the address format only; the verifier refuses a missing checksum (address_checksum)',
  },
  {
    name: 'a leap second at noon', text: siweBareWith(8, 'Issued At: 2016-12-31T12:00:60Z'),
    heurist: 'refused', why: 'leap seconds are inserted at 23:59:60 UTC only; siwe checks the date part alone',
  },
];
const siweGrammar = siweGrammarCases.map(({ name, text, heurist, why }) => {
  let verdict = 'accepted';
  try {
    new SiweMessage(text);
  } catch {
    verdict = 'refused';
  }
  return { name, text, siwe: verdict, ...(heurist ? { heurist, why } : {}) };
});
for (const c of siweGrammar) assert.notEqual(c.heurist, c.siwe, `${c.name}: marked as a difference, but siwe decides the same`);

// Reward trees as OpenZeppelin's StandardMerkleTree builds them for RewardsDistributor's leaves (epoch, account,
// heu, esHeu): the root, each leaf's proof, and the dump that GET /api/rewards/epochs/{epoch} publishes.
const { StandardMerkleTree } = require('@openzeppelin/merkle-tree');
const rewardLeafEncoding = ['uint256', 'address', 'uint256', 'uint256'];
const rewardAccount = (i) => getAddress(keccak256(text(`heurist-reward-account-${i}`)).slice(0, 42)).toLowerCase();
const rewardTreeCases = [1, 2, 3, 5, 8, 13].map((count) => ({
  name: `${count} leaves`,
  values: Array.from({ length: count }, (_, i) => [
    '7', rewardAccount(i), (BigInt(i + 1) * 10n ** 18n + BigInt(i)).toString(), (BigInt(count - i) * 5n * 10n ** 17n).toString(),
  ]),
}));
const rewardTrees = rewardTreeCases.map(({ name, values }) => {
  const tree = StandardMerkleTree.of(values, rewardLeafEncoding);
  return { name, values, root: tree.root, proofs: values.map((_, i) => tree.getProof(i)), dump: tree.dump() };
});

// ---------- ERC-4337 v0.8 user operations: viem's getUserOperationHash, the RPC form, and the paymaster's hash ----------
const aa = require('viem/account-abstraction');
const entryPointV08 = '0x4337084D9E255Ff0702461CF8895CE9E3b5Ff108';
const userOperationCases = [
  {
    name: 'first mint: factory data, sponsored',
    userOperation: {
      sender: '0x9fE46736679d2D9a65F0992F2272dE9f3c7fa6e0', nonce: 0n,
      factory: '0xe7f1725E7734CE288F8367e1Bb143E90bb3F0512', factoryData: '0x5fbfb9cf' + '00'.repeat(12) + 'f39fd6e51aad88f6f4ce6ab8827279cfffb92266' + '00'.repeat(32),
      callData: '0xb61d27f6' + 'ab'.repeat(100), callGasLimit: 181234n, verificationGasLimit: 401000n, preVerificationGas: 52345n,
      maxFeePerGas: 2000000000n, maxPriorityFeePerGas: 1000000000n,
      paymaster: '0xCf7Ed3AccA5a467e9e704C703E8D87F634fB0Fc9', paymasterVerificationGasLimit: 60000n, paymasterPostOpGasLimit: 0n,
      paymasterData: '0x' + '0000773594000000000000' + '00' + 'ee'.repeat(65), signature: '0x' + '11'.repeat(65),
    },
    validUntil: 2000000000n, validAfter: 0n,
  },
  {
    name: 'later mint: no factory, sponsored',
    userOperation: {
      sender: '0x9fE46736679d2D9a65F0992F2272dE9f3c7fa6e0', nonce: 7n,
      callData: '0xb61d27f6' + 'cd'.repeat(70), callGasLimit: 90000n, verificationGasLimit: 70000n, preVerificationGas: 48000n,
      maxFeePerGas: 3000000001n, maxPriorityFeePerGas: 1n,
      paymaster: '0xCf7Ed3AccA5a467e9e704C703E8D87F634fB0Fc9', paymasterVerificationGasLimit: 45678n, paymasterPostOpGasLimit: 0n,
      paymasterData: '0x' + '00007735940000006553f100' + 'ee'.repeat(65), signature: '0x' + '22'.repeat(65),
    },
    validUntil: 2000000000n, validAfter: 1700000000n,
  },
];
const quantity = (v) => toHex(v);
const userOperations = userOperationCases.map(({ name, userOperation, validUntil, validAfter }) => {
  const hash = aa.getUserOperationHash({ userOperation, entryPointAddress: entryPointV08, entryPointVersion: '0.8', chainId: 31337 });
  const packed = aa.toPackedUserOperation(userOperation);
  const paymasterHash = keccak256(encodeAbiParameters(
    parseAbiParameters('address, uint256, bytes32, bytes32, bytes32, uint256, bytes32, uint256, address, uint48, uint48'),
    [packed.sender, packed.nonce, keccak256(packed.initCode), keccak256(packed.callData), packed.accountGasLimits,
      packed.preVerificationGas, packed.gasFees, 31337n, userOperation.paymaster, validUntil, validAfter]));
  const rpc = Object.fromEntries(Object.entries(userOperation).map(([k, v]) => [k, typeof v === 'bigint' ? quantity(v) : v]));
  return {
    name, rpc, hash, paymasterHash, validUntil: validUntil.toString(), validAfter: validAfter.toString(),
    packed: Object.fromEntries(Object.entries(packed).map(([k, v]) => [k, typeof v === 'bigint' ? v.toString() : v])),
  };
});


// ---------- Snapshot messages: the id snapshot.js gives a signed message (utils.getHash), as the hub must ----------
// Each envelope is what snapshot.js's Client712 posts ({ address, sig, data: { domain, types, message } }), signed by
// anvil account 0 with the ethers v5 Wallet snapshot.js uses; the id is snapshot.js's getHash of the data (ethers v5's
// TypedDataEncoder, which the sequencer uses too), checked against ethers v6 and viem. A few cases write integers as
// strings or name EIP712Domain in the types, which wallets and the sequencer accept and hash the same.
const snapshotJs = require('@snapshot-labs/snapshot.js');
const { Wallet: WalletV5 } = require('@ethersproject/wallet');
const snapshotWallet = new WalletV5(privateKeys[0]);
const snapshotDomain = { name: 'snapshot', version: '0.1.4' };
const snapshotField = (name, type) => ({ name, type });
const snapshotVoteFields = (choiceType) => [
  snapshotField('from', 'string'), snapshotField('space', 'string'), snapshotField('timestamp', 'uint64'),
  snapshotField('proposal', 'string'), snapshotField('choice', choiceType), snapshotField('reason', 'string'),
  snapshotField('app', 'string'), snapshotField('metadata', 'string'),
];
const snapshotStructs = {
  Proposal: [
    snapshotField('from', 'string'), snapshotField('space', 'string'), snapshotField('timestamp', 'uint64'), snapshotField('type', 'string'),
    snapshotField('title', 'string'), snapshotField('body', 'string'), snapshotField('discussion', 'string'), snapshotField('choices', 'string[]'),
    snapshotField('labels', 'string[]'), snapshotField('start', 'uint64'), snapshotField('end', 'uint64'), snapshotField('snapshot', 'uint64'),
    snapshotField('plugins', 'string'), snapshotField('privacy', 'string'), snapshotField('app', 'string'),
  ],
  Vote: snapshotVoteFields('uint32'),
  VoteArray: snapshotVoteFields('uint32[]'),
  VoteString: snapshotVoteFields('string'),
  CancelProposal: [snapshotField('from', 'string'), snapshotField('space', 'string'), snapshotField('timestamp', 'uint64'), snapshotField('proposal', 'string')],
};
const snapshotProposalId = '0x1f8d2b3c4e5a69788796a5b4c3d2e1f00f1e2d3c4b5a69788796a5b4c3d2e1f0';
const snapshotVote = (choice) => ({
  from: snapshotWallet.address, space: 'heurist.eth', timestamp: 1765000200, proposal: snapshotProposalId, choice,
  reason: 'more SDXL, fewer queues', app: 'snapshot', metadata: '{}',
});
const snapshotCases = [
  {
    name: 'Proposal (weighted, model allocation)', kind: 'Proposal', struct: 'Proposal',
    message: {
      from: snapshotWallet.address, space: 'heurist.eth', timestamp: 1765000000, type: 'weighted', title: 'Split the GPUs',
      body: '## Why\n\nSDXL queues are **long**; é, 🚀 and "quotes".', discussion: 'https://forum.example/t/42',
      choices: ['sd15', 'sdxl', 'flux1-dev'], labels: [], start: 1765000100, end: 1765604900, snapshot: 1234,
      plugins: '{"heurist":{"kind":"model-allocation"}}', privacy: '', app: 'heurist',
    },
  },
  { name: 'Vote (choice uint32)', kind: 'Vote', struct: 'Vote', message: snapshotVote(2) },
  { name: 'Vote (choice uint32[])', kind: 'VoteArray', struct: 'Vote', message: snapshotVote([3, 1, 2]) },
  { name: 'Vote (choice string of JSON weights)', kind: 'VoteString', struct: 'Vote', message: snapshotVote('{"1":70,"2":30}') },
  {
    name: 'CancelProposal', kind: 'CancelProposal', struct: 'CancelProposal',
    message: { from: snapshotWallet.address, space: 'heurist.eth', timestamp: 1765000300, proposal: snapshotProposalId },
  },
  {
    name: 'Vote (choice uint32[]) with integers as strings and EIP712Domain in the types', kind: 'VoteArray', struct: 'Vote',
    message: { ...snapshotVote(['1', '3']), timestamp: '1765000400' }, withDomainType: true,
  },
  {
    name: 'Proposal (basic) for a lowercase from, with a chainId in the domain', kind: 'Proposal', struct: 'Proposal', chainId: 1,
    message: {
      from: snapshotWallet.address.toLowerCase(), space: 'heurist.eth', timestamp: 1765000500, type: 'basic', title: 'Raise the threshold?',
      body: '', discussion: '', choices: ['For', 'Against', 'Abstain'], labels: [], start: 1765000600, end: 1765087000, snapshot: 0,
      plugins: '{}', privacy: '', app: '',
    },
  },
];
const snapshotMessages = [];
for (const { name, kind, struct, message, withDomainType, chainId } of snapshotCases) {
  const domain = chainId === undefined ? snapshotDomain : { ...snapshotDomain, chainId };
  const types = { [struct]: snapshotStructs[kind] };
  const signature = await snapshotWallet._signTypedData(domain, types, message);
  const id = snapshotJs.utils.getHash({ domain, types, message });
  assert.equal(id, ethers.TypedDataEncoder.hash(domain, types, message));
  assert.equal(id, hashTypedData({ domain, types, primaryType: struct, message: normalizeValue(types, struct, message) }));
  assert.equal(await snapshotJs.utils.verify(snapshotWallet.address, signature, { domain, types, message }), true, `${name}: snapshot.js refuses its own signature`);
  const sentTypes = withDomainType
    ? { EIP712Domain: [snapshotField('name', 'string'), snapshotField('version', 'string')], ...types }
    : types;
  snapshotMessages.push({
    name, kind, privateKey: privateKeys[0], signer: snapshotWallet.address, id,
    envelope: { address: snapshotWallet.address, sig: signature, data: { domain, types: sentTypes, message } },
  });
}

const vectors = {
  generator: 'tests/Contracts.Tests/Vectors/generate-vectors.mjs',
  libraries: {
    viem: require('viem/package.json').version, ethers: ethers.version, siwe: require('siwe/package.json').version,
    merkleTree: require('@openzeppelin/merkle-tree/package.json').version,
    snapshotJs: require('@snapshot-labs/snapshot.js/package.json').version,
  },
  keccak, keys, addresses, signatures, eip191, eip712,
  abi, abiPacked,
  contractAbi: { abi: contractAbi, calls, outputs, events, errors, deployment },
  rlp, rlpIntegers, rlpInvalid,
  transactions,
  siwe, siweGrammar,
  rewardTrees,
  userOperations,
  snapshotMessages,
};

const output = process.argv[2] ?? join(here, 'vectors.json');
writeFileSync(output, JSON.stringify(vectors, null, 2) + '\n');
