package dev.shoal.repo.archfixture.service;

import dev.shoal.repo.archfixture.compat.dialect.DialectAdapter;

/** Test fixture for {@code ArchitectureRulesTest}: a native service that knows a dialect. */
public class NativeService {

    public String describe(String value) {
        return DialectAdapter.shape(value);
    }
}
