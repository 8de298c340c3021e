package dev.atelier.studio.web;

/**
 * Server-side HTML of the studio's pages: one layout (navigation, the CSRF token in a meta tag for
 * the page script) and escaping. Every value from a user or a file goes through {@link #esc}.
 * Assets are the studio's own ({@code /static/...}): no CDN, works offline. Stateless.
 */
public final class Html {
    /** The pages in the navigation: path and label. */
    private static final String[][] NAV = {
        {"/create", "Create"},
        {"/style", "My style"},
        {"/history", "History"},
        {"/dashboard", "Dashboard"},
        {"/federation", "Federation"}
    };

    private Html() {}

    public static String esc(Object o) {
        String s = String.valueOf(o);
        StringBuilder b = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '&' -> b.append("&amp;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                default -> b.append(c);
            }
        }
        return b.toString();
    }

    /** A whole page; {@code body} is trusted HTML built with {@link #esc}. */
    public static String page(String title, String active, String csrf, String body) {
        StringBuilder nav = new StringBuilder();
        for (String[] n : NAV) {
            nav.append("<a href=\"")
                    .append(n[0])
                    .append('"')
                    .append(n[0].equals(active) ? " class=\"active\"" : "")
                    .append('>')
                    .append(n[1])
                    .append("</a>");
        }
        return "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">"
                + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
                + "<meta name=\"csrf\" content=\"" + esc(csrf) + "\">"
                + "<title>" + esc(title) + " · Atelier Studio</title>"
                + "<link rel=\"stylesheet\" href=\"/static/studio.css\">"
                + "<script src=\"/static/studio.js\" defer></script></head><body>"
                + "<header><span class=\"brand\">Atelier Studio</span><nav>" + nav + "</nav>"
                + "<form method=\"post\" action=\"/logout\" class=\"logout\">" + csrfField(csrf)
                + "</form></header><main><h1>" + esc(title) + "</h1>" + body + "</main></body></html>";
    }

    /** The hidden CSRF field every form carries. */
    public static String csrfField(String csrf) {
        return "<input type=\"hidden\" name=\"csrf\" value=\"" + esc(csrf) + "\">";
    }

    /** A one-line notice: {@code kind} is ok, warn or error. */
    public static String notice(String kind, String text) {
        return "<p class=\"notice " + kind + "\">" + esc(text) + "</p>";
    }
}
