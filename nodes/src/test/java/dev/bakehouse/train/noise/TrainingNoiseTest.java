package dev.bakehouse.train.noise;

import static dev.bakehouse.train.Tolerance.assertEachRel;
import static dev.bakehouse.train.Tolerance.assertMaxRel;
import static dev.bakehouse.train.Tolerance.longs;
import static dev.bakehouse.train.Tolerance.values;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.bakehouse.model.FixtureTensors;
import dev.bakehouse.testing.SharedResources;
import dev.bakehouse.train.RecordedDraws;
import java.util.OptionalDouble;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The noising half of kohya's step against train-cases and train-options (recorded draws replayed). */
class TrainingNoiseTest {
    private static final double NOISE_TOL = 1e-5;
    private static final Shape LATENT = new Shape(2, 4, 8, 8);
    private static final Shape OFFSET = new Shape(2, 4, 1, 1);
    private static FixtureTensors cases;
    private static FixtureTensors options;
    private static NDManager base;
    private final DdpmSchedule schedule = DdpmSchedule.sd15();

    @BeforeAll
    static void open() {
        cases = new FixtureTensors("sd15-tiny/train-cases.safetensors");
        options = new FixtureTensors("sd15-tiny/train-options.safetensors");
        base = NDManager.newBaseManager();
    }

    @AfterAll
    static void close() throws Exception {
        SharedResources.close(base, cases, options);
    }

    @Test
    void schedule_alphasCumprodAndSnrAtFixtureTimesteps_matchFloat64Reference() {
        long[] t = longs(cases, "timesteps");
        double[] ac = {schedule.alphaCumprod(t[0]), schedule.alphaCumprod(t[1])};
        assertEachRel(cases, "alphas_cumprod_t", ac, 1e-6);
        assertEachRel(cases, "snr_t", schedule.snr(t), 1e-6);
        assertEquals(1000, schedule.numTrainTimesteps());
    }

    @Test
    void plainNoise_givesNoisyLatentsAndVelocityTarget() {
        try (NDManager step = base.newSubManager()) {
            RecordedDraws draws = new RecordedDraws().normal(cases.floats("noise"), LATENT).integers(longs(cases, "timesteps"));
            TrainingNoise.NoisyBatch batch = TrainingNoise.sample(latents(step), NoiseOptions.defaults(), schedule, draws);
            draws.assertConsumed();
            assertArrayEquals(longs(cases, "timesteps"), batch.timesteps());
            assertMaxRel(cases, "target_eps", batch.noise(), NOISE_TOL);
            assertMaxRel(cases, "noisy_latents", batch.noisyLatents(), NOISE_TOL);
            assertMaxRel(cases, "target_v", schedule.velocity(latents(step), batch.noise(), batch.timesteps()), NOISE_TOL);
        }
    }

    @Test
    void noiseOffset_addsScaledChannelDrawToNoiseAndTarget() {
        try (NDManager step = base.newSubManager()) {
            RecordedDraws draws = new RecordedDraws().normal(cases.floats("noise"), LATENT)
                    .normal(cases.floats("offset_noise"), OFFSET).integers(longs(cases, "timesteps"));
            NoiseOptions opts = NoiseOptions.defaults().withNoiseOffset(0.1, OptionalDouble.empty(), false);
            TrainingNoise.NoisyBatch batch = TrainingNoise.sample(latents(step), opts, schedule, draws);
            draws.assertConsumed();
            assertMaxRel(cases, "noise_with_offset", batch.noise(), NOISE_TOL);
            assertMaxRel(cases, "noisy_latents_offset", batch.noisyLatents(), NOISE_TOL);
        }
    }

    @Test
    void adaptiveNoiseOffset_positiveScale_matchesOffsetNoiseAndNoisyLatents() {
        checkAdaptive("adaptive_noise", 1.0);
    }

    @Test
    void adaptiveNoiseOffset_negativeScale_clampsOffsetAtZero() {
        checkAdaptive("adaptive_noise_neg", -1.25);
        try (NDManager step = base.newSubManager()) {
            float[] offset = NoiseOffset.adaptiveOffset(latents(step), 0.1, -1.25).toFloatArray();
            long zeros = java.util.stream.IntStream.range(0, offset.length).filter(i -> offset[i] == 0f).count();
            assertEquals(4, zeros, "the fixture's 4 clamped (b, c) pairs");
        }
    }

