package dev.bakehouse.node.grid;

import dev.bakehouse.lora.format.KohyaModuleNames;
import dev.bakehouse.lora.format.LbwBlock;
import dev.bakehouse.lora.ops.LoraBlockWeights;
import dev.bakehouse.node.ImageBatch;
import dev.bakehouse.node.grid.BlockAnalysis.BlockEffect;
import dev.bakehouse.node.grid.BlockAnalysis.Change;
import dev.bakehouse.node.sd.HostTensor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs an effective-block analysis: samples the base image (no LoRA), the full LoRA, and for each
 * of the 26 LBW blocks the LoRA has modules in, the LoRA with that block off and with that block
 * alone on — all from one seed — and measures the changes ({@link BlockAnalysis}). The LBW
 * extension's analyzer only shows the pictures; this also gives the numbers.
 */
final class BlockAnalyzer {
    /** Called after each sampled image with (done, total, image). */
    interface Progress {
        void report(int done, int total, ImageBatch image);
    }

    /**
     * The analysis and its images.
     *
     * @param base  the image without the LoRA
     * @param full  the image with every block on
     * @param off   per analysed block, the image with it off
     * @param alone per analysed block, the image with only it on
     */
    record Result(BlockAnalysis analysis, ImageBatch base, ImageBatch full, List<ImageBatch> off, List<ImageBatch> alone) {}

    private BlockAnalyzer() {}

    /** Module count per LBW block, in LBW order, for the blocks that have any. */
    static Map<String, Integer> modulesPerBlock(Iterable<String> moduleNames, List<String> unplaced) {
        Map<String, Integer> counts = new LinkedHashMap<>();
        LoraBlockWeights.BLOCKS26.forEach(b -> counts.put(b, 0));
        for (String name : moduleNames) {
            String block = blockOf(name);
            if (counts.containsKey(block)) {
                counts.merge(block, 1, Integer::sum);
            } else {
                unplaced.add(name);
            }
        }
        counts.values().removeIf(n -> n == 0);
        return counts;
    }

    /** The LBW block id of a kohya module name, or "?" for a module in no block. */
    static String blockOf(String moduleName) {
        return KohyaModuleNames.blockOfModuleName(moduleName).map(LbwBlock::id).orElse("?");
    }

    /** @param withLora the settings of the full-LoRA image (LoRA, strengths, prompts, sampling), no block weights */
    static Result analyze(CellRenderer renderer, CellSettings withLora, Progress progress) {
        if (withLora.lora() == null) {
            throw new IllegalArgumentException("block analysis needs a LoRA");
        }
        List<String> unplaced = new ArrayList<>();
        Map<String, Integer> blocks = modulesPerBlock(withLora.lora().network().modules().keySet(), unplaced);
        int total = 2 + 2 * blocks.size();
        int[] done = {0};
        java.util.function.Function<CellSettings, CellRenderer.Cell> sample = s -> {
            CellRenderer.Cell cell = renderer.render(s);
            progress.report(++done[0], total, cell.image());
            return cell;
        };
        CellRenderer.Cell base = sample.apply(withLora.withLora(null));
        CellRenderer.Cell full = sample.apply(withLora.withBlockWeights(null, ""));
        List<BlockEffect> effects = new ArrayList<>();
        List<ImageBatch> offImages = new ArrayList<>();
        List<ImageBatch> aloneImages = new ArrayList<>();
        for (Map.Entry<String, Integer> e : blocks.entrySet()) {
            int index = LoraBlockWeights.BLOCKS26.indexOf(e.getKey());
            float[] offRatios = new float[LoraBlockWeights.BLOCKS26.size()];
            java.util.Arrays.fill(offRatios, 1f);
            offRatios[index] = 0f;
            float[] aloneRatios = new float[LoraBlockWeights.BLOCKS26.size()];
            aloneRatios[index] = 1f;
            CellRenderer.Cell off = sample.apply(withLora.withBlockWeights(LoraBlockWeights.of(offRatios), e.getKey() + " off"));
            CellRenderer.Cell alone = sample.apply(withLora.withBlockWeights(LoraBlockWeights.of(aloneRatios),
                    e.getKey() + " alone"));
            offImages.add(off.image());
            aloneImages.add(alone.image());
            effects.add(new BlockEffect(e.getKey(), e.getValue(), change(off, full), change(off, base),
                    change(alone, full), change(alone, base)));
        }
        BlockAnalysis analysis = new BlockAnalysis(withLora.lora().name(), change(full, base), effects, unplaced);
        return new Result(analysis, base.image(), full.image(), offImages, aloneImages);
    }

    static Change change(CellRenderer.Cell a, CellRenderer.Cell b) {
        return new Change(meanAbsDiff(a.latent(), b.latent()), meanAbsDiff(a.image().toArray(), b.image().toArray()));
    }

    private static double meanAbsDiff(HostTensor a, HostTensor b) {
        return meanAbsDiff(a.toFloatArray(), b.toFloatArray());
    }

    static double meanAbsDiff(float[] a, float[] b) {
        if (a.length != b.length) {
            throw new IllegalArgumentException("cannot compare " + a.length + " values with " + b.length);
        }
        double sum = 0;
        for (int i = 0; i < a.length; i++) {
            sum += Math.abs((double) a[i] - b[i]);
        }
        return sum / a.length;
    }
}
