package dev.bakehouse.node.grid;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bakehouse.node.image.PngMetadataJson;
import java.util.List;

/**
 * The {@code bakehouse_grid} text chunk of a saved grid (and SampleGrid's {@code grid_info}
 * output): the axes as typed and as expanded, the base settings, and every cell's full settings
 * in the grid's page/row/column order, so any cell can be sampled again on its own. JSON, ASCII
 * only, written like the {@code prompt} chunk ({@link PngMetadataJson}).
 */
final class GridInfo {
    /** The PNG text keyword. */
    static final String CHUNK = "bakehouse_grid";
    static final int VERSION = 1;

    private GridInfo() {}

    static String toText(List<GridAxis> axes, CellSettings base, int width, int height, List<CellSettings> cells) {
        ObjectNode root = JsonNodeFactory.instance.objectNode();
        root.put("version", VERSION);
        ArrayNode axisArray = root.putArray("axes");
        for (GridAxis axis : axes) {
            ObjectNode a = axisArray.addObject();
            a.put("axis", axis.name());
            a.put("type", axis.type().title());
            a.put("text", axis.text());
            ArrayNode labels = a.putArray("values");
            axis.labels().forEach(labels::add);
        }
        ObjectNode b = settings(base);
        b.put("width", width);
        b.put("height", height);
        root.set("base", b);
        ArrayNode cellArray = root.putArray("cells");
        int columns = axes.get(0).values().size();
        int rows = axes.get(1).values().size();
        for (int i = 0; i < cells.size(); i++) {
            ObjectNode c = cellArray.addObject();
            c.put("x", i % columns);
            c.put("y", i / columns % rows);
            c.put("z", i / (columns * rows));
            c.setAll(settings(cells.get(i)));
        }
        return PngMetadataJson.toText(root);
    }

    /**
     * The grid info of {@code text} with each cell's saved file ({@code {filename, subfolder, type}},
     * in cell order) as its {@code image}: SampleGrid's UI output for grid viewers.
     */
    static ObjectNode withCellFiles(String text, ArrayNode cellFiles) {
        ObjectNode root;
        try {
            root = (ObjectNode) new ObjectMapper().readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("grid info is not JSON: " + e.getMessage(), e);
        }
        ArrayNode cells = root.withArray("cells");
        for (int i = 0; i < cells.size() && i < cellFiles.size(); i++) {
            ((ObjectNode) cells.get(i)).set("image", cellFiles.get(i));
        }
        return root;
    }

    /** Settings under the names of the nodes that take them (LoraLoader, KSampler). */
    static ObjectNode settings(CellSettings s) {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        if (s.lora() == null) {
            o.putNull("lora");
        } else {
            o.put("lora", s.lora().name());
            o.put("strength_model", s.unetStrength());
            o.put("strength_clip", s.textStrength());
            if (s.blockWeights() != null) {
                o.put("lbw", s.blockLabel());
                ArrayNode ratios = o.putArray("lbw26");
                float[] r = s.blockWeights().ratios26();
                for (float v : r) {
                    ratios.add(v);
                }
            }
        }
        o.put("positive", s.positive());
        o.put("negative", s.negative());
        o.put("seed", s.seed().value());
        o.put("steps", s.steps());
        o.put("cfg", s.cfg());
        o.put("sampler_name", s.sampler().comfyName());
        o.put("scheduler", s.scheduler().comfyName());
        return o;
    }
}
