/**
 * Labelled image grids, independent of Stable Diffusion: {@link dev.bakehouse.grid.AxisValues}
 * parses axis values as A1111's X/Y/Z plot users type them (lists, {@code 1-5},
 * {@code 0-1 (+0.25)}, {@code 1-10 [4]}, CSV quoting), {@link dev.bakehouse.grid.LabelledGrid}
 * draws same-sized images into one X/Y grid per Z value with axis titles and wrapped value labels
 * ({@link dev.bakehouse.grid.GridLabels}). The nodes that sample the cells and save the grid with
 * its settings live in {@code dev.bakehouse.node.grid}.
 */
package dev.bakehouse.grid;
