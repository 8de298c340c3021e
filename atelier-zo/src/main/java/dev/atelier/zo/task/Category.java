package dev.atelier.zo.task;

import java.util.List;

/**
 * Product types as a text-classification target: the ten Fashion-MNIST classes first (in their
 * label order 0..9), then further types from WordNet's clothing, headdress and jewellery trees,
 * which the ten alone leave too few real definitions for a 500-item test split. Each
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
    ANKLE_BOOT("boot", List.of("02872752"), List.of("boot", "half boot", "buskin")),
    // further product types from WordNet's clothing, headdress and jewellery trees (not Fashion-MNIST)
    HAT("hat", List.of("03497657", "02954340"), List.of("hat", "cap", "bonnet")),
    SKIRT("skirt", List.of("04230808"), List.of("skirt", "petticoat", "kilt")),
    SHOE("shoe", List.of("04199027"), List.of("shoe")),
    STOCKINGS("stockings", List.of("03540267"), List.of("stocking", "stockings", "hosiery", "tights")),
    GLOVE("glove", List.of("03441112"), List.of("glove", "mitten", "gauntlet")),
    SCARF("scarf", List.of("04143897"), List.of("scarf", "shawl", "muffler")),
    NECKTIE("necktie", List.of("03815615"), List.of("necktie", "cravat")),
    UNDERWEAR("underwear", List.of("04508163"), List.of("undergarment", "underwear", "drawers")),
    BELT("belt", List.of("02827606"), List.of("belt", "girdle", "sash")),
    SUIT("suit", List.of("04350905"), List.of("suit")),
    SWIMSUIT("swimsuit", List.of("04371563"), List.of("swimsuit", "bathing suit")),
    ROBE("robe", List.of("04097866", "03450516"), List.of("robe")),
    PAJAMAS("pajamas", List.of("03825080"), List.of("pajamas", "pyjamas", "nightgown", "nightshirt")),
    UNIFORM("uniform", List.of("04509592"), List.of("uniform", "livery")),
    VEST("vest", List.of("04531873"), List.of("vest", "waistcoat")),
    JEWELRY("jewelry", List.of("03597469"), List.of("jewelry", "jewellery", "necklace", "bracelet", "brooch"));

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

    /** The label index: Fashion-MNIST's for the first ten. */
    public int label() {
        return ordinal();
    }
}
