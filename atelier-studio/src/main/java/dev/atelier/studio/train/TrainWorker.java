package dev.atelier.studio.train;

import dev.atelier.core.params.ParamSet;
import dev.atelier.core.util.Progress;
import dev.atelier.ml.data.DataSplits;
import dev.atelier.ml.data.FashionMnist;
import dev.atelier.ml.data.FashionMnistData;
import dev.atelier.ml.features.PublicFeatureNetwork;
import dev.atelier.sketch.fed.SketchWorkloadProvider;
import dev.atelier.sketch.folder.DesignerFolder;
import dev.atelier.sketch.folder.FolderOptions;
import dev.atelier.sketch.local.LocalTrainSettings;
import dev.atelier.sketch.local.LocalTraining;
import dev.atelier.sketch.local.PublicEncoder;
import dev.atelier.sketch.model.ModelDir;
import dev.atelier.transport.app.ParentWatchdog;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * The child process that trains one model version: DJL allows one gradient tape per JVM, so the
 * studio never trains in its own JVM (generation stays responsive) and runs one child at a time
 * ({@link TrainQueue}). Reads the folder, trains with {@link LocalTraining} into the model
 * directory, and reports {@link TrainEvent} lines on stdout. Ends when the studio is gone
 * ({@link ParentWatchdog}).
 *
 * <p>Arguments: {@code --folder DIR --out MODEL_DIR --cache DIR --warmup N --steps N --batch N
 * --seed N --checkpoint-every N [--invert] [--encoder FILE] [--fashion-mnist DIR|fixture]}.
 */
public final class TrainWorker {
    private TrainWorker() {}

    public static void main(String[] args) {
        PrintStream out = System.out;
        // a killed studio must not leave a training child behind (it resumes from its checkpoint later)
        ParentWatchdog.exitWhenOrphaned(System.err, 143);
        // the public feature network is trained once per studio (minutes): its progress, printed on
        // stderr, becomes "prepare" events so the page shows it too
        System.setErr(new PrintStream(new LineSink(out, System.err, true), true, StandardCharsets.UTF_8));
        try {
            Map<String, String> a = parse(args);
            LocalTrainSettings settings = new LocalTrainSettings(
                    Integer.parseInt(a.get("--warmup")),
                    Integer.parseInt(a.get("--steps")),
                    Integer.parseInt(a.get("--batch")),
                    Long.parseLong(a.get("--seed")),
                    Integer.parseInt(a.get("--checkpoint-every")));
            FolderOptions options = FolderOptions.defaults().withInvert(a.containsKey("--invert"));
            DesignerFolder folder = DesignerFolder.read(Path.of(a.get("--folder")), options);
            folder.pairs();
            ModelDir dir = new ModelDir(Path.of(a.get("--out")));
            boolean resume = Files.isRegularFile(dir.trainingState());
            ParamSet encoder = resume ? ParamSet.empty() : encoder(a);
            Progress progress = new Progress(
                    "train",
                    settings.totalSteps(),
                    new PrintStream(new LineSink(out, null, false), true, StandardCharsets.UTF_8),
                    0);
            LocalTraining.Result r = LocalTraining.run(folder, dir, encoder, settings, progress);
            out.println(new TrainEvent(
                            "done",
                            r.stepsDone(),
                            settings.totalSteps(),
                            progress.elapsedSeconds(),
                            0,
                            r.last() == null ? Double.NaN : r.last().l1(),
                            r.stepsDone() + " steps on " + r.trainPairs() + " pairs, "
                                    + r.heldOut().size() + " held out")
                    .toLine());
            out.flush();
            System.exit(0);
        } catch (Throwable e) {
            String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            out.println(TrainEvent.failed(m.replaceAll("\\s+", " ")).toLine());
            out.flush();
            System.exit(2);
        }
    }

    private static ParamSet encoder(Map<String, String> a) throws java.io.IOException {
        if (a.containsKey("--encoder")) {
            return PublicEncoder.resolve(Path.of(a.get("--encoder")), (String) null);
        }
        String fm = a.get("--fashion-mnist");
        boolean fixture = "fixture".equals(fm);
        FashionMnistData data =
                fixture ? FashionMnist.loadFixture() : FashionMnist.load(fm == null ? null : Path.of(fm));
        DataSplits s = fixture ? data.splits(100, 0) : data.splits();
        // cached under the studio's own folder: nothing is written outside it
        return PublicFeatureNetwork.getOrTrain(
                        s.publicTrain(), s.test(), SketchWorkloadProvider.ENCODER_TRAINING, Path.of(a.get("--cache")))
                .params();
    }

    private static Map<String, String> parse(String[] args) {
        Map<String, String> m = new HashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--invert")) {
                m.put("--invert", "");
            } else if (args[i].startsWith("--") && i + 1 < args.length) {
                m.put(args[i], args[++i]);
            } else {
                throw new IllegalArgumentException("unexpected argument " + args[i]);
            }
        }
        for (String k : new String[] {
            "--folder", "--out", "--cache", "--warmup", "--steps", "--batch", "--seed", "--checkpoint-every"
        }) {
            if (!m.containsKey(k)) {
                throw new IllegalArgumentException("missing " + k);
            }
        }
        return m;
    }

    /**
     * Turns each Progress line into a {@link TrainEvent} line on the real stdout: training steps as
     * {@code progress}, the encoder's as {@code prepare}; other lines go to {@code copy} (the log).
     */
    private static final class LineSink extends OutputStream {
        private final PrintStream out;
        private final PrintStream copy;
        private final boolean prepare;
        private final ByteArrayOutputStream line = new ByteArrayOutputStream();

        LineSink(PrintStream out, PrintStream copy, boolean prepare) {
            this.out = out;
            this.copy = copy;
            this.prepare = prepare;
        }

        @Override
        public synchronized void write(int b) {
            if (b == '\n' || b == '\r') {
                String text = line.toString(StandardCharsets.UTF_8);
                if (copy != null && !text.isEmpty()) {
                    copy.println(text);
                }
                TrainEvent e = TrainEvent.fromProgressLine(text);
                if (e != null && prepare) {
                    e = TrainEvent.prepare(e, text.substring(0, Math.max(0, text.indexOf(" ["))));
                }
                if (e != null) {
                    out.println(e.toLine());
                    out.flush();
                }
                line.reset();
            } else {
                line.write(b);
            }
        }
    }
}
