/**
 * Embedding throughput: Sift's TransformersEmbedder against raw onnxruntime on
 * the same ONNX file, for a random-weight model with all-MiniLM-L6-v2's shapes
 * (built by scripts/fixture-models/make_minilm_shape.py into .cache/models/).
 *
 *   npm run bench:embed [-- --json FILE] [--quick] [--no-node] [--no-torch] [--no-browser]
 *
 * - Node: onnxruntime-node, batch 1/8/32 x length 32/256 x fp32/q8.
 * - PyTorch CPU reference on the same token ids, via /usr/bin/python3, at 1 and 2
 *   threads; ratios use the faster (2 threads collapse when other processes load the cores).
 * - Headless Chromium (/usr/bin/chromium, onnxruntime-web WASM, 1 and 2 threads),
 *   on a subset of conditions because WASM is slow on 2 cores.
 *
 * Every text has exactly `seqLen` tokens, so padding costs nothing on either
 * side. Ours is timed end to end (tokenize, batch, run, pool, normalise); raw
 * ORT on prebuilt tensors, so the ratio includes all of our layer's cost. Ours
 * and ORT are timed in alternation to share the noise of a busy machine.
 * Ratios are ours/peer in sentences per second: above 1 means ours is faster.
 * Unqualified ratio names are fp32 (`embed_vs_ort@wasm2-b32-l256`); q8 ones say so.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as ort from 'onnxruntime-node';
import { TransformersEmbedder } from '../src/engine/embedding/transformers-embedder';
import type { ModelDtype } from '../src/engine/embedding/transformers-embedder';
import { configureTransformers } from '../src/engine/embedding/transformers-env';
import { meanPoolRow, normalizeRow } from '../src/engine/embedding/pooling';
import { padBatch } from '../src/engine/embedding/token-batches';
import { runBrowserBench } from './embed-browser';
import { makeTexts, type BenchRow, type Condition } from './embed-common';
import { maxAbsDiff, pooledFirstRow, timePair } from './embed-timing';

const ROOT = resolve(fileURLToPath(new URL('..', import.meta.url)));
const MODELS = join(ROOT, '.cache', 'models');
const MODEL_ID = 'bench-minilm';
const MODEL_DIR = join(MODELS, MODEL_ID);
const PYTHON = '/usr/bin/python3';

const args = process.argv.slice(2);
const flag = (name: string) => args.includes(name);
const jsonOut = args.includes('--json') ? args[args.indexOf('--json') + 1] : undefined;
const quick = flag('--quick');
const MIN_TIME = quick ? 0.3 : 1.0;
const BATCHES = quick ? [1, 8] : [1, 8, 32];
const LENGTHS = quick ? [32] : [32, 256];
const DTYPES: ModelDtype[] = ['fp32', 'q8'];

function ensureModel(): boolean {
  if (existsSync(join(MODEL_DIR, 'onnx', 'model_quantized.onnx'))) return true;
  console.log('building the bench model (scripts/fixture-models/make_minilm_shape.py)...');
  const r = spawnSync(PYTHON, [join(ROOT, 'scripts/fixture-models/make_minilm_shape.py')], { stdio: 'inherit' });
  return r.status === 0;
}

function row(engine: string, env: string, c: Condition, dtype: string, seconds: number, extra: Record<string, unknown>): BenchRow {
  return {
    engine,
    index: MODEL_ID,
    params: { dtype, batch: c.batch, seqLen: c.seqLen },
    env,
    'recall@10': null,
    qps: c.batch / seconds,
    build_s: null,
    bytes_per_vector: 384 * 4,
    sentences_per_s: c.batch / seconds,
    tokens_per_s: (c.batch * c.seqLen) / seconds,
    ms_per_batch: seconds * 1000,
    ...extra,
  };
}

async function nodeBench(conditions: Condition[]): Promise<BenchRow[]> {
  configureTransformers({ localModelPath: `${MODELS}/`, allowLocalModels: true, allowRemoteModels: false, logLevel: 'error' });
  const rows: BenchRow[] = [];
  for (const dtype of DTYPES) {
    const file = join(MODEL_DIR, 'onnx', dtype === 'q8' ? 'model_quantized.onnx' : 'model.onnx');
    let t0 = performance.now();
    const ours = await TransformersEmbedder.create({ modelId: MODEL_ID, dtype, pooling: 'mean', normalize: true, maxBatchSize: 32 });
    const oursLoad = (performance.now() - t0) / 1000;
    t0 = performance.now();
    const session = await ort.InferenceSession.create(file);
    const ortLoad = (performance.now() - t0) / 1000;
    for (const c of conditions) {
      const dims = [c.batch, c.seqLen];
      const flat = BigInt64Array.from(c.ids.flat(), BigInt);
      const feeds = {
        input_ids: new ort.Tensor('int64', flat, dims),
        attention_mask: new ort.Tensor('int64', new BigInt64Array(flat.length).fill(1n), dims),
        token_type_ids: new ort.Tensor('int64', new BigInt64Array(flat.length), dims),
      };
      if (ours.countTokens(c.texts[0]) !== c.seqLen - 2) throw new Error('bench texts do not have the intended length');
      // Same numbers from both paths, or the timing compares different work.
      const mine = (await ours.embed(c.texts.slice(0, 1), 'passage')).subarray(0, 384);
      const raw = await session.run(feeds);
      const theirs = pooledFirstRow(raw.last_hidden_state.data as Float32Array, c.seqLen, 384);
      const maxDiff = maxAbsDiff(mine, theirs);
      const t = await timePair(() => ours.embed(c.texts, 'passage'), () => session.run(feeds), MIN_TIME);
      rows.push(row('sift-embed', 'node-cpu', c, dtype, t.a, {
        runs: t.runs,
        load_s: oursLoad,
        max_abs_diff_vs_ort: maxDiff,
        first_row_head: Array.from(mine.subarray(0, 8)),
        layer_overhead_ms: layerOverheadMs(ours, c),
      }));
      rows.push(row('onnxruntime-node', 'node-cpu', c, dtype, t.b, { runs: t.runs, load_s: ortLoad }));
      console.log(
        `node ${dtype} b${c.batch} l${c.seqLen}: sift ${(c.batch / t.a).toFixed(1)} sent/s, ort ${(c.batch / t.b).toFixed(1)} sent/s (diff ${maxDiff.toExponential(1)})`,
      );
    }
    await ours.dispose();
    await session.release();
  }
  return rows;
}

/**
 * The work our layer adds around the session (tokenize, pad, pool, normalise),
 * timed alone: on a loaded machine this is steadier than the difference of two
 * end-to-end timings.
 */
