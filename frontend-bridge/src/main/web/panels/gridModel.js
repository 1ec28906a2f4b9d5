// SampleGrid results as the grid viewer reads them: the node's UI output carries
// `bakehouse_grid: [info]`, where info is the grid's `bakehouse_grid` PNG text (axes with their
// value labels, base settings, every cell's settings with x/y/z) plus each cell's saved file.
// Pure functions, unit-tested in Node.

/** One grid from a UI output, or null when the output is not a SampleGrid's. */
export function gridFromOutput(output, promptId, node) {
  const info = output?.bakehouse_grid?.[0];
  if (!info || !Array.isArray(info.axes) || !Array.isArray(info.cells)) return null;
  const axis = (name) => info.axes.find((a) => a.axis === name) ?? { axis: name, type: 'Nothing', values: [''] };
  return {
    key: `${promptId}/${node}`,
    promptId,
    node,
    x: axis('X'),
    y: axis('Y'),
    z: axis('Z'),
    base: info.base ?? {},
    cells: info.cells,
    image: output.images?.[0] ?? null,
  };
}

/** Every SampleGrid result in a `/history` answer, newest first. */
export function gridsFromHistory(history) {
  const grids = [];
  for (const [promptId, entry] of Object.entries(history ?? {})) {
    for (const [node, output] of Object.entries(entry.outputs ?? {})) {
      const grid = gridFromOutput(output, promptId, node);
      if (grid) grids.push(grid);
    }
  }
  return grids.reverse();
}

/** The cells of page `z` as rows (y) of columns (x); a missing cell is null. */
export function pageRows(grid, z) {
  const rows = grid.y.values.map(() => grid.x.values.map(() => null));
  for (const cell of grid.cells) {
    if ((cell.z ?? 0) === z && rows[cell.y ?? 0]) rows[cell.y ?? 0][cell.x ?? 0] = cell;
  }
  return rows;
}

/** What a cell was sampled with, as label/value rows: the axes' values first, then the rest. */
export function cellSettings(grid, cell) {
  const rows = [];
  for (const axis of [grid.x, grid.y, grid.z]) {
    if (axis.type !== 'Nothing') rows.push([`${axis.axis}: ${axis.type}`, axis.values[cell[axis.axis.toLowerCase()] ?? 0]]);
  }
  for (const key of ['lora', 'strength_model', 'strength_clip', 'lbw', 'positive', 'negative', 'seed', 'steps', 'cfg',
    'sampler_name', 'scheduler']) {
    if (key in cell) rows.push([key, cell[key] == null ? 'none' : String(cell[key])]);
  }
  if (grid.base.width) rows.push(['size', `${grid.base.width}×${grid.base.height}`]);
  return rows;
}
