package dev.bakehouse.node.gachamax;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bakehouse.io.FileHashes;
import dev.bakehouse.model.sampling.Seed;
import dev.bakehouse.node.DataDirs;
import dev.bakehouse.node.ImageBatch;
import dev.bakehouse.node.NodeContext;
import dev.bakehouse.node.NodeResult;
import dev.bakehouse.node.grid.CellRenderer;
import dev.bakehouse.node.grid.CellSettings;
import dev.bakehouse.node.image.Images;
import dev.bakehouse.node.image.PngFiles;
import dev.bakehouse.node.lora.LoraValue;
import dev.bakehouse.node.sd.ClipValue;
import dev.bakehouse.node.sd.FileVersion;
import dev.bakehouse.node.sd.ModelCache;
import dev.bakehouse.node.sd.ModelValue;
import dev.bakehouse.node.sd.VaeValue;
import dev.bakehouse.node.train.DatasetValue;
import dev.bakehouse.node.train.LoadDataset;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import javax.imageio.ImageIO;

/**
 * Runs one GACHAMAX round (see {@link GachamaxRoundNode}): the loop's state machine over the
 * {@link GachamaxStore}. Every state change is stored before the work that follows it, so a
 * round cut short (a crash, a restart, an interrupt) is taken up again by the next run: a round
 * still {@link RoundStatus#TRAINING} re-runs on its stored dataset version, where TrainLoRA
 * resumes from its saved state.
 */
final class RoundRunner {
    /** The graph's model views, and the optional style model for candidates of later rounds. */
    record Views(ModelValue model, ClipValue clip, VaeValue vae, ModelValue styleModel, ClipValue styleClip) {}

    static final String EVENT = "bakehouse.gachamax";
    private static final int PNG_COMPRESSION = 6;

    private final DataDirs dirs;
    private final ModelCache cache;
    private final GachamaxStore store;
    private final DatasetVersions versions;
    private final RoundTraining training;

    RoundRunner(DataDirs dirs, ModelCache cache, GachamaxStore store) {
        this.dirs = dirs;
        this.cache = cache;
        this.store = store;
        this.versions = new DatasetVersions(dirs);
        this.training = new RoundTraining(dirs, cache);
    }

    NodeResult run(RoundSettings s, Views views, DatasetValue dataset, NodeContext ctx) throws IOException {
        long now = ctx.clock().millis();
        LoopRecord loop = store.createLoop(new LoopRecord(s.loop(), dataset.folder().toAbsolutePath().toString(), now));
        if (!Path.of(loop.sourceFolder()).equals(dataset.folder().toAbsolutePath())) {
            throw new IllegalArgumentException(GachamaxRoundNode.NAME + ": loop '" + s.loop() + "' started from "
                    + loop.sourceFolder() + ", but the dataset input is " + dataset.folder().toAbsolutePath()
                    + "; use another loop name for another dataset");
        }
        RoundRecord round = startOrResume(s, loop, dataset, now);
        DatasetVersionRecord version = store.datasetVersion(s.loop(), round.datasetVersion()).orElseThrow(
                () -> new IllegalStateException("GACHAMAX " + s.loop() + ": round " + round.round() + " names dataset version "
                        + round.datasetVersion() + ", which the store does not hold"));
        DatasetValue versionValue = (DatasetValue) LoadDataset.read(dirs, GachamaxRoundNode.NAME,
                DatasetVersions.name(s.loop(), version.version()), dataset.captionExtension(), dataset.resolution(),
                dataset.enableBucket()).outputs().get(0);

        RoundTraining.Trained trained = training.train(s, views, versionValue, lineage(s, round, version), ctx);
        RoundRecord afterTraining = round.trained(trained.lora().name(), trained.hash(), trained.steps());
        store.putRound(afterTraining);

        int[] size = resolution(dataset.resolution());
        List<CandidateRecord> candidates = generate(s, views, trained.lora(), version, dataset.captionExtension(),
                afterTraining.round(), size, ctx);
        candidates = store.putCandidates(s.loop(), afterTraining.round(), candidates);

        CellRenderer probeRenderer = new CellRenderer(views.model(), views.clip(), views.vae(), size[0], size[1], ctx);
        List<ProbeGrid.Column> columns = new ArrayList<>(List.of(new ProbeGrid.Column("base (strength 0)", null)));
        previousLora(s.loop(), afterTraining.round()).ifPresent(columns::add);
        columns.add(new ProbeGrid.Column("round " + afterTraining.round(), trained.lora()));
        List<String> probes = s.probePrompts().isEmpty() ? List.of(candidates.get(0).prompt()) : s.probePrompts();
        ProbeGrid.Result grid = ProbeGrid.render(probeRenderer, s, probes, columns);
        Path gridFile = roundFolder(s.loop(), afterTraining.round()).resolve("probe.png");
        PngFiles.write(grid.grid(), Map.of(), gridFile, PNG_COMPRESSION);

        RoundScores scores = OverfitScore.of(grid.lastColumn(), readImages(version),
                s.toyScorer() ? judge(probes, grid.lastColumn()) : null,
                probes.stream().map(s::hasTrigger).toList());
        RoundRecord finished = afterTraining.finished(RoundStatus.AWAITING_PICKS, scores, ctx.clock().millis());
        store.putRound(finished);
        if (s.picker() == Picker.AUTO) {
            List<Long> picked = candidates.stream()
                    .sorted(Comparator.comparing((CandidateRecord c) -> -c.score()).thenComparingInt(CandidateRecord::index))
                    .limit(s.picks()).map(CandidateRecord::id).toList();
            finished = store.pick(s.loop(), finished.round(), new PickRequest(picked, Map.of(), List.of()));
        }
        ObjectNode json = GachamaxJson.round(finished, store.candidates(s.loop(), finished.round()));
        ctx.send(EVENT, json.deepCopy());
        ImageBatch candidateImages = Images.toBatch(readCandidates(candidates));
        return NodeResult.of(trained.lora(), candidateImages, Images.toBatch(List.of(grid.grid())), json.toString())
                .withUi(GachamaxJson.uiImages(dirs.output().relativize(gridFile).toString()));
    }

