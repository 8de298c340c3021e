package dev.atelier.studio.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.atelier.sketch.local.LocalTrainSettings;
import dev.atelier.studio.Studio;
import dev.atelier.studio.StudioSettings;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The studio's front door over real HTTP: Host check, session cookie, CSRF, password, paths. */
class SecurityTest {
    @TempDir
    Path home;

    private final HttpClient http =
            HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

    private Studio start(String password) throws Exception {
        return Studio.start(StudioSettings.local(home).withPort(0).withPassword(password));
    }

    @Test
    void aForeignHostHeaderIsRefusedOnLoopback() throws Exception {
        try (Studio s = start(null)) {
            assertThat(rawGet(s.port(), "evil.example:" + s.port())).startsWith("HTTP/1.1 403");
            assertThat(rawGet(s.port(), "127.0.0.1:" + s.port())).startsWith("HTTP/1.1 302");
            assertThat(rawGet(s.port(), "localhost:" + s.port())).startsWith("HTTP/1.1 302");
        }
    }

    @Test
    void sessionsAreHttpOnlySameSiteAndEveryPostNeedsTheCsrfToken() throws Exception {
        try (Studio s = start(null)) {
            HttpResponse<String> page = get(s, "/style", null);
            assertThat(page.statusCode()).isEqualTo(200);
            String cookie = page.headers().firstValue("Set-Cookie").orElseThrow();
            assertThat(cookie).contains("HttpOnly").contains("SameSite=Strict");
            assertThat(page.headers().firstValue("Content-Security-Policy").orElseThrow())
                    .contains("script-src 'self'");
            String session = cookie.substring(0, cookie.indexOf(';'));
            String csrf = csrf(page.body());

            assertThat(post(s, "/style/active", session, "version=1").statusCode())
                    .isEqualTo(403);
            assertThat(post(s, "/style/active", session, "version=1&csrf=wrong").statusCode())
                    .isEqualTo(403);
            // a token of another session does not work either
            String other = csrf(get(s, "/style", null).body());
            assertThat(post(s, "/style/active", session, "version=1&csrf=" + other)
                            .statusCode())
                    .isEqualTo(403);
            HttpResponse<String> ok = post(s, "/style/active", session, "version=1&csrf=" + csrf);
            assertThat(ok.statusCode()).as(ok.body()).isEqualTo(404); // past the door: no such version
            assertThat(ok.body()).contains("no such version");
        }
    }

    @Test
    void aPasswordGuardsEveryPageAndSignInIssuesANewSession() throws Exception {
        try (Studio s = start("correct horse battery")) {
            HttpResponse<String> first = get(s, "/create", null);
            assertThat(first.statusCode()).isEqualTo(302);
            assertThat(first.headers().firstValue("Location").orElseThrow()).endsWith("/login");
            String cookie = first.headers().firstValue("Set-Cookie").orElseThrow();
            String session = cookie.substring(0, cookie.indexOf(';'));
            String csrf = csrf(get(s, "/login", session).body());
            assertThat(post(s, "/login", session, "password=wrong&csrf=" + csrf).statusCode())
                    .isEqualTo(401);
            HttpResponse<String> in = post(s, "/login", session, "password=correct+horse+battery&csrf=" + csrf);
            assertThat(in.statusCode()).isEqualTo(302);
            String signed = in.headers().firstValue("Set-Cookie").orElseThrow();
            signed = signed.substring(0, signed.indexOf(';'));
            assertThat(signed).isNotEqualTo(session);
            assertThat(get(s, "/create", signed).statusCode()).isEqualTo(200);
            assertThat(get(s, "/create", session).statusCode()).isEqualTo(302); // the old id is gone
        }
    }

    @Test
    void repeatedWrongPasswordsAreAnsweredWithTooManyRequestsEvenForTheRightOne() throws Exception {
        try (Studio s = start("correct horse battery")) {
            String cookie =
                    get(s, "/login", null).headers().firstValue("Set-Cookie").orElseThrow();
            String session = cookie.substring(0, cookie.indexOf(';'));
            String csrf = csrf(get(s, "/login", session).body());
            for (int i = 0; i <= SignInLimiter.FREE_PER_ADDRESS; i++) {
                assertThat(post(s, "/login", session, "password=wrong&csrf=" + csrf)
                                .statusCode())
                        .as("attempt %d", i + 1)
                        .isEqualTo(401);
            }
            HttpResponse<String> locked = post(s, "/login", session, "password=correct+horse+battery&csrf=" + csrf);
            assertThat(locked.statusCode()).isEqualTo(429);
            assertThat(locked.headers().firstValue("Retry-After")).hasValue("1");
            assertThat(locked.body()).contains("too many wrong passwords");
            Thread.sleep(1100);
            assertThat(post(s, "/login", session, "password=correct+horse+battery&csrf=" + csrf)
                            .statusCode())
                    .isEqualTo(302);
        }
    }

    @Test
    void anotherInterfaceNeedsAPassword() {
        assertThatThrownBy(() -> new StudioSettings(
                        "0.0.0.0", 0, home, null, null, null, null, null, null, LocalTrainSettings.DEFAULTS))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("set a password");
        assertThat(new StudioSettings(
                                "0.0.0.0",
                                0,
                                home,
                                null,
                                null,
                                null,
                                "long enough",
                                null,
                                null,
                                LocalTrainSettings.DEFAULTS)
                        .password())
                .isEqualTo("long enough");
    }

    @Test
    void requestPathsNeverReachTheFileSystemUnchecked() throws Exception {
        try (Studio s = start(null)) {
            for (String p : new String[] {
                "/img/sketch/..%2F..%2Fstudio-db.mv.db",
                "/img/sketch/ABC",
                "/img/input/..",
                "/static/..%2F..%2Fpom.xml",
                "/static/studio.class",
                "/img/preview/0",
                "/style/folder/-1"
            }) {
                HttpResponse<String> r = get(s, p, null);
                assertThat(r.statusCode()).as(p).isIn(400, 404);
            }
            assertThat(get(s, "/static/studio.js", null).statusCode()).isEqualTo(200);
        }
    }

    private static String rawGet(int port, String host) throws Exception {
        try (Socket sock = new Socket("127.0.0.1", port)) {
            OutputStream out = sock.getOutputStream();
            out.write(("GET / HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = sock.getInputStream();
            return new String(in.readNBytes(200), StandardCharsets.US_ASCII);
        }
    }

    private HttpResponse<String> get(Studio s, String path, String cookie) throws Exception {
        HttpRequest.Builder b =
                HttpRequest.newBuilder(URI.create(s.url() + path)).GET();
        if (cookie != null) {
            b.header("Cookie", cookie);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(Studio s, String path, String cookie, String form) throws Exception {
        HttpRequest r = HttpRequest.newBuilder(URI.create(s.url() + path))
                .header("Cookie", cookie)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form))
                .build();
        return http.send(r, HttpResponse.BodyHandlers.ofString());
    }

    private static String csrf(String html) {
        Matcher m =
                Pattern.compile("name=\"csrf\" (?:content|value)=\"([^\"]+)\"").matcher(html);
        assertThat(m.find()).as("page carries a CSRF token").isTrue();
        return m.group(1);
    }
}
