package dev.bakehouse.train.config;

import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * The choice-valued options of {@code train_network.py}, one enum each, spelled as kohya spells
 * the values ({@link #kohyaName}). Generated from sd-scripts 48d368fa's argparse declarations.
 */
public final class KohyaChoices {
    private KohyaChoices() {}

    /** Values of {@code --console_log_level}. */
    public enum ConsoleLogLevel {
        DEBUG("DEBUG"), INFO("INFO"), WARNING("WARNING"), ERROR("ERROR"), CRITICAL("CRITICAL");

        private final String kohyaName;

        ConsoleLogLevel(String kohyaName) {
            this.kohyaName = kohyaName;
        }

        public String kohyaName() {
            return kohyaName;
        }

        /** The constant spelled {@code name} as kohya spells it. */
        public static ConsoleLogLevel of(String name) {
            return Arrays.stream(values()).filter(v -> v.kohyaName.equals(name)).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("--console_log_level: invalid choice '" + name + "' (choose from "
                            + Arrays.stream(values()).map(v -> "'" + v.kohyaName + "'").collect(Collectors.joining(", ")) + ")"));
        }
    }

    /** Values of {@code --resize_interpolation}. */
    public enum ResizeInterpolation {
        LANCZOS("lanczos"), NEAREST("nearest"), BILINEAR("bilinear"), LINEAR("linear"), BICUBIC("bicubic"), CUBIC("cubic"), AREA("area");

        private final String kohyaName;

        ResizeInterpolation(String kohyaName) {
            this.kohyaName = kohyaName;
        }

        public String kohyaName() {
            return kohyaName;
        }

        /** The constant spelled {@code name} as kohya spells it. */
        public static ResizeInterpolation of(String name) {
            return Arrays.stream(values()).filter(v -> v.kohyaName.equals(name)).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("--resize_interpolation: invalid choice '" + name + "' (choose from "
                            + Arrays.stream(values()).map(v -> "'" + v.kohyaName + "'").collect(Collectors.joining(", ")) + ")"));
        }
    }

    /** Values of {@code --save_precision}. */
    public enum SavePrecision {
        FLOAT("float"), FP16("fp16"), BF16("bf16");

        private final String kohyaName;

        SavePrecision(String kohyaName) {
            this.kohyaName = kohyaName;
        }

        public String kohyaName() {
            return kohyaName;
        }

        /** The constant spelled {@code name} as kohya spells it. */
        public static SavePrecision of(String name) {
            return Arrays.stream(values()).filter(v -> v.kohyaName.equals(name)).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("--save_precision: invalid choice '" + name + "' (choose from "
                            + Arrays.stream(values()).map(v -> "'" + v.kohyaName + "'").collect(Collectors.joining(", ")) + ")"));
        }
    }

    /** Values of {@code --dynamo_backend}. */
    public enum DynamoBackend {
        EAGER("eager"), AOT_EAGER("aot_eager"), INDUCTOR("inductor"), AOT_TS_NVFUSER("aot_ts_nvfuser"), NVPRIMS_NVFUSER("nvprims_nvfuser"), CUDAGRAPHS("cudagraphs"), OFI("ofi"), FX2TRT("fx2trt"), ONNXRT("onnxrt"), TENSORT("tensort"), IPEX("ipex"), TVM("tvm");

        private final String kohyaName;

        DynamoBackend(String kohyaName) {
            this.kohyaName = kohyaName;
        }

        public String kohyaName() {
            return kohyaName;
        }

        /** The constant spelled {@code name} as kohya spells it. */
        public static DynamoBackend of(String name) {
            return Arrays.stream(values()).filter(v -> v.kohyaName.equals(name)).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("--dynamo_backend: invalid choice '" + name + "' (choose from "
                            + Arrays.stream(values()).map(v -> "'" + v.kohyaName + "'").collect(Collectors.joining(", ")) + ")"));
        }
    }

    /** Values of {@code --mixed_precision}. */
    public enum MixedPrecision {
        NO("no"), FP16("fp16"), BF16("bf16");

        private final String kohyaName;

        MixedPrecision(String kohyaName) {
            this.kohyaName = kohyaName;
        }

        public String kohyaName() {
            return kohyaName;
        }

        /** The constant spelled {@code name} as kohya spells it. */
        public static MixedPrecision of(String name) {
            return Arrays.stream(values()).filter(v -> v.kohyaName.equals(name)).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("--mixed_precision: invalid choice '" + name + "' (choose from "
                            + Arrays.stream(values()).map(v -> "'" + v.kohyaName + "'").collect(Collectors.joining(", ")) + ")"));
        }
    }

    /** Values of {@code --log_with}. */
    public enum LogWith {
        TENSORBOARD("tensorboard"), WANDB("wandb"), ALL("all");

        private final String kohyaName;

        LogWith(String kohyaName) {
            this.kohyaName = kohyaName;
        }

        public String kohyaName() {
            return kohyaName;
        }

        /** The constant spelled {@code name} as kohya spells it. */
        public static LogWith of(String name) {
            return Arrays.stream(values()).filter(v -> v.kohyaName.equals(name)).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("--log_with: invalid choice '" + name + "' (choose from "
                            + Arrays.stream(values()).map(v -> "'" + v.kohyaName + "'").collect(Collectors.joining(", ")) + ")"));
        }
    }

    /** Values of {@code --loss_type}. */
    public enum LossType {
        L1("l1"), L2("l2"), HUBER("huber"), SMOOTH_L1("smooth_l1");

        private final String kohyaName;

        LossType(String kohyaName) {
            this.kohyaName = kohyaName;
        }

        public String kohyaName() {
            return kohyaName;
        }

        /** The constant spelled {@code name} as kohya spells it. */
        public static LossType of(String name) {
            return Arrays.stream(values()).filter(v -> v.kohyaName.equals(name)).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("--loss_type: invalid choice '" + name + "' (choose from "
                            + Arrays.stream(values()).map(v -> "'" + v.kohyaName + "'").collect(Collectors.joining(", ")) + ")"));
        }
    }

    /** Values of {@code --huber_schedule}. */
    public enum HuberSchedule {
        CONSTANT("constant"), EXPONENTIAL("exponential"), SNR("snr");

        private final String kohyaName;

        HuberSchedule(String kohyaName) {
            this.kohyaName = kohyaName;
        }

        public String kohyaName() {
            return kohyaName;
        }

        /** The constant spelled {@code name} as kohya spells it. */
        public static HuberSchedule of(String name) {
            return Arrays.stream(values()).filter(v -> v.kohyaName.equals(name)).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("--huber_schedule: invalid choice '" + name + "' (choose from "
                            + Arrays.stream(values()).map(v -> "'" + v.kohyaName + "'").collect(Collectors.joining(", ")) + ")"));
        }
    }

    /** Values of {@code --sample_sampler}. */
    public enum SampleSampler {
        DDIM("ddim"), PNDM("pndm"), LMS("lms"), EULER("euler"), EULER_A("euler_a"), HEUN("heun"), DPM_2("dpm_2"), DPM_2_A("dpm_2_a"), DPMSOLVER("dpmsolver"), DPMSOLVER_PLUS_PLUS("dpmsolver++"), DPMSINGLE("dpmsingle"), K_LMS("k_lms"), K_EULER("k_euler"), K_EULER_A("k_euler_a"), K_DPM_2("k_dpm_2"), K_DPM_2_A("k_dpm_2_a");

        private final String kohyaName;

        SampleSampler(String kohyaName) {
            this.kohyaName = kohyaName;
        }

        public String kohyaName() {
            return kohyaName;
        }

        /** The constant spelled {@code name} as kohya spells it. */
        public static SampleSampler of(String name) {
            return Arrays.stream(values()).filter(v -> v.kohyaName.equals(name)).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("--sample_sampler: invalid choice '" + name + "' (choose from "
                            + Arrays.stream(values()).map(v -> "'" + v.kohyaName + "'").collect(Collectors.joining(", ")) + ")"));
        }
    }

    /** Values of {@code --offload_optimizer_device}. */
    public enum OffloadOptimizerDevice {
        CPU("cpu"), NVME("nvme");

        private final String kohyaName;

        OffloadOptimizerDevice(String kohyaName) {
            this.kohyaName = kohyaName;
        }

        public String kohyaName() {
            return kohyaName;
        }

        /** The constant spelled {@code name} as kohya spells it. */
        public static OffloadOptimizerDevice of(String name) {
            return Arrays.stream(values()).filter(v -> v.kohyaName.equals(name)).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("--offload_optimizer_device: invalid choice '" + name + "' (choose from "
                            + Arrays.stream(values()).map(v -> "'" + v.kohyaName + "'").collect(Collectors.joining(", ")) + ")"));
        }
    }

    /** Values of {@code --offload_param_device}. */
    public enum OffloadParamDevice {
        CPU("cpu"), NVME("nvme");

        private final String kohyaName;

        OffloadParamDevice(String kohyaName) {
            this.kohyaName = kohyaName;
        }

        public String kohyaName() {
            return kohyaName;
        }

        /** The constant spelled {@code name} as kohya spells it. */
        public static OffloadParamDevice of(String name) {
            return Arrays.stream(values()).filter(v -> v.kohyaName.equals(name)).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("--offload_param_device: invalid choice '" + name + "' (choose from "
                            + Arrays.stream(values()).map(v -> "'" + v.kohyaName + "'").collect(Collectors.joining(", ")) + ")"));
        }
    }

    /** Values of {@code --save_model_as}. */
    public enum SaveModelAs {
        CKPT("ckpt"), PT("pt"), SAFETENSORS("safetensors");

        private final String kohyaName;

        SaveModelAs(String kohyaName) {
            this.kohyaName = kohyaName;
        }

        public String kohyaName() {
            return kohyaName;
        }

        /** The constant spelled {@code name} as kohya spells it. */
        public static SaveModelAs of(String name) {
            return Arrays.stream(values()).filter(v -> v.kohyaName.equals(name)).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("--save_model_as: invalid choice '" + name + "' (choose from "
                            + Arrays.stream(values()).map(v -> "'" + v.kohyaName + "'").collect(Collectors.joining(", ")) + ")"));
        }
    }
}