    /** The round to run: an unfinished one again, else the next on a new dataset version. */
    private RoundRecord startOrResume(RoundSettings s, LoopRecord loop, DatasetValue dataset, long now) {
        List<RoundRecord> rounds = store.rounds(s.loop());
        RoundRecord last = rounds.isEmpty() ? null : rounds.get(rounds.size() - 1);
        if (last != null && last.status() == RoundStatus.TRAINING) {
            return last;
        }
        if (last != null && last.status() == RoundStatus.AWAITING_PICKS) {
            throw new IllegalStateException("GACHAMAX loop '" + s.loop() + "': round " + last.round() + " awaits your "
                    + "picks; pick its candidates in the GACHAMAX panel (or POST /bakehouse/gachamax/" + s.loop()
                    + "/pick), then queue again");
        }
        DatasetVersionRecord version;
        if (last == null) {
            version = versions.first(s.loop(), Path.of(loop.sourceFolder()));
        } else {
            DatasetVersionRecord previous = store.datasetVersion(s.loop(), last.datasetVersion()).orElseThrow();
            List<CandidateRecord> picks = store.candidates(s.loop(), last.round()).stream()
                    .filter(CandidateRecord::picked).toList();
            version = versions.next(previous, picks, last.drops(), dataset.captionExtension());
        }
        store.putDatasetVersion(version);
        RoundRecord started = RoundRecord.started(s.loop(), last == null ? 1 : last.round() + 1, version.version(),
                last == null ? null : last.loraHash(), last == null ? 0 : last.totalSteps(), now);
        store.putRound(started);
        return started;
    }

    /** The lineage of round {@code round}: its parent and the picks new in its dataset version. */
    private LoraLineage lineage(RoundSettings s, RoundRecord round, DatasetVersionRecord version) throws IOException {
        List<String> hashes = new ArrayList<>();
        List<Long> seeds = new ArrayList<>();
        List<CandidateRecord> previous = round.round() == 1 ? List.of() : store.candidates(s.loop(), round.round() - 1);
        for (String added : version.added()) {
            hashes.add(FileHashes.sha256(Path.of(version.folder()).resolve(added)));
            String stem = added.substring(added.lastIndexOf('/') + 1);
            seeds.add(previous.stream().filter(c -> stem.startsWith(String.format(Locale.ROOT, "gachamax-r%d-c%02d.",
                    c.round(), c.index()))).map(CandidateRecord::seed).findFirst().orElseThrow(() ->
                    new IllegalStateException("GACHAMAX " + s.loop() + ": image " + added + " of dataset version "
                            + version.version() + " matches no candidate of round " + (round.round() - 1))));
        }
        return new LoraLineage(s.loop(), round.round(), round.parentHash(), version.version(), hashes, seeds);
    }

