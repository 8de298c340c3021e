package dev.atelier.core.testing;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.abort;

import java.util.Map;

/**
 * What a test does when something outside the JVM that it needs (a PostgreSQL server, root with
 * network namespaces, the reference checkpoints in {@code shared/}) is missing. Under CI, where
 * {@code .ci/run} installs or provides it and exports {@value #CI_VARIABLE}{@code =1}, the test
 * <em>fails</em> with the reason, so a broken install step is never hidden behind a skip. Anywhere
 * else (a developer without root, say) the test is skipped with the same reason.
 *
 * <p>Shared with the other modules' tests through atelier-core's test jar. Stateless, thread-safe.
 */
public final class Prerequisite {
    /** Environment variable {@code .ci/run} exports; {@code 1} means "everything is installed". */
    public static final String CI_VARIABLE = "ATELIER_CI";

    private Prerequisite() {}

    /** Whether this JVM runs under {@code .ci/run} (the process environment has {@code ATELIER_CI=1}). */
    public static boolean underCi() {
        return underCi(System.getenv());
    }

    static boolean underCi(Map<String, String> env) {
        return "1".equals(env.getOrDefault(CI_VARIABLE, "").strip());
    }

    /**
     * Returns normally when {@code present}; otherwise fails the test under CI and skips it elsewhere.
     *
     * @param reason one line saying what is missing and how to provide it
     */
    public static void require(boolean present, String reason) {
        require(present, reason, underCi());
    }

    static void require(boolean present, String reason, boolean ci) {
        if (present) {
            return;
        }
        if (ci) {
            fail(reason + " (" + CI_VARIABLE + "=1: .ci/run provides this, so it must be present)");
        }
        abort(reason + " (skipped outside CI; .ci/run provides it and sets " + CI_VARIABLE + "=1)");
    }
}
