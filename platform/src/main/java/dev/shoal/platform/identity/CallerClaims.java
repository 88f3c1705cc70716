package dev.shoal.platform.identity;

import jakarta.json.JsonNumber;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.util.Collection;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Set;
import org.eclipse.microprofile.jwt.JsonWebToken;

/** Reads a {@link Caller} from the claims of a verified internal JWT. */
public final class CallerClaims {

    private CallerClaims() {
    }

    /** The caller of a verified token is read once, when it is first verified; any other token is read now. */
    public static Caller from(JsonWebToken jwt) {
        if (jwt instanceof VerifiedPrincipal verified) {
            return verified.caller();
        }
        return read(jwt);
    }

    static Caller read(JsonWebToken jwt) {
        if (jwt == null || jwt.getRawToken() == null) {
            return new Caller("anonymous", null, null, false, Set.of(), null, null, Caller.NONE);
        }
        return new Caller(
                stringClaim(jwt, InternalClaims.KIND, "anonymous"),
                longClaim(jwt, InternalClaims.USER_ID),
                stringClaim(jwt, InternalClaims.LOGIN, null),
                booleanClaim(jwt, InternalClaims.SITE_ADMIN),
                scopes(jwt.getClaim(InternalClaims.SCOPES)),
                longClaim(jwt, InternalClaims.ORG_ID),
                longClaim(jwt, InternalClaims.REPO_ID),
                stringClaim(jwt, InternalClaims.ROLE, Caller.NONE),
                // minted by the gateway from an already validated claim: a malformed one here is a bug
                RefRules.parse(jwt.getClaim(InternalClaims.REFS), null));
    }

    private static String stringClaim(JsonWebToken jwt, String name, String fallback) {
        Object value = jwt.getClaim(name);
        if (value instanceof JsonString text) {
            return text.getString();
        }
        return value == null ? fallback : value.toString();
    }

    private static boolean booleanClaim(JsonWebToken jwt, String name) {
        Object value = jwt.getClaim(name);
        return Boolean.TRUE.equals(value) || JsonValue.TRUE.equals(value);
    }

    /** A numeric claim, whichever JSON representation the parser chose; null when absent. */
    public static Long longClaim(JsonWebToken jwt, String name) {
        Object value = jwt.getClaim(name);
        if (value instanceof JsonNumber number) {
            return number.longValue();
        }
        if (value instanceof Number number) {
            return number.longValue();
        }
        return value == null ? null : Long.valueOf(value.toString());
    }

    private static Set<Scope> scopes(Object claim) {
        EnumSet<Scope> result = EnumSet.noneOf(Scope.class);
        if (claim instanceof Collection<?> values) {
            for (Object value : values) {
                String raw = value instanceof JsonString text ? text.getString() : value.toString();
                Scope.parse(raw).ifPresent(result::add);
            }
        }
        // one Caller is shared by every request presenting the same token: nothing may change it
        return Collections.unmodifiableSet(result);
    }
}
