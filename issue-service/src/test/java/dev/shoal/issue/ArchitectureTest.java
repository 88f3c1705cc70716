package dev.shoal.issue;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.junit.ArchTests;
import dev.shoal.platform.testing.arch.ArchitectureRules;

/** The layering rules every service keeps, defined once in platform-testing. */
@AnalyzeClasses(packages = "dev.shoal.issue", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

    @ArchTest
    static final ArchTests rules = ArchTests.in(ArchitectureRules.class);
}
