/**
 * The device SPI of the smol stack: what an interface needs from a network device (receive a frame,
 * transmit a frame, its capabilities, wait for traffic), and the devices written in plain Java:
 * loopback, an in-memory cable joining two interfaces, a fault injector, pcap capture and a tracer.
 *
 * <p>Devices hand frames between their own storage and the caller's {@code byte[]}; none allocates
 * per frame.
 */
@Export
@Version("0.1.0")
package smol.phy;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
