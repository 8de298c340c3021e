package dev.atelier.studio;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * Keeps DJL's files inside the studio folder. DJL extracts the PyTorch natives (about 430 MB for
 * the CPU build) into {@code Utils.getEngineCacheDir()}, which is {@code ENGINE_CACHE_DIR}, else
 * {@code DJL_CACHE_DIR}, else {@code ~/.djl.ai}; each is read from the environment first and then
 * from the system property of the same name (DJL 0.35 {@code ai.djl.util.Utils}). So the studio
 * sets the {@code DJL_CACHE_DIR} property to {@code <home>/djl} unless the designer set either
 * name herself, and passes the choice to its child processes (training, node).
 *
 * <p>It must run before the JVM's first tensor: DJL reads the folder once, when the engine loads.
 * Thread-safety: call once at start-up.
 */
public final class DjlCache {
    static final String CACHE = "DJL_CACHE_DIR";
    static final String ENGINE = "ENGINE_CACHE_DIR";

    private DjlCache() {}

    /** What DJL will use given {@code env} and {@code props}, setting the property when nothing is chosen yet. */
    static Path choose(Path home, Map<String, String> env, Properties props) {
        for (String name : new String[] {ENGINE, CACHE}) {
            String v = env.get(name);
            if (v == null || v.isEmpty()) {
                v = props.getProperty(name);
            }
            if (v != null && !v.isEmpty()) {
                return Path.of(v).toAbsolutePath();
            }
        }
        Path dir = home.resolve("djl").toAbsolutePath().normalize();
        props.setProperty(CACHE, dir.toString());
        return dir;
    }

    /**
     * Applies {@link #choose} to this JVM; returns the JVM options that give a child process the
     * same folders (the environment is inherited anyway).
     */
    public static List<String> apply(Path home) {
        choose(home, System.getenv(), System.getProperties());
        List<String> opts = new ArrayList<>();
        for (String name : new String[] {ENGINE, CACHE}) {
            String v = System.getProperty(name);
            if (v != null && !v.isEmpty()) {
                opts.add("-D" + name + "=" + v);
            }
        }
        return opts;
    }
}
