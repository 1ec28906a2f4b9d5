// UI workflow (litegraph serialization, schema 0.4 or 1) → API prompt, following spec §8.5.
// Works on the serialized JSON, not on live litegraph objects, so it runs in Node tests too.
import { CONTROL_VALUES, hasControlCompanion, isWidgetInput, orderedInputs, parseSpec } from './inputSpecs.js';

const VIRTUAL_TYPES = new Set(['Reroute', 'PrimitiveNode', 'Note', 'MarkdownNote']);
const MODE_MUTED = 2;
const MODE_BYPASS = 4;

/** Links of either schema as `Map<id, {origin_id, origin_slot, target_id, target_slot, type}>`. */
export function linkTable(workflow) {
  const table = new Map();
  for (const link of workflow.links ?? []) {
    if (Array.isArray(link)) {
      const [id, origin_id, origin_slot, target_id, target_slot, type] = link;
      table.set(id, { origin_id, origin_slot, target_id, target_slot, type });
    } else if (link) {
      table.set(link.id, link);
    }
  }
  return table;
}

/**
 * The widget values of a node keyed by input name, companion and upload entries consumed but
 * left out (spec §8.3). Array values are wrapped as `{__value__: [...]}`.
 */
export function widgetInputs(node, def) {
  const values = node.widgets_values;
  const result = {};
  if (values == null) return result;
  let position = 0;
  for (const input of orderedInputs(def)) {
    const parsed = parseSpec(input.spec);
    if (!isWidgetInput(parsed)) continue;
    const value = Array.isArray(values) ? values[position++] : values[input.name];
    if (value !== undefined) result[input.name] = Array.isArray(value) ? { __value__: value } : value;
    if (Array.isArray(values)) {
      // A companion entry is present in every saved workflow; checking its value also reads
      // files written by tools that leave it out.
      if (hasControlCompanion(input.name, parsed) && CONTROL_VALUES.includes(values[position])) position++;
      if (parsed.options.image_upload && values[position] === 'image') position++;
    }
  }
  return result;
}

/**
 * Converts a workflow to `{prompt, unresolved}`: the API prompt (node ids as strings,
 * `_meta.title` kept) and the names of linked inputs that lead nowhere (a muted origin, say).
 */
export function workflowToPrompt(workflow, objectInfo) {
  const nodes = new Map((workflow.nodes ?? []).map((node) => [node.id, node]));
  const links = linkTable(workflow);
  const prompt = {};

  // Follows a link to the node that really produces the value (spec §8.5 step 3).
  function resolve(linkId, wantedType, seen = new Set()) {
    const link = links.get(linkId);
    if (!link || seen.has(linkId)) return null;
    seen.add(linkId);
    const origin = nodes.get(link.origin_id);
    if (!origin || origin.mode === MODE_MUTED) return null;
    if (origin.type === 'Reroute') {
      const through = origin.inputs?.[0]?.link;
      return through == null ? null : resolve(through, wantedType, seen);
    }
    if (origin.type === 'PrimitiveNode') {
      return { literal: Array.isArray(origin.widgets_values) ? origin.widgets_values[0] : undefined };
    }
    if (origin.mode === MODE_BYPASS) {
      const inputs = origin.inputs ?? [];
      const candidates = [inputs[link.origin_slot], ...inputs].filter(
        (input) => input && input.link != null && sameType(input.type, wantedType ?? link.type));
      for (const input of candidates) {
        const found = resolve(input.link, wantedType ?? link.type, seen);
        if (found) return found;
      }
      return null;
    }
    return { link: [String(origin.id), link.origin_slot] };
  }

  for (const node of nodes.values()) {
    if (VIRTUAL_TYPES.has(node.type) || node.mode === MODE_MUTED || node.mode === MODE_BYPASS) continue;
    const def = objectInfo[node.type];
    const inputs = def ? widgetInputs(node, def) : {};
    for (const input of node.inputs ?? []) {
      if (input.link == null) continue;
      const found = resolve(input.link, input.type);
      const name = input.widget?.name ?? input.name;
      if (found?.link) inputs[name] = found.link;
      else if (found && found.literal !== undefined) inputs[name] = found.literal;
    }
    prompt[String(node.id)] = {
      inputs,
      class_type: node.type,
      _meta: { title: node.title ?? def?.display_name ?? node.type },
    };
  }
  // Step 5: links into nodes that were left out (virtual, muted, bypassed) are dropped.
  for (const entry of Object.values(prompt)) {
    for (const [name, value] of Object.entries(entry.inputs)) {
      if (Array.isArray(value) && value.length === 2 && typeof value[0] === 'string' && !(value[0] in prompt)) {
        delete entry.inputs[name];
      }
    }
  }
  return prompt;
}

function sameType(a, b) {
  if (a === '*' || b === '*') return true;
  const left = String(a).split(',');
  return String(b).split(',').some((type) => left.includes(type));
}
