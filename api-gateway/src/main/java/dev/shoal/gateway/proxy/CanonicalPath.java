package dev.shoal.gateway.proxy;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * The gateway decides on the raw path, as received, and the framework behind it dispatches on its
 * normalized form (dot segments removed, unreserved characters decoded, matrix parameters dropped).
 * The two agree only when normalization would change nothing, so every path whose normalization could
 * differ is refused here, before any other branch ({@code /q/} and {@code /internal/} included): then
 * the path checked is the path dispatched.
 *
 * <p>Refused: anything not starting with {@code /}; empty segments other than a trailing one
 * ({@code //}); segments that are or decode to {@code .} or {@code ..}; {@code ;} (raw or encoded:
 * matrix parameters, {@code ..;/}); backslashes, NUL and control characters (raw or encoded); encoded
 * slashes; percent-encoded unreserved characters ({@code %61} for {@code a}: the framework would decode
 * them and the route table would not; {@code %7E} is let through); malformed escapes and byte sequences that are not valid UTF-8
 * (overlong forms such as {@code %c0%ae}, which some decoders read as {@code .}); and escapes of
 * {@code %} that spell one of the above once decoded again ({@code %252e}).
 */
public final class CanonicalPath {

    private CanonicalPath() {
    }

    /** Null when {@code rawPath} is canonical, else a message saying what is wrong, for a 400. */
    public static String problem(String rawPath) {
        if (rawPath == null || rawPath.isEmpty() || rawPath.charAt(0) != '/') {
            return "the request path must start with '/'";
        }
        String[] segments = rawPath.substring(1).split("/", -1);
        for (int i = 0; i < segments.length; i++) {
            String raw = segments[i];
            if (raw.isEmpty()) {
                if (i == segments.length - 1) {
                    continue;
                }
                return "the path may not contain empty segments ('//')";
            }
            String problem = segmentProblem(raw);
            if (problem != null) {
                return problem;
            }
        }
        return null;
    }

    private static String segmentProblem(String raw) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(raw.length());
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c == '%') {
                if (i + 2 >= raw.length() || hex(raw.charAt(i + 1)) < 0 || hex(raw.charAt(i + 2)) < 0) {
                    return "the path has a malformed percent-escape: '%' must be followed by two hex digits";
                }
                int b = hex(raw.charAt(i + 1)) * 16 + hex(raw.charAt(i + 2));
                // '~' excepted: Java's URLEncoder and RFC 2396 clients encode it, and no literal segment of a
                // route has one, so decoding it cannot change which route or resource a path reaches.
                if (unreserved(b) && b != '~') {
                    return "the path encodes '" + (char) b + "' as %" + raw.substring(i + 1, i + 3)
                            + "; send the character itself";
                }
                bytes.write(b);
                i += 2;
            } else {
                if (c == '#') {
                    return "the path may not contain '#' (a fragment is never sent to a server)";
                }
                if (c > 0x7e) {
                    return "the path may only contain ASCII characters; percent-encode the others as UTF-8";
                }
                bytes.write(c);
            }
        }
        String decoded;
        try {
            decoded = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes.toByteArray())).toString();
        } catch (CharacterCodingException e) {
            return "the path is not valid UTF-8 once decoded (overlong or truncated byte sequences are refused)";
        }
        if (decoded.equals(".") || decoded.equals("..")) {
            return "the path may not contain '.' or '..' segments, raw or encoded";
        }
        for (int i = 0; i < decoded.length(); i++) {
            char c = decoded.charAt(i);
            if (c == '/') {
                return "the path may not contain encoded slashes (%2F)";
            }
            if (c == '\\') {
                return "the path may not contain backslashes, raw or encoded";
            }
            if (c == ';') {
                return "the path may not contain ';' (path parameters), raw or encoded";
            }
            if (c < 0x20 || c == 0x7f) {
                return "the path may not contain NUL or control characters";
            }
            if (c == '%' && i + 2 < decoded.length() && hex(decoded.charAt(i + 1)) >= 0 && hex(decoded.charAt(i + 2)) >= 0) {
                int b = hex(decoded.charAt(i + 1)) * 16 + hex(decoded.charAt(i + 2));
                if (b == '.' || b == '/' || b == '\\' || b == ';' || b < 0x20 || b == '%' || b >= 0x80) {
                    return "the path may not contain doubly encoded characters (%25 followed by an escape)";
                }
            }
        }
        return null;
    }

    /** RFC 3986 unreserved: ALPHA / DIGIT / "-" / "." / "_" / "~" (what normalization decodes). */
    private static boolean unreserved(int b) {
        return b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z' || b >= '0' && b <= '9' || b == '-' || b == '.' || b == '_' || b == '~';
    }

    private static int hex(char c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'a' && c <= 'f') {
            return c - 'a' + 10;
        }
        if (c >= 'A' && c <= 'F') {
            return c - 'A' + 10;
        }
        return -1;
    }
}
