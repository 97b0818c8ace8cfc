/**
 * A Linux TAP device for the smol stack: {@link smol.phy.tap.TapDevice}, Ethernet frames to and from the
 * kernel through {@code /dev/net/tun}, opened by name as kind {@code tap} through
 * {@link smol.phy.tap.TapProvider} ({@code META-INF/services/smol.phy.DeviceProvider}; options
 * {@code persistent} and {@code netns}). Inside an OSGi framework, Declarative Services registers one TAP as a
 * {@link smol.phy.Device} service (kind {@code tap}) per factory configuration of PID {@code smol.phy.tap}:
 * properties {@code interface} (the TAP's name, default {@code tap0}), {@code netns} (empty for the
 * framework's own), {@code name} (the logical name, empty for the interface's) and {@code persistent}
 * (default false).
 *
 * <p>Not exported: applications and the interface see a {@link smol.phy.Device}; on a plain class path the
 * classes are public and usable directly. The Linux bindings ({@code smol.phy.linux}) are embedded privately
 * in this bundle, which imports only JNA and {@code smol.phy}, and carries
 * {@code Enable-Native-Access: ALL-UNNAMED} for JNA on Java 22 and later.
 *
 * <h2>What the kernel side sees</h2>
 * While a device has the TAP open, its carrier is on ({@code LOWER_UP} once the link is set up). When the
 * device closes, a non-persistent TAP is deleted with its addresses and routes; a persistent one stays,
 * with its addresses and routes, and shows {@code NO-CARRIER} (state {@code DOWN}) until a device opens it
 * again. Needs root or CAP_NET_ADMIN to create a TAP, or a TAP made for the user beforehand:
 * {@code sudo ip tuntap add name tap0 mode tap user $USER}.
 */
package smol.phy.tap;
