package dev.shoal.web;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * What web-ui answers on its own, without the gateway behind it (the test points it at a closed
 * port): headers, cookies, CSRF refusals and error pages. The pages over the API are driven by a real
 * browser on the whole stack (deploy's WebUiScenarios).
 */
@QuarkusTest
class PagesTest {

    @Test
    void theSignInPageSetsAStrictPolicyAndAnHttpOnlyLaxFormCookie() {
        Response page = given().redirects().follow(false).get("/login");
        assertThat(page.statusCode()).isEqualTo(200);
        String csp = page.header("Content-Security-Policy");
        assertThat(csp).contains("script-src 'self'").doesNotContain("unsafe-inline").doesNotContain("unsafe-eval");
        assertThat(page.header("X-Frame-Options")).isEqualTo("DENY");
        String cookie = page.header("Set-Cookie");
        assertThat(cookie).startsWith("shoal_login=").contains("HttpOnly").contains("SameSite=Lax").doesNotContain("Secure");
        assertThat(page.body().asString()).contains("name=\"_csrf\"").doesNotContain("<script>");
        assertThat(page.body().asString()).doesNotContain("onclick=").doesNotContain("style=\"")
                .contains("id=\"sign-in\"").doesNotContain("id=\"sign-out\"");
    }

    @Test
    void aSignInPostedWithoutItsCsrfTokenIsRefused() {
        Response page = given().redirects().follow(false).get("/login");
        String cookie = page.cookie("shoal_login");
        Matcher token = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"").matcher(page.body().asString());
        assertThat(token.find()).isTrue();
        given().cookie("shoal_login", cookie).formParam("username", "a").formParam("password", "b")
                .post("/login").then().statusCode(403).body(containsString("not sent from a page of this site"));
        given().cookie("shoal_login", cookie).formParam("username", "a").formParam("password", "b").formParam("_csrf", "forged")
                .post("/login").then().statusCode(403);
        // with its token the form goes on to the API, which is not running here: a plain page, no trace
        given().cookie("shoal_login", cookie).formParam("username", "a").formParam("password", "b").formParam("_csrf", token.group(1))
                .post("/login").then().statusCode(503).body(not(containsString("Exception"))).body(containsString("not reachable"));
    }

    @Test
    void changingFormsWithoutASessionAreRefusedOrSentToSignIn() {
        given().redirects().follow(false).formParam("title", "x").post("/acme/app/issues")
                .then().statusCode(303).header("Location", containsString("/login"));
        // relative: behind the gateway, web-ui's own address must never leak into a Location
        given().redirects().follow(false).get("/").then().statusCode(303).header("Location", org.hamcrest.Matchers.equalTo("/login"));
    }

    @Test
    void staticAssetsComeFromWebjarsAndTheModule() {
        given().get("/webjars/htmx.org/2.0.4/dist/htmx.min.js").then().statusCode(200).body(containsString("htmx"));
        given().get("/webjars/highlightjs/11.10.0/highlight.min.js").then().statusCode(200);
        given().get("/webjars/htmx-ext-sse/2.2.2/sse.js").then().statusCode(200);
        given().get("/assets/app.js").then().statusCode(200).body(containsString("hljs"));
    }

    @Test
    void errorsArePlainPages() {
        given().get("/acme/app").then().statusCode(503).contentType(containsString("text/html"))
                .body(containsString("not reachable")).body(not(containsString("at dev.shoal")));
        given().get("/a/b/c/d/e/f").then().statusCode(404).contentType(containsString("text/html"))
                .body(containsString("Not found"));
    }

    @Test
    void theSessionCookieIsSecureBehindHttps() {
        assertThat(Session.cookie("1.x", java.net.URI.create("https://shoal.example"), 60).toString())
                .contains("Secure").contains("HttpOnly").contains("SameSite=Lax");
        assertThat(Session.cookie("1.x", java.net.URI.create("http://localhost:8080"), 60).toString())
                .doesNotContain("Secure").contains("HttpOnly");
    }
}
