import assert from 'node:assert/strict';
import { test } from 'node:test';
import { cellSettings, gridFromOutput, gridsFromHistory, pageRows } from '../../main/web/panels/gridModel.js';

const file = (n) => ({ filename: `cell_${n}.png`, subfolder: 'grids', type: 'output' });
const info = {
  version: 1,
  axes: [
    { axis: 'X', type: 'LoRA', text: '', values: ['e1', 'e2'] },
    { axis: 'Y', type: 'Strength', text: '0,1', values: ['0', '1'] },
    { axis: 'Z', type: 'Nothing', text: '', values: [''] },
  ],
  base: { width: 64, height: 64, seed: 7 },
  cells: [0, 1, 2, 3].map((i) => ({
    x: i % 2, y: Math.floor(i / 2), z: 0, lora: `e${(i % 2) + 1}`, strength_model: Math.floor(i / 2), seed: 7,
    steps: 4, cfg: 5, sampler_name: 'euler', scheduler: 'normal', image: file(i),
  })),
};
const output = { images: [{ filename: 'grid.png', subfolder: 'grids', type: 'output' }], bakehouse_grid: [info] };

test('gridFromOutput_readsAxesAndCells_otherOutputsAreNotGrids', () => {
  const grid = gridFromOutput(output, 'p', '11');
  assert.deepEqual([grid.key, grid.x.values, grid.y.type, grid.cells.length], ['p/11', ['e1', 'e2'], 'Strength', 4]);
  assert.equal(gridFromOutput({ images: [] }, 'p', '9'), null);
});

test('pageRows_placesCellsByXandY', () => {
  const rows = pageRows(gridFromOutput(output, 'p', '11'), 0);
  assert.deepEqual(rows.map((r) => r.map((c) => c.image.filename)), [['cell_0.png', 'cell_1.png'], ['cell_2.png', 'cell_3.png']]);
});

test('cellSettings_listsTheAxisValuesFirst_thenTheSamplerSettings', () => {
  const grid = gridFromOutput(output, 'p', '11');
  const rows = cellSettings(grid, grid.cells[3]);
  assert.deepEqual(rows.slice(0, 2), [['X: LoRA', 'e2'], ['Y: Strength', '1']]);
  assert.ok(rows.some(([k, v]) => k === 'seed' && v === '7'));
  assert.deepEqual(rows.at(-1), ['size', '64×64']);
});

test('gridsFromHistory_findsSampleGridOutputs_newestFirst', () => {
  const history = { a: { outputs: { 11: output, 3: { images: [] } } }, b: { outputs: { 11: output } } };
  assert.deepEqual(gridsFromHistory(history).map((g) => g.key), ['b/11', 'a/11']);
});
