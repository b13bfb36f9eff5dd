// Peer for the "tokenizer" benchmark: Hugging Face's JavaScript tokenizers (@huggingface/tokenizers) encoding the same
// strings one by one; prints mb_per_s=. Usage: node tokenizer_encode.mjs TOKENIZER_FOLDER CORPUS.jsonl SECONDS
// (resolve @huggingface/tokenizers through NODE_PATH, e.g. ~/.cache/pharos-fixtures/node/node_modules).
import { createRequire } from "node:module";
import { readFileSync } from "node:fs";
import { pathToFileURL } from "node:url";
import path from "node:path";

const [, , folder, corpus, seconds = "3"] = process.argv;
const require = createRequire(import.meta.url);
const entry = require.resolve("@huggingface/tokenizers", { paths: (process.env.NODE_PATH ?? "").split(path.delimiter).filter(Boolean) });
const module = await import(pathToFileURL(entry).href);
const Tokenizer = module.Tokenizer ?? module.default?.Tokenizer;
const tokenizer = new Tokenizer(
  JSON.parse(readFileSync(path.join(folder, "tokenizer.json"), "utf8")),
  JSON.parse(readFileSync(path.join(folder, "tokenizer_config.json"), "utf8")));
const texts = readFileSync(corpus, "utf8").split("\n").filter((l) => l.length > 0).map((l) => JSON.parse(l));
const bytes = texts.reduce((n, t) => n + Buffer.byteLength(t, "utf8"), 0);
for (const t of texts) tokenizer.encode(t);
const start = process.hrtime.bigint();
let passes = 0;
let elapsed = 0;
while (passes < 2 || elapsed < Number(seconds)) {
  for (const t of texts) tokenizer.encode(t);
  passes++;
  elapsed = Number(process.hrtime.bigint() - start) / 1e9;
}
console.log(`mb_per_s=${(bytes / (elapsed / passes) / 1e6).toFixed(3)}`);
