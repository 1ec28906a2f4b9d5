import assert from 'node:assert/strict';
import { test } from 'node:test';
import { deflateSync } from 'node:zlib';
import { pngTextChunks } from '../../main/web/pngText.js';

function chunk(type, data) {
  const out = Buffer.alloc(12 + data.length);
  out.writeUInt32BE(data.length, 0);
  out.write(type, 4, 'latin1');
  data.copy(out, 8);
  return out; // CRC left zero: the reader does not check it
}

function png(...chunks) {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(1, 0);
  header.writeUInt32BE(1, 4);
  header[8] = 8;
  header[9] = 2;
  return Buffer.concat([Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]), chunk('IHDR', header), ...chunks,
    chunk('IDAT', deflateSync(Buffer.from([0, 0, 0, 0]))), chunk('IEND', Buffer.alloc(0))]);
}

test('pngTextChunks_readsPromptAndWorkflowTextChunks', () => {
  const bytes = png(
    chunk('tEXt', Buffer.from('prompt\0{"3": {"class_type": "KSampler"}}', 'latin1')),
    chunk('tEXt', Buffer.from('workflow\0{"nodes": []}', 'latin1')),
    chunk('iTXt', Buffer.concat([Buffer.from('note\0\0\0\0\0', 'latin1'), Buffer.from('héllo', 'utf8')])));
  const chunks = pngTextChunks(bytes);
  assert.deepEqual(JSON.parse(chunks.prompt), { 3: { class_type: 'KSampler' } });
  assert.deepEqual(JSON.parse(chunks.workflow), { nodes: [] });
  assert.equal(chunks.note, 'héllo');
});

test('pngTextChunks_rejectsNonPng', () => {
  assert.throws(() => pngTextChunks(Buffer.from('GIF89a....')), /not a PNG/);
});
