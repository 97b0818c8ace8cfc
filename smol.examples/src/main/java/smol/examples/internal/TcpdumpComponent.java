package smol.examples.internal;

import java.io.IOException;
import java.nio.file.Path;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.log.Logger;
import org.osgi.service.log.LoggerFactory;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import smol.iface.InterfaceService;

/**
 * tcpdump on an interface inside OSGi, per factory configuration of PID {@value #PID}: lists each frame the
 * interface receives or transmits in one line to the OSGi log at INFO (logger
 * {@code smol.examples.internal.TcpdumpComponent}), and/or writes it to a pcap file, until {@code count}
 * frames (see {@link InterfaceCapture} for the line and the file).
 *
 * <p>The interface's loop thread only copies each frame into a queue allocated at activation; when the
 * queue is full the frame is dropped and counted, and the component logs at WARN how many once it caught
 * up, and a summary at INFO when it ends. The listing needs INFO enabled for this bundle's loggers (Felix
 * Log's root level is WARN unless set, e.g. by the console log component, PID {@code smol.log}); the
 * component warns at activation when it is not. Deactivation removes the observer and ends the thread; an
 * updated configuration starts a new capture.
 */
@Component(configurationPid = TcpdumpComponent.PID, configurationPolicy = ConfigurationPolicy.REQUIRE,
        service = {}, immediate = true)
@Designate(ocd = TcpdumpComponent.Config.class, factory = true)
public final class TcpdumpComponent {
    /** The factory PID of tcpdump configurations. */
    public static final String PID = "smol.examples.tcpdump";

    @ObjectClassDefinition(name = "smol tcpdump",
            description = "Lists the frames of an interface to the log at INFO and/or writes them to a pcap file")
    @interface Config {
        @AttributeDefinition(name = "Interface",
                description = "Filter choosing the interface service, e.g. (smol.interface.name=eth0); the"
                        + " default takes any")
        String interface_target() default "(smol.interface.name=*)";

        @AttributeDefinition(description = "Frames to take before stopping; 0: until the configuration goes",
                min = "0")
        long count() default 0;

        @AttributeDefinition(description = "List each frame to the log at INFO")
        boolean log() default true;

        @AttributeDefinition(description = "pcap file to write the frames to; empty: none")
        String file() default "";

        @AttributeDefinition(description = "Bytes kept of each frame; longer frames are cut", min = "1")
        int snaplen() default 1518;

        @AttributeDefinition(description = "Frames the queue holds before it drops", min = "1")
        int queue() default 256;
    }

    @Reference(name = "interface")
    private InterfaceService iface;

    @Reference(service = LoggerFactory.class)
    private Logger logger;

    private InterfaceCapture capture;

    /** Creates the component; SCR calls this, sets the references, then {@link #activate}. */
    public TcpdumpComponent() {}

    /**
     * Starts the capture.
     *
     * @throws IOException when the pcap file cannot be created; SCR logs it
     * @throws IllegalArgumentException for a count, snaplen or queue out of range, or neither a listing nor
     *     a file asked for; SCR logs it
     */
    @Activate
    void activate(Config config) throws IOException {
        if (!config.log() && config.file().isBlank()) {
            throw new IllegalArgumentException("tcpdump " + iface.name() + ": log is false and no file is given,"
                    + " so the frames would go nowhere");
        }
        if (config.log() && !logger.isInfoEnabled()) {
            logger.warn("tcpdump {}: the listing goes to the log at INFO, which is off for {}", iface.name(),
                    logger.getName());
        }
        Path file = config.file().isBlank() ? null : Path.of(config.file());
        capture = new InterfaceCapture(iface, config.count(), config.queue(), config.snaplen(),
                config.log() ? logger::info : null, file, logger::warn, logger::info);
        logger.info("tcpdump {}: capturing {}{}", iface.name(),
                config.count() == 0 ? "until stopped" : config.count() + " frames", file == null ? "" : " to " + file);
    }

    /** Ends the capture: the observer goes, the thread ends, the pcap file is closed. */
    @Deactivate
    void deactivate() {
        capture.close();
    }
}
