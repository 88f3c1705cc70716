package dev.shoal.web;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;

import io.quarkus.qute.Location;
import io.quarkus.qute.Template;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The pages added for repository settings, site administration, new pull requests, branches, tags,
 * releases and organization members, as far as they answer without a gateway: who is turned away
 * before any API call, and what the templates make of the API's JSON (every changing form carries
 * the CSRF token, values are escaped, a secret's value has no place on the page). The pages over the
 * API are driven in a real browser by deploy's WebUiScenarios.
 */
@QuarkusTest
class NewPagesTest {

    private static final String CSRF = "csrf-of-this-session";
    private static final Visitor OWNER = new Visitor(new Session(7, "shoal_pat_" + "a".repeat(40)),
            Map.of("username", "ada", "is_admin", true), CSRF);

    @Inject
    @Location("repo-settings.html")
    Template repoSettings;

    @Inject
    @Location("admin.html")
    Template admin;

    @Inject
    @Location("pull-new.html")
    Template pullNew;

    @Inject
    @Location("pull.html")
    Template pull;

    @Inject
    @Location("org.html")
    Template org;

    @Inject
    @Location("releases.html")
    Template releases;

    @Inject
    @Location("issue.html")
    Template issue;

    @Inject
    @Location("pipeline.html")
    Template pipeline;

    @Test
    void aBlockedPipelineOffersApproveAndDeclineAndAnotherDoesNot() {
        Map<String, Object> blocked = Map.of("number", 3, "status", "blocked", "event", "pull_request", "branch", "main",
                "created_at", "2026-12-06T20:00:00Z");
        String html = pipeline.data("v", OWNER).data("org", "acme").data("repo", Map.of("name", "app")).data("pipeline", blocked)
                .data("steps", List.of()).data("running", true).data("tab", "pipelines").render();
        assertThat(html).contains("action=\"/acme/app/pipelines/3/approve\"").contains("action=\"/acme/app/pipelines/3/decline\"");
        assertThat(formsWithoutCsrf(html)).isEmpty();
        Map<String, Object> done = new java.util.HashMap<>(blocked);
        done.put("status", "success");
        String finished = pipeline.data("v", OWNER).data("org", "acme").data("repo", Map.of("name", "app")).data("pipeline", done)
                .data("steps", List.of()).data("running", false).data("tab", "pipelines").render();
        assertThat(finished).doesNotContain("/approve").doesNotContain("/decline").contains("/acme/app/pipelines/3/rerun");
    }

    @Test
    void anIssueWithoutLabelsRendersAndOneWithLabelsOffersToRemoveThem() {
        // the API leaves "labels" out when there are none: that page rendered 500 before
        Map<String, Object> bare = Map.of("number", 1, "title", "t", "state", "open", "html", "", "author", Map.of("username", "ada"));
        String html = issue.data("v", OWNER).data("org", "acme").data("repo", Map.of("name", "app")).data("issue", bare)
                .data("comments", List.of()).data("labels", List.of()).data("closed", false).data("tab", "issues").render();
        assertThat(html).contains("id=\"label-form\"");
        Map<String, Object> labelled = new java.util.HashMap<>(bare);
        labelled.put("labels", List.of(Map.of("id", 4, "name", "<bug>")));
        Map<String, Object> comment = Map.of("id", 7, "author", Map.of("username", "bob"), "created_at", "2026-01-02T03:04:05Z",
                "html", "<p>seen it</p>");
        String with = issue.data("v", OWNER).data("org", "acme").data("repo", Map.of("name", "app")).data("issue", labelled)
                .data("comments", List.of(comment)).data("labels", List.of()).data("closed", false).data("tab", "issues").render();
        assertThat(with).contains("&lt;bug&gt;").contains("action=\"/acme/app/issues/1/labels/4/remove\"");
        assertThat(with).contains("<article class=\"comment card\" id=\"comment-7\">").contains("bob · 2026-01-02T03:04:05Z")
                .contains("<p>seen it</p>").doesNotContain("No comments yet.");
        assertThat(html).contains("No comments yet.");
        assertThat(formsWithoutCsrf(with)).isEmpty();
    }