    private void checkAdaptive(String name, double scale) {
        try (NDManager step = base.newSubManager()) {
            assertMaxRel(options, name + ".offset", NoiseOffset.adaptiveOffset(latents(step), 0.1, scale), NOISE_TOL);
            RecordedDraws draws = new RecordedDraws().normal(options.floats("noise"), LATENT)
                    .normal(options.floats("offset_noise"), OFFSET).integers(longs(options, "timesteps"));
            NoiseOptions opts = NoiseOptions.defaults().withNoiseOffset(0.1, OptionalDouble.of(scale), false);
            TrainingNoise.NoisyBatch batch = TrainingNoise.sample(latents(step), opts, schedule, draws);
            draws.assertConsumed();
            assertMaxRel(options, name + ".noise", batch.noise(), NOISE_TOL);
            assertMaxRel(options, name + ".noisy_latents", batch.noisyLatents(), NOISE_TOL);
        }
    }

    @Test
    void bilinearUpsampling_matchesTorchAlignCornersFalseExample() {
        try (NDManager step = base.newSubManager()) {
            NDArray row = step.create(new float[] {1, 2, 3, 4}, new Shape(1, 1, 1, 4));
            float[] up = PyramidNoise.upsampleBilinear(row, 1, 8).toFloatArray();
            assertArrayEquals(new float[] {1f, 1.25f, 1.75f, 2.25f, 2.75f, 3.25f, 3.75f, 4f}, up, 1e-7f);
        }
    }

    @Test
    void multiresLevels_matchRecordedSizesUpsamplingSumAndStd() {
        try (NDManager step = base.newSubManager()) {
            for (int i = 0; i < 3; i++) {
                String draw = "multires.draw" + i;
                NDArray x = step.create(options.floats(draw), new Shape(shapeOf(draw)));
                assertMaxRel(options, "multires.up" + i, PyramidNoise.upsampleBilinear(x, 8, 8), NOISE_TOL);
            }
            PyramidNoise.Levels levels = PyramidNoise.accumulate(noise(step), 6, 0.3, multiresDraws());
            long[] sizes = levels.sizes().stream().flatMapToLong(s -> java.util.Arrays.stream(s).asLongStream()).toArray();
            assertArrayEquals(longs(options, "multires.size"), sizes, "(h, w) per level; stops after the 1x1 level");
            assertMaxRel(options, "multires.sum", levels.sum(), NOISE_TOL);
            assertEachRel(options, "multires.std", new double[] {PyramidNoise.unbiasedStd(levels.sum()).getFloat()}, 1e-5);
        }
    }

    @Test
    void multiresNoise_isNoiseAndTargetAndNoisesLatents() {
        try (NDManager step = base.newSubManager()) {
            RecordedDraws draws = new RecordedDraws().normal(options.floats("noise"), LATENT);
            appendMultires(draws).integers(longs(options, "timesteps"));
            NoiseOptions opts = NoiseOptions.defaults().withMultires(6, 0.3);
            TrainingNoise.NoisyBatch batch = TrainingNoise.sample(latents(step), opts, schedule, draws);
            draws.assertConsumed();
            assertMaxRel(options, "multires.noise", batch.noise(), NOISE_TOL);
            assertMaxRel(options, "multires.noisy_latents", batch.noisyLatents(), NOISE_TOL);
        }
    }

    @Test
    void noiseOffsetThenMultires_appliesOffsetBeforePyramid() {
        try (NDManager step = base.newSubManager()) {
            RecordedDraws draws = new RecordedDraws().normal(options.floats("noise"), LATENT)
                    .normal(options.floats("offset_noise"), OFFSET);
            appendMultires(draws).integers(longs(options, "timesteps"));
            NoiseOptions opts = NoiseOptions.defaults().withNoiseOffset(0.1, OptionalDouble.empty(), false).withMultires(6, 0.3);
            TrainingNoise.NoisyBatch batch = TrainingNoise.sample(latents(step), opts, schedule, draws);
            draws.assertConsumed();
            assertMaxRel(options, "noise_offset_multires.noise", batch.noise(), NOISE_TOL);
            NDArray offsetNoise = NoiseOffset.apply(latents(step), noise(step), 0.1, OptionalDouble.empty(),
                    step.create(options.floats("offset_noise"), OFFSET));
            PyramidNoise.Levels levels = PyramidNoise.accumulate(offsetNoise, 6, 0.3, multiresDraws());
            assertMaxRel(options, "noise_offset_multires.sum", levels.sum(), NOISE_TOL);
            assertEachRel(options, "noise_offset_multires.std",
                    new double[] {PyramidNoise.unbiasedStd(levels.sum()).getFloat()}, 1e-5);
            assertMaxRel(options, "noise_offset_multires.noisy_latents", batch.noisyLatents(), NOISE_TOL);
        }
    }

