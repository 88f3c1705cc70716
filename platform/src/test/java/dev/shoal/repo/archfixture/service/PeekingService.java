package dev.shoal.repo.archfixture.service;

import dev.shoal.issue.archfixture.IssueThing;

/** Test fixture for {@code ArchitectureRulesTest}: repo-service code that imports issue-service's class. */
public class PeekingService {

    public String peek() {
        return IssueThing.name();
    }
}
