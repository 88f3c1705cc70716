package dev.shoal.gateway.access;

/** What a verified clone credential allows: fetching one repository's git data, for one pipeline. */
public record CloneGrant(long repoId, long pipelineId) {
}
