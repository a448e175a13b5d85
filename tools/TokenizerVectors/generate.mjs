// Writes tests/Inference.Worker.Tests/Diffusion/reference/tokenizer-vectors.json: the ids that Hugging Face's
// tokenizers, in their JavaScript port @huggingface/tokenizers, give for hard prompts on the tiny models' tokenizer
// files, as the fixed-length input_ids the text encoders get. Inference.Worker.Tests (TokenizerVectorTests) checks
// that our ClipTokenizer and T5Tokenizer give exactly these ids, and that the files still hash as recorded here.
//
// Regenerate (after a change to tools/TinyModels/Tokenizers or to the prompts below):
//   dotnet run --project tools/TinyModels -- /tmp/tiny-models
//   cd tools/TokenizerVectors && npm ci && node generate.mjs /tmp/tiny-models
import { createHash } from "node:crypto";
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { Tokenizer } from "@huggingface/tokenizers";

const here = dirname(fileURLToPath(import.meta.url));
const output = resolve(here, "../../tests/Inference.Worker.Tests/Diffusion/reference/tokenizer-vectors.json");
const oracle = JSON.parse(readFileSync(join(here, "node_modules/@huggingface/tokenizers/package.json"), "utf8"));

// Each tokenizer once: folders with byte-identical files share one set of vectors.
const TOKENIZERS = [
  { name: "clip", kind: "clip", folders: ["sd15/tokenizer", "sdxl/tokenizer", "flux-dev/tokenizer"] },
  { name: "clip-pad-bang", kind: "clip", folders: ["sdxl/tokenizer_2"] },
  { name: "t5", kind: "t5", folders: ["flux-dev/tokenizer_2"] },
];

const LONG = Array.from({ length: 400 }, (_, i) =>
  ["a", "beautiful", "detailed", "painting", "of", "castle", "in", "the", "golden", "sunset", "with", "fireworks"][i % 12],
).join(" ");

const PROMPTS = [
  "",
  "   \t\n  ",
  "a photo of a cat",
  "A PHOTO of a Cat, Highly Detailed",
  "  a   red\tfox\n\nin   the snow  ",
  "tab\tnbsp\u00a0thin\u2009ideographic\u3000space",
  "café",
  "naïve café crème brûlée",
  "Ångström and \u212Bngstr\u00f6m (angstrom sign)",
  "cafe\u0301 nai\u0308ve (decomposed accents)",
  "q\u0307\u0323 a\u0301\u0323 (marks out of canonical order)",
  "\u1112\u1161\u11AB\u1100\u116E\u11A8 (conjoining jamo)",
  "東京の夜景",
  "한국어 텍스트",
  "東京 tokyo 夜景 night 한국 seoul",
  "Москва moscow μόσχα ΟΔΟΣ ΣΊΣΥΦΟΣ",
  "İstanbul DİYARBAKIR",
  "a cat 🐱 wearing a hat 🎩",
  "👨‍👩‍👧‍👦 family and 👩🏽‍💻 coder",
  "👍🏽 thumbs up 👋🏿 wave 🇯🇵🇫🇷",
  "fish &amp; chips",
  "&lt;b&gt;bold&lt;/b&gt; and it&#39;s &quot;quoted&quot;",
  "ＡＢＣ１２３",
  "ｈｅｌｌｏ　ｗｏｒｌｄ！",
  "ﬁne ① ㈱ ½ ™ ㎏",
  "it's the dog's toy, they're here, we've I'm you'll he'd",
  "IT'S DOG'S",
  "1234567890 3.14159 1e-5 ٣٤٥",
  "hello!!! ??? ... -- (parens) [brackets] {braces} \"quotes\"",
  "𝐀𝐁𝐂 𝔘𝔫𝔦𝔠𝔬𝔡𝔢 𠀀𠀁",
  "<|startoftext|>a cat<|endoftext|> x!<|endoftext|>",
  "a</s>b <pad> <unk> </s>",
  "zero\u200bwidth\u200djoiner\u00adsoft",
  "astronaut riding a horse on the moon, cinematic lighting, highly detailed, digital art, trending on artstation, 8k, octane render, by greg rutkowski and alphonse mucha, dramatic sky, volumetric fog, golden hour, masterpiece, best quality, intricate details, sharp focus, wide angle lens",
  LONG,
];

function sha256(path) {
  return createHash("sha256").update(readFileSync(path)).digest("hex");
}

function readJson(folder, name) {
  return JSON.parse(readFileSync(join(folder, name), "utf8"));
}

// A special token is a string or, as an AddedToken, an object with "content".
function special(value) {
  return typeof value === "string" ? value : value?.content;
}

