package dev.bakehouse.server.cli;

import dev.bakehouse.node.AllNodes;
import dev.bakehouse.node.DataDirs;
import dev.bakehouse.node.InputSpec;
import dev.bakehouse.node.NodeRegistry;
import dev.bakehouse.node.NodeSpec;
import dev.bakehouse.node.OutputSpec;
import dev.bakehouse.server.BakehouseServer;
import dev.bakehouse.server.ServerConfig;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code bakehouse nodes}: the node types this build offers, as a Markdown table (README's). */
@Command(
        name = "nodes",
        mixinStandardHelpOptions = true,
        description = "List the node types as a Markdown table (class_type, category, inputs, outputs).")
final class NodesCommand implements Callable<Integer> {

    @Mixin
    CommonOptions common;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        DataDirs dirs = BakehouseServer.dataDirs(ServerConfig.defaults(common.resolvedDataDir()));
        NodeRegistry registry = AllNodes.registry(dirs, common.modelSettings());
        PrintWriter out = spec.commandLine().getOut();
        out.println(table(registry));
        out.flush();
        return 0;
    }

    static String table(NodeRegistry registry) {
        StringBuilder table = new StringBuilder()
                .append("| class_type | category | inputs | outputs | output node |\n")
                .append("|---|---|---|---|---|\n");
        for (String classType : registry.classTypes()) {
            NodeSpec node = registry.spec(classType);
            List<String> inputs = new ArrayList<>();
            node.required().forEach(input -> inputs.add(describe(input)));
            node.optional().forEach(input -> inputs.add(describe(input) + " (optional)"));
            List<String> outputs = new ArrayList<>();
            for (OutputSpec output : node.outputs()) {
                outputs.add(output.name() + (output.isList() ? " (list)" : ""));
            }
            table.append("| `").append(classType).append("` | ").append(node.category())
                    .append(" | ").append(inputs.isEmpty() ? "–" : String.join(", ", inputs))
                    .append(" | ").append(outputs.isEmpty() ? "–" : String.join(", ", outputs))
                    .append(" | ").append(node.outputNode() ? "yes" : "")
                    .append(" |\n");
        }
        return table.toString();
    }

    private static String describe(InputSpec input) {
        return input.name() + ": " + input.type().name();
    }
}
