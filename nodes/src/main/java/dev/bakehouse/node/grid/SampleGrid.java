package dev.bakehouse.node.grid;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bakehouse.grid.GridLabels;
import dev.bakehouse.grid.LabelledGrid;
import dev.bakehouse.node.DataType;
import dev.bakehouse.node.HiddenInput;
import dev.bakehouse.node.ImageBatch;
import dev.bakehouse.node.InputSpec;
import dev.bakehouse.node.InputSpec.ComboInput;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code SampleGrid}: an X/Y/Z grid of images that differ only by the axes' values (A1111's
 * X/Y/Z plot for LoRA testing): LoRA (e.g. every saved epoch, from a LORA list), strength, UNet
 * or text-encoder strength, LoRA Block Weight preset or vector, Prompt S/R, seed, CFG, steps,
 * sampler, scheduler. Every cell starts from the same seed and empty latent. Values are typed as
 * in A1111 ({@link dev.bakehouse.grid.AxisValues}: {@code 0,0.5,1}, {@code 1-5},
 * {@code 0-1 (+0.25)}, {@code 1-10 [4]}).
 *
 * <p>A list node ({@code INPUT_IS_LIST}), so a LORA list arrives whole instead of running the node
 * once per LoRA. Outputs the labelled grid, the cells as a batch (page, row, column order) and the
 * grid's settings as JSON. With a {@code filename_prefix} the node also saves the grid like
 * SaveImage (prompt and workflow chunks) plus a {@code bakehouse_grid} text chunk holding that
 * JSON; SaveImage downstream cannot add it, since an IMAGE carries no metadata.
 */
public final class SampleGrid implements Node {
    public static final String NAME = "SampleGrid";
    private static final int COMPRESSION_LEVEL = 4;
    /** More cells than this is a typo (three 100-value axes), not a grid anyone can read. */
    static final int MAX_CELLS = 2500;
    private static final String VALUES_TOOLTIP = "Comma-separated, as A1111's X/Y/Z plot: '0,0.5,1', ranges '1-5', "
            + "'0-1 (+0.25)', '1-10 [4]'. Block weight: presets or 17/26-value vectors separated by ';' or new "
            + "lines. LoRA: empty = every connected LoRA, else names, 1-based numbers or 'none'. Prompt S/R: the "
            + "first value is the text to replace.";

    private static final NodeSpec SPEC = NodeSpec.builder(NAME)
            .displayName("Sample Grid (X/Y/Z)")
            .category("bakehouse/testing")
            .description("Samples an X/Y/Z grid over LoRAs, strengths, block weights, prompts and sampler settings "
                    + "with one shared seed, and draws it with labelled axes.")
            .required(GridInputs.concat(new InputSpec[] {
                SocketInput.of("model", DataType.MODEL),
                SocketInput.of("clip", DataType.CLIP),
                SocketInput.of("vae", DataType.VAE)},
                GridInputs.sampling(),
                new InputSpec[] {
                    FloatInput.of("strength_model", 1.0, -100.0, 100.0).withStep(0.01)
                            .withTooltip("The LoRA's UNet strength where no axis sets it."),
                    FloatInput.of("strength_clip", 1.0, -100.0, 100.0).withStep(0.01)
                            .withTooltip("The LoRA's text-encoder strength where no axis sets it."),
                    axisType("x_type", GridAxisType.LORA), axisValues("x_values"),
                    axisType("y_type", GridAxisType.STRENGTH), axisValues("y_values"),
                    axisType("z_type", GridAxisType.NONE), axisValues("z_values"),
                    StringInput.of("filename_prefix", "grids/SampleGrid").withTooltip(
                            "Where the grid PNG is saved in the output folder, with its settings in a "
                                    + "'bakehouse_grid' text chunk; empty = do not save.")}))
            .optional(SocketInput.of("lora", DataType.LORA)
                    .withTooltip("One LoRA, or a list (e.g. every saved epoch) for a LoRA axis."))
            .hidden(HiddenInput.PROMPT, HiddenInput.EXTRA_PNGINFO)
            .output(OutputSpec.of(DataType.IMAGE, "grid").withTooltip("The labelled grid (Z pages stacked)."))
            .output(OutputSpec.of(DataType.IMAGE, "cells").withTooltip("Every cell, page by page, row by row."))
            .output(OutputSpec.of(DataType.STRING, "grid_info").withTooltip("Axes, base and per-cell settings as JSON."))
            .inputIsList()
            .outputNode()
            .build();

    private static ComboInput axisType(String name, GridAxisType defaultType) {
        return ComboInput.of(name, GridAxisType.titles()).withDefault(defaultType.title());
    }

    private static StringInput axisValues(String name) {
        return StringInput.of(name, name.startsWith("y") ? "0,0.5,1" : "").withTooltip(VALUES_TOOLTIP);
    }

    @Override
    public NodeSpec spec() {
        return SPEC;
    }

