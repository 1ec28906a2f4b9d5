package dev.bakehouse.train.run;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import dev.bakehouse.lora.format.LoraNetwork;
import dev.bakehouse.lora.network.LoraLayer;
import dev.bakehouse.lora.network.NetworkOptions;
import dev.bakehouse.lora.network.TrainableLoraNetwork;
import dev.bakehouse.model.StableDiffusion;
import dev.bakehouse.model.nn.OwnedArrays;
import dev.bakehouse.tensor.DType;
import dev.bakehouse.tensor.SafetensorsFile;
import dev.bakehouse.tensor.SafetensorsWriter;
import dev.bakehouse.tensor.TensorFileException;
import dev.bakehouse.train.config.TrainNetworkArgs;
import dev.bakehouse.train.loss.LossOptions;
import dev.bakehouse.train.loss.TrainingLoss;
import dev.bakehouse.train.noise.DdpmSchedule;
import dev.bakehouse.train.noise.NoiseOptions;
import dev.bakehouse.train.noise.TrainingNoise;
import dev.bakehouse.train.text.ChunkedTextEncoding;
import dev.bakehouse.train.text.TextOptions;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The training side of {@code bakehouse forward}: for each {@link TrainingCase} whose inputs are
 * present, one kohya training step from recorded inputs ({@code latents}, {@code noise},
 * {@code timesteps}, {@code text_ids}, and per option {@code offset_noise}, {@code multires.*},
 * {@code ip_noise.draw}, {@code long<n>.ids}, {@code loss_weights}) with the given LoRA as
 * network_weights, written under the fixtures' names: {@code loss.<case>}, {@code
 * loss_per_sample.<case>} and, for each direction {@code dir<k>.<lora key>} found, {@code
 * dd.<case>} [k] = sum over the trained keys of sum(dLoss/dkey * dir) (plus {@code _unet_part} /
 * {@code _te_part} when the text encoder trains). The step is the trainer's: the same option
 * parsing, noise, text encoding, UNet and loss code.
 */
public final class TrainingForwardCheck {
    private TrainingForwardCheck() {}

    /** What was written, and each case left out with the input it lacked. */
    public record Report(List<String> written, List<String> skipped) {}

    /**
     * @param checkpoint  the checkpoint's path, for the parsed options (nothing is read from it)
     * @param directions  holds the {@code dir<k>.<lora key>} tensors (may be {@code inputs})
     * @throws IllegalArgumentException when no case has its inputs, or an input has the wrong shape
     */
    public static Report run(StableDiffusion model, Path checkpoint, LoraNetwork lora, SafetensorsFile inputs,
                             SafetensorsFile directions, Path output) throws TensorFileException {
        // grad mode is per thread and on by default on threads DJL did not start: only the collector records
        ai.djl.pytorch.jni.JniUtils.setGradMode(false);
        Map<NetworkOptions, List<Parsed>> byNetwork = new LinkedHashMap<>();
        List<String> skipped = new ArrayList<>();
        for (TrainingCase c : TrainingCase.kohyaFixtureCases()) {
            Parsed p = Parsed.of(c, checkpoint);
            List<String> missing = p.requiredInputs().stream().filter(n -> !inputs.contains(n)).toList();
            if (missing.isEmpty()) {
                byNetwork.computeIfAbsent(p.network(), k -> new ArrayList<>()).add(p);
            } else {
                skipped.add(c.name() + " (no " + String.join(", ", missing) + ")");
            }
        }
        if (byNetwork.isEmpty()) {
            throw new IllegalArgumentException("inputs " + inputs.path() + ": no training case has its inputs; " + skipped);
        }
        int directionCount = 0;
        while (hasDirection(directions, directionCount)) {
            directionCount++;
        }
        Map<String, float[]> results = new LinkedHashMap<>();
        Map<String, long[]> shapes = new HashMap<>();
        DdpmSchedule schedule = DdpmSchedule.sd15();
        for (var entry : byNetwork.entrySet()) {
            try (TrainableLoraNetwork net = TrainableLoraNetwork.create(model, entry.getKey(), new SplittableRandom(0), lora)) {
                for (Parsed p : entry.getValue()) {
                    step(model, net, p, inputs, directions, directionCount, schedule, results, shapes);
                }
            }
        }
        SafetensorsWriter writer = new SafetensorsWriter()
                .metadata("bakehouse.forward.inputs", String.valueOf(inputs.path()))
                .metadata("bakehouse.forward.skipped", String.join("; ", skipped));
        for (var e : results.entrySet()) {
            writer.addFloats(e.getKey(), DType.F32, shapes.get(e.getKey()), e.getValue());
        }
        writer.write(output);
        return new Report(List.copyOf(results.keySet()), List.copyOf(skipped));
    }

