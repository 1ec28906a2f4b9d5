// Reads /object_info input specs (spec §4.2) into what the editor needs: which inputs are
// sockets, which are widgets, and each widget's kind and options. Pure functions: unit-testable.

export const WIDGET_TYPES = new Set(['INT', 'FLOAT', 'STRING', 'BOOLEAN', 'COMBO']);
export const CONTROL_VALUES = ['fixed', 'increment', 'decrement', 'randomize'];

/** The inputs of a definition in declaration order: required, then optional (hidden never). */
export function orderedInputs(def) {
  const result = [];
  for (const group of ['required', 'optional']) {
    const specs = def.input?.[group] ?? {};
    const order = def.input_order?.[group] ?? Object.keys(specs);
    for (const name of order) {
      if (specs[name] !== undefined) result.push({ name, spec: specs[name], optional: group === 'optional' });
    }
  }
  return result;
}

/**
 * One input spec `[TYPE]` / `[TYPE, OPTIONS]`, classic (`[[...values], {}]`) or V3
 * (`["COMBO", {options: [...]}]`) combos alike, as `{type, options, values}`; `type` is
 * 'COMBO' for both combo forms.
 */
export function parseSpec(spec) {
  const [rawType, options = {}] = Array.isArray(spec) ? spec : [spec];
  if (Array.isArray(rawType)) return { type: 'COMBO', options, values: rawType };
  if (rawType === 'COMBO') return { type: 'COMBO', options, values: options.options ?? [] };
  return { type: String(rawType), options, values: null };
}

/** True when the input is drawn as a widget rather than a socket. */
export function isWidgetInput(parsed) {
  return WIDGET_TYPES.has(parsed.type) && !parsed.options.forceInput && !parsed.options.defaultInput;
}

/** Whether an INT/combo input gets the "control after generate" companion (spec §8.3). */
export function hasControlCompanion(name, parsed) {
  // An explicit flag wins (false keeps e.g. a training seed fixed); else the legacy name rule.
  if (typeof parsed.options.control_after_generate === 'boolean') return parsed.options.control_after_generate;
  return parsed.type === 'INT' && (name === 'seed' || name === 'noise_seed');
}

function decimals(step) {
  const text = String(step);
  return text.includes('.') ? text.length - text.indexOf('.') - 1 : 0;
}

/**
 * The litegraph widget to create for a widget input: `{kind, value, options}` where kind is a
 * litegraph widget type (number, combo, text, toggle).
 */
export function widgetFor(name, parsed) {
  const o = parsed.options;
  switch (parsed.type) {
    case 'INT':
      return {
        kind: 'number',
        value: o.default ?? o.min ?? 0,
        options: { min: o.min, max: o.max, step2: o.step ?? 1, precision: 0, round: 1, integer: true },
      };
    case 'FLOAT': {
      const step = o.step ?? 0.01;
      const round = typeof o.round === 'number' ? o.round : step;
      return {
        kind: 'number',
        value: o.default ?? o.min ?? 0,
        options: { min: o.min, max: o.max, step2: step, precision: Math.max(decimals(round), decimals(step)), round },
      };
    }
    case 'STRING':
      return { kind: 'text', value: o.default ?? '', options: { multiline: !!o.multiline, placeholder: o.placeholder } };
    case 'BOOLEAN':
      return { kind: 'toggle', value: o.default ?? false, options: { on: o.label_on ?? 'true', off: o.label_off ?? 'false' } };
    case 'COMBO':
      return { kind: 'combo', value: o.default ?? parsed.values[0] ?? '', options: { values: parsed.values } };
    default:
      throw new Error(`input '${name}': ${parsed.type} is not a widget type`);
  }
}

/** Rounds an edited number to what the input allows (INT: integer; FLOAT: its `round`). */
export function normaliseNumber(value, options) {
  let v = Number(value);
  if (!Number.isFinite(v)) v = options.min ?? 0;
  if (options.integer) v = Math.round(v);
  else if (options.round) v = Math.round(v / options.round) * options.round;
  if (options.min != null && v < options.min) v = options.min;
  if (options.max != null && v > options.max) v = options.max;
  return options.integer ? v : Number(v.toFixed(options.precision ?? 6));
}

/** The next seed after queueing, by the companion's mode. */
export function nextControlledValue(mode, value, options) {
  const min = options.min ?? 0;
  const max = Math.min(options.max ?? Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER);
  switch (mode) {
    case 'increment':
      return Math.min(value + 1, max);
    case 'decrement':
      return Math.max(value - 1, min);
    case 'randomize':
      return min + Math.floor(Math.random() * (Math.min(max - min, 2 ** 50) + 1));
    default:
      return value;
  }
}
