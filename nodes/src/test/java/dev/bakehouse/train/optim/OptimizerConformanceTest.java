package dev.bakehouse.train.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bakehouse.testing.Fixtures;
import dev.bakehouse.train.schedule.LrSchedule;
import dev.bakehouse.train.schedule.LrSchedules;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every case of {@code optimizers/cases.json} step by step against the float64 reference, at the
 * README's float32 tolerances: parameters (trel and drel), per-group lr, the d/k scalars, the
 * per-tensor scalar state, and the state tensors after the last step (the fixture's per-step
 * state tensors all hold the final state, so only the last step can be compared).
 */
class OptimizerConformanceTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static JsonNode root;

    static synchronized JsonNode root() throws IOException {
        if (root == null) {
            root = JSON.readTree(Fixtures.file("optimizers/cases.json").toFile());
        }
        return root;
    }

    static Stream<String> caseIds() throws IOException {
        List<String> ids = new ArrayList<>();
        root().get("cases").forEach(c -> ids.add(c.get("id").asText()));
        return ids.stream();
    }

    private static JsonNode caseNamed(String id) throws IOException {
        for (JsonNode c : root().get("cases")) {
            if (c.get("id").asText().equals(id)) {
                return c;
            }
        }
        throw new AssertionError(id);
    }

    static float[] floats(JsonNode arr) {
        float[] out = new float[arr.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = (float) arr.get(i).asDouble();
        }
        return out;
    }

    static double[] doubles(JsonNode arr) {
        double[] out = new double[arr.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = arr.get(i).asDouble();
        }
        return out;
    }

    /** The fixture's optimizer and kwargs as kohya's --optimizer_type and --optimizer_args. */
    static String kohyaType(JsonNode c) {
        String opt = c.get("optimizer").asText();
        return opt.equals("SGD") ? "SGDNesterov" : opt;
    }

    static OptimizerArgs kohyaArgs(JsonNode c) {
        List<String> words = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = c.get("kwargs").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (e.getKey().equals("nesterov") || e.getKey().equals("lr")) {
                continue; // kohya passes nesterov=True itself; lr is --learning_rate
            }
            words.add(e.getKey() + "=" + python(e.getValue()));
        }
        return OptimizerArgs.parse(words);
    }

    private static String python(JsonNode v) {
        if (v.isBoolean()) {
            return v.asBoolean() ? "True" : "False";
        }
        if (v.isArray()) {
            List<String> parts = new ArrayList<>();
            v.forEach(x -> parts.add(python(x)));
            return String.join(",", parts);
        }
        return v.asText();
    }

    static LrSchedule schedule(JsonNode c) {
        JsonNode s = c.get("schedule");
        if (s == null || s.isNull()) {
            return LrSchedules.constant();
        }
        long w = s.get("num_warmup_steps").asLong();
        return switch (s.get("name").asText()) {
            case "cosine" -> LrSchedules.cosine(w, s.get("num_training_steps").asLong(), 0.5);
            case "constant_with_warmup" -> LrSchedules.constantWithWarmup(w);
            default -> throw new AssertionError(s);
        };
    }

    /** Builds the case's params, groups and optimizer; {@code params} receives the tensors in fixture order. */
    static Optimizer build(JsonNode c, NDManager m, List<TrainableParam> params) throws IOException {
        JsonNode r = root();
        List<List<TrainableParam>> byGroup = new ArrayList<>();
        r.get("groups").forEach(g -> byGroup.add(new ArrayList<>()));
        for (JsonNode t : r.get("tensors")) {
            String name = t.get("name").asText();
            long[] shape = new long[t.get("shape").size()];
            for (int i = 0; i < shape.length; i++) {
                shape[i] = t.get("shape").get(i).asLong();
            }
            TrainableParam p = OptimizerHarness.param(m, name, floats(r.get("init").get(name)), shape);
            params.add(p);
            byGroup.get(t.get("group").asInt()).add(p);
        }
        JsonNode groupLr = c.get("group_lr");
        List<ParamGroup> groups = new ArrayList<>();
        for (int g = 0; g < byGroup.size(); g++) {
            double lr = groupLr.isNull() ? 0 : groupLr.get(g).asDouble();
            groups.add(new ParamGroup(r.get("groups").get(g).asText(), lr, byGroup.get(g)));
        }
        double lr = c.get("constructor_lr").isNull() ? 1e-3 : c.get("constructor_lr").asDouble();
        return Optimizers.create(kohyaType(c), kohyaArgs(c), lr, groups, m);
    }

    static void feed(NDManager m, List<TrainableParam> params, int t) throws IOException {
        List<float[]> grads = new ArrayList<>();
        for (TrainableParam p : params) {
            grads.add(floats(root().get("grads").get(t).get(p.name())));
        }
        OptimizerHarness.setGradients(m, params, grads);
    }

    /** Worst errors of one case, for the report. */
    static final Map<String, double[]> WORST = new LinkedHashMap<>();

    @ParameterizedTest(name = "{0}")
    @MethodSource("caseIds")
    void case_matchesReferenceStepByStep(String id) throws IOException {
        JsonNode c = caseNamed(id);
        JsonNode tol = c.get("tolerance_f32");
        double trelTol = tol.get("params_trel").asDouble();
        double drelTol = tol.get("params_drel").asDouble();
        double scalarTol = tol.get("scalars_rel").asDouble();
        double[] worst = new double[4]; // trel, drel, scalar, state trel
        LrSchedule schedule = schedule(c);
        try (NDManager m = NDManager.newBaseManager()) {
            List<TrainableParam> params = new ArrayList<>();
            try (Optimizer opt = build(c, m, params)) {
                opt.setLrFactor(schedule.factor(0));
                JsonNode expected = c.get("expected");
                for (int t = 0; t < expected.size(); t++) {
                    JsonNode e = expected.get(t);
                    feed(m, params, t);
                    opt.step();
                    String at = id + " step " + (t + 1);
                    assertEquals(e.get("step").asLong(), opt.steps(), at);
                    for (TrainableParam p : params) {
                        double[] want = doubles(e.get("params").get(p.name()));
                        double[] init = doubles(root().get("init").get(p.name()));
                        float[] got = p.value().toFloatArray();
                        double maxDiff = 0;
                        double maxY = 0;
                        double maxMoved = 0;
                        for (int i = 0; i < got.length; i++) {
                            maxDiff = Math.max(maxDiff, Math.abs(got[i] - want[i]));
                            maxY = Math.max(maxY, Math.abs(want[i]));
                            maxMoved = Math.max(maxMoved, Math.abs(want[i] - init[i]));
                        }
                        double trel = maxY == 0 ? maxDiff : maxDiff / maxY;
                        worst[0] = Math.max(worst[0], trel);
                        assertTrue(trel <= trelTol, at + " " + p.name() + ": trel " + trel + " > " + trelTol);
                        if (maxMoved > 0) {
                            double drel = maxDiff / maxMoved;
                            worst[1] = Math.max(worst[1], drel);
                            assertTrue(drel <= drelTol, at + " " + p.name() + ": drel " + drel + " > " + drelTol);
                        } else {
                            assertEquals(0.0, maxDiff, at + " " + p.name() + " must not move");
                        }
                    }
                    double[] lrs = opt.lrs();
                    for (int g = 0; g < lrs.length; g++) {
                        worst[2] = Math.max(worst[2], checkScalar(at + " lr[" + g + "]",
                                e.get("lr").get(g).asDouble(), lrs[g], scalarTol));
                    }
                    OptimizerState state = opt.state();
                    checkGroupScalars(at, e.get("groups").get(0), c.get("expected_f32").get(t).get("groups").get(0),
                            state, scalarTol, worst);
                    checkParamScalars(at, e.get("state"), state, scalarTol, worst);
                    if (t == expected.size() - 1) {
                        checkStateTensors(at, e.get("state"), state, trelTol, worst);
                    }
                    opt.setLrFactor(schedule.factor(t + 1));
                }
            }
        }
        WORST.put(id, worst);
        System.out.printf("%s: max trel %.2e (tol %.0e), drel %.2e (tol %.0e), lr/d rel %.2e (tol %.0e), final state trel %.2e%n",
                id, worst[0], trelTol, worst[1], drelTol, worst[2], scalarTol, worst[3]);
    }

    private static double checkScalar(String what, double want, double got, double tol) {
        double rel = want == 0 ? Math.abs(got) : Math.abs(got - want) / Math.abs(want);
        assertTrue(rel <= tol || Math.abs(got - want) < 1e-30, what + ": " + got + " vs " + want + " (rel " + rel + ")");
        return rel;
    }

    /**
     * d and d_max (relative, against float64) and k (exact) of D-Adaptation and Prodigy. Prodigy's
     * d_hat is a ratio of float32 sums over {@code p0 - p}, a difference of nearly equal numbers:
     * the float32 emulation itself is 1e-3 off the float64 value there, so d_hat is held to the
     * float32 emulation ({@code expected_f32}), which a float32 port follows closely.
     */
    private static void checkGroupScalars(String at, JsonNode g, JsonNode g32, OptimizerState state, double tol,
                                          double[] worst) {
        for (String key : List.of("d", "d_max")) {
            if (g.has(key)) {
                worst[2] = Math.max(worst[2], checkScalar(at + " " + key, g.get(key).asDouble(), state.scalar(key), tol));
            }
        }
        if (g32.has("d_hat")) {
            worst[2] = Math.max(worst[2], checkScalar(at + " d_hat (vs float32 reference)", g32.get("d_hat").asDouble(),
                    state.scalar("d_hat"), tol));
        }
        if (g.has("k")) {
            assertEquals(g.get("k").asLong(), (long) state.scalar("k"), at + " k");
        }
    }

    /** Per-tensor scalars: step of every optimizer that keeps one, Adafactor's RMS and lr. */
    private static void checkParamScalars(String at, JsonNode st, OptimizerState state, double tol, double[] worst) {
        for (Iterator<Map.Entry<String, JsonNode>> it = st.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String name = e.getKey();
            JsonNode fields = e.getValue();
            if (fields.has("RMS")) {
                worst[2] = Math.max(worst[2], checkScalar(at + " " + name + ".RMS", fields.get("RMS").asDouble(),
                        state.scalar(name + ".RMS"), tol));
                worst[2] = Math.max(worst[2], checkScalar(at + " " + name + ".lr", fields.get("lr").asDouble(),
                        state.scalar(name + ".lr"), tol));
            }
            if (fields.has("step") && state.scalars().containsKey(name + ".step")) {
                assertEquals(fields.get("step").asLong(), (long) state.scalar(name + ".step"), at + " " + name + ".step");
            }
        }
    }

    private static void checkStateTensors(String at, JsonNode st, OptimizerState state, double tol, double[] worst) {
        for (Iterator<Map.Entry<String, JsonNode>> it = st.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            for (Iterator<Map.Entry<String, JsonNode>> f = e.getValue().fields(); f.hasNext(); ) {
                Map.Entry<String, JsonNode> field = f.next();
                if (!field.getValue().isArray()) {
                    continue;
                }
                String key = e.getKey() + "." + field.getKey();
                OptimizerState.Tensor tensor = state.tensors().get(key);
                assertTrue(tensor != null, at + ": no state tensor " + key + " in " + state.tensors().keySet());
                float[] got = tensor.floats();
                double[] want = doubles(field.getValue());
                assertEquals(want.length, got.length, key);
                double maxDiff = 0;
                double maxY = 0;
                for (int i = 0; i < got.length; i++) {
                    maxDiff = Math.max(maxDiff, Math.abs(got[i] - want[i]));
                    maxY = Math.max(maxY, Math.abs(want[i]));
                }
                double trel = maxY == 0 ? maxDiff : maxDiff / maxY;
                worst[3] = Math.max(worst[3], trel);
                assertTrue(trel <= tol, at + " state " + key + ": trel " + trel + " > " + tol);
            }
        }
    }
}
