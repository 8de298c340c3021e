package dev.atelier.zo.task;

import java.util.List;

/**
 * The ten Fashion-MNIST classes (in their label order 0..9) as a text-classification target. Each
 * has a one-word {@link #labelWord} the LM is scored on, the WordNet 3.x noun synsets whose
 * hyponym trees belong to it ({@link #wordnetRoots}, offsets in data.noun), and the genus words
 * that make a GCIDE definition belong to it when one of them heads the definition
 * ({@link #genusWords}, see {@link GarmentItems}). Rules and their reasons: docs/zo.md, "Data and task".
 */
public enum Category {
    T_SHIRT_TOP(
            "top", List.of("04453666", "03595614"), List.of("blouse", "t-shirt", "tee shirt", "tank top", "camisole")),
    TROUSER(
            "trousers",
            List.of("04489008"),
            List.of("trousers", "trowsers", "breeches", "pantaloons", "pants", "slacks")),
    PULLOVER("pullover", List.of("04370048"), List.of("sweater", "pullover", "cardigan")),
    DRESS("dress", List.of("03236735"), List.of("dress", "gown", "frock")),
    COAT("coat", List.of("03057021"), List.of("coat", "overcoat", "greatcoat", "topcoat", "jacket", "cloak")),
    SANDAL("sandal", List.of("04133789"), List.of("sandal")),
    SHIRT("shirt", List.of("04197391"), List.of("shirt")),
    SNEAKER("sneaker", List.of("03472535"), List.of("sneaker", "tennis shoe", "gym shoe", "athletic shoe")),
    BAG(
            "bag",
            // handbag, backpack, tote, purse, travelling bag, schoolbag, book bag, waist pack
            List.of("02774152", "02769748", "02970408", "04026417", "02773838", "04146343", "02870676", "04544450"),
            List.of("bag", "handbag", "purse", "satchel", "knapsack", "backpack", "reticule")),
    ANKLE_BOOT("boot", List.of("02872752"), List.of("boot", "half boot", "buskin"));

    private final String labelWord;
    private final List<String> wordnetRoots;
    private final List<String> genusWords;

    Category(String labelWord, List<String> wordnetRoots, List<String> genusWords) {
        this.labelWord = labelWord;
        this.wordnetRoots = wordnetRoots;
        this.genusWords = genusWords;
    }

    /** The word whose log-likelihood after the prompt scores this class. */
    public String labelWord() {
        return labelWord;
    }

    public List<String> wordnetRoots() {
        return wordnetRoots;
    }

    public List<String> genusWords() {
        return genusWords;
    }

    /** Fashion-MNIST's label index. */
    public int label() {
        return ordinal();
    }
}
