package dev.shoal.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;

/**
 * The jars the launcher runs carry no signature files: the JVM verifies a signed jar's signature and
 * each class's digest as its classes load, and class-data sharing leaves signed jars out, so a signed
 * dependency is loaded and checked anew on every start (JGit's, signed by Eclipse, cost the first
 * clone after a start about 0.4 s; repo-service's application.properties removes the files).
 */
class PackagedJarsTest {

    private static final Pattern SIGNATURE = Pattern.compile("META-INF/[^/]+\\.(SF|RSA|DSA|EC)");

    private final Path root = Path.of(System.getProperty("shoal.root", "..")).toAbsolutePath().normalize();

    @Test
    void noPackagedJarIsSigned() throws IOException {
        // Every module the build packaged as a Quarkus application, whatever its name.
        List<Path> jars = new ArrayList<>();
        try (Stream<Path> modules = Files.list(root)) {
            for (Path lib : modules.map(m -> m.resolve("target/quarkus-app/lib")).filter(Files::isDirectory).toList()) {
                try (Stream<Path> files = Files.walk(lib)) {
                    files.filter(f -> f.toString().endsWith(".jar")).forEach(jars::add);
                }
            }
        }
        assumeTrue(!jars.isEmpty(), "no service is packaged (run the reactor build first)");
        assertThat(jars).as("the packaged jars").anyMatch(jar -> jar.getFileName().toString().contains("org.eclipse.jgit"));

        List<String> signed = new ArrayList<>();
        for (Path jar : jars) {
            try (ZipFile zip = new ZipFile(jar.toFile())) {
                zip.stream().map(entry -> entry.getName()).filter(name -> SIGNATURE.matcher(name).matches())
                        .forEach(name -> signed.add(root.relativize(jar) + "!" + name));
            }
        }
        assertThat(signed).as("signature files in packaged jars").isEmpty();
    }
}
