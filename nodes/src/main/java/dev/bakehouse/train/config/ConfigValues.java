package dev.bakehouse.train.config;

import java.util.List;
import java.util.Map;

/**
 * What a config file sets: converted option values by name, command-line arguments it carries
 * (kohya_ss's {@code additional_parameters}), sample prompts written inline (kohya_ss keeps the
 * prompt text itself), and notes about what was ignored.
 */
record ConfigValues(Map<String, Object> given, List<String> extraArgs, String inlineSamplePrompts, List<String> notes) {}
