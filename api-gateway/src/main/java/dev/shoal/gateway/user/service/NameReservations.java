package dev.shoal.gateway.user.service;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.HashSet;
import java.util.Set;

/**
 * One name space across kinds: Code Storage repositories live under their issuer's name, which
 * repo-service and every name-based path treat as an organization's, so an issuer's name may not
 * also be an organization's or a user's (whoever held it would own the issuer's repositories).
 * Checked case-insensitively, under a transaction-scoped advisory lock on the name, so two
 * concurrent creations of different kinds cannot both pass.
 */
@ApplicationScoped
public class NameReservations {

    /** The kinds that already hold {@code name}: {@code issuer}, {@code organization}, {@code user}. */
    public Uni<Set<String>> holders(SqlClient tx, String name) {
        return tx.preparedQuery("SELECT pg_advisory_xact_lock(hashtext('shoal.name:' || lower($1)))").execute(Tuple.of(name))
                .chain(() -> tx.preparedQuery("SELECT 'issuer' FROM storage_issuers WHERE lower(name) = lower($1) "
                        + "UNION ALL SELECT 'organization' FROM orgs WHERE lower(name) = lower($1) "
                        + "UNION ALL SELECT 'user' FROM users WHERE lower(username) = lower($1)").execute(Tuple.of(name)))
                .map(rows -> {
                    Set<String> kinds = new HashSet<>();
                    rows.forEach(row -> kinds.add(row.getString(0)));
                    return kinds;
                });
    }
}
