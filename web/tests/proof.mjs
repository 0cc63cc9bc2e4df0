// The browser's inclusion-proof check (src/proof.ts), run under Node's WebCrypto on trees
// built here: every proof of every leaf of trees of 1 to 9 leaves holds, and a one-bit change
// to a proof hash, the leaf or the root, or a wrong index, fails (the size is the signed checkpoint's to commit to).
import { build } from 'esbuild';
import { createHash } from 'node:crypto';

const out = await build({ entryPoints: [new URL('../src/proof.ts', import.meta.url).pathname], bundle: true, write: false, format: 'esm', platform: 'neutral' });
const { verifyInclusion } = await import(`data:text/javascript;base64,${Buffer.from(out.outputFiles[0].text).toString('base64')}`);

const h = (...parts) => createHash('sha256').update(Buffer.concat(parts)).digest();
const leaf = (i) => h(Buffer.from([0]), Buffer.from(`entry ${i}`));
const node = (l, r) => h(Buffer.from([1]), l, r);
// RFC 9162: the root of leaves[lo..hi), and the inclusion path of leaf m in it.
const split = (n) => 2 ** Math.floor(Math.log2(n - 1));
function root(ls) {
  if (ls.length === 1) return ls[0];
  const k = split(ls.length);
  return node(root(ls.slice(0, k)), root(ls.slice(k)));
}
function path(m, ls) {
  if (ls.length === 1) return [];
  const k = split(ls.length);
  return m < k ? [...path(m, ls.slice(0, k)), root(ls.slice(k))] : [...path(m - k, ls.slice(k)), root(ls.slice(0, k))];
}
const b64 = (b) => Buffer.from(b).toString('base64');
const flip = (s) => {
  const b = Buffer.from(s, 'base64');
  b[0] ^= 1;
  return b.toString('base64');
};

let checked = 0;
for (let n = 1; n <= 9; n++) {
  const ls = Array.from({ length: n }, (_, i) => leaf(i));
  const r = b64(root(ls));
  for (let m = 0; m < n; m++) {
    const p = { seq: m, size: n, leaf_hash: b64(ls[m]), root: r, proof: path(m, ls).map(b64), checkpoint: '' };
    if ((await verifyInclusion(p)) !== true) throw new Error(`leaf ${m} of ${n}: a true proof fails`);
    const bad = [
      { ...p, root: flip(p.root) },
      { ...p, leaf_hash: flip(p.leaf_hash) },
      ...p.proof.map((_, i) => ({ ...p, proof: p.proof.map((x, j) => (i === j ? flip(x) : x)) })),
      ...(n > 1 ? [{ ...p, seq: (m + 1) % n }] : []),
    ];
    for (const b of bad) {
      if ((await verifyInclusion(b)) !== false) throw new Error(`leaf ${m} of ${n}: a broken proof holds: ${JSON.stringify(b)}`);
    }
    checked += 1 + bad.length;
  }
}
console.log(`inclusion proofs: ${checked} checks on trees of 1 to 9 leaves, true ones hold and broken ones fail`);
