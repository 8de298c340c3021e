package dev.atelier.studio.web;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Browser sessions of one studio process, in memory (a restart signs everyone out): a random
 * 256-bit id in an {@code HttpOnly}, {@code SameSite=Strict} cookie, a CSRF token per session and
 * whether the password was given. At most {@value #MAX} sessions; the least recently used goes
 * first. Thread-safe.
 */
public final class Sessions {
    public static final String COOKIE = "atelier_studio";
    static final int MAX = 1000;
    private static final SecureRandom RANDOM = new SecureRandom();

    /** One session; {@code signedIn} is only ever set by a correct password. */
    public static final class Session {
        private final String id;
        private final String csrf;
        private volatile boolean signedIn;

        private Session(String id, String csrf) {
            this.id = id;
            this.csrf = csrf;
        }

        public String id() {
            return id;
        }

        public String csrf() {
            return csrf;
        }

        public boolean signedIn() {
            return signedIn;
        }
    }

    private final Map<String, Session> sessions = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Session> eldest) {
            return size() > MAX;
        }
    };

    /** The session of {@code cookie}, or null when unknown (expired, forged, another process's). */
    public synchronized Session find(String cookie) {
        return cookie == null ? null : sessions.get(cookie);
    }

    public synchronized Session create() {
        Session s = new Session(token(), token());
        sessions.put(s.id(), s);
        return s;
    }

    /** Signs in: a new session id (no fixation), signed in, the old one dropped. */
    public synchronized Session signIn(Session old) {
        if (old != null) {
            sessions.remove(old.id());
        }
        Session s = create();
        s.signedIn = true;
        return s;
    }

    public synchronized void remove(Session s) {
        sessions.remove(s.id());
    }

    static String token() {
        byte[] b = new byte[32];
        RANDOM.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }
}
