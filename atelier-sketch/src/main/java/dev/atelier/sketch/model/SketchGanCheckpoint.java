package dev.atelier.sketch.model;

import dev.atelier.core.params.ParamSet;
import dev.atelier.core.params.Safetensors;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The local-model checkpoint: one safetensors file (format {@value SketchGan#FORMAT}).
 *
 * <p>Tensors: {@code encoder.**} (the frozen encoder, so the file generates on its own),
 * {@code gen.**}, {@code disc.**} (BatchNorm statistics included), {@code style.**} (the style
 * card in use) and, when the model has one, {@code tone.in}/{@code tone.out} ({@link ToneCurve};
 * absent in files written before session 14, which generate without one). Metadata:
 * {@code format}, {@code encoder} (kind, e.g. {@code featurenet}),
 * {@code config.<key>} for every {@link SketchGanConfig#toMap()} entry (among them
 * {@code config.canvas}, the side in px the model was trained at; absent in older files, which are 32 px), plus the caller's extras
 * (e.g. {@code designer}, {@code round}).
 */
final class SketchGanCheckpoint {
    private SketchGanCheckpoint() {}

    static void save(SketchGan gan, Path file, Map<String, String> extra) throws IOException {
        if (gan.styleCard() == null) {
            throw new IllegalStateException("cannot save a model without a style card");
        }
        Map<String, String> meta = new LinkedHashMap<>(extra);
        meta.put("format", SketchGan.FORMAT);
        meta.put("encoder", gan.encoder().kind());
        gan.config().toMap().forEach((k, v) -> meta.put("config." + k, v));
        ParamSet all = gan.encoder()
                .parameters()
                .merge(gan.generatorParams())
                .merge(gan.discriminatorParams())
                .merge(gan.styleCard().toParamSet());
        if (gan.toneCurve() != null) {
            all = all.merge(gan.toneCurve().toParamSet());
        }
        Safetensors.write(all, meta, file);
    }

    static SketchGan load(Path file) throws IOException {
        Safetensors.Contents c = Safetensors.readWithMetadata(file);
        Map<String, String> meta = c.metadata();
        if (!SketchGan.FORMAT.equals(meta.get("format"))) {
            throw new IOException(file + " is not a sketch GAN checkpoint (format '" + meta.get("format")
                    + "', expected '" + SketchGan.FORMAT + "')");
        }
        Map<String, String> cfg = configEntries(meta);
        ParamSet p = c.params();
        String kind = meta.getOrDefault("encoder", "");
        SketchGan gan;
        try {
            gan = SketchGan.create(m -> SketchEncoders.fromCheckpoint(m, kind, p), SketchGanConfig.fromMap(cfg), 0);
        } catch (RuntimeException e) {
            throw new IOException(file + ": " + e.getMessage(), e);
        }
        try {
            requireAll(
                    "generator",
                    gan.loadGenerator(p.select(n -> n.startsWith(SketchGan.GEN + "."))),
                    gan.generatorParameters().size());
            requireAll(
                    "critic",
                    gan.loadDiscriminator(p.select(n -> n.startsWith(SketchGan.DISC + "."))),
                    gan.discriminatorParameters().size());
            gan.setStyleCard(StyleCard.fromParamSet(p));
            gan.setToneCurve(ToneCurve.fromParamSet(p));
            return gan;
        } catch (RuntimeException e) {
            gan.close();
            throw new IOException(file + ": " + e.getMessage(), e);
        }
    }

    /** The {@code config.*} entries of a checkpoint's metadata, without the prefix. */
    static Map<String, String> configEntries(Map<String, String> meta) {
        Map<String, String> cfg = new LinkedHashMap<>();
        meta.forEach((k, v) -> {
            if (k.startsWith("config.")) {
                cfg.put(k.substring("config.".length()), v);
            }
        });
        return cfg;
    }

    private static void requireAll(String what, int loaded, int expected) {
        if (loaded != expected) {
            throw new IllegalArgumentException(
                    "the " + what + " has " + expected + " tensors but the checkpoint holds " + loaded);
        }
    }
}
