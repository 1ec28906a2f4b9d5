// Binary WebSocket frames (spec §5.6): sampler previews as encoded images. We never announce
// supports_preview_metadata, so only type 1 arrives; 3 and 4 are read anyway for other servers.

const IMAGE_FORMATS = { 1: 'image/jpeg', 2: 'image/png' };

/**
 * `{kind: 'preview', mime, bytes, nodeId}` (nodeId null unless the frame says), or
 * `{kind: 'text', nodeId, text}`, or null for a frame type this editor does not show.
 */
export function parseBinaryFrame(buffer) {
  const view = new DataView(buffer);
  if (buffer.byteLength < 8) return null;
  const type = view.getUint32(0);
  if (type === 1) {
    const mime = IMAGE_FORMATS[view.getUint32(4)];
    return mime ? { kind: 'preview', mime, bytes: new Uint8Array(buffer, 8), nodeId: null } : null;
  }
  const length = view.getUint32(4);
  if (8 + length > buffer.byteLength) return null;
  const head = new TextDecoder().decode(new Uint8Array(buffer, 8, length));
  if (type === 3) {
    return { kind: 'text', nodeId: head, text: new TextDecoder().decode(new Uint8Array(buffer, 8 + length)) };
  }
  if (type === 4) {
    const meta = JSON.parse(head);
    return { kind: 'preview', mime: meta.image_type ?? 'image/jpeg', bytes: new Uint8Array(buffer, 8 + length),
      nodeId: meta.display_node_id ?? meta.node_id ?? null };
  }
  return null;
}
