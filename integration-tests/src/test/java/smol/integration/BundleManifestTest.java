package smol.integration;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Checks the manifests of the bundles as built: the shared bnd settings (root bnd.bnd and cnf/) reach
 * every bundle, and API packages export with versions while internal packages stay private.
 */
class BundleManifestTest {

    static final List<String> BUNDLES = List.of(
            "smol.wire", "smol.phy", "smol.socket", "smol.iface", "smol.phy.tap", "smol.phy.raw", "smol.examples");

    static Stream<String> bundles() {
        return BUNDLES.stream();
    }

    /** Finds the bundle's jar on the test class path (the reactor puts the packaged jars there). */
    static Path jarOf(String bundle) {
        return Stream.of(System.getProperty("java.class.path").split(System.getProperty("path.separator")))
                .map(Path::of)
                .filter(p -> p.getFileName().toString().startsWith(bundle + "-") && p.toString().endsWith(".jar"))
                .findFirst()
                .orElseThrow(() -> new AssertionError(bundle + " jar is not on the test class path; run 'mvn verify' from the root"));
    }

    static Attributes manifest(String bundle) throws IOException {
        try (JarFile jar = new JarFile(jarOf(bundle).toFile())) {
            return jar.getManifest().getMainAttributes();
        }
    }

    @ParameterizedTest
    @MethodSource("bundles")
    void everyBundleNamesItselfAfterItsModule(String bundle) throws IOException {
        Attributes m = manifest(bundle);
        assertThat(m.getValue("Bundle-ManifestVersion")).isEqualTo("2");
        assertThat(m.getValue("Bundle-SymbolicName")).isEqualTo(bundle);
        assertThat(m.getValue("Bundle-Version")).startsWith("0.1.0");
    }

    @ParameterizedTest
    @MethodSource("bundles")
    void sharedSettingsFromCnfReachEveryBundle(String bundle) throws IOException {
        Attributes m = manifest(bundle);
        assertThat(m.getValue("Bundle-Vendor")).isEqualTo("smol");
        assertThat(m.getValue("Bundle-License")).contains("MIT").contains("Apache-2.0");
        assertThat(m.getValue("Bundle-Description")).startsWith("smol");
        // -noextraheaders: no build machine, tool or user in the manifest
        assertThat(m.getValue("Bnd-LastModified")).isNull();
        assertThat(m.getValue("Built-By")).isNull();
        try (JarFile jar = new JarFile(jarOf(bundle).toFile())) {
            assertThat(jar.getEntry("META-INF/LICENSE-MIT")).isNotNull();
            assertThat(jar.getEntry("META-INF/LICENSE-APACHE")).isNotNull();
        }
    }

    @ParameterizedTest
    @MethodSource("bundles")
    void exportsCarryVersionsAndInternalPackagesStayPrivate(String bundle) throws IOException {
        String exports = manifest(bundle).getValue("Export-Package");
        if (exports == null) {
            return; // a bundle that exports nothing has nothing to version
        }
        // split on commas outside quotes: a uses:="a,b" directive holds commas of its own
        for (String clause : exports.split(",(?=(?:[^\"]*\"[^\"]*\")*[^\"]*$)")) {
            assertThat(clause).as("export clause of " + bundle).contains("version=");
            assertThat(clause).as("export clause of " + bundle).doesNotContain(".internal");
        }
    }

    @org.junit.jupiter.api.Test
    void wireExportsItsApiAtThePackageInfoVersion() throws IOException {
        assertThat(manifest("smol.wire").getValue("Export-Package")).contains("smol.wire;version=\"0.2.0\"");
        // the core bundle depends on nothing but the JDK
        String imports = manifest("smol.wire").getValue("Import-Package");
        assertThat(imports == null ? List.of() : List.of(imports.split(",")))
                .allSatisfy(i -> assertThat(i).startsWith("java."));
    }

    @org.junit.jupiter.api.Test
    void phyNeedsOnlyTheFrameworkAndTheDsExtenderBesideTheJdk() throws IOException {
        Attributes m = manifest("smol.phy");
        assertThat(m.getValue("Export-Package")).contains("smol.phy;version=\"0.4.0\"");
        // the DS component (private) needs org.osgi.framework; the annotations leave nothing behind
        assertThat(List.of(m.getValue("Import-Package").split(",(?=(?:[^\"]*\"[^\"]*\")*[^\"]*$)")))
                .allSatisfy(i -> assertThat(i).matches("(java\\.|smol\\.|org\\.osgi\\.framework;).*"));
        assertThat(m.getValue("Require-Capability")).contains("(osgi.extender=osgi.component)");
        assertThat(m.getValue("Service-Component")).contains("smol.phy.internal.LoopbackComponent")
                .contains("smol.phy.internal.CableComponent");
    }

    @org.junit.jupiter.api.Test
    void ifaceImportsOnlyTheFrameworkTheLogServiceAndJmxBesideTheStackAndDeclaresTheServicesItRegisters() throws IOException {
        Attributes m = manifest("smol.iface");
        assertThat(m.getValue("Export-Package")).contains("smol.iface;version=\"0.5.0\"");
        assertThat(List.of(m.getValue("Import-Package").split(",(?=(?:[^\"]*\"[^\"]*\")*[^\"]*$)")))
                .allSatisfy(i -> assertThat(i).matches("(java\\.|javax\\.management$|smol\\.|org\\.osgi\\.framework;|org\\.osgi\\.service\\.log;).*"));
        assertThat(m.getValue("Service-Component")).contains("smol.iface.internal.InterfaceComponent");
        assertThat(m.getValue("Provide-Capability")).contains("smol.iface.SocketSetService")
                .contains("smol.iface.InterfaceService");
    }

    @org.junit.jupiter.api.Test
    void examplesImportsGogoOnlyOptionallySoThatItResolvesWithoutAShell() throws IOException {
        Attributes m = manifest("smol.examples");
        List<String> imports = List.of(m.getValue("Import-Package").split(",(?=(?:[^\"]*\"[^\"]*\")*[^\"]*$)"));
        assertThat(imports).filteredOn(i -> i.startsWith("org.apache.felix."))
                .singleElement().satisfies(i -> assertThat(i).startsWith("org.apache.felix.service.command;")
                        .contains("resolution:=optional"));
        assertThat(m.getValue("Service-Component")).contains("smol.examples.internal.shell.PingCommand")
                .contains("smol.examples.internal.shell.StackCommands")
                .contains("smol.examples.internal.shell.TcpdumpCommand");
    }

    @org.junit.jupiter.api.Test
    void theRepositoryCarriesBothLicenses() {
        Path root = Path.of("..").toAbsolutePath().normalize();
        assertThat(Files.exists(root.resolve("LICENSE-MIT"))).isTrue();
        assertThat(Files.exists(root.resolve("LICENSE-APACHE"))).isTrue();
    }
}
