package dev.atelier.zo.fed;

import dev.atelier.core.message.Config;
import dev.atelier.zo.model.LmConfig;
import dev.atelier.zo.model.LmTokenizer;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Opens a store's {@link StoreData} for {@link ZoProvider}: the plug-in point for tasks. The
 * default reads token rows ({@link TokenRows}); a task (labelled glosses, accuracy) supplies its
 * own. Stateless.
 */
@FunctionalInterface
public interface StoreDataSource {
    /**
     * @param dataDir   the store's data file or folder, or null when none was given
     * @param model     the model's config (its weights are loaded later, as the instructions say)
     * @param tokenizer the model's tokenizer, or null when the model folder has none
     * @param config    the workload settings
     */
    StoreData open(String nodeId, Path dataDir, LmConfig model, LmTokenizer tokenizer, Config config)
            throws IOException;

    /** {@link TokenRows} from {@code dataDir}, rows cut to {@code max_len} (default 64) tokens. */
    StoreDataSource TOKEN_ROWS = (nodeId, dataDir, model, tokenizer, config) -> {
        if (dataDir == null) {
            throw new IllegalArgumentException("the zo workload needs the store's data (node --data DIR)");
        }
        int maxLen =
                Math.min(config.getInt(ZoProvider.MAX_LEN, 64), model.dims().maxPositions());
        return TokenRows.load(dataDir, tokenizer, model.dims().vocabSize(), maxLen);
    };
}
