package dev.atelier.studio.web;

import dev.atelier.studio.store.Version;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The held-out garments of a version: those of its training folder whose names its
 * {@code held-out.txt} lists (never trained on), in name order. A request picks one by its index,
 * so no name from a request reaches the file system. Stateless.
 */
final class Gallery {
    /** At most this many garments are offered. */
    static final int MAX = 24;

    private Gallery() {}

    static List<Path> of(Context cx, Version v) throws IOException {
        if (v.folder() < 1) {
            return List.of();
        }
        Path heldOut = cx.home().model(v.version()).heldOut();
        Path images = cx.home().folder(v.folder()).resolve("images");
        if (!Files.isRegularFile(heldOut) || !Files.isDirectory(images)) {
            return List.of();
        }
        Set<String> names = Set.copyOf(Files.readAllLines(heldOut));
        List<Path> out = new ArrayList<>();
        try (Stream<Path> s = Files.list(images)) {
            s.filter(Files::isRegularFile)
                    .filter(p -> names.contains(p.getFileName().toString().replaceFirst("\\.[^.]+$", "")))
                    .sorted()
                    .limit(MAX)
                    .forEach(out::add);
        }
        return out;
    }
}
