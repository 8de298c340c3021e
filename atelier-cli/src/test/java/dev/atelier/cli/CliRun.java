package dev.atelier.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * Runs {@code atelier ARGS} through {@link AtelierCli#run} in this JVM and captures what it prints.
 * The commands write to {@code System.out}/{@code System.err}, so both are swapped for the call and
 * restored afterwards (the suite runs test classes one at a time in a fork, so nothing else prints
 * meanwhile). Not thread-safe.
 *
 * @param exitCode the command's exit code
 * @param out      everything printed on standard output
 * @param err      everything printed on standard error
 */
public record CliRun(int exitCode, String out, String err) {

    public static CliRun of(String... args) {
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code;
        try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
                PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
            System.setOut(o);
            System.setErr(e);
            code = AtelierCli.run(args);
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
        CliRun run = new CliRun(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        oldOut.print(run.out);
        oldErr.print(run.err);
        return run;
    }
}
