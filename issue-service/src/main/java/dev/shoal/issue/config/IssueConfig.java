package dev.shoal.issue.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** issue-service settings; each key is overridable by its environment variable (SHOAL_ISSUE_...). */
@ConfigMapping(prefix = "shoal.issue")
public interface IssueConfig {

    /** Directory of a repository holding issue templates (Markdown files). */
    @WithDefault(".shoal/ISSUE_TEMPLATE")
    String templateDirectory();

    /** Templates read per listing; a repository with more gets the first ones by name. */
    @WithDefault("50")
    int maxTemplates();

    /** Larger template files are skipped rather than sent whole to every client. */
    @WithDefault("65536")
    int maxTemplateBytes();

    /** Largest unified diff returned by the pull request diff endpoint, in characters. */
    @WithDefault("5000000")
    int maxDiffChars();
}
