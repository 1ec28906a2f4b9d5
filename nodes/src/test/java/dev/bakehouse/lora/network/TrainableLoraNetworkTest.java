package dev.bakehouse.lora.network;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import dev.bakehouse.lora.LoraApplication;
import dev.bakehouse.lora.LoraPatcher;
import dev.bakehouse.lora.format.KohyaModuleNames;
import dev.bakehouse.lora.format.LbwBlock;
import dev.bakehouse.lora.format.LoraNetwork;
import dev.bakehouse.lora.format.LoraReader;
import dev.bakehouse.model.StableDiffusion;
import dev.bakehouse.model.WeightPatcher;
import dev.bakehouse.tensor.DType;
import dev.bakehouse.tensor.SafetensorsFile;
import dev.bakehouse.train.optim.ParamGroup;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The network on the tiny model: hooking, no-op init, dropouts, groups, saving, memory. */
class TrainableLoraNetworkTest {
    private static TinyTrainFixture fixture;
    private static SafetensorsFile cases;
    private static StableDiffusion model;
    private static LoraNetwork lora;

    @BeforeAll
    static void load() throws Exception {
        fixture = TinyTrainFixture.open();
        cases = fixture.cases();
        model = fixture.model();
        lora = fixture.lora();
    }

    @AfterAll
    static void close() throws Exception {
        TinyTrainFixture.close(fixture);
    }

    @Test
    void freshNetwork_isAnExactNoOp_andCloseUnhooksIt() throws Exception {
        float[] before = epsFromText();
        try (TrainableLoraNetwork net = TrainableLoraNetwork.create(model, TrainCasesTest.fixtureOptions(), seeded(1), null)) {
            assertEquals(290, net.layers().size());
            assertArrayEquals(before, epsFromText(), "untrained LoRA (lora_up = 0) changes nothing, bit for bit");
            float bound = (float) (1 / Math.sqrt(32 * 9));
            float[] down = net.layers().stream().filter(l -> l.name().equals("lora_unet_down_blocks_0_resnets_0_conv1")).findFirst()
                    .orElseThrow().down().toFloatArray();
            double max = 0;
            for (float v : down) {
                max = Math.max(max, Math.abs(v));
            }
            assertTrue(max <= bound && max > 0.9 * bound, "kaiming-uniform(a=sqrt(5)) bound 1/sqrt(fan_in): max " + max);
        }
        try (TrainableLoraNetwork net = TrainableLoraNetwork.create(model, TrainCasesTest.fixtureOptions(), seeded(1), lora)) {
            assertTrue(max(diff(before, epsFromText())) > 1e-3, "the fixture LoRA changes eps");
        }
        assertArrayEquals(before, epsFromText(), "closing the network restores the plain model");
    }

    @Test
    void defaultOptions_lierLaOnly_convDimAddsC3Lier_unetOnlyHasNoTextEncoderKeys() {
        try (TrainableLoraNetwork lierLa = TrainableLoraNetwork.create(model, NetworkOptions.defaults(), seeded(2), null)) {
            assertEquals(204, lierLa.layers().size());
            assertTrue(lierLa.layers().stream().noneMatch(l -> l.name().contains("_resnets_") || l.name().contains("samplers_")));
        }
        try (TrainableLoraNetwork unetOnly = TrainableLoraNetwork.create(model,
                NetworkOptions.defaults().withConv(4, 1f).withParts(true, false), seeded(2), null)) {
            assertEquals(278, unetOnly.layers().size());
            assertTrue(unetOnly.snapshot(Map.of()).modules().keySet().stream().noneMatch(n -> n.startsWith("lora_te_")));
            assertEquals(List.of("unet"), unetOnly.paramGroups(null, 1e-4, 1e-3).stream().map(ParamGroup::name).toList());
        }
    }

    @Test
    void blockSelection_unselectedBlocksAreAbsentFromTheSavedFile(@TempDir Path dir) throws Exception {
        NetworkOptions options = NetworkOptions.defaults().withConv(4, 1f).withBlocks(LbwBlock.parseSelection("IN04-IN07,OUT03-OUT06"));
        try (TrainableLoraNetwork net = TrainableLoraNetwork.create(model, options, seeded(3), null)) {
            Path file = dir.resolve("sel.safetensors");
            net.save(file, DType.F32, Map.of("ss_network_module", "networks.lora"));
            EnumSet<LbwBlock> inFile = EnumSet.noneOf(LbwBlock.class);
            LoraReader.read(file).modules().keySet().forEach(n -> inFile.add(KohyaModuleNames.blockOfModuleName(n).orElseThrow()));
            assertEquals(EnumSet.of(LbwBlock.IN04, LbwBlock.IN05, LbwBlock.IN06, LbwBlock.IN07, LbwBlock.OUT03, LbwBlock.OUT04,
                    LbwBlock.OUT05, LbwBlock.OUT06), inFile);
            assertEquals(inFile, net.blocksPresent());
        }
    }