function layerOverheadMs(ours: TransformersEmbedder, c: Condition): number {
  const hidden = new Float32Array(c.batch * c.seqLen * 384);
  const out = new Float32Array(c.batch * 384);
  const times: number[] = [];
  for (let rep = 0; rep < 5; rep++) {
    const t0 = performance.now();
    const tokenized = c.texts.map((t) => ({ ids: [0, ...Array(ours.countTokens(t)).fill(1), 0] }));
    const padded = padBatch(tokenized, Uint32Array.from(tokenized.keys()), 0);
    for (let r = 0; r < c.batch; r++) {
      meanPoolRow(hidden, padded.attentionMask, r, padded.columns, 384, out, r * 384, 384);
      normalizeRow(out, r * 384, 384);
    }
    times.push(performance.now() - t0);
  }
  return times.sort((a, b) => a - b)[2];
}

function torchBench(conditions: Condition[], nodeRows: BenchRow[]): BenchRow[] {
  const dir = mkdtempSync(join(tmpdir(), 'sift-embed-bench-'));
  const input = join(dir, 'input.json');
  writeFileSync(input, JSON.stringify({
    threads: [1, 2],
    min_time: MIN_TIME,
    conditions: conditions.map((c) => ({ batch: c.batch, seq_len: c.seqLen, ids: c.ids })),
  }));
  let out: string;
  try {
    out = execFileSync(PYTHON, [join(ROOT, 'bench/embed-torch.py'), input], { encoding: 'utf8', maxBuffer: 1 << 26 });
  } catch (error) {
    console.warn(`torch reference skipped: ${(error as Error).message.split('\n')[0]}`);
    return [];
  }
  const parsed = JSON.parse(out) as {
    torch: string;
    rows: { dtype: string; batch: number; seq_len: number; threads: number; seconds_per_batch: number; runs: number; first_row_head: number[] }[];
  };
  return parsed.rows.map((r) => {
    const c = conditions.find((x) => x.batch === r.batch && x.seqLen === r.seq_len)!;
    const engine = `torch-${parsed.torch}`;
    // Same seed, same weights: fp32 torch must agree with our ONNX path (a check that the reference is fair).
    const ours = nodeRows.find((x) => x.engine === 'sift-embed' && x.params.dtype === r.dtype && x.params.batch === r.batch && x.params.seqLen === r.seq_len);
    const diff = ours ? maxAbsDiff(ours.first_row_head as number[], r.first_row_head) : null;
    console.log(`torch ${r.threads}t ${r.dtype} b${r.batch} l${r.seq_len}: ${(r.batch / r.seconds_per_batch).toFixed(1)} sent/s (diff ${diff?.toExponential(1)})`);
    return row(engine, `torch-cpu-${r.threads}t`, c, r.dtype, r.seconds_per_batch, { runs: r.runs, threads: r.threads, max_abs_diff_vs_sift: diff });
  });
}

