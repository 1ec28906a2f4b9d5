package dev.bakehouse.train.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainNetworkArgsTest {
    @TempDir
    Path dir;

    /** A LoRA command line as typical guides give it. */
    static final List<String> GUIDE = List.of("--pretrained_model_name_or_path=/models/base.safetensors",
            "--train_data_dir=/data/img", "--resolution=512,512", "--output_dir=/data/out", "--network_alpha=1",
            "--save_model_as=safetensors", "--network_module=networks.lora", "--text_encoder_lr=5e-5", "--unet_lr=1e-4",
            "--network_dim=8", "--output_name=x", "--lr_scheduler_num_cycles=1", "--learning_rate=1e-4", "--lr_scheduler=cosine",
            "--lr_warmup_steps=80", "--train_batch_size=2", "--max_train_steps=800", "--save_every_n_epochs=1",
            "--mixed_precision=fp16", "--save_precision=fp16", "--seed=1234", "--cache_latents", "--optimizer_type=AdamW8bit",
            "--max_data_loader_n_workers=1", "--clip_skip=2", "--bucket_reso_steps=64", "--xformers", "--bucket_no_upscale",
            "--noise_offset=0.05", "--network_args", "conv_dim=4", "conv_alpha=1");

    private TrainNetworkArgs parse(List<String> argv) {
        return assertInstanceOf(TrainNetworkArgs.Parsed.class, TrainNetworkArgs.parse(argv, dir, false)).args();
    }

    private TrainNetworkArgs parse(String... argv) {
        return parse(List.of(argv));
    }

    private String error(String... argv) {
        return assertThrows(ArgError.class, () -> TrainNetworkArgs.parse(List.of(argv), dir, false)).getMessage();
    }

    private static List<String> guideWith(String... more) {
        List<String> args = new ArrayList<>(GUIDE);
        args.addAll(Arrays.asList(more));
        return args;
    }

    @Test
    void guideCommandLine_parsesEveryValue() {
        TrainNetworkArgs a = parse(GUIDE);
        assertEquals("/models/base.safetensors", a.model().pretrainedModelNameOrPath());
        assertEquals(2, a.model().clipSkip());
        assertEquals("/data/img", a.dataset().trainDataDir());
        assertEquals("512,512", a.dataset().resolution());
        assertTrue(a.dataset().cacheLatents());
        assertEquals(64, a.dataset().bucketResoSteps());
        assertTrue(a.dataset().bucketNoUpscale());
        assertEquals(2, a.dataset().trainBatchSize());
        assertEquals(1, a.dataset().maxDataLoaderNWorkers());
        assertEquals("networks.lora", a.network().networkModule());
        assertEquals(8, a.network().networkDim());
        assertEquals(1.0, a.network().networkAlpha());
        assertEquals(1e-4, a.network().unetLr());
        assertEquals(List.of(5e-5), a.network().textEncoderLr());
        assertEquals(KohyaChoices.SaveModelAs.SAFETENSORS, a.saving().saveModelAs());
        assertEquals(4, a.networkArgs().network().convDim());
        assertEquals(1f, a.networkArgs().network().convAlpha());
        assertEquals("AdamW8bit", a.optimizer().optimizerType());
        assertEquals(1e-4, a.optimizer().learningRate());
        assertEquals("cosine", a.optimizer().lrScheduler());
        assertEquals(new StepsOrRatio(80, 0, false), a.optimizer().lrWarmupSteps());
        assertEquals(1, a.optimizer().lrSchedulerNumCycles());
        assertEquals(800, a.training().maxTrainSteps());
        assertEquals(KohyaChoices.MixedPrecision.FP16, a.training().mixedPrecision());
        assertEquals(1234, a.training().seed());
        assertTrue(a.training().xformers());
        assertEquals(0.05, a.training().noiseOffset());
        assertEquals(1.0, a.optimizer().maxGradNorm());
        assertEquals("/data/out", a.saving().outputDir());
        assertEquals("x", a.saving().outputName());
        assertEquals(KohyaChoices.SavePrecision.FP16, a.saving().savePrecision());
        assertEquals(1, a.saving().saveEveryNEpochs());
        assertEquals(KohyaChoices.LossType.L2, a.training().lossType());
        assertTrue(a.notes().stream().anyMatch(n -> n.startsWith("--xformers ignored")), a.notes().toString());
        assertTrue(a.notes().stream().anyMatch(n -> n.startsWith("--mixed_precision fp16: computing in fp32 on CPU")));
    }

    @Test
    void spaceSeparatedValuesAndPrefixes_parseLikeArgparse() {
        TrainNetworkArgs a = parse("--pretrained_model_name_or_path", "m", "--train_data_dir", "d", "--network_di", "16",
                "--learning_rate", "-1", "--optimizer_args", "weight_decay=0.1", "betas=0.9,0.99", "--seed", "1", "--seed", "2");
        assertEquals(16, a.network().networkDim());
        assertEquals(-1.0, a.optimizer().learningRate());
        assertEquals(List.of("weight_decay=0.1", "betas=0.9,0.99"), a.optimizer().optimizerArgs());
        assertEquals(2, a.training().seed());
        assertEquals(1600, a.training().maxTrainSteps());
        assertTrue(a.notes().contains("neither --max_train_steps nor --max_train_epochs given: training kohya's default 1600 steps"));
    }

    @Test
    void argparseErrors_useArgparseWording() {
        assertEquals("unrecognized arguments: --foo bar", error("--foo", "bar"));
        assertEquals("argument --seed: invalid int value: 'abc'", error("--seed", "abc"));
        assertEquals("argument --learning_rate: invalid float value: '1e-4x'", error("--learning_rate=1e-4x"));
        assertEquals("argument --loss_type: invalid choice: 'l3' (choose from 'l1', 'l2', 'huber', 'smooth_l1')",
                error("--loss_type", "l3"));
        assertEquals("argument --max_token_length: invalid choice: 300 (choose from 150, 225)", error("--max_token_length", "300"));
        assertEquals("argument --cache_latents: ignored explicit argument 'yes'", error("--cache_latents=yes"));
        assertEquals("argument --seed: expected one argument", error("--seed", "--cache_latents"));
        assertEquals("argument --lr_warmup_steps: '1.5' is not an int or float", error("--lr_warmup_steps", "1.5"));
        assertTrue(error("--save_every", "1").startsWith("ambiguous option: --save_every could match --save_every_n_epochs, --save_every_n_steps"));
    }

    @Test
    void helpFlag_isRecognisedEvenAbbreviated() {
        assertInstanceOf(TrainNetworkArgs.Help.class, TrainNetworkArgs.parse(List.of("--he"), dir, false));
        assertInstanceOf(TrainNetworkArgs.Help.class, TrainNetworkArgs.parse(List.of("-h", "--foo"), dir, false));
    }

    @Test
    void refusals_nameTheOption() {
        assertEquals("--network_module lycoris.kohya is not supported: only networks.lora (LoRA-LierLa, and C3Lier with conv_dim) "
                + "is built; LyCORIS training is not built yet", error(guideWith("--network_module", "lycoris.kohya").toArray(String[]::new)));
        assertTrue(error(guideWith("--network_module", "networks.dylora").toArray(String[]::new)).startsWith("--network_module networks.dylora is not supported"));
        assertTrue(error(guideWith("--network_module", "networks.oft").toArray(String[]::new)).startsWith("--network_module networks.oft is not supported"));
        assertTrue(error(guideWith("--v2").toArray(String[]::new)).startsWith("--v2 is not supported: SD2.x"));
        assertTrue(error(guideWith("--mixed_precision", "bf16").toArray(String[]::new)).contains("aborts on bf16"));
        assertEquals("--save_model_as ckpt is not supported: Bakehouse writes no pickles; use safetensors",
                error(guideWith("--save_model_as", "ckpt").toArray(String[]::new)));
        assertTrue(error(guideWith("--in_json", "meta.json").toArray(String[]::new)).startsWith("--in_json is not supported"));
        assertTrue(error(guideWith("--optimizer_type", "PagedAdamW").toArray(String[]::new)).startsWith("--optimizer_type PagedAdamW is not supported"));
        assertTrue(error(guideWith("--lr_scheduler", "inverse_sqrt").toArray(String[]::new)).startsWith("--lr_scheduler inverse_sqrt is not supported"));
    }

    @Test
    void conflicts_eachGetOneMessage() {
        assertTrue(error(guideWith("--color_aug").toArray(String[]::new)).startsWith("when caching latents (--cache_latents), --color_aug and --random_crop"));
        assertTrue(error(guideWith("--network_train_unet_only", "--network_train_text_encoder_only").toArray(String[]::new))
                .contains("leave nothing to train"));
        assertTrue(error(guideWith("--cache_text_encoder_outputs").toArray(String[]::new)).startsWith("--cache_text_encoder_outputs needs --network_train_unet_only"));
        assertEquals("--adaptive_noise_scale requires --noise_offset",
                error("--pretrained_model_name_or_path", "m", "--train_data_dir", "d", "--adaptive_noise_scale", "0.1"));
        assertEquals("--full_fp16 requires --mixed_precision fp16", error("--pretrained_model_name_or_path", "m", "--train_data_dir", "d", "--full_fp16"));
        assertEquals("--use_8bit_adam: same as --optimizer_type AdamW8bit", parse("--pretrained_model_name_or_path", "m",
                "--train_data_dir", "d", "--use_8bit_adam").notes().stream().filter(n -> n.contains("8bit")).findFirst().orElseThrow());
        assertTrue(error(guideWith("--use_8bit_adam").toArray(String[]::new)).startsWith("both option use_8bit_adam and optimizer_type"));
        assertEquals("--pretrained_model_name_or_path is required", error("--train_data_dir", "d"));
    }

    @Test
    void tomlConfig_equalsCommandLine_andCommandLineWins() throws Exception {
        Path toml = dir.resolve("run.toml");
        Files.writeString(toml, """
                [model]
                pretrained_model_name_or_path = "/models/base.safetensors"
                clip_skip = 2
                [dataset]
                train_data_dir = "/data/img"
                resolution = "512,512"
                cache_latents = true
                bucket_reso_steps = 64
                bucket_no_upscale = true
                train_batch_size = 2
                max_data_loader_n_workers = 1
                [network]
                network_alpha = 1
                save_model_as = "safetensors"
                network_module = "networks.lora"
                text_encoder_lr = [5e-5]
                unet_lr = 1e-4
                network_dim = 8
                network_args = ["conv_dim=4", "conv_alpha=1"]
                [optimizer]
                lr_scheduler_num_cycles = 1
                learning_rate = 1e-4
                lr_scheduler = "cosine"
                lr_warmup_steps = 80
                optimizer_type = "AdamW8bit"
                [training]
                max_train_steps = 800
                mixed_precision = "fp16"
                seed = 99
                xformers = true
                noise_offset = 0.05
                some_gui_key = "x"
                [saving]
                output_dir = "/data/out"
                output_name = "x"
                save_every_n_epochs = 1
                save_precision = "fp16"
                """);
        TrainNetworkArgs fromFile = parse("--config_file", toml.toString(), "--seed", "1234");
        TrainNetworkArgs fromCli = parse(GUIDE);
        assertSameOptions(fromCli, fromFile);
        assertTrue(fromFile.notes().get(0).contains("some_gui_key"), fromFile.notes().toString());
        assertEquals(fromFile.given().keySet(), parse("--config_file", dir.resolve("run").toString(), "--seed", "1234").given().keySet());
    }

    @Test
    void kohyaSsJson_equalsCommandLine() throws Exception {
        Path json = dir.resolve("gui.json");
        Files.writeString(json, """
                {"LoRA_type": "Kohya LoCon", "conv_dim": 4, "conv_alpha": 1, "additional_parameters": "--bucket_reso_steps=64",
                 "bucket_no_upscale": true, "bucket_reso_steps": 64.0, "cache_latents": true, "clip_skip": 2, "color_aug": false,
                 "epoch": 1, "learning_rate": "0.0001", "lr_scheduler": "cosine", "lr_scheduler_num_cycles": "1",
                 "lr_warmup": 0, "lr_warmup_steps": 80, "max_data_loader_n_workers": "1", "max_resolution": "512,512",
                 "max_token_length": "75", "max_train_epochs": "", "max_train_steps": 800, "mixed_precision": "fp16",
                 "network_alpha": 1, "network_dim": 8, "noise_offset": "0.05", "noise_offset_type": "Original",
                 "num_cpu_threads_per_process": 2, "optimizer": "AdamW8bit", "optimizer_args": "", "output_dir": "/data/out",
                 "output_name": "x", "pretrained_model_name_or_path": "/models/base.safetensors", "save_every_n_epochs": 1,
                 "save_model_as": "safetensors", "save_precision": "fp16", "seed": "1234", "text_encoder_lr": "5e-05",
                 "train_batch_size": 2, "train_data_dir": "/data/img", "unet_lr": "0.0001", "xformers": "xformers",
                 "multires_noise_iterations": 8, "sdxl": false, "model_list": "custom",
                 "sample_prompts": "a cat --n dog --w 640 --d 5"}
                """);
        TrainNetworkArgs fromJson = parse("--config_file", json.toString());
        assertSameOptions(parse(GUIDE), fromJson);
        assertEquals(null, fromJson.training().multiresNoiseIterations());
        assertTrue(fromJson.notes().stream().anyMatch(n -> n.contains("num_cpu_threads_per_process")));
        SamplePrompt prompt = fromJson.samplePrompts(dir).get(0);
        assertEquals("a cat", prompt.prompt());
        assertEquals("dog", prompt.negativePrompt());
        assertEquals(640, prompt.width());
        assertEquals(Optional.of(5L), prompt.seed());
    }

    private static void assertSameOptions(TrainNetworkArgs expected, TrainNetworkArgs actual) {
        assertEquals(expected.model(), actual.model());
        assertEquals(expected.dataset(), actual.dataset());
        assertEquals(expected.network(), actual.network());
        assertEquals(expected.networkArgs().raw(), actual.networkArgs().raw());
        assertEquals(expected.optimizer(), actual.optimizer());
        assertEquals(expected.training(), actual.training());
        assertEquals(expected.saving(), actual.saving());
        assertEquals(expected.sampling(), actual.sampling());
    }

    @Test
    void configFile_missing_isAnError() {
        assertTrue(error("--config_file", dir.resolve("nope").toString()).endsWith("nope.toml not found"));
    }

    @Test
    void everyKohyaOption_isInTheTable() {
        // kohya's 195, then Bakehouse's own six (EMA and the preservation terms)
        assertEquals(195 + 6, KohyaOptions.ALL.size());
        assertEquals("ema_decay", KohyaOptions.ALL.get(195).name());
        assertFalse(KohyaOptions.find("epoch").isPresent());
        assertEquals(1600, KohyaOptions.get("max_train_steps").defaultValue());
        assertEquals(0.3, KohyaOptions.get("multires_noise_discount").defaultValue());
        assertEquals(".caption", KohyaOptions.get("caption_extension").defaultValue());
    }
}