    @Test
    void theAdminPagesAreTheSame404ForVisitorsAsAPageThatDoesNotExist() {
        String missing = given().get("/no/such/page/at/all").then().statusCode(404).extract().asString();
        given().redirects().follow(false).get("/admin").then().statusCode(404).body(equalTo(missing));
        // a changing form too: no redirect to sign in that would tell the page exists
        given().redirects().follow(false).formParam("username", "x").post("/admin/users").then().statusCode(404).body(equalTo(missing));
        given().redirects().follow(false).post("/admin/agents/1/delete").then().statusCode(404);
    }

    @Test
    void changingFormsOfTheNewPagesSendSignedOutVisitorsToSignIn() {
        for (String path : List.of("/acme/app/settings/hooks", "/acme/app/settings/hooks/1/deliveries/2/redeliver",
                "/acme/app/settings/secrets", "/acme/app/settings/secrets/TOKEN/delete", "/acme/app/pulls",
                "/acme/app/issues/1/labels", "/acme/app/issues/1/labels/3/remove", "/acme/-/members", "/acme/-/members/bob/remove")) {
            given().redirects().follow(false).formParam("x", "y").post(path)
                    .then().statusCode(303).header("Location", equalTo("/login"));
        }
    }

    @Test
    void pagesOverTheApiSayPlainlyWhenItCannotBeReached() {
        for (String path : List.of("/acme/app/settings", "/acme/app/branches", "/acme/app/tags", "/acme/app/releases",
                "/acme/app/raw/main/README.md", "/acme/app/releases/1/assets/2", "/acme/app/pulls/new")) {
            given().get(path).then().statusCode(503).contentType(containsString("text/html"))
                    .body(containsString("not reachable")).body(not(containsString("at dev.shoal")));
        }
        given().get("/acme/app/releases/x/assets/2").then().statusCode(503);
    }

    @Test
    void agentLabelsAreKeyValuePairs() {
        assertThat(AdminPages.labels(" os=linux, size = large ,")).containsExactly(Map.entry("os", "linux"), Map.entry("size", "large"));
        assertThat(AdminPages.labels("")).isEmpty();
        assertThat(AdminPages.labels("linux")).isNull();
        assertThat(AdminPages.labels("=x")).isNull();
    }

    private static List<String> formsWithoutCsrf(String html) {
        Matcher form = Pattern.compile("<form method=\"post\"[^>]*>(.*?)</form>", Pattern.DOTALL).matcher(html);
        List<String> missing = new java.util.ArrayList<>();
        int forms = 0;
        while (form.find()) {
            forms++;
            if (!form.group(1).contains("name=\"_csrf\" value=\"" + CSRF + "\"")) {
                missing.add(form.group());
            }
        }
        assertThat(forms).as("the page has forms").isPositive();
        return missing;
    }

    @Test
    void repositorySettingsListHooksDeliveriesAndSecretNamesWithRedeliverForms() {
        Map<String, Object> delivery = Map.of("id", 41, "event_type", "push", "status", "failed", "success", false,
                "response_code", 500, "duration_ms", 12, "delivered_at", "2026-12-06T18:00:00Z");
        Map<String, Object> hook = Map.of("id", 9, "url", "https://ci.example.com/<hook>", "events", List.of("push"),
                "is_active", true, "deliveries", List.of(delivery));
        String html = repoSettings.data("v", OWNER).data("org", "acme").data("repo", Map.of("name", "app", "default_branch", "main"))
                .data("hooks", List.of(hook)).data("events", List.of("push", "issue")).data("problem", null).data("notice", null)
                .data("secrets", List.of(Map.of("name", "DEPLOY_KEY", "events", List.of("push"))))
                .data("members", List.of(Map.of("user", Map.of("username", "ada"), "role", "owner"))).data("tab", "settings").render();
        assertThat(html).contains("action=\"/acme/app/settings/hooks/9/deliveries/41/redeliver\"")
                .contains("https://ci.example.com/&lt;hook&gt;").doesNotContain("<hook>")
                .contains("DEPLOY_KEY").contains("action=\"/acme/app/settings/secrets/DEPLOY_KEY/delete\"")
                .contains("type=\"password\" autocomplete=\"off\"");
        assertThat(formsWithoutCsrf(html)).isEmpty();
    }

