package dev.shoal.gateway.token.repository;

import dev.shoal.gateway.token.ApiToken;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.buffer.Buffer;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

@ApplicationScoped
public class TokenRepository {

    private static final String COLUMNS = "id, name, scopes, last_eight, expires_at, created_at, last_used_at";

    public Uni<ApiToken> insert(SqlClient db, long userId, String name, byte[] hash, String lastEight,
                                List<String> scopes, Instant expiresAt) {
        return db.preparedQuery("INSERT INTO api_tokens (user_id, name, token_hash, last_eight, scopes, expires_at) "
                        + "VALUES ($1, $2, $3, $4, $5, $6) RETURNING " + COLUMNS)
                .execute(Tuple.tuple().addLong(userId).addString(name).addBuffer(Buffer.buffer(hash))
                        .addString(lastEight).addArrayOfString(scopes.toArray(String[]::new))
                        .addOffsetDateTime(expiresAt == null ? null : expiresAt.atOffset(ZoneOffset.UTC)))
                .map(rows -> ApiToken.from(rows.iterator().next()));
    }

    public Uni<Boolean> existsWithHash(SqlClient db, byte[] hash) {
        return db.preparedQuery("SELECT 1 FROM api_tokens WHERE token_hash = $1")
                .execute(Tuple.tuple().addBuffer(Buffer.buffer(hash))).map(rows -> rows.rowCount() > 0);
    }

    public Uni<Long> count(SqlClient db, long userId) {
        return db.preparedQuery("SELECT count(*) FROM api_tokens WHERE user_id = $1").execute(Tuple.of(userId))
                .map(rows -> rows.iterator().next().getLong(0));
    }

    public Uni<List<ApiToken>> page(SqlClient db, long userId, long offset, int limit) {
        return db.preparedQuery("SELECT " + COLUMNS + " FROM api_tokens WHERE user_id = $1 ORDER BY id LIMIT $2 OFFSET $3")
                .execute(Tuple.of(userId, limit, offset))
                .map(rows -> {
                    List<ApiToken> tokens = new ArrayList<>();
                    rows.forEach(row -> tokens.add(ApiToken.from(row)));
                    return tokens;
                });
    }

    public Uni<java.util.Optional<ApiToken>> find(SqlClient db, long userId, long tokenId) {
        return db.preparedQuery("SELECT " + COLUMNS + " FROM api_tokens WHERE id = $1 AND user_id = $2")
                .execute(Tuple.of(tokenId, userId))
                .map(rows -> rows.rowCount() == 0 ? java.util.Optional.empty() : java.util.Optional.of(ApiToken.from(rows.iterator().next())));
    }

    public Uni<Boolean> delete(SqlClient db, long userId, long tokenId) {
        return db.preparedQuery("DELETE FROM api_tokens WHERE id = $1 AND user_id = $2")
                .execute(Tuple.of(tokenId, userId)).map(rows -> rows.rowCount() > 0);
    }
}
