package dev.bakehouse.server.cli;

import dev.bakehouse.train.config.TrainNetworkArgs;
import java.io.PrintWriter;

/**
 * The seam between {@code bakehouse train_network} and the trainer: it receives checked arguments
 * whose {@code pretrained_model_name_or_path} is already a file, and returns the exit status.
 */
@FunctionalInterface
public interface TrainNetworkLauncher {
    int train(TrainNetworkArgs args, PrintWriter out, PrintWriter err) throws Exception;
}
