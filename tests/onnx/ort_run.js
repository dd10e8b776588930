// Runs an ONNX model in ONNX Runtime (onnxruntime-node, CPU) for the interop tests.
// Usage: node ort_run.js MODEL.onnx OUTDIR NAME=FILE.bin:DTYPE:D0,D1,... ...
// Inputs are raw little-endian files (float32, float64, int64, int32, bool). Every output
// is written to OUTDIR/<name>.bin (raw, its own dtype); stdout gets one JSON line
// {"outputs": [{"name", "type", "dims", "file"}]}.
'use strict';
const fs = require('fs');
const path = require('path');
const ort = require('onnxruntime-node');

const ARRAYS = {
  float32: Float32Array, float64: Float64Array, int64: BigInt64Array, int32: Int32Array,
  bool: Uint8Array, uint8: Uint8Array,
};

function readInput(spec) {
  const [name, rest] = spec.split(/=(.*)/s);
  const [file, dtype, dims] = rest.split(':');
  const bytes = fs.readFileSync(file);
  const Array = ARRAYS[dtype];
  if (!Array) throw new Error(`unknown dtype ${dtype}`);
  const data = new Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / Array.BYTES_PER_ELEMENT);
  const shape = dims === '' ? [] : dims.split(',').map(Number);
  return [name, new ort.Tensor(dtype, data.slice(), shape)];  // slice: an aligned copy
}

async function main() {
  const [model, outDir, ...specs] = process.argv.slice(2);
  const session = await ort.InferenceSession.create(model, { graphOptimizationLevel: 'disabled' });
  const feeds = Object.fromEntries(specs.map(readInput));
  const results = await session.run(feeds);
  fs.mkdirSync(outDir, { recursive: true });
  const outputs = [];
  for (const name of session.outputNames) {
    const t = results[name];
    const file = path.join(outDir, name.replace(/[^A-Za-z0-9_.-]/g, '_') + '.bin');
    fs.writeFileSync(file, Buffer.from(t.data.buffer, t.data.byteOffset, t.data.byteLength));
    outputs.push({ name, type: t.type, dims: t.dims.map(Number), file });
  }
  process.stdout.write(JSON.stringify({ outputs }) + '\n');
}

main().catch((e) => {
  process.stderr.write(`ort_run: ${e.message}\n`);
  process.exit(1);
});