    private List<CandidateRecord> generate(RoundSettings s, Views views, LoraValue lora, DatasetVersionRecord version,
                                           String captionExtension, int round, int[] size, NodeContext ctx)
            throws IOException {
        boolean styled = views.styleModel() != null && round >= s.styleFromRound();
        CellRenderer renderer = new CellRenderer(styled ? views.styleModel() : views.model(),
                styled ? views.styleClip() : views.clip(), views.vae(), size[0], size[1], ctx);
        List<String> prompts = s.prompts().isEmpty() ? captions(version, captionExtension) : s.prompts();
        ToyWorldJudge judge = s.toyScorer() ? new ToyWorldJudge() : null;
        Path folder = Files.createDirectories(roundFolder(s.loop(), round));
        List<CandidateRecord> out = new ArrayList<>();
        for (int i = 0; i < s.candidates(); i++) {
            String prompt = prompts.get(i % prompts.size());
            long seed = s.seed() + 100_000L * round + i;
            BufferedImage image = Images.toBufferedImage(renderer.render(new CellSettings(lora, 1f, 1f, null, "", prompt,
                    s.negative(), Seed.of(seed), s.steps(), s.cfg(), s.sampler(), s.scheduler())).image(), 0);
            Path file = folder.resolve(String.format(Locale.ROOT, "c%02d.png", i));
            PngFiles.write(image, Map.of("parameters", prompt + "\nSeed: " + seed + ", CFG scale: " + s.cfg()
                    + ", Steps: " + s.steps()), file, PNG_COMPRESSION);
            Double score = judge == null ? null : judge.score(prompt, image);
            out.add(new CandidateRecord(0, s.loop(), round, i, prompt, seed,
                    dirs.output().relativize(file).toString().replace('\\', '/'), FileHashes.sha256(file), score, false,
                    null));
            ctx.progress(i + 1, s.candidates());
        }
        return out;
    }

    private Optional<ProbeGrid.Column> previousLora(String loop, int round) {
        if (round == 1) {
            return Optional.empty();
        }
        RoundRecord previous = store.rounds(loop).get(round - 2);
        Path file = dirs.models(DataDirs.LORAS).resolve(previous.loraFile());
        return Optional.of(new ProbeGrid.Column("round " + previous.round(),
                new LoraValue(previous.loraFile(), file, cache.lora(FileVersion.of(file)))));
    }

    private static List<Double> judge(List<String> prompts, List<BufferedImage> images) {
        ToyWorldJudge judge = new ToyWorldJudge();
        List<Double> scores = new ArrayList<>();
        for (int i = 0; i < prompts.size(); i++) {
            scores.add(judge.score(prompts.get(i), images.get(i)));
        }
        return scores;
    }

    /** The captions of a version's images (the image's stem with the dataset's caption extension). */
    private static List<String> captions(DatasetVersionRecord version, String captionExtension) throws IOException {
        List<String> out = new ArrayList<>();
        for (String image : version.images()) {
            Path file = Path.of(version.folder()).resolve(image);
            String name = file.getFileName().toString();
            Path caption = file.resolveSibling(name.substring(0, name.lastIndexOf('.')) + captionExtension);
            if (Files.isRegularFile(caption)) {
                out.add(Files.readString(caption, StandardCharsets.UTF_8).strip());
            }
        }
        if (out.isEmpty()) {
            throw new IllegalArgumentException(GachamaxRoundNode.NAME + ": prompts is empty and dataset version "
                    + version.version() + " has no " + captionExtension + " captions to draw candidates from; write candidate prompts");
        }
        return out;
    }

    private static List<BufferedImage> readImages(DatasetVersionRecord version) throws IOException {
        List<BufferedImage> images = new ArrayList<>();
        for (String image : version.images()) {
            images.add(read(Path.of(version.folder()).resolve(image)));
        }
        return images;
    }

    private List<BufferedImage> readCandidates(List<CandidateRecord> candidates) throws IOException {
        List<BufferedImage> images = new ArrayList<>();
        for (CandidateRecord c : candidates) {
            images.add(read(dirs.output().resolve(c.file())));
        }
        return images;
    }

    private static BufferedImage read(Path file) throws IOException {
        BufferedImage image = ImageIO.read(file.toFile());
        if (image == null) {
            throw new UncheckedIOException(new IOException("cannot read the image " + file));
        }
        return image;
    }

    private Path roundFolder(String loop, int round) {
        return dirs.output().resolve("gachamax").resolve(loop).resolve("r" + round);
    }

    /** Width and height of kohya's {@code resolution} ({@code 512} or {@code 512,768}). */
    static int[] resolution(String resolution) {
        String[] parts = resolution.split(",");
        try {
            int w = Integer.parseInt(parts[0].strip());
            int h = parts.length > 1 ? Integer.parseInt(parts[1].strip()) : w;
            return new int[] {w, h};
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("GACHAMAX: dataset resolution: expected '512' or '512,768', found '"
                    + resolution + "'", e);
        }
    }
}
