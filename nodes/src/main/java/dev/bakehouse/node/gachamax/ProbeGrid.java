package dev.bakehouse.node.gachamax;

import dev.bakehouse.grid.GridLabels;
import dev.bakehouse.grid.LabelledGrid;
import dev.bakehouse.model.sampling.Seed;
import dev.bakehouse.node.grid.CellRenderer;
import dev.bakehouse.node.grid.CellSettings;
import dev.bakehouse.node.image.Images;
import dev.bakehouse.node.lora.LoraValue;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;

/**
 * A round's probe grid: one row per probe prompt, one column per model — the base model (the
 * LoRA at strength 0), the previous round's LoRA (from round 2 on) and this round's — all drawn
 * with the same seed, so rounds compare cell by cell.
 */
final class ProbeGrid {
    /** A column: its label and LoRA (null for the base model). */
    record Column(String label, LoraValue lora) {}

    /** The grid image and the cells of its last column (this round's LoRA), one per prompt. */
    record Result(BufferedImage grid, List<BufferedImage> lastColumn) {}

    private ProbeGrid() {}

    static Result render(CellRenderer renderer, RoundSettings s, List<String> prompts, List<Column> columns) {
        List<BufferedImage> cells = new ArrayList<>();
        List<BufferedImage> last = new ArrayList<>();
        for (String prompt : prompts) {
            for (int c = 0; c < columns.size(); c++) {
                Column column = columns.get(c);
                float strength = column.lora() == null ? 0f : 1f;
                BufferedImage image = Images.toBufferedImage(renderer.render(new CellSettings(column.lora(), strength,
                        strength, null, "", prompt, s.negative(), Seed.of(s.seed()), s.steps(), s.cfg(), s.sampler(),
                        s.scheduler())).image(), 0);
                cells.add(image);
                if (c == columns.size() - 1) {
                    last.add(image);
                }
            }
        }
        GridLabels labels = new GridLabels("", columns.stream().map(Column::label).toList(), "", prompts, "",
                GridLabels.unused());
        return new Result(LabelledGrid.render(cells, labels), last);
    }
}
