package smol.examples.internal;

import java.net.SocketException;
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
import smol.examples.MeasuringPorts;
import smol.examples.Server;
import smol.iface.SocketSetService;

/**
 * smoltcp's server example ({@link Server}), and on request the {@link MeasuringPorts}, on the socket-set
 * service of one interface, per factory configuration of PID {@value #PID}.
 *
 * <p>The reference {@code sockets} is static and mandatory: the component starts once a socket-set service
 * matches its target ({@code sockets.target}, any interface by default) and stops when that service goes.
 * The service is bundle-scoped, so the sockets are this bundle's; deactivation closes the server's own
 * (listeners, UDP socket, connections served), since other components of this bundle may share the service.
 * An updated configuration deactivates and activates the component again.
 */
@Component(configurationPid = ServerComponent.PID, configurationPolicy = ConfigurationPolicy.REQUIRE,
        service = {}, immediate = true)
@Designate(ocd = ServerComponent.Config.class, factory = true)
public final class ServerComponent {
    /** The factory PID of server configurations. */
    public static final String PID = "smol.examples.server";

    @ObjectClassDefinition(name = "smol server example",
            description = "smoltcp's server example on an interface: UDP answers \"yo dawg\", TCP answers each"
                    + " chunk reversed")
    @interface Config {
        @AttributeDefinition(name = "Interface",
                description = "Filter choosing the interface's socket-set service, e.g. (smol.interface.name=eth0);"
                        + " the default takes any")
        String sockets_target() default "(smol.interface.name=*)";

        @AttributeDefinition(description = "Port of the UDP and the TCP service, 1..65535", min = "1",
                max = "65535")
        int port() default Server.PORT;

        @AttributeDefinition(name = "Measuring ports",
                description = "Also serve TCP 6970 (echo), 6971 (discard) and 6972 (an endless pattern)")
        boolean measuringPorts() default false;
    }

    @Reference(name = "sockets")
    private SocketSetService sockets;

    @Reference(service = LoggerFactory.class)
    private Logger logger;

    private Server server;
    private MeasuringPorts ports;

    /** Creates the component; SCR calls this, sets the references, then {@link #activate}. */
    public ServerComponent() {}

    /**
     * Starts serving. A failure (a port taken, a full socket set) fails activation, which SCR logs; what
     * was opened by then is closed.
     *
     * @throws SocketException when the UDP port is taken or the interface stopped
     */
    @Activate
    void activate(Config config) throws SocketException {
        server = new Server(sockets, config.port());
        try {
            if (config.measuringPorts()) {
                ports = new MeasuringPorts(sockets);
            }
        } catch (RuntimeException e) {
            server.close();
            throw e;
        }
        logger.info("serving on {} port {}{}", sockets.interfaceName(), config.port(),
                ports != null ? ", measuring ports " + MeasuringPorts.ECHO_PORT + ".." + MeasuringPorts.PATTERN_PORT : "");
    }

    /** Stops serving: closes the server's sockets and the measuring ports', ending their threads. */
    @Deactivate
    void deactivate() {
        if (ports != null) {
            ports.close();
        }
        server.close();
        logger.info("stopped serving on {}", sockets.interfaceName());
    }
}
