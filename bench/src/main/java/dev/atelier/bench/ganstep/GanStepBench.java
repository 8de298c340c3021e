package dev.atelier.bench.ganstep;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.util.Pair;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.atelier.core.params.DType;
import dev.atelier.core.params.ParamSet;
import dev.atelier.core.params.Safetensors;
import dev.atelier.core.params.Tensor;
import dev.atelier.core.util.FileTrees;
import dev.atelier.ml.classifier.ClassifierWorkload;
import dev.atelier.ml.data.FashionMnist;
import dev.atelier.ml.data.ImageDataset;
import dev.atelier.ml.nn.BlockParams;
import dev.atelier.ml.nn.Images;
import dev.atelier.ml.nn.layers.SpectralNormConv2d;
import dev.atelier.sketch.model.SketchGan;
import dev.atelier.sketch.model.SketchGanConfig;
import dev.atelier.sketch.style.Styles;
import dev.atelier.sketch.train.LossWeights;
import dev.atelier.sketch.train.SketchPairs;
import dev.atelier.sketch.train.SketchTrainer;
import dev.atelier.sketch.train.StepMetrics;
import dev.atelier.sketch.train.TrainerSettings;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * {@code ./atelier bench ganstep}: one local GAN step of the sketch GAN ({@link SketchTrainer},
 * critic update then generator update, batch 16, feature cache on) timed in Java/DJL and, in the
 * same run and on the same CPU, the same model and step re-implemented in PyTorch from Python
 * ({@code bench/python/sketch_gan_step.py}); prints both and their ratio.
 *
 * <p>"Same model" is checked, not assumed. Java exports to a temporary directory: every tensor of
 * the model ({@link SketchGan#save}: encoder, generator, critic with BatchNorm statistics, style
 * card), the spectral-norm vectors {@code u} (node-local buffers, via {@code SpectralNormConv2d.powerIterationVector()}), the
 * designer data, the batch indices of every step (the trainer's {@link SplittableRandom} replayed
 * from the same seed), a fixed batch with its inference-mode generator output and critic output,
 * and, after the first training step, that step's losses, the generator output and all weights.
 * The Python side loads the weights by name and refuses to time unless parameter names, shapes and
 * counts match, the inference outputs agree within {@code --tolerance} (max abs diff) and its own
 * first step reproduces Java's losses and weights. Then both sides run the same untimed warm-up
 * and the same timed steps on the same batches, sequentially (never concurrently), with the same
 * intra-op thread count and one inter-op thread.
 *
 * <p>Options: {@code --threads N} (default: {@code -Dai.djl.pytorch.num_threads} if given, else
 * the number of cores), {@code --warmup N} (5), {@code --steps N} (30), {@code --examples N} (256
 * designer pairs), {@code --seed N} (1), {@code --python PATH} (default {@code /usr/bin/python3},
 * Debian's {@code python3-torch}), {@code --no-python}, {@code --tolerance X} (1e-3),
 * {@code --keep} (keep the export directory). Documented in {@code bench/python/README.md}.
 */
public final class GanStepBench {
    static final String DEFAULT_PYTHON = "/usr/bin/python3";
    private static final ObjectMapper JSON = new ObjectMapper();

    private GanStepBench() {}

    record Options(
            int threads,
            int warmup,
            int steps,
            int examples,
            long seed,
            String python,
            boolean noPython,
            double tolerance,
            boolean keep) {}

    /** Runs the benchmark; returns the process exit code (0 also when Python/torch is unavailable). */
    public static int run(String[] args) throws Exception {
        Options o;
        try {
            o = parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("error: " + e.getMessage());
            System.err.println(
                    "usage: atelier bench ganstep [--threads N] [--warmup N] [--steps N] [--examples N] [--seed N]"
                            + " [--python PATH] [--no-python] [--tolerance X] [--keep]");
            return 2;
        }
        // Must happen before the engine loads: PtEngine reads these once.
        System.setProperty("ai.djl.pytorch.num_threads", Integer.toString(o.threads()));
        if (System.getProperty("ai.djl.pytorch.num_interop_threads") == null) {
            System.setProperty("ai.djl.pytorch.num_interop_threads", "1");
        }
        Path dir = Files.createTempDirectory("atelier-ganstep-");
        try {
            return runIn(o, dir);
        } finally {
            if (o.keep()) {
                System.err.println("export kept in " + dir);
            } else {
                deleteTree(dir);
            }
        }
    }

    static Options parse(String[] args) {
        Integer sysThreads = Integer.getInteger("ai.djl.pytorch.num_threads");
        int threads = sysThreads != null ? sysThreads : Runtime.getRuntime().availableProcessors();
        int warmup = 5;
        int steps = 30;
        int examples = 256;
        long seed = 1;
        String python = System.getenv().getOrDefault("ATELIER_PYTHON", DEFAULT_PYTHON);
        boolean noPython = false;
        double tolerance = 1e-3;
        boolean keep = false;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "--threads" -> threads = positive(a, value(args, ++i, a));
                case "--warmup" -> warmup = nonNegative(a, value(args, ++i, a));
                case "--steps" -> steps = positive(a, value(args, ++i, a));
                case "--examples" -> examples = positive(a, value(args, ++i, a));
                case "--seed" -> seed = Long.parseLong(value(args, ++i, a));
                case "--python" -> python = value(args, ++i, a);
                case "--no-python" -> noPython = true;
                case "--tolerance" -> tolerance = Double.parseDouble(value(args, ++i, a));
                case "--keep" -> keep = true;
                default -> throw new IllegalArgumentException("unknown option '" + a + "'");
            }
        }
        if (examples < 16) {
            throw new IllegalArgumentException("--examples must be at least the batch size 16");
        }
        return new Options(threads, warmup, steps, examples, seed, python, noPython, tolerance, keep);
    }

    private static String value(String[] args, int i, String option) {
        if (i >= args.length) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return args[i];
    }

    private static int positive(String option, String v) {
        int n = Integer.parseInt(v);
        if (n < 1) {
            throw new IllegalArgumentException(option + " must be >= 1, got " + n);
        }
        return n;
    }

    private static int nonNegative(String option, String v) {
        int n = Integer.parseInt(v);
        if (n < 0) {
            throw new IllegalArgumentException(option + " must be >= 0, got " + n);
        }
        return n;
    }

    private static int runIn(Options o, Path dir) throws Exception {
        Engine engine = Engine.getInstance();
        int javaThreads = JniUtils.getNumThreads();
        int javaInterop = JniUtils.getNumInteropThreads();
        System.err.printf(
                Locale.ROOT,
                "ganstep: DJL %s, PyTorch %s engine, %d intra-op / %d inter-op threads, export in %s%n",
                Engine.getDjlVersion(),
                engine.getVersion(),
                javaThreads,
                javaInterop,
                dir);

        // ---- data: Fashion-MNIST fixture garments drawn in the contour style (paired) ----
        ImageDataset train = FashionMnist.loadFixture().train();
        List<float[]> garments = new ArrayList<>();
        List<float[]> sketches = new ArrayList<>();
        for (int i = 0; i < o.examples(); i++) {
            float[] g = train.image(i % train.size());
            garments.add(g);
            sketches.add(Styles.CONTOUR.render(g));
        }
        SketchPairs data = SketchPairs.paired(garments, sketches);

        // ---- model: seeded untrained FeatureNet encoder (as in the tests), default config ----
        ParamSet encoderParams;
        try (NDManager m = NDManager.newBaseManager()) {
            encoderParams = BlockParams.toParamSet(ClassifierWorkload.newModel(m, 11), "net");
        }
        SketchGanConfig config = SketchGanConfig.defaults();
        TrainerSettings settings = TrainerSettings.defaults(o.seed());
        int batch = settings.batchSize();
        int totalSteps = 1 + o.warmup() + o.steps();
        try (SketchTrainer trainer = SketchTrainer.builder()
                .setModel(SketchGan.create(encoderParams, config, o.seed()))
                .setData(data)
                .optSettings(settings)
                .build()) {
            SketchGan gan = trainer.model();

            // ---- export: weights, spectral-norm state, data, batch indices, reference outputs ----
            gan.save(dir.resolve("model.safetensors"), Map.of("bench", "ganstep"));
            Safetensors.write(spectralState(gan), dir.resolve("spectral.safetensors"));
            int[] check = new int[batch];
            for (int i = 0; i < batch; i++) {
                check[i] = i;
            }
            ParamSet.Builder d = ParamSet.builder();
            d.put("garments", images(garments));
            d.put("sketches", images(sketches));
            d.put("indices", indices(settings.seed(), totalSteps, batch, data.size()));
            reference(gan, garments, sketches, check, "init").asMap().forEach(d::put);
            Safetensors.write(d.build(), dir.resolve("data.safetensors"));

            // ---- Java: first step (reproduced by Python as a check), warm-up, timed steps ----
            StepMetrics[] first = new StepMetrics[1];
            trainer.trainSteps(1, m -> first[0] = m);
            ParamSet after = gan.generatorParams()
                    .merge(gan.discriminatorParams())
                    .merge(spectralState(gan))
                    .merge(reference(gan, garments, sketches, check, "step1"));
            Safetensors.write(after, dir.resolve("step1.safetensors"));
            for (int i = 0; i < o.warmup(); i++) {
                trainer.trainSteps(1, null);
            }
            double[] ms = new double[o.steps()];
            for (int i = 0; i < o.steps(); i++) {
                long t0 = System.nanoTime();
                trainer.trainSteps(1, null);
                ms[i] = (System.nanoTime() - t0) / 1e6;
            }
            Stats java = Stats.of(ms);

            ObjectNode meta = JSON.createObjectNode();
            meta.put("batch", batch);
            meta.put("warmup", o.warmup());
            meta.put("steps", o.steps());
            meta.put("threads", o.threads());
            meta.put("tolerance", o.tolerance());
            meta.put("paired", data.paired());
            meta.put("cache_features", settings.cacheFeatures());
            meta.put("gen_lr", settings.genLr());
            meta.put("disc_lr", settings.discLr());
            meta.put("beta1", settings.beta1());
            meta.put("beta2", settings.beta2());
            meta.put("adam_epsilon", 1e-8f);
            LossWeights w = settings.weights();
            ObjectNode wn = meta.putObject("weights");
            wn.put("adversarial", w.adversarial());
            wn.put("gram", w.gram());
            wn.put("semantic", w.semantic());
            wn.put("content", w.content());
            wn.put("l1", w.l1());
            wn.put("decorr", w.decorr());
            ObjectNode cn = meta.putObject("config");
            config.toMap().forEach(cn::put);
            meta.put("generator_weights", gan.generatorWeightCount());
            meta.put("critic_weights", gan.discriminatorWeightCount());
            ObjectNode fm = meta.putObject("java_step1");
            first[0].toMap().forEach(fm::put);
            Files.writeString(
                    dir.resolve("meta.json"),
                    JSON.writerWithDefaultPrettyPrinter().writeValueAsString(meta));

            System.err.printf(
                    Locale.ROOT,
                    "ganstep: Java/DJL %.1f ms median per step (%d timed after %d+1 warm-up)%n",
                    java.median(),
                    o.steps(),
                    o.warmup());
            return report(o, dir, java, javaThreads, javaInterop, engine.getVersion(), gan);
        }
    }

    // ---- export helpers ---------------------------------------------------------------------------

    /** {@code <conv>.u [F,1]} of every spectrally normalised conv of the critic (a node-local buffer, not a parameter). */
    static ParamSet spectralState(SketchGan gan) {
        Map<Parameter, String> names = new IdentityHashMap<>();
        BlockParams.parameters(gan.discriminator(), SketchGan.DISC).forEach((n, p) -> names.put(p, n));
        ParamSet.Builder b = ParamSet.builder();
        List<SpectralNormConv2d> convs = new ArrayList<>();
        collect(gan.discriminator(), convs);
        for (SpectralNormConv2d c : convs) {
            Parameter weight = c.getDirectParameters().get("weight");
            String name = names.get(weight);
            float[] u = c.powerIterationVector();
            b.put(
                    name.substring(0, name.length() - ".weight".length()) + ".u",
                    Tensor.f32(new long[] {u.length, 1}, u));
        }
        return b.build();
    }

    private static void collect(Block block, List<SpectralNormConv2d> out) {
        if (block instanceof SpectralNormConv2d s) {
            out.add(s);
        }
        for (Pair<String, Block> c : block.getChildren()) {
            collect(c.getValue(), out);
        }
    }

    /** Images as {@code [N,1,32,32]} in [0,1] (28×28 zero-padded like {@link Images#to32}). */
    private static Tensor images(List<float[]> imgs) {
        float[] all = new float[imgs.size() * 1024];
        for (int i = 0; i < imgs.size(); i++) {
            System.arraycopy(Images.to32(imgs.get(i)), 0, all, i * 1024, 1024);
        }
        return Tensor.f32(new long[] {imgs.size(), 1, 32, 32}, all);
    }

    /** The trainer's batch indices for {@code steps} steps of paired data, drawn by {@link SketchTrainer#sampleBatch} from its seed. */
    static Tensor indices(long seed, int steps, int batch, int n) {
        SplittableRandom rng = new SplittableRandom(seed);
        ByteBuffer buf = ByteBuffer.allocate(steps * batch * 8).order(ByteOrder.LITTLE_ENDIAN);
        for (int step = 0; step < steps; step++) {
            int[] idx = SketchTrainer.sampleBatch(rng, n, batch);
            if (idx.length != batch) {
                throw new IllegalStateException(
                        "the trainer draws " + idx.length + " examples per batch, expected " + batch);
            }
            for (int i : idx) {
                buf.putLong(i);
            }
        }
        buf.flip();
        return Tensor.of(DType.I64, new long[] {steps, batch}, buf);
    }

    /** Inference-mode outputs on a fixed batch: generator on garments, critic on the Gram stack of the sketches. */
    private static ParamSet reference(
            SketchGan gan, List<float[]> garments, List<float[]> sketches, int[] rows, String tag) {
        try (NDManager sm = gan.manager().newSubManager()) {
            NDArray x = Images.batch(sm, garments, rows);
            NDArray y = Images.batch(sm, sketches, rows);
            NDArray gen = gan.generate(x, false);
            NDList critic = gan.criticize(gan.criticInput(gan.encode(y)), false);
            ParamSet.Builder b = ParamSet.builder();
            b.put(tag + ".x", BlockParams.toTensor(x));
            b.put(tag + ".gen", BlockParams.toTensor(gen));
            b.put(tag + ".critic_score", BlockParams.toTensor(critic.get(0)));
            b.put(tag + ".critic_feature", BlockParams.toTensor(critic.get(1)));
            return b.build();
        }
    }

    // ---- Python side ------------------------------------------------------------------------------

    private static int report(
            Options o, Path dir, Stats java, int javaThreads, int javaInterop, String engineVersion, SketchGan gan)
            throws Exception {
        JsonNode py = null;
        String skipped = null;
        int code = 0;
        if (o.noPython()) {
            skipped = "PyTorch side skipped (--no-python).";
        } else {
            Path script = findScript();
            String python = o.python();
            if (script == null) {
                skipped =
                        "PyTorch side skipped: bench/python/sketch_gan_step.py not found (run from the Atelier checkout).";
            } else if (!ensureTorch(python)) {
                skipped = "PyTorch side skipped: " + python + " cannot import torch; install Debian's python3-torch"
                        + " (as root: apt-get install -y python3-torch) or pass --python PATH to a Python with torch.";
            } else {
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
                ProcessBuilder pb = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT);
                Process p = pb.start();
                String out;
                try (InputStream in = p.getInputStream()) {
                    out = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                }
                int exit = p.waitFor();
                String last = out.lines()
                        .filter(l -> l.startsWith("{"))
                        .reduce((a, b) -> b)
                        .orElse(null);
                if (last == null) {
                    skipped = "error: the PyTorch script exited with " + exit
                            + " and printed no result (see its output above).";
                    code = 1;
                } else {
                    py = JSON.readTree(last);
                    if (!py.path("ok").asBoolean(false)) {
                        code = 3;
                    }
                }
            }
        }
        printTable(o, java, javaThreads, javaInterop, engineVersion, gan, py, skipped);
        return code;
    }

    /** bench/python/sketch_gan_step.py next to the jar's module (bench/target/atelier-bench.jar), else under the working directory. */
    static Path findScript() {
        List<Path> candidates = new ArrayList<>();
        String prop = System.getProperty("atelier.bench.script");
        if (prop != null) {
            candidates.add(Path.of(prop));
        }
        try {
            Path jar = Path.of(GanStepBench.class
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

    // ---- output -----------------------------------------------------------------------------------

    record Stats(double median, double mean, double min, double max) {
        static Stats of(double[] ms) {
            double[] s = ms.clone();
            Arrays.sort(s);
            int n = s.length;
            double median = n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
            return new Stats(median, Arrays.stream(s).average().orElse(Double.NaN), s[0], s[n - 1]);
        }
    }

    private static void printTable(
            Options o,
            Stats java,
            int javaThreads,
            int javaInterop,
            String engineVersion,
            SketchGan gan,
            JsonNode py,
            String skipped) {
        PrintTable t = new PrintTable();
        System.out.printf(
                Locale.ROOT,
                "%nSketch GAN, one local GAN step (critic update + generator update), batch 16;"
                        + " per side 1 check step + %d warm-up + %d timed steps on the same batches%n",
                o.warmup(),
                o.steps());
        System.out.printf(
                Locale.ROOT,
                "model: %,d generator + %,d critic weights, default SketchGanConfig, feature cache on,"
                        + " untrained seeded FeatureNet encoder%n%n",
                gan.generatorWeightCount(),
                gan.discriminatorWeightCount());
        t.row("", "median ms", "mean ms", "min ms", "threads (intra/inter)", "engine");
        t.row(
                "Java / DJL",
                f1(java.median()),
                f1(java.mean()),
                f1(java.min()),
                javaThreads + " / " + javaInterop,
                "DJL " + Engine.getDjlVersion() + ", libtorch " + engineVersion);
        if (py != null && py.has("timing")) {
            JsonNode tm = py.get("timing");
            t.row(
                    "PyTorch (Python)",
                    f1(tm.get("median_ms").asDouble()),
                    f1(tm.get("mean_ms").asDouble()),
                    f1(tm.get("min_ms").asDouble()),
                    py.path("threads").asInt() + " / "
                            + py.path("interop_threads").asInt(),
                    "torch " + py.path("torch_version").asText() + ", Python "
                            + py.path("python_version").asText());
        }
        t.print();
        String omp = System.getenv("OMP_WAIT_POLICY");
        System.out.printf(
                Locale.ROOT,
                "(both sides run one after the other in the same environment; OMP_WAIT_POLICY=%s)%n",
                omp == null ? "unset" : omp);
        if (o.threads() > 1 && omp == null) {
            System.out.println(
                    "hint: with other jobs on the cores, >1 OpenMP thread spin-waits (seconds per step on both"
                            + " sides); compare with --threads 1 or OMP_WAIT_POLICY=PASSIVE (see docs/sketch-model.md)");
        }
        if (py != null) {
            JsonNode c = py.path("checks");
            System.out.printf(
                    Locale.ROOT, "%nsame-model checks (%s):%n", py.path("ok").asBoolean() ? "passed" : "FAILED");
            System.out.printf(
                    Locale.ROOT, "  parameters: %s%n", c.path("parameters").asText());
            System.out.printf(
                    Locale.ROOT,
                    "  generator output, inference, fixed batch: max |Java - PyTorch| = %.2e%n",
                    c.path("gen_max_abs_diff").asDouble());
            System.out.printf(
                    Locale.ROOT,
                    "  critic score / feature, inference: max abs diff %.2e / %.2e%n",
                    c.path("critic_score_max_abs_diff").asDouble(),
                    c.path("critic_feature_max_abs_diff").asDouble());
            System.out.printf(
                    Locale.ROOT,
                    "  first training step, same batch: max rel loss diff %.2e (%s)%n",
                    c.path("step1_loss_max_rel_diff").asDouble(),
                    c.path("step1_worst_loss").asText());
            System.out.printf(
                    Locale.ROOT,
                    "    weights after it: max abs diff %.2e (conv biases before BatchNorm: %.2e, see note);"
                            + " generator output after it: %.2e%n",
                    c.path("step1_param_max_abs_diff").asDouble(),
                    c.path("step1_bias_before_bn_max_abs_diff").asDouble(),
                    c.path("step1_gen_max_abs_diff").asDouble());
            for (JsonNode e : py.path("errors")) {
                System.out.println("  MISMATCH: " + e.asText());
            }
            for (JsonNode n : py.path("notes")) {
                System.out.println("  note: " + n.asText());
            }
            if (py.has("timing")) {
                double pt = py.get("timing").get("median_ms").asDouble();
                System.out.printf(
                        Locale.ROOT,
                        "%nratio PyTorch ms / Java ms: %.2f   (Java ms / PyTorch ms: %.2f)   [medians]%n",
                        pt / java.median(),
                        java.median() / pt);
            } else {
                System.out.println("\nPyTorch side refused to time: the two implementations do not match (see above).");
            }
        } else {
            System.out.println();
            System.out.println(skipped);
        }
    }

    private static String f1(double v) {
        return String.format(Locale.ROOT, "%.1f", v);
    }

    /** Left-aligned text table. */
    private static final class PrintTable {
        private final List<String[]> rows = new ArrayList<>();

        void row(String... cells) {
            rows.add(cells);
        }

        void print() {
            int cols = rows.stream().mapToInt(r -> r.length).max().orElse(0);
            int[] w = new int[cols];
            for (String[] r : rows) {
                for (int i = 0; i < r.length; i++) {
                    w[i] = Math.max(w[i], r[i].length());
                }
            }
            for (String[] r : rows) {
                StringBuilder sb = new StringBuilder();
                for (int i = 0; i < r.length; i++) {
                    sb.append(String.format(Locale.ROOT, i == 0 ? "%-" + w[i] + "s" : "  %" + w[i] + "s", r[i]));
                }
                System.out.println(sb.toString().stripTrailing());
            }
        }
    }

    private static void deleteTree(Path dir) {
        try {
            FileTrees.delete(dir);
        } catch (IOException e) {
            System.err.println("ganstep: could not delete " + dir + ": " + e.getMessage());
        }
    }
}