    private static boolean hasDirection(SafetensorsFile directions, int k) {
        String prefix = "dir" + k + ".";
        return directions.names().stream().anyMatch(n -> n.startsWith(prefix));
    }

    /** A case with its options parsed by the trainer's own code. */
    private record Parsed(TrainingCase c, NetworkOptions network, NoiseOptions noise, LossOptions loss, TextOptions text,
                          boolean priorLossWeights) {
        static Parsed of(TrainingCase c, Path checkpoint) {
            // the step reads no dataset; a data dir only satisfies the parser's check for one
            List<String> argv = new ArrayList<>(List.of("--pretrained_model_name_or_path=" + checkpoint,
                    "--train_data_dir=" + checkpoint.toAbsolutePath().getParent()));
            argv.addAll(c.kohyaArgs());
            TrainNetworkArgs args = ((TrainNetworkArgs.Parsed) TrainNetworkArgs.parse(argv, Path.of("."), false)).args();
            // the LoRA file decides the module set, ranks and alphas (kohya's create_network_from_weights)
            NetworkOptions network = TrainingSetup.network(args).withDimFromWeights(true);
            return new Parsed(c, network, TrainingSetup.noise(args.training()), TrainingSetup.loss(args),
                    TrainingSetup.text(args), args.dataset().priorLossWeight() != 1.0);
        }

        /** The fixtures name the chunked ids of max_token_length n {@code long<n>.ids}. */
        String idsName() {
            return text.maxTokenLength().orElse(75) == 75 ? "text_ids" : "long" + text.maxTokenLength().getAsInt() + ".ids";
        }

        List<String> requiredInputs() {
            List<String> names = new ArrayList<>(List.of("latents", idsName()));
            names.addAll(InputFileDraws.required(noise));
            if (priorLossWeights) {
                names.add("loss_weights");
            }
            return names;
        }
    }

