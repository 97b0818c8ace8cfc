package smol.osgitests;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.test.common.annotation.InjectBundleContext;
import org.osgi.test.common.annotation.InjectService;
import org.osgi.test.junit5.context.BundleContextExtension;
import org.osgi.test.junit5.service.ServiceExtension;
import smol.testsupport.Netns;

/**
 * Stopping and starting the TAP bundle while a TAP is configured and open leaks nothing: each stop closes the
 * device (its descriptor and its eventfd) and each start opens it again, and no thread outlives its cycle.
 * Needs root and {@code /dev/net/tun}; skipped, saying so, without.
 */
@ExtendWith({BundleContextExtension.class, ServiceExtension.class})
class DeviceBundleLeakTest {
    static final String TAP_BUNDLE = "smol.phy.tap";
    static final int CYCLES = 50;

    @InjectBundleContext
    BundleContext context;

    @InjectService(timeout = 10_000)
    ConfigurationAdmin configAdmin;

    DeviceServices services;
    Netns ns;
    Bundle tapBundle;

    @BeforeEach
    void setUp() {
        Netns.requireRootAndTun();
        services = new DeviceServices(context, configAdmin);
        ns = Netns.create("oleak");
        tapBundle = Arrays.stream(context.getBundles()).filter(b -> TAP_BUNDLE.equals(b.getSymbolicName()))
                .findFirst().orElseThrow(() -> new AssertionError("no bundle " + TAP_BUNDLE + " installed"));
    }

    @AfterEach
    void tearDown() throws Exception {
        try {
            if (tapBundle != null && tapBundle.getState() != Bundle.ACTIVE) {
                tapBundle.start();
            }
            if (services != null) {
                services.deleteConfigurations("tap-cycled");
            }
        } finally {
            if (ns != null) {
                ns.close();
            }
        }
    }

    @Test
    void stoppingAndStartingTheTapBundleFiftyTimesLeavesNoThreadOrDescriptorBehind() throws Exception {
        services.configure("smol.phy.tap", "tap-cycled",
                Map.of("interface", "smoltap9", "netns", ns.name(), "name", "tap-cycled"));
        services.awaitDevice("tap-cycled");
        // A couple of cycles first, so that whatever the framework makes once, on first use, exists before
        // the count: what is counted is what each cycle adds.
        for (int i = 0; i < 2; i++) {
            cycle();
        }
        int threadsBefore = threadNames().size();
        int descriptorsBefore = openDescriptors().size();
        Set<String> threadNamesBefore = threadNames();
        List<String> descriptorsBeforeList = openDescriptors();

        for (int i = 0; i < CYCLES; i++) {
            cycle();
        }

        // Threads and descriptors of the last cycle may take a moment to end: wait for the counts to settle.
        DeviceServices.awaitUntil(() -> threadNames().size() <= threadsBefore,
                () -> "the threads to come back to " + threadsBefore + " after " + CYCLES + " cycles; new: "
                        + minus(threadNames(), threadNamesBefore));
        DeviceServices.awaitUntil(() -> openDescriptors().size() <= descriptorsBefore,
                () -> "the open descriptors to come back to " + descriptorsBefore + " after " + CYCLES
                        + " cycles; before: " + descriptorsBeforeList + ", now: " + openDescriptors());
        assertThat(services.devices("tap-cycled")).hasSize(1);
        assertThat(ns.check("ip", "link", "show", "smoltap9")).contains("smoltap9");
    }

    /** Stops the TAP bundle, waits for its device to go, starts it and waits for the device to come back. */
    void cycle() throws Exception {
        tapBundle.stop();
        DeviceServices.awaitUntil(() -> services.devices("tap-cycled").isEmpty(),
                () -> "the TAP device to go away with its stopped bundle");
        tapBundle.start();
        services.awaitDevice("tap-cycled");
    }

    /** Names and ids of the live threads of this JVM. */
    static Set<String> threadNames() {
        Set<String> names = new TreeSet<>();
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            names.add(t.getName() + "#" + t.getId());
        }
        return names;
    }

    /** What this process's descriptors point to, one entry per open descriptor. */
    static List<String> openDescriptors() {
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.map(fd -> {
                try {
                    return fd.getFileName() + "->" + Files.readSymbolicLink(fd);
                } catch (IOException closedMeanwhile) {
                    // the descriptor listing the directory, or one closed while listing
                    return fd.getFileName() + "->?";
                }
            }).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list /proc/self/fd", e);
        }
    }

    static Set<String> minus(Set<String> now, Set<String> before) {
        Set<String> added = new TreeSet<>(now);
        added.removeAll(before);
        return added;
    }
}
