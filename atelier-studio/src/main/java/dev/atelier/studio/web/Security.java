package dev.atelier.studio.web;

import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.ForbiddenResponse;
import io.javalin.http.HttpStatus;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Set;

/**
 * The studio's front door, run before every handler:
 *
 * <ul>
 *   <li><b>Host check</b> on a loopback bind: only {@code 127.0.0.1}, {@code localhost} and
 *       {@code [::1]} with the studio's port are served, so a web page elsewhere cannot reach it by
 *       DNS rebinding.</li>
 *   <li><b>Session</b>: a random id in an {@code HttpOnly}, {@code SameSite=Strict} cookie.</li>
 *   <li><b>Password</b> (required off loopback): every page but {@code /login} and the static
 *       assets needs a signed-in session; the password is kept only as a {@link PasswordHash};
 *       wrong guesses back off exponentially per address and globally ({@link SignInLimiter}).</li>
 *   <li><b>CSRF</b>: every POST carries the session's token (form field {@code csrf} or header
 *       {@code X-CSRF-Token}), compared in constant time.</li>
 *   <li>Headers: a Content-Security-Policy allowing only the studio's own scripts, styles and
 *       images, {@code nosniff}, no framing, no referrer.</li>
 * </ul>
 * Thread-safe.
 */
public final class Security {
    public static final String SESSION = "studio.session";
    private final Sessions sessions = new Sessions();
    private final SignInLimiter limiter;
    private final PasswordHash password;
    private final boolean loopback;
    private volatile Set<String> hosts = Set.of();

    /**
     * @param password the sign-in password's hash, or null for none (loopback only)
     * @param loopback whether the studio listens on loopback only (then the Host header is checked)
     */
    public Security(PasswordHash password, boolean loopback) {
        this(password, loopback, new SignInLimiter());
    }

    Security(PasswordHash password, boolean loopback, SignInLimiter limiter) {
        this.password = password;
        this.loopback = loopback;
        this.limiter = limiter;
    }

    /** Sets the port the studio listens on (known after start); until then a loopback studio serves nobody. */
    public void port(int port) {
        hosts = loopbackHosts(port);
    }

    /** The Host values of a loopback studio on {@code port}. */
    public static Set<String> loopbackHosts(int port) {
        return Set.of("127.0.0.1:" + port, "localhost:" + port, "[::1]:" + port);
    }

    public void register(Javalin app) {
        app.before(this::before);
        app.get("/login", ctx -> ctx.html(loginPage(session(ctx).csrf(), "")));
        app.post("/login", this::login);
        app.post("/logout", ctx -> {
            sessions.remove(session(ctx));
            ctx.redirect(password == null ? "/" : "/login");
        });
    }

    private void before(Context ctx) {
        ctx.header(
                "Content-Security-Policy",
                "default-src 'self'; img-src 'self' blob: data:; script-src 'self';"
                        + " style-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'");
        ctx.header("X-Content-Type-Options", "nosniff");
        ctx.header("X-Frame-Options", "DENY");
        ctx.header("Referrer-Policy", "no-referrer");
        ctx.header("Cache-Control", "no-store");
        if (loopback && !hosts.contains(String.valueOf(ctx.header("Host")))) {
            throw new ForbiddenResponse("this studio only answers to "
                    + String.join(", ", hosts.stream().sorted().toList()));
        }
        Sessions.Session s = sessions.find(ctx.cookie(Sessions.COOKIE));
        if (s == null) {
            s = sessions.create();
            setCookie(ctx, s);
        }
        ctx.attribute(SESSION, s);
        String path = ctx.path();
        boolean open = path.equals("/login") || path.startsWith("/static/");
        if (password != null && !s.signedIn() && !open) {
            if (ctx.method().name().equals("GET")) {
                ctx.redirect("/login");
                ctx.skipRemainingHandlers();
                return;
            }
            throw new ForbiddenResponse("sign in first");
        }
        if (ctx.method().name().equals("POST")) {
            String token = ctx.header("X-CSRF-Token");
            if (token == null) {
                token = ctx.formParam("csrf");
            }
            if (token == null
                    || !MessageDigest.isEqual(
                            token.getBytes(StandardCharsets.UTF_8), s.csrf().getBytes(StandardCharsets.UTF_8))) {
                throw new ForbiddenResponse("missing or wrong CSRF token: reload the page and try again");
            }
        }
    }

    private void login(Context ctx) {
        Sessions.Session s = session(ctx);
        if (password == null) {
            ctx.redirect("/");
            return;
        }
        String address = ctx.req().getRemoteAddr();
        java.time.Duration wait = limiter.wait(address);
        if (!wait.isZero()) {
            long seconds = Math.max(1, (wait.toMillis() + 999) / 1000);
            ctx.header("Retry-After", Long.toString(seconds));
            ctx.status(HttpStatus.TOO_MANY_REQUESTS)
                    .html(loginPage(s.csrf(), "too many wrong passwords: try again in " + seconds + " s"));
            return;
        }
        if (!password.matches(ctx.formParam("password"))) {
            limiter.failed(address);
            ctx.status(HttpStatus.UNAUTHORIZED).html(loginPage(s.csrf(), "wrong password"));
            return;
        }
        limiter.succeeded(address);
        Sessions.Session fresh = sessions.signIn(s);
        setCookie(ctx, fresh);
        ctx.redirect("/");
    }

    private static void setCookie(Context ctx, Sessions.Session s) {
        ctx.res().addHeader("Set-Cookie", Sessions.COOKIE + "=" + s.id() + "; Path=/; HttpOnly; SameSite=Strict");
    }

    /** The session the front door attached to this request. */
    public static Sessions.Session session(Context ctx) {
        return ctx.attribute(SESSION);
    }

    private static String loginPage(String csrf, String error) {
        return "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Sign in · Atelier Studio</title>"
                + "<link rel=\"stylesheet\" href=\"/static/studio.css\"></head><body><main class=\"login\">"
                + "<h1>Atelier Studio</h1>" + (error.isEmpty() ? "" : Html.notice("error", error))
                + "<form method=\"post\" action=\"/login\">" + Html.csrfField(csrf)
                + "<label>Password <input type=\"password\" name=\"password\" autofocus></label>"
                + "<button type=\"submit\">Sign in</button></form></main></body></html>";
    }
}