    private static void step(StableDiffusion model, TrainableLoraNetwork net, Parsed p, SafetensorsFile inputs,
                             SafetensorsFile directions, int directionCount, DdpmSchedule schedule,
                             Map<String, float[]> results, Map<String, long[]> shapes) throws TensorFileException {
        String name = p.c().name();
        net.setMultiplier(p.c().loraActive() ? 1f : 0f);
        try (NDManager step = model.manager().newSubManager()) {
            NDArray latents = read(step, inputs, "latents");
            NDArray ids = ids(step, inputs, p.idsName());
            double[] lossWeights = p.priorLossWeights() ? toDoubles(inputs.readFloats("loss_weights")) : null;
            InputFileDraws draws = InputFileDraws.of(inputs, p.noise());
            TrainingLoss.Result loss;
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                TrainingNoise.NoisyBatch noisy = TrainingNoise.sample(latents, p.noise(), schedule, draws);
                NDArray context = ChunkedTextEncoding.encode(model.textEncoder(), ids, p.text().clipSkipOrLast());
                float[] t = new float[noisy.timesteps().length];
                for (int i = 0; i < t.length; i++) {
                    t[i] = noisy.timesteps()[i];
                }
                NDArray pred = model.unet().forward(noisy.noisyLatents(), OwnedArrays.of(step, t), context);
                NDArray target = p.loss().vParameterization()
                        ? schedule.velocity(latents, noisy.noise(), noisy.timesteps()) : noisy.noise();
                loss = TrainingLoss.compute(pred, target, noisy.timesteps(), lossWeights, p.loss(), schedule);
                if (p.c().derivative() && p.c().loraActive()) {
                    gc.backward(loss.loss());
                }
            }
            if (!draws.consumed()) {
                throw new IllegalArgumentException("inputs " + inputs.path() + ": case " + name
                        + " used fewer recorded draws than stored (multires.r longer than the levels run?)");
            }
            put(results, shapes, "loss." + name, new float[] {loss.loss().getFloat()}, new long[0]);
            float[] perSample = loss.perSample().toFloatArray();
            put(results, shapes, "loss_per_sample." + name, perSample, new long[] {perSample.length});
            if (p.c().derivative() && p.c().loraActive() && directionCount > 0) {
                directionalDerivatives(net, step, name, directions, directionCount, results, shapes);
            }
        } finally {
            net.zeroGradients();
            net.setMultiplier(1f);
        }
    }

    /** dd [k] over every trained key, and per part when the text encoder trains too. */
    private static void directionalDerivatives(TrainableLoraNetwork net, NDManager step, String name,
                                               SafetensorsFile directions, int count, Map<String, float[]> results,
                                               Map<String, long[]> shapes) throws TensorFileException {
        double[] unet = new double[count];
        double[] te = new double[count];
        for (LoraLayer l : net.layers()) {
            for (boolean down : new boolean[] {true, false}) {
                String key = l.name() + (down ? ".lora_down.weight" : ".lora_up.weight");
                NDArray grad = (down ? l.down() : l.up()).getGradient();
                grad.attach(step);
                float[] g = grad.toFloatArray();
                for (int k = 0; k < count; k++) {
                    String dirName = "dir" + k + "." + key;
                    if (!directions.contains(dirName)) {
                        throw new IllegalArgumentException("directions " + directions.path() + ": no '" + dirName
                                + "' for the LoRA module " + l.name());
                    }
                    float[] dir = directions.readFloats(dirName);
                    if (dir.length != g.length) {
                        throw new IllegalArgumentException("directions " + directions.path() + ": '" + dirName + "' has "
                                + dir.length + " values, the LoRA weight " + g.length);
                    }
                    double sum = 0;
                    for (int i = 0; i < g.length; i++) {
                        sum += (double) g[i] * dir[i];
                    }
                    (l.isTextEncoder() ? te : unet)[k] += sum;
                }
            }
        }
        boolean textEncoder = net.layers().stream().anyMatch(LoraLayer::isTextEncoder);
        float[] whole = new float[count];
        for (int k = 0; k < count; k++) {
            whole[k] = (float) (unet[k] + te[k]);
        }
        put(results, shapes, "dd." + name, whole, new long[] {count});
        if (textEncoder) {
            put(results, shapes, "dd." + name + "_unet_part", toFloats(unet), new long[] {count});
            put(results, shapes, "dd." + name + "_te_part", toFloats(te), new long[] {count});
        }
    }

    /** (B, 77) ids as one row per prompt, (B, n, 77) chunked ids as they are; int64. */
    private static NDArray ids(NDManager m, SafetensorsFile inputs, String name) throws TensorFileException {
        long[] shape = inputs.info(name).shape();
        long[] values = inputs.readLongs(name);
        Shape rows = shape.length == 2 ? new Shape(shape[0], 1, shape[1]) : new Shape(shape);
        return m.create(values, rows);
    }

    private static NDArray read(NDManager m, SafetensorsFile inputs, String name) throws TensorFileException {
        return OwnedArrays.of(m, inputs.readFloats(name), new Shape(inputs.info(name).shape()));
    }

    private static void put(Map<String, float[]> results, Map<String, long[]> shapes, String name, float[] values,
                            long[] shape) {
        results.put(name, values);
        shapes.put(name, shape);
    }

    private static double[] toDoubles(float[] f) {
        double[] d = new double[f.length];
        for (int i = 0; i < f.length; i++) {
            d[i] = f[i];
        }
        return d;
    }

    private static float[] toFloats(double[] d) {
        float[] f = new float[d.length];
        for (int i = 0; i < d.length; i++) {
            f[i] = (float) d[i];
        }
        return f;
    }
}
