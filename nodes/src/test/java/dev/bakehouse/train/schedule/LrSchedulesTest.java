package dev.bakehouse.train.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bakehouse.testing.Fixtures;
import java.io.IOException;
import org.junit.jupiter.api.Test;

/** Every schedule of {@code optimizers/schedules.json}, and kohya's step-argument arithmetic. */
class LrSchedulesTest {
    private static JsonNode fixture() throws IOException {
        return new ObjectMapper().readTree(Fixtures.file("optimizers/schedules.json").toFile());
    }

    private static void near(double want, double got, String what) {
        assertEquals(want, got, 1e-12 * Math.max(1, Math.abs(want)), what);
    }

    @Test
    void everySchedule_matchesReferenceMultipliers_throughTAndBeyond() throws IOException {
        JsonNode f = fixture();
        long t = f.get("num_training_steps").asLong();
        int checked = 0;
        for (JsonNode s : f.get("schedules")) {
            String name = s.get("name").asText();
            SchedulerType type = SchedulerType.parse(name);
            JsonNode a = s.get("arguments");
            WarmupSteps warmup = type == SchedulerType.CONSTANT ? WarmupSteps.none()
                    : WarmupSteps.parse(a.get("num_warmup_steps").asText());
            int cycles = a.has("num_cycles") ? a.get("num_cycles").asInt() : 1;
            double power = a.has("power") ? a.get("power").asDouble() : 1;
            double lrInit = a.has("lr_init") ? a.get("lr_init").asDouble() : 1e-4;
            LrSchedule sched = LrSchedules.kohya(type, warmup, t, 1, cycles, power, lrInit);
            JsonNode m = s.get("multipliers");
            for (int step = 0; step < m.size(); step++) {
                near(m.get(step).asDouble(), sched.factor(step), name + " step " + step);
            }
            near(s.get("at_num_training_steps").asDouble(), sched.factor(t), name + " at T");
            for (JsonNode b : s.get("beyond_end")) {
                near(b.get("multiplier").asDouble(), sched.factor(b.get("step").asLong()), name + " beyond T");
            }
            checked++;
        }
        assertEquals(6, checked);
    }

    @Test
    void warmupArgument_countOrRatio_resolvesAsKohya() throws IOException {
        for (JsonNode e : fixture().get("kohya_step_arguments")) {
            long t = e.get("max_train_steps").asLong() * e.get("num_processes").asLong();
            assertEquals(e.get("num_training_steps").asLong(), t);
            assertEquals(e.get("num_warmup_steps").asLong(),
                    WarmupSteps.parse(e.get("lr_warmup_steps_arg").asText()).resolve(t), e.toString());
        }
    }

    @Test
    void constantWithWarmupArgument_isRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () ->
                LrSchedules.kohya(SchedulerType.CONSTANT, WarmupSteps.parse("10"), 100, 1, 1, 1, 1e-4));
        assertTrue(e.getMessage().contains("lr_warmup_steps"), e.getMessage());
    }

    @Test
    void warmupArgument_notANumber_namesOption() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> WarmupSteps.parse("1.5"));
        assertTrue(e.getMessage().startsWith("lr_warmup_steps"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> WarmupSteps.parse("ten"));
    }

    @Test
    void schedulerName_unknown_listsSupported() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SchedulerType.parse("cosine_with_min_lr"));
        assertTrue(e.getMessage().contains("cosine_with_restarts"), e.getMessage());
        assertEquals(SchedulerType.ADAFACTOR, SchedulerType.parse("adafactor:0.001"));
    }
}
