package dev.shoal.repo.archfixture.repository;

/** Test fixture for {@code ArchitectureRulesTest}: a repository. */
public class ThingRepository {

    public String find() {
        return "thing";
    }
}
