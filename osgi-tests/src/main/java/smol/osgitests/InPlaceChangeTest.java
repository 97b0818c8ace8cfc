package smol.osgitests;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.osgi.framework.BundleContext;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.test.common.annotation.InjectBundleContext;
import org.osgi.test.common.annotation.InjectService;
import org.osgi.test.junit5.context.BundleContextExtension;
import org.osgi.test.junit5.service.ServiceExtension;
import smol.iface.InterfaceService;

/**
 * The interface component's configuration changed in place while a TCP connection from the kernel stays up
 * ({@link KernelLab}): an address added (the kernel reaches it), the MAC changed (the kernel's neighbour
 * table learns it), the device's name changed to another TAP on the same bridge.
 */
@ExtendWith({BundleContextExtension.class, ServiceExtension.class})
class InPlaceChangeTest {
    static final String MAC = "02-00-00-00-00-01";
    static final String NEW_MAC = "02-00-00-00-00-02";
    static final String NEW_IP = "192.168.69.11";

    @InjectBundleContext
    BundleContext context;

    @InjectService(timeout = 10_000)
    ConfigurationAdmin configAdmin;

    KernelLab lab;

    @BeforeEach
    void setUp() {
        lab = new KernelLab(context, configAdmin, "oinplace");
    }

    @AfterEach
    void tearDown() throws Exception {
        if (lab != null) {
            lab.close();
        }
    }

    @Test
    void aKernelConnectionStaysUpWhileAnAddressIsAddedTheMacChangesAndTheDeviceNameChanges() throws Exception {
        lab.tapDevice("inplace-tap0", "tap0", KernelLab.DEVICE);
        lab.tapDevice("inplace-tap1", "tap1", "uplink2");
        InterfaceService iface = lab.startInterface(MAC);
        lab.startEcho();
        try (Socket kernel = lab.connectFromKernel(KernelLab.OUR_IP, KernelLab.ECHO_PORT)) {
            assertEchoes(kernel, "before");
            assertThat(lab.kernelNeighbour(KernelLab.OUR_IP)).isEqualTo("02:00:00:00:00:01");

            lab.configureInterface(MAC, KernelLab.DEVICE, KernelLab.OUR_IP + "/24", NEW_IP + "/24");
            lab.awaitInterface(s -> s.iface().addresses().size() == 2);
            lab.ns.check("ping", "-c", "1", "-W", "5", NEW_IP);
            try (Socket second = lab.connectFromKernel(NEW_IP, KernelLab.ECHO_PORT)) {
                assertEchoes(second, "at the new address");
            }
            assertEchoes(kernel, "after the address");

            lab.configureInterface(NEW_MAC, KernelLab.DEVICE, KernelLab.OUR_IP + "/24", NEW_IP + "/24");
            lab.awaitInterface(s -> s.iface().mac().toString().equals(NEW_MAC));
            DeviceServices.awaitUntil(() -> "02:00:00:00:00:02".equals(lab.kernelNeighbour(KernelLab.OUR_IP)),
                    () -> "the kernel's neighbour table to learn the new MAC; it holds "
                            + lab.kernelNeighbour(KernelLab.OUR_IP));
            assertEchoes(kernel, "after the MAC");

            lab.configureInterface(NEW_MAC, "uplink2", KernelLab.OUR_IP + "/24", NEW_IP + "/24");
            lab.awaitInterface(s -> s.iface().linkUp() && s.iface().device().contains("tap1"));
            assertEchoes(kernel, "after the device");
            assertThat(iface.snapshot().phase()).as("never restarted").isEqualTo("running");
            assertThat(context.getServiceReferences(InterfaceService.class, "(smol.interface.name=" + KernelLab.IFACE
                    + ")").iterator().next().getProperty("smol.interface.device")).isEqualTo("uplink2");
        }
    }

    /** Sends {@code text} and a newline from the kernel's side and reads the same back. */
    static void assertEchoes(Socket socket, String text) throws IOException {
        byte[] line = (text + "\n").getBytes(StandardCharsets.US_ASCII);
        socket.getOutputStream().write(line);
        byte[] back = new byte[line.length];
        InputStream in = socket.getInputStream();
        for (int got = 0; got < back.length; ) {
            int n = in.read(back, got, back.length - got);
            if (n < 0) {
                throw new IOException("the connection ended after " + got + " bytes of the echo of " + text);
            }
            got += n;
        }
        assertThat(new String(back, StandardCharsets.US_ASCII)).as("the echo " + text).isEqualTo(text + "\n");
    }
}
