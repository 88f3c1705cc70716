package dev.shoal.web;

import jakarta.ws.rs.core.Cookie;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.NewCookie;
import java.net.URI;
import java.util.regex.Pattern;

/**
 * The session cookie: {@code <token id>.<session token>}. The token is what the gateway authenticates;
 * its id is what signing out revokes. HttpOnly (no script reads it), SameSite=Lax (no cross-site
 * form post carries it), Secure when people reach Shoal over https.
 */
public record Session(long tokenId, String token) {

    public static final String COOKIE = "shoal_session";
    private static final Pattern SHAPE = Pattern.compile("([0-9]{1,18})\\.(shoal_pat_[0-9A-Za-z]{40})");

    public static Session from(HttpHeaders headers) {
        Cookie cookie = headers.getCookies().get(COOKIE);
        if (cookie == null) {
            return null;
        }
        var matcher = SHAPE.matcher(cookie.getValue());
        return matcher.matches() ? new Session(Long.parseLong(matcher.group(1)), matcher.group(2)) : null;
    }

    public String value() {
        return tokenId + "." + token;
    }

    public static NewCookie cookie(String value, URI publicUrl, int maxAgeSeconds) {
        return new NewCookie.Builder(COOKIE).value(value).path("/").httpOnly(true)
                .secure("https".equalsIgnoreCase(publicUrl.getScheme()))
                .sameSite(NewCookie.SameSite.LAX).maxAge(maxAgeSeconds).build();
    }

    public static NewCookie cleared(URI publicUrl) {
        return cookie("", publicUrl, 0);
    }
}
