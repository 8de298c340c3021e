package dev.atelier.zo.task;

import dev.atelier.zo.data.Gcide;
import dev.atelier.zo.data.WordNet;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The built-in task: WordNet and GCIDE definitions of garments, footwear and bags
 * ({@link GarmentItems}) classified into the ten Fashion-MNIST categories ({@link Category}).
 * The test split is fixed: an item is a test item when the 64-bit FNV-1a hash of its group
 * (salted with {@value #SALT}) falls in the first {@link #TEST_PERMILLE} per mille, so it never
 * depends on the order of the files or on a seed, and all texts of one headword land on one side.
 * Stateless.
 */
public final class GarmentTask {
    public static final String NAME = "garments";
    static final String SALT = "atelier-garments-v1:";

    /** Share of groups in the test split, per mille: large, because the test needs ≥ 500 items. */
    public static final int TEST_PERMILLE = 600;

    private GarmentTask() {}

    /** The task plus the WordNet and GCIDE texts pretraining must leave out. */
    public record Loaded(TextTask task, GarmentItems.Result items) {}

    public static Loaded load(Path wordnetDir, Path gcideDir) throws IOException {
        return of(WordNet.read(wordnetDir, "noun"), Gcide.read(gcideDir));
    }

    public static Loaded of(Map<String, WordNet.Synset> nouns, Gcide gcide) {
        GarmentItems.Result r = GarmentItems.build(nouns, gcide);
        List<TaskItem> train = new ArrayList<>();
        List<TaskItem> test = new ArrayList<>();
        for (TaskItem it : r.items()) {
            (isTest(it.group()) ? test : train).add(it);
        }
        List<String> words =
                Arrays.stream(Category.values()).map(Category::labelWord).toList();
        return new Loaded(new TextTask(NAME, words, train, test), r);
    }

    static boolean isTest(String group) {
        return Long.remainderUnsigned(fnv1a(SALT + group), 1000) < TEST_PERMILLE;
    }

    static long fnv1a(String s) {
        long h = 0xcbf29ce484222325L;
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            h ^= b & 0xff;
            h *= 0x100000001b3L;
        }
        return h;
    }
}