    @Test
    void blockLrWeights_giveOneGroupPerBlockAtLrTimesWeight_textEncoderAtItsOwnLr() {
        NetworkOptions options = NetworkOptions.defaults()
                .withNetworkArgs(List.of("down_lr_weight=0,0,0,0,0,0,0,0,0,0,0,0", "mid_lr_weight=0.5", "up_lr_weight=1,1,1,1,1,1,2"));
        try (TrainableLoraNetwork net = TrainableLoraNetwork.create(model, options, seeded(4), null)) {
            Map<String, Double> lrs = new java.util.TreeMap<>();
            net.paramGroups(5e-5, 1e-4, 1e-3).forEach(g -> lrs.put(g.name(), g.baseLr()));
            assertEquals(5e-5, lrs.get("textencoder"));
            assertEquals(0.5e-4, lrs.get("unet_M00"), 1e-12);
            assertEquals(2e-4, lrs.get("unet_OUT06"), 1e-12);
            assertEquals(1e-4, lrs.get("unet_OUT07"), 1e-12);
            assertTrue(lrs.keySet().stream().noneMatch(g -> g.startsWith("unet_IN")), lrs.toString());
            int paramsInGroups = net.paramGroups(null, null, 1e-3).stream().mapToInt(g -> g.params().size()).sum();
            assertEquals(2 * net.layers().size(), paramsInGroups);
        }
    }

    @Test
    void savedFile_loadsInReaderAndPatcher_andGivesTheLiveNetworksEps(@TempDir Path dir) throws Exception {
        try (TrainableLoraNetwork net = TrainableLoraNetwork.create(model, TrainCasesTest.fixtureOptions(), seeded(5), lora)) {
            float[] live = epsFromText();
            Path f32 = dir.resolve("f32.safetensors");
            Path f16 = dir.resolve("f16.safetensors");
            Path bf16 = dir.resolve("bf16.safetensors");
            net.save(f32, DType.F32, Map.of("ss_network_dim", "4"));
            net.save(f16, DType.F16, Map.of());
            net.save(bf16, DType.BF16, Map.of());
            LoraNetwork reread = LoraReader.read(f32);
            assertEquals(lora.modules().keySet(), reread.modules().keySet());
            assertEquals("4", reread.metadata().get("ss_network_dim"));
            assertTrue(reread.metadata().containsKey("sshs_model_hash"));
            try (SafetensorsFile raw = SafetensorsFile.open(bf16)) {
                String alpha = "lora_unet_mid_block_attentions_0_proj_in.alpha";
                assertEquals(DType.BF16, raw.info(alpha).dtype());
                assertArrayEquals(new long[0], raw.info(alpha).shape(), "alpha is 0-dim as kohya saves it");
            }
            for (String name : lora.modules().keySet()) {
                assertArrayEquals(lora.module(name).tensor("lora_up.weight").orElseThrow().values(),
                        reread.module(name).tensor("lora_up.weight").orElseThrow().values(), name);
                assertEquals(2f, reread.module(name).alpha().orElseThrow(), name);
            }
            net.setMultiplier(0f);
            float[] plain = epsFromText();
            try (WeightPatcher p = LoraPatcher.apply(model, List.of(LoraApplication.of("f32", reread, 1f)))) {
                assertTrue(max(diff(live, epsFromText())) <= 1e-5 * max(live), "patched file eps = live network eps");
            }
            try (WeightPatcher p = LoraPatcher.apply(model, List.of(LoraApplication.of("bf16", LoraReader.read(bf16), 1f)))) {
                double err = max(diff(live, epsFromText()));
                assertTrue(err <= 2e-2 * max(live) && err < max(diff(live, plain)) / 5, "bf16 file ~ live eps: " + err);
            }
            assertTrue(Files.size(f16) < Files.size(f32) * 0.6);
        }
    }

