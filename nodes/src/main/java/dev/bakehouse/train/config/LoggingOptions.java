package dev.bakehouse.train.config;

/**
 * Logs and the config-file options. Each component is the {@code train_network.py} option of the same name in
 * snake_case, with kohya's default; {@code null} where kohya's default is {@code None}. Generated from
 * sd-scripts 48d368fa's argparse declarations; {@link KohyaOptions} holds names, types and status.
 */
public record LoggingOptions(
        KohyaChoices.ConsoleLogLevel consoleLogLevel,
        String consoleLogFile,
        boolean consoleLogSimple,
        String loggingDir,
        KohyaChoices.LogWith logWith,
        String logPrefix,
        String logTrackerName,
        String wandbRunName,
        String logTrackerConfig,
        String wandbApiKey,
        boolean logConfig,
        String configFile,
        boolean outputConfig) {

    static LoggingOptions from(OptionValues v) {
        return new LoggingOptions(
                v.choice("console_log_level", KohyaChoices.ConsoleLogLevel::of),
                v.string("console_log_file"),
                v.flag("console_log_simple"),
                v.string("logging_dir"),
                v.choice("log_with", KohyaChoices.LogWith::of),
                v.string("log_prefix"),
                v.string("log_tracker_name"),
                v.string("wandb_run_name"),
                v.string("log_tracker_config"),
                v.string("wandb_api_key"),
                v.flag("log_config"),
                v.string("config_file"),
                v.flag("output_config"));
    }
}
