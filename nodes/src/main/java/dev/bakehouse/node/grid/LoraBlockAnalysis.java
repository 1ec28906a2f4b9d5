package dev.bakehouse.node.grid;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bakehouse.grid.GridLabels;
import dev.bakehouse.grid.LabelledGrid;
import dev.bakehouse.io.AtomicFiles;
import dev.bakehouse.node.DataDirs;
import dev.bakehouse.node.DataType;
import dev.bakehouse.node.HiddenInput;
import dev.bakehouse.node.ImageBatch;
import dev.bakehouse.node.InputSpec;
import dev.bakehouse.node.InputSpec.FloatInput;
import dev.bakehouse.node.InputSpec.SocketInput;
import dev.bakehouse.node.InputSpec.StringInput;
import dev.bakehouse.node.Node;
import dev.bakehouse.node.NodeContext;
import dev.bakehouse.node.NodeInputs;
import dev.bakehouse.node.NodeResult;
import dev.bakehouse.node.NodeSpec;
import dev.bakehouse.node.OutputSpec;
import dev.bakehouse.node.image.ImageSaver;
import dev.bakehouse.node.image.Images;
import dev.bakehouse.node.lora.LoraValue;
import dev.bakehouse.node.sd.ClipValue;
import dev.bakehouse.node.sd.ModelValue;
import dev.bakehouse.node.sd.VaeValue;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code LoraBlockAnalysis}: which LoRA Block Weight blocks of one LoRA carry its effect. Each
 * block the LoRA has modules in is switched off in turn (others on) and then switched on alone,
 * every image from the same seed ({@link BlockAnalyzer}). Outputs a grid (a row per block,
 * "block off" and "block alone" columns; the first row, "none", holds the full-LoRA and base
 * images) and the table of mean latent and pixel changes as text; with a filename prefix the grid
 * PNG is saved (the table's JSON in its {@code bakehouse_lbw} chunk) and the table beside it as
 * {@code .csv} and {@code .json}.
 */
public final class LoraBlockAnalysis implements Node {
    public static final String NAME = "LoraBlockAnalysis";
    static final String CHUNK = "bakehouse_lbw";
    private static final int COMPRESSION_LEVEL = 4;

    private static final NodeSpec SPEC = NodeSpec.builder(NAME)
            .displayName("LoRA Block Analysis")
            .category("bakehouse/testing")
            .description("Switches each LoRA Block Weight block of a LoRA off in turn, and on alone, with one seed, "
                    + "and reports how much each changes the image (mean latent and pixel change) as a grid and a table.")
            .required(GridInputs.concat(new InputSpec[] {
                SocketInput.of("model", DataType.MODEL),
                SocketInput.of("clip", DataType.CLIP),
                SocketInput.of("vae", DataType.VAE),
                SocketInput.of("lora", DataType.LORA)},
                GridInputs.sampling(),
                new InputSpec[] {
                    FloatInput.of("strength", 1.0, -100.0, 100.0).withStep(0.01)
                            .withTooltip("The LoRA's UNet and text-encoder strength."),
                    StringInput.of("filename_prefix", "lbw-analysis/LoraBlockAnalysis").withTooltip(
                            "Where the grid PNG and the table (.csv, .json) are saved in the output folder; "
                                    + "empty = do not save.")}))
            .hidden(HiddenInput.PROMPT, HiddenInput.EXTRA_PNGINFO)
            .output(OutputSpec.of(DataType.IMAGE, "grid").withTooltip("Row per block: block off, block alone."))
            .output(OutputSpec.of(DataType.STRING, "table").withTooltip("Mean latent and pixel change per block."))
            .outputNode()
            .build();

    @Override
    public NodeSpec spec() {
        return SPEC;
    }

    @Override
    public NodeResult execute(NodeInputs in, NodeContext ctx) throws IOException {
        LoraValue lora = in.get("lora", LoraValue.class);
        float strength = in.getFloat("strength");
        CellSettings settings = GridInputs.baseSettings(in).withLora(lora).withStrengths(strength, strength);
        CellRenderer renderer = new CellRenderer(in.get("model", ModelValue.class), in.get("clip", ClipValue.class),
                in.get("vae", VaeValue.class), in.getInt("width"), in.getInt("height"), ctx);
        renderer.checkFits(lora);
        BlockAnalyzer.Result result = BlockAnalyzer.analyze(renderer, settings, ctx::progress);
        BlockAnalysis analysis = result.analysis();
        ImageBatch grid = Images.toBatch(List.of(grid(result)));
        String table = analysis.toText();
        ObjectNode ui = null;
        String prefix = in.getString("filename_prefix");
        if (!prefix.isBlank()) {
            ui = ImageSaver.save(grid, prefix, ctx.dirs().output(), "output", COMPRESSION_LEVEL, ctx,
                    Map.of(CHUNK, analysis.toJson()));
            writeTables(ctx.dirs().output(), ui, analysis);
            ui.putArray("text").add(table);
        }
        return new NodeResult(List.of(grid, table), ui);
    }

    private static BufferedImage grid(BlockAnalyzer.Result r) {
        List<BufferedImage> cells = new ArrayList<>();
        cells.add(Images.toBufferedImage(r.full(), 0));
        cells.add(Images.toBufferedImage(r.base(), 0));
        for (int i = 0; i < r.analysis().blocks().size(); i++) {
            cells.add(Images.toBufferedImage(r.off().get(i), 0));
            cells.add(Images.toBufferedImage(r.alone().get(i), 0));
        }
        return LabelledGrid.render(cells, labels(r.analysis()));
    }

    /**
     * Columns "block off" and "block alone"; a row per block labelled with its share of the
     * effect, after a first row whose "off" is the full LoRA and whose "alone" is the base image.
     */
    static GridLabels labels(BlockAnalysis analysis) {
        List<String> rows = new ArrayList<>();
        rows.add("none\n(full | base)");
        for (BlockAnalysis.BlockEffect b : analysis.blocks()) {
            rows.add(String.format(Locale.ROOT, "%s\n%.0f%%", b.block(), 100 * b.share(analysis.total())));
        }
        return new GridLabels("", List.of("block off", "block alone"), "Block", rows, "", GridLabels.unused());
    }

    /** The table as {@code .csv} and {@code .json} beside the saved grid, same name. */
    private static void writeTables(Path output, ObjectNode ui, BlockAnalysis analysis) throws IOException {
        JsonNode saved = ui.get("images").get(0);
        String subfolder = saved.get("subfolder").asText();
        Path folder = subfolder.isEmpty() ? output : DataDirs.resolveInside(output, subfolder);
        String stem = saved.get("filename").asText().replaceFirst("\\.png$", "");
        AtomicFiles.write(folder.resolve(stem + ".csv"), analysis.toCsv().getBytes(StandardCharsets.UTF_8));
        AtomicFiles.write(folder.resolve(stem + ".json"), analysis.toJson().getBytes(StandardCharsets.UTF_8));
    }
}
