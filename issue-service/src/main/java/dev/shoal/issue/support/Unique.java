package dev.shoal.issue.support;

import dev.shoal.platform.error.ConflictException;
import io.vertx.pgclient.PgException;

/** Turns a unique-index violation into a 409 with a sentence the client can act on. */
public final class Unique {

    private Unique() {
    }

    public static Throwable conflict(Throwable error, String message) {
        if (error instanceof PgException pg && "23505".equals(pg.getSqlState())) {
            return new ConflictException(message);
        }
        return error;
    }
}
