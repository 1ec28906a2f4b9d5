package dev.bakehouse.toy.pretrain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import dev.bakehouse.model.ComputeDevice;
import dev.bakehouse.model.StableDiffusion;
import dev.bakehouse.model.vae.AutoencoderKL;
import dev.bakehouse.toy.world.SceneKind;
import dev.bakehouse.toy.world.WorldGenerator;
import dev.bakehouse.toy.world.WorldImage;
import dev.bakehouse.train.optim.ParamGroup;
import dev.bakehouse.train.schedule.LrSchedules;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PhaseTrainerTest {
    @Test
    void vaeSteps_onOneBatch_reconstructionFalls_andModelArraysStayConstant() {
        List<WorldImage> images = ToyImages.generate(new WorldGenerator(64), SceneKind.ANY, new long[] {1, 2});
        try (StableDiffusion model = StableDiffusion.load(InitialWeights.of(TinyPretraining.model(), 3),
                TinyPretraining.model(), ComputeDevice.CPU)) {
            ai.djl.pytorch.jni.JniUtils.setGradMode(false);
            TrainableWeights weights = TrainableWeights.of(model.params(), AutoencoderKL.PREFIX);
            List<Double> l1 = new ArrayList<>();
            PhaseTrainer.StepLoss loss = (step, index) -> {
                NDArray x = ToyImages.batch(step, images);
                VaePhase.Losses l = VaePhase.loss(model.vae(), x, index);
                l1.add(l.l1());
                return new PhaseTrainer.Loss(l.loss(), "");
            };
            List<Integer> arrays = new ArrayList<>();
            try (PhaseTrainer trainer = new PhaseTrainer(model.manager(), weights,
                    List.of(new ParamGroup("vae", 2e-3, weights.all())), LrSchedules.constant(), 1.0, loss)) {
                for (int s = 0; s < 30; s++) {
                    trainer.step(s);
                    arrays.add(model.manager().getManagedArrays().size());
                }
            }
            System.out.println("l1 " + l1);
            assertTrue(l1.get(29) < 0.5 * l1.get(0), "reconstruction error falls: " + l1);
            assertEquals(arrays.get(2), arrays.get(29), "model arrays per step: " + arrays);
        }
    }
}
