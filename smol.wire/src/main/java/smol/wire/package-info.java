/**
 * Packet formats of the smol stack: addresses, Ethernet II, ARP, IPv4, ICMPv4, UDP and TCP, the
 * Internet checksum, a pretty printer and the pcap/pcapng file formats.
 *
 * <p>Each format has two faces, as in smoltcp: a <em>view</em> ({@code EthernetFrame},
 * {@code Ipv4Packet}, …) that wraps a {@code byte[]} with an offset and a length and reads or
 * writes fields in place, and a <em>representation</em> ({@code EthernetRepr}, {@code Ipv4Repr}, …)
 * holding the meaningful fields, with {@code parse} (validates) and {@code emit} (writes and fills
 * checksums). Views are re-pointed with {@code wrap} and reprs are overwritten by each
 * {@code parse}, so that the packet path allocates nothing.
 *
 * <p>Malformed input is normal input on a network: every check returns a {@link smol.wire.Malformed}
 * reason (or {@code null} when the bytes are well formed) and never throws. Once a view's
 * {@code check()} returned {@code null}, none of its accessors can fail.
 *
 * <p>Nothing here is thread-safe: a view or repr belongs to one thread at a time.
 */
@Export
@Version("0.2.0")
package smol.wire;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
