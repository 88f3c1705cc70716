package dev.shoal.repo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.shoal.platform.testing.ShoalTestResources;
import dev.shoal.repo.support.Fixtures;
import dev.shoal.repo.support.Git;
import dev.shoal.repo.support.RepoStorageResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(value = ShoalTestResources.class, initArgs = @ResourceArg(name = "database", value = "repo_test"))
@QuarkusTestResource(RepoStorageResource.class)
class GitHttpTest {

    @Test
    void cloneEmptyPushBranchesAndCloneAgain() {
        String org = Fixtures.uniqueOrg("git");
        String token = Fixtures.owner(10);
        Fixtures.createRepo(token, org, "app", false);
        Git git = new Git(token);
        Path work = Git.tempDir();
        Git.Result clone = git.run(work, "clone", Fixtures.url(org, "app"), "app");
        assertThat(clone.exit()).as(clone.out()).isZero();
    }
}
