import assert from 'node:assert/strict';
import { test } from 'node:test';
import { TrainingSeries } from '../../main/web/panels/trainingPanel.js';

const step = (prompt, node, n) => ({
  status: 'training', prompt_id: prompt, node, step: n, max_steps: 10, epoch: 1, loss: 0.1 * n, avr_loss: 0.05 * n,
  lr: { unet: 1e-4, text_encoder: 5e-5 },
});

test('trainingSeries_collectsStepsOfOneRun_firstLrGroupCharted', () => {
  const series = new TrainingSeries();
  series.add(step('p', '7', 1));
  series.add(step('p', '7', 2));
  assert.equal(series.points.length, 2);
  assert.deepEqual(series.points[1], { step: 2, epoch: 1, loss: 0.2, avr_loss: 0.1, lr: 1e-4 });
  assert.equal(series.maxSteps, 10);
});

test('trainingSeries_newPromptStartsANewRun_endEventKeepsPoints', () => {
  const series = new TrainingSeries();
  series.add(step('p', '7', 1));
  series.add({ status: 'finished', prompt_id: 'p', node: '7', message: 'saved' });
  assert.deepEqual([series.status, series.message, series.points.length], ['finished', 'saved', 1]);
  series.add(step('q', '7', 1));
  assert.equal(series.points.length, 1);
  assert.equal(series.status, 'training');
});
