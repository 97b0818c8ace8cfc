package smol.examples.internal;

import java.io.PrintStream;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.osgi.framework.Bundle;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.log.LogEntry;
import org.osgi.service.log.LogLevel;
import org.osgi.service.log.LogListener;
import org.osgi.service.log.LogReaderService;
import org.osgi.service.log.Logger;
import org.osgi.service.log.LoggerFactory;
import org.osgi.service.log.admin.LoggerAdmin;
import org.osgi.service.log.admin.LoggerContext;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * Writes the OSGi log to standard output: every entry at or above the configured level, as it is logged,
 * in one line (followed by the exception's stack trace, when the entry has one):
 * {@code 2026-11-30T02:21:33.123Z INFO  org.example.bundle org.example.Logger: the message}, that is the
 * time (UTC, ISO 8601), the level padded to 5, the bundle's symbolic name ({@code -} without one), the
 * logger's name, a colon and the message. Standard output is looked up at each entry ({@link System#out}).
 *
 * <p>PID {@value #PID}, one optional configuration: with none the component runs at INFO. It also sets the
 * root level of the Log Service's {@link LoggerAdmin} (the framework's root logger context) to the same
 * level, so that {@code isInfoEnabled()} and the like follow it, and entries below it are not even made;
 * a deactivation puts back the root level found at activation (the context's other levels are left as
 * they are then). A configuration of the Log Service itself
 * (PID {@code org.osgi.service.log.admin}) that arrives later overrides that level.
 *
 * <p>The Log Service delivers entries to listeners on a thread of its own, in order; printing happens
 * there, one entry at a time. A deactivation logs {@value #LAST_LINE} at AUDIT and waits (at most
 * {@value #DRAIN_MILLIS} ms) until it is printed, so that what was logged before it — the rest of the
 * framework stopping, when the runtime ends — is printed rather than dropped with the listener.
 */
@Component(configurationPid = ConsoleLogComponent.PID, configurationPolicy = ConfigurationPolicy.OPTIONAL,
        service = {}, immediate = true)
@Designate(ocd = ConsoleLogComponent.Config.class)
public final class ConsoleLogComponent {
    /** The PID of the console log's configuration. */
    public static final String PID = "smol.log";
    /** The message of the last line printed, at AUDIT, when the console log stops. */
    static final String LAST_LINE = "console log stopped";
    /** How long a deactivation waits for the entries logged before it to be printed. */
    static final long DRAIN_MILLIS = 1000;

    /** The levels an operator chooses from; AUDIT entries are printed at every level. */
    enum Level {
        ERROR, WARN, INFO, DEBUG, TRACE
    }

    @ObjectClassDefinition(name = "smol console log",
            description = "Writes the OSGi log to standard output and sets the root log level")
    @interface Config {
        @AttributeDefinition(description = "The lowest level printed, also the root level of the Log Service")
        Level level() default Level.INFO;
    }

    @Reference
    private LogReaderService reader;

    @Reference
    private LoggerAdmin loggerAdmin;

    @Reference(service = LoggerFactory.class)
    private Logger logger;

    /** The time of an entry, always to the millisecond (an {@link Instant}'s own text drops zero fractions). */
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'")
            .withZone(ZoneOffset.UTC);

    private final LogListener listener = this::print;
    private volatile LogLevel level;
    /** Counted down when the last line is printed; set by a deactivation. */
    private volatile CountDownLatch lastLinePrinted;
    /** The root context's own root level at activation, null when it had none (the default then applies). */
    private LogLevel previousRootLevel;

    /** Creates the component; SCR calls this, sets the references, then {@link #activate}. */
    public ConsoleLogComponent() {}

    /** Sets the level, then starts printing. */
    @Activate
    void activate(Config config) {
        previousRootLevel = rootContext().getLogLevels().get(Logger.ROOT_LOGGER_NAME);
        apply(config);
        reader.addLogListener(listener);
    }

    /** Changes the level printed and the root level, without missing an entry. */
    @Modified
    void modified(Config config) {
        apply(config);
    }

    /** Prints what was logged until now, stops printing and puts back the root level found at activation. */
    @Deactivate
    void deactivate() throws InterruptedException {
        CountDownLatch printed = new CountDownLatch(1);
        lastLinePrinted = printed;
        logger.audit(LAST_LINE);
        printed.await(DRAIN_MILLIS, TimeUnit.MILLISECONDS);
        reader.removeLogListener(listener);
        setRootLevel(previousRootLevel);
    }

    private void apply(Config config) {
        LogLevel chosen = LogLevel.valueOf(config.level().name());
        level = chosen;
        setRootLevel(chosen);
    }

    /** Sets the root level of the root context ({@code null}: none, the default), keeping its other levels. */
    private void setRootLevel(LogLevel rootLevel) {
        LoggerContext root = rootContext();
        Map<String, LogLevel> levels = new HashMap<>(root.getLogLevels());
        if (rootLevel == null) {
            levels.remove(Logger.ROOT_LOGGER_NAME);
        } else {
            levels.put(Logger.ROOT_LOGGER_NAME, rootLevel);
        }
        root.setLogLevels(levels);
    }

    private LoggerContext rootContext() {
        return loggerAdmin.getLoggerContext(null);
    }

    /** Prints {@code entry} when its level is the configured one or above; see the class for the format. */
    private void print(LogEntry entry) {
        if (!level.implies(entry.getLogLevel())) {
            return;
        }
        CountDownLatch printed = lastLinePrinted;
        boolean last = printed != null && entry.getLogLevel() == LogLevel.AUDIT && LAST_LINE.equals(entry.getMessage())
                && ConsoleLogComponent.class.getName().equals(entry.getLoggerName());
        Bundle bundle = entry.getBundle();
        String name = bundle == null || bundle.getSymbolicName() == null ? "-" : bundle.getSymbolicName();
        String line = TIME.format(Instant.ofEpochMilli(entry.getTime())) + " " + pad(entry.getLogLevel().name()) + " " + name
                + " " + entry.getLoggerName() + ": " + entry.getMessage();
        PrintStream out = System.out;
        synchronized (out) { // the line and its stack trace together, whoever else prints
            out.println(line);
            Throwable exception = entry.getException();
            if (exception != null) {
                exception.printStackTrace(out);
            }
            out.flush();
        }
        if (last) {
            printed.countDown();
        }
    }

    private static String pad(String levelName) {
        return levelName.length() >= 5 ? levelName : levelName + " ".repeat(5 - levelName.length());
    }
}
