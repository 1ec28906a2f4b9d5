package dev.bakehouse.train.data;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.toml.TomlMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * kohya's {@code --dataset_config} TOML for DreamBooth datasets: {@code [general]},
 * {@code [[datasets]]}, {@code [[datasets.subsets]]}. A subset's value comes from the subset,
 * else its dataset, else {@code [general]}, else the command line ({@code argDefaults}, kohya's
 * option names), else kohya's default. Unknown keys are errors naming them and where they are.
 */
public final class DatasetConfigToml {
    private static final Set<String> SUBSET_ONLY = Set.of("image_dir", "is_reg", "class_tokens");
    private static final Set<String> SUBSET_KEYS = Set.of("num_repeats", "shuffle_caption", "caption_separator",
            "keep_tokens", "keep_tokens_separator", "secondary_separator", "enable_wildcard", "color_aug", "flip_aug",
            "face_crop_aug_range", "random_crop", "caption_prefix", "caption_suffix", "caption_dropout_rate",
            "caption_dropout_every_n_epochs", "caption_tag_dropout_rate", "token_warmup_min", "token_warmup_step",
            "caption_extension");
    private static final Set<String> DATASET_KEYS = Set.of("resolution", "batch_size", "enable_bucket", "min_bucket_reso",
            "max_bucket_reso", "bucket_reso_steps", "bucket_no_upscale", "prior_loss_weight", "validation_split", "validation_seed");

    /**
     * One {@code [[datasets]]} entry, resolved.
     *
     * @param validationSplit kohya's dataset-level {@code validation_split} (0: none)
     * @param validationSeed  its {@code validation_seed}, or null to use the run's seed
     */
    public record DatasetSpec(BucketOptions buckets, int batchSize, float priorLossWeight, List<DreamBoothSubset> subsets,
                              double validationSplit, Long validationSeed) {
        /** Reads this dataset's folders (see {@link DreamBoothDataset#load}). */
        public DreamBoothDataset load(BucketOptions.Script script, ImageSizeReader sizes, BadInputPolicy policy)
                throws IOException {
            return DreamBoothDataset.load(subsets, buckets, script, sizes, policy);
        }

        /** This dataset's {@code validation_split}, shuffled by {@code validation_seed} or else {@code seed}. */
        public ValidationSplit split(long seed) {
            return new ValidationSplit(validationSplit, validationSeed != null ? validationSeed : seed);
        }

        /** Reads one side of this dataset's {@code validation_split}. */
        public DreamBoothDataset load(BucketOptions.Script script, ImageSizeReader sizes, BadInputPolicy policy,
                                      ValidationSplit split, ValidationSplit.Side side) throws IOException {
            return DreamBoothDataset.load(subsets, buckets, script, sizes, policy, split, side);
        }
    }

    private DatasetConfigToml() {}

    /**
     * @param source names the file in errors
     * @param argDefaults command-line values under kohya's names (e.g. {@code resolution},
     *     {@code caption_extension}, {@code train_batch_size}), used where the TOML says nothing
     * @throws IllegalArgumentException naming the file, the table and the key
     */
    public static List<DatasetSpec> parse(String toml, String source, Map<String, Object> argDefaults) {
        JsonNode root;
        try {
            root = new TomlMapper().readTree(toml);
        } catch (IOException e) {
            throw new IllegalArgumentException(source + ": not valid TOML: " + e.getMessage(), e);
        }
        checkKeys(root, Set.of("general", "datasets"), source + ": top level");
        JsonNode general = root.path("general");
        checkKeys(general, union(SUBSET_KEYS, DATASET_KEYS), source + ": [general]");
        if (!root.path("datasets").isArray() || root.path("datasets").isEmpty()) {
            throw new IllegalArgumentException(source + ": expected at least one [[datasets]] table");
        }
        ObjectNode args = new TomlMapper().valueToTree(argDefaults);
        List<DatasetSpec> out = new ArrayList<>();
        int di = 0;
        for (JsonNode dataset : root.get("datasets")) {
            String where = source + ": [[datasets]] #" + (++di);
            Set<String> allowed = union(union(SUBSET_KEYS, DATASET_KEYS), Set.of("subsets"));
            checkKeys(dataset, allowed, where);
            Lookup ds = new Lookup(where, List.of(dataset, general, args));
            Size res = resolution(ds);
            BucketOptions buckets = new BucketOptions(res, ds.bool("enable_bucket", false),
                    ds.integer("min_bucket_reso", 256), ds.integer("max_bucket_reso", 1024),
                    ds.integer("bucket_reso_steps", 64), ds.bool("bucket_no_upscale", false));
            int batch = ds.has("batch_size") ? ds.integer("batch_size", 1) : ds.integer("train_batch_size", 1);
            List<DreamBoothSubset> subsets = new ArrayList<>();
            int si = 0;
            for (JsonNode subset : dataset.path("subsets")) {
                String sw = where + " [[datasets.subsets]] #" + (++si);
                checkKeys(subset, union(SUBSET_KEYS, SUBSET_ONLY), sw);
                subsets.add(subset(new Lookup(sw, List.of(subset, dataset, general, args))));
            }
            if (subsets.isEmpty()) {
                throw new IllegalArgumentException(where + ": expected at least one [[datasets.subsets]] table");
            }
            Long validationSeed = ds.has("validation_seed") ? (long) ds.integer("validation_seed", 0) : null;
            out.add(new DatasetSpec(buckets, batch, (float) ds.real("prior_loss_weight", 1.0), subsets,
                    ds.real("validation_split", 0.0), validationSeed));
        }
        return out;
    }

