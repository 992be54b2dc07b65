/**
 * `npx tsx bench/make-real-vectors.ts [--n 100000] [--nq 1000] [--out DIR]`
 * (the index bench calls `ensureRealVectors` itself with `--real`).
 *
 * Real benchmark vectors: English passages from Debian-packaged text, embedded
 * by the app's own built-in model (StaticEmbedder, public/models), exactly as
 * the app embeds a passage. Writes `<out>/real-static-<dim>d-<n>+<nq>.f32`
 * (base rows, then held-out query rows, little-endian float32) and a `.json`
 * sidecar naming the model, its dimension and the text source.
 *
 * Text: `.cache/static-model/gen.txt` (583k passages: GCIDE and WordNet
 * definitions, FOLDOC, Jargon File, fortunes, Jane Austen, Gene Ontology),
 * built by `scripts/static-model/build_corpus.py` from Debian packages. When
 * it is missing, this script installs those packages with apt-get and runs
 * the corpus step (a minute; no training). Passages under 6 words are
 * dropped, duplicates removed, then a seeded shuffle splits them: the first
 * `n` are the base set and the next `nq` the queries, so no query is indexed.
 * The vectors take whatever dimension the shipped model has.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createRandom } from '../src/engine/vectors/random';

export interface RealVectors {
  path: string;
  dim: number;
  n: number;
  nq: number;
  /** Short label for rows, e.g. `real-static-100k`. */
  label: string;
  description: string;
}

const ROOT = resolve(new URL('..', import.meta.url).pathname);
const MODEL_ID = 'sift-static-en-v1';
const MODEL_ROOT = join(ROOT, 'public', 'models');
const CORPUS = join(ROOT, '.cache', 'static-model', 'gen.txt');
const MIN_WORDS = 6;
const SHUFFLE_SEED = 2026;
const CORPUS_PACKAGES = [
  'wordnet-base',
  'dict-gcide',
  'dict-foldoc',
  'dict-jargon',
  'dict-devil',
  'dict-vera',
  'fortunes',
  'r-cran-janeaustenr',
  'r-bioc-go.db',
];
const log = (...parts: unknown[]) => console.error(...parts);

/** A fingerprint of the model files, so a retrained model invalidates the cache. */
function modelFingerprint(): { dim: number; hash: string } {
  const dir = join(MODEL_ROOT, MODEL_ID);
  const config = readFileSync(join(dir, 'config.json'));
  const hash = createHash('sha256').update(config);
  const onnx = join(dir, 'onnx', 'model_quantized.onnx');
  if (existsSync(onnx)) hash.update(readFileSync(onnx));
  const dim = (JSON.parse(config.toString('utf8')) as { hidden_size: number }).hidden_size;
  return { dim, hash: hash.digest('hex').slice(0, 16) };
}

function ensureCorpus(): void {
  if (existsSync(CORPUS)) return;
  log(`${CORPUS} is missing: installing the Debian text packages and running the corpus step...`);
  if (spawnSync('apt-get', ['install', '-y', '--no-install-recommends', ...CORPUS_PACKAGES], { stdio: 'inherit' }).status !== 0) {
    spawnSync('apt-get', ['update'], { stdio: 'inherit' });
    spawnSync('apt-get', ['install', '-y', '--no-install-recommends', ...CORPUS_PACKAGES], { stdio: 'inherit' });
  }
  const res = spawnSync('/usr/bin/python3', ['build_corpus.py', join(ROOT, '.cache', 'static-model')], {
    cwd: join(ROOT, 'scripts', 'static-model'),
    stdio: 'inherit',
    env: { ...process.env, PYTHONHASHSEED: '0' },
  });
  if (res.status !== 0 || !existsSync(CORPUS)) {
    throw new Error(
      `Could not build ${CORPUS}. Run as root: apt-get install -y ${CORPUS_PACKAGES.join(' ')} && ` +
        `(cd scripts/static-model && /usr/bin/python3 build_corpus.py ../../.cache/static-model)`,
    );
  }
}