function ratios(rows: BenchRow[]): Record<string, number> {
  const out: Record<string, number> = {};
  const find = (engine: (e: string) => boolean, env: string, dtype: string, b: number, l: number) =>
    rows.find((r) => engine(r.engine) && r.env === env && r.params.dtype === dtype && r.params.batch === b && r.params.seqLen === l);
  for (const r of rows.filter((x) => x.engine === 'sift-embed')) {
    const { dtype, batch, seqLen } = r.params;
    const cond = `b${batch}-l${seqLen}`;
    const envTag = r.env === 'node-cpu' ? 'node' : r.env;
    const peer = find((e) => e === 'onnxruntime-node' || e === 'onnxruntime-web', r.env, dtype, batch, seqLen);
    if (peer) out[`embed_vs_ort@${envTag}-${dtype === 'fp32' ? '' : `${dtype}-`}${cond}`] = r.qps / peer.qps;
    if (r.env === 'node-cpu') {
      // Torch's best thread count for this condition (see bench/embed-torch.py).
      const torch = rows
        .filter((x) => x.engine.startsWith('torch') && x.params.dtype === dtype && x.params.batch === batch && x.params.seqLen === seqLen)
        .sort((a, b) => b.qps - a.qps)[0];
      if (torch) out[`embed_vs_torch@${dtype === 'fp32' ? '' : `${dtype}-`}${cond}`] = r.qps / torch.qps;
    }
  }
  return out;
}

async function main(): Promise<void> {
  if (!ensureModel()) {
    console.log('bench model unavailable (needs /usr/bin/python3 with torch and onnx); nothing measured.');
    if (jsonOut) writeFileSync(jsonOut, JSON.stringify({ rows: [], ratios: {}, skipped: 'no bench model' }, null, 2));
    return;
  }
  const loadStart = loadavg();
  const conditions: Condition[] = [];
  for (const seqLen of LENGTHS) for (const batch of BATCHES) conditions.push(makeTexts(MODEL_DIR, batch, seqLen, 7 * batch + seqLen));
  const rows = flag('--no-node') ? [] : await nodeBench(conditions);
  if (!flag('--no-torch')) rows.push(...torchBench(conditions, rows));
  if (!flag('--no-browser')) rows.push(...(await runBrowserBench({ root: ROOT, modelsDir: MODELS, modelId: MODEL_ID, conditions, minTime: MIN_TIME, quick })));
  const meta = {
    model: 'random-weight all-MiniLM-L6-v2 shape (6x384, vocab 30522)',
    node: process.version,
    cpus: cpus().length,
    // Other processes share these cores: read ratios (timed in alternation) rather than absolute rates.
    loadavg_start: loadStart,
    loadavg_end: loadavg(),
    date: new Date().toISOString(),
  };
  const result = { rows, ratios: ratios(rows), meta };
  console.log(JSON.stringify(result.ratios, null, 2));
  if (jsonOut) writeFileSync(jsonOut, `${JSON.stringify(result, null, 2)}\n`);
}

await main();
