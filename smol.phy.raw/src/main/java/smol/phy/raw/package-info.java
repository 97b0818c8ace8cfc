/**
 * A Linux raw packet socket device for the smol stack: {@link smol.phy.raw.RawDevice}, Ethernet frames of
 * every EtherType to and from one named interface (a NIC, one end of a veth pair) through an
 * {@code AF_PACKET} socket, opened by name as kind {@code raw} through {@link smol.phy.raw.RawProvider}
 * ({@code META-INF/services/smol.phy.DeviceProvider}; options {@code outgoing=ignore|keep} and
 * {@code netns}). Inside an OSGi framework, Declarative Services registers one raw device as a
 * {@link smol.phy.Device} service (kind {@code raw}) per factory configuration of PID {@code smol.phy.raw}:
 * properties {@code interface} (required, no default), {@code netns} (empty for the framework's own),
 * {@code name} (the logical name, empty for the interface's) and {@code outgoing} ({@code ignore}, the
 * default, or {@code keep}).
 *
 * <p>Not exported: applications and the interface see a {@link smol.phy.Device}; on a plain class path the
 * classes are public and usable directly. The Linux bindings ({@code smol.phy.linux}) are embedded privately
 * in this bundle, which imports only JNA and {@code smol.phy}, and carries
 * {@code Enable-Native-Access: ALL-UNNAMED} for JNA on Java 22 and later.
 *
 * <h2>Beside the kernel</h2>
 * The stack shares the interface with the kernel's own stack, which sees every frame too: give the stack a
 * MAC and an IP address of its own (the kernel ignores frames for another MAC, and an address it does not
 * have), and leave the interface's own address to the kernel or to nobody. A veth end passes every frame to
 * the socket; a NIC passes frames for another MAC only in promiscuous mode ({@code ip link set DEV promisc
 * on}), which this device does not switch on.
 *
 * <h2>Waiting and the data path</h2>
 * As every native device of smol: poll(2) on the socket and an eventfd (the {@code smol.phy} contract);
 * one recvmsg(2) and one copy per frame received, one copy and one write(2) per frame sent; nothing
 * allocated per frame. Per-frame metadata: {@link smol.phy.raw.RawDevice#receivedChecksum()} (from
 * {@code PACKET_AUXDATA}) and {@link smol.phy.raw.RawDevice#receivedOutgoing()}.
 *
 * <h2>For a capture</h2>
 * Open with {@code outgoing=keep} and receive into an array of {@link smol.phy.raw.RawDevice#MAX_FRAME_LENGTH}
 * bytes: every frame is then delivered whole, as the kernel handed it over (GRO/TSO frames up to 64 KiB
 * included); {@code receivedOutgoing()} gives its direction and {@code receivedChecksum()} tells a checksum not
 * filled in yet ("offloaded") from a bad one. Needs root or CAP_NET_RAW.
 */
package smol.phy.raw;
