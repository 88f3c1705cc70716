package dev.shoal.pipeline.settings;

import static dev.shoal.pipeline.support.Fixtures.asUser;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.hamcrest.Matchers.equalTo;

import dev.shoal.pipeline.pipeline.Trigger;
import dev.shoal.pipeline.pipeline.service.PipelineService;
import dev.shoal.pipeline.repo.Repo;
import dev.shoal.pipeline.settings.service.CiSettingsService;
import dev.shoal.pipeline.support.Fixtures;
import dev.shoal.pipeline.support.GitRepos;
import dev.shoal.platform.error.ValidationException;
import dev.shoal.platform.testing.ShoalTestResources;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The CI settings decide which events start pipelines and which file they read. */
@QuarkusTest
@QuarkusTestResource(value = ShoalTestResources.class, initArgs = @ResourceArg(name = "database", value = "pipeline_test"))
class CiSettingsTest {

    private static final Duration WAIT = Duration.ofSeconds(20);

    @Inject
    Fixtures fixtures;

    @Inject
    CiSettingsService settings;

    @Inject
    PipelineService pipelines;

    @Test
    void aRepositoryNeverConfiguredHasTheDefaults() {
        Repo repo = fixtures.repo("settings", "fresh");
        CiSettings fresh = settings.get(repo.id()).await().atMost(WAIT);
        assertThat(fresh).isEqualTo(CiSettings.defaults(repo.id()));
        assertThat(fresh.allows("push")).isTrue();
        assertThat(fresh.allows("deployment")).isFalse();
        assertThat(fresh.needsApproval("push", true)).isTrue();
        assertThat(fresh.needsApproval("push", false)).isFalse();
    }

    @Test
    void switchedOffEventsStartNothingAndTheConfiguredFileIsRead() {
        Repo repo = fixtures.repo("settings", "configured");
        String sha = GitRepos.commit(repo, "main", Map.of(
                ".shoal.yml", Fixtures.shoalYml("settings-default", "  default:\n    commands: [echo default]\n"),
                "ci/build.yml", Fixtures.shoalYml("settings-custom", "  custom:\n    commands: [echo custom]\n")));
        CiSettings saved = settings.update(repo.id(), CiSettingsPatch.builder().allowTags(false).configFile("ci/build.yml")
                .timeoutMinutes(90).trustedNetwork(true).build()).await().atMost(WAIT);
        assertThat(saved.allowTags()).isFalse();
        assertThat(saved.timeoutMinutes()).isEqualTo(90);
        assertThat(saved.trusted()).isEqualTo(new CiSettings.Trusted(true, false, false));
        // A second patch changes only what it names.
        CiSettings again = settings.update(repo.id(), CiSettingsPatch.builder().requireApproval("all_events").build())
                .await().atMost(WAIT);
        assertThat(again.configFile()).isEqualTo("ci/build.yml");
        assertThat(again.timeoutMinutes()).isEqualTo(90);

        var tag = pipelines.createFromCommit(repo, new Trigger("tag", "v1", "refs/tags/v1", sha, 5L, "chris", false))
                .await().atMost(WAIT);
        assertThat(tag).isEmpty();
        var push = pipelines.createFromCommit(repo, new Trigger("push", "main", "refs/heads/main", sha, 5L, "chris", false))
                .await().atMost(WAIT);
        assertThat(push).isPresent();
        asUser().get("/api/v1/repos/settings/configured/pipelines/" + push.get().number()).then().statusCode(200)
                .body("steps[0].name", equalTo("custom"));
    }

    @Test
    void anInactiveRepositoryRefusesManualPipelinesWithAReason() {
        Repo repo = fixtures.repo("settings", "inactive");
        GitRepos.commit(repo, "main", Map.of(".shoal.yml", Fixtures.shoalYml("settings-inactive", "  a:\n    commands: [true]\n")));
        settings.update(repo.id(), CiSettingsPatch.builder().active(false).build()).await().atMost(WAIT);
        asUser().contentType("application/json").body("{}").post("/api/v1/repos/settings/inactive/pipelines")
                .then().statusCode(422).body("error.code", equalTo("ci_inactive"));
    }

    @Test
    void badSettingsAreRefusedWithAnActionableMessage() {
        Repo repo = fixtures.repo("settings", "refused");
        assertThatThrownBy(() -> settings.update(repo.id(), CiSettingsPatch.builder().timeoutMinutes(0).build()))
                .isInstanceOf(ValidationException.class).hasMessageContaining("timeout must be between 1 and 1440");
        assertThatThrownBy(() -> settings.update(repo.id(), CiSettingsPatch.builder().configFile("../etc/passwd").build()))
                .isInstanceOf(ValidationException.class).hasMessageContaining("without '..'");
        assertThatThrownBy(() -> settings.update(repo.id(), CiSettingsPatch.builder().requireApproval("sometimes").build()))
                .isInstanceOf(ValidationException.class).hasMessageContaining("none, forks, pull_requests, all_events");
        assertThatThrownBy(() -> settings.update(repo.id(), CiSettingsPatch.builder()
                .cancelPreviousPipelineEvents(List.of("push", "nightly")).build()))
                .isInstanceOf(ValidationException.class).hasMessageContaining("'nightly'");
        assertThat(settings.get(repo.id()).await().atMost(WAIT)).isEqualTo(CiSettings.defaults(repo.id()));
    }
}
