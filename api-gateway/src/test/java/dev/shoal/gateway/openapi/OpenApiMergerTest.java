package dev.shoal.gateway.openapi;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class OpenApiMergerTest {

    private final ObjectMapper mapper = new ObjectMapper();

    @Test
    void keepsPublicPathsTagsThemAndRenamesClashingSchemasWithTheirReferences() throws Exception {
        JsonNode repo = mapper.readTree("""
                {"paths": {"/api/v1/repos/{org}/{repo}": {"get": {"responses": {"200": {"content": {"application/json":
                   {"schema": {"$ref": "#/components/schemas/View"}}}}}}},
                 "/internal/repos/{id}": {"get": {}}},
                 "components": {"schemas": {"View": {"type": "object", "properties": {"name": {"type": "string"}}}}}}""");
        JsonNode issue = mapper.readTree("""
                {"paths": {"/api/v1/repos/{org}/{repo}/issues": {"get": {"responses": {"200": {"content": {"application/json":
                   {"schema": {"type": "array", "items": {"$ref": "#/components/schemas/View"}}}}}}}},
                 "/q/health": {"get": {}}},
                 "components": {"schemas": {"View": {"type": "object", "properties": {"title": {"type": "string"}}},
                                            "Same": {"type": "string"}}}}""");
        JsonNode merged = new OpenApiMerger(mapper, "1", "http://forge").add("repo", repo).add("issue", issue).document();

        assertThat(merged.path("paths").has("/internal/repos/{id}")).isFalse();
        assertThat(merged.path("paths").has("/q/health")).isFalse();
        assertThat(merged.at("/paths/~1api~1v1~1repos~1{org}~1{repo}/get/tags/0").asText()).isEqualTo("repo");
        assertThat(merged.at("/components/schemas/View/properties").has("name")).isTrue();
        assertThat(merged.at("/components/schemas/issue_View/properties").has("title")).isTrue();
        assertThat(merged.at("/paths/~1api~1v1~1repos~1{org}~1{repo}~1issues/get/responses/200/content/application~1json/schema/items/$ref")
                .asText()).isEqualTo("#/components/schemas/issue_View");
        assertThat(merged.at("/servers/0/url").asText()).isEqualTo("http://forge");
    }
}
