package smol.osgitests;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Hashtable;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.log.Logger;
import org.osgi.service.log.LoggerFactory;
import org.osgi.test.common.annotation.InjectService;
import org.osgi.test.junit5.service.ServiceExtension;

/**
 * The console log of smol.examples (PID {@code smol.log}): runs with nothing configured, prints each OSGi
 * log entry at or above its level to standard output in one line, and sets the Log Service's root level.
 * Standard output is captured by a stream that also passes everything on.
 */
@ExtendWith(ServiceExtension.class)
class ConsoleLogTest {
    static final String PID = "smol.log";
    static final Duration TIMEOUT = Duration.ofSeconds(30);

    @InjectService(timeout = 10_000)
    ConfigurationAdmin configAdmin;

    @InjectService(timeout = 10_000)
    LoggerFactory loggers;

    final Captured out = new Captured();
    PrintStream original;
    Logger logger;
    final String id = UUID.randomUUID().toString();

    @BeforeEach
    void captureStandardOutput() {
        original = System.out;
        System.setOut(new PrintStream(new Tee(original, out), true, StandardCharsets.UTF_8));
        logger = loggers.getLogger("smol.osgitests.console");
    }

    @AfterEach
    void restoreStandardOutputAndLevel() throws Exception {
        System.setOut(original);
        Configuration c = configAdmin.getConfiguration(PID, "?");
        if (c.getProperties() != null) {
            c.delete();
        }
        awaitUntil(logger::isInfoEnabled, () -> "INFO to be enabled again with the console's default");
    }

    @Test
    void withNothingConfiguredAnInfoEntryIsPrintedInOneLineWithTimeLevelBundleAndLogger() throws Exception {
        awaitUntil(logger::isInfoEnabled, () -> "the console log to set the root level to INFO");

        logger.info("console check " + id);

        Pattern line = Pattern.compile("(?m)^\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z INFO  osgi-tests"
                + " smol\\.osgitests\\.console: console check " + id + "$");
        awaitUntil(() -> line.matcher(out.text()).find(), () -> "the line of the entry; printed: " + out.text());
    }

    @Test
    void atWarnAnInfoEntryIsNeitherEnabledNorPrintedWhileAWarningIs() throws Exception {
        configAdmin.getConfiguration(PID, "?").update(new Hashtable<>(java.util.Map.of("level", "WARN")));
        awaitUntil(() -> !logger.isInfoEnabled(), () -> "the root level to become WARN");

        logger.info("hidden " + id);
        logger.warn("shown " + id);

        awaitUntil(() -> out.text().contains("WARN  osgi-tests smol.osgitests.console: shown " + id),
                () -> "the warning to be printed; printed: " + out.text());
        assertThat(out.text()).doesNotContain("hidden " + id);
    }

    @Test
    void anEntrysExceptionFollowsItsLineWithItsStackTrace() throws Exception {
        logger.error("failing " + id, new IllegalStateException("boom " + id));

        Pattern entry = Pattern.compile("ERROR osgi-tests smol\\.osgitests\\.console: failing " + id
                + "\\R" + "java\\.lang\\.IllegalStateException: boom " + id + "\\R\\tat ");
        awaitUntil(() -> entry.matcher(out.text()).find(), () -> "the entry and its stack trace; printed: " + out.text());
    }

    /** What standard output received since the test began. */
    static final class Captured extends ByteArrayOutputStream {
        synchronized String text() {
            return toString(StandardCharsets.UTF_8);
        }
    }

    /** Writes everything to both streams. */
    static final class Tee extends OutputStream {
        private final OutputStream first;
        private final OutputStream second;

        Tee(OutputStream first, OutputStream second) {
            this.first = first;
            this.second = second;
        }

        @Override
        public void write(int b) throws java.io.IOException {
            first.write(b);
            second.write(b);
        }

        @Override
        public void write(byte[] b, int off, int len) throws java.io.IOException {
            first.write(b, off, len);
            second.write(b, off, len);
        }

        @Override
        public void flush() throws java.io.IOException {
            first.flush();
            second.flush();
        }
    }

    interface Check {
        boolean holds() throws Exception;
    }

    static void awaitUntil(Check check, Supplier<String> what) throws Exception {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (!check.holds()) {
            if (System.nanoTime() >= deadline) {
                throw new AssertionError("waited " + TIMEOUT + " for " + what.get());
            }
            Thread.sleep(10);
        }
    }
}
