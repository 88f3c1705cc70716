package dev.shoal.gateway;

import static dev.shoal.gateway.Api.as;

import dev.shoal.platform.event.EventEnvelope;
import dev.shoal.platform.event.EventTypes;
import dev.shoal.platform.event.schema.RepoChanged;
import dev.shoal.platform.outbox.Outbox;
import dev.shoal.platform.testing.Waits;
import io.vertx.mutiny.sqlclient.Pool;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Announces repositories the way repo-service does, with {@code repo.created} events through the
 * outbox and the real broker, and waits until the gateway's directory knows them.
 */
final class RepoFixture {

    private RepoFixture() {
    }

    /** An organization with an owner (admin token) and a public repository {@code site} the gateway knows. */
    record OwnedSite(String org, String ownerToken) {
    }

    static OwnedSite ownedSite(Pool pool, Outbox outbox, String ownerPrefix, String orgPrefix) {
        String owner = Api.unique(ownerPrefix);
        Api.createUser(owner);
        String ownerToken = Api.tokenFor(owner, "admin");
        String org = Api.unique(orgPrefix);
        Api.createOrg(ownerToken, org);
        long orgId = ((Number) as(null).get("/api/v1/orgs/" + org).then().extract().path("data.id")).longValue();
        announce(pool, outbox, orgId, org, "site", false, ownerToken);
        return new OwnedSite(org, ownerToken);
    }

    static long announce(Pool pool, Outbox outbox, long orgId, String org, String name, boolean isPrivate, String probeToken) {
        long id = ThreadLocalRandom.current().nextLong(1_000_000, Long.MAX_VALUE / 2);
        RepoChanged data = new RepoChanged(id, orgId, org, name, "", isPrivate, "main");
        pool.withTransaction(tx -> outbox.append(tx, EventTypes.REPO_CREATED, new EventEnvelope.Actor(1L, "admin"),
                new EventEnvelope.RepoRef(id, org, name, isPrivate), data, id)).await().atMost(Duration.ofSeconds(10));
        Waits.until(Duration.ofSeconds(30), () -> as(probeToken).get("/api/v1/repos/" + org + "/" + name).statusCode() == 200,
                () -> "the gateway never learned of " + org + "/" + name);
        return id;
    }
}
