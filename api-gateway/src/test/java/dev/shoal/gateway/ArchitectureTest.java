package dev.shoal.gateway;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.junit.ArchTests;
import dev.shoal.gateway.access.AccessPolicy;
import dev.shoal.gateway.archfixture.access.PeekingPolicy;
import dev.shoal.gateway.compat.pagure.service.ProjectAccess;
import dev.shoal.gateway.compat.storage.StorageClaims;
import dev.shoal.platform.testing.arch.ArchitectureRules;
import org.junit.jupiter.api.Test;

/** The layering rules every service keeps, defined once in platform-testing. */
@AnalyzeClasses(packages = "dev.shoal.gateway", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

    @ArchTest
    static final ArchTests rules = ArchTests.in(ArchitectureRules.class);

    /**
     * No gateway class is exempt from native → compat any more: access code that reaches Pagure's
     * grants or Code Storage's claims itself fails (a test fixture), and {@link AccessPolicy}, asking
     * through its SPI, passes beside the compat classes that implement it.
     */
    @Test
    void nativeAccessCodeUsingACompatClassFails() {
        assertThatThrownBy(() -> ArchitectureRules.NATIVE_CODE_NEVER_DEPENDS_ON_COMPAT.check(new ClassFileImporter()
                .importClasses(PeekingPolicy.class, ProjectAccess.class, StorageClaims.class)))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("PeekingPolicy.mayRead(long, java.lang.String, long)> calls method "
                        + "<dev.shoal.gateway.compat.pagure.service.ProjectAccess.grant(long, java.lang.String, long)>")
                .hasMessageContaining("PeekingPolicy.covers(dev.shoal.gateway.compat.storage.StorageClaims, java.lang.String)> "
                        + "has parameter of type <dev.shoal.gateway.compat.storage.StorageClaims>");
        assertThatCode(() -> ArchitectureRules.NATIVE_CODE_NEVER_DEPENDS_ON_COMPAT.check(new ClassFileImporter()
                .withImportOption(new ImportOption.DoNotIncludeTests()).importPackages("dev.shoal.gateway.access", "dev.shoal.gateway.compat")))
                .doesNotThrowAnyException();
    }
}