    @Test
    void ipNoiseGamma_perturbsOnlyTheNoisyInput() {
        try (NDManager step = base.newSubManager()) {
            RecordedDraws draws = new RecordedDraws().normal(options.floats("noise"), LATENT)
                    .integers(longs(options, "timesteps")).normal(options.floats("ip_noise.draw"), LATENT);
            NoiseOptions opts = NoiseOptions.defaults().withIpNoiseGamma(0.1, false);
            TrainingNoise.NoisyBatch batch = TrainingNoise.sample(latents(step), opts, schedule, draws);
            draws.assertConsumed();
            assertMaxRel(options, "noise", batch.noise(), 0);
            assertMaxRel(options, "ip_noise.noisy_latents", batch.noisyLatents(), NOISE_TOL);
        }
    }

    @Test
    void randomStrength_scalesOffsetAndGammaByOneUniformDrawEach() {
        try (NDManager step = base.newSubManager()) {
            float[] ones = new float[2 * 4];
            java.util.Arrays.fill(ones, 1f);
            float[] zeros = new float[2 * 4 * 8 * 8];
            RecordedDraws draws = new RecordedDraws().normal(zeros, LATENT).uniform(0.5).normal(ones, OFFSET)
                    .integers(999, 999).uniform(0.25).normal(zeros, LATENT);
            NoiseOptions opts = NoiseOptions.defaults().withNoiseOffset(0.1, OptionalDouble.empty(), true)
                    .withIpNoiseGamma(0.1, true);
            NDArray zeroLatents = step.zeros(LATENT);
            TrainingNoise.NoisyBatch batch = TrainingNoise.sample(zeroLatents, opts, schedule, draws);
            draws.assertConsumed();
            for (float v : batch.noise().toFloatArray()) {
                assertEquals(0.05f, v, 1e-8f, "noise_offset 0.1 times the uniform draw 0.5");
            }
        }
    }

    @Test
    void timesteps_rangeIsHalfOpenAndEqualBoundsGiveThatTimestep() {
        SeededDraws draws = new SeededDraws(7);
        NoiseOptions range = NoiseOptions.defaults().withTimesteps(java.util.OptionalInt.of(100), java.util.OptionalInt.of(102));
        for (long t : TrainingNoise.sampleTimesteps(range, schedule, 500, draws)) {
            org.junit.jupiter.api.Assertions.assertTrue(t == 100 || t == 101, "t = " + t);
        }
        NoiseOptions fixed = NoiseOptions.defaults().withTimesteps(java.util.OptionalInt.of(500), java.util.OptionalInt.of(500));
        assertArrayEquals(new long[] {500, 500, 500}, TrainingNoise.sampleTimesteps(fixed, schedule, 3, draws));
    }

    private RecordedDraws multiresDraws() {
        return appendMultires(new RecordedDraws());
    }

    private RecordedDraws appendMultires(RecordedDraws draws) {
        double[] r = values(options, "multires.r");
        long[] size = longs(options, "multires.size");
        for (int i = 0; i < r.length; i++) {
            draws.pythonRandom((r[i] - 2) / 2).normal(options.floats("multires.draw" + i),
                    new Shape(2, 4, size[2 * i], size[2 * i + 1]));
        }
        return draws;
    }

    private static NDArray latents(NDManager step) {
        return step.create(cases.floats("latents"), LATENT);
    }

    private static NDArray noise(NDManager step) {
        return step.create(options.floats("noise"), LATENT);
    }

    private static long[] shapeOf(String name) {
        return dev.bakehouse.train.Tolerance.shape(options, name);
    }
}
