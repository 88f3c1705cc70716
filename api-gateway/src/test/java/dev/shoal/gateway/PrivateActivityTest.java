package dev.shoal.gateway;

import static dev.shoal.gateway.Api.ADMIN_TOKEN;
import static dev.shoal.gateway.Api.as;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.shoal.platform.outbox.Outbox;
import dev.shoal.platform.testing.Waits;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.specification.RequestSpecification;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A user's Pagure activity (the audit log of their changes) is public, and each entry names the
 * path the user changed: entries on a private repository show only to viewers who may read it,
 * whichever way the path named it (Isurus {org}/{repo}, Woodpecker's numeric id, Pagure's
 * no-namespace form). Before, anyone could list a member's private repositories and what was done
 * in them this way.
 */
@QuarkusTest
@GatewayTestResources
class PrivateActivityTest {

    @Inject
    Pool pool;

    @Inject
    Outbox outbox;

    private static RequestSpecification pagure(String token) {
        RequestSpecification spec = given().contentType("application/x-www-form-urlencoded");
        return token == null ? spec : spec.header("Authorization", "token " + token);
    }

    @Test
    void activityOnPrivateRepositoriesShowsOnlyToWhoMayReadThem() throws InterruptedException {
        String owner = Api.unique("owen");
        String member = Api.unique("mia");
        String outsider = Api.unique("ozzy");
        Api.createUser(owner);
        Api.createUser(member);
        Api.createUser(outsider);
        String ownerAdmin = Api.tokenFor(owner, "admin");
        String org = Api.unique("corp");
        Api.createOrg(ownerAdmin, org);
        Api.addMember(ownerAdmin, org, member, "member");
        long orgId = ((Number) as(null).get("/api/v1/orgs/" + org).then().extract().path("data.id")).longValue();
        RepoFixture.announce(pool, outbox, orgId, org, "open", false, ownerAdmin);
        long secretId = RepoFixture.announce(pool, outbox, orgId, org, "secret", true, ownerAdmin);
        String memberWrite = Api.tokenFor(member, "write");

        // The member changes one public and one private repository, the private one by three path forms.
        as(memberWrite).body("{}").post("/api/v1/repos/" + org + "/open/issues").then().statusCode(200);
        as(memberWrite).body("{}").post("/api/v1/repos/" + org + "/secret/issues").then().statusCode(200);
        as(memberWrite).body("{}").post("/api/repos/" + secretId + "/pipelines").then().statusCode(200);
        pagure(memberWrite).formParam("comment", "hi").post("/api/0/" + org + "/secret/issue/1/comment").then().statusCode(200);

        String today = LocalDate.now(ZoneOffset.UTC).toString();
        String activity = "/api/0/user/" + member + "/activity/" + today;
        Waits.until(Duration.ofSeconds(30), () -> descriptions(ADMIN_TOKEN, activity), d -> d.size() >= 4, "four activity entries");

        String pub = member + " POST /api/v1/repos/" + org + "/open/issues";
        List<String> all = List.of(pub, member + " POST /api/v1/repos/" + org + "/secret/issues",
                member + " POST /api/repos/" + secretId + "/pipelines", member + " POST /api/0/" + org + "/secret/issue/1/comment");
        assertThat(descriptions(ADMIN_TOKEN, activity)).as("the site admin").containsExactlyElementsOf(all);
        assertThat(descriptions(Api.tokenFor(member, "read"), activity)).as("the member").containsExactlyElementsOf(all);
        assertThat(descriptions(ownerAdmin, activity)).as("the owner").containsExactlyElementsOf(all);
        assertThat(descriptions(null, activity)).as("anonymous").containsExactly(pub);
        assertThat(descriptions(Api.tokenFor(outsider, "admin"), activity)).as("an outsider").containsExactly(pub);

        String stats = "/api/0/user/" + member + "/activity/stats";
        assertThat(count(null, stats, today)).as("anonymous' count").isEqualTo(1);
        assertThat(count(Api.tokenFor(outsider, "read"), stats, today)).as("an outsider's count").isEqualTo(1);
        assertThat(count(Api.tokenFor(member, "read"), stats, today)).as("the member's count").isEqualTo(4);
    }

    private static List<String> descriptions(String token, String path) {
        return pagure(token).get(path).then().statusCode(200).extract().jsonPath().getList("activities.description", String.class);
    }

    private static int count(String token, String path, String day) {
        Integer count = pagure(token).get(path).then().statusCode(200).extract().path("'" + day + "'");
        return count == null ? 0 : count;
    }
}
