package dev.bakehouse.testing;

import java.util.Map;
import java.util.TreeMap;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.TestSource;
import org.junit.platform.engine.support.descriptor.ClassSource;
import org.junit.platform.engine.support.descriptor.MethodSource;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.TestPlan;
import org.opentest4j.TestAbortedException;

/**
 * Prints, at the end of a module's test run, how many tests were skipped because the shared
 * fixtures are missing, which folder was looked for, and the count per class, so a green build
 * without fixtures says plainly how much it did not check. Registered through
 * {@code META-INF/services}; silent when nothing was skipped for that reason.
 */
public final class FixtureSkipSummary implements TestExecutionListener {
    private final Map<String, Integer> skippedPerClass = new TreeMap<>();
    private String reason;

    @Override
    public void testPlanExecutionStarted(TestPlan testPlan) {
        skippedPerClass.clear();
        reason = null;
    }

    @Override
    public void executionSkipped(TestIdentifier test, String why) {
        // Tests and parameterized templates disabled by SkipAbortedClasses carry Fixtures' text.
        if (test.getSource().orElse(null) instanceof MethodSource && why != null && why.contains(Fixtures.MISSING)) {
            count(test, why);
        }
    }

    @Override
    public void executionFinished(TestIdentifier test, TestExecutionResult result) {
        if (test.isTest() && result.getStatus() == TestExecutionResult.Status.ABORTED
                && result.getThrowable().orElse(null) instanceof TestAbortedException aborted
                && aborted.getMessage() != null && aborted.getMessage().contains(Fixtures.MISSING)) {
            count(test, aborted.getMessage());
        }
    }

    @Override
    public void testPlanExecutionFinished(TestPlan testPlan) {
        if (skippedPerClass.isEmpty()) {
            return;
        }
        int total = skippedPerClass.values().stream().mapToInt(Integer::intValue).sum();
        StringBuilder out = new StringBuilder();
        out.append("[FIXTURES MISSING] ").append(total).append(total == 1 ? " test in " : " tests in ")
                .append(skippedPerClass.size()).append(skippedPerClass.size() == 1 ? " class" : " classes")
                .append(" skipped: ").append(reason.substring(reason.indexOf(Fixtures.MISSING)))
                .append(System.lineSeparator());
        skippedPerClass.forEach((cls, n) -> out.append("[FIXTURES MISSING]   ").append(cls).append(": ").append(n)
                .append(" skipped").append(System.lineSeparator()));
        System.out.print(out);
        System.out.flush();
    }

    private void count(TestIdentifier test, String why) {
        reason = why;
        skippedPerClass.merge(className(test), 1, Integer::sum);
    }

    private static String className(TestIdentifier test) {
        TestSource source = test.getSource().orElse(null);
        if (source instanceof MethodSource method) {
            return method.getClassName();
        }
        if (source instanceof ClassSource cls) {
            return cls.getClassName();
        }
        return test.getDisplayName();
    }
}