    @Test
    void networkWeights_ofAnotherRank_areRejectedNamingTheModule_dimFromWeightsTakesTheFilesRanks() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TrainableLoraNetwork.create(model, NetworkOptions.defaults().withDim(8, 2f).withConv(4, 2f), seeded(6), lora));
        assertTrue(e.getMessage().contains("lora_te_text_model_encoder_layers_0_mlp_fc1: lora_down (4, 32)"), e.getMessage());
        try (TrainableLoraNetwork net = TrainableLoraNetwork.create(model, NetworkOptions.defaults().withDimFromWeights(true), seeded(6), lora)) {
            assertEquals(290, net.layers().size());
            assertTrue(net.layers().stream().allMatch(l -> l.rank() == 4 && l.alpha() == 2f));
        }
        assertThrows(IllegalArgumentException.class,
                () -> TrainableLoraNetwork.create(model, NetworkOptions.defaults().withDimFromWeights(true), seeded(6), null));
    }

    @Test
    void dropouts_followKohyasMasksAndRescaling_withTheSeededGenerator() {
        NetworkOptions options = TrainCasesTest.fixtureOptions().withDropout(0.25f, 0.5f, null);
        try (TrainableLoraNetwork net = TrainableLoraNetwork.create(model, options, seeded(7), lora);
                NDManager step = model.manager().newSubManager()) {
            LoraLayer q = net.layers().get(0);
            NDArray x = step.randomNormal(new Shape(2, 5, 32));
            net.setTraining(true, seeded(99));
            float[] got = q.delta(x).toFloatArray();
            RandomGenerator replay = seeded(99);
            NDArray lx = x.matMul(q.down().transpose());
            float[] drop = new float[(int) lx.size()];
            for (int i = 0; i < drop.length; i++) {
                drop[i] = replay.nextFloat() < 0.25f ? 0f : 1f / 0.75f;
            }
            float[] rank = new float[2 * 4];
            for (int i = 0; i < rank.length; i++) {
                rank[i] = replay.nextFloat() > 0.5f ? 1f : 0f;
            }
            NDArray masked = lx.mul(step.create(drop, lx.getShape())).mul(step.create(rank, new Shape(2, 1, 4)));
            float[] expected = masked.matMul(q.up().transpose()).mul(q.scale() / 0.5f).toFloatArray();
            assertArrayEquals(expected, got, 1e-5f);
            net.setTraining(false, null);
            float[] eval = q.delta(x).toFloatArray();
            float[] plain = lx.matMul(q.up().transpose()).mul(q.scale()).toFloatArray();
            assertArrayEquals(plain, eval, 1e-5f, "no dropout outside training");
        }
    }

    @Test
    void moduleDropout_skipsWholeModulesWithProbabilityP() {
        NetworkOptions options = TrainCasesTest.fixtureOptions().withDropout(null, null, 0.3f);
        try (TrainableLoraNetwork net = TrainableLoraNetwork.create(model, options, seeded(8), lora);
                NDManager step = model.manager().newSubManager()) {
            LoraLayer fc1 = net.layers().get(4);
            NDArray x = step.randomNormal(new Shape(1, 3, fc1.down().getShape().get(1)));
            net.setTraining(true, seeded(123));
            RandomGenerator replay = seeded(123);
            int skipped = 0;
            for (int i = 0; i < 400; i++) {
                try (NDManager call = step.newSubManager()) {
                    x.tempAttach(call);
                    NDArray d = fc1.delta(x);
                    boolean expectSkip = replay.nextFloat() < 0.3f;
                    assertEquals(expectSkip, d == null, "call " + i);
                    skipped += d == null ? 1 : 0;
                }
            }
            assertTrue(skipped > 90 && skipped < 150, "about 30% of 400 skipped: " + skipped);
            net.setTraining(false, null);
            for (int i = 0; i < 20; i++) {
                assertTrue(fc1.delta(x) != null);
            }
        }
    }

    @Test
    void trainingSteps_inChildManagers_leaveArrayCountsConstant() {
        try (TrainableLoraNetwork net = TrainableLoraNetwork.create(model, TrainCasesTest.fixtureOptions(), seeded(9), lora)) {
            net.setTraining(true, seeded(10));
            int[] after = new int[2];
            for (int s = 0; s < 12; s++) {
                try (NDManager step = model.manager().newSubManager()) {
                    try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                        NDArray context = model.textEncoder().forward(TrainCasesTest.array(cases, step, "text_ids")).lastHiddenState();
                        NDArray pred = model.unet().forward(TrainCasesTest.array(cases, step, "noisy_latents"),
                                step.create(new float[] {20, 900}), context);
                        gc.backward(pred.sub(TrainCasesTest.array(cases, step, "noise")).square().mean());
                    }
                    for (LoraLayer l : net.layers()) {
                        l.down().getGradient().attach(step);
                        l.up().getGradient().attach(step);
                    }
                    net.zeroGradients();
                }
                if (s == 1) {
                    after[0] = model.manager().getManagedArrays().size();
                    after[1] = net.manager().getManagedArrays().size();
                }
            }
            assertEquals(after[0], model.manager().getManagedArrays().size(), "arrays in the model's manager");
            assertEquals(after[1], net.manager().getManagedArrays().size(), "arrays in the network's manager");
            assertEquals(2 * 290, net.manager().getManagedArrays().size(), "only the factors live in the network's manager");
        }
    }

    private static float[] epsFromText() {
        try (NDManager step = model.manager().newSubManager()) {
            NDArray context = model.textEncoder().forward(TrainCasesTest.array(cases, step, "text_ids")).lastHiddenState();
            return model.unet().forward(TrainCasesTest.array(cases, step, "noisy_latents"), step.create(new float[] {20, 900}), context)
                    .toFloatArray();
        }
    }

    private static RandomGenerator seeded(long seed) {
        return new java.util.SplittableRandom(seed);
    }

    private static float[] diff(float[] a, float[] b) {
        float[] d = new float[a.length];
        for (int i = 0; i < a.length; i++) {
            d[i] = a[i] - b[i];
        }
        return d;
    }

    private static double max(float[] a) {
        double m = 0;
        for (float v : a) {
            m = Math.max(m, Math.abs(v));
        }
        return m;
    }
}
