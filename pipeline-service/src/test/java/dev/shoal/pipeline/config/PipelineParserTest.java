package dev.shoal.pipeline.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PipelineParserTest {

    @Test
    void shoalFileWithStepMapAndFilters() throws Exception {
        String yaml = """
                when:
                  branch: [main, release/*]
                steps:
                  build:
                    image: golang:1.26
                    commands:
                      - go build ./...
                    environment:
                      CGO_ENABLED: "0"
                      TOKEN:
                        from_secret: deploy_token
                  notify:
                    image: alpine
                    commands: echo failed
                    when:
                      status: [failure]
                  docs:
                    commands: [make docs]
                    when:
                      event: tag
                """;
        PipelineDefinition def = PipelineParser.parse(".shoal.yml", yaml);
        assertThat(def.dialect()).isEqualTo("shoal");
        assertThat(def.steps()).extracting(StepSpec::name).containsExactly("build", "notify", "docs");
        StepSpec build = def.steps().get(0);
        assertThat(build.environment()).containsExactly(Map.entry("CGO_ENABLED", "0"));
        assertThat(build.secrets()).containsExactly(Map.entry("TOKEN", "deploy_token"));
        assertThat(build.line()).isEqualTo(5);

        List<CompiledStep> onMain = PipelineCompiler.compile(def, "push", "main");
        assertThat(onMain).extracting(CompiledStep::name).containsExactly("build", "notify");
        assertThat(onMain.get(0).runOn()).containsExactly("success");
        assertThat(onMain.get(1).runOn()).containsExactly("failure");
        assertThat(onMain).extracting(CompiledStep::number).containsExactly(1, 2);

        assertThat(PipelineCompiler.compile(def, "push", "release/1.0")).hasSize(2);
        assertThat(PipelineCompiler.compile(def, "push", "release/1.0/x")).isEmpty();
        assertThat(PipelineCompiler.compile(def, "push", "feature")).isEmpty();
        assertThat(PipelineCompiler.compile(def, "tag", "v1.0")).extracting(CompiledStep::name)
                .containsExactly("build", "notify", "docs");
    }

    @Test
    void woodpeckerStepListWithSecretsDependsOnAndExclude() throws Exception {
        String yaml = """
                steps:
                  - name: deploy
                    image: alpine
                    commands: [./deploy.sh]
                    secrets: [docker_password, {source: api_key, target: KEY}]
                    depends_on: [test]
                    when:
                      - branch:
                          exclude: [wip/**]
                        event: [push, manual]
                  - name: test
                    image: node:22
                    commands:
                      - npm ci
                      - npm test
                """;
        PipelineDefinition def = PipelineParser.parse(".woodpecker.yml", yaml);
        assertThat(def.dialect()).isEqualTo("woodpecker");
        // depends_on puts test first.
        assertThat(def.steps()).extracting(StepSpec::name).containsExactly("test", "deploy");
        assertThat(def.steps().get(1).secrets())
                .containsExactly(Map.entry("DOCKER_PASSWORD", "docker_password"), Map.entry("KEY", "api_key"));
        assertThat(PipelineCompiler.compile(def, "push", "main")).extracting(CompiledStep::name)
                .containsExactly("test", "deploy");
        assertThat(PipelineCompiler.compile(def, "push", "wip/a/b")).extracting(CompiledStep::name)
                .containsExactly("test");
        assertThat(PipelineCompiler.compile(def, "cron", "main")).extracting(CompiledStep::name)
                .containsExactly("test");
        assertThat(PipelineCompiler.compile(def, "push", "main").get(1).dependsOn()).containsExactly("test");
    }

    @Test
    void woodpeckerDirectoryIsTheUnionOfWorkflows() throws Exception {
        PipelineDefinition def = PipelineParser.parseWorkflows(Map.of(
                ".woodpecker/b-lint.yaml", "steps:\n  lint:\n    image: alpine\n    commands: [echo lint]\n",
                ".woodpecker/a-test.yaml", "when:\n  event: push\nsteps:\n  test:\n    image: alpine\n    commands: [echo test]\n"));
        assertThat(def.steps()).extracting(StepSpec::name).containsExactly("a-test/test", "b-lint/lint");
        assertThat(PipelineCompiler.compile(def, "manual", "main")).extracting(CompiledStep::name)
                .containsExactly("b-lint/lint");
    }

    @Test
    void droneFileSkipsNonPipelineDocumentsAndReadsTrigger() throws Exception {
        String yaml = """
                kind: pipeline
                type: docker
                name: default
                platform:
                  os: linux
                  arch: amd64
                trigger:
                  branch:
                    include: [main]
                  event:
                    exclude: [pull_request]
                steps:
                - name: test
                  image: golang
                  environment:
                    - GOFLAGS=-mod=vendor
                  commands:
                  - go test ./...
                - name: publish
                  image: plugins/docker
                  environment:
                    PASSWORD:
                      from_secret: docker_password
                  when:
                    event: [tag, custom]
                ---
                kind: secret
                name: docker_password
                get:
                  path: secret/docker
                """;
        PipelineDefinition def = PipelineParser.parse(".drone.yml", yaml);
        assertThat(def.dialect()).isEqualTo("drone");
        assertThat(def.platform()).isEqualTo("linux/amd64");
        assertThat(def.steps()).extracting(StepSpec::name).containsExactly("test", "publish");
        assertThat(def.steps().get(0).environment()).containsEntry("GOFLAGS", "-mod=vendor");
        assertThat(def.steps().get(1).secrets()).containsEntry("PASSWORD", "docker_password");
        assertThat(PipelineCompiler.compile(def, "push", "main")).extracting(CompiledStep::name).containsExactly("test");
        assertThat(PipelineCompiler.compile(def, "manual", "main")).extracting(CompiledStep::name)
                .containsExactly("test", "publish");
        assertThat(PipelineCompiler.compile(def, "pull_request", "main")).isEmpty();
        assertThat(PipelineCompiler.compile(def, "push", "dev")).isEmpty();
    }

    @Test
    void yamlSyntaxErrorCarriesTheLine() {
        String yaml = "steps:\n  build:\n    image: alpine\n    commands: [echo hi\n  test:\n    image: x\n";
        assertThatThrownBy(() -> PipelineParser.parse(".shoal.yml", yaml))
                .isInstanceOfSatisfying(PipelineConfigException.class, e -> {
                    assertThat(e.line()).isBetween(4, 6);
                    assertThat(e.getMessage()).startsWith(".shoal.yml:" + e.line() + ": invalid YAML");
                });
    }

    @Test
    void semanticErrorsCarryTheLine() {
        assertThatThrownBy(() -> PipelineParser.parse(".shoal.yml",
                "steps:\n  a:\n    image: alpine\n    commands: [x]\n  b:\n    environment: {A: b}\n"))
                .isInstanceOfSatisfying(PipelineConfigException.class, e -> {
                    assertThat(e.line()).isEqualTo(6);
                    assertThat(e.problem()).contains("step 'b' needs an 'image' or 'commands'");
                });
        assertThatThrownBy(() -> PipelineParser.parse(".shoal.yml",
                "steps:\n  a:\n    commands: [x]\n    depends_on: [nope]\n"))
                .isInstanceOfSatisfying(PipelineConfigException.class, e -> {
                    assertThat(e.line()).isEqualTo(3);
                    assertThat(e.problem()).contains("depends on 'nope'");
                });
        assertThatThrownBy(() -> PipelineParser.parse(".shoal.yml",
                "steps:\n  a:\n    commands: [x]\n    depends_on: b\n  b:\n    commands: [y]\n    depends_on: a\n"))
                .isInstanceOfSatisfying(PipelineConfigException.class, e -> assertThat(e.problem()).contains("cycle"));
        assertThatThrownBy(() -> PipelineParser.parse(".shoal.yml", "steps:\n  a:\n    commands: [x]\n    when:\n      status: maybe\n"))
                .isInstanceOfSatisfying(PipelineConfigException.class, e -> assertThat(e.line()).isEqualTo(5));
        assertThatThrownBy(() -> PipelineParser.parse(".drone.yml", "kind: secret\nname: x\n"))
                .isInstanceOfSatisfying(PipelineConfigException.class, e -> assertThat(e.problem()).contains("kind: pipeline"));
        assertThatThrownBy(() -> PipelineParser.parse(".shoal.yml", "- just\n- a list\n"))
                .isInstanceOfSatisfying(PipelineConfigException.class, e -> assertThat(e.line()).isEqualTo(1));
    }

    @Test
    void aliasBombsAreRefused() {
        StringBuilder yaml = new StringBuilder("a0: &a0 [x, x]\n");
        for (int i = 1; i < 40; i++) {
            yaml.append("a").append(i).append(": &a").append(i).append(" [*a").append(i - 1).append(", *a").append(i - 1).append("]\n");
        }
        yaml.append("steps:\n  s:\n    commands: [x]\n");
        assertThatThrownBy(() -> PipelineParser.parse(".shoal.yml", yaml.toString()))
                .isInstanceOf(PipelineConfigException.class);
    }

    @Test
    void globs() {
        assertThat(Constraint.glob("release/*", "release/1")).isTrue();
        assertThat(Constraint.glob("release/*", "release/1/2")).isFalse();
        assertThat(Constraint.glob("release/**", "release/1/2")).isTrue();
        assertThat(Constraint.glob("{main,dev}", "dev")).isTrue();
        assertThat(Constraint.glob("v[0-9].?", "v1.x")).isTrue();
        assertThat(Constraint.glob("a.b", "aXb")).isFalse();
    }
}
