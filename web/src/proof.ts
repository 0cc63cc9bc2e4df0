// Checks an entry's inclusion proof in the browser (RFC 9162, SHA-256 by WebCrypto): the
// leaf, walked up with the proof's hashes, must give the root of the signed checkpoint.
// Signatures are `truce verify`'s to check; this tells a reader at a glance that the entry
// is in the checkpoint the witnesses cosigned.

export interface InclusionProof {
  seq: number;
  size: number;
  leaf_hash: string;
  root: string;
  proof: string[];
  checkpoint: string;
}

const b64 = (s: string): Uint8Array => Uint8Array.from(atob(s), (c) => c.charCodeAt(0));

async function node(left: Uint8Array, right: Uint8Array): Promise<Uint8Array> {
  const buf = new Uint8Array(1 + left.length + right.length);
  buf[0] = 1;
  buf.set(left, 1);
  buf.set(right, 1 + left.length);
  return new Uint8Array(await crypto.subtle.digest('SHA-256', buf));
}

/// Whether the proof leads from the leaf to the root (RFC 9162 section 2.1.3.2), or null
/// where the browser offers no WebCrypto (an insecure origin).
export async function verifyInclusion(p: InclusionProof): Promise<boolean | null> {
  if (!globalThis.crypto?.subtle) return null;
  if (p.seq >= p.size) return false;
  let fn = p.seq;
  let sn = p.size - 1;
  let r = b64(p.leaf_hash);
  for (const h of p.proof.map(b64)) {
    if (sn === 0) return false;
    if (fn % 2 === 1 || fn === sn) {
      r = await node(h, r);
      if (fn % 2 === 0) {
        while (fn % 2 === 0 && fn !== 0) {
          fn = Math.floor(fn / 2);
          sn = Math.floor(sn / 2);
        }
      }
    } else {
      r = await node(r, h);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  const root = b64(p.root);
  return sn === 0 && r.length === root.length && r.every((b, i) => b === root[i]);
}

/// Who signed the checkpoint note: the log and each witness (`…/witness/NAME` gives NAME).
export function signers(note: string): string[] {
  return note
    .split('\n')
    .filter((l) => l.startsWith('— '))
    .map((l) => l.slice(2).split(' ')[0] ?? '')
    .map((n) => n.split('/witness/')[1] ?? n);
}