/** Passages of at least MIN_WORDS words, de-duplicated, in a seeded random order. */
export function loadPassages(): string[] {
  ensureCorpus();
  const seen = new Set<string>();
  const out: string[] = [];
  for (const line of readFileSync(CORPUS, 'utf8').split('\n')) {
    const text = line.trim();
    if (text.split(' ').length < MIN_WORDS || seen.has(text)) continue;
    seen.add(text);
    out.push(text);
  }
  const random = createRandom(SHUFFLE_SEED);
  for (let i = out.length - 1; i > 0; i--) {
    const j = random.nextInt(i + 1);
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

/** Returns the cached real vectors, embedding them first when the cache is missing or stale. */
export async function ensureRealVectors(n: number, nq: number, outDir = join(ROOT, '.cache', 'bench')): Promise<RealVectors> {
  const model = modelFingerprint();
  const stem = `real-static-${model.dim}d-${n}+${nq}`;
  const path = join(outDir, `${stem}.f32`);
  const sidecar = join(outDir, `${stem}.json`);
  const label = `real-static-${n >= 1000 ? `${Math.round(n / 1000)}k` : n}`;
  if (existsSync(path) && existsSync(sidecar)) {
    const meta = JSON.parse(readFileSync(sidecar, 'utf8')) as { modelHash: string; description: string };
    if (meta.modelHash === model.hash) return { path, dim: model.dim, n, nq, label, description: meta.description };
    log(`${sidecar}: the model changed since these vectors were made; re-embedding`);
  }
  const passages = loadPassages();
  if (passages.length < n + nq) throw new Error(`Only ${passages.length} distinct passages; asked for ${n} + ${nq}.`);
  const texts = passages.slice(0, n + nq);
  const { StaticEmbedder } = await import('../src/engine/embedding/static-embedder');
  const embedder = await StaticEmbedder.create({ modelId: MODEL_ID, localModelPath: `${MODEL_ROOT}/`, device: 'cpu' });
  const dim = embedder.info.dim;
  const all = new Float32Array(texts.length * dim);
  const batch = 512;
  const t0 = performance.now();
  for (let s = 0; s < texts.length; s += batch) {
    all.set(await embedder.embed(texts.slice(s, s + batch), 'passage'), s * dim);
    if ((s / batch) % 40 === 0) log(`  embedded ${s} / ${texts.length}`);
  }
  await embedder.dispose();
  const seconds = (performance.now() - t0) / 1000;
  mkdirSync(outDir, { recursive: true });
  writeFileSync(path, new Uint8Array(all.buffer));
  const description =
    `${n} base + ${nq} held-out query passages (>= ${MIN_WORDS} words, de-duplicated, seeded shuffle ${SHUFFLE_SEED}) ` +
    `from .cache/static-model/gen.txt (Debian-packaged text), embedded by ${MODEL_ID} (${dim}-d, StaticEmbedder in Node)`;
  writeFileSync(
    sidecar,
    JSON.stringify(
      {
        model: MODEL_ID,
        modelHash: model.hash,
        dim,
        n,
        nq,
        layout: 'float32 little-endian, row-major: n base rows then nq query rows',
        source: CORPUS.replace(`${ROOT}/`, ''),
        minWords: MIN_WORDS,
        shuffleSeed: SHUFFLE_SEED,
        distinctPassages: passages.length,
        embedSeconds: seconds,
        description,
      },
      null,
      2,
    ),
  );
  log(`wrote ${path} (${texts.length} x ${dim}) in ${seconds.toFixed(0)} s`);
  return { path, dim, n, nq, label, description };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const args = process.argv.slice(2);
  const option = (name: string, fallback: string) => {
    const i = args.indexOf(`--${name}`);
    return i >= 0 && i + 1 < args.length ? args[i + 1] : fallback;
  };
  const outDir = option('out', '');
  const real = await ensureRealVectors(Number(option('n', '100000')), Number(option('nq', '1000')), outDir || undefined);
  console.log(JSON.stringify(real, null, 2));
}