// A CLIP folder has no tokenizer.json, so this builds the one that transformers' CLIPTokenizerFast converts
// vocab.json and merges.txt into: NFC, runs of whitespace to one space and lowercasing; CLIP's pattern (kept
// matches) then byte-level characters; BPE with "</w>" closing each word and unknown symbols left unfused; bos and eos
// around the text; the special tokens as added tokens matched in the normalized text.
function clipTokenizerJson(folder) {
  const vocab = readJson(folder, "vocab.json");
  const merges = readFileSync(join(folder, "merges.txt"), "utf8")
    .split("\n")
    .filter((line, i) => line.length > 0 && !(i === 0 && line.startsWith("#version")));
  const map = readJson(folder, "special_tokens_map.json");
  const bos = special(map.bos_token);
  const eos = special(map.eos_token);
  const unk = special(map.unk_token);
  const added = [...new Set([bos, eos, unk])].map((content) => ({
    id: vocab[content],
    content,
    single_word: false,
    lstrip: false,
    rstrip: false,
    normalized: true,
    special: true,
  }));
  return {
    version: "1.0",
    truncation: null,
    padding: null,
    added_tokens: added,
    normalizer: {
      type: "Sequence",
      normalizers: [
        { type: "NFC" },
        { type: "Replace", pattern: { Regex: "\\s+" }, content: " " },
        { type: "Lowercase" },
      ],
    },
    pre_tokenizer: {
      type: "Sequence",
      pretokenizers: [
        {
          type: "Split",
          pattern: { Regex: "'s|'t|'re|'ve|'m|'ll|'d|[\\p{L}]+|[\\p{N}]|[^\\s\\p{L}\\p{N}]+" },
          behavior: "Removed",
          invert: true,
        },
        { type: "ByteLevel", add_prefix_space: false, trim_offsets: true, use_regex: false },
      ],
    },
    post_processor: {
      type: "RobertaProcessing",
      sep: [eos, vocab[eos]],
      cls: [bos, vocab[bos]],
      trim_offsets: false,
      add_prefix_space: false,
    },
    decoder: { type: "ByteLevel", add_prefix_space: true, trim_offsets: true, use_regex: true },
    model: {
      type: "BPE",
      dropout: null,
      unk_token: unk,
      continuing_subword_prefix: "",
      end_of_word_suffix: "</w>",
      fuse_unk: false,
      byte_fallback: false,
      vocab,
      merges,
    },
  };
}

function load(kind, folder) {
  const config = readJson(folder, "tokenizer_config.json");
  const json = kind === "clip" ? clipTokenizerJson(folder) : readJson(folder, "tokenizer.json");
  const map = readJson(folder, "special_tokens_map.json");
  const pad = special(map.pad_token) ?? special(config.pad_token);
  const tokenizer = new Tokenizer(json, config);
  const padId = tokenizer.token_to_id(pad);
  if (padId === undefined) {
    throw new Error(`${folder}: the pad token ${pad} is not in the vocabulary`);
  }
  return { tokenizer, maxLength: config.model_max_length, padId };
}

// What transformers gives a text encoder for tokenizer(prompt, padding="max_length", max_length=N, truncation=True),
// as the diffusers pipelines call it: the text's tokens cut to leave room for the special tokens, the special tokens
// added, then padding on the right. tokenizers.js has no truncation or padding of its own.
function encode({ tokenizer, maxLength, padId }, prompt) {
  const specials = tokenizer.post_processor([], null, true).tokens.length;
  const tokens = tokenizer.tokenize(prompt, { add_special_tokens: false }).slice(0, maxLength - specials);
  // As Tokenizer.encode maps them: a symbol or character outside the vocabulary is the unknown token.
  const ids = tokenizer.post_processor(tokens, null, true).tokens.map(
    (token) => tokenizer.token_to_id(token) ?? tokenizer.model.unk_token_id,
  );
  return [...ids, ...new Array(maxLength - ids.length).fill(padId)];
}

function filesOf(folder) {
  return Object.fromEntries(
    readdirSync(folder)
      .sort()
      .map((name) => [name, sha256(join(folder, name))]),
  );
}

const root = process.argv[2];
if (!root) {
  console.error("usage: node generate.mjs <folder written by tools/TinyModels>");
  process.exit(2);
}

const tokenizers = TOKENIZERS.map(({ name, kind, folders }) => {
  const files = filesOf(join(root, folders[0]));
  for (const other of folders.slice(1)) {
    if (JSON.stringify(filesOf(join(root, other))) !== JSON.stringify(files)) {
      throw new Error(`${other} differs from ${folders[0]}: give it a set of vectors of its own`);
    }
  }
  const loaded = load(kind, join(root, folders[0]));
  const vectors = PROMPTS.map((prompt) => ({ prompt, ids: encode(loaded, prompt) }));
  return { name, kind, folders, files, max_length: loaded.maxLength, pad_id: loaded.padId, vectors };
});

// One vector per line, so that a regenerated file diffs prompt by prompt.
const lines = [
  "{",
  `  "generator": "tools/TokenizerVectors/generate.mjs",`,
  `  "oracle": ${JSON.stringify(`${oracle.name} ${oracle.version}`)},`,
  `  "tokenizers": [`,
  tokenizers
    .map((t) =>
      [
        "    {",
        `      "name": ${JSON.stringify(t.name)},`,
        `      "kind": ${JSON.stringify(t.kind)},`,
        `      "folders": ${JSON.stringify(t.folders)},`,
        `      "files": ${JSON.stringify(t.files)},`,
        `      "max_length": ${t.max_length},`,
        `      "pad_id": ${t.pad_id},`,
        `      "vectors": [`,
        t.vectors.map((v) => `        ${JSON.stringify(v)}`).join(",\n"),
        "      ]",
        "    }",
      ].join("\n"),
    )
    .join(",\n"),
  "  ]",
  "}",
  "",
];
writeFileSync(output, lines.join("\n"));
console.log(`wrote ${tokenizers.reduce((n, t) => n + t.vectors.length, 0)} vectors to ${output}`);
