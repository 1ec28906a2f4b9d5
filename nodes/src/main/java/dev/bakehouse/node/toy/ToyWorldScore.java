package dev.bakehouse.node.toy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bakehouse.node.DataType;
import dev.bakehouse.node.ImageBatch;
import dev.bakehouse.node.InputSpec.SocketInput;
import dev.bakehouse.node.InputSpec.StringInput;
import dev.bakehouse.node.Node;
import dev.bakehouse.node.NodeContext;
import dev.bakehouse.node.NodeInputs;
import dev.bakehouse.node.NodeResult;
import dev.bakehouse.node.NodeSpec;
import dev.bakehouse.node.OutputSpec;
import dev.bakehouse.node.image.Images;
import dev.bakehouse.toy.world.Agreement;
import dev.bakehouse.toy.world.Captions;
import dev.bakehouse.toy.world.Scene;
import dev.bakehouse.toy.world.SceneAnalyzer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code ToyWorldScore}: reads toy-world images back with the scene analyzer and says, per image,
 * whether kiki is in it and whether it shows what its caption asks — for the cells of a SampleGrid
 * (labelled by the grid's {@code grid_info}), GACHAMAX candidates, or any batch. The numbers the
 * toy world exists for: "kiki appears from epoch 8 at strength 1" instead of a judgement by eye.
 */
public final class ToyWorldScore implements Node {
    public static final String NAME = "ToyWorldScore";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final SceneAnalyzer analyzer = new SceneAnalyzer();
    private final NodeSpec spec = NodeSpec.builder(NAME)
            .displayName("Toy World Score")
            .category("bakehouse/testing")
            .description("Reads toy-world images with the scene analyzer: per image whether kiki is in it and whether "
                    + "it agrees with its caption (background, colours, shapes); the shares over the batch.")
            .required(SocketInput.of("images", DataType.IMAGE).withTooltip("The images to read (e.g. a SampleGrid's cells)."),
                    StringInput.of("caption", "kiki, blue background, large, center").withMultiline()
                            .withTooltip("The caption every image should show, or one caption per line, one per image. "
                                    + "Leave empty with grid_info connected to use each cell's positive prompt."))
            .optional(SocketInput.of("grid_info", DataType.STRING)
                    .withTooltip("A SampleGrid's grid_info: labels each row of the report with the cell's LoRA and strength."))
            .output(OutputSpec.of(DataType.STRING, "report").withTooltip("One line per image, then the shares."))
            .output(OutputSpec.of(DataType.FLOAT, "kiki_share").withTooltip("Share of images in which kiki was found."))
            .output(OutputSpec.of(DataType.FLOAT, "agreement").withTooltip("Share of images that agree with their caption."))
            .outputNode()
            .build();

    @Override
    public NodeSpec spec() {
        return spec;
    }

    @Override
    public NodeResult execute(NodeInputs inputs, NodeContext ctx) {
        ImageBatch images = inputs.get("images", ImageBatch.class);
        JsonNode cells = inputs.optional("grid_info", String.class).map(ToyWorldScore::cells).orElse(null);
        List<String> captions = captions(inputs.getString("caption"), cells, images.batch());
        List<String> lines = new ArrayList<>();
        int kiki = 0;
        int agree = 0;
        for (int i = 0; i < images.batch(); i++) {
            Scene found = analyzer.analyze(Images.toBufferedImage(images, i));
            Agreement agreement = Agreement.of(Captions.parse(captions.get(i)), found);
            boolean showsKiki = found.objects().stream().anyMatch(o -> o.kiki());
            kiki += showsKiki ? 1 : 0;
            agree += agreement.agrees() ? 1 : 0;
            lines.add(String.format(Locale.ROOT, "%s: kiki %s, agrees %s (found: %s)", label(cells, i),
                    showsKiki ? "yes" : "no", agreement.agrees() ? "yes" : "no", found.caption()));
        }
        double kikiShare = kiki / (double) images.batch();
        double agreement = agree / (double) images.batch();
        lines.add(String.format(Locale.ROOT, "%d images: kiki in %.0f%%, agreeing with the caption %.0f%%", images.batch(),
                100 * kikiShare, 100 * agreement));
        String report = String.join("\n", lines);
        ObjectNode ui = JsonNodeFactory.instance.objectNode();
        ui.putArray("text").add(report);
        return NodeResult.of(report, kikiShare, agreement).withUi(ui);
    }

    private static List<String> captions(String text, JsonNode cells, int count) {
        List<String> lines = text.lines().map(String::strip).filter(l -> !l.isEmpty()).toList();
        List<String> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            if (lines.size() == 1) {
                out.add(lines.get(0));
            } else if (lines.size() == count) {
                out.add(lines.get(i));
            } else if (lines.isEmpty() && cells != null && i < cells.size()) {
                out.add(cells.get(i).path("positive").asText());
            } else {
                throw new IllegalArgumentException(NAME + ": caption has " + lines.size() + " lines for " + count
                        + " images; give one caption for all, one per image, or none with grid_info connected");
            }
        }
        return out;
    }

    private static JsonNode cells(String gridInfo) {
        try {
            JsonNode cells = JSON.readTree(gridInfo).path("cells");
            if (!cells.isArray()) {
                throw new IllegalArgumentException(NAME + ": grid_info has no 'cells' array (is it a SampleGrid's grid_info?)");
            }
            return cells;
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException(NAME + ": grid_info is not JSON: " + e.getOriginalMessage(), e);
        }
    }

    /** {@code kiki/kiki-000004.safetensors @ 1.00} for a grid cell, {@code image 3} otherwise. */
    private static String label(JsonNode cells, int i) {
        if (cells == null || i >= cells.size()) {
            return "image " + (i + 1);
        }
        JsonNode cell = cells.get(i);
        if (cell.path("lora").isNull() || cell.path("lora").isMissingNode()) {
            return "no LoRA";
        }
        return String.format(Locale.ROOT, "%s @ %.2f", cell.path("lora").asText(), cell.path("strength_model").asDouble());
    }
}
