package dev.atelier.studio.web;

import static dev.atelier.studio.web.Html.esc;

import io.javalin.Javalin;
import io.javalin.http.BadRequestResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Federation: where she records her certificate folder and the coordinator's address (both
 * checked), the node command that joins with them, and what this page can and cannot show yet of
 * what left her machine. The studio does not run the node itself: a node trains (one gradient tape
 * per JVM) and the per-round outbound ledger the page should show is not kept by the node yet.
 */
public final class FederationPage {
    static final String CERT_DIR = "federation_cert_dir";
    static final String COORDINATOR = "federation_coordinator";
    private static final List<String> BUNDLE = List.of("cert.pem", "key.pem", "ca.crt");
    private final Context cx;

    public FederationPage(Context cx) {
        this.cx = cx;
    }

    public void register(Javalin app) {
        app.get("/federation", ctx -> {
            String csrf = Security.session(ctx).csrf();
            String certs = cx.store().setting(CERT_DIR).orElse("");
            String coord = cx.store().setting(COORDINATOR).orElse("");
            StringBuilder b = new StringBuilder();
            b.append("<section><h2>Join a federation</h2><p>Point at the certificate folder your federation's operator"
                            + " gave you (made by <code>atelier certs issue NAME</code>: cert.pem, key.pem, ca.crt)"
                            + " and the coordinator's address.</p><form method=\"post\" action=\"/federation/join\">")
                    .append(Html.csrfField(csrf))
                    .append(
                            "<label>Certificate folder <input type=\"text\" name=\"certs\" id=\"certs\" size=\"50\" value=\"")
                    .append(esc(certs))
                    .append("\"></label><label>Coordinator <input type=\"text\" name=\"coordinator\" id=\"coordinator\""
                            + " placeholder=\"coordinator.example:7443\" value=\"")
                    .append(esc(coord))
                    .append("\"></label><button type=\"submit\" id=\"join\">Save</button></form></section>");
            if (!certs.isEmpty() && !coord.isEmpty()) {
                Path state = cx.home().root().resolve("node");
                b.append("<section><h2>Run your node</h2><p>The node trains on your folder and sends only critic"
                                + " parameters, style cards and metrics. Start it next to the studio (it trains in its"
                                + " own process):</p><pre>atelier node --coordinator ")
                        .append(esc(coord))
                        .append(" --cert-dir ")
                        .append(esc(certs))
                        .append(" --workload sketch --data ")
                        .append(esc(cx.home().root().resolve("folders").resolve("f<N>")))
                        .append(" --state-dir ")
                        .append(esc(state))
                        .append("</pre><p>Its model directory (")
                        .append(esc(state))
                        .append(
                                ") can then be imported as a version on <a href=\"/style\">My style</a>.</p></section>");
            }
            b.append("<section><h2>What left my machine</h2>")
                    .append(Html.notice(
                            "warn",
                            "Not shown yet: the node does not keep a ledger of its own outbound messages (bytes by"
                                    + " kind and parameter names per round), and ε is not reported. The"
                                    + " coordinator's wire audit records bytes per node, round and kind (parameters,"
                                    + " metrics, compact, control); a node-side copy is missing."))
                    .append("<p>What the sketch workload sends by design: the shared critic's parameters, the"
                            + " style card (if you opt in) and scalar metrics. Images and sketches are never part"
                            + " of a message.</p></section>");
            ctx.html(Html.page("Federation", "/federation", csrf, b.toString()));
        });
        app.post("/federation/join", ctx -> {
            Path certs = certDir(ctx.formParam("certs"));
            String coordinator = address(ctx.formParam("coordinator"));
            cx.store().setSetting(CERT_DIR, certs.toString());
            cx.store().setSetting(COORDINATOR, coordinator);
            ctx.redirect("/federation");
        });
    }

    /** An absolute folder holding the bundle's three files; only checked for existence, never written. */
    static Path certDir(String typed) {
        if (typed == null || typed.isBlank() || typed.length() > 1000 || typed.indexOf('\0') >= 0) {
            throw new BadRequestResponse("type the absolute path of your certificate folder");
        }
        Path p = Path.of(typed.strip()).normalize();
        if (!p.isAbsolute() || !Files.isDirectory(p)) {
            throw new BadRequestResponse(p + " is not an absolute path of a folder");
        }
        for (String f : BUNDLE) {
            if (!Files.isRegularFile(p.resolve(f))) {
                throw new BadRequestResponse(p + " lacks " + f + " (a bundle from `atelier certs issue NAME` has "
                        + String.join(", ", BUNDLE) + ")");
            }
        }
        return p;
    }

    /** {@code host:port}, host of letters, digits, '.', '-' (or [v6]), port 1..65535. */
    static String address(String typed) {
        String a = typed == null ? "" : typed.strip();
        if (!a.matches("([A-Za-z0-9.-]{1,253}|\\[[0-9A-Fa-f:]{2,45}\\]):[0-9]{1,5}")) {
            throw new BadRequestResponse("the coordinator address must be HOST:PORT");
        }
        int port = Integer.parseInt(a.substring(a.lastIndexOf(':') + 1));
        if (port < 1 || port > 65535) {
            throw new BadRequestResponse("the coordinator port must be in 1..65535");
        }
        return a;
    }
}
