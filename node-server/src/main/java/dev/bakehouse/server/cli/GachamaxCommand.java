package dev.bakehouse.server.cli;

import dev.bakehouse.node.gachamax.CandidateRecord;
import dev.bakehouse.node.gachamax.GachamaxStore;
import dev.bakehouse.node.gachamax.LoopRecord;
import dev.bakehouse.node.gachamax.RoundRecord;
import dev.bakehouse.node.gachamax.RoundScores;
import dev.bakehouse.server.BakehouseServer;
import dev.bakehouse.server.store.SqliteDatabase;
import dev.bakehouse.server.store.SqliteGachamaxStore;
import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code bakehouse gachamax [LOOP]}: the timeline of a GACHAMAX loop from the data dir's database
 * (one line per round: status, dataset size, picks, steps, scores, LoRA), or the loops when no
 * name is given. What the editor's timeline shows, for scripts that run the loop with
 * {@code bakehouse run gachamax.json} once per round.
 */
@Command(name = "gachamax", mixinStandardHelpOptions = true,
        description = "Print a GACHAMAX loop's rounds (or the loops) from the data dir's database.")
final class GachamaxCommand implements Callable<Integer> {
    @Parameters(arity = "0..1", paramLabel = "LOOP", description = "the loop's name; none lists the loops")
    String loop;

    @Mixin
    CommonOptions common;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        try (SqliteDatabase database = SqliteDatabase.open(common.resolvedDataDir().resolve(BakehouseServer.DATABASE_FILE))) {
            GachamaxStore store = new SqliteGachamaxStore(database);
            if (loop == null) {
                for (LoopRecord l : store.loops()) {
                    out.printf(Locale.ROOT, "%s\t%d round(s)\tfrom %s%n", l.name(), store.rounds(l.name()).size(),
                            l.sourceFolder());
                }
                return 0;
            }
            if (store.loop(loop).isEmpty()) {
                spec.commandLine().getErr().println("no GACHAMAX loop '" + loop + "' in " + database.file());
                return 1;
            }
            out.println("round\tstatus\timages\tpicks\tsteps\ttotal_steps\tcloseness\tprompt_following\t"
                    + "trigger_agreement\toverfit\tlora");
            for (RoundRecord r : store.rounds(loop)) {
                int images = store.datasetVersion(loop, r.datasetVersion()).map(v -> v.images().size()).orElse(0);
                List<CandidateRecord> candidates = store.candidates(loop, r.round());
                long picks = candidates.stream().filter(CandidateRecord::picked).count();
                RoundScores s = r.scores();
                out.printf(Locale.ROOT, "%d\t%s\t%d\t%d/%d\t%d\t%d\t%s\t%s\t%s\t%s\t%s%n", r.round(), r.status().key(), images,
                        picks, candidates.size(), r.steps(), r.totalSteps(), s == null ? "-" : number(s.closeness()),
                        s == null ? "-" : number(s.promptFollowing()), s == null ? "-" : number(s.triggerAgreement()),
                        s == null ? "-" : number(s.overfit()), r.loraFile() == null ? "-" : r.loraFile());
            }
            return 0;
        }
    }

    private static String number(Double value) {
        return value == null ? "-" : String.format(Locale.ROOT, "%.3f", value);
    }
}
