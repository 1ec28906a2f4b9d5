import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  hasControlCompanion, isWidgetInput, nextControlledValue, normaliseNumber, orderedInputs, parseSpec, widgetFor,
} from '../../main/web/inputSpecs.js';

test('orderedInputs_followsInputOrder_requiredThenOptional_neverHidden', () => {
  const def = {
    input: { required: { b: ['INT'], a: ['MODEL'] }, optional: { c: ['STRING'] }, hidden: { p: 'PROMPT' } },
    input_order: { required: ['a', 'b'], optional: ['c'], hidden: ['p'] },
  };
  assert.deepEqual(orderedInputs(def).map((i) => i.name), ['a', 'b', 'c']);
});

test('parseSpec_readsClassicAndV3Combos', () => {
  assert.deepEqual(parseSpec([['x', 'y'], {}]).values, ['x', 'y']);
  assert.deepEqual(parseSpec(['COMBO', { options: ['p', 'q'] }]).values, ['p', 'q']);
  assert.equal(parseSpec(['IMAGE']).type, 'IMAGE');
});

test('isWidgetInput_forceInputMakesASocket', () => {
  assert.equal(isWidgetInput(parseSpec(['INT', {}])), true);
  assert.equal(isWidgetInput(parseSpec(['INT', { forceInput: true }])), false);
  assert.equal(isWidgetInput(parseSpec(['LATENT'])), false);
});

test('widgetFor_mapsEachPrimitiveToALitegraphWidget', () => {
  assert.equal(widgetFor('t', parseSpec(['STRING', { multiline: true, default: 'hi' }])).options.multiline, true);
  assert.equal(widgetFor('b', parseSpec(['BOOLEAN', { default: true }])).kind, 'toggle');
  const combo = widgetFor('c', parseSpec([['a', 'b'], {}]));
  assert.deepEqual([combo.kind, combo.value], ['combo', 'a']);
  const float = widgetFor('cfg', parseSpec(['FLOAT', { default: 8, step: 0.1, round: 0.01 }]));
  assert.deepEqual([float.kind, float.value, float.options.precision], ['number', 8, 2]);
  assert.throws(() => widgetFor('m', parseSpec(['MODEL'])), /MODEL is not a widget type/);
});

test('normaliseNumber_roundsAndClampsToTheInputsLimits', () => {
  assert.equal(normaliseNumber(3.6, { integer: true, min: 1, max: 10 }), 4);
  assert.equal(normaliseNumber(0, { integer: true, min: 1, max: 10 }), 1);
  assert.equal(normaliseNumber(7.777, { round: 0.01, precision: 2 }), 7.78);
});

test('controlCompanion_forSeedsAndFlaggedInputs_advancesByMode', () => {
  assert.equal(hasControlCompanion('seed', parseSpec(['INT', {}])), true);
  assert.equal(hasControlCompanion('steps', parseSpec(['INT', {}])), false);
  assert.equal(hasControlCompanion('seed', parseSpec(['INT', { control_after_generate: false }])), false);
  assert.equal(hasControlCompanion('x', parseSpec([['a'], { control_after_generate: true }])), true);
  assert.equal(nextControlledValue('increment', 5, { min: 0, max: 10 }), 6);
  assert.equal(nextControlledValue('decrement', 0, { min: 0, max: 10 }), 0);
  assert.equal(nextControlledValue('fixed', 5, {}), 5);
  const random = nextControlledValue('randomize', 5, { min: 0, max: 3 });
  assert.ok(random >= 0 && random <= 3);
});