    @Test
    void theAdminPageShowsAnAgentTokenOnceAndEveryFormCarriesTheToken() {
        String html = admin.data("v", OWNER).data("problem", null).data("notice", null)
                .data("users", List.of(Map.of("username", "bob", "email", "bob@example.com", "is_admin", false, "is_active", false)))
                .data("agents", List.of(Map.of("id", 3, "name", "runner-1", "labels", Map.of("os", "linux"))))
                .data("agent", Map.of("name", "runner-2", "token", "shoal_agent_secret"))
                .data("paging", Pages.paging(1, 1, 50)).data("pagerBase", "/admin?").render();
        assertThat(html).contains("id=\"new-agent-token\" value=\"shoal_agent_secret\"").contains("Activate")
                .contains("<code>os=linux</code>").contains("action=\"/admin/agents/3/delete\"");
        assertThat(formsWithoutCsrf(html)).isEmpty();
    }

    @Test
    void aNewPullRequestChoosesAmongTheBranchesAndAConflictNamesItsFiles() {
        String form = pullNew.data("v", OWNER).data("org", "acme").data("repo", Map.of("name", "app"))
                .data("branches", List.of("main", "fix")).data("head", "fix").data("base", "main")
                .data("title", "<b>t</b>").data("body", null).data("problem", null).data("tab", "pulls").render();
        assertThat(form).contains("<option selected>fix</option>").contains("value=\"&lt;b&gt;t&lt;/b&gt;\"");
        assertThat(formsWithoutCsrf(form)).isEmpty();
        String one = pullNew.data("v", OWNER).data("org", "acme").data("repo", Map.of("name", "app"))
                .data("branches", List.of("main")).data("head", null).data("base", "main").data("problem", null).data("tab", "pulls").render();
        assertThat(one).contains("Push a branch").doesNotContain("id=\"pull-form\"");
        String conflict = pull.data("v", OWNER).data("org", "acme").data("repo", Map.of("name", "app"))
                .data("pull", Map.of("number", 2, "title", "x", "status", "open", "source_bookmark", "fix", "target_branch", "main", "html", ""))
                .data("comments", List.of()).data("diff", List.of()).data("cut", false).data("open", true)
                .data("problem", "The pull request was not merged: its branch conflicts").data("conflicts", List.of("README.md"))
                .data("tab", "pulls").render();
        assertThat(conflict).contains("id=\"merge-problem\"").contains("<li><code>README.md</code></li>").contains("No comments yet.");
    }

    @Test
    void anOrganizationsOwnersGetMemberFormsAndOthersOnlyTheList() {
        Map<String, Object> o = Map.of("name", "acme");
        List<Map<String, Object>> members = List.of(Map.of("user", Map.of("username", "ada"), "role", "owner"));
        String owner = org.data("v", OWNER).data("org", o).data("repos", List.of()).data("members", members)
                .data("member", true).data("owner", true).render();
        assertThat(owner).contains("action=\"/acme/-/members\"").contains("action=\"/acme/-/members/ada/remove\"").contains("id=\"org-new-repo\"");
        assertThat(formsWithoutCsrf(owner)).isEmpty();
        String member = org.data("v", OWNER).data("org", o).data("repos", List.of()).data("members", members)
                .data("member", true).data("owner", false).render();
        assertThat(member).contains("id=\"member-list\"").doesNotContain("action=\"/acme/-/members\"");
        String visitor = org.data("v", new Visitor(null, null, null)).data("org", o).data("repos", List.of()).data("members", List.of())
                .data("member", false).data("owner", false).render();
        assertThat(visitor).doesNotContain("member-list").doesNotContain("org-new-repo");
    }

    @Test
    void releasesLinkTheirAssetsThroughThisSite() {
        String html = releases.data("v", OWNER).data("org", "acme").data("repo", Map.of("name", "app"))
                .data("items", List.of(Map.of("id", 5, "tag_name", "v1", "name", "First", "draft", false, "prerelease", false,
                        "assets", List.of(Map.of("id", 8, "name", "app.tar.gz", "size", 10, "content_type", "application/gzip")))))
                .data("paging", Pages.paging(1, 1, 50)).data("pagerBase", "?").data("tab", "releases").render();
        assertThat(html).contains("href=\"/acme/app/releases/5/assets/8\"").contains("app.tar.gz");
    }
}
