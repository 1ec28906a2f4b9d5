package dev.bakehouse.testing;

import java.lang.reflect.Method;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ExtensionContext.Namespace;
import org.junit.jupiter.api.extension.InvocationInterceptor;
import org.junit.jupiter.api.extension.ReflectiveInvocationContext;
import org.opentest4j.TestAbortedException;

/**
 * Turns an assumption that fails in {@code @BeforeAll} (typically {@link Fixtures#root()} when the
 * fixtures are missing) into a skip of every test of the class, with that reason.
 *
 * <p>Without it JUnit reports only the aborted class container, which Surefire counts as
 * "Tests run: 0, Skipped: 0": the tests vanish without a word. Here the abort is recorded in the
 * class's store and swallowed, and each test (evaluated after {@code @BeforeAll} ran) is then
 * disabled with the recorded reason, so it shows as skipped. Registered for every test class
 * through {@code META-INF/services} and {@code junit.jupiter.extensions.autodetection.enabled};
 * classes whose {@code @BeforeAll} succeeds are not affected. A failure (not an abort), such as
 * the fixtures missing under CI, still fails the class.
 */
public final class SkipAbortedClasses implements InvocationInterceptor, ExecutionCondition {
    private static final Namespace NAMESPACE = Namespace.create(SkipAbortedClasses.class);
    private static final String REASON = "beforeAllAborted";

    @Override
    public void interceptBeforeAllMethod(Invocation<Void> invocation, ReflectiveInvocationContext<Method> method,
            ExtensionContext context) throws Throwable {
        if (abortReason(context) != null) {
            invocation.skip(); // an earlier @BeforeAll (or the enclosing class's) already gave up
            return;
        }
        try {
            invocation.proceed();
        } catch (TestAbortedException e) {
            context.getStore(NAMESPACE).put(REASON, "@BeforeAll of " + method.getTargetClass().getSimpleName()
                    + " aborted: " + e.getMessage());
        }
    }

    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        String reason = context.getTestMethod().isPresent() ? abortReason(context) : null;
        return reason == null ? ConditionEvaluationResult.enabled("@BeforeAll did not abort")
                : ConditionEvaluationResult.disabled(reason);
    }

    /** The reason recorded by this class's or an enclosing class's {@code @BeforeAll}; stores inherit. */
    private static String abortReason(ExtensionContext context) {
        return context.getStore(NAMESPACE).get(REASON, String.class);
    }
}