    private static DreamBoothSubset subset(Lookup s) {
        String dir = s.text("image_dir", null);
        if (dir == null) {
            throw new IllegalArgumentException(s.where + ": image_dir is required");
        }
        SubsetFolder folder = new SubsetFolder(Path.of(dir), s.integer("num_repeats", 1), s.text("class_tokens", null),
                s.bool("is_reg", false));
        CaptionOptions captions = new CaptionOptions(s.bool("shuffle_caption", false), s.text("caption_separator", ","),
                s.integer("keep_tokens", 0), s.text("keep_tokens_separator", ""), s.text("secondary_separator", null),
                s.bool("enable_wildcard", false), s.text("caption_prefix", null), s.text("caption_suffix", null),
                s.real("caption_dropout_rate", 0), s.integer("caption_dropout_every_n_epochs", 0),
                s.real("caption_tag_dropout_rate", 0), s.integer("token_warmup_min", 1), s.real("token_warmup_step", 0));
        double[] face = null;
        JsonNode f = s.node("face_crop_aug_range");
        if (f != null && !f.isNull()) {
            if (!f.isArray() || f.size() != 2) {
                throw new IllegalArgumentException(s.where + ": face_crop_aug_range: expected [min, max], found " + f);
            }
            face = new double[] {f.get(0).asDouble(), f.get(1).asDouble()};
        }
        Augmentation aug = new Augmentation(s.bool("flip_aug", false), s.bool("color_aug", false),
                s.bool("random_crop", false), face);
        return new DreamBoothSubset(folder, s.text("caption_extension", ".caption"), captions, aug);
    }

    private static Size resolution(Lookup ds) {
        JsonNode r = ds.node("resolution");
        if (r == null || r.isNull()) {
            throw new IllegalArgumentException(ds.where + ": resolution is required");
        }
        if (r.isInt()) {
            return new Size(r.asInt(), r.asInt());
        }
        if (r.isArray() && r.size() == 2 && r.get(0).isInt() && r.get(1).isInt()) {
            return new Size(r.get(0).asInt(), r.get(1).asInt());
        }
        if (r.isTextual()) {
            return Size.parseResolution(r.asText());
        }
        throw new IllegalArgumentException(ds.where + ": resolution: expected an integer or [width, height], found " + r);
    }

    private static void checkKeys(JsonNode table, Set<String> allowed, String where) {
        if (table.isMissingNode()) {
            return;
        }
        if (!table.isObject()) {
            throw new IllegalArgumentException(where + ": expected a table, found " + table);
        }
        List<String> unknown = new ArrayList<>();
        for (Iterator<String> it = table.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            if (!allowed.contains(key)) {
                unknown.add(key);
            }
        }
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException(where + ": unknown key(s) " + unknown + " (kohya's dataset_config keys"
                    + " are expected here)");
        }
    }

    private static Set<String> union(Set<String> a, Set<String> b) {
        java.util.HashSet<String> s = new java.util.HashSet<>(a);
        s.addAll(b);
        return s;
    }

    /** A value looked up through kohya's inheritance chain, type-checked with the key named. */
    private record Lookup(String where, List<JsonNode> chain) {
        JsonNode node(String key) {
            for (JsonNode level : chain) {
                JsonNode v = level.get(key);
                if (v != null) {
                    return v;
                }
            }
            return null;
        }

        boolean has(String key) {
            return node(key) != null && !node(key).isNull();
        }

        String text(String key, String fallback) {
            JsonNode v = node(key);
            if (v == null || v.isNull()) {
                return fallback;
            }
            if (!v.isTextual()) {
                throw wrong(key, "a string", v);
            }
            return v.asText();
        }

        int integer(String key, int fallback) {
            JsonNode v = node(key);
            if (v == null || v.isNull()) {
                return fallback;
            }
            if (!v.isIntegralNumber()) {
                throw wrong(key, "an integer", v);
            }
            return v.asInt();
        }

        double real(String key, double fallback) {
            JsonNode v = node(key);
            if (v == null || v.isNull()) {
                return fallback;
            }
            if (!v.isNumber()) {
                throw wrong(key, "a number", v);
            }
            return v.asDouble();
        }

        boolean bool(String key, boolean fallback) {
            JsonNode v = node(key);
            if (v == null || v.isNull()) {
                return fallback;
            }
            if (!v.isBoolean()) {
                throw wrong(key, "true or false", v);
            }
            return v.asBoolean();
        }

        IllegalArgumentException wrong(String key, String expected, JsonNode found) {
            return new IllegalArgumentException(where + ": " + key + ": expected " + expected + ", found " + found);
        }
    }
}
