package dev.atelier.studio.web;

import static dev.atelier.studio.web.Html.esc;

import dev.atelier.studio.fed.NodeStatus;
import dev.atelier.studio.store.UploadedFolder;
import dev.atelier.studio.store.Version;
import dev.atelier.transport.node.OutboundLedger;
import io.javalin.Javalin;
import io.javalin.http.BadRequestResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

/**
 * Federation: she records her certificate folder and the coordinator's address (both checked),
 * joins (the studio runs her node as a child process through its {@link NodeSupervisor}: a node
 * trains, and DJL allows one gradient tape per JVM), sees its live status (rounds, accepted
 * replies, reconnects; the page refreshes itself while the node runs, and a reload or a studio
 * restart shows the last state), stops it, and sees what left her machine per round from the
 * node's own outbound ledger ({@link LedgerView}). The node trains her active version's model
 * (copied into its model directory; without one it continues its own model or starts a fresh one
 * from the run's seed) on that version's folder (else her newest upload).
 */
public final class FederationPage {
    static final String CERT_DIR = "federation_cert_dir";
    static final String COORDINATOR = "federation_coordinator";
    private static final List<String> BUNDLE = List.of("cert.pem", "key.pem", "ca.crt");
    private static final int LEDGER_LINES = 20_000;
    private final Context cx;

    public FederationPage(Context cx) {
        this.cx = cx;
    }

    public void register(Javalin app) {
        app.get("/federation", ctx -> {
            String csrf = Security.session(ctx).csrf();
            String certs = cx.store().setting(CERT_DIR).orElse("");
            String coord = cx.store().setting(COORDINATOR).orElse("");
            NodeStatus st = cx.node().status();
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
                    .append("\"></label><button type=\"submit\" id=\"join\"")
                    .append(st.state().live() ? " disabled" : "")
                    .append(">Join</button></form></section>");
            b.append(statusSection(st, csrf));
            List<LedgerView.Round> rounds =
                    LedgerView.rounds(OutboundLedger.read(cx.node().ledgerDir(), LEDGER_LINES));
            b.append("<section><h2>What left my machine</h2><p>From the ledger your node keeps of every message it"
                            + " sends (<code>")
                    .append(esc(cx.node().ledgerDir().resolve(OutboundLedger.FILE)))
                    .append("</code>): serialised bytes by kind, the parameter names, and ε when differential"
                            + " privacy is on. Images and sketches are never part of a message: that column counts"
                            + " any tensor that is neither critic nor style card.</p>");
            if (rounds.isEmpty()) {
                b.append("<p id=\"ledger-empty\">Nothing sent yet.</p>");
            } else {
                b.append(LedgerView.table(rounds));
            }
            b.append("</section>");
            String page = Html.page("Federation", "/federation", csrf, b.toString());
            if (st.state().live()) {
                // live status without a script: the page reloads itself while the node runs
                page = page.replaceFirst("<head>", "<head><meta http-equiv=\"refresh\" content=\"3\">");
            }
            ctx.html(page);
        });
        app.post("/federation/join", ctx -> {
            Path certs = certDir(ctx.formParam("certs"));
            String coordinator = address(ctx.formParam("coordinator"));
            cx.store().setSetting(CERT_DIR, certs.toString());
            cx.store().setSetting(COORDINATOR, coordinator);
            Path data = dataFolder();
            // her active model is what the node trains on in the federation (else its own or a fresh one)
            Optional<Version> active = cx.active();
            Path model = active.map(v -> cx.home().model(v.version()).model())
                    .filter(Files::isRegularFile)
                    .orElse(null);
            String label = model == null ? "" : "her model v" + active.get().version();
            try {
                cx.node().start(coordinator, certs, data, model, label);
            } catch (IllegalStateException e) {
                throw new BadRequestResponse(e.getMessage());
            }
            ctx.redirect("/federation");
        });
        app.post("/federation/stop", ctx -> {
            cx.node().stop();
            ctx.redirect("/federation");
        });
    }

    /** Her active version's folder, else her newest upload; refused when she has none. */
    private Path dataFolder() throws SQLException {
        Optional<Version> active = cx.active();
        if (active.isPresent() && active.get().folder() > 0) {
            return cx.home().folder(active.get().folder());
        }
        List<UploadedFolder> folders = cx.store().folders();
        if (folders.isEmpty()) {
            throw new BadRequestResponse(
                    "upload your pairs on My style first: the node trains on your folder (it never leaves this machine)");
        }
        return cx.home().folder(folders.get(0).folder());
    }

    private static String statusSection(NodeStatus st, String csrf) {
        StringBuilder b = new StringBuilder("<section id=\"node\"><h2>Your node</h2>");
        if (st.state() == NodeStatus.State.NEVER_STARTED) {
            return b.append("<p id=\"node-state\" data-state=\"NEVER_STARTED\">Not started yet.</p></section>")
                    .toString();
        }
        b.append("<p id=\"node-state\" data-state=\"")
                .append(st.state())
                .append("\">")
                .append(esc(st.state().name().toLowerCase().replace('_', ' ')))
                .append(st.nodeId().isEmpty() ? "" : " · " + esc(st.nodeId()))
                .append(st.runId().isEmpty() ? "" : " · run " + esc(st.runId()))
                .append("</p><ul class=\"node-facts\"><li id=\"node-round\">round ")
                .append(st.round())
                .append("</li><li id=\"node-accepted\">")
                .append(st.accepted())
                .append(" replies accepted (your contribution)")
                .append(st.notAccepted() == 0 ? "" : ", " + st.notAccepted() + " not accepted")
                .append("</li><li id=\"node-reconnects\">")
                .append(st.reconnects())
                .append(st.reconnects() == 1 ? " reconnect" : " reconnects")
                .append("</li><li>")
                .append(LedgerView.bytes(st.bytesSent()))
                .append(" sent in all</li><li>coordinator ")
                .append(esc(st.coordinator()))
                .append(", training on ")
                .append(esc(st.dataDir()))
                .append("</li><li id=\"node-model\">starting from ")
                .append(esc(st.startModel().isEmpty() ? "(not recorded)" : st.startModel()))
                .append("</li></ul><p id=\"node-message\">")
                .append(esc(st.message()))
                .append("</p>");
        if (st.state().live()) {
            b.append("<form method=\"post\" action=\"/federation/stop\">")
                    .append(Html.csrfField(csrf))
                    .append("<button type=\"submit\" id=\"stop\">Stop the node</button></form>");
        }
        return b.append("</section>").toString();
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
