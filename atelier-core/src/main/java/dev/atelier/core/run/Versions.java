package dev.atelier.core.run;

import java.util.LinkedHashMap;
import java.util.Map;

/** Versions recorded in run.json so a result can be traced to the software that produced it. */
public final class Versions {
    private Versions() {}

    public static Map<String, String> describe() {
        Map<String, String> v = new LinkedHashMap<>();
        String atelier = Versions.class.getPackage().getImplementationVersion();
        v.put("atelier", atelier == null ? "dev" : atelier);
        v.put("java", System.getProperty("java.version"));
        v.put("os", System.getProperty("os.name") + " " + System.getProperty("os.arch"));
        return v;
    }
}
