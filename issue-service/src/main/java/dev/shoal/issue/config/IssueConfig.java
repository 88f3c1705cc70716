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

    /** The issue list's page cache ({@code IssueListCache}). */
    ListCache listCache();

    interface ListCache {

        /**
         * Total size of the cached pages, counted as the characters of their JSON plus a small
         * overhead per page and per issue; 0 turns the cache off.
         */
        @WithDefault("16777216")
        long maxBytes();

        /** Pages kept at most, however small. */
        @WithDefault("20000")
        int maxEntries();
    }
}
