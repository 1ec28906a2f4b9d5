// Reads the text chunks of a PNG (spec §7.2: `prompt` and `workflow` as JSON in tEXt chunks).

const SIGNATURE = [137, 80, 78, 71, 13, 10, 26, 10];

/** `{keyword: text}` of the tEXt chunks (and uncompressed iTXt ones) of a PNG's bytes. */
export function pngTextChunks(buffer) {
  const bytes = new Uint8Array(buffer);
  if (!SIGNATURE.every((b, i) => bytes[i] === b)) throw new Error('not a PNG file (bad signature)');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const latin1 = new TextDecoder('latin1');
  const utf8 = new TextDecoder('utf-8');
  const chunks = {};
  let offset = 8;
  while (offset + 12 <= bytes.length) {
    const length = view.getUint32(offset);
    const type = latin1.decode(bytes.subarray(offset + 4, offset + 8));
    const data = bytes.subarray(offset + 8, offset + 8 + length);
    if (type === 'tEXt') {
      const zero = data.indexOf(0);
      if (zero > 0) chunks[latin1.decode(data.subarray(0, zero))] = latin1.decode(data.subarray(zero + 1));
    } else if (type === 'iTXt') {
      const zero = data.indexOf(0);
      const compressed = data[zero + 1];
      if (zero > 0 && compressed === 0) {
        let at = zero + 3;
        at = data.indexOf(0, at) + 1; // language tag
        at = data.indexOf(0, at) + 1; // translated keyword
        chunks[latin1.decode(data.subarray(0, zero))] = utf8.decode(data.subarray(at));
      }
    } else if (type === 'IEND') {
      break;
    }
    offset += 12 + length;
  }
  return chunks;
}
