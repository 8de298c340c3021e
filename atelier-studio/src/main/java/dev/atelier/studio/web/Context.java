package dev.atelier.studio.web;

import dev.atelier.studio.StudioHome;
import dev.atelier.studio.StudioSettings;
import dev.atelier.studio.create.Sketcher;
import dev.atelier.studio.fed.NodeSupervisor;
import dev.atelier.studio.store.StudioStore;
import dev.atelier.studio.store.Version;
import dev.atelier.studio.train.TrainQueue;
import dev.atelier.studio.upload.UploadLimits;
import java.sql.SQLException;
import java.util.Optional;

/**
 * What every page of one studio shares. The members are thread-safe themselves.
 *
 * @param settings how the studio was started
 * @param home its folder
 * @param store history and settings
 * @param queue the training queue (child processes)
 * @param sketcher generation in this JVM
 * @param limits upload bounds
 * @param node her federation node (a child process)
 */
public record Context(
        StudioSettings settings,
        StudioHome home,
        StudioStore store,
        TrainQueue queue,
        Sketcher sketcher,
        UploadLimits limits,
        NodeSupervisor node) {
    public static final String ACTIVE = "active_version";

    /** The active model version, when one is chosen and usable. */
    public Optional<Version> active() throws SQLException {
        Optional<String> v = store.setting(ACTIVE);
        if (v.isEmpty()) {
            return Optional.empty();
        }
        return store.version(Integer.parseInt(v.get())).filter(Version::usable);
    }
}
