package dev.bakehouse.node.grid;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bakehouse.lora.LoraApplication;
import dev.bakehouse.node.DataDirs;
import dev.bakehouse.node.ImageBatch;
import dev.bakehouse.node.NodeContext;
import dev.bakehouse.node.NodeInputs;
import dev.bakehouse.node.lora.LoraValue;
import dev.bakehouse.node.sd.ClipTextEncode;
import dev.bakehouse.node.sd.ClipValue;
import dev.bakehouse.node.sd.Conditioning;
import dev.bakehouse.node.sd.EmptyLatentImage;
import dev.bakehouse.node.sd.HostTensor;
import dev.bakehouse.node.sd.KSamplerNode;
import dev.bakehouse.node.sd.Latent;
import dev.bakehouse.node.sd.ModelValue;
import dev.bakehouse.node.sd.VaeDecode;
import dev.bakehouse.node.sd.VaeValue;
import java.time.Clock;
import java.util.HashMap;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Samples grid cells (and GACHAMAX candidates and probes) through the same nodes a hand-built graph would use (CLIPTextEncode,
 * KSampler on an empty latent, VAEDecode), so a cell is exactly the image that graph gives. The
 * LoRA of a cell is added to the incoming MODEL and CLIP views like LoraLoader does, with its
 * block weights; a cell with no LoRA or both strengths 0 samples the incoming views themselves.
 * Encoded prompts are kept for the run, keyed by what changes them (LoRA, text strength, BASE
 * ratio, text), so cells that differ only in sampling settings encode once.
 */
public final class CellRenderer {
    /** One sampled cell: the latent as KSampler returns it and the decoded image (batch of one). */
    public record Cell(HostTensor latent, ImageBatch image) {}

    private final ModelValue model;
    private final ClipValue clip;
    private final VaeValue vae;
    private final Latent empty;
    private final NodeContext cellContext;
    private final Map<String, Conditioning> encoded = new HashMap<>();
    // by identity: a LoraValue's equals compares every weight of the network
    private final Set<LoraValue> checked = Collections.newSetFromMap(new IdentityHashMap<>());

    /**
     * @param ctx the grid node's context: interrupts reach every sampling step, but the steps'
     *            progress is not forwarded (the grid reports progress per cell)
     */
    public CellRenderer(ModelValue model, ClipValue clip, VaeValue vae, int width, int height, NodeContext ctx) {
        this.model = model;
        this.clip = clip;
        this.vae = vae;
        if (width < EmptyLatentImage.LATENT_FACTOR || height < EmptyLatentImage.LATENT_FACTOR) {
            throw new IllegalArgumentException("width and height must be at least " + EmptyLatentImage.LATENT_FACTOR
                    + ", found " + width + "x" + height);
        }
        this.empty = new Latent(HostTensor.zeros(1, EmptyLatentImage.LATENT_CHANNELS,
                height / EmptyLatentImage.LATENT_FACTOR, width / EmptyLatentImage.LATENT_FACTOR));
        this.cellContext = new CellContext(ctx);
    }

    /**
     * Checks that a LoRA fits the model before any cell is sampled, so a wrong LoRA fails at once
     * naming its modules rather than after minutes of sampling.
     */
    public void checkFits(LoraValue lora) {
        if (lora != null && checked.add(lora)) {
            model.checkpoint().checkFits(LoraApplication.of(lora.file().toString(), lora.network(), 1f));
        }
    }

    public Cell render(CellSettings s) {
        checkFits(s.lora());
        ModelValue cellModel = model;
        ClipValue cellClip = clip;
        if (!s.isBase()) {
            if (s.unetStrength() != 0f) {
                cellModel = model.withLora(new LoraApplication(s.lora().name(), s.lora().network(), s.unetStrength(), 0f,
                        s.blockWeights()));
            }
            if (s.textStrength() != 0f) {
                cellClip = clip.withLora(new LoraApplication(s.lora().name(), s.lora().network(), 0f, s.textStrength(),
                        s.blockWeights()));
            }
        }
        Conditioning positive = encode(cellClip, s, s.positive());
        Conditioning negative = encode(cellClip, s, s.negative());
        Map<String, Object> sampler = new HashMap<>();
        sampler.put("model", cellModel);
        sampler.put("seed", s.seed().value());
        sampler.put("steps", (long) s.steps());
        sampler.put("cfg", s.cfg());
        sampler.put("sampler_name", s.sampler().comfyName());
        sampler.put("scheduler", s.scheduler().comfyName());
        sampler.put("positive", positive);
        sampler.put("negative", negative);
        sampler.put("latent_image", empty);
        sampler.put("denoise", 1.0);
        Latent latent = (Latent) new KSamplerNode().execute(new NodeInputs(KSamplerNode.NAME, sampler), cellContext)
                .outputs().get(0);
        ImageBatch image = (ImageBatch) new VaeDecode().execute(new NodeInputs(VaeDecode.NAME,
                Map.of("samples", latent, "vae", vae)), cellContext).outputs().get(0);
        return new Cell(latent.samples(), image);
    }

    private Conditioning encode(ClipValue cellClip, CellSettings s, String text) {
        String key = cellClip == clip ? "base\u0000" + text
                : s.lora().file() + "\u0000" + s.textStrength() + "\u0000"
                        + (s.blockWeights() == null ? 1f : s.blockWeights().ratios26()[0]) + "\u0000" + text;
        Conditioning known = encoded.get(key);
        if (known == null) {
            known = (Conditioning) new ClipTextEncode().execute(new NodeInputs(ClipTextEncode.NAME,
                    Map.of("text", text, "clip", cellClip)), cellContext).outputs().get(0);
            encoded.put(key, known);
        }
        return known;
    }

    /** The grid's context with step progress turned into interrupt checks. */
    private record CellContext(NodeContext outer) implements NodeContext {
        @Override
        public String promptId() {
            return outer.promptId();
        }

        @Override
        public String nodeId() {
            return outer.nodeId();
        }

        @Override
        public DataDirs dirs() {
            return outer.dirs();
        }

        @Override
        public ObjectNode prompt() {
            return outer.prompt();
        }

        @Override
        public JsonNode extraPngInfo() {
            return outer.extraPngInfo();
        }

        @Override
        public Clock clock() {
            return outer.clock();
        }

        @Override
        public void progress(long value, long max) {
            outer.checkInterrupted();
        }

        @Override
        public void checkInterrupted() {
            outer.checkInterrupted();
        }
    }
}