    @Override
    public NodeResult execute(NodeInputs listInputs, NodeContext ctx) throws IOException {
        NodeInputs in = GridInputs.singles(listInputs, NAME, "lora");
        List<LoraValue> loras = listInputs.has("lora") ? listInputs.getList("lora", LoraValue.class) : List.of();
        CellSettings base = GridInputs.baseSettings(in)
                .withStrengths(in.getFloat("strength_model"), in.getFloat("strength_clip"));
        List<GridAxis> axes = List.of(axis("X", in, loras, base), axis("Y", in, loras, base), axis("Z", in, loras, base));
        base = checkAxes(axes, loras, base);
        long count = (long) axes.get(0).values().size() * axes.get(1).values().size() * axes.get(2).values().size();
        if (count > MAX_CELLS) {
            throw new IllegalArgumentException(NAME + ": the axes make " + count + " cells, at most " + MAX_CELLS
                    + " allowed");
        }
        int width = in.getInt("width");
        int height = in.getInt("height");

        List<CellSettings> cells = new ArrayList<>();
        GridAxis x = axes.get(0);
        GridAxis y = axes.get(1);
        GridAxis z = axes.get(2);
        for (GridAxis.Value zv : z.values()) {
            for (GridAxis.Value yv : y.values()) {
                for (GridAxis.Value xv : x.values()) {
                    cells.add(xv.apply().apply(yv.apply().apply(zv.apply().apply(base))));
                }
            }
        }
        CellRenderer renderer = new CellRenderer(in.get("model", ModelValue.class), in.get("clip", ClipValue.class),
                in.get("vae", VaeValue.class), width, height, ctx);
        cells.forEach(c -> renderer.checkFits(c.lora()));

        List<ImageBatch> images = new ArrayList<>();
        for (int i = 0; i < cells.size(); i++) {
            ImageBatch image = renderer.render(cells.get(i)).image();
            images.add(image);
            ctx.progress(i + 1, cells.size(), image);
        }
        GridLabels labels = new GridLabels(x.title(), x.labels(), y.title(), y.labels(), z.title(), z.labels());
        ImageBatch grid = Images.toBatch(List.of(render(images, labels)));
        String info = GridInfo.toText(axes, base, width, height, cells);
        ImageBatch cellBatch = concatenate(images);
        ObjectNode ui = null;
        String prefix = in.getString("filename_prefix");
        if (!prefix.isBlank()) {
            // The cells too, so a grid viewer can show each one full size with its settings
            // (ui "bakehouse_grid": the grid info with each cell's file).
            ObjectNode cellFiles = ImageSaver.save(cellBatch, prefix + "_cell", ctx.dirs().output(), "output",
                    COMPRESSION_LEVEL, ctx, Map.of());
            ui = ImageSaver.save(grid, prefix, ctx.dirs().output(), "output", COMPRESSION_LEVEL, ctx,
                    Map.of(GridInfo.CHUNK, info));
            ui.putArray(GridInfo.CHUNK).add(GridInfo.withCellFiles(info, cellFiles.withArray("images")));
        }
        return new NodeResult(List.of(grid, cellBatch, info), ui);
    }

    private static GridAxis axis(String name, NodeInputs in, List<LoraValue> loras, CellSettings base) {
        String prefix = name.toLowerCase(Locale.ROOT);
        GridAxisType type = GridAxisType.fromTitle(name, in.getString(prefix + "_type"));
        return type.parse(name, in.getString(prefix + "_values"), loras, base);
    }

    /** Rejects axes that contradict each other or the LoRA input; returns the base with its LoRA. */
    private static CellSettings checkAxes(List<GridAxis> axes, List<LoraValue> loras, CellSettings base) {
        for (int i = 0; i < axes.size(); i++) {
            for (int j = i + 1; j < axes.size(); j++) {
                if (axes.get(i).type().overlaps(axes.get(j).type())) {
                    throw new IllegalArgumentException(axes.get(i).name() + " axis (" + axes.get(i).title() + ") and "
                            + axes.get(j).name() + " axis (" + axes.get(j).title() + ") set the same setting");
                }
            }
        }
        boolean loraAxis = axes.stream().anyMatch(a -> a.type() == GridAxisType.LORA);
        if (!loraAxis && loras.size() > 1) {
            throw new IllegalArgumentException(NAME + ": " + loras.size() + " LORA values are connected but no axis is "
                    + "LoRA; set an axis type to LoRA or connect one LORA");
        }
        if (!loraAxis && loras.isEmpty()) {
            for (GridAxis a : axes) {
                if (a.type().needsLora()) {
                    throw new IllegalArgumentException(GridAxis.describe(a.name(), a.type())
                            + ": needs a LoRA; connect one to the lora input");
                }
            }
        }
        return loraAxis ? base : base.withLora(loras.isEmpty() ? null : loras.get(0));
    }

    private static BufferedImage render(List<ImageBatch> images, GridLabels labels) {
        List<BufferedImage> cells = new ArrayList<>();
        for (ImageBatch image : images) {
            cells.add(Images.toBufferedImage(image, 0));
        }
        return LabelledGrid.render(cells, labels);
    }

    /** Same-sized single images as one batch. */
    static ImageBatch concatenate(List<ImageBatch> images) {
        ImageBatch first = images.get(0);
        int size = first.height() * first.width() * first.channels();
        float[] pixels = new float[size * images.size()];
        for (int i = 0; i < images.size(); i++) {
            System.arraycopy(images.get(i).toArray(), 0, pixels, i * size, size);
        }
        return new ImageBatch(images.size(), first.height(), first.width(), first.channels(), pixels);
    }
}
