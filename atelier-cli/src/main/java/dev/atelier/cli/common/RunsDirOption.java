package dev.atelier.cli.common;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** {@code --runs-dir DIR}: the folder under which a command writes its run directory. */
public final class RunsDirOption {
    @Option(
            names = "--runs-dir",
            defaultValue = "runs",
            description = "Where run directories go (default: ${DEFAULT-VALUE}).")
    public Path runsDir;

    /** The path of a new run directory, {@code <runs-dir>/<kind>-<yyyyMMdd-HHmmss>} (not created). */
    public Path next(String kind) {
        return runsDir.resolve(RunIds.next(kind));
    }
}
