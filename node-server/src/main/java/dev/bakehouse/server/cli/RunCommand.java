package dev.bakehouse.server.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bakehouse.node.AllNodes;
import dev.bakehouse.node.DataDirs;
import dev.bakehouse.node.NodeRegistry;
import dev.bakehouse.node.sd.ModelCache;
import dev.bakehouse.node.sd.ModelSettings;
import dev.bakehouse.server.BakehouseServer;
import dev.bakehouse.server.ServerConfig;
import dev.bakehouse.server.exec.ExecutionError;
import dev.bakehouse.server.exec.InterruptFlag;
import dev.bakehouse.server.exec.Outcome;
import dev.bakehouse.server.exec.OutputCache;
import dev.bakehouse.server.exec.PromptExecutor;
import dev.bakehouse.server.exec.PromptValidator;
import dev.bakehouse.server.exec.Validation;
import dev.bakehouse.server.json.Json;
import dev.bakehouse.server.store.SqliteDatabase;
import dev.bakehouse.server.store.SqliteGachamaxStore;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code bakehouse run WORKFLOW.json}: validates and executes an API-format workflow without a
 * server. Exit codes: 0 success, 1 a node failed, 2 the workflow was rejected, 3 interrupted.
 */
@Command(
        name = "run",
        mixinStandardHelpOptions = true,
        description = "Validate and execute an API-format workflow headless; progress goes to stderr, "
                + "written files to stdout.")
final class RunCommand implements Callable<Integer> {
    static final int NODE_FAILED = HeadlessRun.NODE_FAILED;
    static final int REJECTED = HeadlessRun.REJECTED;
    static final int INTERRUPTED = HeadlessRun.INTERRUPTED;

    @Parameters(
            paramLabel = "WORKFLOW.json",
            description = "The API-format prompt, bare or as a POST /prompt body {\"prompt\": …}.")
    Path workflow;

    @Mixin
    CommonOptions common;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        DeviceSetup.apply(common.device);
        PrintWriter err = spec.commandLine().getErr();
        PrintWriter out = spec.commandLine().getOut();
        JsonNode file;
        try {
            file = Json.parse(Files.readString(workflow));
        } catch (JsonProcessingException e) {
            err.println(workflow + ": not valid JSON: " + e.getOriginalMessage());
            return REJECTED;
        }
        JsonNode prompt = bodyForm(file) ? file.get("prompt") : file;
        ObjectNode extraData = file.path("extra_data") instanceof ObjectNode extra && bodyForm(file)
                ? extra : Json.object();
        ServerConfig config = ServerConfig.defaults(common.resolvedDataDir())
                .withExtraModelDirs(common.extraModelDirs);
        DataDirs dirs = BakehouseServer.dataDirs(config);
        ModelSettings settings = common.modelSettings();
        // the server's database: a GACHAMAX loop run here continues in the editor and back
        try (ModelCache models = new ModelCache(settings.device(), settings.maxCheckpoints());
             SqliteDatabase database = SqliteDatabase.open(config.dataDir().resolve(BakehouseServer.DATABASE_FILE))) {
            return HeadlessRun.execute(NodeRegistry.of(AllNodes.all(dirs, settings, models,
                            new SqliteGachamaxStore(database))), dirs, prompt, extraData, workflow.toString(), err, out);
        }
    }

    /** A {@code POST /prompt} body rather than a bare prompt: its "prompt" is not itself a node. */
    private static boolean bodyForm(JsonNode file) {
        JsonNode inner = file.get("prompt");
        return inner != null && inner.isObject() && !inner.has("class_type");
    }
}
