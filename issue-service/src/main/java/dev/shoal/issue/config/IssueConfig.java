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

    /**
     * Repository rows kept in memory ({@code RepoRowCache}: every issue and pull request request reads
     * its repository's row), each dropped when PostgreSQL announces its change; 0 turns the cache off.
     */
    @WithDefault("10000")
    int repoCacheMaxEntries();

    /** The issue list's page cache ({@code IssueListCache}). */
    ListCache listCache();

    interface ListCache {

        /**
         * Total size of the cached pages, counted as the characters of their JSON plus a small
         * overhead per page and per issue; 0 turns the cache off. 4 MiB holds some 400 pages of 30
         * short issues, the lists a small forge's people and bots poll; the memory is the service's
         * heap (issue 19: with 16 MiB the bench's random pages filled it, and issue-service ended the
         * load at 213 MiB RSS with 36 MiB of tenured heap in use, against 179 MiB before the cache;
         * the whole stack's goal is 1,144 MiB). Raise it for busy trackers.
         */
        @WithDefault("4194304")
        long maxBytes();

        /** Pages kept at most, however small. */
        @WithDefault("20000")
        int maxEntries();
    }
}
