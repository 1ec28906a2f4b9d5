import assert from 'node:assert/strict';
import { test } from 'node:test';
import { widgetInputs, workflowToPrompt } from '../../main/web/workflowToPrompt.js';

// Definitions in /object_info's shape (spec §4.2), trimmed to what conversion reads.
const OBJECT_INFO = {
  KSampler: {
    name: 'KSampler',
    input: {
      required: {
        model: ['MODEL'],
        seed: ['INT', { default: 0, min: 0, max: 18446744073709551615, control_after_generate: true }],
        steps: ['INT', { default: 20, min: 1, max: 10000 }],
        cfg: ['FLOAT', { default: 8.0, min: 0, max: 100, step: 0.1, round: 0.01 }],
        sampler_name: [['euler', 'dpmpp_2m'], {}],
        scheduler: [['normal', 'karras'], {}],
        positive: ['CONDITIONING'],
        negative: ['CONDITIONING'],
        latent_image: ['LATENT'],
        denoise: ['FLOAT', { default: 1.0, min: 0, max: 1, step: 0.01 }],
      },
    },
    output: ['LATENT'],
  },
  CheckpointLoaderSimple: {
    name: 'CheckpointLoaderSimple',
    input: { required: { ckpt_name: [['tiny.safetensors'], {}] } },
    output: ['MODEL', 'CLIP', 'VAE'],
  },
  CLIPTextEncode: {
    name: 'CLIPTextEncode',
    input: { required: { text: ['STRING', { multiline: true }], clip: ['CLIP'] } },
    output: ['CONDITIONING'],
  },
  LoraLoaderModelOnly: {
    name: 'LoraLoaderModelOnly',
    input: { required: { model: ['MODEL'], lora_name: [['a.safetensors'], {}], strength_model: ['FLOAT', { default: 1 }] } },
    output: ['MODEL'],
  },
  LoadImage: {
    name: 'LoadImage',
    input: { required: { image: [['x.png'], { image_upload: true }] } },
    output: ['IMAGE', 'MASK'],
  },
};

// The worked example of spec §8.6 plus a bypassed LoRA loader between checkpoint and sampler.
function workflow({ loraMode = 4 } = {}) {
  return {
    last_node_id: 10,
    last_link_id: 10,
    nodes: [
      { id: 4, type: 'CheckpointLoaderSimple', mode: 0, outputs: [{ name: 'MODEL', type: 'MODEL', links: [9] }], widgets_values: ['tiny.safetensors'] },
      { id: 10, type: 'LoraLoaderModelOnly', mode: loraMode, inputs: [{ name: 'model', type: 'MODEL', link: 9 }], widgets_values: ['a.safetensors', 0.8] },
      { id: 6, type: 'CLIPTextEncode', mode: 0, inputs: [{ name: 'clip', type: 'CLIP', link: 3 }], widgets_values: ['a lighthouse'] },
      { id: 7, type: 'CLIPTextEncode', mode: 0, inputs: [{ name: 'clip', type: 'CLIP', link: 5 }], widgets_values: ['blurry'] },
      { id: 12, type: 'Note', mode: 0, widgets_values: ['ignored'] },
      {
        id: 3, type: 'KSampler', mode: 0, title: 'Sampler',
        inputs: [
          { name: 'model', type: 'MODEL', link: 1 },
          { name: 'positive', type: 'CONDITIONING', link: 4 },
          { name: 'negative', type: 'CONDITIONING', link: 6 },
          { name: 'latent_image', type: 'LATENT', link: null },
        ],
        widgets_values: [42, 'randomize', 20, 7.5, 'euler', 'normal', 1.0],
      },
    ],
    links: [
      [9, 4, 0, 10, 0, 'MODEL'],
      [1, 10, 0, 3, 0, 'MODEL'],
      [3, 4, 1, 6, 0, 'CLIP'],
      [5, 4, 1, 7, 0, 'CLIP'],
      [4, 6, 0, 3, 1, 'CONDITIONING'],
      [6, 7, 0, 3, 2, 'CONDITIONING'],
    ],
    version: 0.4,
  };
}

test('widgetInputs_skipsTheSeedCompanion_asSpec86', () => {
  const node = workflow().nodes.find((n) => n.id === 3);
  assert.deepEqual(widgetInputs(node, OBJECT_INFO.KSampler),
    { seed: 42, steps: 20, cfg: 7.5, sampler_name: 'euler', scheduler: 'normal', denoise: 1.0 });
});

test('widgetInputs_readsWorkflowsWithoutCompanionOrWithUploadEntry', () => {
  const bare = { widgets_values: [42, 20, 7.5, 'euler', 'normal', 1.0] };
  assert.equal(widgetInputs(bare, OBJECT_INFO.KSampler).steps, 20);
  assert.deepEqual(widgetInputs({ widgets_values: ['x.png', 'image'] }, OBJECT_INFO.LoadImage), { image: 'x.png' });
});

test('workflowToPrompt_bypassedNode_linksThroughToItsMatchingInput', () => {
  const prompt = workflowToPrompt(workflow(), OBJECT_INFO);
  assert.deepEqual(Object.keys(prompt).sort(), ['3', '4', '6', '7']);
  assert.deepEqual(prompt['3'].inputs.model, ['4', 0]);
  assert.deepEqual(prompt['3'].inputs.positive, ['6', 0]);
  assert.equal(prompt['3'].inputs.latent_image, undefined);
  assert.equal(prompt['3']._meta.title, 'Sampler');
  assert.equal(prompt['6'].inputs.text, 'a lighthouse');
  assert.deepEqual(prompt['6'].inputs.clip, ['4', 1]);
});

test('workflowToPrompt_activeNode_isEmittedAndLinked', () => {
  const prompt = workflowToPrompt(workflow({ loraMode: 0 }), OBJECT_INFO);
  assert.deepEqual(prompt['3'].inputs.model, ['10', 0]);
  assert.deepEqual(prompt['10'].inputs, { lora_name: 'a.safetensors', strength_model: 0.8, model: ['4', 0] });
});

test('workflowToPrompt_mutedOrigin_dropsTheLink', () => {
  const prompt = workflowToPrompt(workflow({ loraMode: 2 }), OBJECT_INFO);
  assert.equal(prompt['10'], undefined);
  assert.equal('model' in prompt['3'].inputs, false);
});

test('workflowToPrompt_readsSchema1LinkObjects', () => {
  const v1 = workflow({ loraMode: 0 });
  v1.links = v1.links.map(([id, origin_id, origin_slot, target_id, target_slot, type]) =>
    ({ id, origin_id, origin_slot, target_id, target_slot, type }));
  v1.version = 1;
  assert.deepEqual(workflowToPrompt(v1, OBJECT_INFO)['10'].inputs.model, ['4', 0]);
});

test('workflowToPrompt_unknownType_isKeptSoTheServerNamesIt', () => {
  const w = workflow({ loraMode: 0 });
  w.nodes.push({ id: 20, type: 'NoSuchNode', mode: 0, widgets_values: [1] });
  const prompt = workflowToPrompt(w, OBJECT_INFO);
  assert.equal(prompt['20'].class_type, 'NoSuchNode');
});
