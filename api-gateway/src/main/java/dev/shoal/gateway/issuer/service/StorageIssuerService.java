package dev.shoal.gateway.issuer.service;

import dev.shoal.gateway.issuer.StorageIssuer;
import dev.shoal.gateway.user.service.NameReservations;
import dev.shoal.platform.api.PageRequest;
import dev.shoal.platform.api.PageResponse;
import dev.shoal.platform.error.ConflictException;
import dev.shoal.platform.error.NotFoundException;
import dev.shoal.platform.error.ValidationException;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;

@ApplicationScoped
public class StorageIssuerService {

    private static final String COLUMNS = "id, name, algorithm, public_key, created_at";

    private final Pool pool;
    private final NameReservations names;

    public StorageIssuerService(Pool pool, NameReservations names) {
        this.pool = pool;
        this.names = names;
    }

    public Uni<StorageIssuer> register(String name, String publicKey) {
        if (name == null || name.isBlank() || name.length() > 200) {
            throw new ValidationException("name must be 1-200 characters: the JWT 'iss' value of this issuer");
        }
        PublicKeys.Parsed parsed = PublicKeys.parse(publicKey);
        return pool.withTransaction(tx -> names.holders(tx, name).chain(holders -> {
                    if (holders.contains("organization") || holders.contains("user")) {
                        throw new ConflictException("'" + name + "' is already the name of " + (holders.contains("organization")
                                ? "an organization" : "a user") + "; an issuer's repositories live under its name, so register "
                                + "the issuer under another name (the 'iss' of its JWTs)");
                    }
                    return tx.preparedQuery("INSERT INTO storage_issuers (name, public_key, algorithm) VALUES ($1, $2, $3) "
                                    + "ON CONFLICT (name) DO NOTHING RETURNING " + COLUMNS)
                            .execute(Tuple.of(name, publicKey.strip(), parsed.algorithm()));
                }))
                .map(rows -> {
                    if (rows.rowCount() == 0) {
                        throw new ConflictException("issuer '" + name + "' is already registered");
                    }
                    return StorageIssuer.from(rows.iterator().next());
                });
    }

    public Uni<PageResponse<StorageIssuer>> list(PageRequest page) {
        return pool.query("SELECT count(*) FROM storage_issuers").execute()
                .map(rows -> rows.iterator().next().getLong(0))
                .chain(total -> pool.preparedQuery("SELECT " + COLUMNS + " FROM storage_issuers ORDER BY id LIMIT $1 OFFSET $2")
                        .execute(Tuple.of(page.perPage(), page.offset()))
                        .map(rows -> {
                            List<StorageIssuer> issuers = new ArrayList<>();
                            rows.forEach(row -> issuers.add(StorageIssuer.from(row)));
                            return PageResponse.of(issuers, page, total);
                        }));
    }

    public Uni<Void> delete(long id) {
        return pool.preparedQuery("DELETE FROM storage_issuers WHERE id = $1").execute(Tuple.of(id))
                .map(rows -> {
                    if (rows.rowCount() == 0) {
                        throw new NotFoundException("storage issuer " + id + " not found");
                    }
                    return null;
                });
    }
}
