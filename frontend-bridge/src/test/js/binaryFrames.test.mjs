import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseBinaryFrame } from '../../main/web/binaryFrames.js';

function frame(type, second, ...rest) {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(type, 0);
  head.writeUInt32BE(second, 4);
  const bytes = Buffer.concat([head, ...rest]);
  return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length);
}

test('parseBinaryFrame_type1_isAPreviewOfTheRunningNode', () => {
  const parsed = parseBinaryFrame(frame(1, 1, Buffer.from([0xff, 0xd8, 0xff])));
  assert.deepEqual([parsed.kind, parsed.mime, [...parsed.bytes], parsed.nodeId], ['preview', 'image/jpeg', [0xff, 0xd8, 0xff], null]);
  assert.equal(parseBinaryFrame(frame(1, 2, Buffer.from([137]))).mime, 'image/png');
});

test('parseBinaryFrame_type4_namesItsNode_type3_isText', () => {
  const meta = Buffer.from(JSON.stringify({ node_id: '3', display_node_id: '5', image_type: 'image/png' }));
  const preview = parseBinaryFrame(frame(4, meta.length, meta, Buffer.from([1, 2])));
  assert.deepEqual([preview.nodeId, preview.mime, [...preview.bytes]], ['5', 'image/png', [1, 2]]);
  const text = parseBinaryFrame(frame(3, 1, Buffer.from('7'), Buffer.from('loading…')));
  assert.deepEqual([text.kind, text.nodeId, text.text], ['text', '7', 'loading…']);
});

test('parseBinaryFrame_unknownOrShortFrames_areIgnored', () => {
  assert.equal(parseBinaryFrame(frame(2, 0)), null);
  assert.equal(parseBinaryFrame(new ArrayBuffer(3)), null);
  assert.equal(parseBinaryFrame(frame(1, 9, Buffer.from([1]))), null);
});
