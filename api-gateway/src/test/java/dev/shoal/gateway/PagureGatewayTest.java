package dev.shoal.gateway;

import static dev.shoal.gateway.Api.ADMIN_TOKEN;
import static dev.shoal.gateway.Api.as;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.notNullValue;

import io.quarkus.test.junit.QuarkusTest;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Pagure API v0 extras answered by the gateway, and the gateway's refusals in Pagure's error shape. */
@QuarkusTest
@GatewayTestResources
class PagureGatewayTest {

    @Test
    void versionWhoamiAndErrorCodes() {
        given().get("/api/0/-/version").then().statusCode(200).body("version", equalTo("1"));
        String user = Api.unique("pag");
        Api.createUser(user);
        String token = Api.tokenFor(user, "read");
        // Pagure's own header form: "Authorization: token <token>".
        given().header("Authorization", "token " + token).post("/api/0/-/whoami")
                .then().statusCode(200).body("username", equalTo(user));
        given().header("Authorization", "token " + token).get("/api/0/-/whoami")
                .then().statusCode(200).body("username", equalTo(user));
        given().get("/api/0/-/error_codes").then().statusCode(200)
                .body("ENOPROJECT", equalTo("Project not found")).body("$", hasKey("EINVALIDTOK"))
                .body("$", hasKey("ENOTHIGHENOUGH")).body("$", hasKey("EINVALIDREQ"));
    }

    @Test
    void refusalsUnderApi0UsePagureShape() {
        given().post("/api/0/-/whoami").then().statusCode(401)
                .body("error_code", equalTo("EINVALIDTOK")).body("error", equalTo(given().post("/api/0/-/whoami").path("error")));
        given().header("Authorization", "token shoal_pat_nopenopenopenopenopenopenopenopenope").get("/api/0/-/whoami")
                .then().statusCode(401).body("error_code", equalTo("EINVALIDTOK"));
        given().get("/api/0/nosuchorg/nosuchrepo").then().statusCode(404).body("error_code", equalTo("ENOPROJECT"));
        given().get("/api/0/a/b/c/d/e/f").then().statusCode(404).body("error_code", equalTo("ENOCODE"));
        // A read token may not create a project.
        String user = Api.unique("pag");
        Api.createUser(user);
        given().header("Authorization", "token " + Api.tokenFor(user, "read")).formParam("name", "x").post("/api/0/new")
                .then().statusCode(403).body("error_code", equalTo("ENOTHIGHENOUGH"));
        // The native API keeps its own envelope.
        given().get("/api/v1/user").then().statusCode(401).body("error.code", equalTo("unauthorized"));
    }

    @Test
    void internalMembershipLookup() {
        String owner = Api.unique("own");
        Api.createUser(owner);
        String ownerToken = Api.tokenFor(owner, "admin");
        String org = Api.unique("org");
        Api.createOrg(ownerToken, org);
        int ownerId = as(ownerToken).get("/api/v1/user").then().extract().path("data.id");
        String internal = dev.shoal.platform.testing.InternalKeys.shared().serviceToken("repo-service", "api-gateway");
        as(internal).get("/internal/orgs/" + org + "/members/" + ownerId).then().statusCode(200).body("data.role", equalTo("owner")).body("data.org_id", notNullValue());
        as(internal).get("/internal/orgs/" + org + "/members/999999999").then().statusCode(200).body("data.role", equalTo("none"));
        as(internal).get("/internal/orgs/nosuch-org-x/members/1").then().statusCode(404).body("error.code", equalTo("not_found"));
        as(ADMIN_TOKEN).get("/internal/orgs/" + org + "/members/1").then().statusCode(404);
    }
}
