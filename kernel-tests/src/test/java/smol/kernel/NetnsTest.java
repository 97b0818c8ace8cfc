package smol.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import smol.testsupport.Netns;

/** The namespaces the kernel tests stand in: private, with their own loopback, and gone afterwards. */
class NetnsTest {

    @BeforeEach
    void needsRoot() {
        Netns.requireRootAndTun();
    }

    @Test
    void aNamespaceHasOnlyItsOwnLoopbackAndIsDeletedOnClose() {
        Netns ns = Netns.create("ns");
        try {
            assertThat(ns.name()).startsWith("smol-ns-");
            assertThat(Files.exists(ns.path())).isTrue();
            String links = ns.check("ip", "-o", "link", "show");
            assertThat(links.lines()).hasSize(1).allMatch(l -> l.contains(": lo:"));
            assertThat(ns.run("ping", "-c", "1", "-W", "2", "127.0.0.1").exit()).isZero();
        } finally {
            ns.close();
        }
        assertThat(Files.exists(ns.path())).isFalse();
    }
}
