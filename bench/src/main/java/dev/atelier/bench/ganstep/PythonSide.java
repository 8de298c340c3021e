package dev.atelier.bench.ganstep;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The PyTorch side: finds {@code bench/python/sketch_gan_step.py}, makes sure the interpreter
 * imports torch (installing Debian's {@code python3-torch} as root when it does not), runs the
 * script on the export directory and reads the JSON result it prints last.
 */
final class PythonSide {
    /** Debian's interpreter, where {@code python3-torch} installs. */
    static final String DEFAULT_PYTHON = "/usr/bin/python3";

    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * How the PyTorch side ended.
     *
     * @param result   the script's JSON result, or null when it did not run or printed none
     * @param skipped  why there is no result (one line for the user), or null
     * @param exitCode the benchmark's exit code: 0, 1 (the script failed), 3 (the models differ)
     */
    record Outcome(JsonNode result, String skipped, int exitCode) {}

    private PythonSide() {}

    static Outcome run(GanStepOptions o, Path dir) throws IOException, InterruptedException {
        if (o.noPython()) {
            return new Outcome(null, "PyTorch side skipped (--no-python).", 0);
        }
        Path script = findScript();
        String python = o.python();
        if (script == null) {
            return new Outcome(
                    null,
                    "PyTorch side skipped: bench/python/sketch_gan_step.py not found (run from the Atelier checkout).",
                    0);
        }
        if (!ensureTorch(python)) {
            return new Outcome(
                    null,
                    "PyTorch side skipped: " + python + " cannot import torch; install Debian's python3-torch"
                            + " (as root: apt-get install -y python3-torch) or pass --python PATH to a Python with torch.",
                    0);
        }
        System.err.println("ganstep: running " + python + " " + script + " (PyTorch side) ...");
        List<String> cmd = List.of(
                python,
                script.toString(),
                "--dir",
                dir.toString(),
                "--threads",
                Integer.toString(o.threads()),
                "--warmup",
                Integer.toString(o.warmup()),
                "--steps",
                Integer.toString(o.steps()),
                "--tolerance",
                Double.toString(o.tolerance()));
        Process p = new ProcessBuilder(cmd)
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        String out;
        try (InputStream in = p.getInputStream()) {
            out = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        int exit = p.waitFor();
        String last = lastJsonLine(out);
        if (last == null) {
            return new Outcome(
                    null,
                    "error: the PyTorch script exited with " + exit + " and printed no result (see its output above).",
                    1);
        }
        JsonNode py = JSON.readTree(last);
        return new Outcome(py, null, py.path("ok").asBoolean(false) ? 0 : 3);
    }

    /** The last line of {@code out} that starts a JSON object, or null. */
    static String lastJsonLine(String out) {
        return out.lines().filter(l -> l.startsWith("{")).reduce((a, b) -> b).orElse(null);
    }

    /** bench/python/sketch_gan_step.py next to the jar's module (bench/target/atelier-bench.jar), else under the working directory. */
    static Path findScript() {
        List<Path> candidates = new ArrayList<>();
        String prop = System.getProperty("atelier.bench.script");
        if (prop != null) {
            candidates.add(Path.of(prop));
        }
        try {
            Path jar = Path.of(PythonSide.class
                    .getProtectionDomain()
                    .getCodeSource()
                    .getLocation()
                    .toURI());
            // bench/target/atelier-bench.jar or bench/target/classes
            candidates.add(jar.getParent().getParent().resolve("python/sketch_gan_step.py"));
        } catch (Exception ignored) {
            // fall through to the working directory
        }
        candidates.add(Path.of("bench/python/sketch_gan_step.py"));
        candidates.add(Path.of("python/sketch_gan_step.py"));
        return candidates.stream()
                .filter(Files::isRegularFile)
                .findFirst()
                .map(Path::toAbsolutePath)
                .orElse(null);
    }

    /** True if {@code python} imports torch; as root on Debian installs python3-torch first when it does not. */
    static boolean ensureTorch(String python) throws InterruptedException {
        if (importsTorch(python)) {
            return true;
        }
        boolean root = "root".equals(System.getProperty("user.name"));
        boolean apt = Files.isExecutable(Path.of("/usr/bin/apt-get"));
        if (!root || !apt || !DEFAULT_PYTHON.equals(python)) {
            return false;
        }
        System.err.println("ganstep: installing Debian package python3-torch for the PyTorch side...");
        if (exec("apt-get", "install", "-y", "-qq", "python3-torch") != 0) {
            exec("apt-get", "update", "-qq");
            exec("apt-get", "install", "-y", "-qq", "python3-torch");
        }
        return importsTorch(python);
    }

    private static boolean importsTorch(String python) throws InterruptedException {
        return exec(python, "-c", "import torch") == 0;
    }

    private static int exec(String... cmd) throws InterruptedException {
        try {
            Process p = new ProcessBuilder(cmd)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start();
            if (!p.waitFor(30, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                return -1;
            }
            return p.exitValue();
        } catch (IOException e) {
            return -1;
        }
    }
}
