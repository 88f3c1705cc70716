package dev.shoal.repo.archfixture.rest;

import dev.shoal.repo.archfixture.repository.ThingRepository;
import io.vertx.mutiny.sqlclient.Pool;

/** Test fixture for {@code ArchitectureRulesTest}: a resource that reaches the database itself. */
public class LeakyResource {

    private final Pool pool;
    private final ThingRepository things;

    public LeakyResource(Pool pool, ThingRepository things) {
        this.pool = pool;
        this.things = things;
    }

    public String thing() {
        return pool + things.find();
    }
}
